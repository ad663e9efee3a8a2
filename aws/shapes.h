/* aws/shapes.h: the response shapes of the XML services (EC2 query, AWS
 * query), taken from botocore's models by aws/tools/gen_shapes.py. They
 * say which element is a list, which a number or a boolean, and what key
 * the AWS CLI prints for it (vpcSet -> Vpcs), so the XML answers turn into
 * the very JSON `aws ec2 describe-vpcs --output json` prints. */
#ifndef AWS_SHAPES_H
#define AWS_SHAPES_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "../common/xd_error.h"
#include "xml.h"

/* A shape index below AWS_SK_STRUCT is that scalar kind itself; a model's
 * table holds the structures and lists, shape AWS_SK_STRUCT + i at i. */
typedef enum {
  AWS_SK_STRING = 0,
  AWS_SK_BOOLEAN,
  AWS_SK_INTEGER,
  AWS_SK_FLOAT,
  AWS_SK_TIMESTAMP,  /* printed as on the wire, as the AWS CLI v1 does */
  AWS_SK_BLOB,       /* base64 text, as the AWS CLI prints it */
  AWS_SK_POLICY,     /* IAM policy document: URL-encoded JSON, decoded */
  AWS_SK_STRUCT,
  AWS_SK_LIST
} aws_shape_kind;

typedef struct {
  const char *name;  /* the CLI's key */
  const char *xml;   /* the element name, NULL when equal to name */
  unsigned short shape;
} aws_shape_member;

typedef struct {
  unsigned char kind;    /* aws_shape_kind */
  unsigned short first;  /* struct: first member; list: the item shape */
  unsigned short count;  /* struct: number of members */
} aws_shape;

typedef struct {
  const char *op;        /* "DescribeVpcs" */
  unsigned short shape;  /* the output shape */
  const char *wrapper;   /* AWS query's <OpResult> element, NULL for EC2 */
} aws_shape_op;

typedef struct {
  const aws_shape *shapes;
  const aws_shape_member *members;
  const aws_shape_op *ops;
  size_t n_ops;
} aws_shape_model;

extern const aws_shape_model aws_shapes_ec2;
extern const aws_shape_model aws_shapes_iam_sts;

/* Convert the XML answer root of operation op into the JSON the AWS CLI
 * prints for it (without ResponseMetadata). *out is the caller's to
 * cJSON_Delete. XD_E_NOTFOUND when op is not in model (a bug), XD_E_PARSE
 * when the answer lacks the result element. */
xd_rc aws_shape_convert(const aws_shape_model *model, const char *op,
                        const aws_xml_node *root, cJSON **out, xd_err *e);

/* botocore's decode_quoted_jsondoc: URL-decode s and parse it as JSON;
 * when that fails, a string item holding s unchanged. NULL only when out
 * of memory. */
cJSON *aws_policy_decode(const char *s);

#endif
