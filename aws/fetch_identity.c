/* aws/fetch_identity.c: the Studio identities of a domain. What applies to a
 * user's space is its profile's settings over the domain's (domain.md, "Who
 * Studio is"), so fetch writes the named space and its owner's profile, or
 * the named profile, or, with none named, every profile and space of the
 * domain (ListUserProfiles / ListSpaces, paged), for the analyzer to say
 * which differ from the defaults. */
#include "fetch.h"

#include <stdio.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "../common/log.h"

/* describe-user-profile or describe-space of one name; the answer (the
 * caller's to delete) or NULL. */
static cJSON *describe(fx_state *f, fx_place *p, const char *domain,
                       bool space, const char *name)
{
  cJSON *in, *doc;
  char file[512];
  if(!fx_safe_name(name)) {
    if(!fx_dry(f)) /* said once, by the writing pass */
      xd_log_error("%s name '%s' cannot name a file; skipped",
                   space ? "space" : "user profile", name);
    return NULL;
  }
  in = cJSON_CreateObject();
  xd_json_add_str(in, "DomainId", domain);
  xd_json_add_str(in, space ? "SpaceName" : "UserProfileName", name);
  snprintf(file, sizeof(file), "sagemaker-describe-%s--%s--%s",
           space ? "space" : "user-profile", domain, name);
  doc = fx_call_json(f, p, "sagemaker",
                     space ? "DescribeSpace" : "DescribeUserProfile", in, file);
  cJSON_Delete(in);
  return doc;
}

/* A profile's own AssumableRoleArns name EMR accounts too. */
static void profile_roles(fx_state *f, const cJSON *doc, fx_strs *roles)
{
  const cJSON *it;
  cJSON_ArrayForEach(it, xd_json_path(doc, "UserSettings",
                                      "JupyterLabAppSettings", "EmrSettings",
                                      "AssumableRoleArns", NULL))
    if(cJSON_IsString(it) && !fx_strs_add(roles, it->valuestring))
      f->abort = true;
}

static void one_profile(fx_state *f, fx_place *p, const char *domain,
                        const char *name, fx_strs *roles)
{
  cJSON *doc = describe(f, p, domain, false, name);
  if(doc)
    profile_roles(f, doc, roles);
  cJSON_Delete(doc);
}

/* Every name a List call gives (paged by NextToken). */
static void list_names(fx_state *f, fx_place *p, const char *domain,
                       const char *op, const char *list, const char *key,
                       fx_strs *out)
{
  cJSON *in = cJSON_CreateObject(), *doc;
  const cJSON *it;
  xd_json_add_str(in, "DomainIdEquals", domain);
  doc = fx_call_json(f, p, "sagemaker", op, in, NULL);
  cJSON_Delete(in);
  cJSON_ArrayForEach(it, xd_json_array(doc, list)) {
    const char *d = xd_json_str(it, "DomainId");
    if((!d || !strcmp(d, domain)) && !fx_strs_add(out, xd_json_str(it, key)))
      f->abort = true;
  }
  cJSON_Delete(doc);
}

void fx_studio_identities(fx_state *f, fx_place *p, const char *domain,
                          fx_strs *roles)
{
  const aws_fetch_plan *pl = f->plan;
  fx_strs names = {0};
  if(pl->space) {
    cJSON *doc = describe(f, p, domain, true, pl->space);
    const char *owner = xd_json_str(xd_json_object(doc, "OwnershipSettings"),
                                    "OwnerUserProfileName");
    if(owner && !f->abort)
      one_profile(f, p, domain, owner, roles);
    if(pl->user_profile && (!owner || strcmp(owner, pl->user_profile)) &&
       !f->abort)
      one_profile(f, p, domain, pl->user_profile, roles);
    cJSON_Delete(doc);
    return;
  }
  if(pl->user_profile) {
    one_profile(f, p, domain, pl->user_profile, roles);
    return;
  }
  list_names(f, p, domain, "ListUserProfiles", "UserProfiles",
             "UserProfileName", &names);
  for(size_t i = 0; i < names.n && !f->abort; i++)
    one_profile(f, p, domain, names.v[i], roles);
  fx_strs_free(&names);
  list_names(f, p, domain, "ListSpaces", "Spaces", "SpaceName", &names);
  for(size_t i = 0; i < names.n && !f->abort; i++)
    cJSON_Delete(describe(f, p, domain, true, names.v[i]));
  fx_strs_free(&names);
}
