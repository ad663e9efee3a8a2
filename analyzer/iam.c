#include "iam.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool ch_eq(char a, char b, bool icase)
{
  return icase ? tolower((unsigned char)a) == tolower((unsigned char)b) : a == b;
}

bool az_iam_wild(const char *p, const char *s, bool icase)
{
  const char *star = NULL, *mark = NULL;
  while(*s) {
    if(*p == '*') {
      star = p++;
      mark = s;
    } else if(*p == '?' || (*p && ch_eq(*p, *s, icase))) {
      p++;
      s++;
    } else if(star) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while(*p == '*')
    p++;
  return *p == '\0';
}

/* pattern with the placeholders filled in; false when it does not fit */
static bool substitute(const char *pat, const az_iam_subst *sb, char *out,
                       size_t n, bool *changed)
{
  size_t o = 0;
  *changed = false;
  while(*pat) {
    const char *rep = NULL;
    size_t skip = 0;
    if(sb && sb->region && !strncmp(pat, "<region>", 8))
      rep = sb->region, skip = 8;
    else if(sb && sb->account && !strncmp(pat, "<account-id>", 12))
      rep = sb->account, skip = 12;
    if(rep) {
      size_t l = strlen(rep);
      if(o + l >= n)
        return false;
      memcpy(out + o, rep, l);
      o += l;
      pat += skip;
      *changed = true;
    } else {
      if(o + 1 >= n)
        return false;
      out[o++] = *pat++;
    }
  }
  out[o] = '\0';
  return true;
}

/* Whether any string of item (a string or an array of strings) matches
 * value; *placeholder is set when the match needed the substitution. */
static bool any_match(const cJSON *item, const char *value, bool icase,
                      const az_iam_subst *sb, bool *placeholder)
{
  const cJSON *it;
  bool found = false;
  if(cJSON_IsString(item)) {
    char buf[2048];
    bool changed;
    if(az_iam_wild(item->valuestring, value, icase))
      return true;
    if(sb && substitute(item->valuestring, sb, buf, sizeof(buf), &changed) &&
       changed && az_iam_wild(buf, value, icase)) {
      if(placeholder)
        *placeholder = true;
      return true;
    }
    return false;
  }
  cJSON_ArrayForEach(it, item) {
    if(cJSON_IsString(it) && any_match(it, value, icase, sb, placeholder)) {
      found = true;
      if(!placeholder || !*placeholder)
        return true;
    }
  }
  return found;
}

static bool effect_is(const cJSON *stmt, const char *want)
{
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(stmt, "Effect");
  return cJSON_IsString(e) && !strcasecmp(e->valuestring, want);
}

static bool action_applies(const cJSON *stmt, const char *action)
{
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(stmt, "Action");
  const cJSON *na = cJSON_GetObjectItemCaseSensitive(stmt, "NotAction");
  if(a)
    return any_match(a, action, true, NULL, NULL);
  if(na)
    return !any_match(na, action, true, NULL, NULL);
  return false;
}

static bool resource_applies(const cJSON *stmt, const char *resource,
                             const az_iam_subst *sb, bool *placeholder)
{
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(stmt, "Resource");
  const cJSON *nr = cJSON_GetObjectItemCaseSensitive(stmt, "NotResource");
  *placeholder = false;
  if(!resource)
    return true;
  if(r)
    return any_match(r, resource, false, sb, placeholder);
  if(nr)
    return !any_match(nr, resource, false, NULL, NULL);
  return false;
}

/* Statement may be one object or an array of them. */
#define FOR_EACH_STMT(doc, s)                                               \
  for(const cJSON *st_all_ = cJSON_GetObjectItemCaseSensitive(doc, "Statement"), \
                  *s = cJSON_IsArray(st_all_) ? st_all_->child : st_all_;   \
      s; s = cJSON_IsArray(st_all_) ? s->next : NULL)

/* Whether statement s is in force for req: its Condition holds (or it has
 * none). AZ_UNKNOWN when the condition cannot be evaluated; *key gets the
 * key that stopped it. Without req every statement is in force. */
static az_tri in_force(const cJSON *s, const az_iam_req *req, const char **key)
{
  const cJSON *cond = cJSON_GetObjectItemCaseSensitive(s, "Condition");
  *key = NULL;
  if(!cond)
    return AZ_YES;
  if(!req)
    return AZ_UNKNOWN;
  return az_iam_cond(cond, req, key);
}

static void set_undecided(az_iam_hit *hit, const cJSON *s, const char *key)
{
  if(hit && !hit->undecided) {
    hit->undecided = s;
    hit->undecided_key = key;
  }
}

az_iam_effect az_iam_eval(const cJSON *doc, const char *action,
                          const char *resource, const az_iam_subst *subst,
                          az_iam_hit *hit)
{
  return az_iam_eval_req(doc, action, resource, subst, NULL, hit);
}

az_iam_effect az_iam_eval_req(const cJSON *doc, const char *action,
                              const char *resource, const az_iam_subst *subst,
                              const az_iam_req *req, az_iam_hit *hit)
{
  az_iam_effect res = AZ_IAM_NONE;
  az_iam_hit best = {0};
  if(hit)
    hit->undecided = NULL, hit->undecided_key = NULL;
  FOR_EACH_STMT(doc, s) {
    bool ph = false;
    const char *key;
    az_tri force;
    if(!cJSON_IsObject(s) || !action_applies(s, action) ||
       !resource_applies(s, resource, effect_is(s, "Deny") ? NULL : subst, &ph))
      continue;
    force = in_force(s, req, &key);
    if(force == AZ_NO)
      continue; /* a statement whose condition does not hold does nothing */
    if(effect_is(s, "Deny")) {
      if(force == AZ_UNKNOWN && req) {
        /* not known to deny: set aside, never a verdict by itself */
        set_undecided(hit, s, key);
        continue;
      }
      if(hit) {
        hit->stmt = s;
        hit->conditional = force == AZ_UNKNOWN;
        hit->unknown_key = key;
        hit->placeholder = false;
      }
      return AZ_IAM_DENY;
    }
    if(!effect_is(s, "Allow"))
      continue;
    {
      bool cond = force == AZ_UNKNOWN;
      /* prefer the plainest grant: no condition, no placeholder */
      if(res == AZ_IAM_NONE || (best.placeholder && !ph) ||
         (best.conditional && !cond && !ph)) {
        best.stmt = s;
        best.conditional = cond;
        best.unknown_key = key;
        best.placeholder = ph;
      }
      res = AZ_IAM_ALLOW;
    }
  }
  if(hit && res == AZ_IAM_ALLOW) {
    hit->stmt = best.stmt;
    hit->conditional = best.conditional;
    hit->unknown_key = best.unknown_key;
    hit->placeholder = best.placeholder;
  }
  return res;
}

static bool has_ph(const char *s)
{
  return strstr(s, "<region>") || strstr(s, "<account-id>");
}

bool az_iam_has_placeholder(const cJSON *doc, const cJSON **stmt)
{
  FOR_EACH_STMT(doc, s) {
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(s, "Resource"), *it;
    bool found = false;
    if(cJSON_IsString(r))
      found = has_ph(r->valuestring);
    cJSON_ArrayForEach(it, (cJSON_IsArray(r) ? r : NULL))
      if(cJSON_IsString(it) && has_ph(it->valuestring))
        found = true;
    if(found) {
      if(stmt)
        *stmt = s;
      return true;
    }
  }
  return false;
}

/* The account field of an ARN ("arn:aws:iam::111111111111:root"), copied
 * into out; false when s is not an ARN. */
static bool arn_account(const char *s, char *out, size_t n, const char **rest)
{
  const char *p = s;
  int colons = 0;
  if(strncmp(s, "arn:", 4))
    return false;
  while(*p && colons < 4)
    if(*p++ == ':')
      colons++;
  if(colons < 4)
    return false;
  {
    const char *end = strchr(p, ':');
    size_t l;
    if(!end)
      return false;
    l = (size_t)(end - p);
    if(l >= n)
      return false;
    memcpy(out, p, l);
    out[l] = '\0';
    *rest = end + 1;
  }
  return true;
}

/* Whether principal v names the caller: account's root or id admits any
 * principal of the account; a role ARN admits only that role (and its
 * sessions), so it is AZ_UNKNOWN when the caller's role is not known. */
static az_tri principal_is(const char *v, const char *account, const char *role)
{
  char acct[32];
  const char *rest;
  if(!strcmp(v, "*") || (account && !strcmp(v, account)) ||
     (role && !strcasecmp(v, role)))
    return AZ_YES;
  if(!account || !arn_account(v, acct, sizeof(acct), &rest) ||
     strcmp(acct, account))
    return AZ_NO;
  if(!strcmp(rest, "root"))
    return AZ_YES;
  if(!strncmp(rest, "role/", 5))
    return role ? AZ_NO : AZ_UNKNOWN;
  if(!strncmp(rest, "assumed-role/", 13)) {
    /* arn:aws:sts::A:assumed-role/NAME/SESSION: the role's name, without
     * its path */
    const char *rn = role ? strrchr(role, '/') : NULL;
    const char *nm = rest + 13, *slash = strchr(nm, '/');
    size_t l = slash ? (size_t)(slash - nm) : strlen(nm);
    if(!role)
      return AZ_UNKNOWN;
    return rn && strlen(rn + 1) == l && !strncasecmp(rn + 1, nm, l) ? AZ_YES
                                                                    : AZ_NO;
  }
  return AZ_NO;
}

static az_tri principal_in(const cJSON *stmt, const char *key,
                           const char *account, const char *role)
{
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(stmt, key), *aws, *it;
  az_tri res = AZ_NO;
  if(cJSON_IsString(p))
    return !strcmp(p->valuestring, "*") ? AZ_YES : AZ_NO;
  aws = cJSON_GetObjectItemCaseSensitive(p, "AWS");
  if(cJSON_IsString(aws))
    return principal_is(aws->valuestring, account, role);
  cJSON_ArrayForEach(it, (cJSON_IsArray(aws) ? aws : NULL)) {
    az_tri t = cJSON_IsString(it) ? principal_is(it->valuestring, account, role)
                                  : AZ_NO;
    if(t == AZ_YES)
      return AZ_YES;
    if(t == AZ_UNKNOWN)
      res = AZ_UNKNOWN;
  }
  return res;
}

static az_tri principal_applies(const cJSON *stmt, const char *account,
                                const char *role)
{
  return principal_in(stmt, "Principal", account, role);
}

az_iam_effect az_iam_trust(const cJSON *doc, const char *account,
                           const char *role, az_iam_hit *hit)
{
  return az_iam_trust_req(doc, account, role, NULL, hit);
}

/* Who a statement speaks to: Principal, or everyone but NotPrincipal;
 * a statement with neither names no one. */
static az_tri stmt_principal(const cJSON *s, const char *account,
                             const char *role)
{
  az_tri t;
  if(cJSON_GetObjectItemCaseSensitive(s, "Principal") ||
     !cJSON_GetObjectItemCaseSensitive(s, "NotPrincipal"))
    return principal_applies(s, account, role);
  t = principal_in(s, "NotPrincipal", account, role);
  return t == AZ_UNKNOWN ? AZ_UNKNOWN : t == AZ_YES ? AZ_NO : AZ_YES;
}

/* A policy with principals (a trust policy, a VPC endpoint's policy) for
 * action on resource (NULL: any) by role of account. */
static az_iam_effect principal_eval(const cJSON *doc, const char *account,
                                    const char *role, const char *action,
                                    const char *resource,
                                    const az_iam_req *req, az_iam_hit *hit)
{
  az_iam_effect res = AZ_IAM_NONE;
  if(hit)
    hit->undecided = NULL, hit->undecided_key = NULL;
  if(hit)
    hit->principal_unknown = NULL;
  FOR_EACH_STMT(doc, s) {
    const char *key;
    bool ph;
    az_tri force, who;
    if(!cJSON_IsObject(s) || !action_applies(s, action) ||
       !resource_applies(s, resource, NULL, &ph) ||
       (who = stmt_principal(s, account, role)) == AZ_NO)
      continue;
    force = in_force(s, req, &key);
    if(force == AZ_NO)
      continue;
    if(who == AZ_UNKNOWN) {
      /* it names a role of the account, and which role Studio uses is
       * not known: neither a grant nor a denial */
      if(hit && !hit->principal_unknown)
        hit->principal_unknown = s;
      continue;
    }
    if(force == AZ_UNKNOWN && req && effect_is(s, "Deny")) {
      set_undecided(hit, s, key);
      continue;
    }
    if(hit && (res == AZ_IAM_NONE || effect_is(s, "Deny") ||
               (hit->conditional && force == AZ_YES))) {
      hit->stmt = s;
      hit->conditional = force == AZ_UNKNOWN;
      hit->unknown_key = key;
      hit->placeholder = false;
    }
    if(effect_is(s, "Deny"))
      return AZ_IAM_DENY;
    if(effect_is(s, "Allow"))
      res = AZ_IAM_ALLOW;
  }
  return res;
}

az_iam_effect az_iam_trust_req(const cJSON *doc, const char *account,
                               const char *role, const az_iam_req *req,
                               az_iam_hit *hit)
{
  return principal_eval(doc, account, role, "sts:AssumeRole", NULL, req, hit);
}

az_iam_effect az_iam_resource_req(const cJSON *doc, const char *account,
                                  const char *role, const char *action,
                                  const char *resource,
                                  const az_iam_req *req, az_iam_hit *hit)
{
  if(hit)
    memset(hit, 0, sizeof(*hit));
  return principal_eval(doc, account, role, action, resource, req, hit);
}

void az_iam_stmt_name(const cJSON *doc, const cJSON *stmt, char *out, size_t n)
{
  const cJSON *sid = cJSON_GetObjectItemCaseSensitive(stmt, "Sid");
  int i = 0;
  if(cJSON_IsString(sid) && *sid->valuestring) {
    snprintf(out, n, "statement %s", sid->valuestring);
    return;
  }
  FOR_EACH_STMT(doc, s) {
    if(s == stmt)
      break;
    i++;
  }
  snprintf(out, n, "statement %d", i + 1);
}
