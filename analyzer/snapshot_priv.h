/* analyzer/snapshot_priv.h: what the loader's files (snapshot*.c) share.
 * Not a door: nothing outside analyzer/snapshot*.c and model.c includes it.
 *
 * One az_ld lives for one az_snapshot_load() call. It knows the file in
 * hand (for messages), the account and region folder it sits in, and the
 * JSON field path of the object being read, so that every error can name
 * file and field ("SecurityGroups[3].IpPermissions[0].IpRanges[1].CidrIp"). */
#ifndef AZ_SNAPSHOT_PRIV_H
#define AZ_SNAPSHOT_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "../common/xd_error.h"
#include "awsid.h"
#include "model.h"

#define LD_FIELD_MAX 512

/* A set of strings (prefix list ids, security configuration names) that a
 * region's files refer to, so each is looked for once. */
typedef struct {
  const char **slot;
  size_t cap, n;
} ld_set;

typedef struct {
  az_model *m;
  xd_err *e;
  char *root;          /* the folder as given, without trailing slashes */
  char *root_real;     /* its realpath, for the symlink check */
  /* the file in hand */
  char file[4096];     /* root/rel, for messages */
  const char *rel;     /* snapshot-relative (arena), the az_source */
  char *text;          /* its text (malloc), for line numbers */
  const char *account; /* arena, shared by every element of the account */
  const char *region;  /* arena, or NULL at account level */
  /* field path of the object in hand */
  char field[LD_FIELD_MAX];
  size_t flen;
  /* what the region's files refer to */
  ld_set ref_pls;      /* prefix list ids */
  ld_set ref_secconfs; /* security configuration names */
  bool ref_enis;       /* a route targets an instance or interface */
  size_t region_vpc0;  /* first index in m->vpcs of this region's VPCs */
  /* capacities of the model's growing arrays */
  size_t cap_accounts, cap_vpcs, cap_subnets, cap_rts, cap_sgs, cap_nacls,
         cap_pcxs, cap_enis, cap_pls, cap_clusters, cap_secconfs,
         cap_domains, cap_profiles, cap_spaces, cap_roles, cap_policies,
         cap_rolefiles, cap_missing, cap_fetch_errors,
         cap_dhcp, cap_rrules, cap_rassocs, cap_rseen, cap_vpces,
         cap_vpce_read;
  /* The tree ld_open() made of the file in hand lives in json (no malloc
   * per node; ld_close() frees it at once); json_kept when ld_own() took
   * part of it, so that the model adopts the arena. */
  xd_arena json;
  cJSON *json_root;
  bool json_kept;
  /* the folder (snapshot-relative) whose realpath was last found inside
   * the snapshot: a regular file in it needs no realpath of its own */
  char inside[512];
} az_ld;

/* Room for one more element in an arena array of elem bytes that holds n
 * and has room for *cap; returns the (possibly moved) array or NULL when
 * out of memory. Doubling keeps appends amortised O(1). */
void *ld_grow(az_ld *L, void *arr, size_t n, size_t *cap, size_t elem);
/* Append a zeroed slot to arr (an lvalue) and return its address, or NULL
 * when out of memory. */
#define LD_SLOT(L, arr, n, cap)                                             \
  (((arr) = ld_grow((L), (arr), (n), &(cap), sizeof(*(arr)))) != NULL      \
       ? &(arr)[(n)++]                                                      \
       : NULL)

/* Out of memory, in the loader's words. */
xd_rc ld_nomem(az_ld *L);
/* An error about key (may be NULL) of the object at the current field
 * path: "FILE: line N: Field.Path.Key: message" (the line when "key"
 * occurs once in the file). Returns rc. */
xd_rc ld_fail(az_ld *L, xd_rc rc, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* As ld_fail, for the member "key": lit (lit as JSON writes the value),
 * which names the line when it occurs once in the file. */
xd_rc ld_fail_lit(az_ld *L, xd_rc rc, const char *key, const char *lit,
                  const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A malformed string value: as ld_fail, and names the line when the value
 * occurs once in the file. what completes "is not ...". */
xd_rc ld_bad_value(az_ld *L, const char *key, const char *val,
                   const char *what);

/* Field path: enter a key or an array index; leave with the mark the
 * enter returned. */
size_t ld_enter(az_ld *L, const char *key);
size_t ld_enter_idx(az_ld *L, size_t i);
void ld_leave(az_ld *L, size_t mark);

/* Read snapshot-relative file rel as JSON. *out is NULL when the file is
 * absent. The file must stay inside the snapshot (symlinks are resolved),
 * be a regular file within the size limit, valid UTF-8 JSON, and, when key
 * is not NULL, an object holding key (the top-level key its command
 * prints). On success L->file, L->rel and L->text describe it until
 * ld_close(). The tree may live in an arena (common/jsonarena.h): free it
 * with ld_close() only, never cJSON_Delete() it or delete its members;
 * a part that must outlive the file is detached and given to ld_own(). */
xd_rc ld_open(az_ld *L, const char *rel, const char *key, cJSON **out);
/* ld_open() for the file name in the folder in hand (L->region's, or the
 * account's when L->region is NULL). An absent file (*out NULL) is
 * recorded as missing, as what it would have told; what NULL makes the
 * file optional (nothing recorded). */
xd_rc ld_open_in(az_ld *L, const char *name, const char *key,
                 const char *what, cJSON **out);
/* Read snapshot-relative file rel as raw text into L->text (*len bytes),
 * with the same checks as ld_open() but no parsing; *present is false when
 * the file is absent. */
xd_rc ld_read_raw(az_ld *L, const char *rel, size_t *len, bool *present);
/* Forget the file in hand and delete root (may be NULL). */
void ld_close(az_ld *L, cJSON *root);
/* Whether rel exists (as anything) inside the snapshot. */
bool ld_exists(az_ld *L, const char *rel);
/* Record that rel is absent: what it would have told. */
xd_rc ld_missing(az_ld *L, const char *rel, const char *what);
/* "account/region/name" (region may be NULL) in the arena, or NULL. */
const char *ld_rel(az_ld *L, const char *region, const char *name);
/* Keep a parsed tree alive as long as the model (m->owned_json), or a
 * part of the tree of the file in hand (the model keeps its arena). */
xd_rc ld_own(az_ld *L, cJSON *j);

/* cJSON_GetObjectItemCaseSensitive(obj, key), cheaper: every field of
 * every element is looked up, so the first byte is compared before
 * strcmp() is called. */
const cJSON *ld_get(const cJSON *obj, const char *key);
/* Typed field access. Absent keys and JSON null are "absent"; a value of
 * another type than the field's is an error naming the field. */
xd_rc ld_str(az_ld *L, const cJSON *obj, const char *key, bool required,
             char **out);
/* As ld_str, with "" read as absent (AWS prints "" for no DNS name). */
xd_rc ld_str_ne(az_ld *L, const cJSON *obj, const char *key, char **out);
/* A string that must be an IP address, or absent/"" (NULL). */
xd_rc ld_ip(az_ld *L, const cJSON *obj, const char *key, char **out);
/* As ld_str, for an identifier that must have the shape of kind
 * (awsid.h): any other value is bad input, an error naming the field. */
xd_rc ld_id(az_ld *L, const cJSON *obj, const char *key, az_id_kind kind,
            bool required, char **out);
/* The check of ld_id for a value already read (NULL is absent; kind
 * AZ_ID_KINDS checks nothing): key names the field in the error. */
xd_rc ld_check_id(az_ld *L, const char *key, az_id_kind kind, const char *v);
/* An array of identifiers of kind, as ld_strv and ld_id. */
xd_rc ld_idv(az_ld *L, const cJSON *obj, const char *key, az_id_kind kind,
             char ***out, size_t *n);
/* An array of strings. */
xd_rc ld_strv(az_ld *L, const cJSON *obj, const char *key, char ***out,
              size_t *n);
xd_rc ld_tri(az_ld *L, const cJSON *obj, const char *key, az_tri *out);
xd_rc ld_bool(az_ld *L, const cJSON *obj, const char *key, bool dflt,
              bool *out);
/* An integer in lo..hi; *present false (and *out untouched) when absent. */
xd_rc ld_long(az_ld *L, const cJSON *obj, const char *key, long lo, long hi,
              const char *what, bool *present, long *out);
/* A CIDR block of the given family (4, 6, or 0 for either). */
xd_rc ld_cidr(az_ld *L, const cJSON *obj, const char *key, int family,
              bool *present, xd_cidr *out);
/* An array or object member; NULL when absent. */
xd_rc ld_array(az_ld *L, const cJSON *obj, const char *key,
               const cJSON **out);
xd_rc ld_object(az_ld *L, const cJSON *obj, const char *key,
                const cJSON **out);
/* Enter element i of an array (leave with *mark) and check that it is an
 * object. */
xd_rc ld_item(az_ld *L, const cJSON *it, size_t i, size_t *mark);
/* The top-level member key of a file (ld_open checked it is there) must be
 * an array. */
xd_rc ld_top_array(az_ld *L, const cJSON *root, const char *key,
                   const cJSON **arr);
/* Reads one element of an array, an object, with the field path at its
 * index; ctx is what the caller of ld_each() or ld_load_list() passed. */
typedef xd_rc (*ld_read_fn)(az_ld *L, const cJSON *item, void *ctx);
/* read(L, item, ctx) for each element of arr (NULL: none), the field
 * path at key[i]; an element that is not an object is an error. Stops at
 * the first error and returns it. */
xd_rc ld_each(az_ld *L, const cJSON *arr, const char *key, ld_read_fn read,
              void *ctx);
/* The shape of most files: ld_open_in(name, key, what), then each element
 * of the top-level array key through read. The readers of the model's
 * growing arrays take their own slot (LD_SLOT), so that each keeps its
 * type. */
xd_rc ld_load_list(az_ld *L, const char *name, const char *key,
                   const char *what, ld_read_fn read, void *ctx);
/* A zeroed arena array of elem-byte slots, one for each element (or
 * member) of arr and one more, so that it is not NULL for an empty one;
 * NULL when out of memory. */
void *ld_calloc_for(az_ld *L, const cJSON *arr, size_t elem);
/* The list of objects at obj.list each holding a CIDR at key, into a new
 * arena array (*out, *n); an element whose state object (state_key, may be
 * NULL) says other than "associated" is left out. */
xd_rc ld_cidr_set(az_ld *L, const cJSON *obj, const char *list,
                  const char *key, const char *state_key, int family,
                  xd_cidr **out, size_t *n);
bool ld_cidr_eq(const xd_cidr *a, const xd_cidr *b);
/* s, or "" for NULL (for the model's never-NULL strings). */
const char *ld_or_empty(const char *s);

/* A protocol as AWS writes it ("-1", "tcp", "6", ...) as a number. */
bool ld_proto(const char *s, int *out);

/* String sets. */
xd_rc ld_set_add(az_ld *L, ld_set *s, const char *v);
bool ld_set_has(const ld_set *s, const char *v);
void ld_set_free(ld_set *s);

/* The readers. Each reads its files of the account/region in L and
 * records what is absent. names is the region folder's sorted listing. */
xd_rc ld_region_ec2(az_ld *L, char **names, size_t n_names); /* all EC2 */
xd_rc ld_load_sgs(az_ld *L);                                 /* _rules.c */
xd_rc ld_load_nacls(az_ld *L);
xd_rc ld_load_pcxs(az_ld *L);                                /* _pcx.c */
xd_rc ld_load_enis(az_ld *L);
xd_rc ld_load_prefix_lists(az_ld *L, char **names, size_t n_names);
xd_rc ld_region_emr(az_ld *L, char **names, size_t n_names);
/* snapshot_studio.c: user profiles and spaces of the region, and a
 * domain's DefaultSpaceSettings (root is its describe-domain object). */
xd_rc ld_region_studio(az_ld *L, char **names, size_t n_names);
xd_rc ld_space_defaults(az_ld *L, const cJSON *root, az_domain *d);
xd_rc ld_account_iam(az_ld *L);
xd_rc ld_account_rolefile(az_ld *L);
xd_rc ld_fetch_errors(az_ld *L);                             /* load/ */
/* load/dhcp.c, load/resolver.c: DHCP options sets and Route 53 Resolver
 * rules and associations of the region in hand. */
xd_rc ld_load_dhcp(az_ld *L);
xd_rc ld_load_resolver(az_ld *L);
xd_rc ld_load_vpces(az_ld *L);                         /* load/vpce.c */

#endif
