/* tests/static/test_static_support.c: the two lookups the static binary
 * does without glibc's NSS: the CA bundle (as the AWS CLI finds it) and
 * the unprivileged ids from /etc/passwd. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../aws/internal.h"
#include "../../probes/capture.h"
#include "check.h"

static char dir[] = "/tmp/xd-static-unit-XXXXXX";

static void write_file(const char *name, const char *text, char *path,
                       size_t n)
{
  FILE *f;
  snprintf(path, n, "%s/%s", dir, name);
  f = fopen(path, "w");
  if(f) {
    fputs(text, f);
    fclose(f);
  }
}

static void ca_bundle(void)
{
  char amzn[300], deb[300], env[300], prof[300], missing[300];
  const char *sys[] = {NULL, NULL, NULL};
  const char *out = NULL;
  xd_err e = {0};

  write_file("amzn.crt", "pem\n", amzn, sizeof(amzn));
  write_file("deb.crt", "pem\n", deb, sizeof(deb));
  write_file("env.crt", "pem\n", env, sizeof(env));
  write_file("prof.crt", "pem\n", prof, sizeof(prof));
  snprintf(missing, sizeof(missing), "%s/none.crt", dir);
  unsetenv("AWS_CA_BUNDLE");
  unsetenv("SSL_CERT_FILE");

  /* the system paths in their order: the first readable one wins */
  sys[0] = amzn;
  sys[1] = deb;
  CHECK(aws_ca_bundle_find(NULL, NULL, sys, &out, &e) == XD_OK);
  CHECK_STR(out, amzn);
  sys[0] = missing;
  CHECK(aws_ca_bundle_find(NULL, NULL, sys, &out, &e) == XD_OK);
  CHECK_STR(out, deb);

  /* SSL_CERT_FILE before the system, the profile before that, and
   * AWS_CA_BUNDLE before everything */
  setenv("SSL_CERT_FILE", env, 1);
  CHECK(aws_ca_bundle_find(NULL, NULL, sys, &out, &e) == XD_OK);
  CHECK_STR(out, env);
  CHECK(aws_ca_bundle_find(prof, "dev", sys, &out, &e) == XD_OK);
  CHECK_STR(out, prof);
  setenv("AWS_CA_BUNDLE", amzn, 1);
  CHECK(aws_ca_bundle_find(prof, "dev", sys, &out, &e) == XD_OK);
  CHECK_STR(out, amzn);

  /* a named bundle that is not there is an error, not a fallback */
  setenv("AWS_CA_BUNDLE", missing, 1);
  CHECK(aws_ca_bundle_find(prof, "dev", sys, &out, &e) == XD_E_IO);
  CHECK(strstr(e.msg, "AWS_CA_BUNDLE") && strstr(e.msg, missing));
  unsetenv("AWS_CA_BUNDLE");
  CHECK(aws_ca_bundle_find(missing, "dev", sys, &out, &e) == XD_E_IO);
  CHECK(strstr(e.msg, "ca_bundle of profile dev") != NULL);
  unsetenv("SSL_CERT_FILE");

  /* none at all: the message names every path tried */
  sys[1] = missing;
  CHECK(aws_ca_bundle_find(NULL, NULL, sys, &out, &e) == XD_E_NOTFOUND);
  CHECK(out == NULL);
  CHECK(strstr(e.msg, "no CA certificates") && strstr(e.msg, missing) &&
        strstr(e.msg, "AWS_CA_BUNDLE"));
  /* the real list starts with Amazon Linux's bundle, then Debian's */
  CHECK_STR(aws_ca_system_paths[0], "/etc/pki/tls/certs/ca-bundle.crt");
  CHECK_STR(aws_ca_system_paths[1], "/etc/ssl/certs/ca-certificates.crt");
  unlink(amzn);
  unlink(deb);
  unlink(env);
  unlink(prof);
}

static void passwd(void)
{
  char path[300];
  unsigned long u = 0, g = 0;
  write_file("passwd",
             "root:x:0:0:root:/root:/bin/bash\n"
             "nobodyx:x:7:7::/:/bin/false\n"
             "nobody:x:65534:65533:nobody:/nonexistent:/usr/sbin/nologin\n",
             path, sizeof(path));
  CHECK(pr_passwd_ids(path, "nobody", &u, &g));
  CHECK_INT(u, 65534);
  CHECK_INT(g, 65533);
  /* root is never a target; a missing user or file is "not found" */
  CHECK(!pr_passwd_ids(path, "root", &u, &g));
  CHECK(!pr_passwd_ids(path, "sagemaker-user", &u, &g));
  unlink(path);
  CHECK(!pr_passwd_ids(path, "nobody", &u, &g));
  /* Amazon Linux 2 has nobody as 99:99 */
  write_file("passwd", "nobody:x:99:99:Nobody:/:/sbin/nologin", path,
             sizeof(path));
  CHECK(pr_passwd_ids(path, "nobody", &u, &g));
  CHECK_INT(u, 99);
  CHECK_INT(g, 99);
  write_file("passwd", "nobody:x:-1:abc:Nobody:/:/sbin/nologin\n", path,
             sizeof(path));
  CHECK(!pr_passwd_ids(path, "nobody", &u, &g));
  unlink(path);
}

int main(void)
{
  if(!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  ca_bundle();
  passwd();
  rmdir(dir);
  return CHECK_DONE();
}
