#include "escape.h"

#include <stdbool.h>
#include <string.h>

#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */

void rp_html_escape(xd_buf *out, const char *s)
{
  rp_html_escape_max(out, s, (size_t)-1);
}

/* Length of the UTF-8 sequence starting with byte c (1 for a stray
 * continuation byte, so a walk always advances). Input is valid UTF-8
 * (xd_json_parse checks it); this only has to stay in bounds otherwise. */
static size_t seq_len(unsigned char c)
{
  if(c >= 0xF0 && c <= 0xF4)
    return 4;
  if(c >= 0xE0)
    return c >= 0xF5 ? 1 : 3;
  if(c >= 0xC2)
    return 2;
  return 1;
}

static size_t seq_len_bounded(const char *p)
{
  size_t n = seq_len((unsigned char)*p), i;
  for(i = 1; i < n; i++)
    if(((unsigned char)p[i] & 0xC0) != 0x80)
      return 1;
  return n;
}

size_t rp_utf8_len(const char *s)
{
  size_t n = 0;
  while(s && *s) {
    s += seq_len_bounded(s);
    n++;
  }
  return n;
}

void rp_html_escape_max(xd_buf *out, const char *s, size_t max_chars)
{
  size_t count = 0;
  if(!s)
    return;
  while(*s) {
    unsigned char c = (unsigned char)*s;
    size_t n;
    if(count == max_chars) {
      xd_buf_puts(out, "\xE2\x80\xA6");   /* … */
      return;
    }
    count++;
    switch(c) {
    case '&': xd_buf_puts(out, "&amp;"); s++; continue;
    case '<': xd_buf_puts(out, "&lt;"); s++; continue;
    case '>': xd_buf_puts(out, "&gt;"); s++; continue;
    case '"': xd_buf_puts(out, "&quot;"); s++; continue;
    case '\'': xd_buf_puts(out, "&#39;"); s++; continue;
    case '\t': case '\n': xd_buf_putc(out, (char)c); s++; continue;
    default: break;
    }
    if(c < 0x20 || c == 0x7F) {
      xd_buf_puts(out, REPLACEMENT);
      s++;
      continue;
    }
    n = seq_len_bounded(s);
    if(n == 1 && c >= 0x80)
      xd_buf_puts(out, REPLACEMENT);
    else
      xd_buf_append(out, s, n);
    s += n;
  }
}

static void xml_escape(xd_buf *out, const char *s, bool attr)
{
  if(!s)
    return;
  while(*s) {
    unsigned char c = (unsigned char)*s;
    size_t n;
    switch(c) {
    case '&': xd_buf_puts(out, "&amp;"); s++; continue;
    case '<': xd_buf_puts(out, "&lt;"); s++; continue;
    case '>': xd_buf_puts(out, "&gt;"); s++; continue;
    case '"': xd_buf_puts(out, "&quot;"); s++; continue;
    case '\'': xd_buf_puts(out, "&apos;"); s++; continue;
    case '\t': xd_buf_puts(out, attr ? "&#9;" : "\t"); s++; continue;
    case '\n': xd_buf_puts(out, attr ? "&#10;" : "\n"); s++; continue;
    case '\r': xd_buf_puts(out, "&#13;"); s++; continue;
    default: break;
    }
    if(c < 0x20 || c == 0x7F) {
      xd_buf_puts(out, REPLACEMENT);
      s++;
      continue;
    }
    n = seq_len_bounded(s);
    /* U+FFFE and U+FFFF are not XML characters either */
    if(n == 3 && c == 0xEF && (unsigned char)s[1] == 0xBF &&
       ((unsigned char)s[2] == 0xBE || (unsigned char)s[2] == 0xBF))
      xd_buf_puts(out, REPLACEMENT);
    else if(n == 1 && c >= 0x80)
      xd_buf_puts(out, REPLACEMENT);
    else
      xd_buf_append(out, s, n);
    s += n;
  }
}

void rp_xml_escape(xd_buf *out, const char *s)
{
  xml_escape(out, s, true);
}

void rp_xml_escape_text(xd_buf *out, const char *s)
{
  xml_escape(out, s, false);
}

void rp_prom_label_escape(xd_buf *out, const char *s)
{
  for(; s && *s; s++) {
    if(*s == '\\')
      xd_buf_puts(out, "\\\\");
    else if(*s == '"')
      xd_buf_puts(out, "\\\"");
    else if(*s == '\n')
      xd_buf_puts(out, "\\n");
    else
      xd_buf_putc(out, *s);
  }
}

void rp_text_safe(xd_buf *out, const char *s)
{
  for(; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    /* C1 controls (U+0080..U+009F, encoded C2 80..C2 9F) also steer some
     * terminals */
    if(c == 0xC2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9F) {
      xd_buf_putc(out, '?');
      s++;
      continue;
    }
    xd_buf_putc(out, (c < 0x20 && c != '\t') || c == 0x7F ? '?' : (char)c);
  }
}
