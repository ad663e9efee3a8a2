/* analyzer/iam/identity.h (private to analyzer/): the Studio identity
 * whose settings decide which roles apply to the diagnosis.
 *
 * This is the one place the IAM checks ask "which execution role, which
 * assumable roles". It reads the identity analyzer/studio/ resolved (the
 * user profile or space named, else the domain's defaults), so every IAM
 * check judges the role that really applies. */
#ifndef AZ_IAM_IDENTITY_H
#define AZ_IAM_IDENTITY_H

#include <stddef.h>

#include "../reach.h"

typedef struct {
  const char *exec_role;   /* the execution role, or NULL: not known */
  const char *const *assumable_roles; /* EmrSettings.AssumableRoleArns */
  size_t n_assumable_roles;
  const char *settings;    /* where they come from, for messages
                              ("the domain's DefaultUserSettings") */
  const char *settings_id; /* the resource to change: the domain's id */
} az_applied_identity;

/* Fill *out with the identity that applies to this analysis; fields are
 * NULL/0 when the snapshot does not tell. Pointers live as long as the
 * model. */
void az_applied_identity_get(const az_ctx *c, az_applied_identity *out);

#endif
