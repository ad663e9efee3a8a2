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
#include "remedy.h"
#include "reach.h"

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
                        const char *add_arn, xd_buf *b)
{
  cJSON *fixed = cJSON_CreateObject(), *it;
  char acct[16], *txt;
  int n = 0;
  if(!fixed) {
    c->nomem = true;
    return;
  }
  cJSON_ArrayForEach(it, (cJSON *)obj) {
    if(n >= 5 || !cJSON_IsString(it) || !role_arn_account(it->valuestring, acct))
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
  xd_buf_puts(b, "printf '%s\\n' ");
  az_sh_quote(b, txt);
  xd_buf_puts(b, " > ");
  az_sh_quote(b, AZ_ROLE_FILE_PATH);
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
    xd_buf b;
    xd_buf_init(&b);
    rewrite_cmd(c, obj, NULL, NULL, &b);
    az_issue_remedy(c, is, xd_buf_str(&b));
    xd_buf_free(&b);
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
      xd_buf b;
      xd_buf_init(&b);
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
        az_issue_remedy(c, is, xd_buf_str(&b));
      }
      xd_buf_free(&b);
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
    xd_buf b;
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
    xd_buf_init(&b);
    xd_buf_puts(&b, "mkdir -p /home/sagemaker-user/.cross-account-"
                    "configuration-DO_NOT_DELETE && mv ");
    az_sh_quote(&b, in->studio.role_arns_file);
    xd_buf_putc(&b, ' ');
    az_sh_quote(&b, AZ_ROLE_FILE_PATH);
    az_issue_remedy(c, is, xd_buf_str(&b));
    xd_buf_free(&b);
  }
  for(size_t i = 0; i < c->m->n_rolefiles; i++)
    if(!c->studio.account || same(c->m->rolefiles[i].account, c->studio.account))
      check_one(c, &c->m->rolefiles[i]);
}

const char *az_role_for_account(az_ctx *c, const char *account,
                                const char **from)
{
  const az_intent *in = c->in;
  const az_identity *id = &c->studio.ident;
  *from = NULL;
  for(size_t i = 0; in && in->present && i < in->n_emr; i++)
    if(same(in->emr[i].account, account) && in->emr[i].role_arn) {
      *from = "the intent";
      return in->emr[i].role_arn;
    }
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
  return NULL;
}

/* Used by discovery.c when an account has no entry: the command that adds
 * it to the file. */
void az_rolefile_add_cmd(az_ctx *c, const char *account, const char *arn,
                         xd_buf *b)
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
