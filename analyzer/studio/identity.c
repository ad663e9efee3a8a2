/* The precedence of Studio settings for one identity (see identity.h). The
 * rules are the service's, not ours: a profile's groups add to the
 * domain's, its role and EmrSettings replace the domain's, and a shared
 * space has no profile at all. */
#include "identity.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool same(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

static char *arena_fmt(xd_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *arena_fmt(xd_arena *a, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  return xd_arena_strdup(a, buf);
}

/* The domain's groups, then those of p not already there. */
static bool add_groups(az_identity *id, const char *const *dom, size_t nd,
                       const az_user_profile *p, xd_arena *a)
{
  size_t np = p ? p->n_security_groups : 0, k = 0;
  const char **v = xd_arena_calloc(a, nd + np + 1, sizeof(*v));
  if(!v)
    return false;
  for(size_t i = 0; i < nd + np; i++) {
    const char *g = i < nd ? dom[i] : p->security_groups[i - nd];
    bool dup = false;
    for(size_t j = 0; j < k && !dup; j++)
      dup = same(v[j], g);
    if(!dup)
      v[k++] = g;
    if(i + 1 == nd)
      id->n_sgs_domain = k;
  }
  id->sgs = v;
  id->n_sgs = k;
  return true;
}

/* Role, groups and EmrSettings of the domain's user defaults, replaced or
 * added to by profile p (may be NULL). */
static bool user_settings(az_identity *id, const az_domain *d,
                          const az_user_profile *p, xd_arena *a)
{
  if(p && p->execution_role) {
    id->exec_role = p->execution_role;
    id->exec_role_from = AZ_FROM_PROFILE;
  } else if(d && d->execution_role) {
    id->exec_role = d->execution_role;
    id->exec_role_from = AZ_FROM_DOMAIN_USER;
  }
  id->sgs_from = AZ_FROM_DOMAIN_USER;
  if(!add_groups(id, d ? (const char *const *)d->security_groups : NULL,
                 d ? d->n_security_groups : 0, p, a))
    return false;
  if(p && p->emr.n_assumable_role_arns) {
    id->assumable = (const char *const *)p->emr.assumable_role_arns;
    id->n_assumable = p->emr.n_assumable_role_arns;
    id->assumable_from = AZ_FROM_PROFILE;
  } else if(d && d->n_assumable_role_arns) {
    id->assumable = (const char *const *)d->assumable_role_arns;
    id->n_assumable = d->n_assumable_role_arns;
    id->assumable_from = AZ_FROM_DOMAIN_USER;
  }
  if(p && p->emr.n_execution_role_arns) {
    id->runtime = (const char *const *)p->emr.execution_role_arns;
    id->n_runtime = p->emr.n_execution_role_arns;
    id->runtime_from = AZ_FROM_PROFILE;
  } else if(d && d->n_execution_role_arns) {
    id->runtime = (const char *const *)d->execution_role_arns;
    id->n_runtime = d->n_execution_role_arns;
    id->runtime_from = AZ_FROM_DOMAIN_USER;
  }
  return true;
}

/* A shared space: DefaultSpaceSettings, each part falling back to the
 * user defaults when the domain leaves it out. */
static bool space_settings(az_identity *id, const az_domain *d, xd_arena *a)
{
  if(!user_settings(id, d, NULL, a))
    return false;
  if(d && d->space_execution_role) {
    id->exec_role = d->space_execution_role;
    id->exec_role_from = AZ_FROM_DOMAIN_SPACE;
  }
  if(d && d->n_space_security_groups) {
    id->sgs_from = AZ_FROM_DOMAIN_SPACE;
    return add_groups(id, (const char *const *)d->space_security_groups,
                      d->n_space_security_groups, NULL, a);
  }
  return true;
}

static const char *file_name(xd_arena *a, const char *kind, const az_domain *d,
                             const char *name)
{
  char buf[512];
  snprintf(buf, sizeof(buf), "sagemaker-describe-%s--%s--%s.json", kind,
           d ? d->id : "DOMAIN", name);
  return xd_arena_strdup(a, buf);
}

bool az_identity_resolve(const az_model *m, const az_domain *d,
                         const char *profile, const char *space, xd_arena *a,
                         az_identity *out)
{
  const char *dom = d ? d->id : NULL;
  const az_user_profile *p = NULL;
  memset(out, 0, sizeof(*out));
  out->domain = d;
  out->profile_name = profile;
  out->space_name = space;
  if(space) {
    out->space = az_find_space(m, dom, space);
    if(!out->space) {
      out->missing_file = file_name(a, "space", d, space);
      out->missing_what = arena_fmt(a, "space %s", space);
    } else if(same(out->space->sharing_type, "Shared") ||
              (!out->space->sharing_type && !out->space->owner)) {
      out->kind = AZ_IDENT_SHARED_SPACE;
      out->label = arena_fmt(a, "shared space %s", space);
      return out->label && space_settings(out, d, a);
    } else {
      if(profile && out->space->owner && !same(profile, out->space->owner))
        out->owner_conflict = profile;
      if(out->space->owner)
        out->profile_name = profile = out->space->owner;
    }
  }
  if(profile) {
    p = az_find_profile(m, dom, profile);
    if(!p && !out->missing_file) {
      out->missing_file = file_name(a, "user-profile", d, profile);
      out->missing_what = arena_fmt(a, "user profile %s", profile);
    }
  }
  out->profile = p;
  if(out->space) {
    out->kind = AZ_IDENT_PRIVATE_SPACE;
    out->label = arena_fmt(a, "private space %s of user profile %s",
                           out->space->name, profile ? profile : "?");
  } else if(p) {
    out->kind = AZ_IDENT_PROFILE;
    out->label = arena_fmt(a, "user profile %s", p->name);
  } else {
    out->kind = AZ_IDENT_DOMAIN;
    out->label = arena_fmt(a, "the defaults of domain %s",
                           dom ? dom : "?");
  }
  return out->label && user_settings(out, d, p, a);
}

static bool same_set(const char *const *x, size_t nx, const char *const *y,
                     size_t ny)
{
  for(size_t i = 0; i < nx; i++) {
    bool found = false;
    for(size_t j = 0; j < ny && !found; j++)
      found = same(x[i], y[j]);
    if(!found)
      return false;
  }
  for(size_t j = 0; j < ny; j++) {
    bool found = false;
    for(size_t i = 0; i < nx && !found; i++)
      found = same(x[i], y[j]);
    if(!found)
      return false;
  }
  return true;
}

bool az_identity_differs(const az_identity *x, const az_identity *y)
{
  bool roles = x->exec_role || y->exec_role
                   ? !same(x->exec_role, y->exec_role)
                   : false;
  return roles || !same_set(x->sgs, x->n_sgs, y->sgs, y->n_sgs) ||
         !same_set(x->assumable, x->n_assumable, y->assumable,
                   y->n_assumable);
}

const char *az_setting_name(const az_identity *id, az_setting from,
                            xd_arena *a)
{
  const char *s = NULL;
  switch(from) {
  case AZ_FROM_PROFILE:
    s = arena_fmt(a, "the UserSettings of user profile %s",
                  id->profile ? id->profile->name : id->profile_name);
    break;
  case AZ_FROM_DOMAIN_SPACE:
    s = arena_fmt(a, "the DefaultSpaceSettings of domain %s",
                  id->domain ? id->domain->id : "?");
    break;
  case AZ_FROM_DOMAIN_USER:
    s = arena_fmt(a, "the DefaultUserSettings of domain %s",
                  id->domain ? id->domain->id : "?");
    break;
  case AZ_FROM_NONE:
    break;
  }
  return s ? s : "no setting";
}
