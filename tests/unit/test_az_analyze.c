/* The analyzer through its front door (az_analyze) on fixture snapshots:
 * one root cause gives one critical finding, the hops come in the order a
 * packet meets them, and a healthy setup is ok on every path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyze.h"
#include "analyzer/snapshot.h"
#include "check.h"
#include "common/jsonutil.h"

static xd_result *run(const char *name)
{
  char dir[4096], ipath[4200];
  const char *root = getenv("XD_FIXTURES");
  az_model m;
  az_intent in;
  xd_err e = {0};
  xd_result *r = xd_result_new();
  snprintf(dir, sizeof(dir), "%s/analyzer/%s", root ? root : "tests/fixtures",
           name);
  snprintf(ipath, sizeof(ipath), "%s/xacct-doctor.json", dir);
  memset(&in, 0, sizeof(in));
  if(az_snapshot_load(dir, &m, &e) != XD_OK) {
    fprintf(stderr, "%s: %s\n", dir, e.msg);
    xd_result_free(r);
    return NULL;
  }
  {
    FILE *f = fopen(ipath, "r");
    if(f) {
      fclose(f);
      if(az_intent_load(ipath, &in, &e) != XD_OK)
        fprintf(stderr, "%s: %s\n", ipath, e.msg);
    }
  }
  if(!r || az_analyze(&m, &in, NULL, 0, r, &e) != XD_OK) {
    fprintf(stderr, "%s: analyze: %s\n", name, e.msg);
    xd_result_free(r);
    r = NULL;
  }
  if(r)
    xd_result_finish(r);
  az_intent_free(&in);
  az_model_free(&m);
  return r;
}

static int count(const xd_result *r, const char *sev, const char *code)
{
  const cJSON *f;
  int n = 0;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(xd_result_json(r), "findings")) {
    const char *s = xd_json_str(f, "severity"), *c = xd_json_str(f, "code");
    if((!sev || (s && !strcmp(s, sev))) && (!code || (c && !strcmp(c, code))))
      n++;
  }
  return n;
}

/* A control-plane path (STS, EMR APIs): the control-plane fixtures check
 * those. */
static bool is_cp(const cJSON *p)
{
  const char *side = xd_json_str(xd_json_object(p, "to"), "side");
  return side && !strcmp(side, "control-plane");
}

static void one_root_cause(void)
{
  xd_result *r = run("peering-pending");
  const cJSON *p;
  int routes_denied = 0;
  CHECK(r != NULL);
  if(!r)
    return;
  /* the peering waits for acceptance: that, once, not "no route" */
  CHECK_INT(count(r, "critical", NULL), 1);
  CHECK_INT(count(r, "critical", "PEERING_PENDING_ACCEPTANCE"), 1);
  CHECK_INT(count(r, NULL, "ROUTE_MISSING"), 0);
  CHECK_INT(xd_result_status(r), XD_STATUS_CRITICAL);
  cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(xd_result_json(r), "paths")) {
    const cJSON *h;
    if(is_cp(p))
      continue; /* Studio's way to the APIs does not cross the peering */
    CHECK_STR(xd_json_str(p, "verdict"), "blocked");
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(p, "hops")) {
      const char *k = xd_json_str(h, "kind"), *v = xd_json_str(h, "verdict");
      if(k && !strcmp(k, "route-table") && v && !strcmp(v, "deny"))
        routes_denied++;
      if(k && !strcmp(k, "peering"))
        CHECK_STR(v, "deny");
    }
  }
  /* the hops still say what is wrong, even though no finding repeats it */
  CHECK(routes_denied >= 3);
  xd_result_free(r);
}

static void healthy_hops_in_order(void)
{
  static const char *order[] = {
      "security-group-egress", "nacl-outbound", "nacl-inbound", "route-table",
      "peering", "route-table", "nacl-inbound", "nacl-outbound",
      "security-group-ingress"};
  xd_result *r = run("healthy-basic");
  const cJSON *p, *paths;
  CHECK(r != NULL);
  if(!r)
    return;
  CHECK_INT(xd_result_status(r), XD_STATUS_OK);
  CHECK_INT(count(r, "critical", NULL) + count(r, "warning", NULL), 0);
  paths = cJSON_GetObjectItemCaseSensitive(xd_result_json(r), "paths");
  /* three ports to the primary node, STS and EMR through the NAT */
  CHECK_INT(cJSON_GetArraySize(paths), 5);
  cJSON_ArrayForEach(p, paths) {
    const cJSON *h;
    size_t i = 0;
    CHECK_STR(xd_json_str(p, "verdict"), "reachable");
    if(is_cp(p))
      continue;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(p, "hops")) {
      CHECK(i < 9 && !strcmp(xd_json_str(h, "kind"), order[i]));
      CHECK_STR(xd_json_str(h, "verdict"), "allow");
      CHECK(strlen(xd_json_str(h, "detail")) > 5);
      i++;
    }
    CHECK_INT(i, 9);
    CHECK_STR(xd_json_str(xd_json_object(p, "dns"), "resolves_to"), "private");
  }
  xd_result_free(r);
}

static void dedupe_across_ports(void)
{
  /* two ports missing on one group: one finding naming both */
  xd_result *r = run("sg-ingress-missing-port");
  const cJSON *f;
  CHECK(r != NULL);
  if(!r)
    return;
  CHECK_INT(count(r, NULL, "SG_INGRESS_MISSING"), 1);
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(xd_result_json(r), "findings")) {
    if(strcmp(xd_json_str(f, "code"), "SG_INGRESS_MISSING"))
      continue;
    CHECK_CONTAINS(xd_json_str(f, "message"), "8889, 10000");
    CHECK_CONTAINS(xd_json_str(f, "remediation"), "FromPort=8889");
    CHECK_CONTAINS(xd_json_str(f, "remediation"), "FromPort=10000");
  }
  xd_result_free(r);
}

int main(void)
{
  one_root_cause();
  healthy_hops_in_order();
  dedupe_across_ports();
  return CHECK_DONE();
}
