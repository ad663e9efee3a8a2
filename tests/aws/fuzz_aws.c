/* tests/aws/fuzz_aws.c: libFuzzer harness for the parsers of what AWS (or
 * whatever answers at the endpoint) sends: the XML tree and its walk along
 * every response shape, error answers of every protocol, and IAM policy
 * decoding. The first byte picks the target. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../aws/internal.h"
#include "../../aws/shapes.h"
#include "../../aws/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const aws_shape_model *m;
  aws_xml_node *root = NULL;
  xd_err e;
  char *text;
  unsigned pick;

  if(size < 1)
    return 0;
  pick = data[0];
  data++;
  size--;
  text = malloc(size + 1);
  if(!text)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  if(pick < 200) {
    m = pick & 1 ? &aws_shapes_iam_sts : &aws_shapes_ec2;
    if(aws_xml_parse(text, size, &root, &e) == XD_OK) {
      cJSON *out = NULL;
      xd_buf b;
      xd_buf_init(&b);
      if(aws_shape_convert(m, m->ops[(pick >> 1) % m->n_ops].op, root, &out,
                           &e) == XD_OK)
        aws_json_cli_print(out, &b);
      cJSON_Delete(out);
      xd_buf_free(&b);
      aws_xml_free(root);
    }
  }
  else if(pick < 240) {
    aws_http_resp r;
    aws_api_error ae;
    xd_buf ab;
    memset(&r, 0, sizeof(r));
    xd_buf_init(&r.body);
    xd_buf_append(&r.body, data, size);
    r.status = 400 + (long)(pick & 0x1f);
    aws_error_parse(&r, &ae);
    xd_buf_init(&ab);
    aws_error_hint("ec2", "DescribeVpcs", &ae, &ab);
    aws_error_assume_role("arn:aws:iam::222222222222:role/x", &ae, &ab);
    xd_buf_free(&ab);
    xd_buf_free(&r.body);
  }
  else
    cJSON_Delete(aws_policy_decode(text));
  free(text);
  return 0;
}
