/* analyzer/findings/refusals.c: the calls AWS refused while the snapshot
 * was taken (fetch-errors.json), as findings. A refusal is evidence, not
 * just a gap: AccessDenied on AssumeRole of the discovery role, or on
 * DescribeCluster through it, is exactly what Studio meets, and the AWS
 * text is the proof. What only xacct-doctor needed (EC2 and IAM reads
 * through the read access) is one warning per account with the way to
 * read it, not a pile of "not known". */
#include <stdio.h>
#include <string.h>

#include "../../common/buf.h"
#include "../iam.h"
#include "../iam/boundary.h"
#include "../reach.h"
#include "../remedy.h"
#include "cmdline.h"

/* The discovery calls Studio makes through the role: refused, Studio
 * finds no cluster. */
static const char *const studio_calls[] = {
  "elasticmapreduce:DescribeCluster", "elasticmapreduce:ListInstanceGroups",
  "elasticmapreduce:ListClusters", NULL};

static bool is_studio_call(const char *action)
{
  for(size_t i = 0; action && studio_calls[i]; i++)
    if(!strcmp(action, studio_calls[i]))
      return true;
  return false;
}

static bool is(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

/* arn:aws:iam::ACCOUNT:... -> ACCOUNT (12 digits) into out. */
static bool arn_account(const char *arn, char out[16])
{
  const char *p = arn && !strncmp(arn, "arn:", 4) ? arn : NULL;
  for(int i = 0; p && i < 4; i++)
    if((p = strchr(p, ':')) != NULL)
      p++;
  if(!p || strspn(p, "0123456789") != 12 || p[12] != ':')
    return false;
  snprintf(out, 16, "%.12s", p);
  return true;
}

/* The role an assumed-role session or role ARN stands for, as an IAM role
 * ARN into out; false for users and anything else. */
static bool caller_role(const char *caller, char *out, size_t n)
{
  char acct[16];
  const char *p;
  if(!caller || !arn_account(caller, acct))
    return false;
  if((p = strstr(caller, ":assumed-role/")) != NULL) {
    size_t l = strcspn(p + 14, "/");
    snprintf(out, n, "arn:aws:iam::%s:role/%.*s", acct, (int)l, p + 14);
    return true;
  }
  if(strstr(caller, ":role/")) {
    snprintf(out, n, "%s", caller);
    return true;
  }
  return false;
}

/* Whether account's IAM file was read (its roles are in the model). */
static bool iam_read(const az_ctx *c, const char *account)
{
  char file[64];
  snprintf(file, sizeof(file), "iam-get-account-authorization-details.json");
  for(size_t i = 0; i < c->m->n_accounts; i++)
    if(is(c->m->accounts[i].id, account))
      return !az_find_missing(c->m, account, NULL, file);
  return false;
}

static void quote_aws(az_ctx *c, az_issue *is, const az_fetch_error *fe)
{
  if(fe->aws_message)
    az_issue_evidence(c, is, "AWS answered %s: %s",
                      fe->code ? fe->code : "an error", fe->aws_message);
  else if(fe->message)
    az_issue_evidence(c, is, "%s", fe->message);
  az_issue_evidence(c, is, "recorded in %s", fe->src ? fe->src
                                                      : "fetch-errors.json");
}

/* The trust document that lets Studio's account assume a role. */
#define TRUST_DOC                                                             \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","         \
  "\"Principal\":{\"AWS\":\"arn:aws:iam::%s:root\"},"                         \
  "\"Action\":\"sts:AssumeRole\"}]}"

/* "aws iam VERB --role-name NAME" for role NAME (shape-checked). */
static void iam_cmd(az_cmd *b, const char *verb, const char *name)
{
  az_cmd_args(b, "aws", "iam", verb, "--role-name", NULL);
  az_cmd_id(b, AZ_ID_ROLE_NAME, name);
}

/* The trust document that lets Studio's account (shape-checked, since it
 * goes inside the JSON word) assume a role. */
static void trust_doc(az_cmd *b, const char *studio)
{
  if(studio)
    az_cmd_check(b, AZ_ID_ACCOUNT, studio);
  az_cmd_argf(b, TRUST_DOC, studio ? studio : "STUDIO");
}

static void assume_refused(az_ctx *c, const az_fetch_error *fe)
{
  char acct[16], name[160], crole[400];
  const char *role = fe->role;
  const char *studio = c->studio.account;
  const az_role *r = role ? az_find_role_by_arn(c->m, role) : NULL;
  const az_role *cr = NULL;
  az_issue *is;
  az_cmd b;
  bool unknown = false;

  if(!role || !arn_account(role, acct))
    return;
  if(!studio && fe->caller && arn_account(fe->caller, crole))
    studio = az_strf(c, "%s", crole);
  /* refused to Studio's own execution role, whose policies lack the
   * grant, while nothing of the EMR account's IAM is known (a space's
   * own run, that could read nothing there): the Studio side says why */
  if(!r && !iam_read(c, acct) &&
     caller_role(fe->caller, crole, sizeof(crole)) &&
     az_exec_assume_missing(c, crole, role))
    return;
  az_role_name(role, name, sizeof(name));
  is = az_issue_get(c, "DISCOVERY_ASSUME_REFUSED", XD_SEV_CRITICAL, role,
                    acct, fe->region);
  if(!is)
    return;
  az_issue_message(c, is, "AWS refused sts:AssumeRole of the discovery role "
                   "%s%s%s: Studio meets the same refusal (\"Unable to "
                   "assume role(arn: %s)\") and lists no cluster of account "
                   "%s.", role, fe->caller ? " by " : "",
                   fe->caller ? fe->caller : "", role, acct);
  quote_aws(c, is, fe);
  az_cmd_init(&b);
  if(caller_role(fe->caller, crole, sizeof(crole)))
    cr = az_find_role_by_arn(c->m, crole);
  /* which of the three explanations the snapshot supports */
  if(!r && !iam_read(c, acct)) {
    az_issue_evidence(c, is, "whether %s exists is not known: the IAM of "
                      "account %s is not in the snapshot (read it with the "
                      "read role or a profile of that account)", role, acct);
  }
  else if(!r) {
    az_issue_evidence(c, is, "the role does not exist: account %s's IAM "
                      "was read and holds no role %s", acct, name);
    az_issue_evidence(c, is, "after creating it, attach the discovery "
                      "policy (the setup's step 6)");
    iam_cmd(&b, "create-role", name);
    az_cmd_arg(&b, "--assume-role-policy-document");
    trust_doc(&b, studio);
  }
  else if(r->trust_policy &&
          az_iam_trust(r->trust_policy, studio, cr ? cr->arn : NULL, NULL) !=
              AZ_IAM_ALLOW) {
    az_issue_evidence(c, is, "the trust policy of %s names neither account "
                      "%s (Studio) nor the caller's role: that is why", role,
                      studio ? studio : "(unknown)");
    iam_cmd(&b, "update-assume-role-policy", name);
    az_cmd_arg(&b, "--policy-document");
    trust_doc(&b, studio);
  }
  else if(cr &&
          az_iam_role_effect(c->m, cr, "sts:AssumeRole", role, NULL,
                             &unknown) != AZ_IAM_ALLOW && !unknown) {
    char cname[160];
    az_role_name(cr->arn, cname, sizeof(cname));
    az_issue_evidence(c, is, "the identity policies of %s (Studio account's "
                      "IAM) do not allow sts:AssumeRole on %s: that is why",
                      cr->arn, role);
    iam_cmd(&b, "put-role-policy", cname);
    az_cmd_args(&b, "--policy-name", "xacct-doctor-assume-emr-discovery",
                "--policy-document", NULL);
    az_cmd_check(&b, AZ_ID_ROLE_ARN, role);
    az_cmd_argf(&b, "{\"Version\":\"2012-10-17\",\"Statement\":"
                    "[{\"Effect\":\"Allow\",\"Action\":"
                    "\"sts:AssumeRole\",\"Resource\":%s}]}",
                az_json_str(c, role));
  }
  else
    az_issue_evidence(c, is, "the role exists and the visible policies "
                      "allow the call%s: a service control policy, a "
                      "permissions boundary or a session policy, which the "
                      "snapshot does not show, must deny it",
                      cr ? "" : " as far as they are in the snapshot");
  az_issue_remedy(c, is, &b); /* nothing when b is empty */
  az_cmd_free(&b);
}

static void call_refused(az_ctx *c, const az_fetch_error *fe)
{
  char acct[16];
  const char *role = fe->role;
  const az_role *r = role ? az_find_role_by_arn(c->m, role) : NULL;
  const cJSON *stmt = NULL;
  az_issue *is;
  if(!role || !arn_account(role, acct))
    return;
  is = az_issue_get(c, "DISCOVERY_CALL_REFUSED", XD_SEV_CRITICAL, role, acct,
                    fe->region);
  if(!is)
    return;
  az_issue_message(c, is, "AWS refused %s to the discovery role %s: Studio "
                   "assumes the role but cannot read the cluster (\"Unable "
                   "to get Emr Cluster(Id: ...) details\").", fe->action,
                   role);
  quote_aws(c, is, fe);
  for(size_t i = 0; r && i < r->n_inline_policies && !stmt; i++)
    if(r->inline_policies[i].document &&
       az_iam_has_placeholder(r->inline_policies[i].document, &stmt))
      az_issue_evidence(c, is, "its policy %s still holds the <region>/"
                        "<account-id> placeholders, which match no cluster",
                        r->inline_policies[i].name);
  for(size_t i = 0; r && !stmt && i < r->n_attached_policy_arns; i++) {
    const az_managed_policy *mp = az_ix_policy(&c->ix,
                                               r->attached_policy_arns[i]);
    if(mp && mp->document && az_iam_has_placeholder(mp->document, &stmt))
      az_issue_evidence(c, is, "its policy %s still holds the <region>/"
                        "<account-id> placeholders, which match no cluster",
                        mp->arn);
  }
  if(!r)
    az_issue_evidence(c, is, "the role's policies are not in the snapshot "
                      "(account %s's IAM was not read)", acct);
  {
    char name[160];
    az_cmd b;
    az_role_name(role, name, sizeof(name));
    az_cmd_init(&b);
    iam_cmd(&b, "put-role-policy", name);
    az_cmd_args(&b, "--policy-name", "xacct-doctor-emr-discovery",
                "--policy-document", NULL);
    az_cmd_check(&b, AZ_ID_ACCOUNT, acct);
    if(fe->region)
      az_cmd_check(&b, AZ_ID_REGION, fe->region);
    az_cmd_argf(&b, "{\"Version\":\"2012-10-17\",\"Statement\":["
                               "{\"Effect\":\"Allow\",\"Action\":["
                               "\"elasticmapreduce:DescribeCluster\","
                               "\"elasticmapreduce:ListInstanceGroups\"],"
                               "\"Resource\":\"arn:aws:elasticmapreduce:%s:"
                               "%s:cluster/*\"},{\"Effect\":\"Allow\","
                               "\"Action\":\"elasticmapreduce:ListClusters\","
                               "\"Resource\":\"*\"}]}",
                fe->region ? fe->region : "REGION", acct);
    az_issue_remedy(c, is, &b);
    az_cmd_free(&b);
  }
}

/* One warning per account whose configuration the read access could not
 * read; every refused action is listed in it. */
static void read_refused(az_ctx *c, const az_fetch_error *fe)
{
  const char *via = fe->role ? fe->role
                             : fe->caller ? fe->caller
                                          : "the credentials in use";
  const char *what = is(fe->action, "sts:AssumeRole") ? "assuming it" : NULL;
  az_issue *is;
  az_cmd b;
  if(!fe->account)
    return;
  /* the element to change is the access: the role (or profile) in use */
  is = az_issue_get(c, "ACCOUNT_CONFIG_UNREADABLE", XD_SEV_WARNING,
                    fe->role ? fe->role
                             : az_strf(c, "account %s", fe->account),
                    fe->account, fe->region);
  if(!is)
    return;
  az_issue_message(c, is, "The network configuration of account %s is not "
                   "readable with %s%s%s: its VPCs, routes, security groups, "
                   "network ACLs and IAM are not known, so the EMR side of "
                   "each path is not seen.", fe->account, via,
                   what ? " (refused " : "", what ? "sts:AssumeRole)" : "");
  if(!is->n_evidence)
    quote_aws(c, is, fe); /* one AWS answer says it; the rest are listed */
  az_issue_evidence(c, is, "refused: %s", fe->action ? fe->action
                                                     : fe->call);
  if(is->remediation)
    return;
  az_issue_evidence(c, is, "the fix runs with credentials of account %s; "
                    "then set emr[].read_role_arn, or fetch with "
                    "--account-profile ACCOUNT=PROFILE, or run docs/collect.sh "
                    "there and fetch --out into the same folder",
                    fe->account);
  az_cmd_init(&b);
  iam_cmd(&b, "create-role", "xacct-doctor-read");
  az_cmd_arg(&b, "--assume-role-policy-document");
  trust_doc(&b, c->studio.account);
  az_cmd_and(&b);
  iam_cmd(&b, "put-role-policy", "xacct-doctor-read");
  az_cmd_args(&b, "--policy-name", "xacct-doctor-read", "--policy-document",
              "file://docs/iam/xacct-doctor-read-policy.json", NULL);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

void az_refusals_check(az_ctx *c)
{
  for(size_t i = 0; i < c->m->n_fetch_errors; i++) {
    const az_fetch_error *fe = &c->m->fetch_errors[i];
    bool discovery = is(fe->access, "discovery");
    if(!fe->refused)
      continue;
    if(is(fe->action, "sts:AssumeRole") && discovery && !fe->optional)
      assume_refused(c, fe);
    else if(discovery && is_studio_call(fe->action))
      call_refused(c, fe); /* even when the read access got the file */
    else if(!fe->optional)
      read_refused(c, fe);
  }
}

bool az_refusals_hide_missing(const az_model *m, const char *account)
{
  for(size_t i = 0; i < m->n_fetch_errors; i++) {
    const az_fetch_error *fe = &m->fetch_errors[i];
    if(fe->refused && !fe->optional && is(fe->account, account) &&
       !(is(fe->access, "discovery") && is_studio_call(fe->action)))
      return true;
  }
  return false;
}
