#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xd_buf_init(xd_buf *b)
{
  memset(b, 0, sizeof(*b));
}

static xd_rc grow(xd_buf *b, size_t need)
{
  size_t cap;
  char *p;
  if(b->failed)
    return XD_E_NOMEM;
  if(need < b->len) { /* overflow */
    b->failed = true;
    return XD_E_NOMEM;
  }
  if(need + 1 <= b->cap)
    return XD_OK;
  cap = b->cap ? b->cap : 64;
  while(cap < need + 1) {
    if(cap > ((size_t)-1) / 2) {
      b->failed = true;
      return XD_E_NOMEM;
    }
    cap *= 2;
  }
  p = realloc(b->data, cap);
  if(!p) {
    b->failed = true;
    return XD_E_NOMEM;
  }
  b->data = p;
  b->cap = cap;
  return XD_OK;
}

xd_rc xd_buf_append(xd_buf *b, const void *p, size_t n)
{
  if(grow(b, b->len + n) != XD_OK)
    return XD_E_NOMEM;
  if(n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return XD_OK;
}

xd_rc xd_buf_puts(xd_buf *b, const char *s)
{
  return xd_buf_append(b, s, strlen(s));
}

xd_rc xd_buf_putc(xd_buf *b, char c)
{
  return xd_buf_append(b, &c, 1);
}

xd_rc xd_buf_printf(xd_buf *b, const char *fmt, ...)
{
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n < 0)
    return XD_E_INTERNAL;
  if(grow(b, b->len + (size_t)n) != XD_OK)
    return XD_E_NOMEM;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return XD_OK;
}

const char *xd_buf_str(const xd_buf *b)
{
  return b->data ? b->data : "";
}

char *xd_buf_steal(xd_buf *b)
{
  char *s = b->data;
  if(!s)
    s = calloc(1, 1);
  xd_buf_init(b);
  return s;
}

void xd_buf_reset(xd_buf *b)
{
  b->len = 0;
  if(b->data)
    b->data[0] = '\0';
}

void xd_buf_free(xd_buf *b)
{
  free(b->data);
  xd_buf_init(b);
}
