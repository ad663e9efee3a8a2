/* tests/probes/plan_driver.c: runs pr_run with a plan built from the
 * command line, for the parts of the plan that only `check` fills in (the
 * Studio client pre-check, the DNS expectations), and prints the
 * observations as JSON, after checking them with xd_obs_check (the
 * schema the analyzer reads). Exit status: pr_obs_status, or 3 on error.
 *
 *   plan_driver [--dns-server S] [--target T]... [--port N]...
 *               [--timeout-ms N] [--private NAME] [--public NAME]
 *               [--pc-port N] [--pc-timeout-ms N] [--expect-name N]
 *               [--expect-private IP] [--expect-public IP]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonutil.h"
#include "common/observations.h"
#include "probes/probe.h"

#define MAX_ITEMS 64

static long num(const char *s)
{
  char *end;
  long v = strtol(s, &end, 10);
  if(*end) {
    fprintf(stderr, "not a number: %s\n", s);
    exit(3);
  }
  return v;
}

int main(int argc, char **argv)
{
  const char *targets[MAX_ITEMS];
  int ports[MAX_ITEMS];
  pr_plan p;
  cJSON *obs;
  xd_err e = {0};
  xd_rc rc;
  char *text;
  int status;

  memset(&p, 0, sizeof(p));
  p.targets = targets;
  p.ports = ports;
  for(int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if(!v) {
      fprintf(stderr, "%s needs a value\n", a);
      return 3;
    }
    i++;
    if(!strcmp(a, "--dns-server")) p.dns_server = v;
    else if(!strcmp(a, "--target") && p.n_targets < MAX_ITEMS)
      targets[p.n_targets++] = v;
    else if(!strcmp(a, "--port") && p.n_ports < MAX_ITEMS)
      ports[p.n_ports++] = (int)num(v);
    else if(!strcmp(a, "--timeout-ms")) p.timeout_ms = num(v);
    else if(!strcmp(a, "--private")) p.precheck_private_dns = v;
    else if(!strcmp(a, "--public")) p.precheck_public_dns = v;
    else if(!strcmp(a, "--pc-port")) p.precheck_port = (int)num(v);
    else if(!strcmp(a, "--pc-timeout-ms")) p.precheck_timeout_ms = num(v);
    else if(!strcmp(a, "--expect-name")) p.expect_name = v;
    else if(!strcmp(a, "--expect-private")) p.expect_private_ip = v;
    else if(!strcmp(a, "--expect-public")) p.expect_public_ip = v;
    else {
      fprintf(stderr, "unknown option %s\n", a);
      return 3;
    }
  }
  obs = pr_obs_new("studio");
  if(!obs)
    return 3;
  rc = pr_run(&p, obs, &e);
  if(rc != XD_OK) {
    fprintf(stderr, "pr_run: %s\n", e.msg);
    cJSON_Delete(obs);
    return 3;
  }
  /* what the engine writes must pass the reader's schema check */
  if(xd_obs_check(obs, "observations", &e) != XD_OK) {
    fprintf(stderr, "%s\n", e.msg);
    cJSON_Delete(obs);
    return 3;
  }
  text = xd_json_print(obs, true);
  if(text)
    fputs(text, stdout);
  free(text);
  status = pr_obs_status(obs);
  cJSON_Delete(obs);
  return status;
}
