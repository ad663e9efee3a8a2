/* The command-line builder of cmdline.h. */
#include "cmdline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void az_cmd_init(az_cmd *c)
{
  xd_buf_init(&c->line);
  c->why[0] = '\0';
  c->started = false;
}

void az_cmd_free(az_cmd *c)
{
  xd_buf_free(&c->line);
}

static void vrefuse(az_cmd *c, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static void vrefuse(az_cmd *c, const char *fmt, va_list ap)
{
  if(c->why[0])
    return;
  vsnprintf(c->why, sizeof(c->why), fmt, ap);
  if(!c->why[0])
    snprintf(c->why, sizeof(c->why), "refused");
}

void az_cmd_refuse(az_cmd *c, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vrefuse(c, fmt, ap);
  va_end(ap);
}

/* The characters shlex.quote leaves unquoted. */
static bool plain_char(unsigned char ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9') || (ch && strchr("_@%+=:,./-", ch));
}

/* A value shown in a refusal: at most 48 bytes, control characters as
 * '?', so that the reason itself is one clean line. */
static void shown(const char *s, char *out, size_t n)
{
  size_t i = 0;
  for(; *s && i + 4 < n && i < 48; s++)
    out[i++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
  if(*s && i + 4 < n) {
    memcpy(out + i, "...", 3);
    i += 3;
  }
  out[i] = '\0';
}

static void space(az_cmd *c)
{
  if(c->started)
    xd_buf_putc(&c->line, ' ');
  c->started = true;
}

void az_cmd_arg(az_cmd *c, const char *w)
{
  bool plain = w && *w;
  if(c->why[0])
    return;
  if(!w) {
    az_cmd_refuse(c, "a value it needs is not known");
    return;
  }
  for(const char *p = w; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if(ch < 0x20 || ch == 0x7f) {
      char v[64];
      shown(w, v, sizeof(v));
      az_cmd_refuse(c, "\"%s\" holds a control character, which a command "
                       "pasted into a shell can not carry", v);
      return;
    }
    plain = plain && plain_char(ch);
  }
  space(c);
  if(plain) {
    xd_buf_puts(&c->line, w);
    return;
  }
  xd_buf_putc(&c->line, '\'');
  for(const char *p = w; *p; p++) {
    if(*p == '\'')
      xd_buf_puts(&c->line, "'\\''");
    else
      xd_buf_putc(&c->line, *p);
  }
  xd_buf_putc(&c->line, '\'');
}

void az_cmd_args(az_cmd *c, ...)
{
  va_list ap;
  const char *w;
  va_start(ap, c);
  while((w = va_arg(ap, const char *)) != NULL)
    az_cmd_arg(c, w);
  va_end(ap);
}

void az_cmd_argf(az_cmd *c, const char *fmt, ...)
{
  va_list ap;
  xd_buf w;
  xd_buf_init(&w);
  va_start(ap, fmt);
  {
    va_list cp;
    int n;
    char small[1];
    va_copy(cp, ap);
    n = vsnprintf(small, sizeof(small), fmt, cp);
    va_end(cp);
    if(n >= 0) {
      char *tmp = malloc((size_t)n + 1);
      if(tmp) {
        vsnprintf(tmp, (size_t)n + 1, fmt, ap);
        xd_buf_puts(&w, tmp);
        free(tmp);
      } else
        w.failed = true;
    }
  }
  va_end(ap);
  if(w.failed)
    az_cmd_refuse(c, "out of memory");
  else
    az_cmd_arg(c, xd_buf_str(&w));
  xd_buf_free(&w);
}

void az_cmd_check(az_cmd *c, az_id_kind kind, const char *id)
{
  char v[64];
  if(c->why[0] || az_id_ok(kind, id))
    return;
  if(!id) {
    az_cmd_refuse(c, "%s is not known", az_id_what(kind));
    return;
  }
  shown(id, v, sizeof(v));
  az_cmd_refuse(c, "\"%s\" is not %s", v, az_id_what(kind));
}

void az_cmd_id(az_cmd *c, az_id_kind kind, const char *id)
{
  az_cmd_check(c, kind, id);
  az_cmd_arg(c, id);
}

void az_cmd_opt(az_cmd *c, const char *opt, const char *value)
{
  if(value && value[0] == '-')
    az_cmd_argf(c, "%s=%s", opt, value);
  else {
    az_cmd_arg(c, opt);
    az_cmd_arg(c, value);
  }
}

void az_cmd_region(az_cmd *c, const char *region)
{
  if(!region)
    return;
  az_cmd_arg(c, "--region");
  az_cmd_id(c, AZ_ID_REGION, region);
}

void az_cmd_and(az_cmd *c)
{
  if(c->why[0] || !c->started)
    return;
  xd_buf_puts(&c->line, " &&");
}

void az_cmd_to_file(az_cmd *c, const char *path)
{
  if(c->why[0])
    return;
  space(c);
  xd_buf_putc(&c->line, '>');
  az_cmd_arg(c, path);
}

void az_cmd_output_of(az_cmd *c, const az_cmd *inner)
{
  const char *in = az_cmd_line(inner);
  if(c->why[0])
    return;
  if(!in) {
    az_cmd_refuse(c, "%s", inner->why[0] ? inner->why : "an empty command");
    return;
  }
  /* $( ) opens a new quoting context: the inner words keep their own
   * quotes, and the outer double quotes keep the output one word */
  space(c);
  xd_buf_puts(&c->line, "\"$(");
  xd_buf_puts(&c->line, in);
  xd_buf_puts(&c->line, ")\"");
}

const char *az_cmd_line(const az_cmd *c)
{
  if(c->why[0] || c->line.failed || !c->line.len)
    return NULL;
  return xd_buf_str(&c->line);
}

const char *az_cmd_why(const az_cmd *c)
{
  if(c->why[0])
    return c->why;
  if(c->line.failed)
    return "out of memory";
  return NULL;
}
