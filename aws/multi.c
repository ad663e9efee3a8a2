/* aws/multi.c: every API request is a job on the context's one libcurl
 * multi handle. Jobs run side by side, at most c->concurrency at a time,
 * and share the multi handle's connection cache, so each endpoint's
 * connections are kept and reused. A job is retried as botocore's
 * standard mode does (retry.c): each attempt is signed anew (the
 * signature carries the time), a throttled one waits its backoff without
 * holding up the others. A job ends with its outcome: the answer, or the
 * failure as a sentence naming the call. With c->cache the jobs are kept,
 * so the same request later is answered from its outcome (fetch.c's
 * passes rely on this). */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/log.h"
#include "../common/wipe.h"

typedef enum { J_QUEUED, J_RUNNING, J_WAITING, J_DONE } job_state;

struct aws_job {
  uint64_t hash;
  char *key;                 /* url, target, akid, body: what makes it */
  size_t key_len;
  const aws_service *s;
  char *service_id, *op, *url, *sreg, *content_type, *amz_target, *body;
  size_t body_len;
  aws_creds cr;              /* copies, wiped when the job goes */
  job_state state;
  int attempts, cost;        /* cost: the quota its last retry took */
  double wake_ms, budget_end;
  CURL *easy;
  aws_http_xfer x;
  aws_http_resp resp;
  xd_buf last;               /* the last failure, for the final message */
  xd_rc rc;                  /* the outcome */
  xd_buf out;
  aws_api_error ae;
  xd_err e;
};

static uint64_t fnv1a(const char *p, size_t n)
{
  uint64_t h = 1469598103934665603ULL;
  for(size_t i = 0; i < n; i++) {
    h ^= (unsigned char)p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

static char *dup0(const char *s)
{
  return strdup(s ? s : "");
}

static void job_free(aws_job *j)
{
  if(!j)
    return;
  xd_wipe(j->key, j->key_len);
  free(j->key);
  free(j->service_id);
  free(j->op);
  free(j->url);
  free(j->sreg);
  free(j->content_type);
  free(j->amz_target);
  xd_wipe(j->body, j->body_len);
  free(j->body);
  free(j->cr.access_key_id);
  xd_wipe_free(j->cr.secret_key);
  xd_wipe_free(j->cr.session_token);
  xd_buf_free(&j->last);
  /* an answer may carry credentials (AssumeRole) */
  xd_buf_wipe_free(&j->out);
  free(j);
}

/* Back to the queue, outcome forgotten (credentials being renewed). */
static void job_requeue(aws_job *j)
{
  xd_buf_wipe_free(&j->out);
  xd_buf_init(&j->out);
  xd_buf_reset(&j->last);
  memset(&j->ae, 0, sizeof(j->ae));
  memset(&j->e, 0, sizeof(j->e));
  j->rc = XD_OK;
  j->attempts = 0;
  j->cost = 0;
  j->state = J_QUEUED;
}

aws_job *aws_job_get(aws_ctx *c, const aws_job_req *r, bool fresh)
{
  xd_buf key;
  aws_job *j = NULL, **grown;
  uint64_t h;

  xd_buf_init(&key);
  xd_buf_printf(&key, "%s\n%s\n%s\n%s\n", r->url, r->amz_target ?
                r->amz_target : "", r->sreg, r->cr->access_key_id);
  xd_buf_append(&key, r->body ? r->body : "", r->body_len);
  if(key.failed) {
    xd_buf_wipe_free(&key);
    return NULL;
  }
  h = fnv1a(key.data, key.len);
  for(size_t i = 0; c->cache && i < c->n_jobs; i++) {
    aws_job *k = c->jobs[i];
    if(k->hash == h && k->key_len == key.len &&
       !memcmp(k->key, key.data, key.len)) {
      xd_buf_wipe_free(&key);
      if(fresh && k->state == J_DONE)
        job_requeue(k);
      return k;
    }
  }
  grown = realloc(c->jobs, (c->n_jobs + 1) * sizeof(*grown));
  if(!grown || !(j = calloc(1, sizeof(*j))))
    goto fail;
  c->jobs = grown;
  j->hash = h;
  j->key_len = key.len;
  j->key = xd_buf_steal(&key);
  j->s = r->s;
  j->service_id = dup0(r->service_id);
  j->op = dup0(r->op);
  j->url = dup0(r->url);
  j->sreg = dup0(r->sreg);
  j->content_type = r->content_type ? strdup(r->content_type) : NULL;
  j->amz_target = r->amz_target ? strdup(r->amz_target) : NULL;
  j->body = malloc(r->body_len + 1);
  j->body_len = r->body_len;
  j->cr.access_key_id = dup0(r->cr->access_key_id);
  j->cr.secret_key = dup0(r->cr->secret_key);
  j->cr.session_token = r->cr->session_token ? strdup(r->cr->session_token)
                                             : NULL;
  xd_buf_init(&j->last);
  xd_buf_init(&j->out);
  if(!j->key || !j->service_id || !j->op || !j->url || !j->sreg ||
     !j->body || !j->cr.access_key_id || !j->cr.secret_key ||
     (r->content_type && !j->content_type) ||
     (r->amz_target && !j->amz_target) ||
     (r->cr->session_token && !j->cr.session_token))
    goto fail;
  if(r->body_len)
    memcpy(j->body, r->body, r->body_len);
  j->body[r->body_len] = '\0';
  j->state = J_QUEUED;
  c->jobs[c->n_jobs++] = j;
  return j;
fail:
  xd_buf_wipe_free(&key);
  job_free(j);
  return NULL;
}

bool aws_job_done(const aws_job *j)
{
  return j->state == J_DONE;
}

xd_rc aws_job_outcome(const aws_job *j, xd_buf *out, aws_api_error *ae,
                      xd_err *e)
{
  *ae = j->ae;
  if(j->rc != XD_OK) {
    *e = j->e;
    return j->rc;
  }
  xd_buf_reset(out);
  xd_buf_append(out, j->out.data ? j->out.data : "", j->out.len);
  return out->failed ? xd_fail(e, XD_E_NOMEM, "out of memory") : XD_OK;
}

void aws_job_drop(aws_ctx *c, aws_job *j)
{
  for(size_t i = 0; i < c->n_jobs; i++)
    if(c->jobs[i] == j) {
      memmove(&c->jobs[i], &c->jobs[i + 1],
              (c->n_jobs - i - 1) * sizeof(*c->jobs));
      c->n_jobs--;
      job_free(j);
      return;
    }
}

/* The failure sentence: "ec2 DescribeVpcs: AccessDenied: ... (HTTP 403,
 * request id ...). hint" */
static void api_failure(aws_job *j)
{
  xd_buf b;
  const aws_api_error *ae = &j->ae;
  xd_buf_init(&b);
  xd_buf_printf(&b, "%s %s: %s", j->service_id, j->op, ae->code);
  if(ae->message[0])
    xd_buf_printf(&b, ": %s", ae->message);
  xd_buf_printf(&b, " (HTTP %ld", ae->status);
  if(ae->request_id[0])
    xd_buf_printf(&b, ", request id %s", ae->request_id);
  xd_buf_puts(&b, ")");
  aws_error_hint(j->service_id, j->op, ae, &b);
  xd_fail(&j->e, XD_E_AWS, "%s", xd_buf_str(&b));
  j->rc = XD_E_AWS;
  xd_buf_free(&b);
}

static void job_end(aws_ctx *c, aws_job *j)
{
  j->state = J_DONE;
  c->n_done++;
  if(c->progress) {
    aws_progress p;
    p.calls_done = c->n_done;
    p.calls_asked = c->n_jobs;
    p.accounts = c->n_accounts;
    p.writing = false;
    c->progress(c->progress_ud, &p);
  }
}

static double left_ms(const aws_ctx *c, const aws_job *j)
{
  double a = xd_deadline_left_ms(&c->deadline), b = j->budget_end - xd_now_ms();
  return a < b ? a : b;
}

static CURL *easy_get(aws_ctx *c)
{
  if(c->n_idle)
    return c->idle[--c->n_idle];
  return curl_easy_init();
}

static void easy_put(aws_ctx *c, CURL *h)
{
  CURL **g = realloc(c->idle, (c->n_idle + 1) * sizeof(*g));
  if(!g) {
    curl_easy_cleanup(h);
    return;
  }
  c->idle = g;
  c->idle[c->n_idle++] = h;
}

/* Sign and hand the next attempt to the multi handle; on failure the job
 * has its outcome. */
static void job_start(aws_ctx *c, aws_job *j)
{
  aws_header h[8];
  size_t nh = 0;
  aws_sigv4_req sr;
  aws_sigv4_out so;
  aws_http_req hr;
  xd_buf host;
  double left;
  xd_rc rc;

  if(!j->attempts) {
    j->budget_end = xd_now_ms() + c->call_budget_ms;
    c->n_calls++;
  }
  left = left_ms(c, j);
  if(left <= 0) {
    xd_fail(&j->e, XD_E_TIMEOUT, "%s %s: out of time%s%s", j->service_id,
            j->op, j->last.len ? " after: " : "", xd_buf_str(&j->last));
    j->rc = XD_E_TIMEOUT;
    job_end(c, j);
    return;
  }
  xd_buf_init(&host);
  memset(&so, 0, sizeof(so));
  rc = aws_sigv4_host(j->url, &host, &j->e);
  if(rc != XD_OK)
    goto fail;
  /* the Host we send is the one we sign, whatever curl would pick */
  h[nh].name = "Host";
  h[nh++].value = xd_buf_str(&host);
  if(j->content_type) {
    h[nh].name = "Content-Type";
    h[nh++].value = j->content_type;
  }
  if(j->amz_target) {
    h[nh].name = "X-Amz-Target";
    h[nh++].value = j->amz_target;
  }
  memset(&sr, 0, sizeof(sr));
  sr.method = "POST";
  sr.url = j->url;
  sr.headers = h;
  sr.n_headers = nh;
  sr.body = j->body;
  sr.body_len = j->body_len;
  sr.region = j->sreg;
  sr.service = j->s->signing_name;
  sr.access_key_id = j->cr.access_key_id;
  sr.secret_key = j->cr.secret_key;
  sr.session_token = j->cr.session_token;
  sr.when = time(NULL);
  rc = aws_sigv4_sign(&sr, &so, &j->e);
  if(rc != XD_OK)
    goto fail;
  h[nh].name = "X-Amz-Date";
  h[nh++].value = so.amz_date;
  if(j->cr.session_token && *j->cr.session_token) {
    h[nh].name = "X-Amz-Security-Token";
    h[nh++].value = j->cr.session_token;
  }
  h[nh].name = "Authorization";
  h[nh++].value = xd_buf_str(&so.authorization);
  xd_log_debug("canonical request:\n%s", xd_buf_str(&so.canonical_request));

  memset(&hr, 0, sizeof(hr));
  hr.method = "POST";
  hr.url = j->url;
  hr.headers = h;
  hr.n_headers = nh;
  hr.body = j->body;
  hr.body_len = j->body_len;
  hr.timeout_ms = c->attempt_timeout_ms < left ? c->attempt_timeout_ms : left;
  hr.connect_timeout_ms = c->connect_timeout_ms;
  j->easy = easy_get(c);
  if(!j->easy) {
    rc = xd_fail(&j->e, XD_E_NOMEM, "out of memory");
    goto fail;
  }
  rc = aws_http_setup(c, j->easy, &hr, &j->resp, &j->x, &j->e);
  if(rc != XD_OK)
    goto fail;
  curl_easy_setopt(j->easy, CURLOPT_PRIVATE, (void *)j);
  if(curl_multi_add_handle(c->multi, j->easy) != CURLM_OK) {
    aws_http_xfer_end(j->easy, &j->x, &j->resp, XD_E_NET);
    rc = xd_fail(&j->e, XD_E_NOMEM, "cannot start a transfer");
    goto fail;
  }
  j->attempts++;
  j->state = J_RUNNING;
  c->n_running++;
  aws_sigv4_out_free(&so);
  xd_buf_free(&host);
  return;
fail:
  if(j->easy) {
    easy_put(c, j->easy);
    j->easy = NULL;
  }
  aws_sigv4_out_free(&so);
  xd_buf_free(&host);
  j->rc = rc;
  job_end(c, j);
}

/* Whether to try again after a failed attempt (j->last says why); when
 * not, the job's outcome is already set by the caller or set here. */
static void job_retry_or_end(aws_ctx *c, aws_job *j, bool timeout)
{
  double delay, left;
  int cost;
  if(j->attempts >= c->retry.max_attempts) {
    if(j->ae.code[0])
      api_failure(j);
    xd_err_prefix(&j->e, "gave up after %d attempts: ", j->attempts);
    job_end(c, j);
    return;
  }
  cost = aws_retry_acquire(&c->retry, timeout);
  if(!cost) {
    if(j->ae.code[0])
      api_failure(j);
    xd_err_prefix(&j->e, "not retried (the run's retry quota is spent): ");
    job_end(c, j);
    return;
  }
  j->cost = cost;
  delay = aws_retry_delay_ms(&c->retry, j->attempts);
  left = left_ms(c, j);
  if(delay >= left) {
    j->rc = xd_fail(&j->e, XD_E_TIMEOUT, "%s %s: no time left to retry "
                    "after: %s", j->service_id, j->op, xd_buf_str(&j->last));
    job_end(c, j);
    return;
  }
  c->n_retries++;
  xd_log_info("%s %s: %s; retry %d of %d in %.0f ms", j->service_id, j->op,
              xd_buf_str(&j->last), j->attempts, c->retry.max_attempts - 1,
              delay);
  j->wake_ms = xd_now_ms() + delay;
  j->state = J_WAITING;
}

/* An attempt ended with curl's code cc. */
static void job_finish(aws_ctx *c, aws_job *j, CURLcode cc)
{
  xd_rc rc;
  curl_multi_remove_handle(c->multi, j->easy);
  c->n_running--;
  memset(&j->e, 0, sizeof(j->e));
  memset(&j->ae, 0, sizeof(j->ae));
  rc = aws_http_result(j->easy, &j->x, cc, &j->e);
  aws_http_xfer_end(j->easy, &j->x, &j->resp, rc);
  easy_put(c, j->easy);
  j->easy = NULL;
  j->rc = rc;
  if(rc == XD_OK && j->resp.status >= 200 && j->resp.status < 300) {
    xd_buf_reset(&j->out);
    xd_buf_append(&j->out, j->resp.body.data ? j->resp.body.data : "",
                  j->resp.body.len);
    xd_buf_wipe_free(&j->resp.body);
    if(j->out.failed)
      j->rc = xd_fail(&j->e, XD_E_NOMEM, "out of memory");
    aws_retry_release(&c->retry, j->cost);
    job_end(c, j);
    return;
  }
  xd_buf_reset(&j->last);
  if(rc != XD_OK) {
    if(!aws_http_retryable(rc)) {
      job_end(c, j);
      return;
    }
    xd_buf_puts(&j->last, j->e.msg);
    job_retry_or_end(c, j, rc == XD_E_TIMEOUT);
    return;
  }
  aws_error_parse(&j->resp, &j->ae);
  xd_buf_wipe_free(&j->resp.body);
  xd_buf_printf(&j->last, "%s (HTTP %ld)", j->ae.code, j->ae.status);
  if(aws_error_expired(&j->ae) || !aws_error_retryable(&j->ae)) {
    /* expired credentials are renewed by the caller (request.c) */
    api_failure(j);
    job_end(c, j);
    return;
  }
  job_retry_or_end(c, j, false);
}

/* Every transfer stopped: Ctrl-C. */
static void stop_all(aws_ctx *c)
{
  for(size_t i = 0; i < c->n_jobs; i++) {
    aws_job *j = c->jobs[i];
    if(j->state == J_DONE)
      continue;
    if(j->state == J_RUNNING) {
      curl_multi_remove_handle(c->multi, j->easy);
      aws_http_xfer_end(j->easy, &j->x, &j->resp, XD_E_INTERRUPTED);
      easy_put(c, j->easy);
      j->easy = NULL;
      c->n_running--;
    }
    j->rc = xd_fail(&j->e, XD_E_INTERRUPTED, "interrupted");
    job_end(c, j);
  }
}

xd_rc aws_multi_run(aws_ctx *c, aws_job *until, xd_err *e)
{
  long limit = c->concurrency > 0 ? c->concurrency : 1;
  double start = xd_now_ms(), first = -1;
  unsigned long done0 = c->n_done;
  for(;;) {
    double now = xd_now_ms(), wake = -1;
    bool waiting = false;
    int still = 0, left;
    CURLMsg *msg;

    if(c->interrupted && c->interrupted()) {
      stop_all(c);
      return xd_fail(e, XD_E_INTERRUPTED, "interrupted");
    }
    if(until && until->state == J_DONE)
      return XD_OK;
    /* in the order they were asked for, as many as the bound allows */
    for(size_t i = 0; i < c->n_jobs; i++) {
      aws_job *j = c->jobs[i];
      if(j->state == J_WAITING && j->wake_ms > now) {
        waiting = true;
        if(wake < 0 || j->wake_ms < wake)
          wake = j->wake_ms;
        continue;
      }
      if((j->state == J_QUEUED || j->state == J_WAITING) &&
         (long)c->n_running < limit)
        job_start(c, j);
      else if(j->state == J_QUEUED || j->state == J_WAITING)
        waiting = true;
    }
    if(!c->n_running && !waiting)
      return until && until->state != J_DONE
                 ? xd_fail(e, XD_E_INTERNAL, "a request was never sent")
                 : XD_OK;
    if(c->n_running)
      curl_multi_perform(c->multi, &still);
    while((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
      aws_job *j = NULL;
      if(msg->msg != CURLMSG_DONE)
        continue;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
      if(j)
        job_finish(c, j, msg->data.result);
    }
    if(until && until->state == J_DONE)
      return XD_OK;
    if(!until && c->n_done > done0) {
      /* a batch: once answers come, wait for the rest of them about as
       * long as the first took (50 ms at least), not for a straggler: the
       * next pass can ask what the answers in hand allow, while the
       * straggler runs on */
      double now2 = xd_now_ms(), window;
      if(first < 0)
        first = now2;
      window = first - start > 50 ? first - start : 50;
      if(now2 - first >= window)
        return XD_OK;
    }
    {
      /* wake for the first backoff to end, and often enough to feel
       * Ctrl-C */
      int ms = 100;
      if(wake >= 0 && wake - xd_now_ms() < ms)
        ms = wake - xd_now_ms() > 0 ? (int)(wake - xd_now_ms()) : 0;
      if(c->n_running)
        curl_multi_wait(c->multi, NULL, 0, ms, NULL);
      else if(ms > 0 && !aws_sleep_ms(c, ms))
        continue;
    }
  }
}

void aws_multi_free(aws_ctx *c)
{
  for(size_t i = 0; i < c->n_jobs; i++) {
    aws_job *j = c->jobs[i];
    if(j->state == J_RUNNING) {
      curl_multi_remove_handle(c->multi, j->easy);
      aws_http_xfer_end(j->easy, &j->x, &j->resp, XD_E_INTERRUPTED);
      curl_easy_cleanup(j->easy);
    }
    job_free(j);
  }
  free(c->jobs);
  c->jobs = NULL;
  c->n_jobs = 0;
  for(size_t i = 0; i < c->n_idle; i++)
    curl_easy_cleanup(c->idle[i]);
  free(c->idle);
  c->idle = NULL;
  c->n_idle = 0;
  if(c->multi)
    curl_multi_cleanup(c->multi);
  c->multi = NULL;
}
