/* analyzer/studio/check.c: the findings about the Studio identity itself:
 * which one was diagnosed and what applies to it, a named identity the
 * snapshot lacks, the profiles and spaces that differ from the domain's
 * defaults, and EmrSettings that do not list the cluster's account. */
#include <stdio.h>
#include <string.h>

#include "../reach.h"
#include "../remedy.h"
#include "../findings/cmdline.h"

static bool same(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

/* "sg-a, sg-b" (or "none") into b. */
static void list(xd_buf *b, const char *const *v, size_t n)
{
  for(size_t i = 0; i < n; i++)
    xd_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
  if(!n)
    xd_buf_printf(b, "none");
}

static const char *ident_resource(const az_identity *id)
{
  if(id->space)
    return id->space->arn ? id->space->arn : id->space->name;
  if(id->profile)
    return id->profile->arn ? id->profile->arn : id->profile->name;
  return id->domain ? id->domain->id : "studio";
}

static void say_identity(az_ctx *c, const az_identity *id)
{
  az_issue *is = az_issue_get(c, "STUDIO_IDENTITY", XD_SEV_INFO,
                              ident_resource(id), c->studio.account,
                              c->studio.region);
  xd_buf b;
  xd_buf_init(&b);
  az_issue_message(c, is,
                   "Diagnosed for %s: its execution role, security groups and "
                   "EmrSettings are those below.",
                   id->label);
  az_issue_evidence(c, is, "execution role %s (%s)",
                    id->exec_role ? id->exec_role : "not set",
                    az_setting_name(id, id->exec_role_from, &c->a));
  list(&b, id->sgs, id->n_sgs);
  az_issue_evidence(c, is, "security groups %s (%s%s)", xd_buf_str(&b),
                    az_setting_name(id, id->sgs_from, &c->a),
                    id->n_sgs > id->n_sgs_domain
                        ? az_strf(c, " plus %s",
                                  az_setting_name(id, AZ_FROM_PROFILE, &c->a))
                        : "");
  xd_buf_reset(&b);
  list(&b, id->assumable, id->n_assumable);
  az_issue_evidence(c, is, "EmrSettings.AssumableRoleArns %s (%s)",
                    xd_buf_str(&b),
                    az_setting_name(id, id->assumable_from, &c->a));
  if(id->n_runtime) {
    xd_buf_reset(&b);
    list(&b, id->runtime, id->n_runtime);
    az_issue_evidence(c, is, "EmrSettings.ExecutionRoleArns %s (%s)",
                      xd_buf_str(&b),
                      az_setting_name(id, id->runtime_from, &c->a));
  }
  if(id->owner_conflict)
    az_issue_evidence(c, is,
                      "the intent names user profile %s, but the space "
                      "belongs to %s: the owner's settings apply",
                      id->owner_conflict, id->profile_name);
  xd_buf_free(&b);
}

static void say_missing(az_ctx *c, const az_identity *id)
{
  az_issue *is = az_issue_get(c, "STUDIO_IDENTITY_NOT_FOUND", XD_SEV_WARNING,
                              id->missing_file, c->studio.account,
                              c->studio.region);
  az_issue_message(c, is,
                   "The intent names %s, which the snapshot does not hold: "
                   "the domain's defaults are diagnosed instead, and that "
                   "user may see another result.",
                   id->missing_what);
  az_issue_evidence(c, is, "no %s in %s/%s", id->missing_file,
                    c->studio.account ? c->studio.account : "?",
                    c->studio.region ? c->studio.region : "?");
  az_issue_evidence(c, is, "fetch again with studio.%s in the intent "
                           "(xacct-doctor fetch --out DIR), or check the "
                           "name with the command below",
                    id->space_name && !id->space ? "space" : "user_profile");
  {
    az_cmd b;
    az_cmd_init(&b);
    az_cmd_args(&b, "aws", "sagemaker",
                id->space_name && !id->space ? "list-spaces"
                                             : "list-user-profiles",
                "--domain-id", NULL);
    if(id->domain)
      az_cmd_id(&b, AZ_ID_DOMAIN, id->domain->id);
    else
      az_cmd_refuse(&b, "the domain is not known");
    az_cmd_region(&b, c->studio.region);
    az_issue_remedy(c, is, &b);
    az_cmd_free(&b);
  }
}

/* What sets one identity apart from the defaults, for the info list. */
static void describe_diff(az_ctx *c, xd_buf *b, const az_identity *def,
                          const az_identity *x)
{
  xd_buf_printf(b, "%s:", x->label);
  if(!same(def->exec_role, x->exec_role))
    xd_buf_printf(b, " role %s", x->exec_role ? x->exec_role : "none");
  for(size_t i = 0; i < x->n_sgs; i++) {
    bool has = false;
    for(size_t j = 0; j < def->n_sgs && !has; j++)
      has = same(def->sgs[j], x->sgs[i]);
    if(!has)
      xd_buf_printf(b, " adds group %s", x->sgs[i]);
  }
  for(size_t j = 0; j < def->n_sgs; j++) {
    bool has = false;
    for(size_t i = 0; i < x->n_sgs && !has; i++)
      has = same(def->sgs[j], x->sgs[i]);
    if(!has)
      xd_buf_printf(b, " lacks group %s", def->sgs[j]);
  }
  if(x->assumable != def->assumable)
    xd_buf_printf(b, " own AssumableRoleArns (%zu)", x->n_assumable);
  (void)c;
}

static void say_differing(az_ctx *c, const az_identity *def)
{
  const az_model *m = c->m;
  const az_domain *d = def->domain;
  az_issue *is = NULL;
  size_t n = 0;
  for(size_t i = 0; d && i < m->n_profiles + m->n_spaces; i++) {
    bool prof = i < m->n_profiles;
    const char *dom = prof ? m->profiles[i].domain_id
                           : m->spaces[i - m->n_profiles].domain_id;
    const char *name = prof ? m->profiles[i].name
                            : m->spaces[i - m->n_profiles].name;
    az_identity x;
    xd_buf b;
    if(!same(dom, d->id))
      continue;
    if(!az_identity_resolve(m, d, prof ? name : NULL, prof ? NULL : name,
                            &c->a, &x)) {
      c->nomem = true;
      return;
    }
    if(!az_identity_differs(def, &x))
      continue;
    if(!is)
      is = az_issue_get(c, "STUDIO_IDENTITIES_DIFFER", XD_SEV_INFO, d->id,
                        d->account, d->region);
    n++;
    xd_buf_init(&b);
    describe_diff(c, &b, def, &x);
    az_issue_evidence(c, is, "%s", xd_buf_str(&b));
    xd_buf_free(&b);
  }
  if(is)
    az_issue_message(c, is,
                     "No Studio identity was named, so domain %s's defaults "
                     "were diagnosed; %zu user profiles or spaces use another "
                     "role or other groups, and may see another result (name "
                     "one with studio.user_profile or studio.space).",
                     d->id, n);
}

void az_identity_check(az_ctx *c)
{
  const az_identity *id = &c->studio.ident;
  if(!id->domain)
    return;
  if(id->missing_file)
    say_missing(c, id);
  if(id->kind != AZ_IDENT_DOMAIN)
    say_identity(c, id);
  else if(!id->profile_name && !id->space_name)
    say_differing(c, id);
}

/* The JSON of EmrSettings with arn added to the assumable roles. */
static char *settings_with(az_ctx *c, const az_identity *id, const char *arn)
{
  cJSON *o = cJSON_CreateObject(), *jl, *emr, *arr;
  char *out = NULL, *txt;
  jl = o ? cJSON_AddObjectToObject(o, "JupyterLabAppSettings") : NULL;
  emr = jl ? cJSON_AddObjectToObject(jl, "EmrSettings") : NULL;
  arr = emr ? cJSON_AddArrayToObject(emr, "AssumableRoleArns") : NULL;
  for(size_t i = 0; arr && i < id->n_assumable; i++)
    cJSON_AddItemToArray(arr, cJSON_CreateString(id->assumable[i]));
  if(arr)
    cJSON_AddItemToArray(arr, cJSON_CreateString(arn));
  if(emr && id->n_runtime) {
    arr = cJSON_AddArrayToObject(emr, "ExecutionRoleArns");
    for(size_t i = 0; arr && i < id->n_runtime; i++)
      cJSON_AddItemToArray(arr, cJSON_CreateString(id->runtime[i]));
  }
  txt = emr ? cJSON_PrintUnformatted(o) : NULL;
  if(txt)
    out = xd_arena_strdup(&c->a, txt);
  cJSON_free(txt);
  cJSON_Delete(o);
  return out;
}

/* A role of account in the domain's own list (which a profile's list
 * replaced), else one that trusts the Studio account. */
static const char *candidate(az_ctx *c, const az_identity *id,
                             const char *account)
{
  const az_domain *d = id->domain;
  char prefix[64];
  snprintf(prefix, sizeof(prefix), "arn:aws:iam::%s:", account);
  for(size_t i = 0; d && i < d->n_assumable_role_arns; i++)
    if(!strncmp(d->assumable_role_arns[i], prefix, strlen(prefix)))
      return d->assumable_role_arns[i];
  return az_candidate_role(c, account);
}

bool az_identity_assumable_missing(az_ctx *c, const az_cluster *cl)
{
  const az_identity *id = &c->studio.ident;
  const char *cand, *res, *json;
  bool prof = id->assumable_from == AZ_FROM_PROFILE;
  az_issue *is;
  az_cmd b;
  if(!id->domain || !id->n_assumable || c->m->n_rolefiles)
    return false;
  res = prof ? (id->profile->arn ? id->profile->arn : id->profile->name)
             : id->domain->id;
  is = az_issue_get(c, "STUDIO_ASSUMABLE_ROLE_MISSING", XD_SEV_CRITICAL, res,
                    c->studio.account, c->studio.region);
  az_issue_message(c, is,
                   "EmrSettings.AssumableRoleArns in %s name no role in "
                   "account %s, so Studio does not list cluster %s for %s.",
                   az_setting_name(id, id->assumable_from, &c->a), cl->account,
                   cl->id, id->label);
  for(size_t i = 0; i < id->n_assumable; i++)
    az_issue_evidence(c, is, "AssumableRoleArns[%zu] = %s", i,
                      id->assumable[i]);
  if(prof && id->domain->n_assumable_role_arns)
    az_issue_evidence(c, is,
                      "the profile's list replaces the domain's (%zu roles)",
                      id->domain->n_assumable_role_arns);
  cand = candidate(c, id, cl->account);
  if(!cand)
    return true;
  az_issue_evidence(c, is, "%s is a role of account %s for Studio", cand,
                    cl->account);
  json = settings_with(c, id, cand);
  if(!json)
    return true;
  az_cmd_init(&b);
  if(prof) {
    az_cmd_args(&b, "aws", "sagemaker", "update-user-profile", "--domain-id",
                NULL);
    az_cmd_id(&b, AZ_ID_DOMAIN, id->domain->id);
    az_cmd_opt(&b, "--user-profile-name", id->profile->name);
    az_cmd_arg(&b, "--user-settings");
  } else {
    az_cmd_args(&b, "aws", "sagemaker", "update-domain", "--domain-id", NULL);
    az_cmd_id(&b, AZ_ID_DOMAIN, id->domain->id);
    az_cmd_arg(&b, "--default-user-settings");
  }
  az_cmd_arg(&b, json);
  az_cmd_region(&b, c->studio.region);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
  return true;
}
