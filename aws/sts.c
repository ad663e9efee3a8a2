/* aws/sts.c: who we are, and becoming someone else. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "../common/timeutil.h"
#include "../common/wipe.h"

xd_rc aws_sts_caller(aws_ctx *c, const aws_target *t, aws_identity *id,
                     aws_api_error *ae, xd_err *e)
{
  cJSON *doc = NULL;
  const char *acct, *arn;
  xd_rc rc;
  memset(id, 0, sizeof(*id));
  rc = aws_query_call(c, t, "GetCallerIdentity", AWS_STS_VERSION, NULL, NULL,
                      &doc, ae, e);
  if(rc != XD_OK)
    return rc;
  acct = xd_json_str(doc, "Account");
  arn = xd_json_str(doc, "Arn");
  if(!acct || strlen(acct) != 12)
    rc = xd_fail(e, XD_E_PARSE, "sts GetCallerIdentity: no 12-digit Account "
                 "in the answer");
  else {
    snprintf(id->account, sizeof(id->account), "%s", acct);
    snprintf(id->arn, sizeof(id->arn), "%s", arn ? arn : "");
  }
  cJSON_Delete(doc);
  return rc;
}

xd_rc aws_sts_assume_role(aws_ctx *c, const aws_target *t,
                          const char *role_arn, const char *session_name,
                          const char *external_id, aws_creds *out,
                          aws_api_error *ae, xd_err *e)
{
  aws_params p;
  cJSON *doc = NULL;
  aws_creds_fields f;
  xd_rc rc;

  memset(out, 0, sizeof(*out));
  aws_params_init(&p);
  aws_params_add(&p, "RoleArn", role_arn);
  aws_params_add(&p, "RoleSessionName", session_name);
  if(external_id)
    aws_params_add(&p, "ExternalId", external_id);
  rc = p.b.failed ? xd_fail(e, XD_E_NOMEM, "out of memory")
                  : aws_query_call(c, t, "AssumeRole", AWS_STS_VERSION, &p,
                                   NULL, &doc, ae, e);
  aws_params_free(&p);
  if(rc != XD_OK)
    return rc;
  aws_creds_fields_read(xd_json_object(doc, "Credentials"), "SessionToken",
                        &f);
  if(!f.akid || !f.secret || !f.token)
    rc = xd_fail(e, XD_E_PARSE, "sts AssumeRole: the answer lacks "
                 "Credentials");
  else if(f.expiration && !xd_iso8601_parse(f.expiration, &out->expiration))
    rc = xd_fail(e, XD_E_PARSE, "sts AssumeRole: Expiration '%s' is not ISO "
                 "8601", f.expiration);
  else {
    out->access_key_id = strdup(f.akid);
    out->secret_key = strdup(f.secret);
    out->session_token = strdup(f.token);
    if(!out->access_key_id || !out->secret_key || !out->session_token)
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
  }
  if(rc != XD_OK) {
    free(out->access_key_id);
    xd_wipe_free(out->secret_key);
    xd_wipe_free(out->session_token);
    memset(out, 0, sizeof(*out));
  }
  xd_json_wipe_delete(doc);  /* it held the new keys */
  return rc;
}
