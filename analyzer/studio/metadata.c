/* analyzer/studio/metadata.c: the intent a Studio app's own metadata file
 * gives (/opt/ml/metadata/resource-metadata.json): the domain, the space
 * (JupyterLab) or user profile (Studio Classic), and the account and
 * Region of its ResourceArn. Run inside a space, `check` needs no --config. */
#include "metadata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/jsonutil.h"

static xd_rc dup_field(const cJSON *root, const char *key, const char *path,
                       bool required, char **out, xd_err *e)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
  *out = NULL;
  if(!v || cJSON_IsNull(v) || (cJSON_IsString(v) && !v->valuestring[0])) {
    if(required)
      return xd_fail(e, XD_E_INVALID, "%s: %s is missing", path, key);
    return XD_OK;
  }
  if(!cJSON_IsString(v))
    return xd_fail(e, XD_E_PARSE, "%s: %s: must be a string", path, key);
  *out = strdup(v->valuestring);
  return *out ? XD_OK : xd_fail(e, XD_E_NOMEM, "out of memory");
}

/* arn:PARTITION:sagemaker:REGION:ACCOUNT:RESOURCE -> region, account. */
static bool arn_parts(const char *arn, char *region, size_t nr, char *account)
{
  const char *f[6];
  const char *p = arn;
  size_t rl;
  for(int i = 0; i < 6; i++) {
    f[i] = p;
    p = i < 5 ? strchr(p, ':') : p;
    if(!p)
      return false;
    if(i < 5)
      p++;
  }
  if(strncmp(arn, "arn:", 4) || strncmp(f[2], "sagemaker:", 10))
    return false;
  rl = (size_t)(f[4] - f[3] - 1);
  if(!rl || rl >= nr || f[5] - f[4] - 1 != 12)
    return false;
  memcpy(region, f[3], rl);
  region[rl] = '\0';
  memcpy(account, f[4], 12);
  account[12] = '\0';
  return az_is_account_id(account);
}

xd_rc az_intent_from_metadata(const char *path, const char *env_region,
                              az_intent *out, xd_err *e)
{
  cJSON *root = NULL;
  char *arn = NULL, region[64], account[16];
  xd_rc rc;
  memset(out, 0, sizeof(*out));
  rc = xd_json_parse_file(path, &root, e);
  if(rc != XD_OK)
    goto done;
  if(!cJSON_IsObject(root)) {
    rc = xd_fail(e, XD_E_PARSE, "%s: the metadata must be a JSON object",
                 path);
    goto done;
  }
  out->present = true;
  if(!(out->path = strdup(path))) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  if((rc = dup_field(root, "DomainId", path, true, &out->studio.domain_id,
                     e)) ||
     (rc = dup_field(root, "ResourceArn", path, true, &arn, e)) ||
     (rc = dup_field(root, "SpaceName", path, false, &out->studio.space,
                     e)) ||
     (rc = dup_field(root, "UserProfileName", path, false,
                     &out->studio.user_profile, e)))
    goto done;
  if(!arn_parts(arn, region, sizeof(region), account)) {
    rc = xd_fail(e, XD_E_INVALID,
                 "%s: ResourceArn: \"%s\" is not a SageMaker ARN "
                 "(arn:aws:sagemaker:REGION:ACCOUNT:...)",
                 path, arn);
    goto done;
  }
  if(!out->studio.space && !out->studio.user_profile) {
    rc = xd_fail(e, XD_E_INVALID,
                 "%s: neither SpaceName nor UserProfileName says which "
                 "Studio identity this is", path);
    goto done;
  }
  /* SageMaker sets AWS_REGION too; the ARN is the app's own word */
  out->studio.region = strdup(region[0] ? region : env_region);
  out->studio.account = strdup(account);
  if(!out->studio.region || !out->studio.account)
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
done:
  free(arn);
  cJSON_Delete(root);
  if(rc != XD_OK)
    az_intent_free(out);
  return rc;
}
