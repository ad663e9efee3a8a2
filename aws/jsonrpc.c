/* aws/jsonrpc.c: the JSON 1.1 protocol (EMR, SageMaker): a POST of the
 * input as JSON, X-Amz-Target naming the operation; the answer is already
 * the JSON the CLI prints, so only the pages need merging. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"

/* The call whose pages one_page() fetches. */
typedef struct {
  aws_ctx *c;
  const aws_target *t;
  const char *prefix, *op;
  const cJSON *input;
  aws_api_error *ae;
} json_call;

/* One page (an aws_page_fn on a json_call). */
static xd_rc one_page(void *arg, const char *token_name, const char *token,
                      cJSON **out, xd_err *e)
{
  const json_call *j = arg;
  const aws_target *t = j->t;
  const char *op = j->op;
  cJSON *in = j->input ? cJSON_Duplicate(j->input, 1) : cJSON_CreateObject();
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
  snprintf(target, sizeof(target), "%s.%s", j->prefix, op);
  rc = aws_request(j->c, t, op, "application/x-amz-json-1.1", target, body,
                   strlen(body), &answer, j->ae, e);
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
  json_call j = {c, t, prefix, op, input, ae};

  *out = NULL;
  if(!pg)
    return one_page(&j, NULL, NULL, out, e);
  return aws_pages(t, op, pg, one_page, &j, out, e);
}
