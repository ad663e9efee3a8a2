/* The EMR cluster itself (state, Livy, Region) and the Studio domain's
 * network mode: faults that no path can show. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../common/buf.h"
#include "reach.h"
#include "remedy.h"

static bool has_app(const az_cluster *cl, const char *name)
{
  for(size_t i = 0; i < cl->n_apps; i++)
    if(cl->apps[i].name && !strcasecmp(cl->apps[i].name, name))
      return true;
  return false;
}

static void region_opt(xd_buf *b, const char *region)
{
  if(region)
    xd_buf_printf(b, " --region %s", region);
}

static void livy_missing(az_ctx *c, const az_cluster *cl)
{
  xd_buf b;
  az_issue *is = az_issue_get(c, "LIVY_NOT_INSTALLED", XD_SEV_CRITICAL, cl->id,
                              cl->account, cl->region);
  xd_buf_init(&b);
  az_issue_message(c, is,
                   "Cluster %s (%s) does not run Livy, which Spark notebooks "
                   "connect to; applications can not be added to a running "
                   "cluster, so launch one with Livy.",
                   cl->id, cl->name ? cl->name : "unnamed");
  for(size_t i = 0; i < cl->n_apps; i++)
    az_issue_evidence(c, is, "application %s %s", cl->apps[i].name,
                      cl->apps[i].version ? cl->apps[i].version : "");
  if(!cl->n_apps)
    az_issue_evidence(c, is, "Applications is empty");
  xd_buf_puts(&b, "aws emr create-cluster --name ");
  az_sh_quote(&b, cl->name ? cl->name : cl->id);
  if(cl->release_label)
    xd_buf_printf(&b, " --release-label %s", cl->release_label);
  xd_buf_puts(&b, " --applications Name=Spark Name=Livy");
  for(size_t i = 0; i < cl->n_apps; i++)
    if(cl->apps[i].name && strcasecmp(cl->apps[i].name, "Spark"))
      xd_buf_printf(&b, " Name=%s", cl->apps[i].name);
  xd_buf_puts(&b, " --instance-type m5.xlarge --instance-count 3 "
                  "--use-default-roles");
  if(cl->subnet_id || cl->master_sg) {
    xd_buf_puts(&b, " --ec2-attributes ");
    {
      xd_buf at;
      xd_buf_init(&at);
      if(cl->subnet_id)
        xd_buf_printf(&at, "SubnetId=%s", cl->subnet_id);
      if(cl->n_additional_master_sgs)
        xd_buf_printf(&at, "%sAdditionalMasterSecurityGroups=%s",
                      at.len ? "," : "", cl->additional_master_sgs[0]);
      az_sh_quote(&b, xd_buf_str(&at));
      xd_buf_free(&at);
    }
  }
  if(cl->security_configuration) {
    xd_buf_puts(&b, " --security-configuration ");
    az_sh_quote(&b, cl->security_configuration);
  }
  region_opt(&b, cl->region);
  az_issue_remedy(c, is, xd_buf_str(&b));
  xd_buf_free(&b);
}

static void public_only(az_ctx *c, const az_cluster *cl)
{
  const az_domain *d = c->studio.domain;
  const az_emr_instance *pn = az_primary_node(cl);
  bool public = pn && pn->public_ip && *pn->public_ip;
  xd_buf b;
  az_issue *is;
  if(!d || !d->app_network_access_type ||
     strcmp(d->app_network_access_type, "PublicInternetOnly"))
    return;
  is = az_issue_get(c, "STUDIO_PUBLIC_INTERNET_ONLY",
                    public ? XD_SEV_WARNING : XD_SEV_CRITICAL, d->id,
                    d->account, d->region);
  az_issue_message(c, is,
                   "Studio domain %s uses AppNetworkAccessType "
                   "PublicInternetOnly: its traffic leaves through a "
                   "SageMaker-managed VPC, not %s, so it never crosses the "
                   "peering to a private EMR subnet.",
                   d->id, d->vpc_id ? d->vpc_id : "the domain's VPC");
  az_issue_evidence(c, is, "%s AppNetworkAccessType = PublicInternetOnly", d->id);
  az_issue_evidence(c, is, "%s primary node %s has %s", cl->id,
                    pn && pn->private_ip ? pn->private_ip : "(unknown)",
                    public ? az_strf(c, "public address %s", pn->public_ip)
                           : "no public address");
  xd_buf_init(&b);
  xd_buf_printf(&b,
                "aws sagemaker update-domain --domain-id %s "
                "--app-network-access-type VpcOnly",
                d->id);
  region_opt(&b, d->region);
  az_issue_remedy(c, is, xd_buf_str(&b));
  xd_buf_free(&b);
}

bool az_cluster_check(az_ctx *c, const az_cluster *cl)
{
  const char *st = cl->state;
  bool up = st && (!strcmp(st, "WAITING") || !strcmp(st, "RUNNING"));
  xd_buf b;
  az_issue *is;
  xd_buf_init(&b);
  if(cl->region && c->studio.region && strcmp(cl->region, c->studio.region)) {
    is = az_issue_get(c, "REGION_MISMATCH", XD_SEV_CRITICAL, cl->id,
                      cl->account, cl->region);
    az_issue_message(c, is,
                     "Cluster %s is in %s but Studio is in %s: Studio lists "
                     "and connects to clusters of its own Region only.",
                     cl->id, cl->region, c->studio.region);
    az_issue_evidence(c, is, "cluster Region %s, Studio Region %s", cl->region,
                      c->studio.region);
    xd_buf_printf(&b, "aws emr list-clusters --active --region %s",
                  c->studio.region);
    az_issue_remedy(c, is, xd_buf_str(&b));
    xd_buf_reset(&b);
  }
  if(st && !up) {
    bool starting = !strcmp(st, "STARTING") || !strcmp(st, "BOOTSTRAPPING");
    is = az_issue_get(c, starting ? "CLUSTER_STARTING" : "CLUSTER_NOT_RUNNING",
                      starting ? XD_SEV_WARNING : XD_SEV_CRITICAL, cl->id,
                      cl->account, cl->region);
    if(starting)
      az_issue_message(c, is,
                       "Cluster %s is %s: Studio can connect once it is "
                       "WAITING or RUNNING.",
                       cl->id, st);
    else
      az_issue_message(c, is,
                       "Cluster %s is %s: there is no primary node to "
                       "connect to; point Studio at a running cluster.",
                       cl->id, st);
    az_issue_evidence(c, is, "Status.State = %s%s%s", st,
                      cl->state_reason ? ": " : "",
                      cl->state_reason ? cl->state_reason : "");
    xd_buf_printf(&b, "aws emr %s",
                  starting ? "wait cluster-running --cluster-id "
                           : "list-clusters --active");
    if(starting)
      xd_buf_puts(&b, cl->id);
    region_opt(&b, cl->region);
    az_issue_remedy(c, is, xd_buf_str(&b));
    xd_buf_free(&b);
    return false;
  }
  xd_buf_free(&b);
  if(!has_app(cl, "Livy"))
    livy_missing(c, cl);
  public_only(c, cl);
  if(up && cl->instances_known && !az_primary_node(cl)) {
    is = az_issue_get(c, "PRIMARY_NODE_NOT_FOUND", XD_SEV_WARNING, cl->id,
                      cl->account, cl->region);
    az_issue_message(c, is,
                     "No instance of cluster %s carries its "
                     "MasterPublicDnsName %s, so the primary node's address "
                     "is not known.",
                     cl->id, cl->master_public_dns ? cl->master_public_dns : "(none)");
    az_issue_evidence(c, is, "%zu instances in emr-list-instances--%s.json",
                      cl->n_instances, cl->id);
    xd_buf_init(&b);
    xd_buf_printf(&b, "aws emr list-instances --cluster-id %s "
                      "--instance-group-types MASTER", cl->id);
    region_opt(&b, cl->region);
    az_issue_remedy(c, is, xd_buf_str(&b));
    xd_buf_free(&b);
  }
  return true;
}

void az_studio_check(az_ctx *c)
{
  az_issue *is;
  if(c->studio.account && (c->studio.vpc_id || c->studio.n_subnet_ids))
    return;
  is = az_issue_get(c, "STUDIO_SIDE_UNKNOWN", XD_SEV_INFO,
                    c->studio.account ? c->studio.account : "studio",
                    c->studio.account, c->studio.region);
  az_issue_message(c, is,
                   "The Studio side is not known (no SageMaker domain in the "
                   "snapshot and no studio section in the intent): no path "
                   "can be evaluated.");
  az_issue_evidence(c, is, "%zu SageMaker domains in the snapshot",
                    c->m->n_domains);
}
