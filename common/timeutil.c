#include "timeutil.h"

#include <stdio.h>
#include <string.h>

double xd_now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void xd_iso8601(time_t t, char *out, size_t n)
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void xd_iso8601_now(char *out, size_t n)
{
  xd_iso8601(time(NULL), out, n);
}

bool xd_iso8601_parse(const char *s, time_t *out)
{
  struct tm tm;
  const char *p;
  memset(&tm, 0, sizeof(tm));
  if(!s)
    return false;
  p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
  if(!p)
    return false;
  if(*p == '.') {
    p++;
    while(*p >= '0' && *p <= '9')
      p++;
  }
  if(strcmp(p, "Z") && strcmp(p, "+00:00") && *p)
    return false;
  *out = timegm(&tm);
  return true;
}

xd_deadline xd_deadline_in(double seconds)
{
  xd_deadline d;
  d.at_ms = seconds > 0 ? xd_now_ms() + seconds * 1000.0 : 0;
  return d;
}

double xd_deadline_left_ms(const xd_deadline *d)
{
  double left;
  if(!d || d->at_ms == 0)
    return 1e12;
  left = d->at_ms - xd_now_ms();
  return left > 0 ? left : 0;
}

bool xd_deadline_passed(const xd_deadline *d)
{
  return d && d->at_ms != 0 && xd_now_ms() >= d->at_ms;
}
