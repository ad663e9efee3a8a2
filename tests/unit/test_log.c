/* common/log.c against hostile text (issue 13, items 8 and 11): every
 * registered secret is redacted however many there are (an org-wide run
 * registers two per assumed role, far past the old 64), and control
 * characters from snapshot values or the network never reach stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "common/jsonutil.h"
#include "common/log.h"

#define N_SECRETS 5000

/* Run fn with stderr sent to a file; the text it wrote into out. */
static void capture(void (*fn)(void), char *out, size_t n)
{
  char path[] = "/tmp/xd-log-XXXXXX";
  int fd = mkstemp(path), saved = dup(2);
  FILE *f;
  size_t got;
  out[0] = '\0';
  if(fd < 0 || saved < 0)
    return;
  fflush(stderr);
  dup2(fd, 2);
  fn();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(fd);
  f = fopen(path, "r");
  if(f) {
    got = fread(out, 1, n - 1, f);
    out[got] = '\0';
    fclose(f);
  }
  unlink(path);
}

static char secret_last[64], secret_first[64], secret_mid[64];

static void log_secrets(void)
{
  xd_log_error("token %s, key %s, other %s", secret_last, secret_first,
               secret_mid);
}

static void log_escapes(void)
{
  xd_log_error("CidrBlock '10.0.0.0/16\x1b]0;owned\x07\x1b[2J' \xc2\x9b"
               "2J del\x7f tab\tend");
}

int main(void)
{
  char out[8192];
  for(int i = 0; i < N_SECRETS; i++) {
    char s[64];
    snprintf(s, sizeof(s), "FwoGZXIvYXdzEJr//session-token-%06d", i);
    CHECK(xd_log_add_secret(s));
    if(i == 0)
      snprintf(secret_first, sizeof(secret_first), "%s", s);
    if(i == N_SECRETS / 2)
      snprintf(secret_mid, sizeof(secret_mid), "%s", s);
    if(i == N_SECRETS - 1)
      snprintf(secret_last, sizeof(secret_last), "%s", s);
  }
  CHECK(xd_log_add_secret(secret_first));   /* a repeat is not stored */
  CHECK(xd_log_secret_count() == N_SECRETS);
  capture(log_secrets, out, sizeof(out));
  CHECK(strstr(out, "session-token") == NULL);
  CHECK_CONTAINS(out, "token ****, key ****, other ****");

  capture(log_escapes, out, sizeof(out));
  CHECK(strchr(out, '\x1b') == NULL);
  CHECK(strchr(out, '\x07') == NULL);
  CHECK(strchr(out, '\x7f') == NULL);
  CHECK(strstr(out, "\xc2\x9b") == NULL);
  CHECK_CONTAINS(out, "10.0.0.0/16?]0;owned??[2J' ??2J del? tab\tend\n");

  /* item 9: bytes a server sent, made loadable before they are written */
  {
    cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "sans");
    char *text;
    cJSON_AddStringToObject(o, "content_type", "text/\xff\xfe\xc3(");
    cJSON_AddItemToArray(a, cJSON_CreateString("caf\xc3\xa9.example"));
    cJSON_AddItemToArray(a, cJSON_CreateString("\xed\xa0\x80x"));
    CHECK(xd_json_utf8_repair(o) == XD_OK);
    text = cJSON_PrintUnformatted(o);
    CHECK(text && xd_utf8_valid(text, strlen(text), NULL));
    CHECK_CONTAINS(text, "text/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd(");
    CHECK_CONTAINS(text, "caf\xc3\xa9.example");
    free(text);
    cJSON_Delete(o);
  }
  return CHECK_DONE();
}
