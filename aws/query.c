/* aws/query.c: the query protocol (EC2, IAM, STS): a form-encoded POST of
 * Action, Version and the parameters; an XML answer, turned into the AWS
 * CLI's JSON along the operation's shape; pages followed and merged as the
 * CLI's paginator does (build_full_result: the result keys concatenated,
 * the tokens dropped). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "../common/log.h"
#include "shapes.h"
#include "xml.h"

/* A server that keeps answering with more pages is cut off here. */
#define MAX_PAGES 10000

void aws_params_init(aws_params *p)
{
  xd_buf_init(&p->b);
}

void aws_params_add(aws_params *p, const char *key, const char *value)
{
  if(p->b.len)
    xd_buf_putc(&p->b, '&');
  aws_uri_encode(&p->b, key, strlen(key), 0);
  xd_buf_putc(&p->b, '=');
  aws_uri_encode(&p->b, value, strlen(value), 0);
}

void aws_params_free(aws_params *p)
{
  xd_buf_free(&p->b);
}

static const aws_shape_model *model_for(const char *service)
{
  return !strcmp(service, "ec2") ? &aws_shapes_ec2 : &aws_shapes_iam_sts;
}

/* One page: call, parse, convert. */
static xd_rc one_page(aws_ctx *c, const aws_target *t, const char *action,
                      const char *version, const char *params,
                      const char *token_name, const char *token, cJSON **out,
                      aws_api_error *ae, xd_err *e)
{
  aws_params form;
  xd_buf body;
  aws_xml_node *root = NULL;
  xd_rc rc;

  aws_params_init(&form);
  xd_buf_init(&body);
  aws_params_add(&form, "Action", action);
  aws_params_add(&form, "Version", version);
  if(params && *params) {
    xd_buf_putc(&form.b, '&');
    xd_buf_puts(&form.b, params);
  }
  if(token)
    aws_params_add(&form, token_name, token);
  if(form.b.failed) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  rc = aws_request(c, t, action,
                   "application/x-www-form-urlencoded; charset=utf-8", NULL,
                   form.b.data, form.b.len, &body, ae, e);
  if(rc != XD_OK)
    goto done;
  rc = aws_xml_parse(body.data ? body.data : "", body.len, &root, e);
  if(rc == XD_OK)
    rc = aws_shape_convert(model_for(t->service), action, root, out, e);
  if(rc != XD_OK)
    xd_err_prefix(e, "%s %s: ", t->service, action);
done:
  aws_xml_free(root);
  aws_params_free(&form);
  xd_buf_free(&body);
  return rc;
}

/* Move the result keys of page into acc (creating them on first sight). */
static void merge_page(cJSON *acc, cJSON *page, const char *const *keys)
{
  for(const char *const *k = keys; *k; k++) {
    cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(page, *k);
    cJSON *have;
    if(!v)
      continue;
    have = cJSON_GetObjectItemCaseSensitive(acc, *k);
    if(!have || !cJSON_IsArray(have) || !cJSON_IsArray(v)) {
      if(have)
        cJSON_DeleteItemFromObjectCaseSensitive(acc, *k);
      cJSON_AddItemToObject(acc, *k, v);
      continue;
    }
    while(cJSON_GetArraySize(v) > 0)
      cJSON_AddItemToArray(have, cJSON_DetachItemFromArray(v, 0));
    cJSON_Delete(v);
  }
}

xd_rc aws_query_call(aws_ctx *c, const aws_target *t, const char *action,
                     const char *version, const aws_params *params,
                     const aws_pager *pg, cJSON **out, aws_api_error *ae,
                     xd_err *e)
{
  cJSON *acc = NULL, *page = NULL;
  char *token = NULL;
  xd_rc rc = XD_OK;
  const char *ps = params ? xd_buf_str(&params->b) : "";

  *out = NULL;
  if(!pg)
    return one_page(c, t, action, version, ps, NULL, NULL, out, ae, e);
  acc = cJSON_CreateObject();
  if(!acc)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  for(int n = 0;; n++) {
    const char *next;
    bool more;
    if(n >= MAX_PAGES) {
      rc = xd_fail(e, XD_E_PARSE, "%s %s: more than %d pages; stopped",
                   t->service, action, MAX_PAGES);
      break;
    }
    rc = one_page(c, t, action, version, ps, pg->in_token, token, &page, ae,
                  e);
    if(rc != XD_OK)
      break;
    next = xd_json_str(page, pg->out_token);
    more = next && *next;
    if(pg->more) {
      bool truncated = false;
      more = more && xd_json_bool(page, pg->more, &truncated) && truncated;
    }
    if(more && token && !strcmp(token, next)) {
      rc = xd_fail(e, XD_E_PARSE, "%s %s: the service sent the same page "
                   "token twice", t->service, action);
      break;
    }
    free(token);
    token = more ? strdup(next) : NULL;
    merge_page(acc, page, pg->keys);
    cJSON_Delete(page);
    page = NULL;
    if(!more)
      break;
    if(!token) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      break;
    }
    xd_log_debug("%s %s: page %d", t->service, action, n + 2);
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
