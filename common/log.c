#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static xd_log_level level = XD_LOG_NORMAL;
/* grows without limit: an org-wide run registers two secrets per assumed
 * role, and a full table must never mean a token logged in clear */
static char **secrets;
static size_t n_secrets, cap_secrets;
static bool no_memory;
/* check's control-plane probes log from a thread while the fetch adds
 * the secrets it meets: the table is read and grown under this lock */
static pthread_mutex_t secrets_lock = PTHREAD_MUTEX_INITIALIZER;

void xd_log_set_level(xd_log_level lvl)
{
  level = lvl;
}

xd_log_level xd_log_get_level(void)
{
  return level;
}

static bool add_secret(const char *secret)
{
  for(size_t i = 0; i < n_secrets; i++)
    if(!strcmp(secrets[i], secret))
      return true;
  if(n_secrets == cap_secrets) {
    size_t cap = cap_secrets ? cap_secrets * 2 : 64;
    char **grown = realloc(secrets, cap * sizeof(*grown));
    if(!grown) {
      no_memory = true;
      return false;
    }
    secrets = grown;
    cap_secrets = cap;
  }
  secrets[n_secrets] = strdup(secret);
  if(!secrets[n_secrets]) {
    no_memory = true;
    return false;
  }
  n_secrets++;
  return true;
}

bool xd_log_add_secret(const char *secret)
{
  bool ok;
  if(!secret || strlen(secret) < 4)
    return true;
  pthread_mutex_lock(&secrets_lock);
  ok = add_secret(secret);
  pthread_mutex_unlock(&secrets_lock);
  return ok;
}

size_t xd_log_secret_count(void)
{
  size_t n;
  pthread_mutex_lock(&secrets_lock);
  n = n_secrets;
  pthread_mutex_unlock(&secrets_lock);
  return n;
}

/* Terminal controls (C0, DEL, and C1 as UTF-8 C2 80..9F) become '?', in
 * place: a snapshot value such as a CidrBlock holding "ESC]0;...BEL" must
 * not retitle or clear the terminal through stderr. */
static void controls_out(char *s)
{
  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if(c == 0xC2 && (unsigned char)s[1] >= 0x80 &&
       (unsigned char)s[1] <= 0x9F) {
      s[0] = '?';
      s[1] = '?';
      s++;
    }
    else if((c < 0x20 && c != '\t') || c == 0x7F)
      *s = '?';
  }
}

void xd_log_redact(char *s)
{
  pthread_mutex_lock(&secrets_lock);
  for(size_t i = 0; i < n_secrets; i++) {
    size_t len = strlen(secrets[i]);
    char *p;
    while((p = strstr(s, secrets[i])) != NULL) {
      /* "****" is never longer than a registered secret (>= 4 bytes) */
      memcpy(p, "****", 4);
      memmove(p + 4, p + len, strlen(p + len) + 1);
    }
  }
  pthread_mutex_unlock(&secrets_lock);
}

__attribute__((format(printf, 2, 0)))
static void emit(const char *tag, const char *fmt, va_list ap)
{
  char line[4096];
  vsnprintf(line, sizeof(line), fmt, ap);
  /* a secret we could not remember is one we could not redact: say
   * nothing rather than risk it */
  if(no_memory) {
    fprintf(stderr, "xacct-doctor: %sout of memory for the redaction "
            "table; message withheld\n", tag);
    return;
  }
  xd_log_redact(line);
  controls_out(line);
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

void xd_log_note(const char *fmt, ...)
{
  va_list ap;
  if(level < XD_LOG_NORMAL)
    return;
  va_start(ap, fmt);
  emit("note: ", fmt, ap);
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
