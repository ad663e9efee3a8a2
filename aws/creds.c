/* aws/creds.c: credential providers and their renewal. A secret is given
 * to xd_log_add_secret() the moment it is read, before anything could log
 * it, and wiped from memory when it is replaced or the run ends. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/fileio.h"
#include "../common/jsonutil.h"
#include "../common/log.h"
#include "../common/wipe.h"

typedef enum {
  CP_STATIC,
  CP_ASSUME_ROLE,
  CP_CONTAINER,
  CP_IMDS
} cp_kind;

struct aws_creds_provider {
  cp_kind kind;
  char *label;
  aws_creds cur;
  bool have;
  time_t obtained;
  unsigned fetches;
  char last_code[128];   /* AWS's code for the last failed fetch */
  /* assume role */
  aws_creds_provider *source;
  char *role_arn, *session_name, *external_id, *region;
  /* container: url and the token (or the file that holds it);
   * imds: url is the service's base */
  char *url, *auth_token, *auth_token_file;
};

static void creds_clear(aws_creds *cr)
{
  free(cr->access_key_id);
  xd_wipe_free(cr->secret_key);
  xd_wipe_free(cr->session_token);
  memset(cr, 0, sizeof(*cr));
}

void aws_creds_provider_free(aws_creds_provider *p)
{
  if(!p)
    return;
  creds_clear(&p->cur);
  free(p->label);
  free(p->role_arn);
  free(p->session_name);
  free(p->external_id);
  free(p->region);
  free(p->url);
  xd_wipe_free(p->auth_token);
  free(p->auth_token_file);
  free(p);
}

static aws_creds_provider *provider_new(aws_ctx *c, cp_kind kind,
                                        const char *label)
{
  aws_creds_provider *p = calloc(1, sizeof(*p));
  if(!p)
    return NULL;
  p->kind = kind;
  p->label = strdup(label);
  if(!p->label) {
    free(p);
    return NULL;
  }
  return aws_ctx_own(c, p) ? p : NULL;
}

bool aws_creds_refreshable(const aws_creds_provider *p)
{
  return p && p->kind != CP_STATIC;
}

const char *aws_creds_source(const aws_creds_provider *p)
{
  return p ? p->label : "(none)";
}

const char *aws_creds_error_code(const aws_creds_provider *p)
{
  return p && p->last_code[0] ? p->last_code : NULL;
}

unsigned aws_creds_fetches(const aws_creds_provider *p)
{
  return p ? p->fetches : 0;
}

/* Take the strings (copied) as p's credentials and register the secrets. */
static xd_rc set_creds(aws_creds_provider *p, const char *akid,
                       const char *secret, const char *token, time_t exp,
                       xd_err *e)
{
  aws_creds n;
  xd_log_add_secret(secret);
  xd_log_add_secret(token);
  memset(&n, 0, sizeof(n));
  n.access_key_id = strdup(akid);
  n.secret_key = strdup(secret);
  n.session_token = token && *token ? strdup(token) : NULL;
  n.expiration = exp;
  if(!n.access_key_id || !n.secret_key || (token && *token && !n.session_token)) {
    creds_clear(&n);
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  }
  creds_clear(&p->cur);
  p->cur = n;
  p->have = true;
  p->obtained = time(NULL);
  p->fetches++;
  return XD_OK;
}

xd_rc aws_creds_static_new(aws_ctx *c, const char *label, const char *akid,
                           const char *secret, const char *token,
                           aws_creds_provider **out, xd_err *e)
{
  aws_creds_provider *p;
  xd_log_add_secret(secret);
  xd_log_add_secret(token);
  p = provider_new(c, CP_STATIC, label);
  if(!p)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  *out = p;
  return set_creds(p, akid, secret, token, 0, e);
}

xd_rc aws_creds_assume_role(aws_ctx *c, aws_creds_provider *source,
                            const char *role_arn, const char *session_name,
                            const char *external_id, const char *region,
                            aws_creds_provider **out, xd_err *e)
{
  aws_creds_provider *p;
  char label[600];
  snprintf(label, sizeof(label), "role %s", role_arn);
  p = provider_new(c, CP_ASSUME_ROLE, label);
  if(!p)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  p->source = source;
  p->role_arn = strdup(role_arn);
  p->session_name = strdup(session_name ? session_name : "SageMakerStudioUser");
  p->external_id = external_id ? strdup(external_id) : NULL;
  p->region = strdup(region && *region ? region : "us-east-1");
  if(!p->role_arn || !p->session_name || !p->region ||
     (external_id && !p->external_id))
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  *out = p;
  return XD_OK;
}

xd_rc aws_creds_container_new(aws_ctx *c, const char *url, const char *token,
                              const char *token_file,
                              aws_creds_provider **out, xd_err *e)
{
  aws_creds_provider *p;
  xd_log_add_secret(token);
  p = provider_new(c, CP_CONTAINER, "container credentials endpoint");
  if(!p)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  p->url = strdup(url);
  p->auth_token = token && *token ? strdup(token) : NULL;
  p->auth_token_file = token_file && *token_file ? strdup(token_file) : NULL;
  if(!p->url)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  *out = p;
  return XD_OK;
}

xd_rc aws_creds_imds_new(aws_ctx *c, const char *base,
                         aws_creds_provider **out, xd_err *e)
{
  aws_creds_provider *p = provider_new(c, CP_IMDS, "instance metadata (IMDSv2)");
  size_t l = strlen(base);
  if(!p)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  while(l && base[l - 1] == '/')
    l--;
  p->url = strndup(base, l);
  if(!p->url)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  *out = p;
  return XD_OK;
}

void aws_creds_fields_read(const cJSON *o, const char *token_key,
                           aws_creds_fields *f)
{
  f->akid = xd_json_str(o, "AccessKeyId");
  f->secret = xd_json_str(o, "SecretAccessKey");
  f->token = xd_json_str(o, token_key);
  f->expiration = xd_json_str(o, "Expiration");
  xd_log_add_secret(f->secret);
  xd_log_add_secret(f->token);
}

/* The JSON both the container endpoint and IMDS answer with. */
static xd_rc take_json_creds(aws_creds_provider *p, const xd_buf *body,
                             const char *what, xd_err *e)
{
  cJSON *doc = NULL;
  aws_creds_fields f;
  const char *code;
  time_t t = 0;
  xd_rc rc;
  rc = xd_json_parse_text(what, xd_buf_str(body), body->len, &doc, e);
  if(rc != XD_OK)
    return rc;
  /* registered before any message could quote the document */
  aws_creds_fields_read(doc, "Token", &f);
  code = xd_json_str(doc, "Code");
  if(code && strcmp(code, "Success"))
    rc = xd_fail(e, XD_E_PERM, "%s answered Code %s", what, code);
  else if(!f.akid || !f.secret)
    rc = xd_fail(e, XD_E_PARSE, "%s: the answer lacks AccessKeyId or "
                 "SecretAccessKey", what);
  else if(f.expiration && !xd_iso8601_parse(f.expiration, &t))
    rc = xd_fail(e, XD_E_PARSE, "%s: Expiration '%s' is not ISO 8601", what,
                 f.expiration);
  else
    rc = set_creds(p, f.akid, f.secret, f.token, t, e);
  xd_json_wipe_delete(doc);
  return rc;
}

/* A request to a metadata service (the container endpoint or IMDS). */
static void metadata_req(aws_http_req *r, const char *method, const char *url,
                         double timeout_ms, long connect_timeout_ms)
{
  memset(r, 0, sizeof(*r));
  r->method = method;
  r->url = url;
  r->timeout_ms = timeout_ms;
  r->connect_timeout_ms = connect_timeout_ms;
  r->metadata = true;
}

static xd_rc fetch_container(aws_ctx *c, aws_creds_provider *p, xd_err *e)
{
  aws_http_req r;
  aws_http_resp resp;
  aws_header h;
  char *file_token = NULL;
  size_t file_len = 0;
  xd_rc rc = XD_OK;

  metadata_req(&r, "GET", p->url, 5000, 2000);
  if(p->auth_token_file) {
    size_t len;
    rc = xd_file_read(p->auth_token_file, 64 * 1024, &file_token, &len, e);
    if(rc != XD_OK)
      return rc;
    file_len = len;
    while(len && (file_token[len - 1] == '\n' || file_token[len - 1] == '\r'))
      file_token[--len] = '\0';
    xd_log_add_secret(file_token);
  }
  if(file_token || p->auth_token) {
    h.name = "Authorization";
    h.value = file_token ? file_token : p->auth_token;
    r.headers = &h;
    r.n_headers = 1;
  }
  /* botocore tries the container endpoint three times */
  for(int i = 0; i < 3; i++) {
    rc = aws_http_do(c, &r, &resp, e);
    if(rc == XD_OK && resp.status == 200)
      break;
    if(rc == XD_OK) {
      rc = xd_fail(e, XD_E_PERM, "the container credentials endpoint %s "
                   "answered HTTP %ld", p->url, resp.status);
      aws_http_resp_free(&resp);
      if(resp.status < 500)
        break;
    }
    else if(!aws_http_retryable(rc))
      break;
    if(!aws_sleep_ms(c, 100))
      break;
  }
  if(rc == XD_OK) {
    rc = take_json_creds(p, &resp.body, "the container credentials endpoint",
                         e);
    xd_buf_wipe_free(&resp.body);
    aws_http_resp_free(&resp);
  }
  /* the whole file: a NUL inside it would stop a strlen short */
  xd_wipe(file_token, file_len);
  free(file_token);
  return rc;
}

static xd_rc imds_get(aws_ctx *c, const char *url, const char *method,
                      const aws_header *h, aws_http_resp *resp, xd_err *e)
{
  aws_http_req r;
  xd_rc rc;
  metadata_req(&r, method, url, 2000, 1000);
  r.headers = h;
  r.n_headers = 1;
  rc = aws_http_do(c, &r, resp, e);
  if(rc == XD_OK && resp->status != 200) {
    rc = xd_fail(e, XD_E_PERM, "instance metadata %s %s: HTTP %ld", method,
                 url, resp->status);
    aws_http_resp_free(resp);
  }
  return rc;
}

static xd_rc fetch_imds(aws_ctx *c, aws_creds_provider *p, xd_err *e)
{
  aws_http_resp resp;
  aws_header h;
  xd_buf url;
  char *token = NULL, *role = NULL;
  xd_rc rc;

  xd_buf_init(&url);
  /* IMDSv2: a session token first, by PUT (a hop limit of 1 keeps it on
   * the instance) */
  xd_buf_printf(&url, "%s/latest/api/token", p->url);
  h.name = "X-aws-ec2-metadata-token-ttl-seconds";
  h.value = "21600";
  rc = imds_get(c, xd_buf_str(&url), "PUT", &h, &resp, e);
  if(rc != XD_OK)
    goto done;
  token = xd_buf_steal(&resp.body);
  aws_http_resp_free(&resp);
  if(!token || !*token) {
    rc = xd_fail(e, XD_E_PARSE, "instance metadata gave an empty token");
    goto done;
  }
  xd_log_add_secret(token);
  h.name = "X-aws-ec2-metadata-token";
  h.value = token;
  xd_buf_reset(&url);
  xd_buf_printf(&url, "%s/latest/meta-data/iam/security-credentials/", p->url);
  rc = imds_get(c, xd_buf_str(&url), "GET", &h, &resp, e);
  if(rc != XD_OK) {
    xd_err_prefix(e, "no instance profile role: ");
    goto done;
  }
  role = xd_buf_steal(&resp.body);
  aws_http_resp_free(&resp);
  if(!role || !*role || strcspn(role, "\r\n") == 0) {
    rc = xd_fail(e, XD_E_PERM, "the instance has no instance profile role");
    goto done;
  }
  role[strcspn(role, "\r\n")] = '\0';
  if(strpbrk(role, "/?#% ")) {
    rc = xd_fail(e, XD_E_PARSE, "instance metadata: odd role name");
    goto done;
  }
  xd_buf_reset(&url);
  xd_buf_printf(&url, "%s/latest/meta-data/iam/security-credentials/%s",
                p->url, role);
  rc = imds_get(c, xd_buf_str(&url), "GET", &h, &resp, e);
  if(rc != XD_OK)
    goto done;
  rc = take_json_creds(p, &resp.body, "instance metadata", e);
  xd_buf_wipe_free(&resp.body);
  aws_http_resp_free(&resp);
done:
  xd_wipe_free(token);
  free(role);
  xd_buf_free(&url);
  return rc;
}

static xd_rc fetch_assume(aws_ctx *c, aws_creds_provider *p, xd_err *e)
{
  aws_target t;
  aws_api_error ae;
  aws_creds n;
  xd_rc rc;
  t.service = "sts";
  t.region = p->region;
  t.creds = p->source;
  rc = aws_sts_assume_role(c, &t, p->role_arn, p->session_name,
                           p->external_id, &n, &ae, e);
  p->last_code[0] = '\0';
  if(rc == XD_E_AWS)
    snprintf(p->last_code, sizeof(p->last_code), "%s", ae.code);
  if(rc == XD_E_AWS && (!strcmp(ae.code, "AccessDenied") ||
                        !strcmp(ae.code, "AccessDeniedException"))) {
    xd_buf b;
    xd_buf_init(&b);
    aws_error_assume_role(p->role_arn, &ae, &b);
    xd_fail(e, XD_E_PERM, "%s", xd_buf_str(&b));
    xd_buf_free(&b);
    return XD_E_PERM;
  }
  if(rc != XD_OK) {
    xd_err_prefix(e, "assuming %s with credentials from %s: ", p->role_arn,
                  aws_creds_source(p->source));
    return rc;
  }
  rc = set_creds(p, n.access_key_id, n.secret_key, n.session_token,
                 n.expiration, e);
  creds_clear(&n);
  return rc;
}

xd_rc aws_creds_get(aws_ctx *c, aws_creds_provider *p, bool force,
                    const aws_creds **out, xd_err *e)
{
  xd_rc rc = XD_OK;
  time_t now = time(NULL);
  bool due;

  *out = NULL;
  if(!p)
    return xd_fail(e, XD_E_PERM, "no AWS credentials");
  due = !p->have || force ||
        (p->cur.expiration &&
         p->cur.expiration - now < AWS_CREDS_REFRESH_MARGIN_S);
  if(due && p->kind == CP_STATIC) {
    if(!p->have)
      return xd_fail(e, XD_E_PERM, "no AWS credentials");
    /* keys from a file or the environment cannot be renewed by us */
    if(force)
      return xd_fail(e, XD_E_PERM, "the credentials from %s have expired; "
                     "get fresh ones", p->label);
    due = false;
  }
  if(due) {
    xd_log_info("fetching credentials from %s", p->label);
    switch(p->kind) {
    case CP_ASSUME_ROLE:
      /* a renewal must reach STS, not the answer kept from before */
      c->fresh_next = p->have || force;
      rc = fetch_assume(c, p, e);
      c->fresh_next = false;
      break;
    case CP_CONTAINER: rc = fetch_container(c, p, e); break;
    case CP_IMDS: rc = fetch_imds(c, p, e); break;
    default: break;
    }
    if(rc != XD_OK) {
      if(p->have && !force && p->cur.expiration > now) {
        /* early renewal failed but the old ones still work: use them */
        xd_log_warn("renewing credentials from %s failed (%s); the current "
                    "ones are still valid", p->label, e->msg);
        rc = XD_OK;
      }
      else
        return rc;
    }
  }
  *out = &p->cur;
  return XD_OK;
}
