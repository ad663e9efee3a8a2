#include "index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash_str(const char *s)
{
  uint32_t h = 2166136261u; /* FNV-1a */
  for(; *s; s++) {
    h ^= (uint8_t)*s;
    h *= 16777619u;
  }
  return h ? h : 1;
}

static xd_rc grow(az_hmap *h)
{
  size_t ncap = h->cap ? h->cap * 2 : 64;
  az_hslot *ns = calloc(ncap, sizeof(*ns));
  if(!ns)
    return XD_E_NOMEM;
  for(size_t i = 0; i < h->cap; i++) {
    az_hslot *o = &h->slots[i];
    size_t j;
    if(!o->key)
      continue;
    for(j = o->hash & (ncap - 1); ns[j].key; j = (j + 1) & (ncap - 1))
      ;
    ns[j] = *o;
  }
  free(h->slots);
  h->slots = ns;
  h->cap = ncap;
  return XD_OK;
}

xd_rc az_hmap_put(az_hmap *h, const char *key, void *val, bool replace)
{
  uint32_t hv;
  size_t j;
  if(!key)
    return XD_OK;
  if((h->n + 1) * 2 > h->cap && grow(h) != XD_OK)
    return XD_E_NOMEM;
  hv = hash_str(key);
  for(j = hv & (h->cap - 1); h->slots[j].key; j = (j + 1) & (h->cap - 1)) {
    if(h->slots[j].hash == hv && !strcmp(h->slots[j].key, key)) {
      if(replace)
        h->slots[j].val = val;
      return XD_OK;
    }
  }
  h->slots[j].key = key;
  h->slots[j].val = val;
  h->slots[j].hash = hv;
  h->n++;
  return XD_OK;
}

void *az_hmap_get(const az_hmap *h, const char *key)
{
  uint32_t hv;
  if(!key || !h->cap)
    return NULL;
  hv = hash_str(key);
  for(size_t j = hv & (h->cap - 1); h->slots[j].key;
      j = (j + 1) & (h->cap - 1))
    if(h->slots[j].hash == hv && !strcmp(h->slots[j].key, key))
      return h->slots[j].val;
  return NULL;
}

void az_hmap_free(az_hmap *h)
{
  free(h->slots);
  memset(h, 0, sizeof(*h));
}

static char *join_key(xd_arena *a, const char *x, const char *y)
{
  size_t lx = strlen(x), ly = strlen(y);
  char *k = xd_arena_alloc(a, lx + ly + 2);
  if(!k)
    return NULL;
  memcpy(k, x, lx);
  k[lx] = '|';
  memcpy(k + lx + 1, y, ly + 1);
  return k;
}

/* A peering key names both VPCs in sorted order, so a lookup does not need
 * to know which side requested it. */
static char *pair_key(xd_arena *a, const char *x, const char *y)
{
  return strcmp(x, y) <= 0 ? join_key(a, x, y) : join_key(a, y, x);
}

static bool pcx_active(const az_pcx *p)
{
  return p->status && !strcmp(p->status, "active");
}

#define PUT(map, key, val)                                                  \
  do {                                                                      \
    if(az_hmap_put(&ix->map, (key), (void *)(val), false) != XD_OK)        \
      goto nomem;                                                           \
  } while(0)

xd_rc az_index_build(az_index *ix, const az_model *m, xd_err *e)
{
  memset(ix, 0, sizeof(*ix));
  xd_arena_init(&ix->keys);
  for(size_t i = 0; i < m->n_vpcs; i++)
    PUT(vpc, m->vpcs[i].id, &m->vpcs[i]);
  for(size_t i = 0; i < m->n_subnets; i++)
    PUT(subnet, m->subnets[i].id, &m->subnets[i]);
  for(size_t i = 0; i < m->n_sgs; i++)
    PUT(sg, m->sgs[i].id, &m->sgs[i]);
  for(size_t i = 0; i < m->n_pcxs; i++) {
    const az_pcx *p = &m->pcxs[i];
    char *k;
    PUT(pcx, p->id, p);
    if(!p->requester.vpc_id || !p->accepter.vpc_id)
      continue;
    k = pair_key(&ix->keys, p->requester.vpc_id, p->accepter.vpc_id);
    if(!k)
      goto nomem;
    {
      const az_pcx *have = az_hmap_get(&ix->pcx_pair, k);
      bool replace = have && !pcx_active(have) && pcx_active(p);
      if(az_hmap_put(&ix->pcx_pair, k, (void *)p, replace) != XD_OK)
        goto nomem;
    }
  }
  for(size_t i = 0; i < m->n_prefix_lists; i++)
    PUT(pl, m->prefix_lists[i].id, &m->prefix_lists[i]);
  for(size_t i = 0; i < m->n_clusters; i++)
    PUT(cluster, m->clusters[i].id, &m->clusters[i]);
  for(size_t i = 0; i < m->n_roles; i++)
    PUT(role, m->roles[i].arn, &m->roles[i]);
  for(size_t i = 0; i < m->n_policies; i++)
    PUT(policy, m->policies[i].arn, &m->policies[i]);
  for(size_t i = 0; i < m->n_domains; i++)
    PUT(domain, m->domains[i].id, &m->domains[i]);
  for(size_t i = 0; i < m->n_secconfs; i++) {
    const az_secconf *s = &m->secconfs[i];
    char *k;
    if(!s->account || !s->name)
      continue;
    if(!(k = join_key(&ix->keys, s->account, s->name)))
      goto nomem;
    PUT(secconf, k, s);
  }
  for(size_t i = 0; i < m->n_enis; i++) {
    const az_eni *n = &m->enis[i];
    if(!n->vpc_id)
      continue;
    for(size_t k = 0; k < n->n_private_ips; k++) {
      char *key = join_key(&ix->keys, n->vpc_id, n->private_ips[k]);
      if(!key)
        goto nomem;
      PUT(eni_ip, key, n);
    }
    if(n->private_ip) {
      char *key = join_key(&ix->keys, n->vpc_id, n->private_ip);
      if(!key)
        goto nomem;
      PUT(eni_ip, key, n);
    }
  }
  for(size_t i = 0; i < m->n_route_tables; i++) {
    const az_route_table *t = &m->route_tables[i];
    if(t->is_main && t->vpc_id)
      PUT(rtb_main, t->vpc_id, t);
    for(size_t k = 0; k < t->n_subnet_ids; k++)
      PUT(rtb_subnet, t->subnet_ids[k], t);
  }
  for(size_t i = 0; i < m->n_nacls; i++) {
    const az_nacl *n = &m->nacls[i];
    for(size_t k = 0; k < n->n_subnet_ids; k++)
      PUT(nacl_subnet, n->subnet_ids[k], n);
  }
  return XD_OK;
nomem:
  az_index_free(ix);
  return xd_fail(e, XD_E_NOMEM, "out of memory while indexing the model");
}

#undef PUT

void az_index_free(az_index *ix)
{
  az_hmap *maps[] = {&ix->vpc, &ix->subnet, &ix->sg, &ix->pcx, &ix->pl,
                     &ix->cluster, &ix->role, &ix->policy, &ix->domain,
                     &ix->eni_ip, &ix->secconf, &ix->rtb_subnet,
                     &ix->rtb_main, &ix->nacl_subnet, &ix->pcx_pair};
  for(size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
    az_hmap_free(maps[i]);
  xd_arena_free(&ix->keys);
}

const az_vpc *az_ix_vpc(const az_index *ix, const char *id)
{
  return az_hmap_get(&ix->vpc, id);
}

const az_subnet *az_ix_subnet(const az_index *ix, const char *id)
{
  return az_hmap_get(&ix->subnet, id);
}

const az_sg *az_ix_sg(const az_index *ix, const char *id)
{
  return az_hmap_get(&ix->sg, id);
}

const az_pcx *az_ix_pcx(const az_index *ix, const char *id)
{
  return az_hmap_get(&ix->pcx, id);
}

const az_prefix_list *az_ix_pl(const az_index *ix, const char *id)
{
  return az_hmap_get(&ix->pl, id);
}

const az_cluster *az_ix_cluster(const az_index *ix, const char *id)
{
  return az_hmap_get(&ix->cluster, id);
}

const az_role *az_ix_role(const az_index *ix, const char *arn)
{
  return az_hmap_get(&ix->role, arn);
}

const az_managed_policy *az_ix_policy(const az_index *ix, const char *arn)
{
  return az_hmap_get(&ix->policy, arn);
}

const az_domain *az_ix_domain(const az_index *ix, const char *id)
{
  return az_hmap_get(&ix->domain, id);
}

/* Composed keys are built on the stack for lookups: ids are short. */
static const void *get2(const az_hmap *h, const char *x, const char *y)
{
  char k[512];
  if(!x || !y)
    return NULL;
  if((size_t)snprintf(k, sizeof(k), "%s|%s", x, y) >= sizeof(k))
    return NULL;
  return az_hmap_get(h, k);
}

const az_secconf *az_ix_secconf(const az_index *ix, const char *account,
                                const char *name)
{
  return get2(&ix->secconf, account, name);
}

const az_eni *az_ix_eni_ip(const az_index *ix, const char *vpc_id,
                           const char *ip)
{
  return get2(&ix->eni_ip, vpc_id, ip);
}

const az_route_table *az_ix_rtb_for_subnet(const az_index *ix,
                                           const az_subnet *s, bool *implicit)
{
  const az_route_table *t = az_hmap_get(&ix->rtb_subnet, s->id);
  if(implicit)
    *implicit = false;
  if(t)
    return t;
  t = az_hmap_get(&ix->rtb_main, s->vpc_id);
  if(t && implicit)
    *implicit = true;
  return t;
}

const az_nacl *az_ix_nacl_for_subnet(const az_index *ix, const char *id)
{
  return az_hmap_get(&ix->nacl_subnet, id);
}

const az_pcx *az_ix_pcx_between(const az_index *ix, const char *vpc_a,
                                const char *vpc_b)
{
  if(!vpc_a || !vpc_b)
    return NULL;
  return strcmp(vpc_a, vpc_b) <= 0 ? get2(&ix->pcx_pair, vpc_a, vpc_b)
                                   : get2(&ix->pcx_pair, vpc_b, vpc_a);
}
