#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "reach.h"

static char *dup_or_null(const char *s)
{
  return s ? strdup(s) : NULL;
}

void az_plan_free(az_probe_target *t, size_t n)
{
  for(size_t i = 0; t && i < n; i++) {
    free(t[i].cluster_id);
    free(t[i].account);
    free(t[i].name);
    free(t[i].private_dns);
    free(t[i].private_ip);
    free(t[i].public_dns);
    free(t[i].public_ip);
  }
  free(t);
}

xd_rc az_plan_probes(const az_model *m, const az_intent *intent,
                     az_probe_target **out, size_t *n, xd_err *e)
{
  az_ctx c;
  const az_cluster **cls = NULL;
  size_t n_cl = 0, k = 0;
  az_probe_target *t = NULL;
  xd_result *scratch = xd_result_new();   /* selection may note issues */
  xd_rc rc = XD_OK;

  *out = NULL;
  *n = 0;
  memset(&c, 0, sizeof(c));
  xd_arena_init(&c.a);
  if(!scratch) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  c.m = m;
  c.in = intent;
  c.r = scratch;
  if((rc = az_index_build(&c.ix, m, e)) != XD_OK)
    goto done;
  if((rc = az_clusters_selected(&c, &cls, &n_cl)) != XD_OK) {
    xd_fail(e, rc, "out of memory");
    goto done;
  }
  t = calloc(n_cl + 1, sizeof(*t));
  if(!t) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  for(size_t i = 0; i < n_cl; i++) {
    const az_cluster *cl = cls[i];
    const az_emr_instance *pn = az_primary_node(cl);
    const char *svc[AZ_PLAN_MAX_PORTS];
    az_probe_target *x = &t[k];
    if(!pn)
      continue;
    x->cluster_id = dup_or_null(cl->id);
    x->account = dup_or_null(cl->account);
    x->name = dup_or_null(cl->master_public_dns);
    x->private_dns = dup_or_null(pn->private_dns);
    x->private_ip = dup_or_null(pn->private_ip);
    x->public_dns = dup_or_null(pn->public_dns);
    x->public_ip = dup_or_null(pn->public_ip);
    x->n_ports = az_cluster_ports(&c, cl, x->ports, svc, AZ_PLAN_MAX_PORTS);
    x->livy_port = az_livy_port(cl);
    k++;
    if((cl->id && !x->cluster_id) || (pn->private_ip && !x->private_ip)) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      goto done;
    }
  }
  *out = t;
  *n = k;
  t = NULL;
done:
  az_plan_free(t, k);
  az_index_free(&c.ix);
  az_hmap_free(&c.issue_ix);
  free(c.issues);
  xd_arena_free(&c.a);
  xd_result_free(scratch);
  return rc;
}
