/* common/jsonarena.c: JSON text to a cJSON tree in an arena (jsonarena.h).
 *
 * The grammar is cJSON 1.7's, not RFC 8259's, because the tree must be the
 * one xd_json_parse_text() (cJSON underneath) would build: bytes 1 to 32
 * count as white space between tokens, a number is the longest run of
 * "0123456789+-eE." (at most 63 bytes) that strtod() reads a prefix of,
 * string escapes are decoded as cJSON decodes them (\u0000 ends the
 * string, a bad hex digit reads as 0), a UTF-8 byte order mark is skipped
 * when the text is longer than 4 bytes. On top of it the checks of
 * xd_json_parse_text(): valid UTF-8, no NUL byte, at most XD_JSON_MAX_DEPTH
 * levels, only JSON white space after the value. Anything else is handed
 * to xd_json_parse_text(), whose message then names the fault. */
#include "jsonarena.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"

/* Nodes and strings are cut from chunks of this size (one arena block
 * each); a string longer than a quarter of it gets an allocation of its
 * own so that little room is wasted at the end of a chunk. */
#define JA_CHUNK (64 * 1024)
#define JA_NODE_ALIGN 8

typedef struct {
  const unsigned char *p, *end; /* cursor, end of the text */
  xd_arena *a;
  unsigned char *room;          /* free part of the current chunk */
  size_t left;
  int depth;
  bool nomem;
  char point;                   /* the locale's decimal point, for strtod */
} ja_parser;

/* What a string scan stops at: the closing quote, a backslash, a NUL (not
 * taken: xd_json_parse_text refuses it), or a byte of a UTF-8 sequence
 * (checked once the string's end is known). */
static bool ja_plain(unsigned char c)
{
  return c < 0x80 && c != '"' && c != '\\' && c;
}

/* Whether none of the 8 bytes at s is one ja_plain() stops at: the
 * has-zero-byte test of each, eight bytes at a time. */
static bool ja_plain8(const unsigned char *s)
{
  const uint64_t ones = 0x0101010101010101ULL, highs = ones * 0x80;
  uint64_t w, q, b;
  memcpy(&w, s, 8);
  q = w ^ (ones * '"');
  b = w ^ (ones * '\\');
  return !((((w - ones) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b) | w) &
           highs);
}

static void *ja_alloc(ja_parser *J, size_t size, size_t align)
{
  size_t pad = (size_t)(-(uintptr_t)J->room & (align - 1));
  void *p;
  if(J->left < pad + size) {
    if(size > JA_CHUNK / 4) {
      p = xd_arena_alloc_raw(J->a, size);
      if(!p)
        J->nomem = true;
      return p;
    }
    J->room = xd_arena_alloc_raw(J->a, JA_CHUNK);
    if(!J->room) {
      J->left = 0;
      J->nomem = true;
      return NULL;
    }
    J->left = JA_CHUNK;
    pad = 0;
  }
  p = J->room + pad;
  J->room += pad + size;
  J->left -= pad + size;
  return p;
}

static cJSON *ja_node(ja_parser *J)
{
  cJSON *n = ja_alloc(J, sizeof(cJSON), JA_NODE_ALIGN);
  if(n)
    memset(n, 0, sizeof(*n));
  return n;
}

/* cJSON's white space: every byte from 1 to 32. The AWS CLI indents by
 * four spaces a level, so runs of eight spaces are taken at once. */
static void ja_ws(ja_parser *J)
{
  while(J->p < J->end && *J->p <= 32 && *J->p) {
    J->p++;
    while(J->end - J->p >= 8 && !memcmp(J->p, "        ", 8))
      J->p += 8;
  }
}

/* cJSON's parse_hex4(): a bad digit makes the whole value 0. */
static unsigned ja_hex4(const unsigned char *s)
{
  unsigned h = 0;
  for(int i = 0; i < 4; i++) {
    unsigned c = s[i];
    h <<= 4;
    if(c >= '0' && c <= '9')
      h += c - '0';
    else if(c >= 'A' && c <= 'F')
      h += 10 + c - 'A';
    else if(c >= 'a' && c <= 'f')
      h += 10 + c - 'a';
    else
      return 0;
  }
  return h;
}

/* cJSON's utf16_literal_to_utf8(): the \u escape at in (before end, the
 * closing quote) to UTF-8 at *out; the bytes of text it took, 0 when
 * cJSON refuses it. */
static size_t ja_utf16(const unsigned char *in, const unsigned char *end,
                       unsigned char **out)
{
  unsigned long cp;
  unsigned first;
  size_t took = 6, len;
  unsigned char mark = 0;
  if(end - in < 6)
    return 0;
  first = ja_hex4(in + 2);
  if(first >= 0xDC00 && first <= 0xDFFF)
    return 0;
  if(first >= 0xD800 && first <= 0xDBFF) {
    const unsigned char *second = in + 6;
    unsigned low;
    if(end - second < 6 || second[0] != '\\' || second[1] != 'u')
      return 0;
    low = ja_hex4(second + 2);
    if(low < 0xDC00 || low > 0xDFFF)
      return 0;
    cp = 0x10000 + (((first & 0x3FF) << 10) | (low & 0x3FF));
    took = 12;
  }
  else
    cp = first;
  if(cp < 0x80)
    len = 1;
  else if(cp < 0x800) {
    len = 2;
    mark = 0xC0;
  }
  else if(cp < 0x10000) {
    len = 3;
    mark = 0xE0;
  }
  else {
    len = 4;
    mark = 0xF0;
  }
  for(size_t i = len - 1; i > 0; i--) {
    (*out)[i] = (unsigned char)((cp | 0x80) & 0xBF);
    cp >>= 6;
  }
  (*out)[0] = len > 1 ? (unsigned char)((cp | mark) & 0xFF)
                      : (unsigned char)(cp & 0x7F);
  *out += len;
  return took;
}

/* The string at J->p (its opening quote) into an arena copy; NULL when it
 * is not one the fast path takes (J->nomem tells out of memory apart). */
static char *ja_string(ja_parser *J)
{
  const unsigned char *s = J->p + 1, *q = s;
  size_t escapes = 0;
  bool high = false;
  unsigned char *out, *o;
  for(;;) {
    while(J->end - q >= 8 && ja_plain8(q))
      q += 8;
    while(q < J->end && ja_plain(*q))
      q++;
    if(q >= J->end || !*q)
      return NULL;
    if(*q == '"')
      break;
    if(*q == '\\') {
      if(q + 1 >= J->end)
        return NULL;
      escapes++;
      q += 2;
      continue;
    }
    high = true;
    q++;
  }
  if(high && !xd_utf8_valid((const char *)s, (size_t)(q - s), NULL))
    return NULL;
  out = ja_alloc(J, (size_t)(q - s) - escapes + 1, 1);
  if(!out)
    return NULL;
  if(!escapes) {
    memcpy(out, s, (size_t)(q - s));
    out[q - s] = '\0';
    J->p = q + 1;
    return (char *)out;
  }
  for(o = out; s < q;) {
    size_t took = 2;
    if(*s != '\\') {
      *o++ = *s++;
      continue;
    }
    switch(s[1]) {
    case 'b': *o++ = '\b'; break;
    case 'f': *o++ = '\f'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 't': *o++ = '\t'; break;
    case '"':
    case '\\':
    case '/': *o++ = s[1]; break;
    case 'u':
      if(!(took = ja_utf16(s, q, &o)))
        return NULL;
      break;
    default:
      return NULL;
    }
    s += took;
  }
  *o = '\0';
  J->p = q + 1;
  return (char *)out;
}

static void ja_set_number(cJSON *v, double d)
{
  v->type = cJSON_Number;
  v->valuedouble = d;
  if(d >= INT_MAX)
    v->valueint = INT_MAX;
  else if(d <= (double)INT_MIN)
    v->valueint = INT_MIN;
  else
    v->valueint = (int)d;
}

/* A number as cJSON's parse_number() reads it. Short integers (what AWS
 * writes: ports, rule numbers) are exact in a double and skip strtod(). */
static bool ja_number(ja_parser *J, cJSON *v)
{
  char buf[64];
  char *after;
  size_t n = 0, avail = (size_t)(J->end - J->p);
  bool plain = true;
  double d;
  for(; n < sizeof(buf) - 1 && n < avail; n++) {
    unsigned char c = J->p[n];
    if(c >= '0' && c <= '9')
      continue;
    if(c == '-' && n == 0)
      continue;
    if(c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.') {
      plain = false;
      continue;
    }
    break;
  }
  if(plain && n > (size_t)(J->p[0] == '-') &&
     n - (J->p[0] == '-') <= 15) {
    size_t i = J->p[0] == '-';
    d = 0;
    for(size_t k = i; k < n; k++)
      d = d * 10 + (J->p[k] - '0');
    ja_set_number(v, i ? -d : d);
    J->p += n;
    return true;
  }
  for(size_t k = 0; k < n; k++)
    buf[k] = J->p[k] == '.' ? J->point : (char)J->p[k];
  buf[n] = '\0';
  d = strtod(buf, &after);
  if(after == buf)
    return false;
  ja_set_number(v, d);
  J->p += after - buf;
  return true;
}

static bool ja_value(ja_parser *J, cJSON *v);

/* Append it to the list that starts at *head and ends at *last (the
 * first item's prev is set once the list is complete). */
static void ja_link(cJSON **head, cJSON **last, cJSON *it)
{
  if(*last) {
    (*last)->next = it;
    it->prev = *last;
  }
  else
    *head = it;
  *last = it;
}

/* The elements of an array, or the members of an object (obj), after the
 * opening bracket; J->p ends past the closing one. */
static bool ja_items(ja_parser *J, cJSON *v, bool obj)
{
  cJSON *head = NULL, *last = NULL;
  unsigned char close = obj ? '}' : ']';
  if(++J->depth > XD_JSON_MAX_DEPTH)
    return false;
  J->p++;
  ja_ws(J);
  if(J->p < J->end && *J->p == close)
    goto done;
  for(;;) {
    cJSON *it = ja_node(J);
    if(!it)
      return false;
    ja_link(&head, &last, it);
    ja_ws(J);
    if(obj) {
      if(J->p >= J->end || *J->p != '"' || !(it->string = ja_string(J)))
        return false;
      ja_ws(J);
      if(J->p >= J->end || *J->p != ':')
        return false;
      J->p++;
      ja_ws(J);
    }
    if(!ja_value(J, it))
      return false;
    ja_ws(J);
    if(J->p < J->end && *J->p == ',') {
      J->p++;
      continue;
    }
    if(J->p < J->end && *J->p == close)
      break;
    return false;
  }
done:
  if(head)
    head->prev = last;
  v->type = obj ? cJSON_Object : cJSON_Array;
  v->child = head;
  J->p++;
  J->depth--;
  return true;
}

static bool ja_lit(ja_parser *J, const char *word, size_t n)
{
  if((size_t)(J->end - J->p) < n || memcmp(J->p, word, n))
    return false;
  J->p += n;
  return true;
}

static bool ja_value(ja_parser *J, cJSON *v)
{
  if(J->p >= J->end)
    return false;
  switch(*J->p) {
  case 'n':
    v->type = cJSON_NULL;
    return ja_lit(J, "null", 4);
  case 'f':
    v->type = cJSON_False;
    return ja_lit(J, "false", 5);
  case 't':
    v->type = cJSON_True;
    v->valueint = 1;
    return ja_lit(J, "true", 4);
  case '"':
    v->type = cJSON_String;
    return (v->valuestring = ja_string(J)) != NULL;
  case '[':
    return ja_items(J, v, false);
  case '{':
    return ja_items(J, v, true);
  default:
    if(*J->p == '-' || (*J->p >= '0' && *J->p <= '9'))
      return ja_number(J, v);
    return false;
  }
}

static cJSON *copy_item(const cJSON *j, xd_arena *a)
{
  cJSON *c = xd_arena_alloc(a, sizeof(*c)), *last = NULL;
  if(!c)
    return NULL;
  c->type = j->type & ~(cJSON_IsReference | cJSON_StringIsConst);
  c->valueint = j->valueint;
  c->valuedouble = j->valuedouble;
  if((j->valuestring && !(c->valuestring = xd_arena_strdup(a, j->valuestring)))
     || (j->string && !(c->string = xd_arena_strdup(a, j->string))))
    return NULL;
  for(const cJSON *k = j->child; k; k = k->next) {
    cJSON *ck = copy_item(k, a);
    if(!ck)
      return NULL;
    ja_link(&c->child, &last, ck);
  }
  if(c->child)
    c->child->prev = last;
  return c;
}

cJSON *xd_json_copy_arena(const cJSON *j, xd_arena *a)
{
  return j ? copy_item(j, a) : NULL;
}

xd_rc xd_json_parse_arena(const char *label, const char *text, size_t n,
                          xd_arena *a, cJSON **out, xd_err *e)
{
  ja_parser J;
  cJSON *root, *heap = NULL;
  xd_rc rc;
  *out = NULL;
  memset(&J, 0, sizeof(J));
  J.p = (const unsigned char *)text;
  J.end = J.p + n;
  J.a = a;
  J.point = localeconv()->decimal_point[0];
  if(n > 4 && !memcmp(text, "\xEF\xBB\xBF", 3))
    J.p += 3;
  ja_ws(&J);
  /* text that is not UTF-8 as a whole, or holds a NUL byte anywhere, goes
   * to cJSON's path, which names the line: the per-string checks alone let
   * a \u escape swallow a stray byte or a NUL (fuzz_json_arena) */
  root = xd_utf8_valid(text, n, NULL) && !memchr(text, '\0', n)
             ? ja_node(&J)
             : NULL;
  if(root && ja_value(&J, root)) {
    while(J.p < J.end && (*J.p == ' ' || *J.p == '\t' || *J.p == '\r' ||
                          *J.p == '\n'))
      J.p++;
    if(J.p == J.end) {
      *out = root;
      return XD_OK;
    }
  }
  if(J.nomem)
    return xd_fail(e, XD_E_NOMEM, "%s: out of memory", label);
  /* Not taken here: cJSON's verdict and message. What the arena already
   * holds of the attempt stays there until the arena goes. */
  rc = xd_json_parse_text(label, text, n, &heap, e);
  if(rc != XD_OK)
    return rc;
  *out = xd_json_copy_arena(heap, a);
  cJSON_Delete(heap);
  if(!*out)
    return xd_fail(e, XD_E_NOMEM, "%s: out of memory", label);
  return XD_OK;
}
