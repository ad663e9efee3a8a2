/* analyzer/iam/boundary_check.h (private to analyzer/): the findings of a
 * role's permissions boundary (IAM_BOUNDARY_DENIES, IAM_BOUNDARY_NOT_KNOWN). */
#ifndef AZ_IAM_BOUNDARY_CHECK_H
#define AZ_IAM_BOUNDARY_CHECK_H

#include "../reach.h"
#include "cond.h"

/* For each of the n (actions[i], resources[i]) that role r's own policies
 * grant (granted[i]), whether its boundary lets it through; raises one
 * finding per role naming every action the boundary stops (n <= 32). */
void az_boundary_check(az_ctx *c, const az_role *r, const char *const *actions,
                       const char *const *resources, const bool *granted,
                       size_t n, const az_iam_req *q);

#endif
