/* IAM Condition evaluation for the discovery requests; see cond.h. */
#include "cond.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../iam.h"

typedef enum { K_UNKNOWN, K_ABSENT, K_VALUE } key_state;

typedef enum {
  OP_STR_EQ, OP_STR_EQ_IC, OP_STR_LIKE, OP_ARN_LIKE, OP_BOOL, OP_NULL,
  OP_OTHER
} op_kind;

typedef struct {
  op_kind kind;
  bool negated;      /* ...Not... */
  bool if_exists;    /* ...IfExists */
  bool for_any, for_all; /* ForAnyValue: / ForAllValues: */
} op_spec;

/* The request's value of key (condition keys are case-insensitive). */
static key_state key_value(const az_iam_req *rq, const char *key,
                           const char **val)
{
  *val = NULL;
  if(!strcasecmp(key, "aws:PrincipalAccount"))
    *val = rq->principal_account;
  else if(!strcasecmp(key, "aws:PrincipalArn"))
    *val = rq->principal_arn;
  else if(!strcasecmp(key, "aws:RequestedRegion"))
    *val = rq->region;
  else if(!strcasecmp(key, "aws:SourceAccount"))
    return (*val = rq->source_account) ? K_VALUE : K_ABSENT;
  else if(!strcasecmp(key, "aws:SecureTransport")) {
    *val = "true"; /* every SDK call is HTTPS */
    return K_VALUE;
  } else if(!strcasecmp(key, "sts:RoleSessionName")) {
    *val = rq->assume_role ? AZ_STUDIO_SESSION_NAME : NULL;
    return *val ? K_VALUE : K_ABSENT;
  } else if(!strcasecmp(key, "sts:ExternalId"))
    return K_ABSENT; /* Studio never sends one */
  else
    return K_UNKNOWN;
  return *val ? K_VALUE : K_UNKNOWN;
}

static bool take(const char **p, const char *word)
{
  size_t l = strlen(word);
  if(strncasecmp(*p, word, l))
    return false;
  *p += l;
  return true;
}

static op_spec parse_op(const char *name)
{
  op_spec o = {OP_OTHER, false, false, false, false};
  const char *p = name;
  size_t l;
  char base[64];
  if(take(&p, "ForAnyValue:"))
    o.for_any = true;
  else if(take(&p, "ForAllValues:"))
    o.for_all = true;
  l = strlen(p);
  if(l > 8 && !strcasecmp(p + l - 8, "IfExists")) {
    o.if_exists = true;
    l -= 8;
  }
  if(l >= sizeof(base))
    return o;
  memcpy(base, p, l);
  base[l] = '\0';
  if(!strcasecmp(base, "StringEquals") || !strcasecmp(base, "StringNotEquals")) {
    o.kind = OP_STR_EQ;
    o.negated = base[6] == 'N';
  } else if(!strcasecmp(base, "StringEqualsIgnoreCase") ||
            !strcasecmp(base, "StringNotEqualsIgnoreCase")) {
    o.kind = OP_STR_EQ_IC;
    o.negated = base[6] == 'N';
  } else if(!strcasecmp(base, "StringLike") ||
            !strcasecmp(base, "StringNotLike")) {
    o.kind = OP_STR_LIKE;
    o.negated = base[6] == 'N';
  } else if(!strcasecmp(base, "ArnEquals") || !strcasecmp(base, "ArnLike") ||
            !strcasecmp(base, "ArnNotEquals") ||
            !strcasecmp(base, "ArnNotLike")) {
    /* ArnEquals takes wildcards as ArnLike does */
    o.kind = OP_ARN_LIKE;
    o.negated = base[3] == 'N';
  } else if(!strcasecmp(base, "Bool"))
    o.kind = OP_BOOL;
  else if(!strcasecmp(base, "Null"))
    o.kind = OP_NULL;
  return o;
}

/* A policy value as text (strings, booleans and numbers are all written
 * as strings by AWS); false for anything else. */
static bool value_text(const cJSON *v, char *out, size_t n)
{
  if(cJSON_IsString(v))
    snprintf(out, n, "%s", v->valuestring);
  else if(cJSON_IsBool(v))
    snprintf(out, n, "%s", cJSON_IsTrue(v) ? "true" : "false");
  else if(cJSON_IsNumber(v))
    snprintf(out, n, "%.0f", v->valuedouble);
  else
    return false;
  return true;
}

static bool one_match(op_kind k, const char *pat, const char *val)
{
  switch(k) {
  case OP_STR_EQ:
    return !strcmp(pat, val);
  case OP_STR_EQ_IC:
  case OP_BOOL:
    return !strcasecmp(pat, val);
  case OP_STR_LIKE:
  case OP_ARN_LIKE:
    return az_iam_wild(pat, val, false);
  default:
    return false;
  }
}

/* Whether any of the policy's values (a scalar or an array) matches. */
static bool any_value(op_kind k, const cJSON *vals, const char *val)
{
  char t[1024];
  const cJSON *it;
  if(!cJSON_IsArray(vals))
    return value_text(vals, t, sizeof(t)) && one_match(k, t, val);
  cJSON_ArrayForEach(it, vals)
    if(value_text(it, t, sizeof(t)) && one_match(k, t, val))
      return true;
  return false;
}

static az_tri eval_key(const op_spec *o, const char *key, const cJSON *vals,
                       const az_iam_req *rq)
{
  const char *val;
  key_state ks = key_value(rq, key, &val);
  if(ks == K_UNKNOWN || o->kind == OP_OTHER)
    return AZ_UNKNOWN;
  if(o->kind == OP_NULL) {
    /* {"key": "true"} holds when the key is absent */
    bool want_absent = any_value(OP_BOOL, vals, "true");
    return (ks == K_ABSENT) == want_absent ? AZ_YES : AZ_NO;
  }
  if(ks == K_ABSENT) {
    if(o->if_exists || o->for_all || (o->negated && !o->for_any))
      return AZ_YES;
    return AZ_NO;
  }
  /* every key we know is single-valued: the set operators reduce to the
   * plain ones on a set of one */
  return any_value(o->kind, vals, val) != o->negated ? AZ_YES : AZ_NO;
}

az_tri az_iam_cond(const cJSON *cond, const az_iam_req *req,
                   const char **unknown_key)
{
  const cJSON *op, *key;
  az_tri res = AZ_YES;
  if(unknown_key)
    *unknown_key = NULL;
  if(!cond)
    return AZ_YES;
  if(!cJSON_IsObject(cond) || !req)
    return AZ_UNKNOWN;
  cJSON_ArrayForEach(op, cond) {
    op_spec o = parse_op(op->string ? op->string : "");
    if(!cJSON_IsObject(op))
      return AZ_UNKNOWN;
    cJSON_ArrayForEach(key, op) {
      az_tri t = eval_key(&o, key->string ? key->string : "", key, req);
      if(t == AZ_NO)
        return AZ_NO;
      if(t == AZ_UNKNOWN && res == AZ_YES) {
        res = AZ_UNKNOWN;
        if(unknown_key)
          *unknown_key = key->string;
      }
    }
  }
  return res;
}
