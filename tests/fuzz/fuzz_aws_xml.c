/* tests/fuzz/fuzz_aws_xml.c: the XML answers of EC2, IAM and STS, as
 * aws/ reads them off the wire: aws_xml_parse (expat into a tree), then
 * aws_shape_convert into the JSON the AWS CLI prints (IAM policy
 * documents URL-decoded), then aws_json_cli_print, whose text becomes a
 * snapshot file, so it must parse again. The same bytes are also read as
 * an error answer (aws_error_parse, XML or JSON) and made into the
 * sentences a person reads: those must stay valid UTF-8 without control
 * characters. The first byte picks the operation (EC2's, then IAM's and
 * STS's, in the order of aws/shapes_*.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/internal.h"
#include "aws/shapes.h"
#include "aws/xml.h"
#include "common/jsonutil.h"
#include "fuzz_util.h"

static void clean_text(const char *s, size_t n, const char *what)
{
  size_t l = strnlen(s, n);
  if(l == n || !xd_utf8_valid(s, l, NULL)) {
    fprintf(stderr, "%s is not a valid string\n", what);
    abort();
  }
  for(size_t i = 0; i < l; i++)
    if((unsigned char)s[i] < 0x20 && s[i] != '\t') {
      fprintf(stderr, "%s holds a control character\n", what);
      abort();
    }
}

static void as_error(const uint8_t *data, size_t size, const char *service,
                     const char *op)
{
  aws_http_resp resp;
  aws_api_error ae;
  xd_buf b;
  memset(&resp, 0, sizeof(resp));
  xd_buf_init(&resp.body);
  if(xd_buf_append(&resp.body, data, size) != XD_OK)
    return;
  resp.status = 400 + (long)(size % 200);
  aws_error_parse(&resp, &ae);
  clean_text(ae.code, sizeof(ae.code), "code");
  clean_text(ae.message, sizeof(ae.message), "message");
  clean_text(ae.request_id, sizeof(ae.request_id), "request id");
  xd_buf_init(&b);
  aws_error_hint(service, op, &ae, &b);
  aws_error_assume_role("arn:aws:iam::222222222222:role/R", &ae, &b);
  (void)aws_error_retryable(&ae);
  (void)aws_error_expired(&ae);
  xd_buf_free(&b);
  aws_http_resp_free(&resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const aws_shape_model *model;
  size_t k, total = aws_shapes_ec2.n_ops + aws_shapes_iam_sts.n_ops;
  const char *op, *service;
  aws_xml_node *root = NULL;
  cJSON *doc = NULL, *back = NULL;
  xd_err e = {0};
  xd_buf text;
  if(size < 1)
    return 0;
  k = data[0] % total;
  data++;
  size--;
  if(k < aws_shapes_ec2.n_ops) {
    model = &aws_shapes_ec2;
    service = "ec2";
  }
  else {
    k -= aws_shapes_ec2.n_ops;
    model = &aws_shapes_iam_sts;
    service = "iam";
  }
  op = model->ops[k].op;
  as_error(data, size, service, op);
  if(aws_xml_parse((const char *)data, size, &root, &e) != XD_OK) {
    if(!e.msg[0])
      abort();
    return 0;
  }
  (void)aws_xml_find(root, "Error");
  xd_buf_init(&text);
  if(aws_shape_convert(model, op, root, &doc, &e) == XD_OK) {
    if(aws_json_cli_print(doc, &text) == XD_OK &&
       xd_json_parse_text("printed", text.data ? text.data : "", text.len,
                          &back, &e) != XD_OK) {
      fprintf(stderr, "what fetch would write does not parse: %s\n", e.msg);
      abort();
    }
  }
  else if(!e.msg[0])
    abort();
  cJSON_Delete(back);
  cJSON_Delete(doc);
  xd_buf_free(&text);
  aws_xml_free(root);
  return 0;
}
