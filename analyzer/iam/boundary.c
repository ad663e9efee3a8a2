/* Permissions boundaries, and the denial no visible policy explains; see
 * boundary.h. */
#include "boundary.h"

#include <stdio.h>
#include <string.h>

az_tri az_iam_boundary_allows(const az_model *m, const az_role *r,
                              const char *action, const char *resource,
                              const az_iam_req *req, const cJSON **stmt)
{
  const az_managed_policy *bp;
  az_iam_hit h;
  az_iam_effect e;
  if(stmt)
    *stmt = NULL;
  if(!r->boundary_arn)
    return AZ_YES;
  bp = az_find_policy(m, r->boundary_arn);
  if(!bp || !bp->document)
    return AZ_UNKNOWN;
  memset(&h, 0, sizeof(h));
  e = az_iam_eval_req(bp->document, action, resource, NULL, req, &h);
  if(stmt)
    *stmt = e == AZ_IAM_NONE ? NULL : h.stmt;
  return e == AZ_IAM_ALLOW ? AZ_YES : AZ_NO;
}

az_iam_effect az_iam_role_effect(const az_model *m, const az_role *r,
                                 const char *action, const char *resource,
                                 const az_iam_req *req, bool *unknown)
{
  az_iam_effect res = AZ_IAM_NONE;
  if(unknown)
    *unknown = false;
  for(size_t i = 0; i < r->n_inline_policies + r->n_attached_policy_arns;
      i++) {
    const cJSON *doc;
    az_iam_effect e;
    if(i < r->n_inline_policies)
      doc = r->inline_policies[i].document;
    else {
      const az_managed_policy *mp =
          az_find_policy(m, r->attached_policy_arns[i - r->n_inline_policies]);
      doc = mp ? mp->document : NULL;
    }
    if(!doc) {
      if(unknown)
        *unknown = true;
      continue;
    }
    e = az_iam_eval_req(doc, action, resource, NULL, req, NULL);
    if(e == AZ_IAM_DENY)
      return e;
    if(e == AZ_IAM_ALLOW)
      res = e;
  }
  return res;
}

az_denial_cause az_iam_explain_denial(const az_model *m, const char *role_arn,
                                      const char *action, const char *resource,
                                      const az_iam_req *req, char *out,
                                      size_t n)
{
  const az_role *r = role_arn ? az_find_role_by_arn(m, role_arn) : NULL;
  bool unknown = false;
  az_iam_effect e;
  az_tri b;
  if(!r) {
    snprintf(out, n,
             "%s is not in the snapshot's IAM, so why %s was refused is not "
             "known.",
             role_arn ? role_arn : "The role", action);
    return AZ_DENIAL_NOT_KNOWN;
  }
  e = az_iam_role_effect(m, r, action, resource, req, &unknown);
  if(e == AZ_IAM_DENY || (e == AZ_IAM_NONE && !unknown)) {
    snprintf(out, n, "The policies of %s %s %s.", r->arn,
             e == AZ_IAM_DENY ? "explicitly deny" : "do not allow", action);
    return AZ_DENIAL_POLICY;
  }
  if(e == AZ_IAM_NONE) {
    snprintf(out, n,
             "%s has attached policies the snapshot does not hold; whether "
             "they allow %s is not known.",
             r->arn, action);
    return AZ_DENIAL_NOT_KNOWN;
  }
  b = az_iam_boundary_allows(m, r, action, resource, req, NULL);
  if(b == AZ_NO) {
    snprintf(out, n,
             "The policies of %s allow %s, but its permissions boundary %s "
             "does not.",
             r->arn, action, r->boundary_arn);
    return AZ_DENIAL_BOUNDARY;
  }
  if(b == AZ_UNKNOWN) {
    snprintf(out, n,
             "The policies of %s allow %s; its permissions boundary %s is "
             "not in the snapshot, so it may be what refuses it.",
             r->arn, action, r->boundary_arn);
    return AZ_DENIAL_NOT_KNOWN;
  }
  snprintf(out, n,
           "Every policy of %s that the account's IAM shows allows %s%s: the "
           "refusal comes from what the account cannot see, a service "
           "control policy of the AWS Organization (ask its management "
           "account) or a session policy.",
           r->arn, action, r->boundary_arn ? ", its boundary too" : "");
  return AZ_DENIAL_UNSEEN;
}
