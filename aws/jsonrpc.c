/* aws/jsonrpc.c: the JSON 1.1 protocol (EMR, SageMaker): a POST of the
 * input as JSON, X-Amz-Target naming the operation; the answer is already
 * the JSON the CLI prints, so only the pages need merging. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "../common/log.h"

#define MAX_PAGES 10000

static xd_rc one_page(aws_ctx *c, const aws_target *t, const char *prefix,
                      const char *op, const cJSON *input,
                      const char *token_name, const char *token, cJSON **out,
                      aws_api_error *ae, xd_err *e)
{
  cJSON *in = input ? cJSON_Duplicate(input, 1) : cJSON_CreateObject();
  char *body = NULL, target[128];
  xd_buf answer;
  xd_rc rc;

  xd_buf_init(&answer);
  *out = NULL;
  if(in && token && !xd_json_add_str(in, token_name, token)) {
    cJSON_Delete(in);
    in = NULL;
  }
  body = in ? cJSON_PrintUnformatted(in) : NULL;
  cJSON_Delete(in);
  if(!body)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  snprintf(target, sizeof(target), "%s.%s", prefix, op);
  rc = aws_request(c, t, op, "application/x-amz-json-1.1", target, body,
                   strlen(body), &answer, ae, e);
  if(rc == XD_OK) {
    char label[160];
    snprintf(label, sizeof(label), "%s %s answer", t->service, op);
    rc = xd_json_parse_text(label, answer.data ? answer.data : "", answer.len,
                            out, e);
    if(rc == XD_OK && !cJSON_IsObject(*out)) {
      cJSON_Delete(*out);
      *out = NULL;
      rc = xd_fail(e, XD_E_PARSE, "%s is not a JSON object", label);
    }
  }
  free(body);
  xd_buf_free(&answer);
  return rc;
}

xd_rc aws_json_call(aws_ctx *c, const aws_target *t, const char *prefix,
                    const char *op, const cJSON *input, const aws_pager *pg,
                    cJSON **out, aws_api_error *ae, xd_err *e)
{
  cJSON *acc = NULL, *page = NULL;
  char *token = NULL;
  xd_rc rc = XD_OK;

  *out = NULL;
  if(!pg)
    return one_page(c, t, prefix, op, input, NULL, NULL, out, ae, e);
  acc = cJSON_CreateObject();
  if(!acc)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  for(int n = 0;; n++) {
    const char *next;
    bool more;
    if(n >= MAX_PAGES) {
      rc = xd_fail(e, XD_E_PARSE, "%s %s: more than %d pages; stopped",
                   t->service, op, MAX_PAGES);
      break;
    }
    rc = one_page(c, t, prefix, op, input, pg->in_token, token, &page, ae, e);
    if(rc != XD_OK)
      break;
    next = xd_json_str(page, pg->out_token);
    if(next && *next && token && !strcmp(token, next)) {
      rc = xd_fail(e, XD_E_PARSE, "%s %s: the service sent the same page "
                   "token twice", t->service, op);
      break;
    }
    more = next && *next;
    free(token);
    token = more ? strdup(next) : NULL;
    for(const char *const *k = pg->keys; *k; k++) {
      cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(page, *k);
      cJSON *have = cJSON_GetObjectItemCaseSensitive(acc, *k);
      if(!v)
        continue;
      if(have && cJSON_IsArray(have) && cJSON_IsArray(v)) {
        while(cJSON_GetArraySize(v) > 0)
          cJSON_AddItemToArray(have, cJSON_DetachItemFromArray(v, 0));
        cJSON_Delete(v);
      }
      else {
        cJSON_DeleteItemFromObjectCaseSensitive(acc, *k);
        cJSON_AddItemToObject(acc, *k, v);
      }
    }
    cJSON_Delete(page);
    page = NULL;
    if(!more)
      break;
    if(!token) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      break;
    }
    xd_log_debug("%s %s: page %d", t->service, op, n + 2);
  }
  free(token);
  cJSON_Delete(page);
  if(rc != XD_OK) {
    cJSON_Delete(acc);
    return rc;
  }
  *out = acc;
  return XD_OK;
}
