/* analyzer/studio/runtime.c: runtime roles. With
 * EmrSettings.ExecutionRoleArns the analytics extension, once it has
 * assumed the discovery role, asks EMR for the runtime role's credentials
 * (GetClusterSessionCredentials) through it; EMR assumes the runtime role
 * on the discovery role's behalf, so the runtime role must trust it. When
 * the cluster has a security configuration, the extension reads it too
 * (DescribeSecurityConfiguration). Each of these stops the connection. */
#include <stdio.h>
#include <string.h>

#include "../iam.h"
#include "../iam/boundary.h"
#include "../reach.h"
#include "../remedy.h"
#include "../findings/cmdline.h"

/* "aws iam VERB --role-name NAME [--policy-name POLICY] --policy-document
 * DOC" for role arn as the fix; DOC is one shell word whatever it holds. */
static void role_doc_fix(az_ctx *c, az_issue *is, const char *arn,
                         const char *verb, const char *policy,
                         const char *doc)
{
  char name[128];
  az_cmd b;
  az_role_name(arn, name, sizeof(name));
  az_cmd_init(&b);
  az_cmd_args(&b, "aws", "iam", verb, "--role-name", NULL);
  az_cmd_id(&b, AZ_ID_ROLE_NAME, name);
  if(policy)
    az_cmd_args(&b, "--policy-name", policy, NULL);
  az_cmd_args(&b, "--policy-document", doc, NULL);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

/* The discovery role r must be allowed action on resource. */
static void need(az_ctx *c, const az_role *r, const az_cluster *cl,
                 const char *action, const char *resource, const char *why)
{
  bool unknown;
  az_iam_effect e =
      az_iam_role_effect(c->m, r, action, resource, NULL, &unknown);
  az_issue *is;
  if(e == AZ_IAM_ALLOW || (e == AZ_IAM_NONE && unknown))
    return;
  is = az_issue_get(c, "IAM_RUNTIME_PERMISSION_MISSING", XD_SEV_CRITICAL,
                    r->arn, r->account, NULL);
  az_issue_message(c, is,
                   "Role %s may not call %s, which the notebook needs %s "
                   "on cluster %s.",
                   r->arn, action, why, cl->id);
  az_issue_evidence(c, is, "%s %s on %s",
                    e == AZ_IAM_DENY ? "a statement denies" : "no statement allows",
                    action, resource);
  role_doc_fix(c, is, r->arn, "put-role-policy", "xacct-doctor-emr-runtime",
               az_strf(c, "{\"Version\":\"2012-10-17\",\"Statement\":[{"
                          "\"Effect\":\"Allow\",\"Action\":%s,"
                          "\"Resource\":%s}]}",
                       az_json_str(c, action), az_json_str(c, resource)));
}

/* Runtime role rt must trust the discovery role r for sts:AssumeRole. */
static void trust(az_ctx *c, const az_role *r, const az_role *rt,
                  const az_cluster *cl)
{
  az_issue *is;
  const char *root = az_strf(c, "arn:aws:iam::%s:root", r->account);
  /* the discovery role by name, or its account's root (which delegates to
   * the account's IAM); another role of the account is not enough */
  if(!rt->trust_policy || !root ||
     az_iam_trust(rt->trust_policy, NULL, r->arn, NULL) == AZ_IAM_ALLOW ||
     az_iam_trust(rt->trust_policy, NULL, root, NULL) == AZ_IAM_ALLOW)
    return;
  is = az_issue_get(c, "IAM_RUNTIME_TRUST_MISSING", XD_SEV_CRITICAL, rt->arn,
                    rt->account, NULL);
  az_issue_message(c, is,
                   "Runtime role %s does not trust %s, the role Studio "
                   "assumes for cluster %s, so its session credentials are "
                   "refused.",
                   rt->arn, r->arn, cl->id);
  az_issue_evidence(c, is,
                    "no statement of the trust policy allows sts:AssumeRole "
                    "to %s", r->arn);
  role_doc_fix(c, is, rt->arn, "update-assume-role-policy", NULL,
               az_strf(c, "{\"Version\":\"2012-10-17\",\"Statement\":[{"
                          "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                          "%s},\"Action\":[\"sts:AssumeRole\","
                          "\"sts:SetSourceIdentity\"]}]}",
                       az_json_str(c, r->arn)));
}

static bool in_account(const char *arn, const char *account)
{
  char prefix[64];
  snprintf(prefix, sizeof(prefix), ":iam::%s:", account ? account : "");
  return arn && account && strstr(arn, prefix) != NULL;
}

void az_runtime_check(az_ctx *c, const az_cluster *cl, const az_role *r)
{
  const az_identity *id = &c->studio.ident;
  const char *carn = az_strf(c, "arn:aws:elasticmapreduce:%s:%s:cluster/%s",
                             cl->region ? cl->region : "", cl->account,
                             cl->id);
  bool any = false;
  if(!carn)
    return;
  if(cl->security_configuration)
    need(c, r, cl, "elasticmapreduce:DescribeSecurityConfiguration", "*",
         "to read the cluster's security configuration");
  for(size_t i = 0; i < id->n_runtime; i++) {
    const az_role *rt;
    if(!in_account(id->runtime[i], cl->account))
      continue;
    any = true;
    if((rt = az_ix_role(&c->ix, id->runtime[i])) != NULL)
      trust(c, r, rt, cl);
  }
  if(any)
    need(c, r, cl, "elasticmapreduce:GetClusterSessionCredentials", carn,
         "for the runtime role's session (EmrSettings.ExecutionRoleArns)");
}
