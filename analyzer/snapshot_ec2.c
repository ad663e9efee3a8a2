/* analyzer/snapshot_ec2.c: the EC2 files of one region folder that say
 * where addresses live and how packets go: VPCs and their DNS attributes,
 * subnets, route tables. The filters (security groups, network ACLs) are in
 * snapshot_rules.c; peering, interfaces and prefix lists in
 * snapshot_pcx.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "snapshot_priv.h"

/* ---- VPCs ---- */

static xd_rc read_vpc(az_ld *L, const cJSON *it, az_vpc *v)
{
  xd_cidr primary, *set = NULL;
  size_t n_set = 0;
  bool has_primary;
  xd_rc rc;
  v->account = (char *)L->account;
  v->region = (char *)L->region;
  v->src = L->rel;
  v->dns_support = v->dns_hostnames = AZ_UNKNOWN;
  if((rc = ld_str(L, it, "VpcId", true, &v->id)) ||
     (rc = ld_str(L, it, "OwnerId", false, &v->owner)) ||
     (rc = ld_str(L, it, "State", false, &v->state)) ||
     (rc = ld_bool(L, it, "IsDefault", false, &v->is_default)) ||
     (rc = ld_cidr(L, it, "CidrBlock", 4, &has_primary, &primary)) ||
     (rc = ld_cidr_set(L, it, "CidrBlockAssociationSet", "CidrBlock",
                    "CidrBlockState", 4, &set, &n_set)) ||
     (rc = ld_cidr_set(L, it, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock",
                    "Ipv6CidrBlockState", 6, &v->cidrs6, &v->n_cidrs6)))
    return rc;
  /* the primary block first, as the analyzer's messages name it first */
  v->cidrs = xd_arena_calloc(&L->m->arena, n_set + 2, sizeof(xd_cidr));
  if(!v->cidrs)
    return ld_nomem(L);
  if(has_primary)
    v->cidrs[v->n_cidrs++] = primary;
  for(size_t k = 0; k < n_set; k++)
    if(!has_primary || !ld_cidr_eq(&set[k], &primary))
      v->cidrs[v->n_cidrs++] = set[k];
  return XD_OK;
}

static xd_rc read_vpc_attr(az_ld *L, az_vpc *v, const char *attr,
                           const char *key, az_tri *out)
{
  char name[512];
  const char *rel;
  const cJSON *val;
  char *vpc_id = NULL;
  cJSON *root = NULL;
  xd_rc rc;
  snprintf(name, sizeof(name), "ec2-describe-vpc-attribute--%s--%s.json",
           v->id, attr);
  rel = ld_rel(L, L->region, name);
  if(!rel)
    return ld_nomem(L);
  rc = ld_open(L, rel, key, &root);
  if(rc != XD_OK)
    return rc;
  if(!root) {
    char what[256];
    snprintf(what, sizeof(what), "%s of %s", attr, v->id);
    return ld_missing(L, rel, what);
  }
  if((rc = ld_str(L, root, "VpcId", false, &vpc_id)) != XD_OK)
    goto done;
  if(vpc_id && strcmp(vpc_id, v->id)) {
    rc = ld_fail(L, XD_E_INVALID, "VpcId", "is %s, but the file is for %s",
                 vpc_id, v->id);
    goto done;
  }
  if((rc = ld_object(L, root, key, &val)) != XD_OK)
    goto done;
  if(!val) {
    rc = ld_fail(L, XD_E_PARSE, key, "expected an object like {\"Value\": true}");
    goto done;
  }
  ld_enter(L, key);
  rc = ld_tri(L, val, "Value", out);
done:
  ld_close(L, root);
  return rc;
}

static xd_rc load_vpcs(az_ld *L)
{
  const char *rel = ld_rel(L, L->region, "ec2-describe-vpcs.json");
  const cJSON *arr, *it;
  cJSON *root = NULL;
  size_t i = 0, mark;
  xd_rc rc;
  L->region_vpc0 = L->m->n_vpcs;
  if(!rel)
    return ld_nomem(L);
  if((rc = ld_open(L, rel, "Vpcs", &root)) != XD_OK)
    return rc;
  if(!root)
    return ld_missing(L, rel, "VPCs and their CIDR blocks");
  if((rc = ld_top_array(L, root, "Vpcs", &arr)) != XD_OK)
    goto done;
  ld_enter(L, "Vpcs");
  cJSON_ArrayForEach(it, arr) {
    az_vpc *v;
    if((rc = ld_item(L, it, i++, &mark)) != XD_OK)
      goto done;
    v = LD_SLOT(L, L->m->vpcs, L->m->n_vpcs, L->cap_vpcs);
    if(!v) {
      rc = ld_nomem(L);
      goto done;
    }
    if((rc = read_vpc(L, it, v)) != XD_OK)
      goto done;
    ld_leave(L, mark);
  }
done:
  ld_close(L, root);
  for(i = L->region_vpc0; rc == XD_OK && i < L->m->n_vpcs; i++) {
    az_vpc *v = &L->m->vpcs[i];
    rc = read_vpc_attr(L, v, "enableDnsSupport", "EnableDnsSupport",
                       &v->dns_support);
    if(rc == XD_OK)
      rc = read_vpc_attr(L, v, "enableDnsHostnames", "EnableDnsHostnames",
                         &v->dns_hostnames);
  }
  return rc;
}

/* ---- subnets ---- */

static xd_rc load_subnets(az_ld *L)
{
  const char *rel = ld_rel(L, L->region, "ec2-describe-subnets.json");
  const cJSON *arr, *it;
  cJSON *root = NULL;
  size_t i = 0, mark;
  xd_rc rc;
  if(!rel)
    return ld_nomem(L);
  if((rc = ld_open(L, rel, "Subnets", &root)) != XD_OK)
    return rc;
  if(!root)
    return ld_missing(L, rel, "subnets");
  if((rc = ld_top_array(L, root, "Subnets", &arr)) != XD_OK)
    goto done;
  ld_enter(L, "Subnets");
  cJSON_ArrayForEach(it, arr) {
    az_subnet *s;
    bool present;
    if((rc = ld_item(L, it, i++, &mark)) != XD_OK)
      goto done;
    s = LD_SLOT(L, L->m->subnets, L->m->n_subnets, L->cap_subnets);
    if(!s) {
      rc = ld_nomem(L);
      goto done;
    }
    s->account = (char *)L->account;
    s->region = (char *)L->region;
    s->src = L->rel;
    if((rc = ld_str(L, it, "SubnetId", true, &s->id)) ||
       (rc = ld_str(L, it, "VpcId", true, &s->vpc_id)) ||
       (rc = ld_str(L, it, "OwnerId", false, &s->owner)) ||
       (rc = ld_str(L, it, "AvailabilityZone", false, &s->az)) ||
       (rc = ld_bool(L, it, "MapPublicIpOnLaunch", false, &s->map_public_ip)) ||
       (rc = ld_cidr(L, it, "CidrBlock", 4, &present, &s->cidr)) ||
       (rc = ld_cidr_set(L, it, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock",
                      "Ipv6CidrBlockState", 6, &s->cidrs6, &s->n_cidrs6)))
      goto done;
    if(!s->owner)
      s->owner = s->account;
    ld_leave(L, mark);
  }
done:
  ld_close(L, root);
  return rc;
}

/* ---- route tables ---- */

static xd_rc read_route(az_ld *L, const cJSON *r, az_route *out)
{
  static const struct {
    const char *key;
    az_route_target t;
  } targets[] = {
    {"VpcPeeringConnectionId", AZ_RT_PCX}, {"NatGatewayId", AZ_RT_NAT},
    {"TransitGatewayId", AZ_RT_TGW},
    {"EgressOnlyInternetGatewayId", AZ_RT_EIGW},
    {"CarrierGatewayId", AZ_RT_CARRIER}, {"LocalGatewayId", AZ_RT_LOCAL_GW},
    {"CoreNetworkArn", AZ_RT_CORE_NETWORK}, {"InstanceId", AZ_RT_INSTANCE},
    {"NetworkInterfaceId", AZ_RT_ENI}, {"GatewayId", AZ_RT_OTHER},
  };
  char *state = NULL;
  bool p4 = false, p6 = false;
  xd_rc rc;
  if((rc = ld_cidr(L, r, "DestinationCidrBlock", 4, &p4, &out->dest)) ||
     (!p4 && (rc = ld_cidr(L, r, "DestinationIpv6CidrBlock", 6, &p6,
                           &out->dest))) ||
     (rc = ld_str(L, r, "DestinationPrefixListId", false, &out->prefix_list)) ||
     (rc = ld_str(L, r, "State", false, &state)) ||
     (rc = ld_str(L, r, "Origin", false, &out->origin)))
    return rc;
  out->has_cidr = p4 || p6;
  if(!out->has_cidr && !out->prefix_list)
    return ld_fail(L, XD_E_PARSE, NULL, "a route without a destination "
                   "(DestinationCidrBlock, DestinationIpv6CidrBlock or "
                   "DestinationPrefixListId)");
  if(out->prefix_list && (rc = ld_set_add(L, &L->ref_pls, out->prefix_list)))
    return rc;
  out->target = AZ_RT_OTHER;
  for(size_t k = 0; k < sizeof(targets) / sizeof(targets[0]); k++) {
    char *id;
    if((rc = ld_str(L, r, targets[k].key, false, &id)) != XD_OK)
      return rc;
    if(!id)
      continue;
    out->target_id = id;
    out->target = targets[k].t;
    if(targets[k].t == AZ_RT_OTHER) {
      if(!strcmp(id, "local"))
        out->target = AZ_RT_LOCAL;
      else if(!strncmp(id, "igw-", 4))
        out->target = AZ_RT_IGW;
      else if(!strncmp(id, "vgw-", 4))
        out->target = AZ_RT_VGW;
      else if(!strncmp(id, "vpce-", 5))
        out->target = AZ_RT_VPCE;
    }
    if(out->target == AZ_RT_INSTANCE || out->target == AZ_RT_ENI)
      L->ref_enis = true;
    break;
  }
  if(!out->target_id)
    out->target_id = "";
  if(!state || !strcmp(state, "active"))
    out->state = AZ_RT_ACTIVE;
  else if(!strcmp(state, "blackhole"))
    out->state = AZ_RT_BLACKHOLE;
  else
    return ld_bad_value(L, "State", state, "a route state (active or blackhole)");
  return XD_OK;
}

static xd_rc read_route_table(az_ld *L, const cJSON *it, az_route_table *t)
{
  const cJSON *assocs, *routes, *x;
  size_t i = 0, mark, m2;
  xd_rc rc;
  t->account = (char *)L->account;
  t->region = (char *)L->region;
  t->src = L->rel;
  if((rc = ld_str(L, it, "RouteTableId", true, &t->id)) ||
     (rc = ld_str(L, it, "VpcId", true, &t->vpc_id)) ||
     (rc = ld_str(L, it, "OwnerId", false, &t->owner)) ||
     (rc = ld_array(L, it, "Associations", &assocs)) ||
     (rc = ld_array(L, it, "Routes", &routes)))
    return rc;
  if(!t->owner)
    t->owner = t->account;
  if(assocs) {
    t->subnet_ids = xd_arena_calloc(&L->m->arena,
                                    (size_t)cJSON_GetArraySize(assocs) + 1,
                                    sizeof(char *));
    if(!t->subnet_ids)
      return ld_nomem(L);
    m2 = ld_enter(L, "Associations");
    cJSON_ArrayForEach(x, assocs) {
      bool main_assoc;
      char *subnet;
      const cJSON *st;
      const char *state;
      if((rc = ld_item(L, x, i++, &mark)) ||
         (rc = ld_bool(L, x, "Main", false, &main_assoc)) ||
         (rc = ld_str(L, x, "SubnetId", false, &subnet)))
        return rc;
      st = cJSON_GetObjectItemCaseSensitive(x, "AssociationState");
      state = cJSON_IsObject(st) ? xd_json_str(st, "State") : NULL;
      /* an association on its way out no longer routes the subnet */
      if(!state || !strcmp(state, "associated") ||
         !strcmp(state, "associating")) {
        if(main_assoc)
          t->is_main = true;
        else if(subnet)
          t->subnet_ids[t->n_subnet_ids++] = subnet;
      }
      ld_leave(L, mark);
    }
    ld_leave(L, m2);
  }
  if(routes) {
    t->routes = xd_arena_calloc(&L->m->arena,
                                (size_t)cJSON_GetArraySize(routes) + 1,
                                sizeof(az_route));
    if(!t->routes)
      return ld_nomem(L);
    i = 0;
    m2 = ld_enter(L, "Routes");
    cJSON_ArrayForEach(x, routes) {
      if((rc = ld_item(L, x, i++, &mark)) ||
         (rc = read_route(L, x, &t->routes[t->n_routes])))
        return rc;
      t->n_routes++;
      ld_leave(L, mark);
    }
    ld_leave(L, m2);
  }
  return XD_OK;
}

static xd_rc load_route_tables(az_ld *L)
{
  const char *rel = ld_rel(L, L->region, "ec2-describe-route-tables.json");
  const cJSON *arr, *it;
  cJSON *root = NULL;
  size_t i = 0, mark;
  xd_rc rc;
  if(!rel)
    return ld_nomem(L);
  if((rc = ld_open(L, rel, "RouteTables", &root)) != XD_OK)
    return rc;
  if(!root)
    return ld_missing(L, rel, "route tables");
  if((rc = ld_top_array(L, root, "RouteTables", &arr)) != XD_OK)
    goto done;
  ld_enter(L, "RouteTables");
  cJSON_ArrayForEach(it, arr) {
    az_route_table *t;
    if((rc = ld_item(L, it, i++, &mark)) != XD_OK)
      goto done;
    t = LD_SLOT(L, L->m->route_tables, L->m->n_route_tables, L->cap_rts);
    if(!t) {
      rc = ld_nomem(L);
      goto done;
    }
    if((rc = read_route_table(L, it, t)) != XD_OK)
      goto done;
    ld_leave(L, mark);
  }
done:
  ld_close(L, root);
  return rc;
}

xd_rc ld_region_ec2(az_ld *L, char **names, size_t n_names)
{
  xd_rc rc;
  if((rc = load_vpcs(L)) || (rc = load_subnets(L)) ||
     (rc = load_route_tables(L)) || (rc = ld_load_sgs(L)) ||
     (rc = ld_load_nacls(L)) || (rc = ld_load_pcxs(L)) ||
     (rc = ld_load_enis(L)) || (rc = ld_load_prefix_lists(L, names, n_names)))
    return rc;
  return XD_OK;
}
