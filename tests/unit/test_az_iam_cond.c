/* IAM Condition blocks as AWS evaluates them, for what a snapshot knows of
 * Studio's discovery calls (analyzer/iam/cond.h), and their effect on a
 * policy's verdict: a condition that does not hold voids its statement; an
 * unknown one never decides by itself. Also the trust's principals, the
 * permissions boundary and the helper that explains an AccessDenied. */
#include <string.h>

#include "analyzer/iam.h"
#include "analyzer/iam/boundary.h"
#include "check.h"
#include "json_text.h"
#include "common/jsonutil.h"

/* key (may be NULL) gets a copy of the key not evaluated, or "" */
static az_tri C(const char *cond, const az_iam_req *q, const char **key)
{
  static char kbuf[128];
  cJSON *j = J(cond);
  const char *k = NULL;
  az_tri t = az_iam_cond(j, q, &k);
  snprintf(kbuf, sizeof(kbuf), "%s", k ? k : "");
  if(key)
    *key = kbuf;
  cJSON_Delete(j);
  return t;
}

static void test_operators(void)
{
  az_iam_req as = {"111111111111",
                   "arn:aws:iam::111111111111:role/service-role/Exec",
                   "us-east-1", NULL, true};
  az_iam_req emr = {"222222222222", "arn:aws:iam::222222222222:role/d",
                    "us-east-1", NULL, false};
  const char *key = NULL;

  CHECK_INT(C("{\"StringEquals\":{\"aws:PrincipalAccount\":\"111111111111\"}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"StringNotEquals\":{\"aws:PrincipalAccount\":\"111111111111\"}}", &as, NULL), AZ_NO);
  /* values of one key are ORed; keys are case-insensitive */
  CHECK_INT(C("{\"StringEquals\":{\"AWS:requestedregion\":[\"eu-west-1\",\"us-east-1\"]}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"StringNotEquals\":{\"aws:RequestedRegion\":[\"eu-west-1\",\"us-east-1\"]}}", &as, NULL), AZ_NO);
  CHECK_INT(C("{\"StringEqualsIgnoreCase\":{\"aws:RequestedRegion\":\"US-EAST-1\"}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"StringEquals\":{\"aws:RequestedRegion\":\"US-EAST-1\"}}", &as, NULL), AZ_NO);
  CHECK_INT(C("{\"StringLike\":{\"sts:RoleSessionName\":\"SageMaker*\"}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"StringNotLike\":{\"sts:RoleSessionName\":\"SageMaker?tudioUser\"}}", &as, NULL), AZ_NO);
  CHECK_INT(C("{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::111111111111:role/*\"}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"ArnEquals\":{\"aws:PrincipalArn\":\"arn:aws:iam::111111111111:role/Exec\"}}", &as, NULL), AZ_NO);
  CHECK_INT(C("{\"ArnNotEquals\":{\"aws:PrincipalArn\":\"arn:aws:iam::111111111111:role/Exec\"}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"ArnNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:role/service-role/*\"}}", &as, NULL), AZ_NO);
  CHECK_INT(C("{\"Bool\":{\"aws:SecureTransport\":false}}", &as, NULL), AZ_NO);
  CHECK_INT(C("{\"Bool\":{\"aws:SecureTransport\":\"TRUE\"}}", &as, NULL), AZ_YES);
  /* operators and keys are ANDed */
  CHECK_INT(C("{\"StringEquals\":{\"aws:PrincipalAccount\":\"111111111111\","
              "\"aws:RequestedRegion\":\"eu-west-1\"}}", &as, NULL), AZ_NO);

  /* an absent key: positive false, negated true, IfExists true, Null */
  CHECK_INT(C("{\"StringEquals\":{\"sts:ExternalId\":\"x\"}}", &as, NULL), AZ_NO);
  CHECK_INT(C("{\"StringNotEquals\":{\"sts:ExternalId\":\"x\"}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"StringEqualsIfExists\":{\"sts:ExternalId\":\"x\"}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"Null\":{\"sts:ExternalId\":\"true\"}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"Null\":{\"sts:ExternalId\":false}}", &as, NULL), AZ_NO);
  CHECK_INT(C("{\"Null\":{\"sts:RoleSessionName\":\"true\"}}", &as, NULL), AZ_NO);
  /* the session name exists only in the AssumeRole request */
  CHECK_INT(C("{\"Null\":{\"sts:RoleSessionName\":\"true\"}}", &emr, NULL), AZ_YES);
  CHECK_INT(C("{\"StringNotEquals\":{\"aws:SourceAccount\":\"111111111111\"}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"StringEqualsIfExists\":{\"aws:SourceAccount\":\"9\"}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"ForAnyValue:StringEquals\":{\"sts:ExternalId\":[\"x\"]}}", &as, NULL), AZ_NO);
  CHECK_INT(C("{\"ForAllValues:StringEquals\":{\"sts:ExternalId\":[\"x\"]}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"ForAnyValue:StringLike\":{\"aws:RequestedRegion\":[\"eu-*\",\"us-*\"]}}", &as, NULL), AZ_YES);
  CHECK_INT(C("{\"ForAllValues:StringNotEquals\":{\"aws:RequestedRegion\":[\"us-east-1\"]}}", &as, NULL), AZ_NO);

  /* not known: other keys, other operators, a principal not known */
  CHECK_INT(C("{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-1\"}}", &as, &key), AZ_UNKNOWN);
  CHECK_STR(key, "aws:PrincipalOrgID");
  CHECK_INT(C("{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}", &as, &key), AZ_UNKNOWN);
  CHECK_INT(C("{\"NumericLessThan\":{\"aws:RequestedRegion\":\"1\"}}", &as, NULL), AZ_UNKNOWN);
  {
    az_iam_req nop = as;
    nop.principal_arn = NULL;
    CHECK_INT(C("{\"ArnLike\":{\"aws:PrincipalArn\":\"*\"}}", &nop, NULL), AZ_UNKNOWN);
  }
  /* a known NO beats an unknown part */
  CHECK_INT(C("{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-1\","
              "\"aws:PrincipalAccount\":\"3\"}}", &as, NULL), AZ_NO);
  CHECK_INT(az_iam_cond(NULL, &as, NULL), AZ_YES);
}

static void test_verdicts(void)
{
  az_iam_req emr = {"222222222222", "arn:aws:iam::222222222222:role/d",
                    "us-east-1", NULL, false};
  az_iam_req as = {"111111111111", NULL, "us-east-1", NULL, true};
  const char *carn = "arn:aws:elasticmapreduce:us-east-1:222222222222:cluster/j-1";
  az_iam_hit h;
  cJSON *pol = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"elasticmapreduce:*\",\"Resource\":\"*\"},"
                 "{\"Effect\":\"Deny\",\"Action\":\"elasticmapreduce:*\",\"Resource\":\"*\","
                 "\"Condition\":{\"StringNotEquals\":{\"aws:RequestedRegion\":\"us-east-1\"}}}]}");
  cJSON *org = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"elasticmapreduce:*\",\"Resource\":\"*\"},"
                 "{\"Effect\":\"Deny\",\"Action\":\"elasticmapreduce:*\",\"Resource\":\"*\","
                 "\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalOrgID\":\"o-1\"}}}]}");
  cJSON *trust = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111111111111\"},"
                   "\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"x\"}}}]}");

  memset(&h, 0, sizeof(h));
  CHECK_INT(az_iam_eval_req(pol, "elasticmapreduce:DescribeCluster", carn, NULL, &emr, &h), AZ_IAM_ALLOW);
  /* without a request every condition is taken to hold: the old verdict */
  CHECK_INT(az_iam_eval(pol, "elasticmapreduce:DescribeCluster", carn, NULL, &h), AZ_IAM_DENY);
  emr.region = "eu-west-1";
  CHECK_INT(az_iam_eval_req(pol, "elasticmapreduce:DescribeCluster", carn, NULL, &emr, &h), AZ_IAM_DENY);
  /* a Deny on an unknown key is set aside and named */
  memset(&h, 0, sizeof(h));
  CHECK_INT(az_iam_eval_req(org, "elasticmapreduce:ListClusters", "*", NULL, &emr, &h), AZ_IAM_ALLOW);
  CHECK(h.undecided != NULL);
  CHECK_STR(h.undecided_key, "aws:PrincipalOrgID");
  /* Studio sends no ExternalId */
  CHECK_INT(az_iam_trust_req(trust, "111111111111", NULL, &as, &h), AZ_IAM_NONE);
  cJSON_Delete(pol);
  cJSON_Delete(org);
  cJSON_Delete(trust);
}

/* A trust principal that names one role admits that role only; with the
 * caller's role not known it decides nothing (principal_unknown). */
static void test_trust_principals(void)
{
  const char *exec = "arn:aws:iam::111111111111:role/service-role/Exec";
  az_iam_hit h;
  cJSON *one = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                 "\"arn:aws:iam::111111111111:role/SomeOtherRole\"},\"Action\":\"sts:AssumeRole\"}]}");
  cJSON *mine = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":["
                  "\"arn:aws:iam::111111111111:role/service-role/Exec\"]},\"Action\":\"sts:AssumeRole\"}]}");
  cJSON *sess = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                  "\"arn:aws:sts::111111111111:assumed-role/Exec/SageMakerStudioUser\"},"
                  "\"Action\":\"sts:AssumeRole\"}]}");
  cJSON *root = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                  "\"arn:aws:iam::111111111111:root\"},\"Action\":\"sts:AssumeRole\"}]}");
  memset(&h, 0, sizeof(h));
  CHECK_INT(az_iam_trust(one, "111111111111", exec, &h), AZ_IAM_NONE);
  CHECK(h.principal_unknown == NULL);
  CHECK_INT(az_iam_trust(one, "111111111111", NULL, &h), AZ_IAM_NONE);
  CHECK(h.principal_unknown != NULL);
  CHECK_INT(az_iam_trust(mine, "111111111111", exec, &h), AZ_IAM_ALLOW);
  CHECK_INT(az_iam_trust(sess, "111111111111", exec, &h), AZ_IAM_ALLOW);
  CHECK_INT(az_iam_trust(sess, "111111111111",
                         "arn:aws:iam::111111111111:role/Other", &h), AZ_IAM_NONE);
  /* the account's root admits every role of it, known or not */
  CHECK_INT(az_iam_trust(root, "111111111111", NULL, &h), AZ_IAM_ALLOW);
  CHECK_INT(az_iam_trust(root, "111111111111", exec, &h), AZ_IAM_ALLOW);
  CHECK_INT(az_iam_trust(root, "222222222222", exec, &h), AZ_IAM_NONE);
  cJSON_Delete(one);
  cJSON_Delete(mine);
  cJSON_Delete(sess);
  cJSON_Delete(root);
}

/* The helper for refused reads: which visible policy explains an
 * AccessDenied, and "a service control policy" when none does. */
static void test_explain(void)
{
  az_model m;
  az_role r;
  az_managed_policy bp;
  az_policy_doc inl;
  char out[512];
  const char *act = "elasticmapreduce:DescribeCluster";
  const char *res = "arn:aws:elasticmapreduce:us-east-1:2:cluster/j-1";
  memset(&m, 0, sizeof(m));
  memset(&r, 0, sizeof(r));
  memset(&bp, 0, sizeof(bp));
  r.arn = "arn:aws:iam::2:role/d";
  inl.name = "p";
  inl.document = J("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"elasticmapreduce:*\",\"Resource\":\"*\"}}");
  r.inline_policies = &inl;
  r.n_inline_policies = 1;
  bp.arn = "arn:aws:iam::2:policy/b";
  bp.document = J("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}");
  m.roles = &r;
  m.n_roles = 1;
  m.policies = &bp;
  m.n_policies = 1;

  CHECK_INT(az_iam_explain_denial(&m, r.arn, act, res, NULL, out, sizeof(out)),
            AZ_DENIAL_UNSEEN);
  CHECK(strstr(out, "service control policy") != NULL);
  CHECK_INT(az_iam_explain_denial(&m, r.arn, "iam:ListRoles", "*", NULL, out, sizeof(out)),
            AZ_DENIAL_POLICY);
  r.boundary_arn = bp.arn;
  CHECK_INT(az_iam_boundary_allows(&m, &r, act, res, NULL, NULL), AZ_NO);
  CHECK_INT(az_iam_explain_denial(&m, r.arn, act, res, NULL, out, sizeof(out)),
            AZ_DENIAL_BOUNDARY);
  CHECK(strstr(out, bp.arn) != NULL);
  r.boundary_arn = "arn:aws:iam::2:policy/not-in-snapshot";
  CHECK_INT(az_iam_boundary_allows(&m, &r, act, res, NULL, NULL), AZ_UNKNOWN);
  CHECK_INT(az_iam_explain_denial(&m, r.arn, act, res, NULL, out, sizeof(out)),
            AZ_DENIAL_NOT_KNOWN);
  CHECK_INT(az_iam_explain_denial(&m, "arn:aws:iam::2:role/gone", act, res, NULL,
                                  out, sizeof(out)),
            AZ_DENIAL_NOT_KNOWN);
  cJSON_Delete(inl.document);
  cJSON_Delete(bp.document);
}

int main(void)
{
  test_operators();
  test_verdicts();
  test_trust_principals();
  test_explain();
  return CHECK_DONE();
}
