/* aws/query.c: the query protocol (EC2, IAM, STS): a form-encoded POST of
 * Action, Version and the parameters; an XML answer, turned into the AWS
 * CLI's JSON along the operation's shape; pages followed and merged by
 * pages.c. */
#include "internal.h"

#include <string.h>

#include "shapes.h"
#include "xml.h"

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

/* The call whose pages one_page() fetches. */
typedef struct {
  aws_ctx *c;
  const aws_target *t;
  const char *action, *version, *params;
  aws_api_error *ae;
} query_call;

/* One page: call, parse, convert (an aws_page_fn on a query_call). */
static xd_rc one_page(void *arg, const char *token_name, const char *token,
                      cJSON **out, xd_err *e)
{
  const query_call *q = arg;
  const aws_target *t = q->t;
  const char *action = q->action, *params = q->params;
  aws_params form;
  xd_buf body;
  aws_xml_node *root = NULL;
  xd_rc rc;

  aws_params_init(&form);
  xd_buf_init(&body);
  aws_params_add(&form, "Action", action);
  aws_params_add(&form, "Version", q->version);
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
  rc = aws_request(q->c, t, action,
                   "application/x-www-form-urlencoded; charset=utf-8", NULL,
                   form.b.data, form.b.len, &body, q->ae, e);
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

xd_rc aws_query_call(aws_ctx *c, const aws_target *t, const char *action,
                     const char *version, const aws_params *params,
                     const aws_pager *pg, cJSON **out, aws_api_error *ae,
                     xd_err *e)
{
  query_call q = {c, t, action, version,
                  params ? xd_buf_str(&params->b) : "", ae};

  *out = NULL;
  if(!pg)
    return one_page(&q, NULL, NULL, out, e);
  return aws_pages(t, action, pg, one_page, &q, out, e);
}
