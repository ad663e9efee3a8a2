/* Step 2 of domain.md: what the primary node's name (MasterPublicDnsName)
 * resolves to from the Studio VPC. The private address needs, all at once:
 * an active peering with AllowDnsResolutionFromRemoteVpc on the EMR VPC's
 * side (requester or accepter, whichever the EMR VPC is), and
 * enableDnsSupport and enableDnsHostnames on both VPCs. Otherwise the name
 * gives the public address, or nothing in a private subnet. */
#include <stdio.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/jsonutil.h"
#include "dnsconf/dnsconf.h"
#include "reach.h"
#include "remedy.h"

static const char *tri_name(az_tri t)
{
  return t == AZ_YES ? "true" : t == AZ_NO ? "false" : "not known";
}

static void vpc_attr(az_ctx *c, const az_vpc *v, bool hostnames,
                     const char *side)
{
  az_cmd b;
  az_issue *is;
  az_tri t = hostnames ? v->dns_hostnames : v->dns_support;
  if(t != AZ_NO)
    return;
  is = az_issue_get(c, hostnames ? "VPC_DNS_HOSTNAMES_DISABLED"
                                 : "VPC_DNS_SUPPORT_DISABLED",
                    XD_SEV_CRITICAL, v->id, v->account, v->region);
  az_issue_message(c, is,
                   "The %s VPC %s has %s off: the primary node's name does "
                   "not resolve to its private address across the peering.",
                   side, v->id, hostnames ? "enableDnsHostnames" : "enableDnsSupport");
  az_issue_evidence(c, is, "%s %s = false (ec2-describe-vpc-attribute)", v->id,
                    hostnames ? "enableDnsHostnames" : "enableDnsSupport");
  az_cmd_init(&b);
  az_rem_vpc_attr(&b, v->id, hostnames, v->region);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

static az_tri worst(az_tri a, az_tri b)
{
  if(a == AZ_NO || b == AZ_NO)
    return AZ_NO;
  if(a == AZ_UNKNOWN || b == AZ_UNKNOWN)
    return AZ_UNKNOWN;
  return AZ_YES;
}

cJSON *az_dns_check(az_ctx *c, const az_cluster *cl, const az_endpoint *dst,
                    const az_pair *p)
{
  const az_vpc *sv = c->studio.vpc, *ev = dst->vpc;
  const az_emr_instance *pn = az_primary_node(cl);
  az_tri opt = AZ_UNKNOWN, all;
  const char *to, *addr = NULL;
  char detail[512];
  cJSON *o;
  if(!cl->master_public_dns)
    return NULL;
  if(sv) {
    vpc_attr(c, sv, false, "Studio");
    vpc_attr(c, sv, true, "Studio");
  }
  if(ev && ev != sv) {
    vpc_attr(c, ev, false, "EMR");
    vpc_attr(c, ev, true, "EMR");
  }
  if(p->state == AZ_PAIR_SAME_VPC)
    opt = AZ_YES;
  else if(p->state == AZ_PAIR_OK && p->emr_side)
    opt = p->emr_side->allow_dns_from_remote;
  else if(az_pair_blocked(p))
    opt = AZ_NO;
  if(p->state == AZ_PAIR_OK && opt == AZ_NO) {
    bool accepter = p->emr_side == &p->pcx->accepter;
    const char *region = p->emr_side->region ? p->emr_side->region
                                             : p->pcx->region;
    az_cmd b;
    az_issue *is = az_issue_get(c, "PEERING_DNS_RESOLUTION_DISABLED",
                                XD_SEV_CRITICAL, p->pcx->id,
                                p->emr_side->owner, region);
    az_issue_message(c, is,
                     "Peering %s does not allow DNS resolution from the "
                     "remote VPC on the EMR side (%s, %s): %s does not "
                     "resolve to %s from Studio.",
                     p->pcx->id, accepter ? "accepter" : "requester",
                     p->emr_side->vpc_id ? p->emr_side->vpc_id : "?",
                     cl->master_public_dns,
                     pn && pn->private_ip ? pn->private_ip : "its private address");
    az_issue_evidence(c, is,
                      "%s %sVpcInfo.PeeringOptions.AllowDnsResolutionFromRemoteVpc"
                      " = false",
                      p->pcx->id, accepter ? "Accepter" : "Requester");
    if(p->studio_side && p->studio_side->allow_dns_from_remote == AZ_YES)
      az_issue_evidence(c, is,
                        "the option is on for the Studio side, which does not "
                        "help: it must be set on the EMR VPC's side");
    az_cmd_init(&b);
    az_rem_pcx_dns(&b, p->pcx->id, accepter, region);
    az_issue_remedy(c, is, &b);
    az_cmd_free(&b);
  }
  all = worst(opt, worst(sv ? worst(sv->dns_support, sv->dns_hostnames) : AZ_UNKNOWN,
                         ev ? worst(ev->dns_support, ev->dns_hostnames) : AZ_UNKNOWN));
  if(all == AZ_YES) {
    to = "private";
    addr = pn ? pn->private_ip : NULL;
  } else if(all == AZ_NO) {
    bool public = pn && pn->public_ip && *pn->public_ip &&
                  (!sv || sv->dns_support != AZ_NO);
    to = public ? "public" : "none";
    addr = public ? pn->public_ip : NULL;
  } else {
    to = "unknown";
  }
  /* whose servers Studio's VPC hands out (dnsconf/servers.c) */
  az_dnsconf_servers(c, cl, all == AZ_NO || az_pair_blocked(p), &to, &addr);
  snprintf(detail, sizeof(detail),
           "peering option (EMR side): %s; Studio VPC dns support/hostnames: "
           "%s/%s; EMR VPC: %s/%s",
           p->state == AZ_PAIR_SAME_VPC ? "not needed (same VPC)" : tri_name(opt),
           sv ? tri_name(sv->dns_support) : "not known",
           sv ? tri_name(sv->dns_hostnames) : "not known",
           ev ? tri_name(ev->dns_support) : "not known",
           ev ? tri_name(ev->dns_hostnames) : "not known");
  o = cJSON_CreateObject();
  if(!o) {
    c->nomem = true;
    return NULL;
  }
  xd_json_add_str(o, "name", cl->master_public_dns);
  xd_json_add_str(o, "resolves_to", to);
  xd_json_add_str(o, "address", addr);
  xd_json_add_str(o, "detail", detail);
  if(c->meta_dns) {
    cJSON *m = cJSON_Duplicate(o, true);
    if(m) {
      xd_json_add_str(m, "cluster", cl->id);
      xd_json_add_str(m, "from_vpc", c->studio.vpc_id);
      cJSON_AddItemToArray(c->meta_dns, m);
    }
  }
  return o;
}
