/* The primary node's security groups. EMR attaches the groups it lists to
 * the primary node's network interface when it launches it, but anyone may
 * change the interface's groups afterwards, and AWS filters by what the
 * interface carries: so the ENI's Groups are the truth (as on Studio's
 * side), and a difference from the cluster's own list is worth saying,
 * since EMR's console and API keep showing the old list. */
#include <string.h>

#include "../../common/buf.h"
#include "../findings/cmdline.h"
#include "eni_groups.h"

static bool listed(const char *const *v, size_t n, const char *id)
{
  for(size_t i = 0; i < n; i++)
    if(v[i] && id && !strcmp(v[i], id))
      return true;
  return false;
}

static void join(xd_buf *b, const char *const *v, size_t n)
{
  for(size_t i = 0; i < n; i++)
    xd_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
  if(!n)
    xd_buf_puts(b, "none");
}

static void report(az_ctx *c, const az_cluster *cl, const az_eni *eni,
                   const char *const *meant, size_t n_meant)
{
  const char *const *has = (const char *const *)eni->group_ids;
  size_t n_has = eni->n_group_ids;
  az_issue *is = az_issue_get(c, "EMR_MASTER_ENI_GROUPS_DIFFER",
                              XD_SEV_WARNING, eni->id, cl->account,
                              cl->region);
  xd_buf b;
  if(!is)
    return;
  xd_buf_init(&b);
  az_issue_message(c, is,
                   "The primary node's network interface %s carries other "
                   "security groups than cluster %s lists; AWS filters by "
                   "the interface's, so they are the ones evaluated.",
                   eni->id, cl->id);
  join(&b, has, n_has);
  az_issue_evidence(c, is, "%s Groups: %s", eni->id, xd_buf_str(&b));
  xd_buf_reset(&b);
  join(&b, meant, n_meant);
  az_issue_evidence(c, is, "%s EmrManagedMasterSecurityGroup + "
                           "AdditionalMasterSecurityGroups: %s",
                    cl->id, xd_buf_str(&b));
  for(size_t i = 0; i < n_has; i++)
    if(!listed(meant, n_meant, has[i]))
      az_issue_evidence(c, is, "%s is on the interface only", has[i]);
  for(size_t i = 0; i < n_meant; i++)
    if(!listed(has, n_has, meant[i]))
      az_issue_evidence(c, is, "%s is listed by the cluster but not on the "
                               "interface", meant[i]);
  /* what EMR meant, so its own view and the node agree again */
  xd_buf_free(&b);
  if(n_meant) {
    az_cmd fix;
    az_cmd_init(&fix);
    az_cmd_args(&fix, "aws", "ec2", "modify-network-interface-attribute",
                "--network-interface-id", NULL);
    az_cmd_id(&fix, AZ_ID_ENI, eni->id);
    az_cmd_arg(&fix, "--groups");
    for(size_t i = 0; i < n_meant; i++)
      az_cmd_id(&fix, AZ_ID_SG, meant[i]);
    az_cmd_region(&fix, cl->region);
    az_issue_remedy(c, is, &fix);
    az_cmd_free(&fix);
  }
}

const char **az_primary_groups(az_ctx *c, const az_cluster *cl,
                               const az_eni *eni, size_t *n)
{
  size_t k = 0;
  bool differ;
  const char **g = xd_arena_calloc(&c->a, cl->n_additional_master_sgs + 2,
                                   sizeof(*g));
  *n = 0;
  if(!g) {
    c->nomem = true;
    return NULL;
  }
  if(cl->master_sg)
    g[k++] = cl->master_sg;
  for(size_t i = 0; i < cl->n_additional_master_sgs; i++)
    if(!listed(g, k, cl->additional_master_sgs[i]))
      g[k++] = cl->additional_master_sgs[i];
  if(!eni || !eni->n_group_ids) {
    *n = k;
    return g;
  }
  differ = eni->n_group_ids != k;
  for(size_t i = 0; i < eni->n_group_ids && !differ; i++)
    differ = !listed(g, k, eni->group_ids[i]);
  if(differ && k)
    report(c, cl, eni, g, k);
  *n = eni->n_group_ids;
  return (const char **)eni->group_ids;
}
