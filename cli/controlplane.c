/* The control-plane probes (controlplane.h): one more probe session after
 * the primary nodes', with no capture (the handle is aimed at the nodes)
 * and no HTTP request (an unsigned GET to STS proves nothing the TLS
 * handshake has not). Its entries join the observations beside the
 * nodes' ones, marked with their role, so the cross-check can tell them
 * apart without a second document. */
#include "controlplane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../aws/aws.h"
#include "../common/jsonutil.h"
#include "../common/log.h"
#include "../probes/probe.h"
#include "run.h"

/* A Region name is part of a host name here: lower-case letters, digits
 * and dashes only, as AWS names them (us-east-1, ap-southeast-2). */
bool cli_cp_region_ok(const char *r)
{
  size_t n = strlen(r);
  if(n < 3 || n > 32 || r[0] == '-' || r[n - 1] == '-')
    return false;
  for(size_t i = 0; i < n; i++)
    if(!((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= '0' && r[i] <= '9') ||
         r[i] == '-'))
      return false;
  return true;
}

const char *cli_cp_region(const cli_opts *o, const char *fallback)
{
  const char *r = o->region;
  if(!r || !*r)
    r = getenv("AWS_REGION");
  if(!r || !*r)
    r = getenv("AWS_DEFAULT_REGION");
  if(!r || !*r)
    r = fallback;
  return r && *r ? r : NULL;
}

static const char *service_of(const char *name)
{
  if(name && !strncmp(name, "sts.", 4))
    return "sts";
  if(name && !strncmp(name, "elasticmapreduce.", 17))
    return "emr-api";
  return NULL;
}

/* Move every entry of src[key] to the end of dst[key], marked. */
static xd_rc move_entries(cJSON *src, cJSON *dst, const char *key,
                          const char *name_key, xd_err *e)
{
  cJSON *from = cJSON_GetObjectItemCaseSensitive(src, key);
  cJSON *to = cJSON_GetObjectItemCaseSensitive(dst, key);
  if(!cJSON_IsArray(from))
    return XD_OK;
  if(!to && !(to = cJSON_AddArrayToObject(dst, key)))
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  if(!cJSON_IsArray(to))
    return xd_fail(e, XD_E_INTERNAL, "observations: \"%s\" is not an array",
                   key);
  while(cJSON_GetArraySize(from) > 0) {
    cJSON *it = cJSON_DetachItemFromArray(from, 0);
    const char *svc = service_of(xd_json_str(it, name_key));
    /* the AWS service replaces the guess from the port number */
    if(svc)
      cJSON_DeleteItemFromObjectCaseSensitive(it, "service");
    if(!cJSON_AddStringToObject(it, "role", "control-plane") ||
       (svc && !cJSON_AddStringToObject(it, "service", svc))) {
      cJSON_Delete(it);
      return xd_fail(e, XD_E_NOMEM, "out of memory");
    }
    cJSON_AddItemToArray(to, it);
  }
  return XD_OK;
}

xd_rc cli_cp_probe(const cli_opts *o, const char *region, cJSON *obs,
                   xd_err *e)
{
  char sts[96], emr[96];
  const char *targets[2];
  static const int port = CLI_CP_PORT;
  const char *ca = NULL;
  xd_err ce = {0};
  pr_plan plan;
  cJSON *cp = NULL;
  xd_rc rc, mrc;

  if(!cli_cp_region_ok(region))
    return xd_fail(e, XD_E_USAGE, "control plane: '%s' is not a Region name "
                   "(give --region, e.g. us-east-1)", region);
  snprintf(sts, sizeof(sts), "sts.%s.amazonaws.com", region);
  snprintf(emr, sizeof(emr), "elasticmapreduce.%s.amazonaws.com", region);
  targets[0] = sts;
  targets[1] = emr;
  /* the bundle the AWS calls trust; without one the TLS probe still runs
   * and verifies against OpenSSL's own store */
  if(aws_ca_bundle_default(&ca, &ce) != XD_OK) {
    xd_log_warn("control plane: %s; certificates are verified against "
                "OpenSSL's default store", ce.msg);
    ca = NULL;
  }
  cli_plan_defaults(o, &plan);
  plan.targets = targets;
  plan.n_targets = 2;
  plan.ports = &port;
  plan.n_ports = 1;
  plan.no_http = true;
  plan.ca_file = ca;
  cp = pr_obs_new("studio");
  if(!cp)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  xd_log_info("probe: the control plane of %s (%s, %s on %d)%s%s", region,
              sts, emr, port, ca ? ", CA bundle " : "", ca ? ca : "");
  rc = pr_run(&plan, cp, e);
  if(rc != XD_OK && rc != XD_E_TIMEOUT && rc != XD_E_INTERRUPTED)
    goto done;
  if((mrc = move_entries(cp, obs, "dns", "name", &ce)) != XD_OK ||
     (mrc = move_entries(cp, obs, "tcp", "target", &ce)) != XD_OK ||
     (mrc = move_entries(cp, obs, "tls", "target", &ce)) != XD_OK) {
    *e = ce;
    rc = mrc;
    goto done;
  }
  if(rc != XD_OK && !cJSON_GetObjectItemCaseSensitive(obs, "incomplete")) {
    cJSON *inc = cJSON_DetachItemFromObjectCaseSensitive(cp, "incomplete");
    if(inc)
      cJSON_AddItemToObject(obs, "incomplete", inc);
  }
done:
  cJSON_Delete(cp);
  return rc;
}

xd_rc cli_cp_check(const cli_opts *o, const char *intent_region,
                   cJSON **docs, size_t *n, xd_err *e)
{
  const char *region = cli_cp_region(o, intent_region);
  cJSON *obs;
  xd_rc rc;
  if(!region) {
    xd_log_warn("check: no Region is known (--region, AWS_REGION or the "
                "intent): the STS and EMR endpoints are not probed");
    return XD_OK;
  }
  if(!(obs = pr_obs_new("studio")))
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  rc = cli_cp_probe(o, region, obs, e);
  if(rc == XD_E_USAGE) {
    xd_log_warn("check: %s: the STS and EMR endpoints are not probed", e->msg);
    e->msg[0] = '\0';
    rc = XD_OK;
    cJSON_Delete(obs);
    return rc;
  }
  if(rc == XD_OK || rc == XD_E_TIMEOUT || rc == XD_E_INTERRUPTED)
    docs[(*n)++] = obs;
  else
    cJSON_Delete(obs);
  return rc;
}
