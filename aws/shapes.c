/* aws/shapes.c: an XML answer walked along its botocore shape. Each rule
 * is botocore's (parsers.py), so the JSON matches what the AWS CLI prints:
 * a structure takes only the members its shape names, in the model's
 * order, from the first child element of that name; a list takes every
 * child element (<item> in EC2, <member> in IAM and STS); an empty element
 * is the empty string; a boolean is true only for "true". */
#include "shapes.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "../common/urlenc.h"

cJSON *aws_policy_decode(const char *s)
{
  char *text;
  size_t n;
  cJSON *doc = NULL;
  xd_err e = {0};

  /* urllib's unquote: %XX only ('+' stays), a bad escape stays as is */
  if(xd_url_decode(s, false, &text, &n, NULL) != XD_OK)
    return NULL;
  /* json.loads accepts any JSON value; an invalid one keeps the string */
  if(xd_json_parse_text("policy", text, n, &doc, &e) != XD_OK)
    doc = cJSON_CreateString(s);
  free(text);
  return doc;
}

static cJSON *scalar(unsigned kind, const char *text)
{
  char *end;
  switch(kind) {
  case AWS_SK_BOOLEAN:
    return cJSON_CreateBool(!strcmp(text, "true"));
  case AWS_SK_INTEGER: {
    long long v;
    errno = 0;
    v = strtoll(text, &end, 10);
    /* botocore would raise on junk; keeping the text loses nothing */
    if(errno || end == text || *end)
      return cJSON_CreateString(text);
    return cJSON_CreateNumber((double)v);
  }
  case AWS_SK_FLOAT: {
    double v;
    errno = 0;
    v = strtod(text, &end);
    if(errno || end == text || *end)
      return cJSON_CreateString(text);
    return cJSON_CreateNumber(v);
  }
  case AWS_SK_POLICY:
    return aws_policy_decode(text);
  default: /* string, timestamp, blob: the text as on the wire */
    return cJSON_CreateString(text);
  }
}

static cJSON *walk(const aws_shape_model *m, unsigned shape,
                   const aws_xml_node *n, int depth)
{
  const aws_shape *s;
  cJSON *out;
  if(depth > AWS_XML_MAX_DEPTH)
    return NULL;
  if(shape < AWS_SK_STRUCT)
    return scalar(shape, n->text);
  s = &m->shapes[shape - AWS_SK_STRUCT];
  if(s->kind == AWS_SK_LIST) {
    out = cJSON_CreateArray();
    for(const aws_xml_node *c = n->child; out && c; c = c->next) {
      cJSON *item = walk(m, s->first, c, depth + 1);
      if(!item) {
        cJSON_Delete(out);
        return NULL;
      }
      cJSON_AddItemToArray(out, item);
    }
    return out;
  }
  out = cJSON_CreateObject();
  for(unsigned i = 0; out && i < s->count; i++) {
    const aws_shape_member *mem = &m->members[s->first + i];
    const aws_xml_node *c = aws_xml_child(n, mem->xml ? mem->xml : mem->name);
    cJSON *v;
    if(!c)
      continue;
    v = walk(m, mem->shape, c, depth + 1);
    if(!v) {
      cJSON_Delete(out);
      return NULL;
    }
    cJSON_AddItemToObject(out, mem->name, v);
  }
  return out;
}

xd_rc aws_shape_convert(const aws_shape_model *model, const char *op,
                        const aws_xml_node *root, cJSON **out, xd_err *e)
{
  const aws_shape_op *o = NULL;
  const aws_xml_node *start = root;
  *out = NULL;
  for(size_t i = 0; i < model->n_ops; i++)
    if(!strcmp(model->ops[i].op, op))
      o = &model->ops[i];
  if(!o)
    return xd_fail(e, XD_E_NOTFOUND, "no response shape for %s", op);
  if(o->wrapper) {
    start = aws_xml_child(root, o->wrapper);
    if(!start)
      return xd_fail(e, XD_E_PARSE, "%s answer lacks <%s>", op, o->wrapper);
  }
  *out = walk(model, o->shape, start, 0);
  if(!*out)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  return XD_OK;
}
