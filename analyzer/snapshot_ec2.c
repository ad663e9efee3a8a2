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

static xd_rc read_vpc(az_ld *L, const cJSON *it, void *ctx)
{
  az_vpc *v = LD_SLOT(L, L->m->vpcs, L->m->n_vpcs, L->cap_vpcs);
  xd_cidr primary, *set = NULL;
  char *dopt = NULL;
  size_t n_set = 0;
  bool has_primary;
  xd_rc rc;
  if(!v)
    return ld_nomem(L);
  v->account = (char *)L->account;
  v->region = (char *)L->region;
  v->src = L->rel;
  v->dns_support = v->dns_hostnames = AZ_UNKNOWN;
  if((rc = ld_id(L, it, "VpcId", AZ_ID_VPC, true, &v->id)) ||
     (rc = ld_id(L, it, "OwnerId", AZ_ID_ACCOUNT, false, &v->owner)) ||
     (rc = ld_str(L, it, "State", false, &v->state)) ||
     (rc = ld_str(L, it, "DhcpOptionsId", false, &dopt)) ||
     /* "default" when the VPC has no options set */
     (rc = dopt && strcmp(dopt, "default")
               ? ld_check_id(L, "DhcpOptionsId", AZ_ID_DOPT, dopt)
               : XD_OK) ||
     (rc = ld_bool(L, it, "IsDefault", false, &v->is_default)) ||
     (rc = ld_cidr(L, it, "CidrBlock", 4, &has_primary, &primary)) ||
     (rc = ld_cidr_set(L, it, "CidrBlockAssociationSet", "CidrBlock",
                    "CidrBlockState", 4, &set, &n_set)) ||
     (rc = ld_cidr_set(L, it, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock",
                    "Ipv6CidrBlockState", 6, &v->cidrs6, &v->n_cidrs6)))
    return rc;
  v->dhcp_options_id = dopt;
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
  char name[512], what[256];
  const cJSON *val;
  char *vpc_id = NULL;
  cJSON *root = NULL;
  xd_rc rc;
  snprintf(name, sizeof(name), "ec2-describe-vpc-attribute--%s--%s.json",
           v->id, attr);
  snprintf(what, sizeof(what), "%s of %s", attr, v->id);
  if((rc = ld_open_in(L, name, key, what, &root)) != XD_OK || !root)
    return rc;
  if((rc = ld_id(L, root, "VpcId", AZ_ID_VPC, false, &vpc_id)) != XD_OK)
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
  xd_rc rc;
  size_t i;
  L->region_vpc0 = L->m->n_vpcs;
  rc = ld_load_list(L, "ec2-describe-vpcs.json", "Vpcs",
                    "VPCs and their CIDR blocks", read_vpc, NULL);
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

static xd_rc read_subnet(az_ld *L, const cJSON *it, void *ctx)
{
  az_subnet *s = LD_SLOT(L, L->m->subnets, L->m->n_subnets, L->cap_subnets);
  bool present;
  xd_rc rc;
  if(!s)
    return ld_nomem(L);
  s->account = (char *)L->account;
  s->region = (char *)L->region;
  s->src = L->rel;
  if((rc = ld_id(L, it, "SubnetId", AZ_ID_SUBNET, true, &s->id)) ||
     (rc = ld_id(L, it, "VpcId", AZ_ID_VPC, true, &s->vpc_id)) ||
     (rc = ld_id(L, it, "OwnerId", AZ_ID_ACCOUNT, false, &s->owner)) ||
     (rc = ld_str(L, it, "AvailabilityZone", false, &s->az)) ||
     (rc = ld_bool(L, it, "MapPublicIpOnLaunch", false, &s->map_public_ip)) ||
     (rc = ld_cidr(L, it, "CidrBlock", 4, &present, &s->cidr)) ||
     (rc = ld_cidr_set(L, it, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock",
                    "Ipv6CidrBlockState", 6, &s->cidrs6, &s->n_cidrs6)))
    return rc;
  if(!s->owner)
    s->owner = s->account;
  return XD_OK;
}

/* ---- route tables ---- */

static xd_rc read_route(az_ld *L, const cJSON *r, void *ctx)
{
  static const struct {
    const char *key;
    az_route_target t;
    az_id_kind kind; /* the shape of its id; AZ_ID_KINDS: not checked */
  } targets[] = {
    {"VpcPeeringConnectionId", AZ_RT_PCX, AZ_ID_PCX},
    {"NatGatewayId", AZ_RT_NAT, AZ_ID_KINDS},
    {"TransitGatewayId", AZ_RT_TGW, AZ_ID_KINDS},
    {"EgressOnlyInternetGatewayId", AZ_RT_EIGW, AZ_ID_KINDS},
    {"CarrierGatewayId", AZ_RT_CARRIER, AZ_ID_KINDS},
    {"LocalGatewayId", AZ_RT_LOCAL_GW, AZ_ID_KINDS},
    {"CoreNetworkArn", AZ_RT_CORE_NETWORK, AZ_ID_ARN},
    {"InstanceId", AZ_RT_INSTANCE, AZ_ID_INSTANCE},
    {"NetworkInterfaceId", AZ_RT_ENI, AZ_ID_ENI},
    {"GatewayId", AZ_RT_OTHER, AZ_ID_KINDS},
  };
  az_route_table *t = ctx;
  az_route *out = &t->routes[t->n_routes];
  char *state = NULL;
  bool p4 = false, p6 = false;
  xd_rc rc;
  if((rc = ld_cidr(L, r, "DestinationCidrBlock", 4, &p4, &out->dest)) ||
     (!p4 && (rc = ld_cidr(L, r, "DestinationIpv6CidrBlock", 6, &p6,
                           &out->dest))) ||
     (rc = ld_id(L, r, "DestinationPrefixListId", AZ_ID_PL, false, &out->prefix_list)) ||
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
    if((rc = ld_str(L, r, targets[k].key, false, &id)) != XD_OK ||
       (rc = ld_check_id(L, targets[k].key, targets[k].kind, id)) != XD_OK)
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
  t->n_routes++;
  return XD_OK;
}

static xd_rc read_rt_assoc(az_ld *L, const cJSON *x, void *ctx)
{
  az_route_table *t = ctx;
  bool main_assoc;
  char *subnet;
  const cJSON *st;
  const char *state;
  xd_rc rc;
  if((rc = ld_bool(L, x, "Main", false, &main_assoc)) ||
     (rc = ld_id(L, x, "SubnetId", AZ_ID_SUBNET, false, &subnet)))
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
  return XD_OK;
}

static xd_rc read_route_table(az_ld *L, const cJSON *it, void *ctx)
{
  az_route_table *t = LD_SLOT(L, L->m->route_tables, L->m->n_route_tables,
                              L->cap_rts);
  const cJSON *assocs, *routes;
  xd_rc rc;
  if(!t)
    return ld_nomem(L);
  t->account = (char *)L->account;
  t->region = (char *)L->region;
  t->src = L->rel;
  if((rc = ld_id(L, it, "RouteTableId", AZ_ID_RTB, true, &t->id)) ||
     (rc = ld_id(L, it, "VpcId", AZ_ID_VPC, true, &t->vpc_id)) ||
     (rc = ld_id(L, it, "OwnerId", AZ_ID_ACCOUNT, false, &t->owner)) ||
     (rc = ld_array(L, it, "Associations", &assocs)) ||
     (rc = ld_array(L, it, "Routes", &routes)))
    return rc;
  if(!t->owner)
    t->owner = t->account;
  if((assocs && !(t->subnet_ids = ld_calloc_for(L, assocs, sizeof(char *)))) ||
     (routes && !(t->routes = ld_calloc_for(L, routes, sizeof(az_route)))))
    return ld_nomem(L);
  if((rc = ld_each(L, assocs, "Associations", read_rt_assoc, t)) != XD_OK)
    return rc;
  return ld_each(L, routes, "Routes", read_route, t);
}

xd_rc ld_region_ec2(az_ld *L, char **names, size_t n_names)
{
  xd_rc rc;
  if((rc = load_vpcs(L)) ||
     (rc = ld_load_list(L, "ec2-describe-subnets.json", "Subnets",
                        "subnets", read_subnet, NULL)) ||
     (rc = ld_load_list(L, "ec2-describe-route-tables.json", "RouteTables",
                        "route tables", read_route_table, NULL)) ||
     (rc = ld_load_sgs(L)) ||
     (rc = ld_load_nacls(L)) || (rc = ld_load_pcxs(L)) ||
     (rc = ld_load_enis(L)) || (rc = ld_load_prefix_lists(L, names, n_names)) ||
     (rc = ld_load_vpces(L)))
    return rc;
  return XD_OK;
}
