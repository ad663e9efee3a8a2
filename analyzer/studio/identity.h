/* analyzer/studio/identity.h: which Studio identity is diagnosed, and what
 * really applies to it (../shared/domain.md, "Who Studio is").
 *
 * A private space (or a Studio Classic user profile) uses its profile's
 * execution role, else the domain's DefaultUserSettings one; its groups are
 * the domain's DefaultUserSettings groups plus the profile's; its
 * EmrSettings (assumable and runtime roles) are the profile's when the
 * profile lists any, else the domain's. A shared space uses the domain's
 * DefaultSpaceSettings role and groups and the domain's EmrSettings. With no
 * identity named, the domain's defaults apply.
 *
 * This header is the door the rest of the analyzer uses (IAM checks of the
 * execution role, trust against it, paths from its groups): it depends on
 * the model only. */
#ifndef AZ_STUDIO_IDENTITY_H
#define AZ_STUDIO_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "../../common/arena.h"
#include "../model.h"

typedef enum {
  AZ_IDENT_DOMAIN,        /* no identity named (or none found): defaults */
  AZ_IDENT_PROFILE,       /* a user profile (Studio Classic) */
  AZ_IDENT_PRIVATE_SPACE, /* a space owned by one profile */
  AZ_IDENT_SHARED_SPACE   /* a space of the whole domain */
} az_ident_kind;

/* The setting a value came from, so a finding can name the one to change. */
typedef enum {
  AZ_FROM_NONE,           /* no setting holds it */
  AZ_FROM_DOMAIN_USER,    /* the domain's DefaultUserSettings */
  AZ_FROM_DOMAIN_SPACE,   /* the domain's DefaultSpaceSettings */
  AZ_FROM_PROFILE         /* the user profile's UserSettings */
} az_setting;

typedef struct {
  az_ident_kind kind;
  const az_domain *domain;        /* or NULL */
  const az_user_profile *profile; /* the profile whose settings apply, or NULL */
  const az_space *space;          /* or NULL */
  const char *profile_name;       /* named or the space's owner, or NULL */
  const char *space_name;         /* named, or NULL */
  const char *label;              /* "private space S of user profile P" */
  const char *exec_role;          /* the execution role, or NULL */
  az_setting exec_role_from;
  const char *const *sgs;         /* the groups that apply, deduplicated */
  size_t n_sgs;
  size_t n_sgs_domain;            /* sgs[0..n) came from the domain */
  az_setting sgs_from;            /* where sgs[0..n_sgs_domain) came from */
  const char *const *assumable;   /* EmrSettings.AssumableRoleArns */
  size_t n_assumable;
  az_setting assumable_from;
  const char *const *runtime;     /* EmrSettings.ExecutionRoleArns */
  size_t n_runtime;
  az_setting runtime_from;
  /* a named identity the snapshot lacks: the file that would have told
   * (bare name), else NULL; the defaults are used in its place */
  const char *missing_file;
  const char *missing_what;
  /* the intent's user_profile differs from the space's owner (the owner
   * wins), or NULL */
  const char *owner_conflict;
} az_identity;

/* Resolve the identity of domain d (may be NULL) named by profile and space
 * (each may be NULL). Strings and arrays are in arena a and the model.
 * Returns false only when out of memory. */
bool az_identity_resolve(const az_model *m, const az_domain *d,
                         const char *profile, const char *space, xd_arena *a,
                         az_identity *out);

/* Whether two identities differ in role, groups or assumable roles. */
bool az_identity_differs(const az_identity *x, const az_identity *y);

/* The setting's name for messages: "the DefaultUserSettings of domain
 * d-...", "the UserSettings of user profile alice" (arena a); never NULL. */
const char *az_setting_name(const az_identity *id, az_setting from,
                            xd_arena *a);

#endif
