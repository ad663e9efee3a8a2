#include "portlist.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool parse_port(const char *s, size_t len, long *out)
{
  char tmp[8];
  char *end;
  long v;
  if(len == 0 || len >= sizeof(tmp))
    return false;
  memcpy(tmp, s, len);
  tmp[len] = '\0';
  if(tmp[0] < '0' || tmp[0] > '9')
    return false;
  errno = 0;
  v = strtol(tmp, &end, 10);
  if(errno || *end || v < 1 || v > 65535)
    return false;
  *out = v;
  return true;
}

xd_rc xd_portlist_parse(const char *s, int **ports, size_t *n, xd_err *e)
{
  xd_rc rc = XD_OK;
  unsigned char *seen = NULL;
  int *out = NULL;
  size_t count = 0;
  const char *p = s;
  *ports = NULL;
  *n = 0;
  if(!s || !*s)
    return xd_fail(e, XD_E_USAGE, "empty port list");
  seen = calloc(65536, 1);
  out = malloc(sizeof(int) * XD_MAX_PORTS);
  if(!seen || !out) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  while(*p) {
    size_t len = strcspn(p, ",");
    const char *dash = memchr(p, '-', len);
    long lo, hi;
    if(dash) {
      if(!parse_port(p, (size_t)(dash - p), &lo) ||
         !parse_port(dash + 1, len - (size_t)(dash - p) - 1, &hi) || hi < lo) {
        rc = xd_fail(e, XD_E_USAGE,
                     "port list: '%.*s' is not a range like 1-1024 of ports "
                     "1 to 65535", (int)len, p);
        goto done;
      }
    }
    else if(!parse_port(p, len, &lo)) {
      rc = xd_fail(e, XD_E_USAGE,
                   "port list: '%.*s' is not a port number from 1 to 65535",
                   (int)len, p);
      goto done;
    }
    else
      hi = lo;
    for(long v = lo; v <= hi; v++) {
      if(!seen[v]) {
        seen[v] = 1;
        out[count++] = (int)v;
      }
    }
    p += len;
    if(*p == ',') {
      p++;
      if(!*p) {
        rc = xd_fail(e, XD_E_USAGE, "port list: ends with a comma");
        goto done;
      }
    }
  }
  *ports = out;
  *n = count;
  out = NULL;
done:
  free(seen);
  free(out);
  return rc;
}
