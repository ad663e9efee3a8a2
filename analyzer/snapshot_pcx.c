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
  if((rc = ld_str(L, info, "OwnerId", false, &s->owner)) ||
     (rc = ld_str(L, info, "VpcId", false, &s->vpc_id)) ||
     (rc = ld_str(L, info, "Region", false, &s->region)) ||
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

xd_rc ld_load_pcxs(az_ld *L)
{
  const char *rel = ld_rel(L, L->region,
                           "ec2-describe-vpc-peering-connections.json");
  const cJSON *arr, *it, *status;
  cJSON *root = NULL;
  size_t i = 0, mark;
  xd_rc rc;
  if(!rel)
    return ld_nomem(L);
  if((rc = ld_open(L, rel, "VpcPeeringConnections", &root)) != XD_OK)
    return rc;
  if(!root)
    return ld_missing(L, rel, "VPC peering connections");
  if((rc = ld_top_array(L, root, "VpcPeeringConnections", &arr)) != XD_OK)
    goto done;
  ld_enter(L, "VpcPeeringConnections");
  cJSON_ArrayForEach(it, arr) {
    az_pcx *p;
    if((rc = ld_item(L, it, i++, &mark)) != XD_OK)
      goto done;
    p = LD_SLOT(L, L->m->pcxs, L->m->n_pcxs, L->cap_pcxs);
    if(!p) {
      rc = ld_nomem(L);
      goto done;
    }
    p->account = (char *)L->account;
    p->region = (char *)L->region;
    p->src = L->rel;
    if((rc = ld_str(L, it, "VpcPeeringConnectionId", true, &p->id)) ||
       (rc = ld_str(L, it, "ExpirationTime", false, &p->expiration)) ||
       (rc = ld_object(L, it, "Status", &status)) ||
       (rc = read_pcx_side(L, it, "RequesterVpcInfo", &p->requester)) ||
       (rc = read_pcx_side(L, it, "AccepterVpcInfo", &p->accepter)))
      goto done;
    if(status) {
      size_t m2 = ld_enter(L, "Status");
      if((rc = ld_str(L, status, "Code", false, &p->status)) ||
         (rc = ld_str(L, status, "Message", false, &p->status_message)))
        goto done;
      ld_leave(L, m2);
    }
    if(!p->status)
      p->status = "unknown";
    ld_leave(L, mark);
  }
done:
  ld_close(L, root);
  return rc;
}

/* ---- network interfaces (optional) ---- */

static xd_rc read_eni(az_ld *L, const cJSON *it, az_eni *n)
{
  const cJSON *ips, *groups, *assoc, *att, *x;
  size_t i = 0, mark, m2;
  xd_rc rc;
  n->account = (char *)L->account;
  n->region = (char *)L->region;
  n->src = L->rel;
  if((rc = ld_str(L, it, "NetworkInterfaceId", true, &n->id)) ||
     (rc = ld_str(L, it, "OwnerId", false, &n->owner)) ||
     (rc = ld_str(L, it, "VpcId", false, &n->vpc_id)) ||
     (rc = ld_str(L, it, "SubnetId", false, &n->subnet_id)) ||
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
    m2 = ld_enter(L, "Association");
    if((rc = ld_ip(L, assoc, "PublicIp", &n->public_ip)) != XD_OK)
      return rc;
    ld_leave(L, m2);
  }
  if(att) {
    m2 = ld_enter(L, "Attachment");
    if((rc = ld_str(L, att, "InstanceId", false, &n->instance_id)) != XD_OK)
      return rc;
    ld_leave(L, m2);
  }
  if(ips) {
    n->private_ips = xd_arena_calloc(&L->m->arena,
                                     (size_t)cJSON_GetArraySize(ips) + 1,
                                     sizeof(char *));
    if(!n->private_ips)
      return ld_nomem(L);
    m2 = ld_enter(L, "PrivateIpAddresses");
    cJSON_ArrayForEach(x, ips) {
      char *ip;
      if((rc = ld_item(L, x, i++, &mark)) ||
         (rc = ld_ip(L, x, "PrivateIpAddress", &ip)))
        return rc;
      if(ip)
        n->private_ips[n->n_private_ips++] = ip;
      ld_leave(L, mark);
    }
    ld_leave(L, m2);
  }
  if(groups) {
    n->group_ids = xd_arena_calloc(&L->m->arena,
                                   (size_t)cJSON_GetArraySize(groups) + 1,
                                   sizeof(char *));
    if(!n->group_ids)
      return ld_nomem(L);
    i = 0;
    m2 = ld_enter(L, "Groups");
    cJSON_ArrayForEach(x, groups) {
      if((rc = ld_item(L, x, i++, &mark)) ||
         (rc = ld_str(L, x, "GroupId", true, &n->group_ids[n->n_group_ids])))
        return rc;
      n->n_group_ids++;
      ld_leave(L, mark);
    }
    ld_leave(L, m2);
  }
  return XD_OK;
}

xd_rc ld_load_enis(az_ld *L)
{
  const char *rel = ld_rel(L, L->region,
                           "ec2-describe-network-interfaces.json");
  const cJSON *arr, *it;
  cJSON *root = NULL;
  size_t i = 0, mark;
  xd_rc rc;
  if(!rel)
    return ld_nomem(L);
  if((rc = ld_open(L, rel, "NetworkInterfaces", &root)) != XD_OK)
    return rc;
  if(!root)
    return L->ref_enis
               ? ld_missing(L, rel, "network interfaces (a route targets one)")
               : XD_OK;
  if((rc = ld_top_array(L, root, "NetworkInterfaces", &arr)) != XD_OK)
    goto done;
  ld_enter(L, "NetworkInterfaces");
  cJSON_ArrayForEach(it, arr) {
    az_eni *n;
    if((rc = ld_item(L, it, i++, &mark)) != XD_OK)
      goto done;
    n = LD_SLOT(L, L->m->enis, L->m->n_enis, L->cap_enis);
    if(!n) {
      rc = ld_nomem(L);
      goto done;
    }
    if((rc = read_eni(L, it, n)) != XD_OK)
      goto done;
    ld_leave(L, mark);
  }
done:
  ld_close(L, root);
  return rc;
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

static xd_rc read_pl_entries(az_ld *L, size_t first, const char *name)
{
  size_t plen = strlen(PL_ENTRIES), n = strlen(name), i = 0, mark;
  char id[256];
  const char *rel = ld_rel(L, L->region, name);
  const cJSON *arr, *it;
  cJSON *root = NULL;
  az_prefix_list *p;
  xd_rc rc;
  snprintf(id, sizeof(id), "%.*s", (int)(n - plen - 5), name + plen);
  if(!rel)
    return ld_nomem(L);
  if((rc = ld_open(L, rel, "Entries", &root)) != XD_OK || !root)
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
  p->cidrs = xd_arena_calloc(&L->m->arena, (size_t)cJSON_GetArraySize(arr) + 1,
                             sizeof(xd_cidr));
  if(!p->cidrs) {
    rc = ld_nomem(L);
    goto done;
  }
  ld_enter(L, "Entries");
  cJSON_ArrayForEach(it, arr) {
    bool present;
    if((rc = ld_item(L, it, i++, &mark)) ||
       (rc = ld_cidr(L, it, "Cidr", 0, &present, &p->cidrs[p->n_cidrs])))
      goto done;
    if(present)
      p->n_cidrs++;
    ld_leave(L, mark);
  }
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
  const char *rel = ld_rel(L, L->region,
                           "ec2-describe-managed-prefix-lists.json");
  const cJSON *arr, *it;
  cJSON *root = NULL;
  size_t i = 0, mark, first = L->m->n_prefix_lists, plen = strlen(PL_ENTRIES);
  const char **refs = NULL;
  size_t n_refs = 0;
  xd_rc rc;
  if(!rel)
    return ld_nomem(L);
  if((rc = ld_open(L, rel, "PrefixLists", &root)) != XD_OK)
    return rc;
  if(!root && L->ref_pls.n &&
     (rc = ld_missing(L, rel, "managed prefix lists (a route or security "
                      "group refers to one)")) != XD_OK)
    return rc;
  if(root) {
    if((rc = ld_top_array(L, root, "PrefixLists", &arr)) != XD_OK)
      goto done;
    ld_enter(L, "PrefixLists");
    cJSON_ArrayForEach(it, arr) {
      az_prefix_list *p;
      if((rc = ld_item(L, it, i++, &mark)) != XD_OK)
        goto done;
      if(!(p = new_pl(L))) {
        rc = ld_nomem(L);
        goto done;
      }
      if((rc = ld_str(L, it, "PrefixListId", true, &p->id)) ||
         (rc = ld_str(L, it, "PrefixListName", false, &p->name)) ||
         (rc = ld_str(L, it, "AddressFamily", false, &p->address_family)))
        goto done;
      ld_leave(L, mark);
    }
    ld_close(L, root);
    root = NULL;
  }
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
  ld_close(L, root);
  return rc;
}

