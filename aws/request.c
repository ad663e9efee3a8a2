/* aws/request.c: one signed API call, patient but bounded. Throttling,
 * 5xx and transport failures are tried again after an exponential backoff
 * with full jitter (so many clients throttled together do not come back
 * together), at most max_attempts times, never past the call's budget or
 * the run's deadline. Temporary credentials AWS calls expired are renewed
 * once. Each attempt is signed anew: the signature carries the time. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "../common/log.h"

static double rand01(void)
{
  unsigned int r;
  if(RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
    r = (unsigned int)rand();
  return (double)r / 4294967296.0;
}

static double min2(double a, double b)
{
  return a < b ? a : b;
}

/* The failure sentence: "ec2 DescribeVpcs: AccessDenied: ... (HTTP 403,
 * request id ...). hint" */
static xd_rc api_failure(const aws_target *t, const char *op,
                         const aws_api_error *ae, const char *extra, xd_err *e)
{
  xd_buf b;
  xd_buf_init(&b);
  xd_buf_printf(&b, "%s %s: %s", t->service, op, ae->code);
  if(ae->message[0])
    xd_buf_printf(&b, ": %s", ae->message);
  xd_buf_printf(&b, " (HTTP %ld", ae->status);
  if(ae->request_id[0])
    xd_buf_printf(&b, ", request id %s", ae->request_id);
  xd_buf_puts(&b, ")");
  if(extra)
    xd_buf_puts(&b, extra);
  else
    aws_error_hint(t->service, op, ae, &b);
  xd_fail(e, XD_E_AWS, "%s", xd_buf_str(&b));
  xd_buf_free(&b);
  return XD_E_AWS;
}

/* One signed exchange. */
static xd_rc attempt(aws_ctx *c, const char *url, const char *sreg,
                     const aws_service *s, const aws_creds *cr,
                     const char *content_type, const char *amz_target,
                     const char *body, size_t body_len, double timeout_ms,
                     aws_http_resp *resp, xd_err *e)
{
  aws_header h[8];
  size_t nh = 0, ns;
  aws_sigv4_req sr;
  aws_sigv4_out so;
  aws_http_req hr;
  xd_buf host;
  xd_rc rc;

  xd_buf_init(&host);
  rc = aws_sigv4_host(url, &host, e);
  if(rc != XD_OK) {
    xd_buf_free(&host);
    return rc;
  }
  /* the Host we send is the one we sign, whatever curl would pick */
  h[nh].name = "Host";
  h[nh++].value = xd_buf_str(&host);
  if(content_type) {
    h[nh].name = "Content-Type";
    h[nh++].value = content_type;
  }
  if(amz_target) {
    h[nh].name = "X-Amz-Target";
    h[nh++].value = amz_target;
  }
  ns = nh;
  memset(&sr, 0, sizeof(sr));
  sr.method = "POST";
  sr.url = url;
  sr.headers = h;
  sr.n_headers = ns;
  sr.body = body;
  sr.body_len = body_len;
  sr.region = sreg;
  sr.service = s->signing_name;
  sr.access_key_id = cr->access_key_id;
  sr.secret_key = cr->secret_key;
  sr.session_token = cr->session_token;
  sr.when = time(NULL);
  rc = aws_sigv4_sign(&sr, &so, e);
  if(rc != XD_OK) {
    xd_buf_free(&host);
    return rc;
  }
  h[nh].name = "X-Amz-Date";
  h[nh++].value = so.amz_date;
  if(cr->session_token && *cr->session_token) {
    h[nh].name = "X-Amz-Security-Token";
    h[nh++].value = cr->session_token;
  }
  h[nh].name = "Authorization";
  h[nh++].value = xd_buf_str(&so.authorization);
  xd_log_debug("canonical request:\n%s", xd_buf_str(&so.canonical_request));

  memset(&hr, 0, sizeof(hr));
  hr.method = "POST";
  hr.url = url;
  hr.headers = h;
  hr.n_headers = nh;
  hr.body = body;
  hr.body_len = body_len;
  hr.timeout_ms = timeout_ms;
  hr.connect_timeout_ms = c->connect_timeout_ms;
  rc = aws_http_do(c, &hr, resp, e);
  aws_sigv4_out_free(&so);
  xd_buf_free(&host);
  return rc;
}

xd_rc aws_request(aws_ctx *c, const aws_target *t, const char *op,
                  const char *content_type, const char *amz_target,
                  const char *body, size_t body_len, xd_buf *out,
                  aws_api_error *ae, xd_err *e)
{
  const aws_service *s = aws_service_find(t->service);
  char *base = NULL, sreg[32];
  xd_buf url, last;
  double budget_end = xd_now_ms() + c->call_budget_ms;
  int tries = 0;
  bool renewed = false;
  xd_rc rc;

  memset(ae, 0, sizeof(*ae));
  xd_buf_init(&url);
  xd_buf_init(&last);
  if(!s)
    return xd_fail(e, XD_E_INTERNAL, "unknown service %s", t->service);
  rc = aws_endpoint(c, s, t->region, &base, sreg, e);
  if(rc != XD_OK)
    goto done;
  xd_buf_printf(&url, "%s/", base);
  if(url.failed) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  c->n_calls++;
  xd_log_info("%s %s (%s)", t->service, op, t->region);
  for(;;) {
    aws_http_resp resp;
    const aws_creds *cr;
    double left = min2(xd_deadline_left_ms(&c->deadline),
                       budget_end - xd_now_ms()), delay;
    bool retry = false;

    if(c->interrupted && c->interrupted()) {
      rc = xd_fail(e, XD_E_INTERRUPTED, "interrupted");
      goto done;
    }
    if(left <= 0) {
      rc = xd_fail(e, XD_E_TIMEOUT, "%s %s: out of time%s%s", t->service, op,
                   last.len ? " after: " : "", xd_buf_str(&last));
      goto done;
    }
    rc = aws_creds_get(c, t->creds, false, &cr, e);
    if(rc != XD_OK)
      goto done;
    rc = attempt(c, xd_buf_str(&url), sreg, s, cr, content_type, amz_target,
                 body, body_len, min2(c->attempt_timeout_ms, left), &resp, e);
    tries++;
    if(rc == XD_OK && resp.status >= 200 && resp.status < 300) {
      xd_buf_reset(out);
      xd_buf_append(out, resp.body.data ? resp.body.data : "", resp.body.len);
      aws_http_resp_free(&resp);
      rc = out->failed ? xd_fail(e, XD_E_NOMEM, "out of memory") : XD_OK;
      goto done;
    }
    if(rc != XD_OK) {
      if(!aws_http_retryable(rc))
        goto done;
      retry = true;
      xd_buf_reset(&last);
      xd_buf_puts(&last, e->msg);
    }
    else {
      aws_error_parse(&resp, ae);
      aws_http_resp_free(&resp);
      xd_buf_reset(&last);
      xd_buf_printf(&last, "%s (HTTP %ld)", ae->code, ae->status);
      if(aws_error_expired(ae) && aws_creds_refreshable(t->creds) &&
         !renewed) {
        /* the provider thought them good: AWS knows better */
        xd_log_info("%s %s: %s; renewing the credentials from %s",
                    t->service, op, ae->code, aws_creds_source(t->creds));
        renewed = true;
        rc = aws_creds_get(c, t->creds, true, &cr, e);
        if(rc != XD_OK)
          goto done;
        continue;
      }
      if(!aws_error_retryable(ae)) {
        rc = api_failure(t, op, ae, NULL, e);
        goto done;
      }
      retry = true;
    }
    if(retry && tries >= c->max_attempts) {
      if(ae->code[0])
        rc = api_failure(t, op, ae, NULL, e);
      xd_err_prefix(e, "gave up after %d attempts: ", tries);
      goto done;
    }
    delay = rand01() * min2(c->backoff_cap_ms,
                            c->backoff_base_ms * pow(2.0, tries - 1));
    left = min2(xd_deadline_left_ms(&c->deadline), budget_end - xd_now_ms());
    if(delay >= left) {
      rc = xd_fail(e, XD_E_TIMEOUT, "%s %s: no time left to retry after: %s",
                   t->service, op, xd_buf_str(&last));
      goto done;
    }
    c->n_retries++;
    xd_log_info("%s %s: %s; retry %d of %d in %.0f ms", t->service, op,
                xd_buf_str(&last), tries, c->max_attempts - 1, delay);
    if(!aws_sleep_ms(c, delay)) {
      rc = xd_fail(e, XD_E_INTERRUPTED, "interrupted");
      goto done;
    }
  }
done:
  free(base);
  xd_buf_free(&url);
  xd_buf_free(&last);
  return rc;
}
