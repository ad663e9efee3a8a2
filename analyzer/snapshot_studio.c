/* analyzer/snapshot_studio.c: the Studio identities of one region folder:
 * user profiles (describe-user-profile) and spaces (describe-space), and
 * the domain's DefaultSpaceSettings. Their file names carry the domain id
 * and the name ("sagemaker-describe-space--d-xxx--alice-space.json"), so
 * the folder listing says which exist. Which of them applies to a space is
 * decided later, in analyzer/studio/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "snapshot_priv.h"

#define PROFILE_PFX "sagemaker-describe-user-profile--"
#define SPACE_PFX "sagemaker-describe-space--"

/* "<prefix><domain>--<name>.json" into domain and name. A domain id never
 * holds "--" (d-[a-z0-9]+), a profile or space name may, so the first
 * "--" after the prefix splits them. */
static bool split_name(const char *file, const char *prefix, char *domain,
                       size_t nd, char *name, size_t nn)
{
  size_t plen = strlen(prefix), len = strlen(file);
  const char *body, *sep;
  size_t dl, rest;
  if(len <= plen + 5 || strncmp(file, prefix, plen) ||
     strcmp(file + len - 5, ".json"))
    return false;
  body = file + plen;
  sep = strstr(body, "--");
  if(!sep || sep == body)
    return false;
  dl = (size_t)(sep - body);
  rest = len - 5 - plen - dl - 2;
  if(!rest || dl >= nd || rest >= nn)
    return false;
  memcpy(domain, body, dl);
  domain[dl] = '\0';
  memcpy(name, sep + 2, rest);
  name[rest] = '\0';
  return true;
}

/* The id read from the file must be the one its name says. */
static xd_rc check_named(az_ld *L, const char *key, const char *got,
                         const char *want)
{
  if(strcmp(got, want))
    return ld_fail(L, XD_E_INVALID, key, "is %s, but the file name says %s",
                   got, want);
  return XD_OK;
}

/* settings.JupyterLabAppSettings.EmrSettings, when there. */
static xd_rc read_emr_settings(az_ld *L, const cJSON *settings,
                               az_emr_settings *out)
{
  const cJSON *emr = xd_json_path(settings, "JupyterLabAppSettings",
                                  "EmrSettings", NULL);
  size_t mark;
  xd_rc rc;
  if(!emr || cJSON_IsNull(emr))
    return XD_OK;
  mark = ld_enter(L, "JupyterLabAppSettings.EmrSettings");
  if(!cJSON_IsObject(emr)) {
    rc = ld_fail(L, XD_E_PARSE, NULL, "expected an object");
    goto done;
  }
  out->has = true;
  if((rc = ld_strv(L, emr, "AssumableRoleArns", &out->assumable_role_arns,
                   &out->n_assumable_role_arns)) != XD_OK)
    goto done;
  rc = ld_strv(L, emr, "ExecutionRoleArns", &out->execution_role_arns,
               &out->n_execution_role_arns);
done:
  ld_leave(L, mark);
  return rc;
}

xd_rc ld_space_defaults(az_ld *L, const cJSON *root, az_domain *d)
{
  const cJSON *dss;
  size_t mark;
  xd_rc rc = ld_object(L, root, "DefaultSpaceSettings", &dss);
  if(rc != XD_OK || !dss)
    return rc;
  mark = ld_enter(L, "DefaultSpaceSettings");
  if((rc = ld_str(L, dss, "ExecutionRole", false,
                  &d->space_execution_role)) == XD_OK)
    rc = ld_strv(L, dss, "SecurityGroups", &d->space_security_groups,
                 &d->n_space_security_groups);
  ld_leave(L, mark);
  return rc;
}

static xd_rc read_profile(az_ld *L, const cJSON *root, az_user_profile *p,
                          const char *domain, const char *name)
{
  const cJSON *us;
  size_t mark;
  xd_rc rc;
  p->account = (char *)L->account;
  p->region = (char *)L->region;
  p->src = L->rel;
  if((rc = ld_str(L, root, "DomainId", true, &p->domain_id)) ||
     (rc = ld_str(L, root, "UserProfileName", true, &p->name)) ||
     (rc = ld_str(L, root, "UserProfileArn", false, &p->arn)) ||
     (rc = ld_str(L, root, "Status", false, &p->status)) ||
     (rc = check_named(L, "DomainId", p->domain_id, domain)) ||
     (rc = check_named(L, "UserProfileName", p->name, name)) ||
     (rc = ld_object(L, root, "UserSettings", &us)))
    return rc;
  if(!us)
    return XD_OK;
  mark = ld_enter(L, "UserSettings");
  if((rc = ld_str(L, us, "ExecutionRole", false, &p->execution_role)) ||
     (rc = ld_strv(L, us, "SecurityGroups", &p->security_groups,
                   &p->n_security_groups)))
    goto done;
  rc = read_emr_settings(L, us, &p->emr);
done:
  ld_leave(L, mark);
  return rc;
}

static xd_rc read_space(az_ld *L, const cJSON *root, az_space *s,
                        const char *domain, const char *name)
{
  const cJSON *own, *share, *set;
  size_t mark;
  xd_rc rc;
  s->account = (char *)L->account;
  s->region = (char *)L->region;
  s->src = L->rel;
  if((rc = ld_str(L, root, "DomainId", true, &s->domain_id)) ||
     (rc = ld_str(L, root, "SpaceName", true, &s->name)) ||
     (rc = ld_str(L, root, "SpaceArn", false, &s->arn)) ||
     (rc = ld_str(L, root, "Status", false, &s->status)) ||
     (rc = check_named(L, "DomainId", s->domain_id, domain)) ||
     (rc = check_named(L, "SpaceName", s->name, name)) ||
     (rc = ld_object(L, root, "OwnershipSettings", &own)) ||
     (rc = ld_object(L, root, "SpaceSharingSettings", &share)) ||
     (rc = ld_object(L, root, "SpaceSettings", &set)))
    return rc;
  if(own) {
    mark = ld_enter(L, "OwnershipSettings");
    rc = ld_str(L, own, "OwnerUserProfileName", false, &s->owner);
    ld_leave(L, mark);
  }
  if(rc == XD_OK && share) {
    mark = ld_enter(L, "SpaceSharingSettings");
    rc = ld_str(L, share, "SharingType", false, &s->sharing_type);
    if(rc == XD_OK && s->sharing_type && strcmp(s->sharing_type, "Private") &&
       strcmp(s->sharing_type, "Shared"))
      rc = ld_bad_value(L, "SharingType", s->sharing_type,
                        "Private or Shared");
    ld_leave(L, mark);
  }
  if(rc == XD_OK && set) {
    mark = ld_enter(L, "SpaceSettings");
    rc = ld_str(L, set, "AppType", false, &s->app_type);
    ld_leave(L, mark);
  }
  return rc;
}

static xd_rc load_one(az_ld *L, const char *file, bool profile,
                      const char *domain, const char *name)
{
  cJSON *root = NULL;
  xd_rc rc = ld_open_in(L, file, profile ? "UserProfileName" : "SpaceName",
                        NULL, &root);
  if(rc != XD_OK || !root)
    return rc;
  if(profile) {
    az_user_profile *p = LD_SLOT(L, L->m->profiles, L->m->n_profiles,
                                 L->cap_profiles);
    rc = p ? read_profile(L, root, p, domain, name) : ld_nomem(L);
  } else {
    az_space *s = LD_SLOT(L, L->m->spaces, L->m->n_spaces, L->cap_spaces);
    rc = s ? read_space(L, root, s, domain, name) : ld_nomem(L);
  }
  ld_close(L, root);
  return rc;
}

xd_rc ld_region_studio(az_ld *L, char **names, size_t n_names)
{
  char domain[128], name[256];
  xd_rc rc = XD_OK;
  for(size_t i = 0; i < n_names && rc == XD_OK; i++) {
    if(split_name(names[i], PROFILE_PFX, domain, sizeof(domain), name,
                  sizeof(name)))
      rc = load_one(L, names[i], true, domain, name);
    else if(split_name(names[i], SPACE_PFX, domain, sizeof(domain), name,
                       sizeof(name)))
      rc = load_one(L, names[i], false, domain, name);
  }
  return rc;
}
