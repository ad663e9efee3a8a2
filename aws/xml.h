/* aws/xml.h: AWS XML answers parsed with expat into a small tree. Names
 * lose their namespace ("http://ec2.amazonaws.com/doc/2016-11-15/}vpcSet"
 * becomes "vpcSet"), as botocore strips them. A DOCTYPE is refused (no
 * entity can expand), and so is nesting deeper than AWS_XML_MAX_DEPTH. */
#ifndef AWS_XML_H
#define AWS_XML_H

#include <stddef.h>

#include "../common/xd_error.h"

#define AWS_XML_MAX_DEPTH 64

typedef struct aws_xml_node {
  char *name;                   /* local name */
  char *text;                   /* character data before the first child
                                   (all of it for a leaf); never NULL */
  struct aws_xml_node *child;   /* first child element */
  struct aws_xml_node *next;    /* next sibling */
} aws_xml_node;

/* Parse len bytes of XML; *root is the document element, to be released
 * with aws_xml_free(). Errors name the line. */
xd_rc aws_xml_parse(const char *data, size_t len, aws_xml_node **root,
                    xd_err *e);
/* Free a tree from aws_xml_parse (NULL is fine). */
void aws_xml_free(aws_xml_node *root);
/* The first child element of n named name, or NULL. */
const aws_xml_node *aws_xml_child(const aws_xml_node *n, const char *name);
/* The first element named name at any depth below n (breadth first), or
 * NULL: for error answers whose nesting differs by service. */
const aws_xml_node *aws_xml_find(const aws_xml_node *n, const char *name);

#endif
