/* Step 7 of domain.md: the file that tells Studio (Classic) which role to
 * assume in each EMR account, and which role that is for a given account.
 * The file is user-edited, so every way it can be wrong is a finding: not
 * JSON, not an object, a key that is not 12 digits, a value that is not a
 * role ARN or whose account differs from its key, more than five accounts,
 * or a path other than the exact one Studio reads. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../common/buf.h"
#include "iam/identity.h"
#include "reach.h"
#include "remedy.h"

static bool same(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

/* "arn:aws:iam::222222222222:role/NAME" (any partition, any path): the
 * account into acct. */
static bool role_arn_account(const char *arn, char *acct)
{
  const char *p;
  size_t i;
  if(strncmp(arn, "arn:aws", 7) || !(p = strstr(arn, ":iam::")))
    return false;
  p += 6;
  for(i = 0; i < 12; i++)
    if(p[i] < '0' || p[i] > '9')
      return false;
  if(strncmp(p + 12, ":role/", 6) || !p[18])
    return false;
  memcpy(acct, p, 12);
  acct[12] = '\0';
  return true;
}

static const char *file_path(const az_ctx *c)
{
  const az_intent *in = c->in;
  if(in && in->present && in->studio.role_arns_file &&
     !strcmp(in->studio.role_arns_file, AZ_ROLE_FILE_PATH))
    return in->studio.role_arns_file;
  return AZ_ROLE_FILE_PATH;
}

/* The command that writes a corrected file: every entry that can be kept
 * (a mismatched key is replaced by the ARN's account), at most five. */
static void rewrite_cmd(az_ctx *c, const cJSON *obj, const char *add_acct,
                        const char *add_arn, az_cmd *b)
{
  cJSON *fixed = cJSON_CreateObject(), *it;
  char acct[16], *txt;
  int n = 0;
  if(!fixed) {
    c->nomem = true;
    return;
  }
  cJSON_ArrayForEach(it, (cJSON *)obj) {
    if(n >= 5 || !cJSON_IsString(it) ||
       !az_id_ok(AZ_ID_ROLE_ARN, it->valuestring) ||
       !role_arn_account(it->valuestring, acct))
      continue;
    if(cJSON_GetObjectItemCaseSensitive(fixed, acct))
      continue;
    cJSON_AddStringToObject(fixed, acct, it->valuestring);
    n++;
  }
  if(add_acct && add_arn && n < 5 &&
     !cJSON_GetObjectItemCaseSensitive(fixed, add_acct))
    cJSON_AddStringToObject(fixed, add_acct, add_arn);
  txt = cJSON_PrintUnformatted(fixed);
  cJSON_Delete(fixed);
  if(!txt) {
    c->nomem = true;
    return;
  }
  az_cmd_args(b, "printf", "%s\\n", txt, NULL);
  az_cmd_to_file(b, AZ_ROLE_FILE_PATH);
  cJSON_free(txt);
}

static const char *intent_role(const az_ctx *c, const char *account)
{
  const az_intent *in = c->in;
  for(size_t i = 0; in && in->present && i < in->n_emr; i++)
    if(same(in->emr[i].account, account) && in->emr[i].role_arn)
      return in->emr[i].role_arn;
  return NULL;
}

static az_issue *rf_issue(az_ctx *c, const az_rolefile *rf, const char *code,
                          const cJSON *obj)
{
  az_issue *is = az_issue_get(c, code, XD_SEV_CRITICAL, file_path(c),
                              rf->account, NULL);
  c->rolefile_broken = true;
  if(is && !is->remediation && obj) {
    az_cmd b;
    az_cmd_init(&b);
    rewrite_cmd(c, obj, NULL, NULL, &b);
    az_issue_remedy(c, is, &b);
    az_cmd_free(&b);
  }
  return is;
}

static void check_one(az_ctx *c, const az_rolefile *rf)
{
  const cJSON *it;
  int n = 0;
  az_issue *is;
  if(!rf->json || !cJSON_IsObject(rf->json)) {
    is = rf_issue(c, rf, "ROLE_FILE_INVALID", NULL);
    az_issue_message(c, is,
                     "The role file %s is not a JSON object, so Studio "
                     "discovers no cross-account cluster.",
                     file_path(c));
    if(rf->parse_error)
      az_issue_evidence(c, is, "%s", rf->parse_error);
    else
      az_issue_evidence(c, is, "%s: the top level is a JSON %s, not an object",
                        rf->path ? rf->path : "role file",
                        cJSON_IsArray(rf->json) ? "array" : "value");
    {
      /* a valid file for the EMR accounts of the snapshot: the intent's
       * role, else a role there that already trusts Studio */
      cJSON *fresh = cJSON_CreateObject();
      az_cmd b;
      az_cmd_init(&b);
      for(size_t i = 0; fresh && i < c->m->n_clusters; i++) {
        const char *acct = c->m->clusters[i].account, *arn;
        if(!acct || same(acct, c->studio.account) ||
           cJSON_GetObjectItemCaseSensitive(fresh, acct))
          continue;
        arn = intent_role(c, acct);
        if(!arn)
          arn = az_candidate_role(c, acct);
        if(arn)
          cJSON_AddStringToObject(fresh, acct, arn);
      }
      if(fresh && fresh->child) {
        rewrite_cmd(c, fresh, NULL, NULL, &b);
        az_issue_remedy(c, is, &b);
      }
      az_cmd_free(&b);
      cJSON_Delete(fresh);
    }
    return;
  }
  cJSON_ArrayForEach(it, rf->json) {
    char acct[16];
    n++;
    if(!az_is_account_id(it->string)) {
      is = rf_issue(c, rf, "ROLE_FILE_BAD_KEY", rf->json);
      az_issue_message(c, is,
                       "The role file %s has a key that is not a 12-digit "
                       "account id (\"%s\"): Studio ignores the file.",
                       file_path(c), it->string);
      az_issue_evidence(c, is, "key \"%s\"", it->string);
      continue;
    }
    if(!cJSON_IsString(it) || !role_arn_account(it->valuestring, acct)) {
      is = rf_issue(c, rf, "ROLE_FILE_BAD_ARN", rf->json);
      az_issue_message(c, is,
                       "The role file %s maps account %s to something that "
                       "is not an IAM role ARN.",
                       file_path(c), it->string);
      az_issue_evidence(c, is, "\"%s\": %s", it->string,
                        cJSON_IsString(it) ? it->valuestring : "(not a string)");
      continue;
    }
    if(strcmp(acct, it->string)) {
      is = rf_issue(c, rf, "ROLE_FILE_ACCOUNT_MISMATCH", rf->json);
      az_issue_message(c, is,
                       "The role file %s maps account %s to a role of "
                       "account %s: the key must be the role's account.",
                       file_path(c), it->string, acct);
      az_issue_evidence(c, is, "\"%s\": \"%s\"", it->string, it->valuestring);
    }
  }
  if(n > 5) {
    is = rf_issue(c, rf, "ROLE_FILE_TOO_MANY", rf->json);
    az_issue_message(c, is,
                     "The role file %s names %d accounts; Studio takes at "
                     "most 5.",
                     file_path(c), n);
    az_issue_evidence(c, is, "%d entries", n);
  }
}

void az_rolefile_check(az_ctx *c)
{
  const az_intent *in = c->in;
  if(in && in->present && in->studio.role_arns_file &&
     strcmp(in->studio.role_arns_file, AZ_ROLE_FILE_PATH)) {
    az_cmd b;
    az_issue *is = az_issue_get(c, "ROLE_FILE_WRONG_PATH", XD_SEV_CRITICAL,
                                in->studio.role_arns_file, c->studio.account,
                                NULL);
    bool case_only = !strcasecmp(in->studio.role_arns_file, AZ_ROLE_FILE_PATH);
    az_issue_message(c, is,
                     "The role file is at %s, but Studio reads only %s%s.",
                     in->studio.role_arns_file, AZ_ROLE_FILE_PATH,
                     case_only ? " (the names differ in case only)" : "");
    az_issue_evidence(c, is, "intent studio.role_arns_file = %s",
                      in->studio.role_arns_file);
    az_cmd_init(&b);
    az_cmd_args(&b, "mkdir", "-p", "/home/sagemaker-user/.cross-account-"
                "configuration-DO_NOT_DELETE", NULL);
    az_cmd_and(&b);
    /* "--": a file name that starts with '-' is not an option of mv */
    az_cmd_args(&b, "mv", "--", in->studio.role_arns_file, AZ_ROLE_FILE_PATH,
                NULL);
    az_issue_remedy(c, is, &b);
    az_cmd_free(&b);
  }
  for(size_t i = 0; i < c->m->n_rolefiles; i++)
    if(!c->studio.account || same(c->m->rolefiles[i].account, c->studio.account))
      check_one(c, &c->m->rolefiles[i]);
}

const char *az_role_for_account(az_ctx *c, const char *account,
                                const char **from)
{
  const az_identity *id = &c->studio.ident;
  *from = NULL;
  /* what Studio reads decides: the role file, then EmrSettings */
  for(size_t i = 0; i < c->m->n_rolefiles; i++) {
    const az_rolefile *rf = &c->m->rolefiles[i];
    const cJSON *v;
    if(c->studio.account && !same(rf->account, c->studio.account))
      continue;
    v = cJSON_IsObject(rf->json)
            ? cJSON_GetObjectItemCaseSensitive(rf->json, account)
            : NULL;
    if(cJSON_IsString(v)) {
      *from = "the role file";
      return v->valuestring;
    }
  }
  for(size_t i = 0; i < id->n_assumable; i++) {
    char acct[16];
    if(role_arn_account(id->assumable[i], acct) && same(acct, account)) {
      *from = id->assumable_from == AZ_FROM_PROFILE
                  ? "the user profile's EmrSettings.AssumableRoleArns"
                  : "the domain's EmrSettings.AssumableRoleArns";
      return id->assumable[i];
    }
  }
  /* the intent is the admin's belief: it stands in only when neither
   * source is in the snapshot */
  if(!c->m->n_rolefiles && !id->n_assumable && intent_role(c, account)) {
    *from = "the intent";
    return intent_role(c, account);
  }
  return NULL;
}

const char *az_intent_role(const az_ctx *c, const char *account)
{
  return intent_role(c, account);
}

void az_role_repoint_cmd(az_ctx *c, const char *from, const char *account,
                         const char *arn, az_cmd *b)
{
  if(!strcmp(from, "the role file")) {
    const cJSON *obj = NULL;
    cJSON *copy;
    for(size_t i = 0; i < c->m->n_rolefiles && !obj; i++)
      if(cJSON_IsObject(c->m->rolefiles[i].json))
        obj = c->m->rolefiles[i].json;
    copy = obj ? cJSON_Duplicate(obj, true) : NULL;
    if(!copy)
      return;
    cJSON_DeleteItemFromObjectCaseSensitive(copy, account);
    rewrite_cmd(c, copy, account, arn, b);
    cJSON_Delete(copy);
  } else if(c->studio.ident.domain) {
    /* the list Studio reads (the user profile's when it has one, else the
     * domain's) with this account's entry replaced, written back where it
     * came from; the runtime roles stay, since EmrSettings is replaced
     * whole */
    const az_identity *id = &c->studio.ident;
    bool prof = id->assumable_from == AZ_FROM_PROFILE && id->profile;
    cJSON *st = cJSON_CreateObject(), *arr;
    char *txt;
    cJSON *emr = st ? cJSON_AddObjectToObject(
                          cJSON_AddObjectToObject(st, "JupyterLabAppSettings"),
                          "EmrSettings")
                    : NULL;
    arr = emr ? cJSON_AddArrayToObject(emr, "AssumableRoleArns") : NULL;
    for(size_t i = 0; arr && i < id->n_assumable; i++) {
      char acct[16];
      bool ours = role_arn_account(id->assumable[i], acct) &&
                  same(acct, account);
      cJSON_AddItemToArray(arr, cJSON_CreateString(
                                    ours ? arn : id->assumable[i]));
    }
    if(arr && id->n_runtime) {
      cJSON *rt = cJSON_AddArrayToObject(emr, "ExecutionRoleArns");
      for(size_t i = 0; rt && i < id->n_runtime; i++)
        cJSON_AddItemToArray(rt, cJSON_CreateString(id->runtime[i]));
    }
    txt = arr ? cJSON_PrintUnformatted(st) : NULL;
    if(txt) {
      az_cmd_args(b, "aws", "sagemaker",
                  prof ? "update-user-profile" : "update-domain",
                  "--domain-id", NULL);
      az_cmd_id(b, AZ_ID_DOMAIN, id->domain->id);
      if(prof)
        az_cmd_opt(b, "--user-profile-name", id->profile->name);
      az_cmd_arg(b, prof ? "--user-settings" : "--default-user-settings");
      az_cmd_arg(b, txt);
      az_cmd_region(b, id->domain->region);
    } else
      c->nomem = true;
    cJSON_free(txt);
    cJSON_Delete(st);
  }
}

void az_role_divergence(az_ctx *c, const az_cluster *cl, const char *real,
                        const char *from)
{
  const char *belief = intent_role(c, cl->account);
  const char *res;
  az_issue *is;
  /* no role at all is ROLE_FILE_ACCOUNT_MISSING's to say */
  if(!belief || !real || !from || !strcmp(from, "the intent") ||
     !strcmp(real, belief))
    return;
  res = strcmp(from, "the role file") && c->studio.domain
            ? c->studio.domain->id
            : file_path(c);
  is = az_issue_get(c, "ROLE_DIFFERS_FROM_INTENT", XD_SEV_WARNING, res,
                    c->studio.account, NULL);
  az_issue_message(c, is,
                   "Studio assumes %s in account %s (%s), not %s as the "
                   "intent says: the role Studio uses is the one diagnosed.",
                   real, cl->account, from, belief);
  az_issue_evidence(c, is, "%s: %s -> %s", from, cl->account, real);
  az_issue_evidence(c, is, "intent emr[].role_arn for %s: %s", cl->account,
                    belief);
  /* pointing Studio at the intended role is the fix only when the role it
   * uses does not exist and the intended one does */
  if(!az_ix_role(&c->ix, real) && az_ix_role(&c->ix, belief)) {
    az_cmd b;
    az_cmd_init(&b);
    az_role_repoint_cmd(c, from, cl->account, belief, &b);
    az_issue_remedy(c, is, &b); /* nothing when b is empty */
    az_cmd_free(&b);
  }
}

/* Used by discovery.c when an account has no entry: the command that adds
 * it to the file. */
void az_rolefile_add_cmd(az_ctx *c, const char *account, const char *arn,
                         az_cmd *b)
{
  const cJSON *obj = NULL;
  cJSON *empty = NULL;
  for(size_t i = 0; i < c->m->n_rolefiles && !obj; i++)
    if(cJSON_IsObject(c->m->rolefiles[i].json))
      obj = c->m->rolefiles[i].json;
  if(!obj)
    obj = empty = cJSON_CreateObject();
  if(obj)
    rewrite_cmd(c, obj, account, arn, b);
  cJSON_Delete(empty);
}
