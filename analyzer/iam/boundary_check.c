/* The findings of permissions boundaries: a role whose policies grant
 * what Studio needs while its boundary does not gets nothing (AWS allows
 * only what both allow). Used by discovery.c for the discovery role and
 * the Studio execution role. */
#include <stdio.h>
#include <string.h>

#include "../../common/buf.h"
#include "../reach.h"
#include "../remedy.h"
#include "../findings/cmdline.h"
#include "boundary.h"
#include "boundary_check.h"

static bool effect_denies(const cJSON *st)
{
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(st, "Effect");
  return cJSON_IsString(e) && !strcmp(e->valuestring, "Deny");
}

/* The boundary's document less the Deny statements in denies, plus one
 * statement that allows the actions whose bit is set in `missing`. */
static char *fixed_boundary(const cJSON *doc, const char *const *actions,
                            const bool *missing, size_t n,
                            const cJSON *const *denies, size_t n_denies)
{
  cJSON *d = cJSON_Duplicate(doc, true), *stmts, *st, *acts;
  char *txt = NULL;
  if(!d)
    return NULL;
  stmts = cJSON_GetObjectItemCaseSensitive(d, "Statement");
  if(cJSON_IsObject(stmts)) {
    cJSON *one = cJSON_DetachItemViaPointer(d, stmts);
    stmts = cJSON_AddArrayToObject(d, "Statement");
    if(stmts)
      cJSON_AddItemToArray(stmts, one);
    else
      cJSON_Delete(one);
  } else if(!stmts)
    stmts = cJSON_AddArrayToObject(d, "Statement");
  for(size_t k = 0; stmts && k < n_denies; k++) {
    int idx = 0;
    cJSON_ArrayForEach(st, stmts) {
      if(cJSON_Compare(st, denies[k], true))
        break;
      idx++;
    }
    if(st)
      cJSON_DeleteItemFromArray(stmts, idx);
  }
  if(stmts && (st = cJSON_CreateObject()) != NULL) {
    cJSON_AddStringToObject(st, "Sid", "StudioEmrDiscovery");
    cJSON_AddStringToObject(st, "Effect", "Allow");
    acts = cJSON_AddArrayToObject(st, "Action");
    for(size_t i = 0; acts && i < n; i++)
      if(missing[i])
        cJSON_AddItemToArray(acts, cJSON_CreateString(actions[i]));
    cJSON_AddStringToObject(st, "Resource", "*");
    cJSON_AddItemToArray(stmts, st);
    txt = cJSON_PrintUnformatted(d);
  }
  cJSON_Delete(d);
  return txt;
}

void az_boundary_check(az_ctx *c, const az_role *r, const char *const *actions,
                       const char *const *resources, const bool *granted,
                       size_t n, const az_iam_req *q)
{
  bool missing[32];
  const cJSON *denies[32];
  size_t n_missing = 0, n_unknown = 0, n_denies = 0;
  const az_managed_policy *bp;
  az_issue *is = NULL;
  char name[128];
  az_cmd b;
  if(!r->boundary_arn || n > 32)
    return;
  bp = az_ix_policy(&c->ix, r->boundary_arn);
  for(size_t i = 0; i < n; i++) {
    const cJSON *st = NULL;
    az_tri t;
    missing[i] = false;
    if(!granted[i])
      continue; /* the role's own policies already fail: one finding */
    t = az_iam_boundary_allows(c->m, r, actions[i], resources[i], q, &st);
    if(t == AZ_UNKNOWN) {
      n_unknown++;
      continue;
    }
    if(t == AZ_YES)
      continue;
    missing[i] = true;
    n_missing++;
    if(!is) {
      is = az_issue_get(c, "IAM_BOUNDARY_DENIES", XD_SEV_CRITICAL, r->arn,
                        r->account, NULL);
      az_issue_message(c, is,
                       "Role %s's policies allow what Studio needs, but its "
                       "permissions boundary %s does not, and a role may do "
                       "only what both allow.",
                       r->arn, r->boundary_arn);
    }
    if(st && effect_denies(st)) {
      char *t2 = cJSON_PrintUnformatted(st);
      if(n_denies < 32)
        denies[n_denies++] = st;
      az_issue_evidence(c, is, "boundary %s denies %s on %s: %s",
                        r->boundary_arn, actions[i], resources[i],
                        t2 ? t2 : "?");
      cJSON_free(t2);
    } else
      az_issue_evidence(c, is, "no statement of boundary %s allows %s on %s",
                        r->boundary_arn, actions[i], resources[i]);
  }
  if(n_unknown && !n_missing) {
    is = az_issue_get(c, "IAM_BOUNDARY_NOT_KNOWN", XD_SEV_INFO, r->arn,
                      r->account, NULL);
    az_issue_message(c, is,
                     "Role %s has the permissions boundary %s, whose document "
                     "is not in the snapshot: whether it lets the role do "
                     "what Studio needs is not known.",
                     r->arn, r->boundary_arn);
    az_issue_evidence(c, is, "PermissionsBoundaryArn %s: no document in "
                             "%s/iam-get-account-authorization-details.json",
                      r->boundary_arn, r->account ? r->account : "?");
    return;
  }
  if(!is)
    return;
  az_role_name(r->arn, name, sizeof(name));
  az_cmd_init(&b);
  if(bp && bp->document && !strstr(r->boundary_arn, ":aws:policy/")) {
    char *doc = fixed_boundary(bp->document, actions, missing, n, denies,
                               n_denies);
    if(doc) {
      az_cmd_args(&b, "aws", "iam", "create-policy-version", "--policy-arn",
                  NULL);
      az_cmd_id(&b, AZ_ID_POLICY_ARN, r->boundary_arn);
      az_cmd_args(&b, "--set-as-default", "--policy-document", doc, NULL);
      cJSON_free(doc);
    } else
      c->nomem = true;
  } else {
    az_cmd_args(&b, "aws", "iam", "delete-role-permissions-boundary",
                "--role-name", NULL);
    az_cmd_id(&b, AZ_ID_ROLE_NAME, name);
  }
  az_issue_remedy(c, is, &b); /* nothing when b is empty */
  az_cmd_free(&b);
}
