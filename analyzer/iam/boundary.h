/* analyzer/iam/boundary.h (private to analyzer/): what a role may really
 * do once its permissions boundary is applied, and why an AccessDenied
 * that a role's visible policies do not explain happened.
 *
 * AWS allows an action of a role's session only when an identity policy
 * allows it AND the role's permissions boundary (a managed policy) allows
 * it, and no policy of either denies it; a service control policy of the
 * organization caps both, and is not visible from the account's own IAM
 * (get-account-authorization-details does not show it). These functions
 * read the model only, so any helper (the discovery checks, the refused
 * reads of fetch-errors.json) can use them. */
#ifndef AZ_IAM_BOUNDARY_H
#define AZ_IAM_BOUNDARY_H

#include <stddef.h>

#include "../iam.h"
#include "../model.h"

/* The verdict of role r's boundary for (action, resource) under req (may
 * be NULL): AZ_YES when the role has none or it allows, AZ_NO when it does
 * not (implicitly or explicitly), AZ_UNKNOWN when the boundary policy's
 * document is not in the snapshot. *stmt (may be NULL) gets the boundary's
 * deciding statement (a Deny, or the Allow), or NULL. */
az_tri az_iam_boundary_allows(const az_model *m, const az_role *r,
                              const char *action, const char *resource,
                              const az_iam_req *req, const cJSON **stmt);

/* The effect of role r's identity policies (inline and attached) for
 * (action, resource) under req; *unknown (may be NULL) is set when an
 * attached policy has no document in the snapshot. */
az_iam_effect az_iam_role_effect(const az_model *m, const az_role *r,
                                 const char *action, const char *resource,
                                 const az_iam_req *req, bool *unknown);

typedef enum {
  AZ_DENIAL_NOT_KNOWN,  /* the role or a policy of it is not in the snapshot */
  AZ_DENIAL_POLICY,     /* its policies do not allow it, or deny it */
  AZ_DENIAL_BOUNDARY,   /* they allow it; its permissions boundary does not */
  AZ_DENIAL_UNSEEN      /* everything visible allows it: a service control
                           policy (or a session policy) must deny it */
} az_denial_cause;

/* Why role_arn's call of action on resource may have been refused with
 * AccessDenied, from the policies the snapshot holds; one sentence a
 * person can act on into out (n bytes), naming service control policies
 * when nothing visible explains it. */
az_denial_cause az_iam_explain_denial(const az_model *m, const char *role_arn,
                                      const char *action, const char *resource,
                                      const az_iam_req *req, char *out,
                                      size_t n);

#endif
