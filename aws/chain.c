/* aws/chain.c: which credentials a run uses, in the AWS CLI's order. An
 * explicit --profile skips the environment keys, as botocore's explicit
 * profile does; the container endpoint and IMDS come last. A source that
 * is configured but broken is an error, not a reason to try the next one
 * (the CLI would not silently switch identities either), except IMDS,
 * which is simply absent off EC2. */
#include "internal.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/log.h"

#define CONTAINER_HOST "http://169.254.170.2"
#define IMDS_V4 "http://169.254.169.254"
#define IMDS_V6 "http://[fd00:ec2::254]"

static const char *env(const char *name)
{
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}

static xd_rc from_env(aws_ctx *c, aws_creds_provider **out, xd_err *e)
{
  const char *akid = env("AWS_ACCESS_KEY_ID");
  const char *secret = env("AWS_SECRET_ACCESS_KEY");
  const char *token = env("AWS_SESSION_TOKEN");
  if(!token)
    token = env("AWS_SECURITY_TOKEN");
  xd_log_add_secret(secret);
  xd_log_add_secret(token);
  *out = NULL;
  if(akid && secret)
    return aws_creds_static_new(c, "environment", akid, secret, token, out, e);
  if(akid || secret)
    return xd_fail(e, XD_E_PERM, "%s is set but %s is not",
                   akid ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                   akid ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
  return XD_OK;
}

/* botocore accepts http only towards the loopback or the ECS/EKS agent. */
bool aws_container_url_ok(const char *url)
{
  char host[256];
  const char *h;
  size_t l;
  struct in_addr a4;
  if(!strncasecmp(url, "https://", 8))
    return true;
  if(strncasecmp(url, "http://", 7))
    return false;
  h = url + 7;
  if(*h == '[') {
    l = strcspn(h, "]");
    snprintf(host, sizeof(host), "%.*s", (int)(l > 0 ? l - 1 : 0), h + 1);
    return !strcmp(host, "::1") || !strcasecmp(host, "fd00:ec2::23");
  }
  l = strcspn(h, ":/?#");
  snprintf(host, sizeof(host), "%.*s", (int)l, h);
  if(!strcasecmp(host, "localhost") || !strcmp(host, "169.254.170.2") ||
     !strcmp(host, "169.254.170.23"))
    return true;
  return inet_pton(AF_INET, host, &a4) == 1 &&
         (ntohl(a4.s_addr) >> 24) == 127;
}

static xd_rc from_container(aws_ctx *c, aws_creds_provider **out, xd_err *e)
{
  const char *rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const char *full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  xd_buf url;
  xd_rc rc;
  *out = NULL;
  if(!rel && !full)
    return XD_OK;
  xd_buf_init(&url);
  if(rel)
    xd_buf_printf(&url, "%s%s%s", CONTAINER_HOST, rel[0] == '/' ? "" : "/",
                  rel);
  else if(!aws_container_url_ok(full))
    return xd_fail(e, XD_E_PERM, "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain "
                   "http is allowed only to the loopback or the container "
                   "agent (169.254.170.2, 169.254.170.23), not '%s'", full);
  else
    xd_buf_puts(&url, full);
  rc = url.failed ? xd_fail(e, XD_E_NOMEM, "out of memory")
                  : aws_creds_container_new(
                        c, xd_buf_str(&url),
                        env("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
                        env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"), out, e);
  xd_buf_free(&url);
  return rc;
}

static xd_rc from_imds(aws_ctx *c, aws_creds_provider **out, xd_err *e)
{
  const char *dis = env("AWS_EC2_METADATA_DISABLED");
  const char *base = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  const char *mode = env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
  *out = NULL;
  if(dis && !strcasecmp(dis, "true"))
    return XD_OK;
  if(!base)
    base = aws_profile_get(&c->profiles, c->profile,
                           "ec2_metadata_service_endpoint");
  if(!mode)
    mode = aws_profile_get(&c->profiles, c->profile,
                           "ec2_metadata_service_endpoint_mode");
  if(!base)
    base = mode && !strcasecmp(mode, "IPv6") ? IMDS_V6 : IMDS_V4;
  if(!aws_endpoint_url_ok(base))
    return xd_fail(e, XD_E_USAGE, "AWS_EC2_METADATA_SERVICE_ENDPOINT: '%s' is "
                   "not an http:// URL", base);
  return aws_creds_imds_new(c, base, out, e);
}

/* The credentials a profile names: static keys, or a role assumed with a
 * source profile's keys or a credential_source. *out NULL when the
 * profile holds none. */
static xd_rc from_profile(aws_ctx *c, const char *name, int depth,
                          aws_creds_provider **out, xd_err *e)
{
  const aws_profiles *ps = &c->profiles;
  const char *role = aws_profile_get(ps, name, "role_arn");
  const char *akid = aws_profile_get(ps, name, "aws_access_key_id");
  const char *secret = aws_profile_get(ps, name, "aws_secret_access_key");
  const char *token = aws_profile_get(ps, name, "aws_session_token");
  char label[300];
  xd_rc rc;

  *out = NULL;
  if(!token)
    token = aws_profile_get(ps, name, "aws_security_token");
  xd_log_add_secret(secret);
  xd_log_add_secret(token);
  if(role) {
    const char *src = aws_profile_get(ps, name, "source_profile");
    const char *cs = aws_profile_get(ps, name, "credential_source");
    const char *region = aws_profile_get(ps, name, "region");
    aws_creds_provider *source = NULL;
    if(aws_profile_get(ps, name, "mfa_serial"))
      return xd_fail(e, XD_E_PERM, "profile %s: mfa_serial needs an MFA code "
                     "typed in; use a profile without it", name);
    if(src && cs)
      return xd_fail(e, XD_E_PERM, "profile %s has both source_profile and "
                     "credential_source", name);
    if(src && !strcmp(src, name)) {
      /* a profile may be its own source: its keys assume its role */
      if(!akid || !secret)
        return xd_fail(e, XD_E_PERM, "profile %s is its own source_profile "
                       "but has no keys", name);
      snprintf(label, sizeof(label), "profile %s", name);
      rc = aws_creds_static_new(c, label, akid, secret, token, &source, e);
    }
    else if(src) {
      if(depth >= 4)
        return xd_fail(e, XD_E_PERM, "profile %s: source_profile chain is "
                       "longer than 4 (a loop?)", name);
      if(!aws_profile_exists(ps, src))
        return xd_fail(e, XD_E_PERM, "profile %s: source_profile %s does not "
                       "exist", name, src);
      rc = from_profile(c, src, depth + 1, &source, e);
      if(rc == XD_OK && !source)
        rc = xd_fail(e, XD_E_PERM, "profile %s: source_profile %s holds no "
                     "credentials", name, src);
    }
    else if(cs && !strcmp(cs, "Environment")) {
      rc = from_env(c, &source, e);
      if(rc == XD_OK && !source)
        rc = xd_fail(e, XD_E_PERM, "profile %s: credential_source Environment "
                     "but AWS_ACCESS_KEY_ID is not set", name);
    }
    else if(cs && !strcmp(cs, "EcsContainer")) {
      rc = from_container(c, &source, e);
      if(rc == XD_OK && !source)
        rc = xd_fail(e, XD_E_PERM, "profile %s: credential_source EcsContainer "
                     "but no container endpoint is set", name);
    }
    else if(cs && !strcmp(cs, "Ec2InstanceMetadata"))
      rc = from_imds(c, &source, e);
    else
      return xd_fail(e, XD_E_PERM, "profile %s: role_arn needs source_profile "
                     "or credential_source (Environment, Ec2InstanceMetadata, "
                     "EcsContainer)%s%s", name, cs ? ", not " : "",
                     cs ? cs : "");
    if(rc != XD_OK)
      return rc;
    if(!source)
      return xd_fail(e, XD_E_PERM, "profile %s: its credential source is "
                     "disabled", name);
    return aws_creds_assume_role(c, source, role,
                                 aws_profile_get(ps, name, "role_session_name")
                                     ? aws_profile_get(ps, name,
                                                       "role_session_name")
                                     : "xacct-doctor",
                                 aws_profile_get(ps, name, "external_id"),
                                 region ? region : c->region, out, e);
  }
  if(akid && secret) {
    snprintf(label, sizeof(label), "profile %s", name);
    return aws_creds_static_new(c, label, akid, secret, token, out, e);
  }
  if(akid || secret)
    return xd_fail(e, XD_E_PERM, "profile %s has %s but not %s", name,
                   akid ? "aws_access_key_id" : "aws_secret_access_key",
                   akid ? "aws_secret_access_key" : "aws_access_key_id");
  if(aws_profile_get(ps, name, "credential_process") ||
     aws_profile_get(ps, name, "sso_session") ||
     aws_profile_get(ps, name, "sso_start_url") ||
     aws_profile_get(ps, name, "web_identity_token_file"))
    return xd_fail(e, XD_E_PERM, "profile %s uses credential_process, SSO or "
                   "web identity, which xacct-doctor does not run; export "
                   "the keys (aws configure export-credentials --profile %s "
                   "--format env) and try again", name, name);
  return XD_OK;
}

xd_rc aws_creds_profile(aws_ctx *c, const char *name,
                        aws_creds_provider **out, xd_err *e)
{
  xd_rc rc;
  *out = NULL;
  if(!aws_profile_exists(&c->profiles, name))
    return xd_fail(e, XD_E_USAGE, "the AWS profile '%s' is in neither %s "
                   "nor %s", name, c->profiles.creds_path,
                   c->profiles.config_path);
  rc = from_profile(c, name, 0, out, e);
  if(rc == XD_OK && !*out)
    rc = xd_fail(e, XD_E_PERM, "the AWS profile '%s' holds no credentials",
                 name);
  return rc;
}

xd_rc aws_creds_default(aws_ctx *c, aws_creds_provider **out, xd_err *e)
{
  aws_creds_provider *p = NULL;
  const aws_creds *cr;
  xd_buf tried;
  xd_rc rc;

  *out = NULL;
  if(c->base) {
    *out = c->base;
    return XD_OK;
  }
  xd_buf_init(&tried);
  if(!c->profile_explicit) {
    rc = from_env(c, &p, e);
    if(rc != XD_OK || p)
      goto found;
    xd_buf_puts(&tried, "the environment (AWS_ACCESS_KEY_ID)");
  }
  rc = from_profile(c, c->profile, 0, &p, e);
  if(rc != XD_OK || p)
    goto found;
  xd_buf_printf(&tried, "%sprofile %s (%s, %s)", tried.len ? ", " : "",
                c->profile, c->profiles.creds_path, c->profiles.config_path);
  rc = from_container(c, &p, e);
  if(rc != XD_OK || p)
    goto found;
  xd_buf_puts(&tried, ", the container endpoint (not set)");
  rc = from_imds(c, &p, e);
  if(rc != XD_OK)
    goto found;
  if(p) {
    rc = aws_creds_get(c, p, false, &cr, e);
    if(rc == XD_OK)
      goto found;
    xd_buf_printf(&tried, ", instance metadata (%s)", e->msg);
  }
  else
    xd_buf_puts(&tried, ", instance metadata (AWS_EC2_METADATA_DISABLED)");
  rc = xd_fail(e, XD_E_PERM, "no AWS credentials found; tried %s",
               xd_buf_str(&tried));
  p = NULL;
found:
  xd_buf_free(&tried);
  if(rc == XD_OK && p) {
    /* prove them now: a broken source should fail before any fetch */
    rc = aws_creds_get(c, p, false, &cr, e);
    if(rc != XD_OK)
      xd_err_prefix(e, "credentials from %s: ", aws_creds_source(p));
  }
  if(rc != XD_OK)
    return rc;
  xd_log_info("AWS credentials from %s", aws_creds_source(p));
  c->base = p;
  *out = p;
  return XD_OK;
}
