/* common/buf.h: a growable byte buffer, always NUL-terminated, so text can
 * be built without unbounded string functions. After an allocation failure
 * the buffer remembers it (failed) and further appends do nothing, so a
 * caller may check once at the end. */
#ifndef XD_BUF_H
#define XD_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "xd_error.h"

typedef struct {
  char *data;   /* NUL-terminated when len > 0 or after any append */
  size_t len;
  size_t cap;
  bool failed;
} xd_buf;

/* An empty buffer; no allocation until the first append. */
void xd_buf_init(xd_buf *b);
/* Append n bytes; XD_E_NOMEM on failure (and b->failed is set). */
xd_rc xd_buf_append(xd_buf *b, const void *p, size_t n);
/* Append a NUL-terminated string. */
xd_rc xd_buf_puts(xd_buf *b, const char *s);
/* Append one byte. */
xd_rc xd_buf_putc(xd_buf *b, char c);
/* Append printf-style text. */
xd_rc xd_buf_printf(xd_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The contents as a string ("" when empty); owned by b. */
const char *xd_buf_str(const xd_buf *b);
/* Hand the malloc'ed string to the caller (never NULL unless out of
 * memory) and leave b empty. */
char *xd_buf_steal(xd_buf *b);
/* Forget the contents but keep the memory. */
void xd_buf_reset(xd_buf *b);
/* Free the memory. */
void xd_buf_free(xd_buf *b);

#endif
