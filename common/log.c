#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECRETS 64

static xd_log_level level = XD_LOG_NORMAL;
static char *secrets[MAX_SECRETS];
static int n_secrets;

void xd_log_set_level(xd_log_level lvl)
{
  level = lvl;
}

xd_log_level xd_log_get_level(void)
{
  return level;
}

void xd_log_add_secret(const char *secret)
{
  if(!secret || strlen(secret) < 4 || n_secrets >= MAX_SECRETS)
    return;
  for(int i = 0; i < n_secrets; i++)
    if(!strcmp(secrets[i], secret))
      return;
  secrets[n_secrets] = strdup(secret);
  if(secrets[n_secrets])
    n_secrets++;
}

void xd_log_redact(char *s)
{
  for(int i = 0; i < n_secrets; i++) {
    size_t len = strlen(secrets[i]);
    char *p;
    while((p = strstr(s, secrets[i])) != NULL) {
      /* "****" is never longer than a registered secret (>= 4 bytes) */
      memcpy(p, "****", 4);
      memmove(p + 4, p + len, strlen(p + len) + 1);
    }
  }
}

__attribute__((format(printf, 2, 0)))
static void emit(const char *tag, const char *fmt, va_list ap)
{
  char line[4096];
  vsnprintf(line, sizeof(line), fmt, ap);
  xd_log_redact(line);
  fprintf(stderr, "xacct-doctor: %s%s\n", tag, line);
}

void xd_log_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  emit("error: ", fmt, ap);
  va_end(ap);
}

void xd_log_warn(const char *fmt, ...)
{
  va_list ap;
  if(level < XD_LOG_NORMAL)
    return;
  va_start(ap, fmt);
  emit("warning: ", fmt, ap);
  va_end(ap);
}

void xd_log_info(const char *fmt, ...)
{
  va_list ap;
  if(level < XD_LOG_VERBOSE)
    return;
  va_start(ap, fmt);
  emit("", fmt, ap);
  va_end(ap);
}

void xd_log_debug(const char *fmt, ...)
{
  va_list ap;
  if(level < XD_LOG_DEBUG)
    return;
  va_start(ap, fmt);
  emit("debug: ", fmt, ap);
  va_end(ap);
}
