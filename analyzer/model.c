/* analyzer/model.c: freeing the model and finding things in it.
 *
 * These lookups are linear scans, for one-off questions (tests, the CLI);
 * the analyzer's path evaluation builds hash indexes once per analysis
 * (analyzer/index.h) and answers from those. */
#include "model.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void az_model_free(az_model *m)
{
  for(size_t i = 0; i < m->n_owned_json; i++)
    cJSON_Delete(m->owned_json[i]);
  free(m->owned_json);
  xd_arena_free(&m->arena);
  memset(m, 0, sizeof(*m));
}

static bool eq(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

/* Whether one of v[0..n) equals s. */
static bool has(char *const *v, size_t n, const char *s)
{
  for(size_t k = 0; k < n; k++)
    if(eq(v[k], s))
      return true;
  return false;
}

/* The first of the n elements (elem bytes each) at arr whose string
 * member at offset key_off equals key, or NULL: the one loop behind the
 * lookups by id or ARN, which say where their key is. */
static const void *find_by(const void *arr, size_t n, size_t elem,
                           size_t key_off, const char *key)
{
  const char *p = arr;
  if(!key)
    return NULL;
  for(size_t i = 0; i < n; i++, p += elem)
    if(eq(*(char *const *)(p + key_off), key))
      return p;
  return NULL;
}

const az_vpc *az_find_vpc(const az_model *m, const char *id)
{
  return find_by(m->vpcs, m->n_vpcs, sizeof(*m->vpcs),
                 offsetof(az_vpc, id), id);
}

const az_subnet *az_find_subnet(const az_model *m, const char *id)
{
  return find_by(m->subnets, m->n_subnets, sizeof(*m->subnets),
                 offsetof(az_subnet, id), id);
}

const az_sg *az_find_sg(const az_model *m, const char *id)
{
  return find_by(m->sgs, m->n_sgs, sizeof(*m->sgs),
                 offsetof(az_sg, id), id);
}

const az_pcx *az_find_pcx(const az_model *m, const char *id)
{
  return find_by(m->pcxs, m->n_pcxs, sizeof(*m->pcxs),
                 offsetof(az_pcx, id), id);
}

const az_cluster *az_find_cluster(const az_model *m, const char *id)
{
  return find_by(m->clusters, m->n_clusters, sizeof(*m->clusters),
                 offsetof(az_cluster, id), id);
}

const az_prefix_list *az_find_prefix_list(const az_model *m, const char *id)
{
  return find_by(m->prefix_lists, m->n_prefix_lists, sizeof(*m->prefix_lists),
                 offsetof(az_prefix_list, id), id);
}

const az_role *az_find_role_by_arn(const az_model *m, const char *arn)
{
  return find_by(m->roles, m->n_roles, sizeof(*m->roles),
                 offsetof(az_role, arn), arn);
}

const az_managed_policy *az_find_policy(const az_model *m, const char *arn)
{
  return find_by(m->policies, m->n_policies, sizeof(*m->policies),
                 offsetof(az_managed_policy, arn), arn);
}

const az_domain *az_find_domain(const az_model *m, const char *id)
{
  return find_by(m->domains, m->n_domains, sizeof(*m->domains),
                 offsetof(az_domain, id), id);
}

const az_user_profile *az_find_profile(const az_model *m,
                                       const char *domain_id,
                                       const char *name)
{
  for(size_t i = 0; name && i < m->n_profiles; i++)
    if(eq(m->profiles[i].name, name) &&
       (!domain_id || eq(m->profiles[i].domain_id, domain_id)))
      return &m->profiles[i];
  return NULL;
}

const az_space *az_find_space(const az_model *m, const char *domain_id,
                              const char *name)
{
  for(size_t i = 0; name && i < m->n_spaces; i++)
    if(eq(m->spaces[i].name, name) &&
       (!domain_id || eq(m->spaces[i].domain_id, domain_id)))
      return &m->spaces[i];
  return NULL;
}

const az_secconf *az_find_secconf(const az_model *m, const char *account,
                                  const char *name)
{
  if(!name)
    return NULL;
  for(size_t i = 0; i < m->n_secconfs; i++)
    if(eq(m->secconfs[i].name, name) &&
       (!account || eq(m->secconfs[i].account, account)))
      return &m->secconfs[i];
  return NULL;
}

const az_route_table *az_route_table_for_subnet(const az_model *m,
                                                const az_subnet *s,
                                                bool *implicit)
{
  if(implicit)
    *implicit = false;
  if(!s)
    return NULL;
  for(size_t i = 0; i < m->n_route_tables; i++)
    if(has(m->route_tables[i].subnet_ids, m->route_tables[i].n_subnet_ids,
           s->id))
      return &m->route_tables[i];
  /* no explicit association: the VPC's main table routes the subnet */
  for(size_t i = 0; i < m->n_route_tables; i++) {
    if(m->route_tables[i].is_main && eq(m->route_tables[i].vpc_id, s->vpc_id)) {
      if(implicit)
        *implicit = true;
      return &m->route_tables[i];
    }
  }
  return NULL;
}

const az_nacl *az_nacl_for_subnet(const az_model *m, const char *subnet_id)
{
  if(!subnet_id)
    return NULL;
  for(size_t i = 0; i < m->n_nacls; i++)
    if(has(m->nacls[i].subnet_ids, m->nacls[i].n_subnet_ids, subnet_id))
      return &m->nacls[i];
  return NULL;
}

static bool null_eq(const char *a, const char *b)
{
  return (!a && !b) || eq(a, b);
}

/* file may be the bare name or the whole snapshot-relative path; account
 * NULL matches any account. */
const az_missing *az_find_missing(const az_model *m, const char *account,
                                  const char *region, const char *file)
{
  if(!file)
    return NULL;
  for(size_t i = 0; i < m->n_missing; i++) {
    const az_missing *ms = &m->missing[i];
    const char *base = strrchr(ms->file, '/');
    base = base ? base + 1 : ms->file;
    if((!account || eq(ms->account, account)) && null_eq(ms->region, region) &&
       (!strcmp(base, file) || !strcmp(ms->file, file)))
      return ms;
  }
  return NULL;
}
