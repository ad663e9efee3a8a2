/* analyzer/snapshot_pcx.c: what joins a VPC to others and names address
 * sets: peering connections, network interfaces (optional) and managed
 * prefix lists with their entries (optional, looked for when a route or a
 * security group refers to one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "snapshot_priv.h"

#define PL_ENTRIES "ec2-get-managed-prefix-list-entries--"

/* ---- peering connections ---- */

static xd_rc read_pcx_side(az_ld *L, const cJSON *pcx, const char *key,
                           az_pcx_side *s)
{
  const cJSON *info, *opts;
  bool present;
  xd_cidr c;
  size_t mark;
  xd_rc rc;
  s->allow_dns_from_remote = AZ_UNKNOWN;
  if((rc = ld_object(L, pcx, key, &info)) != XD_OK)
    return rc;
  if(!info) {
    s->owner = s->vpc_id = "";
    return XD_OK;
  }
  mark = ld_enter(L, key);
  if((rc = ld_id(L, info, "OwnerId", AZ_ID_ACCOUNT, false, &s->owner)) ||
     (rc = ld_id(L, info, "VpcId", AZ_ID_VPC, false, &s->vpc_id)) ||
     (rc = ld_id(L, info, "Region", AZ_ID_REGION, false, &s->region)) ||
     (rc = ld_cidr(L, info, "CidrBlock", 4, &present, &c)) ||
     (rc = ld_cidr_set(L, info, "CidrBlockSet", "CidrBlock", NULL, 4, &s->cidrs,
                    &s->n_cidrs)) ||
     (rc = ld_cidr_set(L, info, "Ipv6CidrBlockSet", "Ipv6CidrBlock", NULL, 6,
                    &s->cidrs6, &s->n_cidrs6)) ||
     (rc = ld_object(L, info, "PeeringOptions", &opts)))
    return rc;
  if(present && !s->n_cidrs) {
    s->cidrs = xd_arena_calloc(&L->m->arena, 1, sizeof(xd_cidr));
    if(!s->cidrs)
      return ld_nomem(L);
    s->cidrs[s->n_cidrs++] = c;
  }
  if(opts) {
    size_t m2 = ld_enter(L, "PeeringOptions");
    if((rc = ld_tri(L, opts, "AllowDnsResolutionFromRemoteVpc",
                    &s->allow_dns_from_remote)) != XD_OK)
      return rc;
    ld_leave(L, m2);
  }
  s->owner = (char *)ld_or_empty(s->owner);
  s->vpc_id = (char *)ld_or_empty(s->vpc_id);
  ld_leave(L, mark);
  return XD_OK;
}

static xd_rc read_pcx(az_ld *L, const cJSON *it, void *ctx)
{
  az_pcx *p = LD_SLOT(L, L->m->pcxs, L->m->n_pcxs, L->cap_pcxs);
  const cJSON *status;
  xd_rc rc;
  if(!p)
    return ld_nomem(L);
  p->account = (char *)L->account;
  p->region = (char *)L->region;
  p->src = L->rel;
  if((rc = ld_id(L, it, "VpcPeeringConnectionId", AZ_ID_PCX, true, &p->id)) ||
     (rc = ld_str(L, it, "ExpirationTime", false, &p->expiration)) ||
     (rc = ld_object(L, it, "Status", &status)) ||
     (rc = read_pcx_side(L, it, "RequesterVpcInfo", &p->requester)) ||
     (rc = read_pcx_side(L, it, "AccepterVpcInfo", &p->accepter)))
    return rc;
  if(status) {
    size_t mark = ld_enter(L, "Status");
    if((rc = ld_str(L, status, "Code", false, &p->status)) ||
       (rc = ld_str(L, status, "Message", false, &p->status_message)))
      return rc;
    ld_leave(L, mark);
  }
  if(!p->status)
    p->status = "unknown";
  return XD_OK;
}

xd_rc ld_load_pcxs(az_ld *L)
{
  return ld_load_list(L, "ec2-describe-vpc-peering-connections.json",
                      "VpcPeeringConnections", "VPC peering connections",
                      read_pcx, NULL);
}

/* ---- network interfaces (optional) ---- */

static xd_rc read_eni_ip(az_ld *L, const cJSON *x, void *ctx)
{
  az_eni *n = ctx;
  char *ip;
  xd_rc rc = ld_ip(L, x, "PrivateIpAddress", &ip);
  if(rc == XD_OK && ip)
    n->private_ips[n->n_private_ips++] = ip;
  return rc;
}

static xd_rc read_eni_group(az_ld *L, const cJSON *x, void *ctx)
{
  az_eni *n = ctx;
  xd_rc rc = ld_id(L, x, "GroupId", AZ_ID_SG, true, &n->group_ids[n->n_group_ids]);
  if(rc == XD_OK)
    n->n_group_ids++;
  return rc;
}

static xd_rc read_eni(az_ld *L, const cJSON *it, void *ctx)
{
  az_eni *n = LD_SLOT(L, L->m->enis, L->m->n_enis, L->cap_enis);
  const cJSON *ips, *groups, *assoc, *att;
  size_t mark;
  xd_rc rc;
  if(!n)
    return ld_nomem(L);
  n->account = (char *)L->account;
  n->region = (char *)L->region;
  n->src = L->rel;
  if((rc = ld_id(L, it, "NetworkInterfaceId", AZ_ID_ENI, true, &n->id)) ||
     (rc = ld_id(L, it, "OwnerId", AZ_ID_ACCOUNT, false, &n->owner)) ||
     (rc = ld_id(L, it, "VpcId", AZ_ID_VPC, false, &n->vpc_id)) ||
     (rc = ld_id(L, it, "SubnetId", AZ_ID_SUBNET, false, &n->subnet_id)) ||
     (rc = ld_ip(L, it, "PrivateIpAddress", &n->private_ip)) ||
     (rc = ld_str(L, it, "Description", false, &n->description)) ||
     (rc = ld_str(L, it, "InterfaceType", false, &n->interface_type)) ||
     (rc = ld_str(L, it, "RequesterId", false, &n->requester_id)) ||
     (rc = ld_str(L, it, "Status", false, &n->status)) ||
     (rc = ld_array(L, it, "PrivateIpAddresses", &ips)) ||
     (rc = ld_array(L, it, "Groups", &groups)) ||
     (rc = ld_object(L, it, "Association", &assoc)) ||
     (rc = ld_object(L, it, "Attachment", &att)))
    return rc;
  if(!n->owner)
    n->owner = n->account;
  n->vpc_id = (char *)ld_or_empty(n->vpc_id);
  n->subnet_id = (char *)ld_or_empty(n->subnet_id);
  n->status = (char *)ld_or_empty(n->status);
  if(assoc) {
    mark = ld_enter(L, "Association");
    if((rc = ld_ip(L, assoc, "PublicIp", &n->public_ip)) != XD_OK)
      return rc;
    ld_leave(L, mark);
  }
  if(att) {
    mark = ld_enter(L, "Attachment");
    if((rc = ld_id(L, att, "InstanceId", AZ_ID_INSTANCE, false, &n->instance_id)) != XD_OK)
      return rc;
    ld_leave(L, mark);
  }
  if((ips && !(n->private_ips = ld_calloc_for(L, ips, sizeof(char *)))) ||
     (groups && !(n->group_ids = ld_calloc_for(L, groups, sizeof(char *)))))
    return ld_nomem(L);
  if((rc = ld_each(L, ips, "PrivateIpAddresses", read_eni_ip, n)) != XD_OK)
    return rc;
  return ld_each(L, groups, "Groups", read_eni_group, n);
}

xd_rc ld_load_enis(az_ld *L)
{
  return ld_load_list(L, "ec2-describe-network-interfaces.json",
                      "NetworkInterfaces",
                      L->ref_enis ? "network interfaces (a route targets one)"
                                  : NULL,
                      read_eni, NULL);
}

/* ---- managed prefix lists (optional) ---- */

static az_prefix_list *region_pl(az_ld *L, size_t first, const char *id)
{
  for(size_t i = first; i < L->m->n_prefix_lists; i++)
    if(!strcmp(L->m->prefix_lists[i].id, id))
      return &L->m->prefix_lists[i];
  return NULL;
}

static az_prefix_list *new_pl(az_ld *L)
{
  az_prefix_list *p = LD_SLOT(L, L->m->prefix_lists, L->m->n_prefix_lists,
                              L->cap_pls);
  if(p) {
    p->account = (char *)L->account;
    p->region = (char *)L->region;
    p->src = L->rel;
  }
  return p;
}

static xd_rc read_pl(az_ld *L, const cJSON *it, void *ctx)
{
  az_prefix_list *p = new_pl(L);
  xd_rc rc;
  if(!p)
    return ld_nomem(L);
  if((rc = ld_id(L, it, "PrefixListId", AZ_ID_PL, true, &p->id)) ||
     (rc = ld_str(L, it, "PrefixListName", false, &p->name)) ||
     (rc = ld_str(L, it, "AddressFamily", false, &p->address_family)))
    return rc;
  return XD_OK;
}

static xd_rc read_pl_entry(az_ld *L, const cJSON *it, void *ctx)
{
  az_prefix_list *p = ctx;
  bool present;
  xd_rc rc = ld_cidr(L, it, "Cidr", 0, &present, &p->cidrs[p->n_cidrs]);
  if(rc == XD_OK && present)
    p->n_cidrs++;
  return rc;
}

static xd_rc read_pl_entries(az_ld *L, size_t first, const char *name)
{
  size_t plen = strlen(PL_ENTRIES), n = strlen(name);
  char id[256];
  const cJSON *arr;
  cJSON *root = NULL;
  az_prefix_list *p;
  xd_rc rc;
  snprintf(id, sizeof(id), "%.*s", (int)(n - plen - 5), name + plen);
  if((rc = ld_open_in(L, name, "Entries", NULL, &root)) != XD_OK || !root)
    return rc;
  if((rc = ld_top_array(L, root, "Entries", &arr)) != XD_OK)
    goto done;
  p = region_pl(L, first, id);
  if(!p) {
    if(!(p = new_pl(L)) || !(p->id = xd_arena_strdup(&L->m->arena, id))) {
      rc = ld_nomem(L);
      goto done;
    }
  }
  if(!(p->cidrs = ld_calloc_for(L, arr, sizeof(xd_cidr)))) {
    rc = ld_nomem(L);
    goto done;
  }
  if((rc = ld_each(L, arr, "Entries", read_pl_entry, p)) == XD_OK)
    p->entries_known = true;
done:
  ld_close(L, root);
  return rc;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

xd_rc ld_load_prefix_lists(az_ld *L, char **names, size_t n_names)
{
  size_t i, first = L->m->n_prefix_lists, plen = strlen(PL_ENTRIES);
  const char **refs = NULL;
  size_t n_refs = 0;
  xd_rc rc = ld_load_list(L, "ec2-describe-managed-prefix-lists.json",
                          "PrefixLists",
                          L->ref_pls.n ? "managed prefix lists (a route or "
                                         "security group refers to one)"
                                       : NULL,
                          read_pl, NULL);
  if(rc != XD_OK)
    return rc;
  for(i = 0; i < n_names; i++) {
    size_t len = strlen(names[i]);
    if(len > plen + 5 && !strncmp(names[i], PL_ENTRIES, plen) &&
       !strcmp(names[i] + len - 5, ".json") &&
       (rc = read_pl_entries(L, first, names[i])) != XD_OK)
      goto done;
  }
  /* every referenced list whose entries are not in the snapshot, in a
   * stable order */
  refs = calloc(L->ref_pls.n + 1, sizeof(*refs));
  if(!refs) {
    rc = ld_nomem(L);
    goto done;
  }
  for(i = 0; i < L->ref_pls.cap; i++)
    if(L->ref_pls.slot[i])
      refs[n_refs++] = L->ref_pls.slot[i];
  if(n_refs)
    qsort(refs, n_refs, sizeof(*refs), cmp_str);
  for(i = 0; i < n_refs; i++) {
    const az_prefix_list *p = region_pl(L, first, refs[i]);
    char name[512], what[300];
    const char *erel;
    if(p && p->entries_known)
      continue;
    snprintf(name, sizeof(name), PL_ENTRIES "%s.json", refs[i]);
    snprintf(what, sizeof(what), "the CIDR blocks of prefix list %s", refs[i]);
    if(!(erel = ld_rel(L, L->region, name))) {
      rc = ld_nomem(L);
      goto done;
    }
    if((rc = ld_missing(L, erel, what)) != XD_OK)
      goto done;
  }
done:
  free(refs);
  return rc;
}

