/* Step 1 of domain.md: the peering between the Studio VPC and an EMR VPC.
 * Its state is settled once per pair of VPCs, before any hop, because a
 * peering that is not active is the root cause of every route, group
 * reference and DNS option that depends on it: those are then held back
 * and this is the one finding (ONE ROOT CAUSE, ONE CRITICAL). */
#include <stdio.h>
#include <string.h>

#include "../common/buf.h"
#include "reach.h"
#include "remedy.h"

static bool same(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

bool az_pair_blocked(const az_pair *p)
{
  return p->state == AZ_PAIR_MISSING || p->state == AZ_PAIR_PENDING ||
         p->state == AZ_PAIR_PROVISIONING || p->state == AZ_PAIR_INACTIVE ||
         p->state == AZ_PAIR_OVERLAP;
}

/* The IPv4 blocks of a VPC: the model's, else what the peering records. */
static void blocks(const az_vpc *v, const az_pcx_side *side,
                   const xd_cidr **out, size_t *n)
{
  if(v && v->n_cidrs) {
    *out = v->cidrs;
    *n = v->n_cidrs;
  } else if(side && side->n_cidrs) {
    *out = side->cidrs;
    *n = side->n_cidrs;
  } else {
    *out = NULL;
    *n = 0;
  }
}

/* The first pair of overlapping blocks; the indexes say which block of
 * each VPC (0 is the primary). */
static bool overlap(const xd_cidr *a, size_t na, const xd_cidr *b, size_t nb,
                    size_t *ia, size_t *ib)
{
  for(size_t i = 0; i < na; i++)
    for(size_t k = 0; k < nb; k++)
      if(xd_cidr_overlaps(&a[i], &b[k])) {
        *ia = i;
        *ib = k;
        return true;
      }
  return false;
}

/* The EMR account's EC2 files were not read (the discovery role can not),
 * so the EMR VPC is not known from the cluster's subnet. Studio's account
 * lists the peering too: the one between Studio's VPC and a VPC of the
 * cluster's account whose blocks hold the primary node's address names
 * that VPC. Two candidates that disagree name nothing. */
void az_pair_peer_vpc(az_ctx *c, const az_endpoint *src, az_endpoint *dst)
{
  const char *found = NULL;
  if(dst->vpc_id || !src->vpc_id || !dst->account || !dst->net.addr.family)
    return;
  for(size_t i = 0; i < c->m->n_pcxs; i++) {
    const az_pcx *x = &c->m->pcxs[i];
    const az_pcx_side *other;
    bool inside = false;
    if(same(x->requester.vpc_id, src->vpc_id))
      other = &x->accepter;
    else if(same(x->accepter.vpc_id, src->vpc_id))
      other = &x->requester;
    else
      continue;
    if(!other->vpc_id || !same(other->owner, dst->account) ||
       (other->region && dst->region && !same(other->region, dst->region)))
      continue;
    /* a peering not yet accepted (or no longer active) lists no block
     * for the accepter: the account alone must do */
    inside = !other->n_cidrs;
    for(size_t k = 0; k < other->n_cidrs; k++)
      inside = inside || xd_cidr_contains(&other->cidrs[k], &dst->net);
    if(!inside)
      continue;
    if(found && !same(found, other->vpc_id))
      return;
    found = other->vpc_id;
  }
  dst->vpc_id = found;
}

void az_pair_resolve(az_ctx *c, const az_endpoint *src, const az_endpoint *dst,
                     az_pair *p)
{
  const xd_cidr *sa, *sb;
  size_t na, nb, ia, ib;
  const char *st;
  char x[XD_CIDR_STRLEN], y[XD_CIDR_STRLEN];
  memset(p, 0, sizeof(*p));
  if(!src->vpc_id || !dst->vpc_id) {
    p->state = AZ_PAIR_UNKNOWN;
    az_fmt(p->detail, sizeof(p->detail), "not known: the %s VPC",
             src->vpc_id ? "EMR" : "Studio");
    return;
  }
  if(same(src->vpc_id, dst->vpc_id)) {
    p->state = AZ_PAIR_SAME_VPC;
    az_fmt(p->detail, sizeof(p->detail), "same VPC %s: no peering needed",
             src->vpc_id);
    return;
  }
  p->pcx = az_ix_pcx_between(&c->ix, src->vpc_id, dst->vpc_id);
  if(p->pcx) {
    bool studio_req = same(p->pcx->requester.vpc_id, src->vpc_id);
    p->studio_side = studio_req ? &p->pcx->requester : &p->pcx->accepter;
    p->emr_side = studio_req ? &p->pcx->accepter : &p->pcx->requester;
  }
  blocks(src->vpc, p->studio_side, &sa, &na);
  blocks(dst->vpc, p->emr_side, &sb, &nb);
  if(overlap(sa, na, sb, nb, &ia, &ib)) {
    p->state = AZ_PAIR_OVERLAP;
    az_fmt(p->detail, sizeof(p->detail),
             "%s %s overlaps %s %s: peered VPCs may not overlap", src->vpc_id,
             xd_cidr_format(&sa[ia], x, sizeof(x)), dst->vpc_id,
             xd_cidr_format(&sb[ib], y, sizeof(y)));
    return;
  }
  if(!p->pcx) {
    bool s_gone = az_file_missing(c, src->account, src->region,
                                  "ec2-describe-vpc-peering-connections.json");
    bool d_gone = az_file_missing(c, dst->account, dst->region,
                                  "ec2-describe-vpc-peering-connections.json");
    p->state = s_gone && d_gone ? AZ_PAIR_UNKNOWN : AZ_PAIR_MISSING;
    if(p->state == AZ_PAIR_UNKNOWN)
      az_fmt(p->detail, sizeof(p->detail),
               "not known: no ec2-describe-vpc-peering-connections.json in "
               "either account");
    else
      az_fmt(p->detail, sizeof(p->detail),
               "no peering connection joins %s and %s", src->vpc_id,
               dst->vpc_id);
    return;
  }
  st = p->pcx->status ? p->pcx->status : "unknown";
  if(!strcmp(st, "active"))
    p->state = AZ_PAIR_OK;
  else if(!strcmp(st, "pending-acceptance"))
    p->state = AZ_PAIR_PENDING;
  else if(!strcmp(st, "initiating-request") || !strcmp(st, "provisioning"))
    p->state = AZ_PAIR_PROVISIONING;
  else
    p->state = AZ_PAIR_INACTIVE;
  if(p->state == AZ_PAIR_OK)
    az_fmt(p->detail, sizeof(p->detail), "%s active: %s <-> %s",
             p->pcx->id, na ? xd_cidr_format(&sa[0], x, sizeof(x)) : "?",
             nb ? xd_cidr_format(&sb[0], y, sizeof(y)) : "?");
  else
    az_fmt(p->detail, sizeof(p->detail), "%s is %s%s%s", p->pcx->id, st,
             p->pcx->status_message ? ": " : "",
             p->pcx->status_message ? p->pcx->status_message : "");
}

static void report_overlap(az_ctx *c, const az_endpoint *src,
                           const az_endpoint *dst, const az_pair *p)
{
  const xd_cidr *sa, *sb;
  size_t na, nb, ia = 0, ib = 0;
  char x[XD_CIDR_STRLEN], y[XD_CIDR_STRLEN];
  const char *vpc, *acct, *reg, *block;
  az_issue *is;
  blocks(src->vpc, p->studio_side, &sa, &na);
  blocks(dst->vpc, p->emr_side, &sb, &nb);
  overlap(sa, na, sb, nb, &ia, &ib);
  xd_cidr_format(&sa[ia], x, sizeof(x));
  xd_cidr_format(&sb[ib], y, sizeof(y));
  /* a secondary block can be let go of; a primary one means a new VPC.
   * Name the VPC whose overlapping block is secondary, else the EMR VPC
   * (a cluster is easier to relaunch than a Studio domain to move). */
  if(ia > 0 && ib == 0) {
    vpc = src->vpc_id, acct = src->account, reg = src->region, block = x;
  } else {
    vpc = dst->vpc_id, acct = dst->account, reg = dst->region, block = y;
  }
  is = az_issue_get(c, "PEERING_CIDR_OVERLAP", XD_SEV_CRITICAL, vpc, acct, reg);
  az_issue_message(c, is,
                   "VPC %s (%s) and VPC %s (%s) overlap, so they can not be "
                   "peered: %s must be re-addressed.",
                   src->vpc_id, x, dst->vpc_id, y, vpc);
  az_issue_evidence(c, is, "%s", p->detail);
  if(p->pcx)
    az_issue_evidence(c, is, "%s is %s", p->pcx->id,
                      p->pcx->status ? p->pcx->status : "unknown");
  if((vpc == src->vpc_id ? ia : ib) > 0) {
    az_cmd b, q;
    az_cmd_init(&b);
    az_cmd_init(&q);
    /* the association id is not in describe-vpcs' block list as the
     * loader keeps it: the command asks for it */
    az_cmd_args(&q, "aws", "ec2", "describe-vpcs", "--vpc-ids", NULL);
    az_cmd_id(&q, AZ_ID_VPC, vpc);
    az_cmd_arg(&q, "--query");
    az_cmd_argf(&q, "Vpcs[0].CidrBlockAssociationSet[?CidrBlock==`\"%s\"`]."
                    "AssociationId", block);
    az_cmd_args(&q, "--output", "text", NULL);
    az_cmd_region(&q, reg);
    az_cmd_args(&b, "aws", "ec2", "disassociate-vpc-cidr-block",
                "--association-id", NULL);
    az_cmd_output_of(&b, &q);
    az_cmd_region(&b, reg);
    az_issue_remedy(c, is, &b);
    az_cmd_free(&q);
    az_cmd_free(&b);
  }
}

void az_pair_report(az_ctx *c, const az_endpoint *src, const az_endpoint *dst,
                    const az_pair *p)
{
  az_cmd b;
  az_issue *is = NULL;
  const az_pcx *x = p->pcx;
  az_cmd_init(&b);
  switch(p->state) {
  case AZ_PAIR_OK:
  case AZ_PAIR_SAME_VPC:
  case AZ_PAIR_UNKNOWN:
    break;
  case AZ_PAIR_OVERLAP:
    report_overlap(c, src, dst, p);
    break;
  case AZ_PAIR_MISSING:
    is = az_issue_get(c, "PEERING_MISSING", XD_SEV_CRITICAL, src->vpc_id,
                      src->account, src->region);
    az_issue_message(c, is,
                     "No VPC peering connection joins the Studio VPC %s and "
                     "the EMR VPC %s (account %s).",
                     src->vpc_id, dst->vpc_id, dst->account ? dst->account : "?");
    az_issue_evidence(c, is, "%s", p->detail);
    az_issue_evidence(c, is, "Reachability Analyzer: DISCONNECTED_VPCS");
    az_rem_create_pcx(&b, src->vpc_id, dst->vpc_id, dst->account, dst->region,
                      src->region);
    az_issue_remedy(c, is, &b);
    break;
  case AZ_PAIR_PENDING: {
    const char *acc_owner = x->accepter.owner;
    const char *acc_region = x->accepter.region ? x->accepter.region : x->region;
    is = az_issue_get(c, "PEERING_PENDING_ACCEPTANCE", XD_SEV_CRITICAL, x->id,
                      acc_owner, acc_region);
    az_issue_message(c, is,
                     "Peering connection %s is pending acceptance: account %s "
                     "must accept it before any traffic, route or DNS option "
                     "can use it.",
                     x->id, acc_owner ? acc_owner : "(accepter)");
    az_issue_evidence(c, is, "%s", p->detail);
    if(x->expiration)
      az_issue_evidence(c, is, "the request expires at %s", x->expiration);
    az_issue_evidence(c, is,
                      "routes to %s and group references across it wait for "
                      "the acceptance (not reported separately)", x->id);
    az_rem_accept_pcx(&b, x->id, acc_region);
    az_issue_remedy(c, is, &b);
    break;
  }
  case AZ_PAIR_PROVISIONING:
    is = az_issue_get(c, "PEERING_PROVISIONING", XD_SEV_WARNING, x->id,
                      x->requester.owner, x->region);
    az_issue_message(c, is,
                     "Peering connection %s is still %s; check again in a "
                     "minute.",
                     x->id, x->status);
    az_issue_evidence(c, is, "%s", p->detail);
    az_cmd_args(&b, "aws", "ec2", "describe-vpc-peering-connections",
                "--vpc-peering-connection-ids", NULL);
    az_cmd_id(&b, AZ_ID_PCX, x->id);
    az_cmd_region(&b, x->region);
    az_issue_remedy(c, is, &b);
    break;
  case AZ_PAIR_INACTIVE:
    is = az_issue_get(c, "PEERING_NOT_ACTIVE", XD_SEV_CRITICAL, x->id,
                      src->account, src->region);
    az_issue_message(c, is,
                     "Peering connection %s between %s and %s is %s and "
                     "carries no traffic: request a new one and accept it.",
                     x->id, src->vpc_id, dst->vpc_id,
                     x->status ? x->status : "not active");
    az_issue_evidence(c, is, "%s", p->detail);
    az_issue_evidence(c, is,
                      "routes to %s are blackholes until replaced (not "
                      "reported separately)", x->id);
    az_rem_create_pcx(&b, src->vpc_id, dst->vpc_id, dst->account, dst->region,
                      src->region);
    az_issue_remedy(c, is, &b);
    break;
  }
  az_cmd_free(&b);
}
