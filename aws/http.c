/* aws/http.c: one HTTP exchange set up on a libcurl easy handle, and its
 * outcome read back. The API calls run on the context's multi handle
 * (multi.c), whose connection cache keeps the connections (and TLS
 * sessions) to each endpoint open between the calls of a fetch; the
 * metadata services use the context's own easy handle (aws_http_do). TLS verification stays on; only http and https are
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


static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
  aws_http_xfer *x = ud;
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
  aws_http_xfer *x = ud;
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
  aws_http_xfer *x = ud;
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

xd_rc aws_http_setup(aws_ctx *c, CURL *h, const aws_http_req *r,
                     aws_http_resp *resp, aws_http_xfer *x, xd_err *e)
{
  struct curl_slist *tmp;
  xd_buf line;
  const char *ca = NULL;
  xd_rc rc = XD_OK;
  long tmo = (long)(r->timeout_ms > 1 ? r->timeout_ms : 1);

  memset(resp, 0, sizeof(*resp));
  xd_buf_init(&resp->body);
  memset(x, 0, sizeof(*x));
  xd_buf_init(&line);
  url_host(r->url, x->host, sizeof(x->host));
  x->c = c;
  x->resp = resp;
  x->timeout_ms = tmo;

  /* reset keeps the connection cache: only the options go */
  curl_easy_reset(h);
  for(size_t i = 0; i < r->n_headers; i++) {
    xd_buf_reset(&line);
    xd_buf_printf(&line, "%s: %s", r->headers[i].name, r->headers[i].value);
    if(line.failed || !(tmp = curl_slist_append(x->headers,
                                                 xd_buf_str(&line)))) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      goto done;
    }
    x->headers = tmp;
  }
  /* no "Expect: 100-continue" round trip, no Accept we did not sign */
  tmp = curl_slist_append(x->headers, "Expect:");
  if(tmp)
    x->headers = tmp;
  tmp = curl_slist_append(x->headers, "Accept:");
  if(tmp)
    x->headers = tmp;

  curl_easy_setopt(h, CURLOPT_URL, r->url);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->headers);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(h, CURLOPT_PROTOCOLS,
                   (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if(!strncmp(r->url, "https://", 8)) {
    if((rc = aws_ca_bundle(c, &ca, e)) != XD_OK) {
      xd_err_prefix(e, "HTTPS to %s: ", x->host);
      goto done;
    }
    curl_easy_setopt(h, CURLOPT_CAINFO, ca);
  }
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, tmo);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   r->connect_timeout_ms > 0 && r->connect_timeout_ms < tmo
                       ? r->connect_timeout_ms : tmo);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "xacct-doctor/" XD_VERSION);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  if(r->metadata)
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  if(!strcmp(r->method, "GET"))
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  else {
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS,
                     r->body ? r->body : (const void *)"");
    if(strcmp(r->method, "POST"))
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->method);
  }
done:
  xd_buf_free(&line);
  if(rc != XD_OK)
    aws_http_xfer_end(h, x, resp, rc);
  return rc;
}

xd_rc aws_http_result(CURL *h, aws_http_xfer *x, CURLcode cc, xd_err *e)
{
  aws_http_resp *resp = x->resp;
  const char *why = x->errbuf[0] ? x->errbuf : curl_easy_strerror(cc);
  if(cc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
    xd_log_debug("%s -> HTTP %ld (%zu bytes)", x->host, resp->status,
                 resp->body.len);
    return XD_OK;
  }
  if(cc == CURLE_ABORTED_BY_CALLBACK)
    return xd_fail(e, XD_E_INTERRUPTED, "interrupted");
  if(x->too_big)
    return xd_fail(e, XD_E_PARSE, "%s sent an answer larger than %zu bytes",
                   x->host, XD_MAX_INPUT_FILE);
  if(cc == CURLE_OPERATION_TIMEDOUT)
    return xd_fail(e, XD_E_TIMEOUT, "%s did not answer within %.1f s (%s)",
                   x->host, (double)x->timeout_ms / 1000.0, why);
  if(cc == CURLE_WRITE_ERROR && resp->body.failed)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  if(cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE ||
     cc == CURLE_SSL_CONNECT_ERROR)
    /* not a transient failure: retrying cannot make a certificate valid */
    return xd_fail(e, XD_E_PERM, "TLS with %s failed: %s", x->host, why);
  return xd_fail(e, XD_E_NET, "cannot reach %s: %s", x->host, why);
}

void aws_http_xfer_end(CURL *h, aws_http_xfer *x, aws_http_resp *resp,
                       xd_rc rc)
{
  /* the handle must not keep pointers into x or the list */
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
  curl_slist_free_all(x->headers);
  x->headers = NULL;
  if(rc != XD_OK)
    aws_http_resp_free(resp);
}

xd_rc aws_http_do(aws_ctx *c, const aws_http_req *r, aws_http_resp *resp,
                  xd_err *e)
{
  aws_http_xfer x;
  xd_rc rc = aws_http_setup(c, c->curl, r, resp, &x, e);
  if(rc != XD_OK)
    return rc;
  rc = aws_http_result(c->curl, &x, curl_easy_perform(c->curl), e);
  aws_http_xfer_end(c->curl, &x, resp, rc);
  return rc;
}
