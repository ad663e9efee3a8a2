/* analyzer/model.c: freeing the model and finding things in it.
 *
 * These lookups are linear scans, for one-off questions (tests, the CLI);
 * the analyzer's path evaluation builds hash indexes once per analysis
 * (analyzer/index.h) and answers from those. */
#include "model.h"

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

/* The first element of arr[0..n) whose field equals key. */
#define FIND(arr, n, field)                                                 \
  do {                                                                      \
    if(!key)                                                                \
      return NULL;                                                          \
    for(size_t i_ = 0; i_ < m->n; i_++)                                     \
      if(eq(m->arr[i_].field, key))                                         \
        return &m->arr[i_];                                                 \
    return NULL;                                                            \
  } while(0)

const az_vpc *az_find_vpc(const az_model *m, const char *key)
{
  FIND(vpcs, n_vpcs, id);
}

const az_subnet *az_find_subnet(const az_model *m, const char *key)
{
  FIND(subnets, n_subnets, id);
}

const az_sg *az_find_sg(const az_model *m, const char *key)
{
  FIND(sgs, n_sgs, id);
}

const az_pcx *az_find_pcx(const az_model *m, const char *key)
{
  FIND(pcxs, n_pcxs, id);
}

const az_cluster *az_find_cluster(const az_model *m, const char *key)
{
  FIND(clusters, n_clusters, id);
}

const az_prefix_list *az_find_prefix_list(const az_model *m, const char *key)
{
  FIND(prefix_lists, n_prefix_lists, id);
}

const az_role *az_find_role_by_arn(const az_model *m, const char *key)
{
  FIND(roles, n_roles, arn);
}

const az_managed_policy *az_find_policy(const az_model *m, const char *key)
{
  FIND(policies, n_policies, arn);
}

const az_domain *az_find_domain(const az_model *m, const char *key)
{
  FIND(domains, n_domains, id);
}

#undef FIND

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
    for(size_t k = 0; k < m->route_tables[i].n_subnet_ids; k++)
      if(eq(m->route_tables[i].subnet_ids[k], s->id))
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
    for(size_t k = 0; k < m->nacls[i].n_subnet_ids; k++)
      if(eq(m->nacls[i].subnet_ids[k], subnet_id))
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
