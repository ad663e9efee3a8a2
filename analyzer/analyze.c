/* The analysis from the configuration: the Studio side, each selected EMR
 * cluster, the peering between their VPCs, DNS, IAM, and every path from
 * each Studio end to each primary node on each port. See reach.h for how
 * the files share the work. */
#include "analyze.h"
#include "controlplane/crosscheck.h"
#include "crosscheck.h"

#include <stdlib.h>
#include <string.h>

#include "../common/timeutil.h"
#include "controlplane/controlplane.h"
#include "findings/verdict.h"
#include "paths/subnets.h"
#include "reach.h"

static void ctx_free(az_ctx *c)
{
  az_index_free(&c->ix);
  az_hmap_free(&c->issue_ix);
  free(c->issues);
  xd_arena_free(&c->a);
}

static xd_rc per_cluster(az_ctx *c, const az_cluster *cl,
                         const az_endpoint *srcs, size_t n_src)
{
  az_endpoint dst;
  char why[512];
  cJSON *dns = NULL;
  xd_rc rc = XD_OK;
  az_iam_check_cluster(c, cl);
  if(!az_cluster_check(c, cl))
    return XD_OK; /* no primary node: the cluster finding says it all */
  if(!az_cluster_endpoint(c, cl, &dst, why, sizeof(why))) {
    if(!c->nomem)
      az_cluster_not_seen(c, cl, why);
    return c->nomem ? XD_E_NOMEM : XD_OK;
  }
  if(!n_src)  /* nothing to start a path from: not seen, not OK */
    az_cluster_not_seen(c, cl, "no Studio end is known (no SageMaker "
                        "domain with subnets or interfaces in the snapshot, "
                        "no studio section in the intent)");
  for(size_t i = 0; i < n_src && rc == XD_OK; i++) {
    az_pair p;
    az_endpoint d = dst;
    az_pair_peer_vpc(c, &srcs[i], &d);
    az_pair_resolve(c, &srcs[i], &d, &p);
    az_pair_report(c, &srcs[i], &d, &p);
    /* DNS is a property of the two VPCs, not of the source address */
    if(i == 0)
      dns = az_dns_check(c, cl, &d, &p);
    rc = az_eval_paths(c, &srcs[i], &d, cl, &p, dns);
  }
  if(rc == XD_OK)
    az_subnets_report(c, cl);
  cJSON_Delete(dns);
  return rc;
}

xd_rc az_analyze(const az_model *m, const az_intent *intent,
                 cJSON *const *obs, size_t n_obs, xd_result *r, xd_err *e)
{
  az_ctx c;
  az_endpoint *srcs = NULL;
  size_t n_src = 0, n_cl = 0;
  const az_cluster **cls = NULL;
  double t0 = xd_now_ms();
  cJSON *meta;
  xd_rc rc = az_summarize(m, r, e);
  if(rc != XD_OK)
    return rc;
  memset(&c, 0, sizeof(c));
  c.m = m;
  c.in = intent;
  c.r = r;
  xd_arena_init(&c.a);
  if((rc = az_index_build(&c.ix, m, e)) != XD_OK) {
    xd_arena_free(&c.a);
    return rc;
  }
  meta = xd_result_meta(r);
  cJSON_DeleteItemFromObjectCaseSensitive(meta, "dns");
  c.meta_dns = cJSON_AddArrayToObject(meta, "dns");
  if((rc = az_studio_resolve(&c)) != XD_OK ||
     (rc = az_studio_sources(&c, &srcs, &n_src)) != XD_OK ||
     (rc = az_clusters_selected(&c, &cls, &n_cl)) != XD_OK)
    goto done;
  az_studio_check(&c);
  az_identity_check(&c);
  az_studio_source_check(&c);
  az_rolefile_check(&c);
  az_refusals_check(&c);
  for(size_t i = 0; i < n_cl && rc == XD_OK; i++)
    rc = per_cluster(&c, cls[i], srcs, n_src);
  /* the control plane (STS, EMR APIs) after the Livy paths, beside them */
  if(rc == XD_OK)
    rc = az_controlplane_paths(&c, srcs, n_src, cls, n_cl);
  if(rc != XD_OK)
    goto done;
  if(!n_cl && !m->n_clusters) {
    az_issue *is = az_issue_get(&c, "NO_EMR_CLUSTER", XD_SEV_WARNING, "emr",
                                NULL, NULL);
    az_issue_message(&c, is,
                     "The snapshot holds no EMR cluster: there is nothing "
                     "for Studio to connect to.");
    az_issue_evidence(&c, is, "no emr-describe-cluster--*.json in any account");
  }
  /* Observations (issue 6): analyzer/crosscheck.c compares what probes and
   * captures saw with the paths above; it reads the paths from r and adds
   * its own findings. It is called once the configuration's findings are
   * written, so that it can add the packets' evidence to them. */
  rc = az_issues_flush(&c, e);
  if(rc == XD_OK)
    rc = az_crosscheck(m, obs, n_obs, r, e);
  if(rc == XD_OK)
    rc = az_cp_crosscheck(m, c.studio.vpc, c.studio.account, obs, n_obs, r,
                          e);
  /* last, so that it sees what the packets settled */
  if(rc == XD_OK)
    rc = az_verdict_check(r, e);
  if(rc == XD_OK)
    az_notebook_say(&c, cls, n_cl);
done:
  if(rc != XD_OK && !e->msg[0])
    xd_fail(e, rc, "out of memory during the analysis");
  cJSON_AddNumberToObject(meta, "analysis_ms", xd_now_ms() - t0);
  ctx_free(&c);
  return rc;
}
