/* The EMR cluster itself (state, Livy, Region) and the Studio domain's
 * network mode: faults that no path can show. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../common/buf.h"
#include "dnsconf/dnsconf.h"
#include "reach.h"
#include "remedy.h"

static bool has_app(const az_cluster *cl, const char *name)
{
  for(size_t i = 0; i < cl->n_apps; i++)
    if(cl->apps[i].name && !strcasecmp(cl->apps[i].name, name))
      return true;
  return false;
}

static void livy_missing(az_ctx *c, const az_cluster *cl)
{
  az_cmd b;
  az_issue *is = az_issue_get(c, "LIVY_NOT_INSTALLED", XD_SEV_CRITICAL, cl->id,
                              cl->account, cl->region);
  az_cmd_init(&b);
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
  az_cmd_args(&b, "aws", "emr", "create-cluster", NULL);
  az_cmd_opt(&b, "--name", cl->name ? cl->name : cl->id);
  if(cl->release_label)
    az_cmd_opt(&b, "--release-label", cl->release_label);
  az_cmd_args(&b, "--applications", "Name=Spark", "Name=Livy", NULL);
  for(size_t i = 0; i < cl->n_apps; i++)
    if(cl->apps[i].name && strcasecmp(cl->apps[i].name, "Spark") &&
       strcasecmp(cl->apps[i].name, "Livy")) {
      /* shorthand syntax: "," "=" "[" would be read as structure */
      if(strpbrk(cl->apps[i].name, ",=[]{} "))
        az_cmd_refuse(&b, "application name \"%s\" is not one the AWS CLI's "
                          "shorthand syntax can carry", cl->apps[i].name);
      az_cmd_argf(&b, "Name=%s", cl->apps[i].name);
    }
  az_cmd_args(&b, "--instance-type", "m5.xlarge", "--instance-count", "3",
              "--use-default-roles", NULL);
  if(cl->subnet_id || cl->n_additional_master_sgs) {
    xd_buf at;
    xd_buf_init(&at);
    if(cl->subnet_id) {
      az_cmd_check(&b, AZ_ID_SUBNET, cl->subnet_id);
      xd_buf_printf(&at, "SubnetId=%s", cl->subnet_id);
    }
    if(cl->n_additional_master_sgs) {
      az_cmd_check(&b, AZ_ID_SG, cl->additional_master_sgs[0]);
      xd_buf_printf(&at, "%sAdditionalMasterSecurityGroups=%s",
                    at.len ? "," : "", cl->additional_master_sgs[0]);
    }
    az_cmd_args(&b, "--ec2-attributes", xd_buf_str(&at), NULL);
    xd_buf_free(&at);
  }
  if(cl->security_configuration)
    az_cmd_opt(&b, "--security-configuration", cl->security_configuration);
  az_cmd_region(&b, cl->region);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

static void public_only(az_ctx *c, const az_cluster *cl)
{
  const az_domain *d = c->studio.domain;
  const az_emr_instance *pn = az_primary_node(cl);
  bool public = pn && pn->public_ip && *pn->public_ip;
  az_cmd b;
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
  az_cmd_init(&b);
  az_cmd_args(&b, "aws", "sagemaker", "update-domain", "--domain-id", NULL);
  az_cmd_id(&b, AZ_ID_DOMAIN, d->id);
  az_cmd_args(&b, "--app-network-access-type", "VpcOnly", NULL);
  az_cmd_region(&b, d->region);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

bool az_cluster_check(az_ctx *c, const az_cluster *cl)
{
  const char *st = cl->state;
  bool up = st && (!strcmp(st, "WAITING") || !strcmp(st, "RUNNING"));
  az_cmd b;
  az_issue *is;
  if(cl->region && c->studio.region && strcmp(cl->region, c->studio.region)) {
    is = az_issue_get(c, "REGION_MISMATCH", XD_SEV_CRITICAL, cl->id,
                      cl->account, cl->region);
    az_issue_message(c, is,
                     "Cluster %s is in %s but Studio is in %s: Studio lists "
                     "and connects to clusters of its own Region only.",
                     cl->id, cl->region, c->studio.region);
    az_issue_evidence(c, is, "cluster Region %s, Studio Region %s", cl->region,
                      c->studio.region);
    az_cmd_init(&b);
    az_cmd_args(&b, "aws", "emr", "list-clusters", "--active", NULL);
    az_cmd_region(&b, c->studio.region);
    az_issue_remedy(c, is, &b);
    az_cmd_free(&b);
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
    az_cmd_init(&b);
    if(starting) {
      az_cmd_args(&b, "aws", "emr", "wait", "cluster-running", "--cluster-id",
                  NULL);
      az_cmd_id(&b, AZ_ID_CLUSTER, cl->id);
    } else
      az_cmd_args(&b, "aws", "emr", "list-clusters", "--active", NULL);
    az_cmd_region(&b, cl->region);
    az_issue_remedy(c, is, &b);
    az_cmd_free(&b);
    return false;
  }
  if(!has_app(cl, "Livy"))
    livy_missing(c, cl);
  public_only(c, cl);
  if(up && cl->instances_known && !az_primary_node(cl) &&
     !az_dnsconf_emr_domain(c, cl)) {
    is = az_issue_get(c, "PRIMARY_NODE_NOT_FOUND", XD_SEV_WARNING, cl->id,
                      cl->account, cl->region);
    az_issue_message(c, is,
                     "No instance of cluster %s carries its "
                     "MasterPublicDnsName %s, so the primary node's address "
                     "is not known.",
                     cl->id, cl->master_public_dns ? cl->master_public_dns : "(none)");
    az_issue_evidence(c, is, "%zu instances in emr-list-instances--%s.json",
                      cl->n_instances, cl->id);
    az_cmd_init(&b);
    az_cmd_args(&b, "aws", "emr", "list-instances", "--cluster-id", NULL);
    az_cmd_id(&b, AZ_ID_CLUSTER, cl->id);
    az_cmd_args(&b, "--instance-group-types", "MASTER", NULL);
    az_cmd_region(&b, cl->region);
    az_issue_remedy(c, is, &b);
    az_cmd_free(&b);
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
