/* The applied Studio identity; see identity.h. The domain's defaults are
 * what applies to a profile or space that sets nothing of its own. */
#include "identity.h"

#include <string.h>

void az_applied_identity_get(const az_ctx *c, az_applied_identity *out)
{
  const az_domain *d = c->studio.domain;
  memset(out, 0, sizeof(*out));
  out->exec_role = c->studio.exec_role;
  if(!d)
    return;
  out->assumable_roles = (const char *const *)d->assumable_role_arns;
  out->n_assumable_roles = d->n_assumable_role_arns;
  out->settings = "the domain's DefaultUserSettings";
  out->settings_id = d->id;
}
