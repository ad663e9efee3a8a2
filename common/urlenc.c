#include "urlenc.h"

#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

xd_rc xd_url_decode(const char *s, bool strict, char **out, size_t *n,
                    size_t *bad)
{
  size_t len = strlen(s), o = 0;
  char *d = malloc(len + 1);
  *out = NULL;
  if(!d)
    return XD_E_NOMEM;
  for(size_t i = 0; i < len; i++) {
    /* s[i + 2] is read only when s[i + 1] is a digit, so never past NUL */
    int hi = s[i] == '%' ? hexval(s[i + 1]) : -1;
    int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
    if(lo >= 0) {
      d[o++] = (char)(hi * 16 + lo);
      i += 2;
    }
    else if(s[i] == '%' && strict) {
      if(bad)
        *bad = i;
      free(d);
      return XD_E_PARSE;
    }
    else
      d[o++] = s[i];
  }
  d[o] = '\0';
  *out = d;
  if(n)
    *n = o;
  return XD_OK;
}
