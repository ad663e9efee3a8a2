/* Which CA certificates HTTPS to AWS trusts, found the way the AWS CLI
 * finds them, so a bundle that works for `aws` works here: AWS_CA_BUNDLE,
 * the profile's ca_bundle, SSL_CERT_FILE, then the system bundles. The
 * static build carries no compiled-in path that would fit both Amazon
 * Linux (EMR) and Ubuntu (Studio), so the search is always ours. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/buf.h"
#include "internal.h"

/* In this order: Amazon Linux and RHEL first (the EMR node), then Debian
 * and Ubuntu (Studio), then the other distributions' usual places. */
const char *const aws_ca_system_paths[] = {
  "/etc/pki/tls/certs/ca-bundle.crt",
  "/etc/ssl/certs/ca-certificates.crt",
  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
  "/etc/ssl/ca-bundle.pem",
  "/etc/pki/tls/cacert.pem",
  "/etc/ssl/cert.pem",
  NULL
};

static bool readable_file(const char *path, int *err)
{
  struct stat st;
  if(stat(path, &st) != 0) {
    *err = errno;
    return false;
  }
  if(!S_ISREG(st.st_mode)) {
    *err = EISDIR;
    return false;
  }
  if(access(path, R_OK) != 0) {
    *err = errno;
    return false;
  }
  return true;
}

/* A bundle the user named must be there: the AWS CLI fails too rather
 * than fall back to another one silently. */
static xd_rc named(const char *what, const char *path, const char **out,
                   xd_err *e)
{
  int err = 0;
  if(!readable_file(path, &err))
    return xd_fail(e, XD_E_IO, "%s %s: the CA bundle cannot be read: %s",
                   what, path, strerror(err));
  *out = path;
  return XD_OK;
}

xd_rc aws_ca_bundle_find(const char *profile_ca, const char *profile,
                         const char *const *system, const char **out,
                         xd_err *e)
{
  const char *env = getenv("AWS_CA_BUNDLE");
  xd_buf tried;
  xd_rc rc;
  int err = 0;

  *out = NULL;
  if(env && *env)
    return named("AWS_CA_BUNDLE", env, out, e);
  if(profile_ca && *profile_ca) {
    char what[160];
    snprintf(what, sizeof(what), "ca_bundle of profile %s",
             profile ? profile : "default");
    return named(what, profile_ca, out, e);
  }
  env = getenv("SSL_CERT_FILE");
  if(env && *env)
    return named("SSL_CERT_FILE", env, out, e);
  for(size_t i = 0; system[i]; i++)
    if(readable_file(system[i], &err)) {
      *out = system[i];
      return XD_OK;
    }
  xd_buf_init(&tried);
  for(size_t i = 0; system[i]; i++)
    xd_buf_printf(&tried, "%s%s", i ? ", " : "", system[i]);
  rc = xd_fail(e, XD_E_NOTFOUND, "no CA certificates for HTTPS: "
               "AWS_CA_BUNDLE, the profile's ca_bundle and SSL_CERT_FILE are "
               "not set, and none of %s exists; set AWS_CA_BUNDLE to a PEM "
               "bundle", tried.failed ? "the system bundles" : xd_buf_str(&tried));
  xd_buf_free(&tried);
  return rc;
}

xd_rc aws_ca_bundle(const aws_ctx *c, const char **out, xd_err *e)
{
  const char *pca = aws_profile_get(&c->profiles, c->profile, "ca_bundle");
  return aws_ca_bundle_find(pca, c->profile, aws_ca_system_paths, out, e);
}

xd_rc aws_ca_bundle_default(const char **out, xd_err *e)
{
  return aws_ca_bundle_find(NULL, NULL, aws_ca_system_paths, out, e);
}
