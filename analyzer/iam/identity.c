/* The applied Studio identity; see identity.h. The domain's defaults are
 * what applies to a profile or space that sets nothing of its own. */
#include "identity.h"

#include <string.h>

void az_applied_identity_get(const az_ctx *c, az_applied_identity *out)
{
  const az_identity *id = &c->studio.ident;
  memset(out, 0, sizeof(*out));
  /* the identity analyzer/studio/ resolved (profile, space, or the
   * domain's defaults); before it is resolved, the domain's defaults */
  out->exec_role = id->exec_role ? id->exec_role : c->studio.exec_role;
  out->assumable_roles = id->assumable;
  out->n_assumable_roles = id->n_assumable;
  if(!id->domain && !c->studio.domain)
    return;
  out->settings = id->label ? id->label : "the domain's DefaultUserSettings";
  out->settings_id = c->studio.domain ? c->studio.domain->id : NULL;
  if(!id->n_assumable && c->studio.domain && id->kind == AZ_IDENT_DOMAIN &&
     !id->domain) {
    out->assumable_roles =
        (const char *const *)c->studio.domain->assumable_role_arns;
    out->n_assumable_roles = c->studio.domain->n_assumable_role_arns;
  }
}
