/* analyzer/index.h (private to analyzer/): hash indexes over a loaded
 * model, built once per analysis so that every lookup on a path is O(1)
 * whatever the size of the organisation (the benchmark has 5,000 security
 * groups and 2,000 route tables). The model's own lookups (model.h) are
 * linear scans meant for one-off use. */
#ifndef AZ_INDEX_H
#define AZ_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/arena.h"
#include "../common/xd_error.h"
#include "model.h"

typedef struct {
  const char *key;
  void *val;
  uint32_t hash;
} az_hslot;

/* Open addressing, linear probing; keys are borrowed (they must outlive
 * the map). */
typedef struct {
  az_hslot *slots;
  size_t cap, n;
} az_hmap;

/* Insert key -> val. With replace false an existing key keeps its value
 * (the first one read wins, as model.h says for peerings). XD_E_NOMEM on
 * allocation failure. */
xd_rc az_hmap_put(az_hmap *h, const char *key, void *val, bool replace);
/* The value stored for key, or NULL. */
void *az_hmap_get(const az_hmap *h, const char *key);
/* Free the slots (not the keys or values). */
void az_hmap_free(az_hmap *h);

typedef struct {
  xd_arena keys;        /* composed keys ("vpc-a|vpc-b") */
  az_hmap vpc, subnet, sg, pcx, pl, cluster, role, policy, domain;
  az_hmap eni_ip;       /* "vpc-id|10.0.20.15" -> az_eni */
  az_hmap secconf;      /* "account|name" -> az_secconf */
  az_hmap rtb_subnet;   /* subnet id -> explicitly associated table */
  az_hmap rtb_main;     /* vpc id -> main table */
  az_hmap nacl_subnet;  /* subnet id -> network ACL */
  az_hmap pcx_pair;     /* "vpc-a|vpc-b" (sorted) -> best peering */
} az_index;

/* Build every index over m. On failure the index is freed. */
xd_rc az_index_build(az_index *ix, const az_model *m, xd_err *e);
/* Free the index (not the model). */
void az_index_free(az_index *ix);

const az_vpc *az_ix_vpc(const az_index *ix, const char *id);
const az_subnet *az_ix_subnet(const az_index *ix, const char *id);
const az_sg *az_ix_sg(const az_index *ix, const char *id);
const az_pcx *az_ix_pcx(const az_index *ix, const char *id);
const az_prefix_list *az_ix_pl(const az_index *ix, const char *id);
const az_cluster *az_ix_cluster(const az_index *ix, const char *id);
const az_role *az_ix_role(const az_index *ix, const char *arn);
const az_managed_policy *az_ix_policy(const az_index *ix, const char *arn);
const az_domain *az_ix_domain(const az_index *ix, const char *id);
const az_secconf *az_ix_secconf(const az_index *ix, const char *account,
                                const char *name);
const az_eni *az_ix_eni_ip(const az_index *ix, const char *vpc_id,
                           const char *ip);
/* The table a subnet uses: explicit association, else the VPC's main
 * table (*implicit set). NULL when neither is known. */
const az_route_table *az_ix_rtb_for_subnet(const az_index *ix,
                                           const az_subnet *s, bool *implicit);
const az_nacl *az_ix_nacl_for_subnet(const az_index *ix, const char *id);
/* The peering joining two VPCs (either way round): an active one when
 * there is one, else the first read. NULL when none. */
const az_pcx *az_ix_pcx_between(const az_index *ix, const char *vpc_a,
                                const char *vpc_b);

#endif
