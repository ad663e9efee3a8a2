/* aws/sigv4.c: Signature Version 4. Each step follows botocore's SigV4Auth
 * (auth.py) rather than a reading of the spec alone, because "verifies
 * where botocore's verifies" is what the tests can check and what users
 * get: the path is normalised and encoded a second time (non-S3 rule), the
 * query is sorted as it stands, header values are trimmed with runs of
 * white space folded, and repeated headers are joined with commas. */
#include "sigv4.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "../common/wipe.h"

typedef struct {
  char *name;  /* lower case */
  xd_buf value;
} sig_hdr;

static const char hexu[] = "0123456789ABCDEF";

static bool is_unreserved(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
         c == '~';
}

xd_rc aws_uri_encode(xd_buf *b, const char *s, size_t len, int keep_slash)
{
  for(size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if(is_unreserved(c) || (keep_slash && c == '/'))
      xd_buf_putc(b, (char)c);
    else {
      char enc[3] = {'%', hexu[c >> 4], hexu[c & 15]};
      xd_buf_append(b, enc, 3);
    }
  }
  return b->failed ? XD_E_NOMEM : XD_OK;
}

void aws_sha256_hex(const void *data, size_t len, char hex[65])
{
  static const char hexl[] = "0123456789abcdef";
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(data ? data : (const void *)"", len, md);
  for(int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
    hex[2 * i] = hexl[md[i] >> 4];
    hex[2 * i + 1] = hexl[md[i] & 15];
  }
  hex[64] = '\0';
}

/* Python's str.split() white space, for the ASCII range header values use. */
static bool py_space(unsigned char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* botocore: ' '.join(value.split()) */
static void trim_all(xd_buf *b, const char *v)
{
  bool first = true;
  const unsigned char *p = (const unsigned char *)v;
  while(*p) {
    const unsigned char *w;
    while(*p && py_space(*p))
      p++;
    if(!*p)
      break;
    w = p;
    while(*p && !py_space(*p))
      p++;
    if(!first)
      xd_buf_putc(b, ' ');
    xd_buf_append(b, w, (size_t)(p - w));
    first = false;
  }
}

typedef struct {
  const char *scheme; size_t scheme_len;
  const char *host; size_t host_len;   /* without brackets for IPv6 */
  bool ipv6;
  long port;                           /* -1 when absent */
  const char *path; size_t path_len;
  const char *query; size_t query_len;
} url_parts;

/* urllib.parse.urlsplit for the absolute URLs we build. */
static xd_rc split_url(const char *url, url_parts *u, xd_err *e)
{
  const char *p = strstr(url, "://"), *auth, *auth_end, *h, *at;
  memset(u, 0, sizeof(*u));
  u->port = -1;
  if(!p || p == url)
    return xd_fail(e, XD_E_INVALID, "URL is not absolute: %s", url);
  u->scheme = url;
  u->scheme_len = (size_t)(p - url);
  auth = p + 3;
  auth_end = auth + strcspn(auth, "/?#");
  at = NULL;
  for(const char *q = auth; q < auth_end; q++)
    if(*q == '@')
      at = q;
  h = at ? at + 1 : auth;
  if(*h == '[') {
    const char *close = memchr(h, ']', (size_t)(auth_end - h));
    if(!close)
      return xd_fail(e, XD_E_INVALID, "bad IPv6 host in URL: %s", url);
    u->host = h + 1;
    u->host_len = (size_t)(close - h - 1);
    u->ipv6 = true;
    h = close + 1;
  }
  else {
    const char *colon = memchr(h, ':', (size_t)(auth_end - h));
    u->host = h;
    u->host_len = (size_t)((colon ? colon : auth_end) - h);
    h = colon ? colon : auth_end;
  }
  if(h < auth_end && *h == ':' && h + 1 < auth_end) {
    char *end;
    long port = strtol(h + 1, &end, 10);
    if(end != auth_end || port < 0 || port > 65535)
      return xd_fail(e, XD_E_INVALID, "bad port in URL: %s", url);
    u->port = port;
  }
  u->path = auth_end;
  u->path_len = strcspn(auth_end, "?#");
  if(auth_end[u->path_len] == '?') {
    u->query = auth_end + u->path_len + 1;
    u->query_len = strcspn(u->query, "#");
  }
  return XD_OK;
}

/* botocore's _host_from_url: lower case, default port left out. */
static void host_from_url(const url_parts *u, xd_buf *b)
{
  long def = -1;
  if(u->ipv6)
    xd_buf_putc(b, '[');
  for(size_t i = 0; i < u->host_len; i++)
    xd_buf_putc(b, (char)tolower((unsigned char)u->host[i]));
  if(u->ipv6)
    xd_buf_putc(b, ']');
  if(u->scheme_len == 4 && !strncmp(u->scheme, "http", 4))
    def = 80;
  else if(u->scheme_len == 5 && !strncmp(u->scheme, "https", 5))
    def = 443;
  if(u->port >= 0 && u->port != def)
    xd_buf_printf(b, ":%ld", u->port);
}

xd_rc aws_sigv4_host(const char *url, xd_buf *b, xd_err *e)
{
  url_parts u;
  xd_rc rc = split_url(url, &u, e);
  if(rc != XD_OK)
    return rc;
  host_from_url(&u, b);
  return b->failed ? xd_fail(e, XD_E_NOMEM, "out of memory") : XD_OK;
}

/* RFC 3986 dot-segment removal with empty segments dropped (botocore's
 * remove_dot_segments), then encoded once more keeping '/' and '~'. */
static xd_rc canonical_uri(const url_parts *u, xd_buf *out)
{
  const char **seg = NULL;
  size_t *seglen = NULL, n = 0, i = 0;
  const char *p = u->path, *end = u->path + u->path_len;
  xd_buf norm;
  xd_rc rc = XD_E_NOMEM;

  if(u->path_len == 0)
    return xd_buf_putc(out, '/');
  seg = calloc(u->path_len + 1, sizeof(*seg));
  seglen = calloc(u->path_len + 1, sizeof(*seglen));
  xd_buf_init(&norm);
  if(!seg || !seglen)
    goto done;
  while(i <= u->path_len) {
    const char *s = p + i;
    size_t l = 0;
    while(s + l < end && s[l] != '/')
      l++;
    if(l && !(l == 1 && s[0] == '.')) {
      if(l == 2 && s[0] == '.' && s[1] == '.') {
        if(n)
          n--;
      }
      else {
        seg[n] = s;
        seglen[n++] = l;
      }
    }
    i += l + 1;
  }
  if(p[0] == '/')
    xd_buf_putc(&norm, '/');
  for(size_t k = 0; k < n; k++) {
    if(k)
      xd_buf_putc(&norm, '/');
    xd_buf_append(&norm, seg[k], seglen[k]);
  }
  if(end[-1] == '/' && n)
    xd_buf_putc(&norm, '/');
  if(!norm.failed)
    rc = aws_uri_encode(out, xd_buf_str(&norm), norm.len, 1);
done:
  free(seg);
  free(seglen);
  xd_buf_free(&norm);
  return rc;
}

typedef struct {
  const char *k; size_t kl;
  const char *v; size_t vl;
} qpair;

static int bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
  int c = memcmp(a, b, al < bl ? al : bl);
  if(c)
    return c;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

static int qpair_cmp(const void *a, const void *b)
{
  const qpair *x = a, *y = b;
  int c = bytes_cmp(x->k, x->kl, y->k, y->kl);
  return c ? c : bytes_cmp(x->v, x->vl, y->v, y->vl);
}

/* The query as it stands, split on '&' and '=' and sorted by key then
 * value (botocore's _canonical_query_string_url). */
static xd_rc canonical_query(const url_parts *u, xd_buf *out)
{
  qpair *pairs;
  size_t n = 0;
  const char *p = u->query, *end = u->query + u->query_len;
  if(!u->query_len)
    return XD_OK;
  pairs = calloc(u->query_len + 1, sizeof(*pairs));
  if(!pairs)
    return XD_E_NOMEM;
  while(p <= end) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    const char *stop = amp ? amp : end;
    const char *eq = memchr(p, '=', (size_t)(stop - p));
    pairs[n].k = p;
    pairs[n].kl = (size_t)((eq ? eq : stop) - p);
    pairs[n].v = eq ? eq + 1 : stop;
    pairs[n].vl = eq ? (size_t)(stop - eq - 1) : 0;
    n++;
    p = stop + 1;
  }
  qsort(pairs, n, sizeof(*pairs), qpair_cmp);
  for(size_t i = 0; i < n; i++) {
    if(i)
      xd_buf_putc(out, '&');
    xd_buf_append(out, pairs[i].k, pairs[i].kl);
    xd_buf_putc(out, '=');
    xd_buf_append(out, pairs[i].v, pairs[i].vl);
  }
  free(pairs);
  return out->failed ? XD_E_NOMEM : XD_OK;
}

static bool blacklisted(const char *lname)
{
  return !strcmp(lname, "expect") || !strcmp(lname, "user-agent") ||
         !strcmp(lname, "x-amzn-trace-id");
}

static int hdr_cmp(const void *a, const void *b)
{
  return strcmp(((const sig_hdr *)a)->name, ((const sig_hdr *)b)->name);
}

/* Add one header value under its lower-case name; a repeated name gets
 * the value appended after a comma, in the order given. */
static xd_rc add_header(sig_hdr *h, size_t *n, const char *name,
                        const char *value)
{
  char *lname = strdup(name);
  if(!lname)
    return XD_E_NOMEM;
  for(char *c = lname; *c; c++)
    *c = (char)tolower((unsigned char)*c);
  if(blacklisted(lname)) {
    free(lname);
    return XD_OK;
  }
  for(size_t i = 0; i < *n; i++)
    if(!strcmp(h[i].name, lname)) {
      free(lname);
      xd_buf_putc(&h[i].value, ',');
      trim_all(&h[i].value, value);
      return h[i].value.failed ? XD_E_NOMEM : XD_OK;
    }
  h[*n].name = lname;
  xd_buf_init(&h[*n].value);
  xd_buf_puts(&h[*n].value, "");
  trim_all(&h[*n].value, value);
  (*n)++;
  return h[*n - 1].value.failed ? XD_E_NOMEM : XD_OK;
}

static void hmac256(const void *key, size_t klen, const char *msg,
                    unsigned char out[32])
{
  unsigned int olen = 32;
  HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg,
       strlen(msg), out, &olen);
}

xd_rc aws_sigv4_sign(const aws_sigv4_req *r, aws_sigv4_out *out, xd_err *e)
{
  url_parts u;
  sig_hdr *h = NULL;
  size_t nh = 0;
  xd_buf host, signed_names, key;
  char payload[65], crhash[65], date[9], sig[65];
  unsigned char k[32];
  struct tm tm;
  xd_rc rc;
  bool have_host = false;
  const char *token = r->session_token && *r->session_token
                          ? r->session_token : NULL;

  memset(out, 0, sizeof(*out));
  xd_buf_init(&host);
  xd_buf_init(&signed_names);
  xd_buf_init(&key);
  rc = split_url(r->url, &u, e);
  if(rc != XD_OK)
    goto done;
  gmtime_r(&r->when, &tm);
  strftime(out->amz_date, sizeof(out->amz_date), "%Y%m%dT%H%M%SZ", &tm);
  memcpy(date, out->amz_date, 8);
  date[8] = '\0';

  rc = XD_E_NOMEM;
  h = calloc(r->n_headers + 3, sizeof(*h));
  if(!h)
    goto done;
  for(size_t i = 0; i < r->n_headers; i++) {
    if(add_header(h, &nh, r->headers[i].name, r->headers[i].value) != XD_OK)
      goto done;
    if(!strcasecmp(r->headers[i].name, "host"))
      have_host = true;
  }
  if(add_header(h, &nh, "X-Amz-Date", out->amz_date) != XD_OK)
    goto done;
  if(token && add_header(h, &nh, "X-Amz-Security-Token", token) != XD_OK)
    goto done;
  if(!have_host) {
    host_from_url(&u, &host);
    if(host.failed || add_header(h, &nh, "host", xd_buf_str(&host)) != XD_OK)
      goto done;
  }
  qsort(h, nh, sizeof(*h), hdr_cmp);

  /* canonical request */
  for(const char *m = r->method; *m; m++)
    xd_buf_putc(&out->canonical_request, (char)toupper((unsigned char)*m));
  xd_buf_putc(&out->canonical_request, '\n');
  if(canonical_uri(&u, &out->canonical_request) != XD_OK)
    goto done;
  xd_buf_putc(&out->canonical_request, '\n');
  if(canonical_query(&u, &out->canonical_request) != XD_OK)
    goto done;
  xd_buf_putc(&out->canonical_request, '\n');
  for(size_t i = 0; i < nh; i++) {
    xd_buf_printf(&out->canonical_request, "%s:%s\n", h[i].name,
                  xd_buf_str(&h[i].value));
    xd_buf_printf(&signed_names, "%s%s", i ? ";" : "", h[i].name);
  }
  aws_sha256_hex(r->body, r->body_len, payload);
  xd_buf_printf(&out->canonical_request, "\n%s\n%s", xd_buf_str(&signed_names),
                payload);
  if(out->canonical_request.failed || signed_names.failed)
    goto done;

  /* string to sign */
  aws_sha256_hex(out->canonical_request.data, out->canonical_request.len,
                 crhash);
  xd_buf_printf(&out->string_to_sign,
                "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s",
                out->amz_date, date, r->region, r->service, crhash);

  /* signing key: HMAC chain from "AWS4" + secret; the key material is
   * wiped once used */
  xd_buf_printf(&key, "AWS4%s", r->secret_key);
  if(key.failed || out->string_to_sign.failed)
    goto done;
  hmac256(key.data, key.len, date, k);
  hmac256(k, 32, r->region, k);
  hmac256(k, 32, r->service, k);
  hmac256(k, 32, "aws4_request", k);
  {
    unsigned char s[32];
    static const char hexl[] = "0123456789abcdef";
    hmac256(k, 32, xd_buf_str(&out->string_to_sign), s);
    for(int i = 0; i < 32; i++) {
      sig[2 * i] = hexl[s[i] >> 4];
      sig[2 * i + 1] = hexl[s[i] & 15];
    }
    sig[64] = '\0';
  }
  xd_buf_printf(&out->authorization,
                "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, "
                "SignedHeaders=%s, Signature=%s",
                r->access_key_id, date, r->region, r->service,
                xd_buf_str(&signed_names), sig);
  rc = out->authorization.failed ? XD_E_NOMEM : XD_OK;
done:
  if(rc == XD_E_NOMEM)
    xd_fail(e, rc, "out of memory while signing a request");
  if(key.data)
    xd_wipe(key.data, key.cap);
  xd_wipe(k, sizeof(k));
  for(size_t i = 0; i < nh; i++) {
    free(h[i].name);
    xd_buf_wipe_free(&h[i].value); /* X-Amz-Security-Token among them */
  }
  free(h);
  xd_buf_free(&host);
  xd_buf_free(&signed_names);
  xd_buf_free(&key);
  if(rc != XD_OK)
    aws_sigv4_out_free(out);
  return rc;
}

void aws_sigv4_out_free(aws_sigv4_out *out)
{
  xd_buf_free(&out->authorization);
  /* the canonical request carries the session token */
  xd_buf_wipe_free(&out->canonical_request);
  xd_buf_free(&out->string_to_sign);
}
