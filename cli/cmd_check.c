/* `check`: the whole diagnosis from the side it runs on, under one
 * --timeout deadline:
 *   1. the intent (--config, or the snapshot's xacct-doctor.json);
 *   2. the configuration: --snapshot DIR, or a live fetch into a temporary
 *      snapshot folder (the same files `fetch` writes);
 *   3. a probe plan from the model: every primary node's name and private
 *      address, every port the analysis tests, the Studio client's
 *      pre-check;
 *   0. the capture handle opened (the one privileged step), then root and
 *      every capability given up before anything else is read;
 *   4. probes and capture;
 *   5. analysis of the model with these observations and any given with
 *      --observations (the EMR side's `listen`);
 *   6. the report.
 * An interrupt or the deadline ends the run early with what it has: the
 * result is marked incomplete (status unknown, exit 3). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../analyzer/analyze.h"
#include "../analyzer/plan.h"
#include "../analyzer/snapshot.h"
#include "../analyzer/studio/metadata.h"
#include "../common/fileio.h"
#include "../common/jsonutil.h"
#include "../common/log.h"
#include "../common/observations.h"
#include "../common/portlist.h"
#include "controlplane.h"
#include "cron.h"
#include "progress.h"
#include "run.h"
#include "cp_async.h"
#include "studio_auto.h"

typedef struct {
  az_model m;
  bool model_ok;
  az_intent in;
  bool intent_ok;
  char tmpdir[PATH_MAX];   /* a live fetch's temporary folder, or "" */
  const char *snapshot;    /* the folder the model came from */
  az_probe_target *targets;
  size_t n_targets;
  cJSON **obs;
  size_t n_obs;
  xd_result *r;
  cli_cron *cron;
  pr_capture *cap;         /* opened before anything is read, or NULL */
} check_run;

static xd_rc get_model(const cli_opts *o, check_run *cr, xd_err *e)
{
  xd_rc rc;
  if(o->snapshot) {
    cr->snapshot = o->snapshot;
  }
  else {
    aws_fetch_stats st;
    const char *tmp = getenv("TMPDIR");
    char base[PATH_MAX + 16];
    snprintf(cr->tmpdir, sizeof(cr->tmpdir), "%s/xacct-doctor-check-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if(!mkdtemp(cr->tmpdir)) {
      cr->tmpdir[0] = '\0';
      return xd_fail(e, XD_E_IO, "cannot create a temporary folder for the "
                     "live fetch in %s", tmp && *tmp ? tmp : "/tmp");
    }
    snprintf(base, sizeof(base), "%s/snapshot", cr->tmpdir);
    xd_log_info("check: fetching the configuration of every account "
                "(no --snapshot given)");
    memset(&st, 0, sizeof(st));
    rc = cli_fetch_into(o, &cr->in, o->config, base, &st, e);
    if(rc != XD_OK) {
      xd_err_prefix(e, "live fetch: ");
      return rc;
    }
    if(st.failed)
      xd_log_warn("check: %lu AWS call%s failed; what they would have told "
                  "is reported as not known", st.failed,
                  st.failed == 1 ? "" : "s");
    cr->snapshot = NULL;
    rc = az_snapshot_load(base, &cr->m, e);
    if(rc == XD_OK)
      cr->model_ok = true;
    return rc;
  }
  rc = az_snapshot_load(cr->snapshot, &cr->m, e);
  if(rc == XD_OK)
    cr->model_ok = true;
  return rc;
}

/* Every name and address the plan will probe, with the ports. */
static xd_rc build_plan(const cli_opts *o, check_run *cr, pr_plan *p,
                        const char ***targets, int **ports, size_t *n_ports,
                        xd_err *e)
{
  size_t n = 0, cap = o->n_targets + cr->n_targets * 2 + 1;
  const char **t = calloc(cap, sizeof(*t));
  xd_rc rc;
  *targets = t;
  if(!t)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  memset(p, 0, sizeof(*p));
  if(o->ports) {
    if((rc = xd_portlist_parse(o->ports, ports, n_ports, e)) != XD_OK) {
      xd_err_prefix(e, "--port: ");
      return rc;
    }
  }
  else {
    /* the union of the planned targets' ports, in order */
    int *v = calloc(AZ_PLAN_MAX_PORTS * (cr->n_targets + 1), sizeof(int));
    size_t k = 0;
    if(!v)
      return xd_fail(e, XD_E_NOMEM, "out of memory");
    for(size_t i = 0; i < cr->n_targets; i++)
      for(size_t j = 0; j < cr->targets[i].n_ports; j++) {
        bool dup = false;
        for(size_t x = 0; x < k; x++)
          dup |= v[x] == cr->targets[i].ports[j];
        if(!dup)
          v[k++] = cr->targets[i].ports[j];
      }
    *ports = v;
    *n_ports = k;
  }
  for(size_t i = 0; i < o->n_targets; i++)
    t[n++] = o->targets[i];
  if(!o->n_targets) {
    /* the name the client looks up, and the private address the paths
     * are judged on (so the packets can be set against them even when
     * DNS answers wrongly) */
    for(size_t i = 0; i < cr->n_targets; i++) {
      if(cr->targets[i].name)
        t[n++] = cr->targets[i].name;
      if(cr->targets[i].private_ip)
        t[n++] = cr->targets[i].private_ip;
    }
  }
  p->targets = t;
  p->n_targets = n;
  p->ports = *ports;
  p->n_ports = *n_ports;
  p->dns_server = o->dns_server;
  p->timeout_ms = o->timeout_ms;
  p->identify_ms = o->identify_ms;
  p->concurrency = o->concurrency;
  p->deadline = &o->deadline;
  p->interrupted = cli_interrupted;
  if(cr->n_targets) {
    const az_probe_target *x = &cr->targets[0];
    p->expect_name = x->name;
    p->expect_private_ip = x->private_ip;
    p->expect_public_ip = x->public_ip;
    p->precheck_private_dns = x->private_dns ? x->private_dns : x->name;
    p->precheck_public_dns = x->public_dns;
    p->precheck_port = x->livy_port;
  }
  return XD_OK;
}

static xd_rc run_probes(const cli_opts *o, check_run *cr, xd_err *e)
{
  pr_plan plan;
  const char **targets = NULL;
  int *ports = NULL;
  size_t n_ports = 0;
  cJSON *obs = NULL;
  xd_rc rc;

  if((rc = az_plan_probes(&cr->m, &cr->in, &cr->targets, &cr->n_targets,
                          e)) != XD_OK ||
     (rc = build_plan(o, cr, &plan, &targets, &ports, &n_ports, e)) != XD_OK)
    goto done;
  if(!plan.n_targets || !plan.n_ports) {
    xd_log_warn("check: the configuration names no primary node to probe; "
                "the diagnosis rests on the configuration alone");
    goto done;
  }
  obs = pr_obs_new("studio");
  if(!obs) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  rc = cli_probe_run(o, &plan, &cr->cap, obs, e);
  if(rc == XD_OK || rc == XD_E_TIMEOUT || rc == XD_E_INTERRUPTED) {
    cr->obs[cr->n_obs++] = obs;
    obs = NULL;
  }
done:
  cJSON_Delete(obs);
  free(targets);
  free(ports);
  return rc;
}

static void run_free(check_run *cr)
{
  for(size_t i = 0; i < cr->n_obs; i++)
    cJSON_Delete(cr->obs[i]);
  free(cr->obs);
  az_plan_free(cr->targets, cr->n_targets);
  xd_result_free(cr->r);
  pr_capture_close(cr->cap);
  if(cr->intent_ok)
    az_intent_free(&cr->in);
  if(cr->model_ok)
    az_model_free(&cr->m);
  if(cr->tmpdir[0])
    xd_remove_tree(cr->tmpdir);
}

/* Inside a Studio space the app's metadata file says who and where it is:
 * with no --config, it is the intent (--studio-metadata FILE, else
 * SageMaker's own file when there). A file that is there but unusable is
 * an error naming it, and --config the way out. *got says an intent was
 * read. */
static xd_rc studio_intent(const cli_opts *o, az_intent *in, bool *got,
                           xd_err *e)
{
  const char *path = o->studio_metadata;
  const char *env_region = getenv("AWS_REGION");
  xd_rc rc;
  *got = false;
  if(o->config)
    return XD_OK;
  if(!path) {
    char snap_intent[4096];
    if(o->snapshot) {
      snprintf(snap_intent, sizeof(snap_intent), "%s/xacct-doctor.json",
               o->snapshot);
      if(xd_is_file(snap_intent))
        return XD_OK; /* the snapshot's own intent */
    }
    if(!xd_is_file(AZ_STUDIO_METADATA_PATH))
      return cli_studio_no_metadata(AZ_STUDIO_METADATA_PATH, e);
    path = AZ_STUDIO_METADATA_PATH;
  }
  if(!env_region)
    env_region = getenv("AWS_DEFAULT_REGION");
  rc = az_intent_from_metadata(path, env_region ? env_region : "", in, e);
  if(rc != XD_OK) {
    xd_err_prefix(e, "the Studio metadata is not usable (give the intent "
                     "with --config FILE instead): ");
    return rc;
  }
  *got = true;
  xd_log_info("check: diagnosing %s %s of domain %s (from %s)",
              in->studio.space ? "space" : "user profile",
              in->studio.space ? in->studio.space : in->studio.user_profile,
              in->studio.domain_id, path);
  return XD_OK;
}

int cli_cmd_check(const cli_opts *o)
{
  check_run cr;
  cli_cp_async cpa;
  xd_err e = {0};
  xd_rc rc = XD_OK;
  int ret = CLI_EXIT_UNKNOWN;
  bool in_studio;
  cJSON *meta;

  memset(&cr, 0, sizeof(cr));
  memset(&cpa, 0, sizeof(cpa));
  cli_progress_init(o->quiet);
  if(cli_cron_begin(o, &cr.cron) != CLI_EXIT_OK)
    return CLI_EXIT_UNKNOWN;
  cr.obs = calloc(2 * o->n_observations + 3, sizeof(*cr.obs));
  cr.r = xd_result_new();
  if(!cr.obs || !cr.r) {
    xd_fail(&e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  /* the capture handle is the only privileged step: open it, give up
   * root, and only then read the customer's files and the network */
  if(cli_privileged_start(o, !o->no_probe, &cr.cap, &e) != XD_OK)
    goto done;
  /* outside input next, so a typo fails before any packet is sent */
  for(size_t i = 0; i < o->n_observations; i++)
    if(cli_load_observations(o->observations[i], cr.obs, &cr.n_obs, &e) !=
       XD_OK)
      goto done;
  if(studio_intent(o, &cr.in, &cr.intent_ok, &e) != XD_OK)
    goto done;
  in_studio = cr.intent_ok;
  if(!cr.intent_ok && cli_load_intent(o, o->snapshot, &cr.in, &e) != XD_OK)
    goto done;
  cr.intent_ok = true;
  /* a live fetch waits on AWS's round trips: the control plane's probes
   * need only the Region, so they run meanwhile */
  if(!o->snapshot && !o->no_probe && !o->no_control_plane)
    cli_cp_async_start(&cpa, o, cr.in.studio.region);
  cli_progress(o->snapshot ? "loading the snapshot"
                            : "fetching the configuration from AWS");
  if(get_model(o, &cr, &e) != XD_OK)
    goto done;
  /* inside Studio: this host's own address is the one diagnosed */
  if(in_studio && !o->no_probe &&
     cli_studio_source(&cr.m, &cr.in, &e) != XD_OK)
    goto done;
  meta = xd_result_meta(cr.r);
  if(cli_capture_off())
    cJSON_AddStringToObject(meta, "capture_off", cli_capture_off());
  cJSON_AddStringToObject(meta, "command", "check");
  cJSON_AddStringToObject(meta, "side", "studio");
  cJSON_AddStringToObject(meta, "source", o->snapshot ? "snapshot"
                                                      : "live fetch");
  if(!o->no_probe && !cli_interrupted()) {
    cli_progress("probing the primary nodes");
    rc = run_probes(o, &cr, &e);
    if(cpa.o) {
      xd_err ce = {0};
      xd_rc crc = cli_cp_async_join(&cpa, cr.obs, &cr.n_obs, &ce);
      if(rc == XD_OK && crc != XD_OK) {
        rc = crc;
        e = ce;
      }
    }
    else if(rc == XD_OK && !o->no_control_plane && !cli_interrupted())
      rc = cli_cp_check(o, cr.in.studio.region, cr.obs, &cr.n_obs, &e);
    if(rc == XD_E_TIMEOUT || rc == XD_E_INTERRUPTED) {
      xd_log_error("%s", e.msg);
      xd_result_set_incomplete(cr.r, e.msg);
      e.msg[0] = '\0';
    }
    else if(rc != XD_OK)
      goto done;
  }
  cli_progress("analyzing");
  if(az_analyze(&cr.m, &cr.in, cr.obs, cr.n_obs, cr.r, &e) != XD_OK)
    goto done;
  cli_progress_done();
  if(cr.tmpdir[0])
    cJSON_ReplaceItemInObjectCaseSensitive(xd_result_meta(cr.r), "snapshot",
                                           cJSON_CreateString("live fetch"));
  for(size_t i = 0; i < cr.n_obs; i++) {
    const char *side = xd_json_str(cr.obs[i], "side");
    xd_result_add_observations(cr.r, side ? side : "unknown", cr.obs[i]);
    cr.obs[i] = NULL;
  }
  if(cli_interrupted())
    xd_result_set_incomplete(cr.r, "interrupted by a signal");
  else if(xd_deadline_passed(&o->deadline))
    xd_result_set_incomplete(cr.r, "the --timeout deadline passed");
  xd_result_finish(cr.r);
  cli_cron_annotate(o, cr.r);
  ret = cli_emit_result(o, cr.r);
done:
  if(cpa.o) { /* the run ended before the probes were wanted */
    xd_err ce = {0};
    cli_cp_async_join(&cpa, NULL, NULL, &ce);
  }
  cli_progress_done();
  if(ret == CLI_EXIT_UNKNOWN && e.msg[0])
    cli_error(&e);
  cli_cron_end(cr.cron, o, ret == CLI_EXIT_UNKNOWN && e.msg[0] ? NULL : cr.r);
  run_free(&cr);
  return ret;
}
