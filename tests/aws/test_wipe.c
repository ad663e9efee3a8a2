/* Issue 13 item 4: secrets do not outlive their use in freed memory, and
 * no core file can carry them. Every free() and realloc() made by our own
 * code (the aws and common libraries are linked statically, and this test
 * is linked with -Wl,--wrap=free,--wrap=realloc) goes through a hook that
 * scans the block about to be released for the secrets below; realloc is
 * made to move every time, so a copy it would leave behind is scanned too.
 * A memset the compiler removed, an INI buffer wiped only to its first
 * NUL, or a profile value freed unwiped shows up as a hit. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../../aws/creds.h"
#include "../../aws/internal.h"
#include "../../aws/sigv4.h"
#include "check.h"

/* The scan reads a whole block, slack and never-written bytes included:
 * under valgrind they are declared defined first (the block is about to
 * be freed, so nothing else is hidden by that). */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#endif
#endif
#ifndef VALGRIND_MAKE_MEM_DEFINED
#define VALGRIND_MAKE_MEM_DEFINED(p, n) ((void)(p), (void)(n))
#endif

void __real_free(void *p);
void *__real_realloc(void *p, size_t n);

static const char *const secrets[] = {
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY1",  /* the one used */
  "OLDSECRETxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  /* replaced by a later line */
  "IQoJb3JpZ2luX2VjEKSESSIONTOKENzzzzzzzzzzzz",
};
static int hits;
static int scanning;

static void scan(const void *p, size_t n)
{
  if(!scanning || !p)
    return;
  VALGRIND_MAKE_MEM_DEFINED(p, n);
  for(size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
    if(memmem(p, n, secrets[i], strlen(secrets[i]))) {
      hits++;
      fprintf(stderr, "freed block of %zu bytes still holds secret %zu\n",
              n, i);
    }
}

void __wrap_free(void *p);
void __wrap_free(void *p)
{
  if(p)
    scan(p, malloc_usable_size(p));
  __real_free(p);
}

void *__wrap_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n)
{
  void *q;
  size_t old;
  if(!p)
    return malloc(n);
  old = malloc_usable_size(p);
  q = malloc(n ? n : 1);
  if(!q)
    return NULL;
  memcpy(q, p, old < n ? old : n);
  __wrap_free(p);
  return q;
}

int main(void)
{
  char dir[] = "/tmp/xd-wipe-XXXXXX", cfg[128], crd[128];
  aws_options o;
  aws_ctx *c = NULL;
  aws_creds_provider *p = NULL;
  const aws_creds *cr = NULL;
  xd_err e = {0};
  struct rlimit rl;
  FILE *f;

  CHECK(mkdtemp(dir) != NULL);
  snprintf(cfg, sizeof(cfg), "%s/config", dir);
  snprintf(crd, sizeof(crd), "%s/credentials", dir);
  f = fopen(cfg, "w");
  fputs("[default]\nregion = us-east-1\n", f);
  fclose(f);
  /* the secrets sit on later lines: a wipe up to the first NUL the
   * parser wrote (the end of line 1) misses them */
  f = fopen(crd, "w");
  fprintf(f, "# keys\n[default]\naws_access_key_id = AKIDEXAMPLE\n"
          "aws_secret_access_key = %s\naws_secret_access_key = %s\n"
          "aws_session_token = %s\n", secrets[1], secrets[0], secrets[2]);
  fclose(f);
  setenv("AWS_CONFIG_FILE", cfg, 1);
  setenv("AWS_SHARED_CREDENTIALS_FILE", crd, 1);
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  unsetenv("AWS_PROFILE");

  memset(&o, 0, sizeof(o));
  scanning = 1;
  CHECK(aws_ctx_new(&o, &c, &e) == XD_OK);
  /* while credentials are held: no core file, no ptrace by the same user */
  CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
  CHECK(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0);
  CHECK(aws_creds_default(c, &p, &e) == XD_OK);
  CHECK(aws_creds_get(c, p, false, &cr, &e) == XD_OK);
  CHECK(cr && cr->secret_key && !strcmp(cr->secret_key, secrets[0]));
  if(cr) {
    /* a signature: the "AWS4" + secret key material is freed too */
    aws_sigv4_req r;
    aws_sigv4_out out;
    memset(&r, 0, sizeof(r));
    r.method = "GET";
    r.url = "https://ec2.us-east-1.amazonaws.com/?Action=DescribeVpcs";
    r.service = "ec2";
    r.region = "us-east-1";
    r.access_key_id = cr->access_key_id;
    r.secret_key = cr->secret_key;
    r.session_token = cr->session_token;
    r.when = 1767225600;
    CHECK(aws_sigv4_sign(&r, &out, &e) == XD_OK);
    aws_sigv4_out_free(&out);
  }
  aws_ctx_free(c);
  scanning = 0;
  CHECK_INT(hits, 0);

  unlink(cfg);
  unlink(crd);
  rmdir(dir);
  return CHECK_DONE();
}
