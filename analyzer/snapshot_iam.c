/* analyzer/snapshot_iam.c: the account-level files: IAM roles and managed
 * policies (get-account-authorization-details) and the Studio role file.
 *
 * Policy documents come in two shapes: the AWS CLI prints them as JSON
 * objects (botocore decodes them), the raw IAM API returns them as
 * URL-encoded JSON text (RFC 3986). Both are read into the same cJSON
 * tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "../common/urlenc.h"
#include "snapshot_priv.h"

#define IAM_FILE "iam-get-account-authorization-details.json"
#define ROLE_FILE "studio-emr-discovery-iam-role-arns.json"

/* The policy document at key of obj (parsed, owned by the model), or
 * NULL when absent. */
static xd_rc take_doc(az_ld *L, cJSON *obj, const char *key, cJSON **out)
{
  cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key), *parsed = NULL;
  xd_err inner = {0};
  xd_rc rc;
  *out = NULL;
  if(!v || cJSON_IsNull(v))
    return XD_OK;
  if(cJSON_IsObject(v)) {
    parsed = cJSON_DetachItemViaPointer(obj, v);
  }
  else if(cJSON_IsString(v)) {
    const char *s = v->valuestring + strspn(v->valuestring, " \t\r\n");
    char *text = NULL, *lit = NULL;
    size_t n = 0, bad = 0;
    bool encoded = *s != '{';
    /* the value as the file writes it (URL-encoded text needs no JSON
     * escapes), so the message can name its line */
    if(encoded && !strpbrk(v->valuestring, "\"\\") &&
       (lit = malloc(strlen(v->valuestring) + 3)) != NULL)
      snprintf(lit, strlen(v->valuestring) + 3, "\"%s\"", v->valuestring);
    if(encoded && (rc = xd_url_decode(s, true, &text, &n, &bad)) != XD_OK) {
      if(rc == XD_E_NOMEM)
        rc = ld_nomem(L);
      else
        rc = ld_fail_lit(L, XD_E_PARSE, key, lit,
                         "malformed URL encoding at character %zu of the "
                         "policy document", bad + 1);
      free(lit);
      return rc;
    }
    rc = xd_json_parse_text(encoded ? "the URL-decoded policy document"
                                    : "the policy document",
                            encoded ? text : s, encoded ? n : strlen(s),
                            &parsed, &inner);
    free(text);
    if(rc != XD_OK)
      rc = ld_fail_lit(L, XD_E_PARSE, key, lit, "%s", inner.msg);
    free(lit);
    if(rc != XD_OK)
      return rc;
  }
  else
    return ld_fail(L, XD_E_PARSE, key, "expected a policy document (an "
                   "object or URL-encoded JSON text)");
  if(!parsed)
    return ld_nomem(L);
  if(!cJSON_IsObject(parsed)) {
    cJSON_Delete(parsed);
    return ld_fail(L, XD_E_PARSE, key, "the policy document is not a JSON "
                   "object");
  }
  if((rc = ld_own(L, parsed)) != XD_OK)
    return rc;
  *out = parsed;
  return XD_OK;
}

static xd_rc read_inline_policy(az_ld *L, const cJSON *p, void *ctx)
{
  az_role *r = ctx;
  az_policy_doc *d = &r->inline_policies[r->n_inline_policies];
  xd_rc rc;
  if((rc = ld_id(L, p, "PolicyName", AZ_ID_POLICY_NAME, true, &d->name)) ||
     (rc = take_doc(L, (cJSON *)p, "PolicyDocument", &d->document)))
    return rc;
  r->n_inline_policies++;
  return XD_OK;
}

static xd_rc read_attached(az_ld *L, const cJSON *p, void *ctx)
{
  az_role *r = ctx;
  xd_rc rc = ld_id(L, p, "PolicyArn", AZ_ID_POLICY_ARN, true,
                    &r->attached_policy_arns[r->n_attached_policy_arns]);
  if(rc == XD_OK)
    r->n_attached_policy_arns++;
  return rc;
}

/* The tree is the loader's own parse: take_doc() moves the policy
 * documents out of it into the model, hence the casts. */
static xd_rc read_role(az_ld *L, const cJSON *x, void *ctx)
{
  az_role *r = LD_SLOT(L, L->m->roles, L->m->n_roles, L->cap_roles);
  const cJSON *inl, *att;
  xd_rc rc;
  if(!r)
    return ld_nomem(L);
  r->account = (char *)L->account;
  r->src = L->rel;
  if((rc = ld_id(L, x, "RoleName", AZ_ID_ROLE_NAME, true, &r->name)) ||
     (rc = ld_id(L, x, "Arn", AZ_ID_ROLE_ARN, true, &r->arn)) ||
     (rc = ld_id(L, x, "Path", AZ_ID_IAM_PATH, false, &r->path)) ||
     (rc = ld_str(L, x, "RoleId", false, &r->role_id)) ||
     (rc = take_doc(L, (cJSON *)x, "AssumeRolePolicyDocument",
                    &r->trust_policy)) ||
     (rc = ld_array(L, x, "RolePolicyList", &inl)) ||
     (rc = ld_array(L, x, "AttachedManagedPolicies", &att)))
    return rc;
  {
    /* PermissionsBoundary: the policy that caps what the role's own
     * policies grant (only "Policy" boundaries exist) */
    const cJSON *pb;
    size_t mark;
    if((rc = ld_object(L, x, "PermissionsBoundary", &pb)) != XD_OK)
      return rc;
    mark = ld_enter(L, "PermissionsBoundary");
    if(pb && (rc = ld_str(L, pb, "PermissionsBoundaryArn", false,
                          &r->boundary_arn)) != XD_OK)
      return rc;
    ld_leave(L, mark);
  }
  if(!r->path)
    r->path = "/";
  if(!r->role_id)
    r->role_id = "";
  if((inl && !(r->inline_policies = ld_calloc_for(L, inl,
                                                  sizeof(az_policy_doc)))) ||
     (att && !(r->attached_policy_arns = ld_calloc_for(L, att,
                                                       sizeof(char *)))))
    return ld_nomem(L);
  if((rc = ld_each(L, inl, "RolePolicyList", read_inline_policy, r)) != XD_OK)
    return rc;
  return ld_each(L, att, "AttachedManagedPolicies", read_attached, r);
}

static xd_rc read_policy(az_ld *L, const cJSON *x, void *ctx)
{
  az_managed_policy *pol = LD_SLOT(L, L->m->policies, L->m->n_policies,
                                   L->cap_policies);
  const cJSON *versions, *v;
  char *dflt = NULL;
  size_t i = 0, mark, m2;
  xd_rc rc;
  if(!pol)
    return ld_nomem(L);
  pol->account = (char *)L->account;
  pol->src = L->rel;
  if((rc = ld_id(L, x, "Arn", AZ_ID_POLICY_ARN, true, &pol->arn)) ||
     (rc = ld_id(L, x, "PolicyName", AZ_ID_POLICY_NAME, false, &pol->name)) ||
     (rc = ld_str(L, x, "DefaultVersionId", false, &dflt)) ||
     (rc = ld_array(L, x, "PolicyVersionList", &versions)))
    return rc;
  if(!pol->name)
    pol->name = "";
  if(!versions)
    return XD_OK;
  /* not ld_each(): the versions after the default one are not read */
  m2 = ld_enter(L, "PolicyVersionList");
  cJSON_ArrayForEach(v, versions) {
    bool is_default;
    char *vid;
    if((rc = ld_item(L, v, i++, &mark)) ||
       (rc = ld_bool(L, v, "IsDefaultVersion", false, &is_default)) ||
       (rc = ld_str(L, v, "VersionId", false, &vid)))
      return rc;
    if(is_default || (dflt && vid && !strcmp(dflt, vid))) {
      if((rc = take_doc(L, (cJSON *)v, "Document", &pol->document)) != XD_OK)
        return rc;
      ld_leave(L, mark);
      break;
    }
    ld_leave(L, mark);
  }
  ld_leave(L, m2);
  return XD_OK;
}

xd_rc ld_account_iam(az_ld *L)
{
  const cJSON *roles, *pols;
  cJSON *root = NULL;
  xd_rc rc = ld_open_in(L, IAM_FILE, "RoleDetailList",
                        "IAM roles and policies", &root);
  if(rc != XD_OK || !root)
    return rc;
  if((rc = ld_array(L, root, "RoleDetailList", &roles)) ||
     (rc = ld_array(L, root, "Policies", &pols)))
    goto done;
  if(!roles) {
    rc = ld_fail(L, XD_E_PARSE, "RoleDetailList", "expected an array");
    goto done;
  }
  if((rc = ld_each(L, roles, "RoleDetailList", read_role, NULL)) == XD_OK)
    rc = ld_each(L, pols, "Policies", read_policy, NULL);
done:
  ld_close(L, root);
  return rc;
}

/* The raw text with invalid UTF-8 bytes shown as '?', so that a report
 * that quotes it stays valid UTF-8 (the parse error says what was wrong). */
static char *safe_text(az_ld *L, const char *text, size_t len)
{
  char *out = xd_arena_alloc(&L->m->arena, len + 1);
  size_t i = 0, bad;
  if(!out)
    return NULL;
  memcpy(out, text, len);
  out[len] = '\0';
  while(i < len && !xd_utf8_valid(out + i, len - i, &bad)) {
    out[i + bad] = '?';
    i += bad + 1;
  }
  return out;
}

xd_rc ld_account_rolefile(az_ld *L)
{
  const char *rel = ld_rel(L, NULL, ROLE_FILE);
  az_rolefile *rf;
  xd_err inner = {0};
  cJSON *j = NULL;
  size_t len = 0;
  bool present;
  xd_rc rc;
  if(!rel)
    return ld_nomem(L);
  if((rc = ld_read_raw(L, rel, &len, &present)) != XD_OK)
    return rc;
  if(!present) {
    /* only the Studio side has one: the account holding a domain */
    for(size_t i = 0; i < L->m->n_domains; i++)
      if(!strcmp(L->m->domains[i].account, L->account))
        return ld_missing(L, rel, "the role file Studio reads to know which "
                          "role to assume in each EMR account");
    return XD_OK;
  }
  rf = LD_SLOT(L, L->m->rolefiles, L->m->n_rolefiles, L->cap_rolefiles);
  if(!rf) {
    rc = ld_nomem(L);
    goto done;
  }
  rf->account = (char *)L->account;
  rf->path = (char *)L->rel;
  rf->src = L->rel;
  rf->text = safe_text(L, L->text, len);
  if(!rf->text) {
    rc = ld_nomem(L);
    goto done;
  }
  /* a broken role file is what the analyzer reports, not a load error */
  if(xd_json_parse_text(rel, L->text, len, &j, &inner) != XD_OK) {
    rf->parse_error = xd_arena_strdup(&L->m->arena, inner.msg);
    if(!rf->parse_error)
      rc = ld_nomem(L);
    goto done;
  }
  rf->json = j;
  rc = ld_own(L, j);
done:
  ld_close(L, NULL);
  return rc;
}
