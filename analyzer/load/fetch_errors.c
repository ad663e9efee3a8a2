/* analyzer/load/fetch_errors.c: fetch-errors.json, the calls that failed
 * while the snapshot was taken. xacct-doctor fetch writes each entry with
 * the IAM action, whose access made the call and AWS's own message;
 * docs/collect.sh writes fewer fields (the AWS CLI's message holds the
 * code), so what is absent is worked out from what is there. A refusal is
 * evidence the analyzer reports (analyzer/findings/refusals.c); the file
 * is outside input like any other, so a wrong type is an error naming the
 * file and field, and unknown keys are ignored (a newer fetch may add
 * some). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../snapshot_priv.h"

#define FETCH_ERRORS_SCHEMA "xacct-doctor.fetch-errors/"

static const char *const refusal_codes[] = {
  "AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
  "UnauthorizedAccess", "AuthorizationError", NULL};

static bool is_refusal(const char *code)
{
  for(size_t i = 0; code && refusal_codes[i]; i++)
    if(!strcmp(code, refusal_codes[i]))
      return true;
  return false;
}

/* The code in the AWS CLI's "An error occurred (CODE) when calling ...". */
static char *code_from_cli(az_ld *L, const char *msg)
{
  const char *p = msg ? strstr(msg, "An error occurred (") : NULL;
  char code[128];
  size_t n;
  if(!p)
    return NULL;
  p += strlen("An error occurred (");
  n = strcspn(p, ")");
  if(!n || n >= sizeof(code) || !p[n])
    return NULL;
  memcpy(code, p, n);
  code[n] = '\0';
  return xd_arena_strdup(&L->m->arena, code);
}

/* "ec2 describe-vpcs" or "ec2 DescribeVpcs" -> "ec2:DescribeVpcs" (emr is
 * elasticmapreduce to IAM). NULL when call is not "SERVICE OPERATION". */
static char *action_from_call(az_ld *L, const char *call)
{
  char out[160];
  size_t o = 0, sl;
  const char *sp = call ? strchr(call, ' ') : NULL;
  bool up = true;
  if(!sp || sp == call || !sp[1] || strchr(sp + 1, ' '))
    return NULL;
  sl = (size_t)(sp - call);
  if(sl == 3 && !strncmp(call, "emr", 3))
    o = (size_t)snprintf(out, sizeof(out), "elasticmapreduce:");
  else
    o = (size_t)snprintf(out, sizeof(out), "%.*s:", (int)(sl < 40 ? sl : 40),
                         call);
  for(const char *p = sp + 1; *p && o + 1 < sizeof(out); p++) {
    if(*p == '-') {
      up = true;
      continue;
    }
    out[o++] = up ? (char)toupper((unsigned char)*p) : *p;
    up = false;
  }
  out[o] = '\0';
  return xd_arena_strdup(&L->m->arena, out);
}

static xd_rc read_entry(az_ld *L, const cJSON *it, void *ctx)
{
  az_fetch_error *fe;
  bool present;
  long status;
  xd_rc rc;
  (void)ctx;
  fe = LD_SLOT(L, L->m->fetch_errors, L->m->n_fetch_errors,
               L->cap_fetch_errors);
  if(!fe)
    return ld_nomem(L);
  fe->src = L->rel;
  if((rc = ld_str(L, it, "account", false, &fe->account)) ||
     (rc = ld_str(L, it, "region", false, &fe->region)) ||
     (rc = ld_str(L, it, "call", false, &fe->call)) ||
     (rc = ld_str(L, it, "action", false, &fe->action)) ||
     (rc = ld_str(L, it, "file", false, &fe->file)) ||
     (rc = ld_str(L, it, "code", false, &fe->code)) ||
     (rc = ld_str(L, it, "message", false, &fe->message)) ||
     (rc = ld_str(L, it, "aws_message", false, &fe->aws_message)) ||
     (rc = ld_str(L, it, "role", false, &fe->role)) ||
     (rc = ld_str(L, it, "access", false, &fe->access)) ||
     (rc = ld_str(L, it, "caller", false, &fe->caller)) ||
     (rc = ld_bool(L, it, "optional", false, &fe->optional)) ||
     (rc = ld_long(L, it, "http_status", 0, 999, "an HTTP status",
                   &present, &status)))
    return rc;
  if(fe->account && !*fe->account)
    fe->account = NULL;
  if(!fe->code)
    fe->code = code_from_cli(L, fe->message);
  if(!fe->action)
    fe->action = action_from_call(L, fe->call);
  fe->refused = is_refusal(fe->code);
  return XD_OK;
}

xd_rc ld_fetch_errors(az_ld *L)
{
  cJSON *root = NULL;
  const cJSON *arr;
  char *schema = NULL;
  xd_rc rc = ld_open(L, "fetch-errors.json", NULL, &root);
  if(rc != XD_OK || !root)
    return rc;
  if(!cJSON_IsObject(root)) {
    rc = ld_fail(L, XD_E_PARSE, NULL, "expected a JSON object with "
                 "\"schema\" and \"errors\" (what xacct-doctor fetch "
                 "writes)");
    goto done;
  }
  if((rc = ld_str(L, root, "schema", false, &schema)) != XD_OK)
    goto done;
  if(schema && strncmp(schema, FETCH_ERRORS_SCHEMA,
                       strlen(FETCH_ERRORS_SCHEMA))) {
    rc = ld_bad_value(L, "schema", schema, "xacct-doctor.fetch-errors/1");
    goto done;
  }
  if((rc = ld_array(L, root, "errors", &arr)) != XD_OK)
    goto done;
  rc = ld_each(L, arr, "errors", read_entry, NULL);
done:
  ld_close(L, root);
  return rc;
}
