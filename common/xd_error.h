/* common/xd_error.h: status codes and the error record every fallible
 * function fills in. Style after curl: a function that can fail returns an
 * xd_rc and, when given an xd_err, leaves one sentence there that names the
 * file, line or field at fault. */
#ifndef XD_ERROR_H
#define XD_ERROR_H

typedef enum {
  XD_OK = 0,
  XD_E_NOMEM,       /* allocation failed */
  XD_E_IO,          /* a file or folder could not be read or written */
  XD_E_PARSE,       /* outside input is not what its format says */
  XD_E_INVALID,     /* a value is out of range or of the wrong kind */
  XD_E_USAGE,       /* the command line is wrong */
  XD_E_NOTFOUND,    /* something asked for does not exist */
  XD_E_NET,         /* a network operation failed */
  XD_E_TIMEOUT,     /* a deadline passed */
  XD_E_AWS,         /* an AWS API answered with an error */
  XD_E_PERM,        /* not permitted (privilege, AccessDenied) */
  XD_E_INTERRUPTED, /* SIGINT or SIGTERM arrived */
  XD_E_INTERNAL     /* a bug: should not happen */
} xd_rc;

typedef struct {
  xd_rc rc;
  char msg[1024];
} xd_err;

/* Record rc and a printf-style message in e (which may be NULL); returns rc
 * so a caller can write `return xd_fail(e, XD_E_IO, "...")`. */
xd_rc xd_fail(xd_err *e, xd_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put a prefix in front of the message already in e ("file.json: ..."). */
void xd_err_prefix(xd_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A short constant name for rc ("parse error", ...). */
const char *xd_rc_str(xd_rc rc);

#endif
