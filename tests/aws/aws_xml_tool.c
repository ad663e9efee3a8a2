/* tests/aws/aws_xml_tool.c: convert XML answers the way the client does.
 *
 * stdin:  [{"service": "ec2"|"iam"|"sts", "op": "DescribeVpcs",
 *           "xml": "..."}, ...]
 * stdout: [<the JSON as printed by aws_json_cli_print, parsed back> |
 *          {"error": "..."}, ...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../aws/internal.h"
#include "../../aws/shapes.h"
#include "../../aws/xml.h"
#include "../../common/jsonutil.h"

static cJSON *convert(const cJSON *c)
{
  const char *svc = xd_json_str(c, "service"), *op = xd_json_str(c, "op");
  const char *xml = xd_json_str(c, "xml");
  aws_xml_node *root = NULL;
  cJSON *doc = NULL, *res;
  xd_err e = {0};
  xd_buf text;
  xd_buf_init(&text);
  if(aws_xml_parse(xml, strlen(xml), &root, &e) != XD_OK ||
     aws_shape_convert(!strcmp(svc, "ec2") ? &aws_shapes_ec2
                                           : &aws_shapes_iam_sts,
                       op, root, &doc, &e) != XD_OK ||
     aws_json_cli_print(doc, &text) != XD_OK ||
     xd_json_parse_text("printed", text.data, text.len, &res, &e) != XD_OK) {
    res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "error", e.msg);
  }
  aws_xml_free(root);
  cJSON_Delete(doc);
  xd_buf_free(&text);
  return res;
}

int main(void)
{
  xd_buf in;
  char chunk[65536];
  size_t got;
  cJSON *cases = NULL, *c, *out;
  xd_err e = {0};
  char *text;
  xd_buf_init(&in);
  while((got = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
    xd_buf_append(&in, chunk, got);
  if(xd_json_parse_text("stdin", xd_buf_str(&in), in.len, &cases, &e) != XD_OK) {
    fprintf(stderr, "aws_xml_tool: %s\n", e.msg);
    return 2;
  }
  out = cJSON_CreateArray();
  cJSON_ArrayForEach(c, cases)
    cJSON_AddItemToArray(out, convert(c));
  text = cJSON_PrintUnformatted(out);
  fputs(text, stdout);
  fputc('\n', stdout);
  free(text);
  cJSON_Delete(out);
  cJSON_Delete(cases);
  xd_buf_free(&in);
  return 0;
}
