/* Path evaluation, hop by hop, in the order a packet meets them:
 *   security-group-egress (source), nacl-outbound (source subnet) and its
 *   nacl-inbound for the return traffic, route-table (source), peering,
 *   route-table (destination, back to the source), nacl-inbound
 *   (destination) and its nacl-outbound for the return, and
 *   security-group-ingress (the primary node's groups).
 * Route, peering and return-traffic hops do not depend on the port: they
 * are settled once per pair of ends (legs) and repeated in each path. The
 * filtering hops (groups, ACLs) are in filters.c. */
#include <stdio.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/jsonutil.h"
#include "filters.h"
#include "remedy.h"
#include "rules.h"

static bool same(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

void az_hop(cJSON *path, const char *kind, const char *res, az_verdict v,
            const char *detail, az_verdict *worst)
{
  static const char *names[] = {"allow", "deny", "unknown"};
  xd_result_path_add_hop(path, kind, res, names[v], detail);
  if(v == AZ_V_DENY || (v == AZ_V_UNKNOWN && *worst == AZ_V_ALLOW))
    *worst = v;
}

/* The block a fix should name for an end: its subnet, else itself. */
void az_end_block(const az_endpoint *ep, char *out, size_t n)
{
  if(ep->subnet)
    xd_cidr_format(&ep->subnet->cidr, out, n);
  else if(ep->net.addr.family)
    xd_cidr_format(&ep->net, out, n);
  else
    snprintf(out, n, "%s", ep->label);
}

static void route_finding(az_ctx *c, const char *code, const az_route_table *t,
                          const char *msg, const char *ev, const char *ra,
                          const az_cmd *cmd)
{
  az_issue *is = az_issue_get(c, code, XD_SEV_CRITICAL, t->id, t->account,
                              t->region);
  az_issue_message(c, is, "%s", msg);
  az_issue_evidence(c, is, "%s", ev);
  az_issue_evidence(c, is, "Reachability Analyzer: %s", ra);
  az_issue_remedy(c, is, cmd);
}

/* One route-table hop: from end `from` (its subnet's table) towards `to`. */
static void route_leg(az_ctx *c, const az_endpoint *from,
                      const az_endpoint *to, const az_pair *p, az_leg *leg)
{
  const az_route_table *t;
  az_route_match mt;
  bool implicit = false, blocked = az_pair_blocked(p);
  const char *pcx = p->pcx ? p->pcx->id : NULL;
  char where[160], rt[160], dest[XD_CIDR_STRLEN], msg[512], ev[512];
  az_cmd b;
  leg->kind = "route-table";
  leg->v = AZ_V_UNKNOWN;
  if(!from->subnet || !to->net.addr.family) {
    /* name the file that would have told, as the other unknown hops do */
    if(!from->subnet)
      az_unknown_detail(c, from->account, from->region,
                        "ec2-describe-subnets.json", "the subnet",
                        leg->detail, sizeof(leg->detail));
    else
      az_fmt(leg->detail, sizeof(leg->detail), "not known: %s",
             "the other end's address");
    snprintf(leg->res, sizeof(leg->res), "%s",
             from->subnet_id ? from->subnet_id : "");
    return;
  }
  t = az_ix_rtb_for_subnet(&c->ix, from->subnet, &implicit);
  if(!t) {
    az_unknown_detail(c, from->account, from->region,
                      "ec2-describe-route-tables.json", "the route table",
                      leg->detail, sizeof(leg->detail));
    snprintf(leg->res, sizeof(leg->res), "%s", from->subnet_id);
    return;
  }
  snprintf(leg->res, sizeof(leg->res), "%s", t->id);
  snprintf(where, sizeof(where), "%s (%s of %s)", t->id,
           implicit ? "main table, implicit association"
                    : "explicit association",
           from->subnet_id);
  az_route_lookup(&c->ix, t, &to->net, pcx, &mt);
  az_end_block(to, dest, sizeof(dest));
  az_cmd_init(&b);
  if(!mt.route) {
    if(mt.unknown_pl) {
      az_fmt(leg->detail, sizeof(leg->detail),
               "not known: entries of %s (route by prefix list)", mt.unknown_pl);
      goto done;
    }
    leg->v = AZ_V_DENY;
    az_fmt(leg->detail, sizeof(leg->detail), "no route matches %s%s",
             to->label, implicit ? " (main table)" : "");
    if(blocked || !pcx)
      goto done;
    az_fmt(msg, sizeof(msg),
             "Route table %s has no route to %s: add one to %s via %s.", t->id,
             to->label, dest, pcx);
    az_fmt(ev, sizeof(ev), "%s: no route matches %s", where, to->label);
    az_rem_route(&b, false, t->id, dest, pcx, t->region);
    route_finding(c, "ROUTE_MISSING", t, msg, ev, "NO_ROUTE_TO_DESTINATION",
                  &b);
    goto done;
  }
  az_route_text(mt.route, mt.via_pl, rt, sizeof(rt));
  if(mt.unknown_route && mt.unknown_route->target == AZ_RT_PCX &&
     same(mt.unknown_route->target_id, pcx) &&
     !(mt.route->target == AZ_RT_PCX && same(mt.route->target_id, pcx) &&
       mt.route->state == AZ_RT_ACTIVE)) {
    /* the list may hold the peer's block, more specific than what the
     * known routes offer: which route wins is not known */
    az_fmt(leg->detail, sizeof(leg->detail),
           "not known: the entries of %s (route to %s) are not in the "
           "snapshot and may hold %s; else %s takes it",
           mt.unknown_pl, pcx, to->label, rt);
    goto done;
  }
  if(p->state == AZ_PAIR_SAME_VPC) {
    leg->v = mt.route->target == AZ_RT_LOCAL ? AZ_V_ALLOW : AZ_V_DENY;
    az_fmt(leg->detail, sizeof(leg->detail), "%s", rt);
    goto done;
  }
  if(mt.route->target == AZ_RT_PCX) {
    bool ours = same(mt.route->target_id, pcx);
    if(mt.route->state == AZ_RT_BLACKHOLE) {
      leg->v = AZ_V_DENY;
      az_fmt(leg->detail, sizeof(leg->detail), "%s: blackhole", rt);
      if(blocked || !pcx)
        goto done;
      az_fmt(msg, sizeof(msg),
               "Route table %s sends %s to %s, which no longer exists "
               "(blackhole): point it at %s.",
               t->id, to->label, mt.route->target_id, pcx);
      az_fmt(ev, sizeof(ev), "%s: %s matches %s", where, rt, to->label);
      az_route_dest_text(mt.route, dest, sizeof(dest));
      az_rem_route(&b, true, t->id, dest, pcx, t->region);
      route_finding(c, "ROUTE_BLACKHOLE", t, msg, ev, "BAD_STATE_ROUTE",
                    &b);
      goto done;
    }
    if(ours) {
      leg->v = AZ_V_ALLOW;
      az_fmt(leg->detail, sizeof(leg->detail), "%s", rt);
      goto done;
    }
    if(!pcx) {
      az_fmt(leg->detail, sizeof(leg->detail),
               "%s (peering not in the snapshot)", rt);
      goto done;
    }
    leg->v = AZ_V_DENY;
    az_fmt(leg->detail, sizeof(leg->detail), "%s: not the peering %s", rt,
             pcx);
    if(blocked)
      goto done;
    az_fmt(msg, sizeof(msg),
             "Route table %s sends %s to peering %s instead of %s, which "
             "joins the two VPCs.",
             t->id, to->label, mt.route->target_id, pcx);
    az_fmt(ev, sizeof(ev), "%s: %s matches %s", where, rt, to->label);
    az_route_dest_text(mt.route, dest, sizeof(dest));
    az_rem_route(&b, true, t->id, dest, pcx, t->region);
    route_finding(c, "ROUTE_WRONG_PEERING", t, msg, ev,
                  "NO_ROUTE_TO_DESTINATION", &b);
    goto done;
  }
  /* a route to a gateway, NAT, TGW... or local carries the address */
  leg->v = AZ_V_DENY;
  if(mt.want) {
    char wt[160];
    az_route_text(mt.want, mt.want_pl, wt, sizeof(wt));
    az_fmt(leg->detail, sizeof(leg->detail), "%s wins over %s", rt, wt);
    if(blocked)
      goto done;
    az_fmt(msg, sizeof(msg),
             "Route table %s has a route to %s, but the more specific %s "
             "takes the traffic for %s.",
             t->id, pcx, rt + 6, to->label);
    az_fmt(ev, sizeof(ev), "%s: %s (/%d) is more specific than %s (/%d)",
             where, rt, mt.prefix, wt, mt.want_prefix);
    {
      /* a route that sends part of the peer VPC elsewhere is the mistake:
       * point it at the peering; else add a route at least as specific */
      char rd[XD_CIDR_STRLEN];
      bool in_peer = false;
      const az_vpc *pv = to->vpc;
      az_route_dest_text(mt.route, rd, sizeof(rd));
      for(size_t i = 0; pv && mt.route->has_cidr && i < pv->n_cidrs; i++)
        in_peer = in_peer || xd_cidr_contains(&pv->cidrs[i], &mt.route->dest);
      if(in_peer)
        az_rem_route(&b, true, t->id, rd, pcx, t->region);
      else {
        if(!to->subnet || to->subnet->cidr.prefix <= mt.prefix)
          xd_cidr_format(&to->net, dest, sizeof(dest));
        az_rem_route(&b, false, t->id, dest, pcx, t->region);
      }
    }
    route_finding(c, "ROUTE_MORE_SPECIFIC", t, msg, ev, "MORE_SPECIFIC_ROUTE",
                  &b);
    goto done;
  }
  az_fmt(leg->detail, sizeof(leg->detail), "%s takes %s, not the peering",
         rt, to->label);
  if(blocked || !pcx || mt.route->target == AZ_RT_LOCAL)
    goto done;
  az_fmt(msg, sizeof(msg),
           "Route table %s has no route to %s through peering %s (traffic "
           "goes to %s).",
           t->id, to->label, pcx, mt.route->target_id ? mt.route->target_id : "?");
  az_fmt(ev, sizeof(ev), "%s: %s matches %s", where, rt, to->label);
  az_rem_route(&b, false, t->id, dest, pcx, t->region);
  route_finding(c, "ROUTE_MISSING", t, msg, ev, "NO_ROUTE_TO_DESTINATION",
                &b);
done:
  if(mt.route && leg->v != AZ_V_UNKNOWN && implicit) {
    size_t l = strlen(leg->detail);
    az_fmt(leg->detail + l, sizeof(leg->detail) - l, " [main table]");
  }
  az_cmd_free(&b);
}

/* Whether every address of a lies in one of the blocks. */
static bool inside(const xd_cidr *a, const xd_cidr *v, size_t n)
{
  for(size_t i = 0; i < n; i++)
    if(xd_cidr_contains(&v[i], a))
      return true;
  return false;
}

static void peering_leg(az_ctx *c, const az_endpoint *src,
                        const az_endpoint *dst, const az_pair *p, az_leg *leg)
{
  leg->kind = "peering";
  snprintf(leg->res, sizeof(leg->res), "%s",
           p->pcx ? p->pcx->id : (dst->vpc_id ? dst->vpc_id : ""));
  az_fmt(leg->detail, sizeof(leg->detail), "%s", p->detail);
  switch(p->state) {
  case AZ_PAIR_SAME_VPC:
    leg->kind = NULL; /* no hop */
    return;
  case AZ_PAIR_UNKNOWN:
    leg->v = AZ_V_UNKNOWN;
    return;
  case AZ_PAIR_OK:
    break;
  default:
    leg->v = AZ_V_DENY;
    return;
  }
  leg->v = AZ_V_ALLOW;
  {
    /* the peering carries only addresses of the two VPCs */
    const az_pcx_side *es = p->emr_side, *ss = p->studio_side;
    const xd_cidr *eb = es->n_cidrs ? es->cidrs : dst->vpc ? dst->vpc->cidrs : NULL;
    size_t ne = es->n_cidrs ? es->n_cidrs : dst->vpc ? dst->vpc->n_cidrs : 0;
    const xd_cidr *sb = ss->n_cidrs ? ss->cidrs : src->vpc ? src->vpc->cidrs : NULL;
    size_t ns = ss->n_cidrs ? ss->n_cidrs : src->vpc ? src->vpc->n_cidrs : 0;
    const az_endpoint *bad = NULL;
    az_issue *is;
    if(ne && !inside(&dst->net, eb, ne))
      bad = dst;
    else if(ns && src->net.addr.family && !inside(&src->net, sb, ns))
      bad = src;
    if(!bad)
      return;
    leg->v = AZ_V_DENY;
    az_fmt(leg->detail, sizeof(leg->detail),
             "%s is outside the CIDRs %s carries for %s", bad->label,
             p->pcx->id, bad->vpc_id ? bad->vpc_id : "?");
    is = az_issue_get(c, "PEERING_ADDRESS_OUTSIDE_VPC_CIDR", XD_SEV_CRITICAL,
                      p->pcx->id, bad->account, bad->region);
    az_issue_message(c, is,
                     "%s is not inside the CIDR blocks that peering %s "
                     "carries for VPC %s: move the end into the VPC's "
                     "peered blocks.",
                     bad->label, p->pcx->id, bad->vpc_id ? bad->vpc_id : "?");
    az_issue_evidence(c, is, "%s", leg->detail);
    az_issue_evidence(c, is,
                      "Reachability Analyzer: PCX_REQUIRES_ADDRESS_IN_VPC_CIDR");
  }
}

/* ret marks the hops that carry the answer back to Studio, so that the
 * cross-check can tell a lost SYN from a lost SYN-ACK. */
void az_leg_emit(cJSON *path, const az_leg *leg, az_verdict *worst, bool ret)
{
  cJSON *hops, *last;
  if(!leg->kind)
    return;
  az_hop(path, leg->kind, leg->res, leg->v, leg->detail, worst);
  hops = cJSON_GetObjectItemCaseSensitive(path, "hops");
  last = hops ? cJSON_GetArrayItem(hops, cJSON_GetArraySize(hops) - 1) : NULL;
  if(last)
    cJSON_AddStringToObject(last, "direction", ret ? "return" : "forward");
}

xd_rc az_eval_paths(az_ctx *c, const az_endpoint *src, const az_endpoint *dst,
                    const az_cluster *cl, const az_pair *p, const cJSON *dns)
{
  int ports[32];
  const char *svc[32];
  size_t np = az_cluster_ports(c, cl, ports, svc, 32);
  az_leg rt_src = {0}, rt_dst = {0}, pcx = {0}, ret_src = {0}, ret_dst = {0};
  route_leg(c, src, dst, p, &rt_src);
  peering_leg(c, src, dst, p, &pcx);
  route_leg(c, dst, src, p, &rt_dst);
  az_nacl_return_leg(c, src, dst, false, &ret_src);
  az_nacl_return_leg(c, dst, src, true, &ret_dst);
  for(size_t i = 0; i < np; i++) {
    cJSON *path = xd_result_add_path(c->r, "studio", src->label, "emr",
                                     dst->label, ports[i], svc[i]);
    cJSON *to, *from;
    az_verdict worst = AZ_V_ALLOW;
    az_leg leg;
    if(!path)
      return XD_E_NOMEM;
    to = cJSON_GetObjectItemCaseSensitive(path, "to");
    from = cJSON_GetObjectItemCaseSensitive(path, "from");
    xd_json_add_str(to, "cluster", cl->id);
    xd_json_add_str(to, "account", dst->account);
    xd_json_add_str(from, "account", src->account);
    if(src->subnet_id)
      xd_json_add_str(from, "subnet", src->subnet_id);
    if(src->eni_id)
      xd_json_add_str(from, "eni", src->eni_id);
    if(dns)
      cJSON_AddItemToObject(path, "dns", cJSON_Duplicate(dns, true));
    az_sg_leg(c, src, dst, p, ports[i], true, &leg);
    az_leg_emit(path, &leg, &worst, false);
    az_nacl_leg(c, src, dst, ports[i], true, &leg);
    az_leg_emit(path, &leg, &worst, false);
    az_leg_emit(path, &ret_src, &worst, true);
    az_leg_emit(path, &rt_src, &worst, false);
    az_leg_emit(path, &pcx, &worst, false);
    az_leg_emit(path, &rt_dst, &worst, true);
    az_nacl_leg(c, dst, src, ports[i], false, &leg);
    az_leg_emit(path, &leg, &worst, false);
    az_leg_emit(path, &ret_dst, &worst, true);
    az_sg_leg(c, dst, src, p, ports[i], false, &leg);
    az_leg_emit(path, &leg, &worst, false);
    xd_result_path_set_verdict(path, worst == AZ_V_ALLOW   ? "reachable"
                                     : worst == AZ_V_DENY ? "blocked"
                                                          : "unknown");
  }
  return c->nomem ? XD_E_NOMEM : XD_OK;
}
