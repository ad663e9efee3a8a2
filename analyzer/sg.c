#include <stdio.h>
#include <string.h>

#include "rules.h"

static void proto_ports_text(int proto, int from, int to, char *out, size_t n)
{
  const char *pn = proto == AZ_PROTO_TCP    ? "tcp"
                   : proto == AZ_PROTO_UDP  ? "udp"
                   : proto == AZ_PROTO_ICMP ? "icmp"
                                            : NULL;
  if(proto == AZ_PROTO_ALL) {
    snprintf(out, n, "all traffic");
    return;
  }
  if(!pn) {
    snprintf(out, n, "protocol %d", proto);
    return;
  }
  if(from < 0 || (from == 0 && to == 65535))
    snprintf(out, n, "%s all ports", pn);
  else if(from == to)
    snprintf(out, n, "%s %d", pn, from);
  else
    snprintf(out, n, "%s %d-%d", pn, from, to);
}

void az_sg_rule_text(const az_sg_rule *r, bool egress, char *out, size_t n)
{
  char pp[48], peer[128], cb[XD_CIDR_STRLEN];
  proto_ports_text(r->proto, r->from_port, r->to_port, pp, sizeof(pp));
  switch(r->kind) {
  case AZ_PEER_CIDR4:
  case AZ_PEER_CIDR6:
    xd_cidr_format(&r->cidr, cb, sizeof(cb));
    snprintf(peer, sizeof(peer), "%s", cb);
    break;
  case AZ_PEER_GROUP:
    if(r->user_id)
      snprintf(peer, sizeof(peer), "%s/%s", r->user_id,
               r->group_id ? r->group_id : "?");
    else
      snprintf(peer, sizeof(peer), "%s", r->group_id ? r->group_id : "?");
    break;
  case AZ_PEER_PREFIX_LIST:
    snprintf(peer, sizeof(peer), "%s", r->prefix_list ? r->prefix_list : "?");
    break;
  }
  snprintf(out, n, "%s %s %s", pp, egress ? "to" : "from", peer);
}

bool az_sg_rule_covers(const az_sg_rule *r, int proto, int port)
{
  if(r->proto == AZ_PROTO_ALL)
    return true;
  if(r->proto != proto)
    return false;
  if(r->from_port < 0)
    return true;
  return port >= r->from_port && port <= r->to_port;
}

static bool in_list(const char *id, const char *const *list, size_t n)
{
  for(size_t i = 0; id && i < n; i++)
    if(list[i] && !strcmp(list[i], id))
      return true;
  return false;
}

/* A group-pair rule: matches when it names one of the peer's groups and
 * the reference can hold: the right account, the same Region, and an
 * active peering when the group is in another VPC. */
static bool group_rule(const az_sg_rule *r, const az_sg_query *q,
                       az_sgref_why *why)
{
  bool other_vpc;
  *why = AZ_SGREF_NONE;
  if(!in_list(r->group_id, q->peer_sgs, q->n_peer_sgs))
    return false;
  if(r->user_id && q->peer_account && strcmp(r->user_id, q->peer_account)) {
    *why = AZ_SGREF_WRONG_ACCOUNT;
    return false;
  }
  other_vpc = q->peer_vpc && q->own_vpc && strcmp(q->peer_vpc, q->own_vpc);
  if(other_vpc && q->cross_region) {
    *why = AZ_SGREF_CROSS_REGION;
    return false;
  }
  if(other_vpc && (!q->peering_active ||
                   (r->peering_status && strcmp(r->peering_status, "active")))) {
    *why = AZ_SGREF_UNRESOLVED;
    return false;
  }
  return true;
}

void az_sg_eval(const az_index *ix, const char *const *sg_ids, size_t n,
                const az_sg_query *q, az_sg_result *out)
{
  memset(out, 0, sizeof(*out));
  out->v = AZ_V_DENY;
  for(size_t i = 0; i < n; i++) {
    const az_sg *sg = az_ix_sg(ix, sg_ids[i]);
    const az_sg_rule *rules;
    size_t nr;
    if(!sg) {
      if(!out->missing_sg)
        out->missing_sg = sg_ids[i];
      continue;
    }
    rules = q->egress ? sg->egress : sg->ingress;
    nr = q->egress ? sg->n_egress : sg->n_ingress;
    for(size_t k = 0; k < nr; k++) {
      const az_sg_rule *r = &rules[k];
      bool match = false;
      out->n_rules++;
      if(!az_sg_rule_covers(r, q->proto, q->port))
        continue;
      switch(r->kind) {
      case AZ_PEER_CIDR4:
      case AZ_PEER_CIDR6:
        if(xd_cidr_contains(&r->cidr, q->peer))
          match = true;
        else if(xd_cidr_overlaps(&r->cidr, q->peer) && !out->partial_rule) {
          out->partial_sg = sg;
          out->partial_rule = r;
        }
        break;
      case AZ_PEER_GROUP: {
        az_sgref_why why;
        match = group_rule(r, q, &why);
        if(!match && why != AZ_SGREF_NONE && !out->bad_rule) {
          out->bad_sg = sg;
          out->bad_rule = r;
          out->bad_why = why;
        }
        break;
      }
      case AZ_PEER_PREFIX_LIST: {
        const az_prefix_list *pl = az_ix_pl(ix, r->prefix_list);
        if(!pl || !pl->entries_known) {
          if(!out->unknown_pl)
            out->unknown_pl = r->prefix_list;
          break;
        }
        for(size_t e = 0; e < pl->n_cidrs && !match; e++)
          match = xd_cidr_contains(&pl->cidrs[e], q->peer);
        break;
      }
      }
      if(match) {
        out->v = AZ_V_ALLOW;
        out->sg = sg;
        out->rule = r;
        return;
      }
    }
  }
  if(out->missing_sg || out->unknown_pl)
    out->v = AZ_V_UNKNOWN;
}
