/* aws/http.c: one libcurl easy handle per context. Reusing it keeps the
 * connections (and TLS sessions) to each endpoint open between the dozens
 * of calls of a fetch. TLS verification stays on; only http and https are
 * allowed, redirects are not followed, and an answer larger than the input
 * limit is cut off rather than exhausting memory. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../common/fileio.h"
#include "../common/log.h"
#include "xd_version.h"

typedef struct {
  aws_ctx *c;
  aws_http_resp *resp;
  bool too_big;
} xfer;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
  xfer *x = ud;
  size_t len = size * n;
  if(x->resp->body.len + len > XD_MAX_INPUT_FILE) {
    x->too_big = true;
    return 0;
  }
  if(xd_buf_append(&x->resp->body, p, len) != XD_OK)
    return 0;
  return len;
}

static void header_value(const char *p, size_t len, const char *name,
                         char *dst, size_t dstlen)
{
  size_t nl = strlen(name), vl;
  const char *v;
  if(len <= nl || strncasecmp(p, name, nl) || p[nl] != ':')
    return;
  v = p + nl + 1;
  vl = len - nl - 1;
  while(vl && (*v == ' ' || *v == '\t')) {
    v++;
    vl--;
  }
  while(vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
    vl--;
  if(vl >= dstlen)
    vl = dstlen - 1;
  memcpy(dst, v, vl);
  dst[vl] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
  xfer *x = ud;
  size_t len = size * n;
  header_value(p, len, "x-amzn-RequestId", x->resp->request_id,
               sizeof(x->resp->request_id));
  header_value(p, len, "x-amz-request-id", x->resp->request_id,
               sizeof(x->resp->request_id));
  header_value(p, len, "x-amzn-ErrorType", x->resp->error_type,
               sizeof(x->resp->error_type));
  return len;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut,
                       curl_off_t un)
{
  xfer *x = ud;
  (void)dt; (void)dn; (void)ut; (void)un;
  /* non-zero aborts the transfer: Ctrl-C is felt within a second */
  return x->c->interrupted && x->c->interrupted();
}

bool aws_http_retryable(xd_rc rc)
{
  return rc == XD_E_NET || rc == XD_E_TIMEOUT;
}

bool aws_sleep_ms(aws_ctx *c, double ms)
{
  while(ms > 0) {
    double step = ms < 50 ? ms : 50;
    struct timespec ts;
    if(c->interrupted && c->interrupted())
      return false;
    ts.tv_sec = 0;
    ts.tv_nsec = (long)(step * 1e6);
    nanosleep(&ts, NULL);
    ms -= step;
  }
  return !(c->interrupted && c->interrupted());
}

void aws_http_resp_free(aws_http_resp *resp)
{
  xd_buf_free(&resp->body);
}

/* The host part of url, for messages. */
static void url_host(const char *url, char *dst, size_t n)
{
  const char *h = strstr(url, "://");
  size_t l;
  h = h ? h + 3 : url;
  l = strcspn(h, "/?#");
  snprintf(dst, n, "%.*s", (int)l, h);
}

xd_rc aws_http_do(aws_ctx *c, const aws_http_req *r, aws_http_resp *resp,
                  xd_err *e)
{
  struct curl_slist *hl = NULL, *tmp;
  xfer x;
  xd_buf line;
  CURLcode cc;
  char errbuf[CURL_ERROR_SIZE], host[256];
  const char *ca = NULL;
  xd_rc rc = XD_OK;
  long tmo = (long)(r->timeout_ms > 1 ? r->timeout_ms : 1);

  memset(resp, 0, sizeof(*resp));
  xd_buf_init(&resp->body);
  xd_buf_init(&line);
  url_host(r->url, host, sizeof(host));
  x.c = c;
  x.resp = resp;
  x.too_big = false;
  errbuf[0] = '\0';

  /* reset keeps the connection cache: only the options go */
  curl_easy_reset(c->curl);
  for(size_t i = 0; i < r->n_headers; i++) {
    xd_buf_reset(&line);
    xd_buf_printf(&line, "%s: %s", r->headers[i].name, r->headers[i].value);
    if(line.failed || !(tmp = curl_slist_append(hl, xd_buf_str(&line)))) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      goto done;
    }
    hl = tmp;
  }
  /* no "Expect: 100-continue" round trip, no Accept we did not sign */
  tmp = curl_slist_append(hl, "Expect:");
  if(tmp)
    hl = tmp;
  tmp = curl_slist_append(hl, "Accept:");
  if(tmp)
    hl = tmp;

  curl_easy_setopt(c->curl, CURLOPT_URL, r->url);
  curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hl);
  curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS,
                   (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if(!strncmp(r->url, "https://", 8)) {
    if((rc = aws_ca_bundle(c, &ca, e)) != XD_OK) {
      xd_err_prefix(e, "HTTPS to %s: ", host);
      goto done;
    }
    curl_easy_setopt(c->curl, CURLOPT_CAINFO, ca);
  }
  curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, tmo);
  curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS,
                   r->connect_timeout_ms > 0 && r->connect_timeout_ms < tmo
                       ? r->connect_timeout_ms : tmo);
  curl_easy_setopt(c->curl, CURLOPT_USERAGENT, "xacct-doctor/" XD_VERSION);
  curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &x);
  curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &x);
  curl_easy_setopt(c->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c->curl, CURLOPT_XFERINFODATA, &x);
  curl_easy_setopt(c->curl, CURLOPT_NOPROGRESS, 0L);
  if(r->metadata)
    curl_easy_setopt(c->curl, CURLOPT_NOPROXY, "*");
  if(!strcmp(r->method, "GET"))
    curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
  else {
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     (curl_off_t)r->body_len);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS,
                     r->body ? r->body : (const void *)"");
    if(strcmp(r->method, "POST"))
      curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, r->method);
  }

  cc = curl_easy_perform(c->curl);
  if(cc == CURLE_OK) {
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);
    xd_log_debug("%s %s -> HTTP %ld (%zu bytes)", r->method, r->url,
                 resp->status, resp->body.len);
  }
  else if(cc == CURLE_ABORTED_BY_CALLBACK)
    rc = xd_fail(e, XD_E_INTERRUPTED, "interrupted");
  else if(x.too_big)
    rc = xd_fail(e, XD_E_PARSE, "%s sent an answer larger than %zu bytes",
                 host, XD_MAX_INPUT_FILE);
  else if(cc == CURLE_OPERATION_TIMEDOUT)
    rc = xd_fail(e, XD_E_TIMEOUT, "%s did not answer within %.1f s (%s)",
                 host, (double)tmo / 1000.0,
                 errbuf[0] ? errbuf : curl_easy_strerror(cc));
  else if(cc == CURLE_WRITE_ERROR && resp->body.failed)
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
  else if(cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE
          || cc == CURLE_SSL_CONNECT_ERROR)
    /* not a transient failure: retrying cannot make a certificate valid */
    rc = xd_fail(e, XD_E_PERM, "TLS with %s failed: %s", host,
                 errbuf[0] ? errbuf : curl_easy_strerror(cc));
  else
    rc = xd_fail(e, XD_E_NET, "cannot reach %s: %s", host,
                 errbuf[0] ? errbuf : curl_easy_strerror(cc));
done:
  /* the handle must not keep pointers into our stack or the list */
  curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, NULL);
  curl_slist_free_all(hl);
  xd_buf_free(&line);
  if(rc != XD_OK)
    aws_http_resp_free(resp);
  return rc;
}
