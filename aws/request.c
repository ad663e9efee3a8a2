/* aws/request.c: one signed API call, patient but bounded. The request
 * becomes a job on the multi handle (multi.c), which retries throttling,
 * 5xx and transport failures as botocore's standard mode does (retry.c),
 * never past the call's budget or the run's deadline. Temporary
 * credentials AWS calls expired are renewed once, here, and the call made
 * again with the new ones.
 *
 * Inside fetch's passes (fetch.c) the same request is answered from the
 * outcome already kept; while planning, one not answered yet is recorded
 * for the next batch and AWS_E_PENDING returned, with nothing sent. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"

xd_rc aws_request(aws_ctx *c, const aws_target *t, const char *op,
                  const char *content_type, const char *amz_target,
                  const char *body, size_t body_len, xd_buf *out,
                  aws_api_error *ae, xd_err *e)
{
  const aws_service *s = aws_service_find(t->service);
  char *base = NULL, sreg[32];
  xd_buf url;
  bool renewed = false, fresh = c->fresh_next;
  xd_rc rc;

  /* only this request renews: not the ones its credentials may need */
  c->fresh_next = false;
  memset(ae, 0, sizeof(*ae));
  xd_buf_init(&url);
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
  for(;;) {
    const aws_creds *cr;
    aws_job_req jr;
    aws_job *j;

    if(c->interrupted && c->interrupted()) {
      rc = xd_fail(e, XD_E_INTERRUPTED, "interrupted");
      goto done;
    }
    rc = aws_creds_get(c, t->creds, false, &cr, e);
    if(rc != XD_OK)
      goto done;
    memset(&jr, 0, sizeof(jr));
    jr.s = s;
    jr.service_id = t->service;
    jr.op = op;
    jr.url = xd_buf_str(&url);
    jr.sreg = sreg;
    jr.content_type = content_type;
    jr.amz_target = amz_target;
    jr.body = body;
    jr.body_len = body_len;
    jr.cr = cr;
    j = aws_job_get(c, &jr, fresh);
    if(!j) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      goto done;
    }
    if(!aws_job_done(j)) {
      if(c->planning && !fresh) {
        c->n_pending++;
        rc = xd_fail(e, AWS_E_PENDING, "%s %s: not answered yet", t->service,
                     op);
        goto done;
      }
      if(c->final && aws_ctx_stopping(c) && !fresh) {
        rc = xd_fail(e, AWS_E_SKIPPED, "%s %s: not made (the run had to "
                     "stop)", t->service, op);
        goto done;
      }
      if(!c->planning)
        xd_log_info("%s %s (%s)", t->service, op, t->region);
      rc = aws_multi_run(c, j, e);
      if(rc != XD_OK)
        goto done;
    }
    else if(!c->planning)
      xd_log_info("%s %s (%s)", t->service, op, t->region);
    rc = aws_job_outcome(j, out, ae, e);
    if(!c->cache)
      aws_job_drop(c, j);
    fresh = false;
    if(rc == XD_E_AWS && aws_error_expired(ae) &&
       aws_creds_refreshable(t->creds) && !renewed) {
      /* the provider thought them good: AWS knows better */
      xd_log_info("%s %s: %s; renewing the credentials from %s", t->service,
                  op, ae->code, aws_creds_source(t->creds));
      renewed = true;
      memset(ae, 0, sizeof(*ae));
      rc = aws_creds_get(c, t->creds, true, &cr, e);
      if(rc != XD_OK)
        goto done;
      continue;
    }
    goto done;
  }
done:
  free(base);
  xd_buf_free(&url);
  return rc;
}
