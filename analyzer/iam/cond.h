/* analyzer/iam/cond.h (private to analyzer/): IAM Condition blocks,
 * evaluated against what is known of one request of the cross-account
 * discovery (Studio's sts:AssumeRole, then the EMR calls of the assumed
 * role).
 *
 * Only the keys whose value a snapshot tells are evaluated; any other key
 * (aws:PrincipalOrgID, aws:SourceIp, tags, MFA...) leaves the block "not
 * known", and the caller decides without it. The semantics are AWS's
 * (IAM User Guide, "Condition operators"): blocks, operators and keys are
 * ANDed, the values of one key ORed; a key absent from the request makes a
 * positive operator false and a negated one (StringNotEquals, ArnNotLike...)
 * true; ...IfExists is true on an absent key; ForAllValues is true on an
 * absent key, ForAnyValue false; Null tests presence. */
#ifndef AZ_IAM_COND_H
#define AZ_IAM_COND_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "../model.h"

/* What is known of one request. NULL members are "not known", except
 * source_account, where NULL means absent: aws:SourceAccount is only set
 * when a service calls on a resource's behalf, never on a call a role's
 * session makes itself, as the notebook does. */
typedef struct {
  const char *principal_account; /* aws:PrincipalAccount */
  const char *principal_arn;     /* aws:PrincipalArn (the role's ARN) */
  const char *region;            /* aws:RequestedRegion */
  const char *source_account;    /* aws:SourceAccount, NULL: absent */
  bool assume_role;              /* an sts:AssumeRole request: session
                                    name SageMakerStudioUser, no ExternalId */
} az_iam_req;

/* The session name the Studio client gives every AssumeRole. */
#define AZ_STUDIO_SESSION_NAME "SageMakerStudioUser"

/* Whether the Condition block cond (a statement's "Condition" member, may
 * be NULL: holds) holds for req. AZ_UNKNOWN when it depends on a key or
 * operator that cannot be evaluated; *unknown_key (may be NULL) then gets
 * that key's name as the policy spells it (pointer into cond). */
az_tri az_iam_cond(const cJSON *cond, const az_iam_req *req,
                   const char **unknown_key);

#endif
