/* aws/chain.c: which credentials a run uses, in the AWS CLI's order. An
 * explicit --profile skips the environment keys, as botocore's explicit
 * profile does; the container endpoint and IMDS come last. A source that
 * is configured but broken is an error, not a reason to try the next one
 * (the CLI would not silently switch identities either), except IMDS,
 * which is simply absent off EC2. */
#include "internal.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
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

/* The host curl will really connect to, taken from curl's own parse of the
 * URL (a hand-made split is fooled by "http://127.0.0.1:80@other/"): https
 * anywhere; plain http, which carries the token in clear, only to the
 * loopback (127.0.0.0/8, ::1) or the ECS/EKS agents (169.254.170.2,
 * 169.254.170.23, fd00:ec2::23); never userinfo. Names are refused for
 * http: only an address says where the token goes. */
static bool http_host_ok(const char *host)
{
  struct in_addr a4;
  struct in6_addr a6, agent6;
  char v6[64];
  size_t l = strlen(host);
  if(inet_pton(AF_INET, host, &a4) == 1)
    return (ntohl(a4.s_addr) >> 24) == 127 ||
           ntohl(a4.s_addr) == 0xA9FEAA02u ||  /* 169.254.170.2 */
           ntohl(a4.s_addr) == 0xA9FEAA17u;    /* 169.254.170.23 */
  if(l < 3 || l - 2 >= sizeof(v6) || host[0] != '[' || host[l - 1] != ']')
    return false;
  memcpy(v6, host + 1, l - 2);
  v6[l - 2] = '\0';
  if(inet_pton(AF_INET6, v6, &a6) != 1 ||
     inet_pton(AF_INET6, "fd00:ec2::23", &agent6) != 1)
    return false;
  return IN6_IS_ADDR_LOOPBACK(&a6) || !memcmp(&a6, &agent6, sizeof(a6));
}

xd_rc aws_container_url(const char *url, char **out, xd_err *e)
{
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *user = NULL, *pass = NULL;
  char *opts = NULL, *zone = NULL, *norm = NULL;
  xd_rc rc = XD_OK;
  *out = NULL;
  if(!u)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  if(curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
     curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
     curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
    rc = xd_fail(e, XD_E_PERM, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a "
                 "URL with a scheme and a host");
    goto done;
  }
  curl_url_get(u, CURLUPART_USER, &user, 0);
  curl_url_get(u, CURLUPART_PASSWORD, &pass, 0);
  curl_url_get(u, CURLUPART_OPTIONS, &opts, 0);
  curl_url_get(u, CURLUPART_ZONEID, &zone, 0);
  if(user || pass || opts) {
    rc = xd_fail(e, XD_E_PERM, "AWS_CONTAINER_CREDENTIALS_FULL_URI holds a "
                 "user name or password (text before '@'); refused, as it "
                 "hides which host the token would go to");
    goto done;
  }
  if(strcmp(scheme, "https") &&
     (strcmp(scheme, "http") || zone || !http_host_ok(host))) {
    rc = xd_fail(e, XD_E_PERM, "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain "
                 "http is allowed only to the loopback (127.0.0.0/8, ::1) "
                 "or the container agent (169.254.170.2, 169.254.170.23, "
                 "fd00:ec2::23); use https for any other host");
    goto done;
  }
  /* curl's own rendering of what it parsed: the request goes exactly
   * where the check looked */
  if(curl_url_get(u, CURLUPART_URL, &norm, 0) != CURLUE_OK ||
     !(*out = strdup(norm)))
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
done:
  curl_free(scheme);
  curl_free(host);
  curl_free(user);
  curl_free(pass);
  curl_free(opts);
  curl_free(zone);
  curl_free(norm);
  curl_url_cleanup(u);
  return rc;
}

bool aws_container_url_ok(const char *url)
{
  char *out = NULL;
  bool ok = aws_container_url(url, &out, NULL) == XD_OK;
  free(out);
  return ok;
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
  else {
    char *checked = NULL;
    rc = aws_container_url(full, &checked, e);
    if(rc != XD_OK)
      return rc;
    xd_buf_puts(&url, checked);
    free(checked);
  }
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
