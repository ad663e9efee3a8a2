/* tests/aws/aws_xml_tool.c: convert XML answers the way the client does.
 *
 * stdin:  [{"service": "ec2"|"iam"|"sts", "op": "DescribeVpcs",
 *           "xml": "..."}, ...]
 * stdout: [<the JSON as printed by aws_json_cli_print, parsed back> |
 *          {"error": "..."}, ...] */
#include <string.h>

#include "../../aws/internal.h"
#include "../../aws/shapes.h"
#include "../../aws/xml.h"
#include "../../common/jsonutil.h"
#include "tool_io.h"

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
  return tool_map_stdin("aws_xml_tool", convert);
}
