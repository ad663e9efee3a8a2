/* analyzer/snapshot_fields.c: typed access to the fields of the AWS CLI
 * JSON, for every reader of the loader. A value of the wrong type or out of
 * range is an error naming file, line (when it can be found) and field
 * path; an absent field or JSON null is "absent". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "snapshot_priv.h"

const cJSON *ld_get(const cJSON *obj, const char *key)
{
  const cJSON *v;
  if(!obj || !key)
    return NULL;
  for(v = obj->child; v && v->string; v = v->next)
    if(v->string[0] == key[0] && !strcmp(v->string, key))
      return v;
  return NULL;
}

/* ld_get(), with JSON null as absent. */
static const cJSON *member(const cJSON *obj, const char *key)
{
  const cJSON *v = ld_get(obj, key);
  return cJSON_IsNull(v) ? NULL : v;
}

xd_rc ld_str(az_ld *L, const cJSON *obj, const char *key, bool required,
             char **out)
{
  const cJSON *v = member(obj, key);
  *out = NULL;
  if(!v) {
    if(required)
      return ld_fail(L, XD_E_PARSE, key, "missing (required)");
    return XD_OK;
  }
  if(!cJSON_IsString(v))
    return ld_fail(L, XD_E_PARSE, key, "expected a string");
  *out = xd_arena_strdup(&L->m->arena, v->valuestring);
  return *out ? XD_OK : ld_nomem(L);
}

xd_rc ld_str_ne(az_ld *L, const cJSON *obj, const char *key, char **out)
{
  xd_rc rc = ld_str(L, obj, key, false, out);
  if(rc == XD_OK && *out && !**out)
    *out = NULL;
  return rc;
}

/* The error for value v at key (element idx of it when idx >= 0): "v" is
 * not what kind is, with control characters shown as '?' so that the
 * message stays one line. */
static xd_rc bad_id(az_ld *L, const char *key, long idx, const char *v,
                    az_id_kind kind)
{
  char shown[220];
  size_t i = 0, mark = 0;
  xd_rc rc;
  for(; v[i] && i + 1 < sizeof(shown); i++)
    shown[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
  shown[i] = '\0';
  if(idx >= 0) {
    mark = ld_enter(L, key);
    ld_enter_idx(L, (size_t)idx);
  }
  rc = ld_bad_value(L, idx >= 0 ? NULL : key, shown, az_id_what(kind));
  if(idx >= 0)
    ld_leave(L, mark);
  return rc;
}

xd_rc ld_id(az_ld *L, const cJSON *obj, const char *key, az_id_kind kind,
            bool required, char **out)
{
  xd_rc rc = ld_str(L, obj, key, required, out);
  if(rc == XD_OK && *out && !az_id_ok(kind, *out))
    return bad_id(L, key, -1, *out, kind);
  return rc;
}

xd_rc ld_check_id(az_ld *L, const char *key, az_id_kind kind, const char *v)
{
  if(!v || kind == AZ_ID_KINDS || az_id_ok(kind, v))
    return XD_OK;
  return bad_id(L, key, -1, v, kind);
}

xd_rc ld_idv(az_ld *L, const cJSON *obj, const char *key, az_id_kind kind,
             char ***out, size_t *n)
{
  xd_rc rc = ld_strv(L, obj, key, out, n);
  for(size_t i = 0; rc == XD_OK && i < *n; i++)
    if(!az_id_ok(kind, (*out)[i]))
      return bad_id(L, key, (long)i, (*out)[i], kind);
  return rc;
}

xd_rc ld_ip(az_ld *L, const cJSON *obj, const char *key, char **out)
{
  xd_ip ip;
  xd_rc rc = ld_str_ne(L, obj, key, out);
  if(rc == XD_OK && *out && !xd_ip_parse(*out, &ip))
    return ld_bad_value(L, key, *out, "an IP address");
  return rc;
}

xd_rc ld_strv(az_ld *L, const cJSON *obj, const char *key, char ***out,
              size_t *n)
{
  const cJSON *arr, *it;
  size_t i = 0;
  xd_rc rc = ld_array(L, obj, key, &arr);
  *out = NULL;
  *n = 0;
  if(rc != XD_OK || !arr)
    return rc;
  if(!(*out = ld_calloc_for(L, arr, sizeof(char *))))
    return ld_nomem(L);
  cJSON_ArrayForEach(it, arr) {
    if(!cJSON_IsString(it)) {
      size_t mark = ld_enter(L, key);
      ld_enter_idx(L, i);
      rc = ld_fail(L, XD_E_PARSE, NULL, "expected a string");
      ld_leave(L, mark);
      return rc;
    }
    (*out)[i] = xd_arena_strdup(&L->m->arena, it->valuestring);
    if(!(*out)[i])
      return ld_nomem(L);
    *n = ++i;
  }
  return XD_OK;
}

xd_rc ld_tri(az_ld *L, const cJSON *obj, const char *key, az_tri *out)
{
  const cJSON *v = member(obj, key);
  *out = AZ_UNKNOWN;
  if(!v)
    return XD_OK;
  if(!cJSON_IsBool(v))
    return ld_fail(L, XD_E_PARSE, key, "expected true or false");
  *out = cJSON_IsTrue(v) ? AZ_YES : AZ_NO;
  return XD_OK;
}

xd_rc ld_bool(az_ld *L, const cJSON *obj, const char *key, bool dflt,
              bool *out)
{
  az_tri t;
  xd_rc rc = ld_tri(L, obj, key, &t);
  *out = t == AZ_UNKNOWN ? dflt : t == AZ_YES;
  return rc;
}

xd_rc ld_long(az_ld *L, const cJSON *obj, const char *key, long lo, long hi,
              const char *what, bool *present, long *out)
{
  const cJSON *v = member(obj, key);
  double d;
  *present = false;
  if(!v)
    return XD_OK;
  if(!cJSON_IsNumber(v))
    return ld_fail(L, XD_E_PARSE, key, "expected a number");
  d = v->valuedouble;
  if(d != d || d < (double)lo || d > (double)hi || d != (double)(long)d) {
    if(d == d && d > -1e15 && d < 1e15 && d == (double)(long)d) {
      char lit[32];
      snprintf(lit, sizeof(lit), "%ld", (long)d);
      return ld_fail_lit(L, XD_E_INVALID, key, lit,
                         "%ld is not %s (%ld to %ld)", (long)d, what, lo, hi);
    }
    return ld_fail(L, XD_E_INVALID, key, "%g is not %s (%ld to %ld)", d, what,
                   lo, hi);
  }
  *out = (long)d;
  *present = true;
  return XD_OK;
}

xd_rc ld_cidr(az_ld *L, const cJSON *obj, const char *key, int family,
              bool *present, xd_cidr *out)
{
  const cJSON *v = member(obj, key);
  xd_cidr c;
  *present = false;
  if(!v)
    return XD_OK;
  if(!cJSON_IsString(v))
    return ld_fail(L, XD_E_PARSE, key, "expected a CIDR block string");
  if(!xd_cidr_parse(v->valuestring, &c) ||
     (family && c.addr.family != family))
    return ld_bad_value(L, key, v->valuestring,
                        family == 4   ? "an IPv4 CIDR block"
                        : family == 6 ? "an IPv6 CIDR block"
                                      : "a CIDR block");
  *out = c;
  *present = true;
  return XD_OK;
}

/* Member key when is() holds for it, NULL when absent; else the error
 * "expected <what>". */
static xd_rc typed_member(az_ld *L, const cJSON *obj, const char *key,
                          cJSON_bool (*is)(const cJSON *), const char *what,
                          const cJSON **out)
{
  const cJSON *v = member(obj, key);
  *out = NULL;
  if(!v)
    return XD_OK;
  if(!is(v))
    return ld_fail(L, XD_E_PARSE, key, "expected %s", what);
  *out = v;
  return XD_OK;
}

xd_rc ld_array(az_ld *L, const cJSON *obj, const char *key,
               const cJSON **out)
{
  return typed_member(L, obj, key, cJSON_IsArray, "an array", out);
}

xd_rc ld_object(az_ld *L, const cJSON *obj, const char *key,
                const cJSON **out)
{
  return typed_member(L, obj, key, cJSON_IsObject, "an object", out);
}

bool ld_proto(const char *s, int *out)
{
  static const struct { const char *name; int num; } names[] = {
    {"-1", AZ_PROTO_ALL}, {"all", AZ_PROTO_ALL}, {"tcp", AZ_PROTO_TCP},
    {"udp", AZ_PROTO_UDP}, {"icmp", AZ_PROTO_ICMP},
    {"icmpv6", AZ_PROTO_ICMPV6},
  };
  long v = 0;
  size_t i;
  for(i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if(!strcmp(s, names[i].name)) {
      *out = names[i].num;
      return true;
    }
  }
  if(!*s || strlen(s) > 3)
    return false;
  for(i = 0; s[i]; i++) {
    if(s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (s[i] - '0');
  }
  if(v > 255)
    return false;
  *out = (int)v;
  return true;
}

/* ---- string sets ---- */

static size_t hash_str(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for(; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return (size_t)h;
}

bool ld_set_has(const ld_set *s, const char *v)
{
  size_t i;
  if(!s->cap)
    return false;
  for(i = hash_str(v) & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
    if(!strcmp(s->slot[i], v))
      return true;
  return false;
}

xd_rc ld_set_add(az_ld *L, ld_set *s, const char *v)
{
  size_t i;
  if(ld_set_has(s, v))
    return XD_OK;
  if((s->n + 1) * 2 > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    const char **slot = calloc(cap, sizeof(*slot));
    if(!slot)
      return ld_nomem(L);
    for(size_t k = 0; k < s->cap; k++) {
      if(s->slot[k]) {
        for(i = hash_str(s->slot[k]) & (cap - 1); slot[i]; i = (i + 1) & (cap - 1))
          ;
        slot[i] = s->slot[k];
      }
    }
    free(s->slot);
    s->slot = slot;
    s->cap = cap;
  }
  for(i = hash_str(v) & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
    ;
  s->slot[i] = xd_arena_strdup(&L->m->arena, v);
  if(!s->slot[i])
    return ld_nomem(L);
  s->n++;
  return XD_OK;
}

void ld_set_free(ld_set *s)
{
  free(s->slot);
  memset(s, 0, sizeof(*s));
}

/* ---- shared by the readers ---- */

/* Enter element i of an array and check it is an object. */
xd_rc ld_item(az_ld *L, const cJSON *it, size_t i, size_t *mark)
{
  *mark = ld_enter_idx(L, i);
  if(!cJSON_IsObject(it))
    return ld_fail(L, XD_E_PARSE, NULL, "expected an object");
  return XD_OK;
}

/* The top-level array of a file: present (ld_open checked the key) but
 * it must be an array. */
xd_rc ld_top_array(az_ld *L, const cJSON *root, const char *key,
                   const cJSON **arr)
{
  xd_rc rc = ld_array(L, root, key, arr);
  if(rc == XD_OK && !*arr)
    rc = ld_fail(L, XD_E_PARSE, key, "expected an array");
  return rc;
}

xd_rc ld_each(az_ld *L, const cJSON *arr, const char *key, ld_read_fn read,
              void *ctx)
{
  const cJSON *it;
  size_t i = 0, mark, m2;
  xd_rc rc;
  if(!arr)
    return XD_OK;
  m2 = ld_enter(L, key);
  cJSON_ArrayForEach(it, arr) {
    if((rc = ld_item(L, it, i++, &mark)) || (rc = read(L, it, ctx)))
      return rc;
    ld_leave(L, mark);
  }
  ld_leave(L, m2);
  return XD_OK;
}

void *ld_calloc_for(az_ld *L, const cJSON *arr, size_t elem)
{
  return xd_arena_calloc(&L->m->arena, (size_t)cJSON_GetArraySize(arr) + 1,
                         elem);
}

const char *ld_or_empty(const char *s)
{
  return s ? s : "";
}

/* What ld_cidr_set() reads each element with. */
typedef struct {
  const char *key, *state_key;
  int family;
  xd_cidr *out;
  size_t *n;
} cidr_set_ctx;

static xd_rc read_cidr_elem(az_ld *L, const cJSON *it, void *ctx)
{
  cidr_set_ctx *c = ctx;
  const char *state = NULL;
  bool present;
  xd_cidr v;
  xd_rc rc;
  if(c->state_key) {
    const cJSON *st = ld_get(it, c->state_key);
    state = cJSON_IsObject(st) ? xd_json_str(st, "State") : NULL;
  }
  if((rc = ld_cidr(L, it, c->key, c->family, &present, &v)) != XD_OK)
    return rc;
  if(present && (!state || !strcmp(state, "associated")))
    c->out[(*c->n)++] = v;
  return XD_OK;
}

/* A list of objects each holding a CIDR at key, kept when state (an
 * object holding "State") is absent or "associated". */
xd_rc ld_cidr_set(az_ld *L, const cJSON *obj, const char *list,
                  const char *key, const char *state_key, int family,
                  xd_cidr **out, size_t *n)
{
  cidr_set_ctx c = {key, state_key, family, NULL, n};
  const cJSON *arr;
  xd_rc rc = ld_array(L, obj, list, &arr);
  if(rc != XD_OK || !arr)
    return rc;
  if(!(*out = c.out = ld_calloc_for(L, arr, sizeof(xd_cidr))))
    return ld_nomem(L);
  return ld_each(L, arr, list, read_cidr_elem, &c);
}

bool ld_cidr_eq(const xd_cidr *a, const xd_cidr *b)
{
  return a->prefix == b->prefix && xd_ip_equal(&a->addr, &b->addr);
}
