/* analyzer/snapshot_rules.c: the filters of one region folder: security
 * groups (each IpPermission flattened to one rule per source) and network
 * ACLs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "snapshot_priv.h"

/* ---- security groups ---- */

/* Protocol and ports of one IpPermission; the sources share them. */
static xd_rc read_perm_head(az_ld *L, const cJSON *p, az_sg_rule *h)
{
  char *proto;
  long from = -1, to = -1;
  bool has_from, has_to;
  xd_rc rc;
  long lo = -1, hi = 65535;
  const char *what = "a port number";
  if((rc = ld_str(L, p, "IpProtocol", true, &proto)) != XD_OK)
    return rc;
  if(!ld_proto(proto, &h->proto))
    return ld_bad_value(L, "IpProtocol", proto,
                        "a protocol (-1, tcp, udp, icmp, icmpv6 or 0 to 255)");
  if(h->proto == AZ_PROTO_TCP || h->proto == AZ_PROTO_UDP)
    lo = 0;
  else if(h->proto == AZ_PROTO_ICMP || h->proto == AZ_PROTO_ICMPV6) {
    hi = 255;
    what = "an ICMP type or code";
  }
  if((rc = ld_long(L, p, "FromPort", lo, hi, what, &has_from, &from)) ||
     (rc = ld_long(L, p, "ToPort", lo, hi, what, &has_to, &to)))
    return rc;
  if(h->proto == AZ_PROTO_ALL)
    from = to = -1;
  else if((h->proto == AZ_PROTO_TCP || h->proto == AZ_PROTO_UDP) &&
          has_from && has_to && from > to)
    return ld_fail(L, XD_E_INVALID, "FromPort",
                   "%ld is above ToPort %ld", from, to);
  h->from_port = has_from ? (int)from : -1;
  h->to_port = has_to ? (int)to : -1;
  return XD_OK;
}

static size_t count_sources(const cJSON *p)
{
  static const char *lists[] = {"IpRanges", "Ipv6Ranges", "UserIdGroupPairs",
                                "PrefixListIds"};
  size_t n = 0;
  for(size_t k = 0; k < 4; k++) {
    const cJSON *a = ld_get(p, lists[k]);
    if(cJSON_IsArray(a))
      n += (size_t)cJSON_GetArraySize(a);
  }
  return n;
}

/* Where the sources of one IpPermission go, and what they share. */
typedef struct {
  az_sg_rule head; /* protocol and ports */
  az_peer_kind kind;
  az_sg_rule *out;
  size_t *n;
} perm_ctx;

/* One source of an IpPermission: one az_sg_rule. */
static xd_rc read_source(az_ld *L, const cJSON *s, void *ctx)
{
  perm_ctx *pc = ctx;
  az_sg_rule *r = &pc->out[*pc->n];
  bool present;
  xd_rc rc;
  *r = pc->head;
  rc = ld_str(L, s, "Description", false, &r->description);
  r->kind = pc->kind;
  if(rc != XD_OK)
    return rc;
  switch(pc->kind) {
  case AZ_PEER_CIDR4:
  case AZ_PEER_CIDR6: {
    const char *key = pc->kind == AZ_PEER_CIDR4 ? "CidrIp" : "CidrIpv6";
    if((rc = ld_cidr(L, s, key, pc->kind == AZ_PEER_CIDR4 ? 4 : 6, &present,
                     &r->cidr)) != XD_OK)
      return rc;
    if(!present)
      return ld_fail(L, XD_E_PARSE, key, "missing (required)");
    break;
  }
  case AZ_PEER_GROUP:
    if((rc = ld_id(L, s, "GroupId", AZ_ID_SG, true, &r->group_id)) ||
       (rc = ld_str(L, s, "UserId", false, &r->user_id)) ||
       /* Classic ELB's groups are owned by "amazon-elb" */
       (rc = r->user_id && strcmp(r->user_id, "amazon-elb")
                 ? ld_check_id(L, "UserId", AZ_ID_ACCOUNT, r->user_id)
                 : XD_OK) ||
       (rc = ld_id(L, s, "VpcId", AZ_ID_VPC, false, &r->vpc_id)) ||
       (rc = ld_id(L, s, "VpcPeeringConnectionId", AZ_ID_PCX, false, &r->peering_id)) ||
       (rc = ld_str(L, s, "PeeringStatus", false, &r->peering_status)))
      return rc;
    break;
  case AZ_PEER_PREFIX_LIST:
    if((rc = ld_id(L, s, "PrefixListId", AZ_ID_PL, true, &r->prefix_list)) ||
       (rc = ld_set_add(L, &L->ref_pls, r->prefix_list)))
      return rc;
    break;
  }
  (*pc->n)++;
  return XD_OK;
}

/* One IpPermission: its head, then the sources of each list. */
static xd_rc read_perm(az_ld *L, const cJSON *p, void *ctx)
{
  static const struct {
    const char *list;
    az_peer_kind kind;
  } lists[] = {
    {"IpRanges", AZ_PEER_CIDR4}, {"Ipv6Ranges", AZ_PEER_CIDR6},
    {"UserIdGroupPairs", AZ_PEER_GROUP}, {"PrefixListIds", AZ_PEER_PREFIX_LIST},
  };
  perm_ctx *pc = ctx;
  xd_rc rc;
  memset(&pc->head, 0, sizeof(pc->head));
  if((rc = read_perm_head(L, p, &pc->head)) != XD_OK)
    return rc;
  for(size_t k = 0; k < 4; k++) {
    const cJSON *arr;
    pc->kind = lists[k].kind;
    if((rc = ld_array(L, p, lists[k].list, &arr)) ||
       (rc = ld_each(L, arr, lists[k].list, read_source, pc)))
      return rc;
  }
  return XD_OK;
}

/* Flatten IpPermissions: one az_sg_rule per source. */
static xd_rc read_perms(az_ld *L, const cJSON *sg, const char *key,
                        az_sg_rule **out, size_t *n)
{
  perm_ctx pc;
  const cJSON *perms, *p;
  size_t total = 0;
  xd_rc rc = ld_array(L, sg, key, &perms);
  if(rc != XD_OK || !perms)
    return rc;
  cJSON_ArrayForEach(p, perms)
    total += count_sources(p);
  *out = xd_arena_calloc(&L->m->arena, total + 1, sizeof(az_sg_rule));
  if(!*out)
    return ld_nomem(L);
  memset(&pc, 0, sizeof(pc));
  pc.out = *out;
  pc.n = n;
  return ld_each(L, perms, key, read_perm, &pc);
}

static xd_rc read_sg(az_ld *L, const cJSON *it, void *ctx)
{
  az_sg *g = LD_SLOT(L, L->m->sgs, L->m->n_sgs, L->cap_sgs);
  xd_rc rc;
  if(!g)
    return ld_nomem(L);
  g->account = (char *)L->account;
  g->region = (char *)L->region;
  g->src = L->rel;
  if((rc = ld_id(L, it, "GroupId", AZ_ID_SG, true, &g->id)) ||
     (rc = ld_str(L, it, "GroupName", false, &g->name)) ||
     (rc = ld_str(L, it, "Description", false, &g->description)) ||
     (rc = ld_id(L, it, "VpcId", AZ_ID_VPC, false, &g->vpc_id)) ||
     (rc = ld_id(L, it, "OwnerId", AZ_ID_ACCOUNT, false, &g->owner)) ||
     (rc = read_perms(L, it, "IpPermissions", &g->ingress, &g->n_ingress)) ||
     (rc = read_perms(L, it, "IpPermissionsEgress", &g->egress,
                      &g->n_egress)))
    return rc;
  g->name = (char *)ld_or_empty(g->name);
  g->description = (char *)ld_or_empty(g->description);
  g->vpc_id = (char *)ld_or_empty(g->vpc_id);
  if(!g->owner)
    g->owner = g->account;
  return XD_OK;
}

xd_rc ld_load_sgs(az_ld *L)
{
  return ld_load_list(L, "ec2-describe-security-groups.json",
                      "SecurityGroups", "security groups", read_sg, NULL);
}

/* ---- network ACLs ---- */

static xd_rc read_nacl_entry(az_ld *L, const cJSON *x, void *ctx)
{
  az_nacl *a = ctx;
  az_nacl_entry *en = &a->entries[a->n_entries];
  char *proto, *action;
  long num = 0, v = 0;
  bool present, p4 = false, p6 = false;
  const cJSON *range, *icmp;
  xd_rc rc;
  en->from_port = en->to_port = en->icmp_type = en->icmp_code = -1;
  if((rc = ld_long(L, x, "RuleNumber", 1, 32767, "a rule number", &present,
                   &num)) != XD_OK)
    return rc;
  if(!present)
    return ld_fail(L, XD_E_PARSE, "RuleNumber", "missing (required)");
  en->rule_number = (int)num;
  if((rc = ld_bool(L, x, "Egress", false, &en->egress)) ||
     (rc = ld_str(L, x, "RuleAction", true, &action)) ||
     (rc = ld_str(L, x, "Protocol", true, &proto)) ||
     (rc = ld_cidr(L, x, "CidrBlock", 4, &p4, &en->cidr)) ||
     (!p4 && (rc = ld_cidr(L, x, "Ipv6CidrBlock", 6, &p6, &en->cidr))) ||
     (rc = ld_object(L, x, "PortRange", &range)) ||
     (rc = ld_object(L, x, "IcmpTypeCode", &icmp)))
    return rc;
  if(!strcmp(action, "allow"))
    en->allow = true;
  else if(strcmp(action, "deny"))
    return ld_bad_value(L, "RuleAction", action, "allow or deny");
  if(!ld_proto(proto, &en->proto))
    return ld_bad_value(L, "Protocol", proto, "a protocol number (-1 or 0 to 255)");
  if(!p4 && !p6)
    return ld_fail(L, XD_E_PARSE, NULL,
                   "an entry without CidrBlock or Ipv6CidrBlock");
  if(range) {
    size_t mark = ld_enter(L, "PortRange");
    if((rc = ld_long(L, range, "From", 0, 65535, "a port number", &present,
                     &v)) != XD_OK)
      return rc;
    if(present)
      en->from_port = (int)v;
    if((rc = ld_long(L, range, "To", 0, 65535, "a port number", &present,
                     &v)) != XD_OK)
      return rc;
    if(present)
      en->to_port = (int)v;
    if(en->from_port >= 0 && en->to_port >= 0 && en->from_port > en->to_port)
      return ld_fail(L, XD_E_INVALID, "From", "%d is above To %d",
                     en->from_port, en->to_port);
    ld_leave(L, mark);
  }
  if(icmp) {
    size_t mark = ld_enter(L, "IcmpTypeCode");
    if((rc = ld_long(L, icmp, "Type", -1, 255, "an ICMP type", &present,
                     &v)) != XD_OK)
      return rc;
    if(present)
      en->icmp_type = (int)v;
    if((rc = ld_long(L, icmp, "Code", -1, 255, "an ICMP code", &present,
                     &v)) != XD_OK)
      return rc;
    if(present)
      en->icmp_code = (int)v;
    ld_leave(L, mark);
  }
  a->n_entries++;
  return XD_OK;
}

static xd_rc read_nacl_assoc(az_ld *L, const cJSON *x, void *ctx)
{
  az_nacl *a = ctx;
  char *subnet;
  xd_rc rc = ld_id(L, x, "SubnetId", AZ_ID_SUBNET, false, &subnet);
  if(rc == XD_OK && subnet)
    a->subnet_ids[a->n_subnet_ids++] = subnet;
  return rc;
}

static xd_rc read_nacl(az_ld *L, const cJSON *it, void *ctx)
{
  az_nacl *a = LD_SLOT(L, L->m->nacls, L->m->n_nacls, L->cap_nacls);
  const cJSON *entries, *assocs;
  xd_rc rc;
  if(!a)
    return ld_nomem(L);
  a->account = (char *)L->account;
  a->region = (char *)L->region;
  a->src = L->rel;
  if((rc = ld_id(L, it, "NetworkAclId", AZ_ID_ACL, true, &a->id)) ||
     (rc = ld_id(L, it, "VpcId", AZ_ID_VPC, true, &a->vpc_id)) ||
     (rc = ld_id(L, it, "OwnerId", AZ_ID_ACCOUNT, false, &a->owner)) ||
     (rc = ld_bool(L, it, "IsDefault", false, &a->is_default)) ||
     (rc = ld_array(L, it, "Entries", &entries)) ||
     (rc = ld_array(L, it, "Associations", &assocs)))
    return rc;
  if(!a->owner)
    a->owner = a->account;
  if((entries &&
      !(a->entries = ld_calloc_for(L, entries, sizeof(az_nacl_entry)))) ||
     (assocs && !(a->subnet_ids = ld_calloc_for(L, assocs, sizeof(char *)))))
    return ld_nomem(L);
  if((rc = ld_each(L, entries, "Entries", read_nacl_entry, a)) != XD_OK)
    return rc;
  return ld_each(L, assocs, "Associations", read_nacl_assoc, a);
}

xd_rc ld_load_nacls(az_ld *L)
{
  return ld_load_list(L, "ec2-describe-network-acls.json", "NetworkAcls",
                      "network ACLs", read_nacl, NULL);
}
