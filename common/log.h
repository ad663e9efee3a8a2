/* common/log.h: diagnostics to stderr, never to stdout (stdout carries the
 * result). Every line passes a redactor first: a secret registered with
 * xd_log_add_secret() is printed as "****" wherever it would appear, so a
 * credential can not leak through --verbose even by mistake. Control
 * characters are replaced by '?' after that, as the text report does, so
 * a value from a snapshot or the network cannot steer the terminal. */
#ifndef XD_LOG_H
#define XD_LOG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  XD_LOG_QUIET = 0, /* errors only */
  XD_LOG_NORMAL,    /* errors and warnings */
  XD_LOG_VERBOSE,   /* and progress */
  XD_LOG_DEBUG      /* and details */
} xd_log_level;

/* Set how much is printed (the CLI maps --quiet/--verbose here). */
void xd_log_set_level(xd_log_level lvl);
xd_log_level xd_log_get_level(void);
/* Register a secret (copied) to redact from every log line; strings shorter
 * than 4 bytes are ignored. The table grows as needed; false when memory
 * ran out, after which every log line is withheld (a secret we could not
 * register could otherwise be printed). */
bool xd_log_add_secret(const char *secret);
/* How many secrets are registered (for tests). */
size_t xd_log_secret_count(void);
/* Redact every registered secret in s, in place. */
void xd_log_redact(char *s);

void xd_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xd_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A fact the user should know that is neither a fault nor progress
 * (shown unless --quiet, as "note: ..."). */
void xd_log_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xd_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xd_log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
