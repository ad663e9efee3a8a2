/* An interface endpoint's hops on a control-plane path: where its ENI is,
 * whether its groups admit Studio on 443, and what stops Studio from
 * using it at all (state, private DNS). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../rules.h"
#include "controlplane.h"

static bool same(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

static const az_eni *eni_in(az_ctx *c, const az_vpce *e, const char *subnet)
{
  for(size_t i = 0; i < e->n_eni_ids; i++)
    for(size_t k = 0; k < c->m->n_enis; k++) {
      const az_eni *n = &c->m->enis[k];
      if(!strcmp(n->id, e->eni_ids[i]) && same(n->subnet_id, subnet) &&
         n->private_ip)
        return n;
    }
  return NULL;
}

void cp_endpoint_end(az_ctx *c, const az_vpce *e, const az_endpoint *src,
                     az_endpoint *out, bool *same_az)
{
  const char *az = src->subnet ? src->subnet->az : NULL;
  const az_subnet *pick = NULL;
  const az_eni *eni;
  memset(out, 0, sizeof(*out));
  *same_az = false;
  out->account = e->account;
  out->region = e->region;
  out->vpc_id = e->vpc_id;
  out->vpc = az_ix_vpc(&c->ix, e->vpc_id);
  out->sgs = (const char *const *)e->group_ids;
  out->n_sgs = e->n_group_ids;
  for(size_t i = 0; i < e->n_subnet_ids; i++) {
    const az_subnet *sn = az_ix_subnet(&c->ix, e->subnet_ids[i]);
    if(!pick && sn)
      pick = sn;
    if(sn && az && sn->az && !strcmp(sn->az, az)) {
      pick = sn;
      *same_az = true;
      break;
    }
  }
  if(!pick) {
    out->subnet_id = e->n_subnet_ids ? e->subnet_ids[0] : NULL;
    snprintf(out->label, sizeof(out->label), "%s", e->id);
    return;
  }
  out->subnet = pick;
  out->subnet_id = pick->id;
  eni = eni_in(c, e, pick->id);
  if(eni && xd_cidr_parse(eni->private_ip, &out->net)) {
    out->eni_id = eni->id;
    snprintf(out->label, sizeof(out->label), "%s", eni->private_ip);
    return;
  }
  out->net = pick->cidr;
  xd_cidr_format(&out->net, out->label, sizeof(out->label));
}

/* ---- the AZ ---- */

static void az_issue_for(az_ctx *c, const az_vpce *e, const az_endpoint *src,
                         xd_severity sev, const char *msg)
{
  az_issue *is = az_issue_get(c, "VPCE_NO_SUBNET_IN_AZ", sev, e->id,
                              e->account, e->region);
  az_cmd b;
  if(!is)
    return;
  az_issue_message(c, is, "%s", msg);
  az_issue_evidence(c, is, "%s (%s) subnets: %zu; Studio's subnet %s is in "
                    "%s", e->id, e->service, e->n_subnet_ids,
                    src->subnet_id ? src->subnet_id : "?",
                    src->subnet && src->subnet->az ? src->subnet->az : "?");
  az_cmd_init(&b);
  az_cmd_args(&b, "aws", "ec2", "modify-vpc-endpoint", "--vpc-endpoint-id",
              NULL);
  az_cmd_id(&b, AZ_ID_VPCE, e->id);
  az_cmd_arg(&b, "--add-subnet-ids");
  az_cmd_id(&b, AZ_ID_SUBNET, src->subnet_id);
  az_cmd_region(&b, e->region);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

void cp_endpoint_az_leg(az_ctx *c, const az_vpce *e, const az_endpoint *src,
                        const az_endpoint *dst, bool same_az, az_leg *leg)
{
  const char *az = src->subnet && src->subnet->az ? src->subnet->az : NULL;
  memset(leg, 0, sizeof(*leg));
  leg->kind = "vpc-endpoint";
  snprintf(leg->res, sizeof(leg->res), "%s", e->id);
  if(!e->n_subnet_ids) {
    leg->v = AZ_V_DENY;
    az_fmt(leg->detail, sizeof(leg->detail), "%s is available with private "
           "DNS but has no subnet: the name has no address to give", e->id);
    az_issue_for(c, e, src, XD_SEV_CRITICAL,
                 az_strf(c, "VPC endpoint %s (%s) has no subnet: add one "
                         "in each of Studio's Availability Zones.", e->id,
                         e->service));
    return;
  }
  leg->v = AZ_V_ALLOW;
  if(same_az || !az) {
    az_fmt(leg->detail, sizeof(leg->detail), "available, private DNS on, "
           "ENI in %s (%s)", dst->subnet_id ? dst->subnet_id : "?",
           az ? az : "AZ not known");
    return;
  }
  /* the private name gives every ENI's address, and routing inside a VPC
   * crosses AZs: the call works, but pays cross-AZ traffic and fails
   * with the other AZ */
  az_fmt(leg->detail, sizeof(leg->detail), "available, private DNS on, no "
         "ENI in %s: reached across AZs in %s", az,
         dst->subnet_id ? dst->subnet_id : "?");
  az_issue_for(c, e, src, XD_SEV_WARNING,
               az_strf(c, "VPC endpoint %s (%s) has no subnet in %s, where "
                       "Studio's subnet %s is: calls cross AZs and stop "
                       "when the endpoint's AZ does.", e->id, e->service, az,
                       src->subnet_id ? src->subnet_id : "?"));
}

/* ---- the endpoint's security groups ---- */

void cp_endpoint_sg_leg(az_ctx *c, const az_vpce *e, const az_endpoint *src,
                        az_leg *leg)
{
  az_sg_query q;
  az_sg_result r;
  char blk[XD_CIDR_STRLEN];
  az_issue *is;
  az_cmd b;
  memset(leg, 0, sizeof(*leg));
  leg->kind = "vpc-endpoint-security-group";
  leg->v = AZ_V_UNKNOWN;
  snprintf(leg->res, sizeof(leg->res), "%s",
           e->n_group_ids ? e->group_ids[0] : e->id);
  if(!e->n_group_ids || !src->net.addr.family) {
    az_fmt(leg->detail, sizeof(leg->detail), "not known: %s",
           e->n_group_ids ? "Studio's address" : "the endpoint's groups");
    return;
  }
  memset(&q, 0, sizeof(q));
  q.proto = AZ_PROTO_TCP;
  q.port = 443;
  q.peer = &src->net;
  q.peer_sgs = src->sgs;
  q.n_peer_sgs = src->n_sgs;
  q.peer_account = src->account;
  q.peer_vpc = src->vpc_id;
  q.own_vpc = e->vpc_id;
  q.peering_active = true; /* same VPC */
  az_sg_eval(&c->ix, (const char *const *)e->group_ids, e->n_group_ids, &q,
             &r);
  if(az_sg_leg_settled(c, &r, false, e->account, e->region, leg))
    return;
  leg->v = AZ_V_DENY;
  az_fmt(leg->detail, sizeof(leg->detail), "no rule of %s's groups allows "
         "tcp 443 from %s", e->id, src->label);
  is = az_issue_get(c, "VPCE_SG_BLOCKS_443", XD_SEV_CRITICAL, e->group_ids[0],
                    e->account, e->region);
  if(!is)
    return;
  az_issue_message(c, is, "Security group %s of VPC endpoint %s (%s) admits "
                   "no TCP 443 from Studio (%s): the API calls time out.",
                   e->group_ids[0], e->id, e->service, src->label);
  az_issue_evidence(c, is, "%s", leg->detail);
  az_sg_miss_evidence(c, is, &r, false, src->label);
  az_cmd_init(&b);
  az_cmd_args(&b, "aws", "ec2", "authorize-security-group-ingress",
              "--group-id", NULL);
  az_cmd_id(&b, AZ_ID_SG, e->group_ids[0]);
  az_cmd_args(&b, "--protocol", "tcp", "--port", "443", NULL);
  if(src->n_sgs) {
    az_cmd_arg(&b, "--source-group");
    az_cmd_id(&b, AZ_ID_SG, src->sgs[0]);
  } else {
    az_end_block(src, blk, sizeof(blk));
    az_cmd_args(&b, "--cidr", blk, NULL);
  }
  az_cmd_region(&b, e->region);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

/* ---- an endpoint Studio cannot use ---- */

/* The create-vpc-endpoint that makes e again, as it was meant. */
static void recreate(const az_vpce *e, az_cmd *b)
{
  az_cmd_args(b, "aws", "ec2", "create-vpc-endpoint", "--vpc-id", NULL);
  az_cmd_id(b, AZ_ID_VPC, e->vpc_id);
  az_cmd_args(b, "--vpc-endpoint-type", "Interface", "--service-name",
              e->service, NULL);
  if(e->n_subnet_ids) {
    az_cmd_arg(b, "--subnet-ids");
    for(size_t i = 0; i < e->n_subnet_ids; i++)
      az_cmd_id(b, AZ_ID_SUBNET, e->subnet_ids[i]);
  }
  if(e->n_group_ids) {
    az_cmd_arg(b, "--security-group-ids");
    for(size_t i = 0; i < e->n_group_ids; i++)
      az_cmd_id(b, AZ_ID_SG, e->group_ids[i]);
  }
  az_cmd_arg(b, "--private-dns-enabled");
  az_cmd_region(b, e->region);
}

void cp_endpoint_defect_leg(az_ctx *c, const az_vpce *e,
                            const az_endpoint *src, const cp_target *t,
                            bool nat_unknown, const char *rtb, az_leg *leg)
{
  bool up = !strcasecmp(e->state, "available");
  const char *code = up ? "VPCE_PRIVATE_DNS_OFF" : "VPCE_NOT_AVAILABLE";
  const char *why = up ? "private DNS is off"
                       : az_strf(c, "its state is %s, not available",
                                 *e->state ? e->state : "in no state");
  az_issue *is;
  az_cmd b;
  memset(leg, 0, sizeof(*leg));
  leg->kind = "vpc-endpoint";
  snprintf(leg->res, sizeof(leg->res), "%s", e->id);
  leg->v = nat_unknown ? AZ_V_UNKNOWN : AZ_V_DENY;
  az_fmt(leg->detail, sizeof(leg->detail), "%s%s: %s resolves to public "
         "addresses, and %s", nat_unknown ? "not known: " : "", why, t->name,
         nat_unknown ? "whether a NAT gateway carries them is not known"
                     : az_strf(c, "%s has no route to a NAT gateway",
                               rtb ? rtb : "the subnet's route table"));
  if(nat_unknown)
    return;
  is = az_issue_get(c, code, XD_SEV_CRITICAL, e->id, e->account, e->region);
  if(!is)
    return;
  az_issue_message(c, is, "VPC endpoint %s (%s) is of no use to Studio: %s, "
                   "and no NAT gateway carries the public name.", e->id,
                   e->service, why);
  az_issue_evidence(c, is, "%s", leg->detail);
  az_issue_evidence(c, is, "Studio's subnet %s in %s",
                    src->subnet_id ? src->subnet_id : "?", src->vpc_id);
  az_cmd_init(&b);
  if(up) {
    const az_vpc *v = az_ix_vpc(&c->ix, e->vpc_id);
    az_cmd_args(&b, "aws", "ec2", "modify-vpc-endpoint", "--vpc-endpoint-id",
                NULL);
    az_cmd_id(&b, AZ_ID_VPCE, e->id);
    az_cmd_arg(&b, "--private-dns-enabled");
    az_cmd_region(&b, e->region);
    if(v && (v->dns_support == AZ_NO || v->dns_hostnames == AZ_NO))
      az_issue_evidence(c, is, "private DNS needs enableDnsSupport and "
                        "enableDnsHostnames on %s (see VPC_DNS_* findings)",
                        v->id);
  } else if(!strcasecmp(e->state, "pending") ||
            !strcasecmp(e->state, "pendingAcceptance")) {
    az_cmd_refuse(&b, "endpoint %s is still being created (%s): check "
                  "again in a few minutes", e->id, e->state);
  } else {
    /* one endpoint per service holds the private name: the broken one
     * goes first */
    if(strcasecmp(e->state, "deleted") && strcasecmp(e->state, "deleting")) {
      az_cmd_args(&b, "aws", "ec2", "delete-vpc-endpoints",
                  "--vpc-endpoint-ids", NULL);
      az_cmd_id(&b, AZ_ID_VPCE, e->id);
      az_cmd_region(&b, e->region);
      az_cmd_and(&b);
    }
    recreate(e, &b);
  }
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}
