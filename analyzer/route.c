#include <stdio.h>
#include <string.h>

#include "rules.h"

/* Among routes of the same length: local first, then static routes, then
 * prefix-list routes, then propagated ones (VPC user guide, "How route
 * priority works"). Lower wins. */
static int rank(const az_route *r, bool via_pl)
{
  if(r->target == AZ_RT_LOCAL)
    return 0;
  if(r->origin && !strcmp(r->origin, "EnableVgwRoutePropagation"))
    return 3;
  return via_pl ? 2 : 1;
}

/* The longest prefix by which r holds dst: its own block, or the best
 * entry of its prefix list. -1 when it does not hold dst; -2 when it is a
 * prefix-list route whose entries are not known. */
static int hold(const az_index *ix, const az_route *r, const xd_cidr *dst)
{
  if(r->has_cidr)
    return xd_cidr_contains(&r->dest, dst) ? r->dest.prefix : -1;
  if(r->prefix_list) {
    const az_prefix_list *pl = az_ix_pl(ix, r->prefix_list);
    int best = -1;
    if(!pl || !pl->entries_known)
      return -2;
    for(size_t i = 0; i < pl->n_cidrs; i++)
      if(xd_cidr_contains(&pl->cidrs[i], dst) && pl->cidrs[i].prefix > best)
        best = pl->cidrs[i].prefix;
    return best;
  }
  return -1;
}

void az_route_lookup(const az_index *ix, const az_route_table *t,
                     const xd_cidr *dst, const char *want_pcx,
                     az_route_match *out)
{
  int best_rank = 99;
  memset(out, 0, sizeof(*out));
  out->prefix = -1;
  out->want_prefix = -1;
  for(size_t i = 0; i < t->n_routes; i++) {
    const az_route *r = &t->routes[i];
    int len = hold(ix, r, dst), rk;
    bool via_pl = !r->has_cidr && r->prefix_list;
    if(len == -2) {
      bool to_want = want_pcx && r->target == AZ_RT_PCX && r->target_id &&
                     !strcmp(r->target_id, want_pcx);
      if(!out->unknown_pl || to_want) {
        out->unknown_pl = r->prefix_list;
        out->unknown_route = r;
      }
      continue;
    }
    if(len < 0)
      continue;
    if(want_pcx && r->target == AZ_RT_PCX && r->target_id &&
       !strcmp(r->target_id, want_pcx) && len > out->want_prefix) {
      out->want = r;
      out->want_prefix = len;
      out->want_pl = via_pl ? r->prefix_list : NULL;
    }
    rk = rank(r, via_pl);
    if(len > out->prefix || (len == out->prefix && rk < best_rank)) {
      out->route = r;
      out->prefix = len;
      out->via_pl = via_pl ? r->prefix_list : NULL;
      best_rank = rk;
    }
  }
}

void az_route_dest_text(const az_route *r, char *out, size_t n)
{
  if(r->has_cidr)
    xd_cidr_format(&r->dest, out, n);
  else
    snprintf(out, n, "%s", r->prefix_list ? r->prefix_list : "?");
}

void az_route_text(const az_route *r, const char *via_pl, char *out, size_t n)
{
  char d[XD_CIDR_STRLEN + 8];
  (void)via_pl;
  az_route_dest_text(r, d, sizeof(d));
  snprintf(out, n, "route %s -> %s (%s)", d,
           r->target_id ? r->target_id : "?",
           r->state == AZ_RT_BLACKHOLE ? "blackhole" : "active");
}
