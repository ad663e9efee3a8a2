/* aws/jsonout.c: JSON printed as the AWS CLI prints it (Python's
 * json.dumps with indent 4 and ensure_ascii off), so a file fetch writes
 * and one docs/collect.sh writes can be compared with diff. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void indent(xd_buf *b, int level)
{
  for(int i = 0; i < level * 4; i++)
    xd_buf_putc(b, ' ');
}

static void put_string(xd_buf *b, const char *s)
{
  xd_buf_putc(b, '"');
  for(const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
    switch(*p) {
    case '"': xd_buf_puts(b, "\\\""); break;
    case '\\': xd_buf_puts(b, "\\\\"); break;
    case '\n': xd_buf_puts(b, "\\n"); break;
    case '\r': xd_buf_puts(b, "\\r"); break;
    case '\t': xd_buf_puts(b, "\\t"); break;
    case '\b': xd_buf_puts(b, "\\b"); break;
    case '\f': xd_buf_puts(b, "\\f"); break;
    default:
      if(*p < 0x20)
        xd_buf_printf(b, "\\u%04x", *p);
      else
        xd_buf_putc(b, (char)*p);
    }
  }
  xd_buf_putc(b, '"');
}

static void put_number(xd_buf *b, double v)
{
  char tmp[64];
  if(!isfinite(v)) {
    xd_buf_puts(b, "null");
    return;
  }
  if(v == floor(v) && fabs(v) < 9007199254740992.0) {
    xd_buf_printf(b, "%.0f", v == 0 ? 0.0 : v);
    return;
  }
  /* the shortest text that reads back the same, as Python's repr */
  for(int prec = 15; prec <= 17; prec++) {
    snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
    if(strtod(tmp, NULL) == v)
      break;
  }
  xd_buf_puts(b, tmp);
}

static void put(xd_buf *b, const cJSON *it, int level)
{
  const cJSON *c;
  bool obj;
  if(cJSON_IsString(it))
    put_string(b, it->valuestring);
  else if(cJSON_IsNumber(it))
    put_number(b, it->valuedouble);
  else if(cJSON_IsTrue(it))
    xd_buf_puts(b, "true");
  else if(cJSON_IsFalse(it))
    xd_buf_puts(b, "false");
  else if(cJSON_IsArray(it) || cJSON_IsObject(it)) {
    obj = cJSON_IsObject(it);
    if(!it->child) {
      xd_buf_puts(b, obj ? "{}" : "[]");
      return;
    }
    xd_buf_puts(b, obj ? "{\n" : "[\n");
    for(c = it->child; c; c = c->next) {
      indent(b, level + 1);
      if(obj) {
        put_string(b, c->string);
        xd_buf_puts(b, ": ");
      }
      put(b, c, level + 1);
      xd_buf_puts(b, c->next ? ",\n" : "\n");
    }
    indent(b, level);
    xd_buf_putc(b, obj ? '}' : ']');
  }
  else
    xd_buf_puts(b, "null");
}

xd_rc aws_json_cli_print(const cJSON *item, xd_buf *b)
{
  put(b, item, 0);
  xd_buf_putc(b, '\n');
  return b->failed ? XD_E_NOMEM : XD_OK;
}
