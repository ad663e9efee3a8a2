/* common/timeutil.h: monotonic time for every measurement (wall clocks jump),
 * UTC timestamps for what a person reads, and deadlines. */
#ifndef XD_TIMEUTIL_H
#define XD_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Milliseconds on the monotonic clock, with sub-millisecond precision. */
double xd_now_ms(void);
/* "2026-11-29T04:26:07Z" for t (UTC) into out (at least 21 bytes). */
void xd_iso8601(time_t t, char *out, size_t n);
/* The same for now. */
void xd_iso8601_now(char *out, size_t n);
/* Parse an ISO 8601 UTC timestamp as AWS writes it ("...Z" or "+00:00",
 * fractional seconds allowed); false when it is not one. */
bool xd_iso8601_parse(const char *s, time_t *out);

/* A deadline on the monotonic clock; at_ms 0 means none. */
typedef struct {
  double at_ms;
} xd_deadline;

/* A deadline seconds from now (seconds <= 0: none). */
xd_deadline xd_deadline_in(double seconds);
/* Milliseconds left (a large number when there is no deadline, 0 when it
 * has passed). */
double xd_deadline_left_ms(const xd_deadline *d);
/* Whether it has passed. */
bool xd_deadline_passed(const xd_deadline *d);

#endif
