/* aws/xml.c: expat into a tree of elements. The answers are small enough
 * (a page of an EC2 describe call) that a tree is simpler than streaming,
 * and the shape walker needs random access to children anyway. */
#include "xml.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "../common/buf.h"

typedef struct {
  aws_xml_node *node;
  aws_xml_node *last_child;
  xd_buf text;
} open_elem;

typedef struct {
  XML_Parser p;
  open_elem stack[AWS_XML_MAX_DEPTH];
  int depth;
  aws_xml_node *root;
  bool nomem, too_deep, doctype;
} xml_state;

static void free_node(aws_xml_node *n)
{
  while(n) {
    aws_xml_node *next = n->next;
    free_node(n->child);
    free(n->name);
    free(n->text);
    free(n);
    n = next;
  }
}

void aws_xml_free(aws_xml_node *root)
{
  free_node(root);
}

static void stop(xml_state *s)
{
  XML_StopParser(s->p, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts)
{
  xml_state *s = ud;
  const char *local = strrchr(name, '}');
  aws_xml_node *n;
  (void)atts;
  if(s->depth >= AWS_XML_MAX_DEPTH) {
    s->too_deep = true;
    stop(s);
    return;
  }
  n = calloc(1, sizeof(*n));
  if(!n || !(n->name = strdup(local ? local + 1 : name))) {
    free(n);
    s->nomem = true;
    stop(s);
    return;
  }
  if(s->depth == 0) {
    if(s->root) { /* expat refuses a second root; be safe anyway */
      free_node(n);
      stop(s);
      return;
    }
    s->root = n;
  }
  else {
    open_elem *parent = &s->stack[s->depth - 1];
    if(parent->last_child)
      parent->last_child->next = n;
    else
      parent->node->child = n;
    parent->last_child = n;
  }
  s->stack[s->depth].node = n;
  s->stack[s->depth].last_child = NULL;
  xd_buf_init(&s->stack[s->depth].text);
  s->depth++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
  xml_state *s = ud;
  open_elem *o;
  (void)name;
  if(s->depth <= 0)
    return;
  o = &s->stack[--s->depth];
  o->node->text = o->text.len ? xd_buf_steal(&o->text) : strdup("");
  xd_buf_free(&o->text);
  if(!o->node->text) {
    s->nomem = true;
    stop(s);
  }
}

static void XMLCALL on_text(void *ud, const XML_Char *t, int len)
{
  xml_state *s = ud;
  open_elem *o;
  if(s->depth <= 0)
    return;
  o = &s->stack[s->depth - 1];
  /* ElementTree's .text: only what comes before the first child */
  if(o->last_child)
    return;
  if(xd_buf_append(&o->text, t, (size_t)len) != XD_OK) {
    s->nomem = true;
    stop(s);
  }
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name,
                               const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal_subset)
{
  xml_state *s = ud;
  (void)name; (void)sysid; (void)pubid; (void)has_internal_subset;
  s->doctype = true;
  stop(s);
}

xd_rc aws_xml_parse(const char *data, size_t len, aws_xml_node **root,
                    xd_err *e)
{
  xml_state s;
  xd_rc rc = XD_OK;
  enum XML_Status st;

  memset(&s, 0, sizeof(s));
  *root = NULL;
  if(len > (size_t)0x7fffffff)
    return xd_fail(e, XD_E_PARSE, "XML answer too large");
  s.p = XML_ParserCreateNS(NULL, '}');
  if(!s.p)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  XML_SetUserData(s.p, &s);
  XML_SetElementHandler(s.p, on_start, on_end);
  XML_SetCharacterDataHandler(s.p, on_text);
  XML_SetStartDoctypeDeclHandler(s.p, on_doctype);
  st = XML_Parse(s.p, data, (int)len, XML_TRUE);
  if(s.nomem)
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
  else if(s.doctype)
    rc = xd_fail(e, XD_E_PARSE, "XML answer has a DOCTYPE (refused)");
  else if(s.too_deep)
    rc = xd_fail(e, XD_E_PARSE, "XML answer nests deeper than %d",
                 AWS_XML_MAX_DEPTH);
  else if(st != XML_STATUS_OK)
    rc = xd_fail(e, XD_E_PARSE, "XML answer is not well-formed: %s at line %lu",
                 XML_ErrorString(XML_GetErrorCode(s.p)),
                 (unsigned long)XML_GetCurrentLineNumber(s.p));
  else if(!s.root)
    rc = xd_fail(e, XD_E_PARSE, "XML answer has no element");
  while(s.depth > 0)
    xd_buf_free(&s.stack[--s.depth].text);
  XML_ParserFree(s.p);
  if(rc != XD_OK)
    free_node(s.root);
  else
    *root = s.root;
  return rc;
}

const aws_xml_node *aws_xml_child(const aws_xml_node *n, const char *name)
{
  for(const aws_xml_node *c = n ? n->child : NULL; c; c = c->next)
    if(!strcmp(c->name, name))
      return c;
  return NULL;
}

const aws_xml_node *aws_xml_find(const aws_xml_node *n, const char *name)
{
  /* answers are shallow; a depth-limited search level by level keeps the
   * nearest match without a queue */
  for(int depth = 1; n && depth <= 4; depth++) {
    const aws_xml_node *stack[5];
    int sp = 0;
    stack[0] = n->child;
    while(sp >= 0) {
      const aws_xml_node *c = stack[sp];
      if(!c) {
        sp--;
        if(sp >= 0)
          stack[sp] = stack[sp]->next;
        continue;
      }
      if(sp == depth - 1) {
        if(!strcmp(c->name, name))
          return c;
        stack[sp] = c->next;
      }
      else {
        stack[sp + 1] = c->child;
        sp++;
      }
    }
  }
  return NULL;
}
