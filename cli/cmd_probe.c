/* `probe`: run the probes only and write the observations. Names are
 * The capture handle (when permitted) is opened first and privileges are
 * dropped right after, before any name is resolved; the capture is then
 * aimed at the addresses that will be probed. Exit status: 0 when every port is open and every
 * name resolved, 2 when something is filtered, closed, unresolved or timed
 * out (a finding), 3 for bad usage or an incomplete run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/jsonutil.h"
#include "../common/log.h"
#include "../common/portlist.h"
#include "../probes/probe.h"
#include "../reports/obs_text.h"
#include "cli.h"
#include "controlplane.h"
#include "run.h"

#define PROBE_DEFAULT_PORTS "8998,10000,8889"

static xd_rc check_usage(const cli_opts *o, xd_err *e)
{
  xd_ip ip;
  int port;
  xd_rc rc;
  if(o->format_set && o->format != RP_TEXT && o->format != RP_JSON)
    return xd_fail(e, XD_E_USAGE, "probe writes observations: --format json "
                   "or text");
  if(!o->n_targets && !o->control_plane)
    return xd_fail(e, XD_E_USAGE, "probe: give at least one --target HOST "
                   "(or --control-plane)");
  for(size_t i = 0; i < o->n_targets; i++)
    if((rc = pr_check_target(o->targets[i], e)) != XD_OK)
      return rc;
  if(o->dns_server &&
     (rc = pr_parse_dns_server(o->dns_server, &ip, &port, e)) != XD_OK)
    return rc;
  return XD_OK;
}

/* --control-plane's Region: --region, AWS_REGION, AWS_DEFAULT_REGION,
 * else the intent's (--config) Studio Region. */
static xd_rc probe_region(const cli_opts *o, char *out, size_t n, xd_err *e)
{
  const char *r = cli_cp_region(o, NULL);
  az_intent in;
  xd_rc rc;
  if(!r && o->config) {
    if((rc = cli_load_intent(o, NULL, &in, e)) != XD_OK)
      return rc;
    snprintf(out, n, "%s", in.studio.region ? in.studio.region : "");
    az_intent_free(&in);
    r = *out ? out : NULL;
  }
  if(r) {
    if(!cli_cp_region_ok(r))
      return xd_fail(e, XD_E_USAGE, "control plane: '%s' is not a Region "
                     "name (give --region, e.g. us-east-1)", r);
    if(r != out)
      snprintf(out, n, "%s", r);
    return XD_OK;
  }
  return xd_fail(e, XD_E_USAGE, "probe --control-plane: no Region (give "
                 "--region, set AWS_REGION, or a --config whose studio "
                 "names one)");
}

static int emit(const cli_opts *o, const cJSON *obs)
{
  xd_err e = {0};
  int rc;
  if(o->format_set && o->format == RP_JSON) {
    char *text = xd_json_print(obs, true);
    if(!text) {
      xd_fail(&e, XD_E_NOMEM, "out of memory");
      return cli_error(&e);
    }
    rc = cli_write_output(o, text, strlen(text));
    free(text);
    return rc;
  }
  else {
    xd_buf out;
    rp_options ro = {0};
    ro.color = cli_want_color(o);
    xd_buf_init(&out);
    if(rp_render_obs_text(obs, &ro, &out, &e) != XD_OK) {
      xd_buf_free(&out);
      return cli_error(&e);
    }
    rc = cli_write_output(o, xd_buf_str(&out), out.len);
    xd_buf_free(&out);
    return rc;
  }
}

int cli_cmd_probe(const cli_opts *o)
{
  int *ports = NULL;
  size_t n_ports = 0;
  pr_plan plan;
  char region[64] = "";
  cJSON *obs = NULL;
  pr_capture *cap = NULL;
  xd_err e = {0};
  xd_rc rc;
  int ret = CLI_EXIT_UNKNOWN;

  if(check_usage(o, &e) != XD_OK ||
     cli_privileged_start(o, o->n_targets > 0, &cap, &e) != XD_OK) {
    ret = cli_error(&e);
    goto done;
  }
  if(xd_portlist_parse(o->ports ? o->ports : PROBE_DEFAULT_PORTS, &ports,
                       &n_ports, &e) != XD_OK) {
    xd_err_prefix(&e, "--port: ");
    ret = cli_error(&e);
    goto done;
  }
  cli_plan_defaults(o, &plan);
  plan.targets = (const char *const *)o->targets;
  plan.n_targets = o->n_targets;
  plan.ports = ports;
  plan.n_ports = n_ports;

  obs = pr_obs_new(o->side ? o->side : "studio");
  if(!obs) {
    xd_fail(&e, XD_E_NOMEM, "out of memory");
    ret = cli_error(&e);
    goto done;
  }
  /* a wrong Region fails before any packet is sent */
  if(o->control_plane &&
     probe_region(o, region, sizeof(region), &e) != XD_OK) {
    ret = cli_error(&e);
    goto done;
  }
  rc = XD_OK;
  if(o->n_targets)
    rc = cli_probe_run(o, &plan, &cap, obs, &e);
  if(o->control_plane && rc == XD_OK)
    rc = cli_cp_probe(o, region, obs, &e);
  if(rc != XD_OK && rc != XD_E_TIMEOUT && rc != XD_E_INTERRUPTED) {
    ret = cli_error(&e);
    goto done;
  }
  if(rc != XD_OK)
    xd_log_error("%s", e.msg);
  ret = emit(o, obs);
  if(ret == CLI_EXIT_OK)
    ret = rc != XD_OK ? CLI_EXIT_UNKNOWN : pr_obs_status(obs);
done:
  pr_capture_close(cap);
  cJSON_Delete(obs);
  free(ports);
  return ret;
}
