/* A VPC endpoint's policy against the discovery calls that go through it
 * (domain.md, "What the Studio client actually does"): through the STS
 * endpoint, the execution role's sts:AssumeRole of each discovery role;
 * through the EMR endpoint, each discovery role's session calling
 * ListClusters, DescribeCluster and ListInstances. An endpoint policy is
 * a resource policy: its Principal must name the caller, and it is
 * evaluated with the IAM evaluator (iam.h), Conditions included. No
 * policy is full access, as AWS has it. */
#include <stdio.h>
#include <string.h>

#include "../iam.h"
#include "controlplane.h"

#define MAX_CALLS 24

typedef struct {
  const char *account;   /* the caller's account */
  const char *role;      /* the caller's role ARN, or NULL: not known */
  const char *action;
  const char *resource;
} cp_call;

/* The account of a role ARN ("arn:aws:iam::222222222222:role/x"). */
static bool role_account(az_ctx *c, const char *arn, const char **out)
{
  const char *p = arn ? strstr(arn, ":iam::") : NULL;
  if(!p || strlen(p + 6) < 12 || p[18] != ':')
    return false;
  *out = az_strf(c, "%.12s", p + 6);
  return *out != NULL;
}

static size_t calls_of(az_ctx *c, const cp_target *t,
                       const az_cluster *const *cls, size_t n_cl,
                       cp_call *out, size_t max)
{
  size_t k = 0;
  bool sts = !strcmp(t->svc, "sts");
  for(size_t i = 0; i < n_cl && k + 3 <= max; i++) {
    const char *from, *acct;
    const char *role = az_role_for_account(c, cls[i]->account, &from);
    bool dup = false;
    if(!role || !role_account(c, role, &acct))
      continue;
    if(sts) {
      for(size_t j = 0; j < k; j++)
        dup = dup || !strcmp(out[j].resource, role);
      if(!dup)
        out[k++] = (cp_call){c->studio.account, c->studio.exec_role,
                             "sts:AssumeRole", role};
      continue;
    }
    {
      const char *arn = az_strf(c, "arn:aws:elasticmapreduce:%s:%s:cluster/%s",
                                cls[i]->region, cls[i]->account, cls[i]->id);
      if(!arn)
        continue;
      out[k++] = (cp_call){acct, role, "elasticmapreduce:ListClusters", "*"};
      out[k++] = (cp_call){acct, role, "elasticmapreduce:DescribeCluster",
                           arn};
      out[k++] = (cp_call){acct, role, "elasticmapreduce:ListInstances", arn};
    }
  }
  return k;
}

/* The caller as a policy names it: its role, else its account. */
static const char *principal_of(az_ctx *c, const cp_call *k)
{
  return k->role ? k->role : az_strf(c, "arn:aws:iam::%s:root", k->account);
}

/* modify-vpc-endpoint --policy-document: e's policy plus one statement
 * per call it refused (none when an explicit Deny decided: adding an
 * Allow would change nothing). */
static void fix(az_ctx *c, az_issue *is, const az_vpce *e,
                const cp_call *bad, size_t n_bad, const char *deny_stmt)
{
  cJSON *doc = NULL, *st, *arr;
  char *text = NULL;
  az_cmd b;
  az_cmd_init(&b);
  if(deny_stmt) {
    az_cmd_refuse(&b, "%s denies the call explicitly: remove or narrow it",
                  deny_stmt);
    goto done;
  }
  doc = cJSON_Duplicate(e->policy, true);
  if(!doc)
    goto done;
  st = cJSON_DetachItemFromObjectCaseSensitive(doc, "Statement");
  arr = cJSON_AddArrayToObject(doc, "Statement");
  if(cJSON_IsArray(st)) {
    cJSON *x;
    while((x = cJSON_DetachItemFromArray(st, 0)) != NULL)
      cJSON_AddItemToArray(arr, x);
    cJSON_Delete(st);
  } else if(st)
    cJSON_AddItemToArray(arr, st);
  for(size_t i = 0; i < n_bad; i++) {
    cJSON *s = cJSON_CreateObject(), *p;
    const char *who = principal_of(c, &bad[i]);
    az_cmd_check(&b, bad[i].role ? AZ_ID_ROLE_ARN : AZ_ID_ARN, who);
    if(strcmp(bad[i].resource, "*"))
      az_cmd_check(&b, AZ_ID_ARN, bad[i].resource);
    if(!s)
      continue;
    cJSON_AddItemToArray(arr, s);
    cJSON_AddStringToObject(s, "Effect", "Allow");
    p = cJSON_AddObjectToObject(s, "Principal");
    cJSON_AddStringToObject(p, "AWS", who);
    cJSON_AddStringToObject(s, "Action", bad[i].action);
    cJSON_AddStringToObject(s, "Resource", bad[i].resource);
  }
  text = cJSON_PrintUnformatted(doc);
  if(!text) {
    az_cmd_refuse(&b, "out of memory");
    goto done;
  }
  az_cmd_args(&b, "aws", "ec2", "modify-vpc-endpoint", "--vpc-endpoint-id",
              NULL);
  az_cmd_id(&b, AZ_ID_VPCE, e->id);
  az_cmd_arg(&b, "--policy-document");
  az_cmd_arg(&b, text);
  az_cmd_region(&b, e->region);
done:
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
  cJSON_free(text);
  cJSON_Delete(doc);
}

void cp_policy_leg(az_ctx *c, const az_vpce *e, const cp_target *t,
                   const az_cluster *const *cls, size_t n_cl, az_leg *leg)
{
  cp_call calls[MAX_CALLS], bad[MAX_CALLS];
  size_t n = calls_of(c, t, cls, n_cl, calls, MAX_CALLS), n_bad = 0;
  const char *unknown = NULL, *deny_stmt = NULL;
  char sn[96];
  az_issue *is;
  memset(leg, 0, sizeof(*leg));
  leg->kind = "vpc-endpoint-policy";
  snprintf(leg->res, sizeof(leg->res), "%s", e->id);
  leg->v = AZ_V_ALLOW;
  if(!e->policy) {
    az_fmt(leg->detail, sizeof(leg->detail), "no policy: full access");
    return;
  }
  if(!n) {
    leg->v = AZ_V_UNKNOWN;
    az_fmt(leg->detail, sizeof(leg->detail), "not known: no discovery role "
           "is known, so the calls its policy must allow are not");
    return;
  }
  for(size_t i = 0; i < n; i++) {
    az_iam_req req = {calls[i].account, calls[i].role, e->region, NULL,
                      !strcmp(calls[i].action, "sts:AssumeRole")};
    az_iam_hit hit;
    az_iam_effect ef = az_iam_resource_req(e->policy, calls[i].account,
                                           calls[i].role, calls[i].action,
                                           calls[i].resource, &req, &hit);
    if(ef == AZ_IAM_ALLOW && !hit.conditional)
      continue;
    if(ef == AZ_IAM_ALLOW || (ef == AZ_IAM_NONE && (hit.principal_unknown ||
                                                    hit.undecided))) {
      if(!unknown)
        unknown = az_strf(c, "%s on %s: %s", calls[i].action,
                          calls[i].resource,
                          ef == AZ_IAM_ALLOW
                              ? az_strf(c, "allowed only if condition key "
                                        "%s holds, which is not known",
                                        hit.unknown_key ? hit.unknown_key : "?")
                          : hit.undecided
                              ? az_strf(c, "a Deny on condition key %s may "
                                        "apply", hit.undecided_key
                                                     ? hit.undecided_key : "?")
                              : "a statement names a role, and Studio's "
                                "execution role is not known");
      continue;
    }
    if(ef == AZ_IAM_DENY && !deny_stmt) {
      az_iam_stmt_name(e->policy, hit.stmt, sn, sizeof(sn));
      deny_stmt = az_strf(c, "%s", sn);
    }
    bad[n_bad++] = calls[i];
  }
  if(!n_bad && !unknown) {
    az_fmt(leg->detail, sizeof(leg->detail), "allows the %zu discovery "
           "call%s", n, n == 1 ? "" : "s");
    return;
  }
  if(!n_bad) {
    leg->v = AZ_V_UNKNOWN;
    az_fmt(leg->detail, sizeof(leg->detail), "not known: %s", unknown);
    return;
  }
  leg->v = AZ_V_DENY;
  az_fmt(leg->detail, sizeof(leg->detail), "%s %s %s on %s by %s",
         deny_stmt ? deny_stmt : "no statement", deny_stmt ? "denies"
                                                          : "allows",
         bad[0].action, bad[0].resource, principal_of(c, &bad[0]));
  is = az_issue_get(c, "VPCE_POLICY_DENIES", XD_SEV_CRITICAL, e->id,
                    e->account, e->region);
  if(!is)
    return;
  az_issue_message(c, is, "The policy of VPC endpoint %s (%s) does not let "
                   "%s call %s on %s: %s.", e->id, e->service,
                   principal_of(c, &bad[0]), bad[0].action, bad[0].resource,
                   !strcmp(t->svc, "sts") ? "Studio cannot assume the role"
                                          : "Studio lists no cluster");
  for(size_t i = 0; i < n_bad; i++)
    az_issue_evidence(c, is, "%s on %s by %s: %s", bad[i].action,
                      bad[i].resource, principal_of(c, &bad[i]),
                      deny_stmt ? deny_stmt : "no statement allows it");
  fix(c, is, e, bad, n_bad, deny_stmt);
}
