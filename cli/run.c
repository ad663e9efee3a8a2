#include "run.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../analyzer/snapshot.h"
#include "../common/fileio.h"
#include "../common/jsonutil.h"
#include "progress.h"
#include "../common/observations.h"
#include "../common/result.h"
#include "../common/log.h"
#include "../probes/capture.h"
#include "studio_auto.h"

/* Late packets (a SYN-ACK after the probe gave up) still reach the
 * capture within this grace period. */
#define CAPTURE_GRACE_MS 300.0

/* The grace the capture needs once the probes are done: none when every
 * port answered (SYN-ACK, reset, ICMP, a local error), because a packet a
 * socket has seen is already in the capture's ring; CAPTURE_GRACE_MS when
 * a probe gave up waiting, for the answer that may still come. */
static double capture_grace(const cJSON *obs)
{
  const cJSON *it;
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(obs, "tcp")) {
    const char *reason = xd_json_str(it, "reason");
    if(!reason || !strcmp(reason, "no-response") || !strcmp(reason, "unknown"))
      return CAPTURE_GRACE_MS;
  }
  return 0;
}

/* Once root is dropped, the outputs must still be writable: say so before
 * probing (or listening) rather than after. */
xd_rc cli_check_writable(const char *what, const char *path, bool is_dir,
                         xd_err *e)
{
  char copy[PATH_MAX], probe[PATH_MAX + 32];
  const char *dir;
  int fd;
  if(!path || !strcmp(path, "-"))
    return XD_OK;
  if(strlen(path) >= sizeof(copy))
    return xd_fail(e, XD_E_USAGE, "%s: path too long", what);
  memcpy(copy, path, strlen(path) + 1);
  dir = is_dir && xd_is_dir(path) ? path : dirname(copy);
  snprintf(probe, sizeof(probe), "%s/.xacct-doctor-XXXXXX", dir);
  fd = mkstemp(probe);
  if(fd < 0)
    return xd_fail(e, XD_E_IO, "%s %s: the folder %s is not writable by "
                   "uid %lu, which this command runs as once it has dropped "
                   "its privileges; choose a folder that user can write, or "
                   "run as that user (with CAP_NET_RAW for the capture)",
                   what, path, dir, (unsigned long)geteuid());
  close(fd);
  unlink(probe);
  return XD_OK;
}

xd_rc cli_privileged_start(const cli_opts *o, bool want_capture,
                           pr_capture **cap, xd_err *e)
{
  xd_rc rc = XD_OK;
  *cap = NULL;
  if(want_capture && !o->no_capture && cli_capture_allowed()) {
    rc = pr_capture_open_early(o->interface, cap, e);
    if(rc == XD_E_PERM) {
      cli_capture_refused(e->msg); /* a note, once: not a fault */
      e->msg[0] = '\0';
      rc = XD_OK;
    }
    if(rc != XD_OK)
      goto done;
  }
  /* nothing else is privileged: not the customer's files, not DNS, TLS or
   * HTTP answers, not the AWS calls */
  if(pr_has_privilege() && (rc = pr_drop_privileges(e)) != XD_OK)
    goto done;
  if((rc = cli_check_writable("--output", o->output, false, e)) != XD_OK ||
     (rc = cli_check_writable("--history", o->history, true, e)) != XD_OK ||
     (*cap && o->pcap_out &&
      (rc = cli_check_writable("--pcap-out", o->pcap_out, false, e)) != XD_OK))
    goto done;
done:
  if(rc != XD_OK) {
    pr_capture_close(*cap);
    *cap = NULL;
  }
  return rc;
}

/* Aim the capture at the addresses about to be probed and open
 * --pcap-out. Without an address the capture is closed. */
static xd_rc aim_capture(const cli_opts *o, pr_session *s, const pr_plan *p,
                         pr_capture **cap, xd_err *e)
{
  xd_cidr *peers = NULL;
  size_t n_peers = 0;
  pr_capture_config cfg;
  xd_rc rc = pr_session_addresses(s, &peers, &n_peers, e);
  if(rc != XD_OK)
    return rc;
  if(!n_peers) {
    xd_log_info("probe: no address to capture for");
    free(peers);
    pr_capture_close(*cap);
    *cap = NULL;
    return XD_OK;
  }
  memset(&cfg, 0, sizeof(cfg));
  cfg.ports = p->ports;
  cfg.n_ports = p->n_ports;
  cfg.peers = peers;
  cfg.n_peers = n_peers;
  cfg.side = o->side ? o->side : "studio";
  rc = pr_capture_aim(*cap, &cfg, e);
  free(peers);
  if(rc == XD_OK && o->pcap_out)
    rc = pr_capture_write_to(*cap, o->pcap_out, e);
  return rc;
}

void cli_plan_defaults(const cli_opts *o, pr_plan *p)
{
  memset(p, 0, sizeof(*p));
  p->dns_server = o->dns_server;
  p->timeout_ms = o->timeout_ms;
  p->identify_ms = o->identify_ms;
  p->concurrency = o->concurrency;
  p->deadline = &o->deadline;
  p->interrupted = cli_interrupted;
}

xd_rc cli_probe_run(const cli_opts *o, const pr_plan *plan, pr_capture **cap,
                    cJSON *obs, xd_err *e)
{
  pr_session *s = NULL;
  xd_rc rc;

  if((rc = pr_session_new(plan, &s, e)) != XD_OK ||
     (rc = pr_session_resolve(s, e)) != XD_OK)
    goto done;
  if(*cap && ((rc = aim_capture(o, s, plan, cap, e)) != XD_OK ||
              (*cap && (rc = pr_capture_start(*cap, e)) != XD_OK)))
    goto done;
  xd_log_info("probe: %zu target%s, %zu port%s, %ld ms per probe%s",
              plan->n_targets, plan->n_targets == 1 ? "" : "s",
              plan->n_ports, plan->n_ports == 1 ? "" : "s",
              plan->timeout_ms > 0 ? plan->timeout_ms : PR_DEFAULT_TIMEOUT_MS,
              *cap ? ", capturing" : "");
  rc = pr_session_probe(s, obs, e);
  if(*cap) {
    xd_err ce = {0};
    pr_capture_stop(*cap, rc == XD_OK ? capture_grace(obs) : CAPTURE_GRACE_MS);
    if(pr_capture_flows(*cap, obs, &ce) != XD_OK)
      xd_log_warn("capture: %s", ce.msg);
  }
done:
  pr_session_free(s);
  return rc;
}

xd_rc cli_fetch_into(const cli_opts *o, const az_intent *in,
                     const char *intent_path, const char *out_dir,
                     aws_fetch_stats *st, xd_err *e)
{
  aws_options ao;
  aws_ctx *c = NULL;
  aws_fetch_plan plan;
  aws_fetch_emr *emr = NULL;
  aws_account_profile *aps = NULL;
  xd_rc rc;

  memset(&ao, 0, sizeof(ao));
  ao.region = o->region;
  ao.profile = o->profile;
  ao.endpoint_url = o->endpoint_url;
  ao.deadline = o->deadline;
  ao.interrupted = cli_interrupted;
  /* check's --concurrency bounds its probes; its fetch keeps the default */
  ao.concurrency = !strcmp(o->command, "fetch") ? o->concurrency : 0;
  ao.progress = cli_fetch_progress;
  if((rc = aws_ctx_new(&ao, &c, e)) != XD_OK)
    goto done;
  memset(&plan, 0, sizeof(plan));
  if(in && in->present) {
    plan.studio_account = in->studio.account;
    plan.studio_region = in->studio.region;
    plan.domain_id = in->studio.domain_id;
    plan.vpc_id = in->studio.vpc_id;
    plan.role_arns_file = in->studio.role_arns_file;
    plan.studio_profile = in->studio.profile;
    plan.user_profile = in->studio.user_profile;
    plan.space = in->studio.space;
    plan.intent_path = intent_path;
    if(in->n_emr) {
      emr = calloc(in->n_emr, sizeof(*emr));
      if(!emr) {
        rc = xd_fail(e, XD_E_NOMEM, "out of memory");
        goto done;
      }
      for(size_t i = 0; i < in->n_emr; i++) {
        emr[i].account = in->emr[i].account;
        emr[i].region = in->emr[i].region;
        emr[i].cluster_id = in->emr[i].cluster_id;
        emr[i].role_arn = in->emr[i].role_arn;
        emr[i].read_role_arn = in->emr[i].read_role_arn;
        emr[i].profile = in->emr[i].profile;
      }
      plan.emr = emr;
      plan.n_emr = in->n_emr;
    }
  }
  if(o->n_account_profiles) {
    aps = calloc(o->n_account_profiles, sizeof(*aps));
    if(!aps) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      goto done;
    }
    for(size_t i = 0; i < o->n_account_profiles; i++) {
      /* args.c checked the shape: 12 digits, '=', a name */
      snprintf(aps[i].account, sizeof(aps[i].account), "%.12s",
               o->account_profiles[i]);
      aps[i].profile = o->account_profiles[i] + 13;
    }
    plan.account_profiles = aps;
    plan.n_account_profiles = o->n_account_profiles;
  }
  rc = aws_fetch_snapshot(c, &plan, out_dir, st, e);
done:
  aws_ctx_free(c);
  free(emr);
  free(aps);
  return rc;
}

xd_rc cli_load_intent(const cli_opts *o, const char *snapshot, az_intent *in,
                      xd_err *e)
{
  char path[4096];
  xd_rc rc;
  memset(in, 0, sizeof(*in));
  if(o->config)
    return az_intent_load(o->config, in, e);
  if(!snapshot)
    return XD_OK;
  /* the same containment check as every other file of the snapshot:
   * check reads the intent before the snapshot itself */
  if((rc = az_snapshot_intent_path(snapshot, path, sizeof(path), e)) != XD_OK)
    return rc;
  if(path[0])
    return az_intent_load(path, in, e);
  return XD_OK;
}

xd_rc cli_load_observations(const char *path, cJSON **docs, size_t *n,
                            xd_err *e)
{
  cJSON *d = NULL, *sides, *it;
  const char *schema;
  xd_rc rc = xd_json_parse_file(path, &d, e);
  if(rc != XD_OK)
    return rc;
  schema = xd_json_str(d, "schema");
  if(!schema || strcmp(schema, XD_RESULT_SCHEMA)) {
    if((rc = xd_obs_check(d, path, e)) != XD_OK) {
      cJSON_Delete(d);
      return rc;
    }
    docs[(*n)++] = d;
    return XD_OK;
  }
  /* a saved result: its observations, one document per side */
  sides = (cJSON *)xd_json_object(d, "observations");
  if(cJSON_GetArraySize(sides) > 2) {
    rc = xd_fail(e, XD_E_PARSE, "%s: observations: a result holds at most "
                 "one document per side (studio, emr)", path);
    goto done;
  }
  cJSON_ArrayForEach(it, sides) {
    if((rc = xd_obs_check(it, path, e)) != XD_OK) {
      xd_err_prefix(e, "observations.%s: ", it->string);
      goto done;
    }
  }
  while(sides && sides->child)
    docs[(*n)++] = cJSON_DetachItemViaPointer(sides, sides->child);
done:
  cJSON_Delete(d);
  return rc;
}
