/* analyzer/dnsconf/domain.c: a custom domain name in the EMR VPC's DHCP
 * options. The nodes then take host names in that domain
 * (ip-2-0-1-10.corp.example.com), while EC2 and EMR's ListInstances keep
 * the AWS names (ip-2-0-1-10.ec2.internal). The notebook finds the primary
 * node by matching the cluster's MasterPublicDnsName against the
 * instances' private and public DNS names (domain.md, "What the Studio
 * client actually does"); when the cluster reports its name in the
 * custom domain, nothing matches and the notebook stops with "Failed to
 * find primary node ip address needed to communicate with Livy server".
 * That is the one root cause, so it replaces PRIMARY_NODE_NOT_FOUND.
 * Names that still match are fine, whatever the domain. */
#include <stdio.h>
#include <string.h>

#include "dnsconf.h"

bool az_dnsconf_emr_domain(az_ctx *c, const az_cluster *cl)
{
  const az_subnet *s = cl->subnet_id ? az_find_subnet(c->m, cl->subnet_id)
                                     : NULL;
  const az_vpc *v = s ? az_find_vpc(c->m, s->vpc_id) : NULL;
  const az_dhcp_options *d = az_dhcp_of(c->m, v);
  az_issue *is;
  size_t shown = 0;
  if(!d || !az_dns_custom_domain(d->domain_name) || !cl->instances_known ||
     !cl->master_public_dns || az_primary_node(cl))
    return false;
  is = az_issue_get(c, "EMR_CUSTOM_DOMAIN_MISMATCH", XD_SEV_CRITICAL, d->id,
                    v->account, v->region);
  az_issue_message(c, is,
                   "The EMR VPC %s hands out the custom domain name %s (%s), "
                   "and cluster %s's MasterPublicDnsName %s names none of its "
                   "instances: the notebook cannot find the primary node "
                   "(\"Failed to find primary node ip address needed to "
                   "communicate with Livy server\"). Give the VPC the AWS "
                   "domain name and launch the cluster again.",
                   v->id, d->domain_name, d->id, cl->id,
                   cl->master_public_dns);
  az_issue_evidence(c, is, "%s domain-name = %s", d->id, d->domain_name);
  az_issue_evidence(c, is, "%s MasterPublicDnsName = %s", cl->id,
                    cl->master_public_dns);
  for(size_t i = 0; i < cl->n_instances && shown < 3; i++) {
    const az_emr_instance *x = &cl->instances[i];
    if(!x->private_dns && !x->public_dns)
      continue;
    az_issue_evidence(c, is, "instance %s: PrivateDnsName %s, PublicDnsName "
                      "%s", x->id ? x->id : "?",
                      x->private_dns ? x->private_dns : "(none)",
                      x->public_dns ? x->public_dns : "(none)");
    shown++;
  }
  az_dnsconf_remedy(c, is, v, true);
  return true;
}
