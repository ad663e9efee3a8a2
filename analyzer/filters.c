/* The filtering hops: security groups (stateful: one check per direction
 * of the connection) and network ACLs (stateless: the return traffic to
 * the client's ephemeral ports is checked too). A fault met on several
 * ports is one issue; its message and command are written at the end,
 * when every port is known (the finishers below). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "filters.h"
#include "remedy.h"
#include "rules.h"

#define LINUX_EPH_LO 32768
#define LINUX_EPH_HI 60999

static int cmp_int(const void *a, const void *b)
{
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static void ports_text(const az_issue *is, char *out, size_t n)
{
  size_t len = 0;
  out[0] = '\0';
  for(size_t i = 0; i < is->n_ports && len < n; i++)
    len += (size_t)snprintf(out + len, n - len, "%s%d", i ? ", " : "",
                            is->ports[i]);
}

static void groups_text(const az_endpoint *ep, char *out, size_t n)
{
  size_t len = 0;
  out[0] = '\0';
  for(size_t i = 0; i < ep->n_sgs && len < n; i++)
    len += (size_t)snprintf(out + len, n - len, "%s%s", i ? ", " : "",
                            ep->sgs[i]);
}

/* ---- security groups ---- */

/* args: 0 own end, 1 peer UserId, 2 peer GroupId, 3 peer block, 4 peer as
 * the message names it; extra: rules to revoke first */
static void finish_sg(void *vc, az_issue *is)
{
  az_ctx *c = vc;
  char pt[256];
  az_cmd b;
  az_rem_peer peer = {is->arg[1], is->arg[2], is->arg[3]};
  qsort(is->ports, is->n_ports, sizeof(int), cmp_int);
  ports_text(is, pt, sizeof(pt));
  az_issue_message(c, is, "Security group %s (%s) allows no %s TCP %s %s %s.",
                   is->resource, is->arg[0] ? is->arg[0] : "?",
                   is->egress ? "outbound" : "inbound", pt,
                   is->egress ? "to" : "from", is->arg[4] ? is->arg[4] : "?");
  if(is->remediation)
    return;
  az_cmd_init(&b);
  if(is->arg[5])
    az_cmd_refuse(&b, "%s", is->arg[5]);
  if(is->n_extra) {
    az_rem_sg_revoke(&b, is->egress, is->resource, is->extra, is->n_extra,
                     is->region);
    az_cmd_and(&b);
  }
  az_rem_sg(&b, is->egress, is->resource, is->ports, is->n_ports, &peer,
            is->region);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

/* What a rule to add should name as the peer: the peer's group when a
 * reference can work (same Region, an active peering or the same VPC),
 * else the peer's block. */
static void fix_peer(az_ctx *c, az_issue *is, const az_endpoint *peer,
                     const az_pair *p, bool same_region)
{
  char blk[XD_CIDR_STRLEN];
  bool linked = p->state == AZ_PAIR_OK || p->state == AZ_PAIR_SAME_VPC;
  az_end_block(peer, blk, sizeof(blk));
  if(!is->egress && peer->n_sgs && same_region && linked) {
    az_issue_arg(c, is, 1, peer->account);
    az_issue_arg(c, is, 2, peer->sgs[0]);
    az_issue_arg(c, is, 4,
                 az_strf(c, "the Studio security group %s/%s",
                         peer->account ? peer->account : "?", peer->sgs[0]));
  } else {
    az_issue_arg(c, is, 3, blk);
    az_issue_arg(c, is, 4, blk);
  }
}

static const char *end_name(az_ctx *c, const az_endpoint *ep, bool studio)
{
  return studio ? az_strf(c, "Studio, %s", ep->label)
                : az_strf(c, "primary node %s", ep->label);
}

static void sg_ref_issue(az_ctx *c, const az_endpoint *own,
                         const az_endpoint *peer, const az_pair *p, int port,
                         bool egress, const az_sg_result *r)
{
  const char *code = r->bad_why == AZ_SGREF_WRONG_ACCOUNT
                         ? "SG_REFERENCE_WRONG_ACCOUNT"
                     : r->bad_why == AZ_SGREF_CROSS_REGION
                         ? "SG_REFERENCE_CROSS_REGION"
                         : "SG_REFERENCE_UNRESOLVED";
  char rt[160];
  az_issue *is = az_issue_get(c, code, XD_SEV_CRITICAL, r->bad_sg->id,
                              r->bad_sg->account, r->bad_sg->region);
  if(!is)
    return;
  is->egress = egress;
  is->finish = finish_sg;
  az_issue_port(is, port);
  az_sg_rule_text(r->bad_rule, egress, rt, sizeof(rt));
  az_issue_evidence(c, is, "%s rule %s", r->bad_sg->id, rt);
  az_issue_arg(c, is, 0, end_name(c, own, egress));
  if(r->bad_why == AZ_SGREF_WRONG_ACCOUNT) {
    xd_buf b;
    az_issue_message(c, is,
                     "Security group %s references %s/%s, but %s belongs to "
                     "account %s: the rule never matches.",
                     r->bad_sg->id, r->bad_rule->user_id, r->bad_rule->group_id,
                     r->bad_rule->group_id, peer->account ? peer->account : "?");
    az_issue_evidence(c, is, "the peer's groups belong to account %s",
                      peer->account ? peer->account : "?");
    /* the wrong rule goes, whatever its ports, and the right one comes */
    {
      az_rem_peer wrong = {r->bad_rule->user_id, r->bad_rule->group_id, NULL};
      xd_buf_init(&b);
      if(az_rem_permission(&b, r->bad_rule->proto, r->bad_rule->from_port,
                           r->bad_rule->to_port, &wrong))
        az_issue_extra(c, is, xd_buf_str(&b));
      else /* finish_sg() refuses the fix with this reason */
        az_issue_arg(c, is, 5, "the rule to revoke names a group or account "
                               "of an unknown shape");
      xd_buf_free(&b);
    }
    /* the same group, named with the right account */
    az_issue_arg(c, is, 1, peer->account);
    az_issue_arg(c, is, 2, r->bad_rule->group_id);
    az_issue_arg(c, is, 4, az_strf(c, "%s/%s", peer->account ? peer->account : "?",
                                   r->bad_rule->group_id));
    if(egress) {
      char blk[XD_CIDR_STRLEN];
      az_end_block(peer, blk, sizeof(blk));
      az_issue_arg(c, is, 3, blk);
    }
    return;
  }
  if(r->bad_why == AZ_SGREF_CROSS_REGION) {
    az_issue_message(c, is,
                     "Security group %s references group %s in another "
                     "Region (%s vs %s): references do not cross Regions, "
                     "allow the peer's CIDR instead.",
                     r->bad_sg->id, r->bad_rule->group_id,
                     own->region ? own->region : "?",
                     peer->region ? peer->region : "?");
  } else {
    az_issue_message(c, is,
                     "Security group %s references group %s across a "
                     "peering that is not active (%s): the reference does "
                     "not resolve.",
                     r->bad_sg->id, r->bad_rule->group_id,
                     r->bad_rule->peering_status ? r->bad_rule->peering_status
                                                 : "no active peering");
    az_issue_evidence(c, is, "Reachability Analyzer: UNKNOWN_PEERED_SGS");
  }
  {
    char blk[XD_CIDR_STRLEN];
    az_end_block(peer, blk, sizeof(blk));
    az_issue_arg(c, is, 3, blk);
    az_issue_arg(c, is, 4, blk);
  }
}

bool az_sg_leg_settled(az_ctx *c, const az_sg_result *r, bool egress,
                       const char *account, const char *region, az_leg *leg)
{
  char rt[160];
  if(r->v == AZ_V_ALLOW) {
    leg->v = AZ_V_ALLOW;
    snprintf(leg->res, sizeof(leg->res), "%s", r->sg->id);
    az_sg_rule_text(r->rule, egress, rt, sizeof(rt));
    az_fmt(leg->detail, sizeof(leg->detail), "rule %s", rt);
    return true;
  }
  if(r->v != AZ_V_UNKNOWN)
    return false;
  leg->v = AZ_V_UNKNOWN;
  if(r->missing_sg) {
    snprintf(leg->res, sizeof(leg->res), "%s", r->missing_sg);
    az_unknown_detail(c, account, region, "ec2-describe-security-groups.json",
                      az_strf(c, "security group %s", r->missing_sg),
                      leg->detail, sizeof(leg->detail));
  } else
    az_fmt(leg->detail, sizeof(leg->detail),
           "not known: entries of prefix list %s", r->unknown_pl);
  return true;
}

void az_sg_leg(az_ctx *c, const az_endpoint *own, const az_endpoint *peer,
               const az_pair *p, int port, bool egress, az_leg *leg)
{
  az_sg_query q;
  az_sg_result r;
  char rt[160], gl[256];
  memset(leg, 0, sizeof(*leg));
  leg->kind = egress ? "security-group-egress" : "security-group-ingress";
  leg->v = AZ_V_UNKNOWN;
  if(!own->n_sgs) {
    az_fmt(leg->detail, sizeof(leg->detail),
             "not known: the security groups of the %s end",
             egress ? "Studio" : "EMR");
    return;
  }
  snprintf(leg->res, sizeof(leg->res), "%s", own->sgs[0]);
  if(!peer->net.addr.family) {
    az_fmt(leg->detail, sizeof(leg->detail),
             "not known: the other end's address");
    return;
  }
  memset(&q, 0, sizeof(q));
  q.egress = egress;
  q.proto = AZ_PROTO_TCP;
  q.port = port;
  q.peer = &peer->net;
  q.peer_sgs = peer->sgs;
  q.n_peer_sgs = peer->n_sgs;
  q.peer_account = peer->account;
  q.peer_vpc = peer->vpc_id;
  q.own_vpc = own->vpc_id;
  q.cross_region = own->region && peer->region && strcmp(own->region, peer->region);
  q.peering_active = p->state == AZ_PAIR_OK || p->state == AZ_PAIR_SAME_VPC;
  az_sg_eval(&c->ix, own->sgs, own->n_sgs, &q, &r);
  if(az_sg_leg_settled(c, &r, egress, own->account, own->region, leg))
    return;
  leg->v = AZ_V_DENY;
  groups_text(own, gl, sizeof(gl));
  az_fmt(leg->detail, sizeof(leg->detail), "no rule of %s allows tcp %d %s %s",
           gl, port, egress ? "to" : "from", peer->label);
  if(r.bad_rule) {
    size_t l = strlen(leg->detail);
    az_sg_rule_text(r.bad_rule, egress, rt, sizeof(rt));
    az_fmt(leg->detail + l, sizeof(leg->detail) - l, " (%s rule %s: %s)",
             r.bad_sg->id, rt,
             r.bad_why == AZ_SGREF_WRONG_ACCOUNT ? "wrong account"
             : r.bad_why == AZ_SGREF_CROSS_REGION ? "cross-Region reference"
                                                  : "peering not active");
    snprintf(leg->res, sizeof(leg->res), "%s", r.bad_sg->id);
    if(r.bad_why == AZ_SGREF_UNRESOLVED && az_pair_blocked(p))
      return; /* the peering is the root cause */
    sg_ref_issue(c, own, peer, p, port, egress, &r);
    return;
  }
  {
    /* add the rule to an additional master group when there is one: EMR
     * owns the managed one */
    const char *target = !egress && own->n_sgs > 1 ? own->sgs[1] : own->sgs[0];
    const az_sg *tg = az_ix_sg(&c->ix, target);
    az_issue *is = az_issue_get(c, egress ? "SG_EGRESS_MISSING"
                                          : "SG_INGRESS_MISSING",
                                XD_SEV_CRITICAL, target,
                                tg ? tg->account : own->account,
                                tg ? tg->region : own->region);
    if(!is)
      return;
    snprintf(leg->res, sizeof(leg->res), "%s", target);
    is->egress = egress;
    is->finish = finish_sg;
    az_issue_port(is, port);
    az_issue_arg(c, is, 0, end_name(c, own, egress));
    fix_peer(c, is, peer, p, !q.cross_region);
    az_issue_evidence(c, is, "%s", leg->detail);
    az_sg_miss_evidence(c, is, &r, egress, peer->label);
  }
}

void az_sg_miss_evidence(az_ctx *c, az_issue *is, const az_sg_result *r,
                         bool egress, const char *peer)
{
  char rt[160];
  if(r->partial_rule) {
    az_sg_rule_text(r->partial_rule, egress, rt, sizeof(rt));
    az_issue_evidence(c, is, "%s rule %s covers only part of %s",
                      r->partial_sg->id, rt, peer);
  }
  az_issue_evidence(c, is, "Reachability Analyzer: ENI_SG_RULES_MISMATCH");
}

/* ---- network ACLs ---- */

/* A free rule number for each run of ports, all before the rule that
 * denied; -1 when there is no room. */
static int next_number(const az_nacl *acl, bool egress, int deny, int prev)
{
  int n;
  if(deny >= 32767) {
    n = prev < 0 ? az_nacl_free_number(acl, egress, 32767) : prev + 10;
    return n < 32767 ? n : -1;
  }
  return az_nacl_free_number(acl, egress, prev < 0 ? deny : prev);
}

/* args: 0 peer block, 1 own subnet, 2 "from"/"to" text; number is the
 * deciding rule's */
static void finish_nacl(void *vc, az_issue *is)
{
  az_ctx *c = vc;
  const az_nacl *acl = NULL;
  char pt[256];
  az_cmd b;
  int num = -1;
  bool ret = !strcmp(is->code, "NACL_RETURN_BLOCKED") ||
             !strcmp(is->code, "NACL_RETURN_PARTIAL") ||
             !strcmp(is->code, "NACL_EPHEMERAL_PARTIAL");
  for(size_t i = 0; i < c->m->n_nacls && !acl; i++)
    if(!strcmp(c->m->nacls[i].id, is->resource))
      acl = &c->m->nacls[i];
  qsort(is->ports, is->n_ports, sizeof(int), cmp_int);
  ports_text(is, pt, sizeof(pt));
  if(!ret)
    az_issue_message(c, is, "Network ACL %s of %s denies %s TCP %s %s %s.",
                     is->resource, is->arg[1] ? is->arg[1] : "?",
                     is->egress ? "outbound" : "inbound", pt,
                     is->egress ? "to" : "from", is->arg[0] ? is->arg[0] : "?");
  if(!acl || !is->arg[0] || is->remediation)
    return;
  az_cmd_init(&b);
  if(ret) {
    num = next_number(acl, is->egress, is->number, -1);
    if(num > 0)
      az_rem_nacl(&b, acl->id, is->egress, num, 1024, 65535, is->arg[0],
                  acl->region);
  } else {
    for(size_t i = 0; i < is->n_ports; i++) {
      size_t k = i;
      while(k + 1 < is->n_ports && is->ports[k + 1] == is->ports[k] + 1)
        k++;
      num = next_number(acl, is->egress, is->number, num);
      if(num <= 0)
        break;
      az_cmd_and(&b);
      az_rem_nacl(&b, acl->id, is->egress, num, is->ports[i], is->ports[k],
                  is->arg[0], acl->region);
      i = k;
    }
  }
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

static const az_nacl *leg_acl(az_ctx *c, const az_endpoint *own,
                              const az_endpoint *peer, az_leg *leg)
{
  const az_nacl *acl;
  leg->v = AZ_V_UNKNOWN;
  if(!own->subnet_id) {
    az_fmt(leg->detail, sizeof(leg->detail), "not known: the subnet");
    return NULL;
  }
  snprintf(leg->res, sizeof(leg->res), "%s", own->subnet_id);
  acl = az_ix_nacl_for_subnet(&c->ix, own->subnet_id);
  if(!acl) {
    az_unknown_detail(c, own->account, own->region,
                      "ec2-describe-network-acls.json",
                      az_strf(c, "the network ACL of %s", own->subnet_id),
                      leg->detail, sizeof(leg->detail));
    return NULL;
  }
  snprintf(leg->res, sizeof(leg->res), "%s", acl->id);
  if(!peer->net.addr.family) {
    az_fmt(leg->detail, sizeof(leg->detail),
             "not known: the other end's address");
    return NULL;
  }
  return acl;
}

void az_nacl_leg(az_ctx *c, const az_endpoint *own, const az_endpoint *peer,
                 int port, bool egress, az_leg *leg)
{
  const az_nacl_entry *en;
  const az_nacl *acl;
  char et[160], blk[XD_CIDR_STRLEN];
  az_issue *is;
  memset(leg, 0, sizeof(*leg));
  leg->kind = egress ? "nacl-outbound" : "nacl-inbound";
  if(!(acl = leg_acl(c, own, peer, leg)))
    return;
  leg->v = az_nacl_decide(acl, egress, AZ_PROTO_TCP, &peer->net, port, &en);
  if(en)
    az_nacl_entry_text(en, et, sizeof(et));
  else
    snprintf(et, sizeof(et), "no rule matches (implicit deny)");
  az_fmt(leg->detail, sizeof(leg->detail), "%s", et);
  if(leg->v == AZ_V_ALLOW)
    return;
  is = az_issue_get(c, egress ? "NACL_OUTBOUND_DENY" : "NACL_INBOUND_DENY",
                    XD_SEV_CRITICAL, acl->id, acl->account, acl->region);
  if(!is)
    return;
  is->egress = egress;
  is->finish = finish_nacl;
  if(!is->number)
    is->number = en ? en->rule_number : 32767;
  az_issue_port(is, port);
  az_end_block(peer, blk, sizeof(blk));
  az_issue_arg(c, is, 0, blk);
  az_issue_arg(c, is, 1, own->subnet_id);
  az_issue_evidence(c, is, "%s (%s): %s decides tcp %d %s %s", acl->id,
                    own->subnet_id, et, port, egress ? "to" : "from",
                    peer->label);
  az_issue_evidence(c, is, "Reachability Analyzer: SUBNET_ACL_RESTRICTION");
}

static long count_in(const az_range *r, size_t n, int lo, int hi)
{
  long k = 0;
  for(size_t i = 0; i < n; i++) {
    int a = r[i].lo > lo ? r[i].lo : lo, b = r[i].hi < hi ? r[i].hi : hi;
    if(a <= b)
      k += b - a + 1;
  }
  return k;
}

/* The first port of [lo, hi] outside the sorted, merged ranges, or -1. */
static int first_blocked(const az_range *r, size_t n, int lo, int hi)
{
  int p = lo;
  for(size_t i = 0; i < n && p <= hi; i++) {
    if(r[i].hi < p)
      continue;
    if(r[i].lo > p)
      break;
    p = r[i].hi + 1;
  }
  return p <= hi ? p : -1;
}

void az_nacl_return_leg(az_ctx *c, const az_endpoint *own,
                        const az_endpoint *peer, bool egress, az_leg *leg)
{
  const az_nacl *acl;
  const az_nacl_entry *en = NULL;
  az_range r[64];
  size_t n, len = 0;
  long linux_ok, all_ok;
  char ranges[256], et[160], blk[XD_CIDR_STRLEN];
  const char *dir = egress ? "to" : "from";
  az_issue *is;
  bool linux_full;
  memset(leg, 0, sizeof(*leg));
  leg->kind = egress ? "nacl-outbound" : "nacl-inbound";
  if(!(acl = leg_acl(c, own, peer, leg)))
    return;
  n = az_nacl_allowed(acl, egress, AZ_PROTO_TCP, &peer->net, 1024, 65535, r, 64);
  ranges[0] = '\0';
  for(size_t i = 0; i < n && len < sizeof(ranges); i++)
    len += (size_t)snprintf(ranges + len, sizeof(ranges) - len, "%s%d-%d",
                            i ? ", " : "", r[i].lo, r[i].hi);
  linux_ok = count_in(r, n, LINUX_EPH_LO, LINUX_EPH_HI);
  all_ok = count_in(r, n, 1024, 65535);
  linux_full = linux_ok == LINUX_EPH_HI - LINUX_EPH_LO + 1;
  /* the rule that decides for the first port not let through (a fix goes
   * before it): in the Linux range first */
  {
    int probe = first_blocked(r, n, LINUX_EPH_LO, LINUX_EPH_HI);
    if(probe < 0)
      probe = first_blocked(r, n, 1024, 65535);
    az_nacl_decide(acl, egress, AZ_PROTO_TCP, &peer->net,
                   probe < 0 ? LINUX_EPH_LO : probe, &en);
  }
  if(en)
    az_nacl_entry_text(en, et, sizeof(et));
  else
    snprintf(et, sizeof(et), "no rule matches (implicit deny)");
  if(all_ok == 65535 - 1024 + 1) {
    leg->v = AZ_V_ALLOW;
    az_fmt(leg->detail, sizeof(leg->detail), "return %s %s, ports 1024-65535: %s",
             dir, peer->label, et);
    return;
  }
  az_end_block(peer, blk, sizeof(blk));
  if(!linux_ok) {
    leg->v = AZ_V_DENY;
    az_fmt(leg->detail, sizeof(leg->detail),
             "return %s %s blocked on ports 32768-60999: %s", dir, peer->label,
             et);
    is = az_issue_get(c, "NACL_RETURN_BLOCKED", XD_SEV_CRITICAL, acl->id,
                      acl->account, acl->region);
    az_issue_message(c, is,
                     "Network ACL %s of %s blocks the return traffic %s %s to "
                     "the client's ephemeral ports (ACLs are stateless).",
                     acl->id, own->subnet_id, dir, blk);
  } else if(linux_full) {
    leg->v = AZ_V_ALLOW;
    az_fmt(leg->detail, sizeof(leg->detail),
             "return %s %s allowed only on ports %s", dir, peer->label, ranges);
    is = az_issue_get(c, "NACL_EPHEMERAL_PARTIAL", XD_SEV_WARNING, acl->id,
                      acl->account, acl->region);
    az_issue_message(c, is,
                     "Network ACL %s of %s lets the return traffic %s %s "
                     "reach only ports %s of the ephemeral range 1024-65535: "
                     "Linux clients (32768-60999) work, others may not.",
                     acl->id, own->subnet_id, dir, blk, ranges);
  } else {
    /* the client picks its port at random in 32768-60999: the share
     * outside the allowed ranges fails, connection by connection, which
     * users see as an intermittent outage */
    long span = LINUX_EPH_HI - LINUX_EPH_LO + 1;
    long pct = ((span - linux_ok) * 100 + span / 2) / span;
    leg->v = AZ_V_DENY;
    az_fmt(leg->detail, sizeof(leg->detail),
           "return %s %s allowed only on ports %s: about %ld%% of "
           "connections fail",
           dir, peer->label, ranges, pct);
    is = az_issue_get(c, "NACL_RETURN_PARTIAL", XD_SEV_CRITICAL, acl->id,
                      acl->account, acl->region);
    az_issue_message(c, is,
                     "Network ACL %s of %s lets the return traffic %s %s "
                     "reach only ports %s, so %ld of the 28232 ports a Linux "
                     "client picks from (32768-60999) are blocked: about "
                     "%ld%% of connections fail at random.",
                     acl->id, own->subnet_id, dir, blk, ranges,
                     span - linux_ok, pct);
  }
  if(!is)
    return;
  is->egress = egress;
  is->finish = finish_nacl;
  if(!is->number)
    is->number = en ? en->rule_number : 32767;
  az_issue_arg(c, is, 0, blk);
  az_issue_arg(c, is, 1, own->subnet_id);
  az_issue_evidence(c, is, "%s (%s): return traffic %s %s allowed on %s; %s",
                    acl->id, own->subnet_id, dir, peer->label,
                    n ? ranges : "no port", et);
  az_issue_evidence(c, is, "Reachability Analyzer: SUBNET_ACL_RESTRICTION");
}
