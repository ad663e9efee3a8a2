#include "xd_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

xd_rc xd_fail(xd_err *e, xd_rc rc, const char *fmt, ...)
{
  if(e) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    e->rc = rc;
  }
  return rc;
}

void xd_err_prefix(xd_err *e, const char *fmt, ...)
{
  char pre[512];
  char old[sizeof(e->msg)];
  va_list ap;
  if(!e)
    return;
  va_start(ap, fmt);
  vsnprintf(pre, sizeof(pre), fmt, ap);
  va_end(ap);
  memcpy(old, e->msg, sizeof(old));
  {
    /* build by parts: the whole may be longer than msg, and is cut */
    size_t n = strlen(pre);
    if(n >= sizeof(e->msg))
      n = sizeof(e->msg) - 1;
    memcpy(e->msg, pre, n);
    snprintf(e->msg + n, sizeof(e->msg) - n, "%.*s",
             (int)(sizeof(e->msg) - n - 1), old);
  }
}

const char *xd_rc_str(xd_rc rc)
{
  switch(rc) {
  case XD_OK: return "ok";
  case XD_E_NOMEM: return "out of memory";
  case XD_E_IO: return "input/output error";
  case XD_E_PARSE: return "parse error";
  case XD_E_INVALID: return "invalid value";
  case XD_E_USAGE: return "usage error";
  case XD_E_NOTFOUND: return "not found";
  case XD_E_NET: return "network error";
  case XD_E_TIMEOUT: return "timed out";
  case XD_E_AWS: return "AWS error";
  case XD_E_PERM: return "not permitted";
  case XD_E_INTERRUPTED: return "interrupted";
  case XD_E_INTERNAL: return "internal error";
  }
  return "unknown error";
}
