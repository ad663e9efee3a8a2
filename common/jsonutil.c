#include "jsonutil.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fileio.h"

bool xd_utf8_valid(const char *s, size_t n, size_t *bad)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while(i < n) {
    unsigned c = p[i];
    size_t len;
    unsigned cp;
    if(c < 0x80) {
      i++;
      continue;
    }
    if(c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
    else if(c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
    else if(c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
    else goto fail;
    if(i + len > n)
      goto fail;
    for(size_t k = 1; k < len; k++) {
      if((p[i + k] & 0xc0) != 0x80)
        goto fail;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    if((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))
       || (cp >= 0xd800 && cp <= 0xdfff))
      goto fail;
    i += len;
  }
  return true;
fail:
  if(bad)
    *bad = i;
  return false;
}

/* s with every byte that does not start a valid UTF-8 sequence replaced
 * by U+FFFD; NULL when out of memory. */
static char *utf8_repaired(const char *s, size_t n)
{
  xd_buf b;
  size_t off = 0, bad;
  xd_buf_init(&b);
  while(!xd_utf8_valid(s + off, n - off, &bad)) {
    xd_buf_append(&b, s + off, bad);
    xd_buf_puts(&b, "\xEF\xBF\xBD");
    off += bad + 1;
  }
  xd_buf_append(&b, s + off, n - off);
  if(b.failed) {
    xd_buf_free(&b);
    return NULL;
  }
  return xd_buf_steal(&b);
}

static bool repair_str(char **sp)
{
  char *fixed;
  size_t n = *sp ? strlen(*sp) : 0;
  if(!*sp || xd_utf8_valid(*sp, n, NULL))
    return true;
  fixed = utf8_repaired(*sp, n);
  if(!fixed)
    return false;
  cJSON_free(*sp);
  /* cJSON frees its strings with its own hook: give it a copy it made */
  *sp = (char *)cJSON_malloc(strlen(fixed) + 1);
  if(!*sp) {
    free(fixed);
    return false;
  }
  memcpy(*sp, fixed, strlen(fixed) + 1);
  free(fixed);
  return true;
}

xd_rc xd_json_utf8_repair(cJSON *j)
{
  for(cJSON *it = j; it; it = it->next) {
    if(!(it->type & cJSON_StringIsConst) && !repair_str(&it->string))
      return XD_E_NOMEM;
    if(cJSON_IsString(it) && !repair_str(&it->valuestring))
      return XD_E_NOMEM;
    if(it->child && xd_json_utf8_repair(it->child) != XD_OK)
      return XD_E_NOMEM;
  }
  return XD_OK;
}

void xd_line_col(const char *text, size_t off, int *line, int *col)
{
  int l = 1, c = 1;
  for(size_t i = 0; i < off && text[i]; i++) {
    if(text[i] == '\n') {
      l++;
      c = 1;
    }
    else
      c++;
  }
  *line = l;
  *col = c;
}

/* cJSON recurses per nesting level; measure depth first so that hostile
 * input cannot exhaust the stack, and name where it goes too deep. */
static bool depth_ok(const char *text, size_t n, size_t *where)
{
  int depth = 0;
  bool in_str = false;
  for(size_t i = 0; i < n; i++) {
    char ch = text[i];
    if(in_str) {
      if(ch == '\\')
        i++;
      else if(ch == '"')
        in_str = false;
      continue;
    }
    if(ch == '"')
      in_str = true;
    else if(ch == '[' || ch == '{') {
      if(++depth > XD_JSON_MAX_DEPTH) {
        *where = i;
        return false;
      }
    }
    else if(ch == ']' || ch == '}')
      depth--;
  }
  return true;
}

/* The offset of the first byte at or after i that is not JSON whitespace,
 * or n. text need not be NUL-terminated (strspn would read past n). */
static size_t skip_ws(const char *text, size_t i, size_t n)
{
  while(i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
                  text[i] == '\n'))
    i++;
  return i;
}

/* cJSON puts an error it meets past the end of the text on the last byte,
 * where a bad last byte goes too. Parse once more with a space after the
 * text: an error on that space means the text ran out (a truncated file). */
static bool ran_out(const char *text, size_t n)
{
  char *buf = malloc(n + 2);
  const char *end = NULL;
  cJSON *j;
  bool out;
  if(!buf)
    return false;
  memcpy(buf, text, n);
  buf[n] = ' ';
  buf[n + 1] = '\0';
  j = cJSON_ParseWithLengthOpts(buf, n + 1, &end, false);
  out = !j && end && end >= buf + n;
  cJSON_Delete(j);
  free(buf);
  return out;
}

xd_rc xd_json_parse_text(const char *label, const char *text, size_t n,
                         cJSON **out, xd_err *e)
{
  const char *end = NULL;
  size_t bad = 0;
  int line, col;
  cJSON *j;
  *out = NULL;
  if(skip_ws(text, 0, n) == n)
    return xd_fail(e, XD_E_PARSE, "%s: line 1: empty file, expected JSON",
                   label);
  if(!xd_utf8_valid(text, n, &bad)) {
    xd_line_col(text, bad, &line, &col);
    return xd_fail(e, XD_E_PARSE, "%s: line %d, column %d: invalid UTF-8",
                   label, line, col);
  }
  if(memchr(text, '\0', n)) {
    xd_line_col(text, (size_t)((const char *)memchr(text, '\0', n) - text),
                &line, &col);
    return xd_fail(e, XD_E_PARSE, "%s: line %d: NUL byte in JSON text", label,
                   line);
  }
  if(!depth_ok(text, n, &bad)) {
    xd_line_col(text, bad, &line, &col);
    return xd_fail(e, XD_E_PARSE,
                   "%s: line %d, column %d: JSON nested deeper than %d levels",
                   label, line, col, XD_JSON_MAX_DEPTH);
  }
  /* cJSON's require_null_terminated wants the NUL inside the length, which
   * a length-bounded text does not have: parse the value, then check that
   * only whitespace follows it ourselves. */
  j = cJSON_ParseWithLengthOpts(text, n, &end, false);
  if(j && end && end >= text && (size_t)(end - text) < n) {
    size_t off = skip_ws(text, (size_t)(end - text), n);
    if(off < n) {
      cJSON_Delete(j);
      xd_line_col(text, off, &line, &col);
      return xd_fail(e, XD_E_PARSE, "%s: line %d, column %d: unexpected "
                     "text after the JSON value", label, line, col);
    }
  }
  if(!j) {
    size_t off = end ? (size_t)(end - text) : n;
    if(off > n)
      off = n;
    xd_line_col(text, off, &line, &col);
    if(skip_ws(text, off, n) == n || (off + 1 == n && ran_out(text, n)))
      return xd_fail(e, XD_E_PARSE,
                     "%s: line %d: JSON ends too early (truncated file?)",
                     label, line);
    return xd_fail(e, XD_E_PARSE, "%s: line %d, column %d: invalid JSON",
                   label, line, col);
  }
  *out = j;
  return XD_OK;
}

xd_rc xd_json_parse_file(const char *path, cJSON **out, xd_err *e)
{
  char *text = NULL;
  size_t n = 0;
  xd_rc rc = xd_file_read(path, XD_MAX_INPUT_FILE, &text, &n, e);
  *out = NULL;
  if(rc == XD_OK)
    rc = xd_json_parse_text(path, text, n, out, e);
  free(text);
  return rc;
}

const char *xd_json_str(const cJSON *obj, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool xd_json_long(const cJSON *obj, const char *key, long *out)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  double d;
  if(!cJSON_IsNumber(v))
    return false;
  d = v->valuedouble;
  if(!isfinite(d) || d != floor(d) || d < -9.0e15 || d > 9.0e15)
    return false;
  *out = (long)d;
  return true;
}

bool xd_json_bool(const cJSON *obj, const char *key, bool *out)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if(!cJSON_IsBool(v))
    return false;
  *out = cJSON_IsTrue(v);
  return true;
}

const cJSON *xd_json_array(const cJSON *obj, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsArray(v) ? v : NULL;
}

const cJSON *xd_json_object(const cJSON *obj, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *xd_json_path(const cJSON *obj, ...)
{
  va_list ap;
  const char *key;
  const cJSON *cur = obj;
  va_start(ap, obj);
  while(cur && (key = va_arg(ap, const char *)) != NULL)
    cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, key)
                              : NULL;
  va_end(ap);
  return cur;
}

bool xd_json_add_str(cJSON *obj, const char *key, const char *s)
{
  cJSON *v = s ? cJSON_CreateString(s) : cJSON_CreateNull();
  if(!v)
    return false;
  if(!cJSON_AddItemToObject(obj, key, v)) {
    cJSON_Delete(v);
    return false;
  }
  return true;
}

char *xd_json_print(const cJSON *item, bool fmt)
{
  char *s = fmt ? cJSON_Print(item) : cJSON_PrintUnformatted(item);
  xd_buf b;
  if(!s)
    return NULL;
  xd_buf_init(&b);
  xd_buf_puts(&b, s);
  xd_buf_putc(&b, '\n');
  cJSON_free(s);
  if(b.failed) {
    xd_buf_free(&b);
    return NULL;
  }
  return xd_buf_steal(&b);
}
