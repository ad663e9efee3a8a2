/* The findings the status rule needs (see verdict.h). Everything here reads
 * the result's paths as the reports will show them, so that what the status
 * line says and what the paths show can not drift apart. */
#include "verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/buf.h"
#include "../../common/jsonutil.h"

/* A member that may be absent, as text for a message. */
static const char *str(const cJSON *o, const char *key)
{
  const char *v = xd_json_str(o, key);
  return v ? v : "";
}

bool az_ip_from_private_name(const char *name, char *out, size_t n)
{
  long part[4];
  const char *p = name, *rest;
  xd_cidr ip;
  size_t len;
  if(!name || strncmp(name, "ip-", 3))
    return false;
  p += 3;
  for(int i = 0; i < 4; i++) {
    char *end;
    if(*p < '0' || *p > '9')
      return false;
    part[i] = strtol(p, &end, 10);
    if(part[i] > 255 || end - p > 3 || *end != (i < 3 ? '-' : '.'))
      return false;
    p = end + 1;
  }
  /* ip-a-b-c-d.ec2.internal (us-east-1) or
   * ip-a-b-c-d.<region>.compute.internal (every other Region) */
  rest = p;
  len = strlen(rest);
  if(strcmp(rest, "ec2.internal")) {
    static const char tail[] = ".compute.internal";
    size_t tl = sizeof(tail) - 1;
    if(len <= tl || strcmp(rest + len - tl, tail))
      return false;
    for(const char *q = rest; q < rest + len - tl; q++)
      if(!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-'))
        return false;
  }
  snprintf(out, n, "%ld.%ld.%ld.%ld", part[0], part[1], part[2], part[3]);
  return xd_cidr_parse(out, &ip);
}

void az_cluster_not_seen(az_ctx *c, const az_cluster *cl, const char *why)
{
  az_issue *is = az_issue_get(c, "PATH_NOT_SEEN", XD_SEV_WARNING, cl->id,
                              cl->account, cl->region);
  az_issue_message(c, is,
                   "No path to cluster %s could be evaluated and no packet "
                   "was seen: %s.", cl->id, why);
  az_issue_evidence(c, is, "%s", why);
  if(xd_result_add_not_seen(c->r, cl->id, 0, why) != XD_OK)
    c->nomem = true;
}

/* Whether a critical finding names one of the path's denying hops: its
 * resource, or an id the hop's detail quotes (a missing peering is named
 * by the Studio VPC that the peering hop's detail gives). */
static bool culprit_named(const cJSON *findings, const cJSON *path)
{
  const cJSON *h, *f;
  cJSON_ArrayForEach(h, xd_json_array(path, "hops")) {
    const char *v = xd_json_str(h, "verdict");
    const char *res = xd_json_str(h, "resource");
    const char *detail = xd_json_str(h, "detail");
    if(!v || strcmp(v, "deny"))
      continue;
    cJSON_ArrayForEach(f, findings) {
      const char *sev = xd_json_str(f, "severity");
      const char *fr = xd_json_str(f, "resource");
      if(!sev || strcmp(sev, "critical") || !fr || !*fr)
        continue;
      if((res && !strcmp(res, fr)) || (detail && strstr(detail, fr)))
        return true;
    }
  }
  return false;
}

static const char *path_name(const cJSON *path, char *out, size_t n)
{
  const cJSON *from = xd_json_object(path, "from");
  const cJSON *to = xd_json_object(path, "to");
  long port = 0;
  xd_json_long(to, "port", &port);
  snprintf(out, n, "%s -> %s:%ld", str(from, "ip"),
           xd_json_str(to, "ip") ? str(to, "ip") : str(to, "name"), port);
  return out;
}

/* A blocked path without a critical finding for it: name its first denying
 * hop, which the path shows is known even when the rest is not. */
static xd_rc blocked_finding(xd_result *r, const cJSON *path)
{
  const cJSON *h, *deny = NULL;
  const char *acct = NULL, *ev[2];
  bool past_peering = false, unknown_rest = false;
  char name[160], msg[768], hop[600];
  xd_finding f = {0};
  cJSON_ArrayForEach(h, xd_json_array(path, "hops")) {
    const char *kind = xd_json_str(h, "kind");
    const char *v = xd_json_str(h, "verdict");
    if(!deny && v && !strcmp(v, "deny")) {
      deny = h;
      acct = xd_json_str(xd_json_object(path, past_peering ? "to" : "from"),
                         "account");
    }
    if(v && !strcmp(v, "unknown"))
      unknown_rest = true;
    if(kind && !strcmp(kind, "peering"))
      past_peering = true;
  }
  if(!deny)
    return XD_OK;
  path_name(path, name, sizeof(name));
  snprintf(msg, sizeof(msg), "%s is blocked at %s %s: %s.", name,
           str(deny, "kind"), str(deny, "resource"), str(deny, "detail"));
  snprintf(hop, sizeof(hop), "%s %s: deny (%s)", str(deny, "kind"),
           str(deny, "resource"), str(deny, "detail"));
  ev[0] = hop;
  ev[1] = "other hops of the path are not known: whatever they say, this "
          "one stops the traffic";
  f.code = "PATH_BLOCKED";
  f.severity = XD_SEV_CRITICAL;
  f.resource = *str(deny, "resource") ? str(deny, "resource")
                                       : str(xd_json_object(path, "to"), "ip");
  f.account = acct;
  f.message = msg;
  f.evidence = ev;
  f.n_evidence = unknown_rest ? 2 : 1;
  return xd_result_add_finding(r, &f);
}

/* The unknown hops of a path, as "kind resource: detail", into the group's
 * evidence (distinct, a dozen at most). */
static void unknown_hops(const cJSON *path, cJSON *evidence)
{
  const cJSON *h, *x;
  cJSON_ArrayForEach(h, xd_json_array(path, "hops")) {
    const char *v = xd_json_str(h, "verdict");
    char line[600];
    bool dup = false;
    if(!v || strcmp(v, "unknown"))
      continue;
    snprintf(line, sizeof(line), "%s %s: %s", str(h, "kind"),
             str(h, "resource"), str(h, "detail"));
    cJSON_ArrayForEach(x, evidence)
      dup |= !strcmp(x->valuestring, line);
    if(!dup && cJSON_GetArraySize(evidence) < 12)
      cJSON_AddItemToArray(evidence, cJSON_CreateString(line));
  }
}

/* One PATH_NOT_SEEN finding and meta.not_seen entry per primary node. */
static xd_rc not_seen_finding(xd_result *r, const cJSON *g)
{
  const cJSON *ev = xd_json_array(g, "evidence"), *x;
  const char **lines = NULL;
  const char *target = xd_json_str(g, "target");
  const char *cluster = xd_json_str(g, "cluster");
  long n = 0, total = 0;
  size_t k = 0;
  char msg[1024], why[600];
  xd_finding f = {0};
  xd_rc rc;
  xd_json_long(g, "n", &n);
  xd_json_long(g, "total", &total);
  /* the first unknown hop is the first thing Studio's traffic would meet
   * that we could not see: it is the reason given in the headline */
  x = cJSON_GetArrayItem(ev, 0);
  snprintf(why, sizeof(why), "%s", x ? x->valuestring : "not known");
  snprintf(msg, sizeof(msg),
           "%ld of %ld paths from Studio to %s%s%s%s could not be evaluated "
           "and no packet settled them: %s.", n, total, target,
           cluster ? " (cluster " : "", cluster ? cluster : "",
           cluster ? ")" : "", why);
  lines = calloc((size_t)cJSON_GetArraySize(ev) + 1, sizeof(*lines));
  if(!lines)
    return XD_E_NOMEM;
  cJSON_ArrayForEach(x, ev)
    lines[k++] = x->valuestring;
  f.code = "PATH_NOT_SEEN";
  f.severity = XD_SEV_WARNING;
  f.resource = cluster ? cluster : target;
  f.account = xd_json_str(g, "account");
  f.message = msg;
  f.evidence = lines;
  f.n_evidence = k;
  rc = xd_result_add_finding(r, &f);
  free(lines);
  if(rc == XD_OK)
    rc = xd_result_add_not_seen(r, target, (int)n, why);
  return rc;
}

xd_rc az_verdict_check(xd_result *r, xd_err *e)
{
  cJSON *root = xd_result_json(r);
  const cJSON *p;
  cJSON *groups = cJSON_CreateObject(), *g;
  xd_rc rc = XD_OK;
  if(!groups)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  cJSON_ArrayForEach(p, xd_json_array(root, "paths")) {
    const char *v = xd_json_str(p, "verdict");
    const cJSON *to = xd_json_object(p, "to");
    /* a control-plane path is known by its name (its address, when
     * there is one, is an endpoint's) */
    const char *ip = xd_json_str(to, "name") ? xd_json_str(to, "name")
                                             : xd_json_str(to, "ip");
    bool unseen = v && !strcmp(v, "unknown") && !xd_path_settled(p);
    if(!ip)
      continue;
    g = cJSON_GetObjectItemCaseSensitive(groups, ip);
    if(!g) {
      g = cJSON_AddObjectToObject(groups, ip);
      if(!g || !cJSON_AddStringToObject(g, "target", ip) ||
         !cJSON_AddNumberToObject(g, "n", 0) ||
         !cJSON_AddNumberToObject(g, "total", 0) ||
         !cJSON_AddArrayToObject(g, "evidence")) {
        rc = XD_E_NOMEM;
        goto done;
      }
      if(xd_json_str(to, "cluster"))
        cJSON_AddStringToObject(g, "cluster", xd_json_str(to, "cluster"));
      if(xd_json_str(to, "account"))
        cJSON_AddStringToObject(g, "account", xd_json_str(to, "account"));
    }
    cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(g, "total"),
                         cJSON_GetObjectItemCaseSensitive(g, "total")->valuedouble + 1);
    if(v && !strcmp(v, "blocked") &&
       !culprit_named(xd_json_array(root, "findings"), p) &&
       (rc = blocked_finding(r, p)) != XD_OK)
      goto done;
    if(unseen) {
      cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(g, "n"),
                           cJSON_GetObjectItemCaseSensitive(g, "n")->valuedouble + 1);
      unknown_hops(p, cJSON_GetObjectItemCaseSensitive(g, "evidence"));
    }
  }
  cJSON_ArrayForEach(g, groups) {
    long n = 0;
    xd_json_long(g, "n", &n);
    if(n && (rc = not_seen_finding(r, g)) != XD_OK)
      goto done;
  }
done:
  cJSON_Delete(groups);
  if(rc != XD_OK)
    return xd_fail(e, rc, "out of memory");
  return XD_OK;
}
