/* aws/retry.c: botocore's "standard" retry mode (botocore/retries/
 * standard.py and quota.py), so that many calls in flight do not turn
 * throttling into a storm: at most three attempts, a delay of
 * min(rand(0,1) * base * 2^(attempt-1), 20 s) with base 1 s (full
 * jitter), and one retry quota for the whole run: 500 tokens, a retry
 * costs 5 (10 after a timeout), a success gives back what its retries
 * took (1 when it needed none). When the quota is empty, a failure is
 * final at once. Which answers are worth a retry is aws_error_retryable()
 * and aws_http_retryable(). Two test-only variables shorten the waits
 * and shrink the quota (XD_TEST_RETRY_BASE_MS, XD_TEST_RETRY_QUOTA). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include <openssl/rand.h>

#include "../common/log.h"

#define QUOTA_MAX 500
#define RETRY_COST 5
#define TIMEOUT_RETRY_COST 10
#define NO_RETRY_INCREMENT 1

void aws_retry_init(aws_retry *r)
{
  const char *t = getenv("XD_TEST_RETRY_BASE_MS");
  const char *q = getenv("XD_TEST_RETRY_QUOTA");
  r->max_attempts = 3;
  r->base_ms = 1000;
  r->cap_ms = 20000;
  r->quota = r->quota_max = QUOTA_MAX;
  /* test-only: the test suite shortens the backoff so a throttled fetch
   * does not make it wait; never needed in real use */
  if(t && *t) {
    char *end;
    double v = strtod(t, &end);
    if(*end == '\0' && v >= 0 && v <= 60000) {
      r->base_ms = v;
      xd_log_debug("retry backoff base %.0f ms (XD_TEST_RETRY_BASE_MS)", v);
    }
  }
  /* test-only: a small quota, so a test sees a storm stopped */
  if(q && *q) {
    char *end;
    long v = strtol(q, &end, 10);
    if(*end == '\0' && v >= 0 && v <= QUOTA_MAX)
      r->quota = r->quota_max = (int)v;
  }
}

int aws_retry_acquire(aws_retry *r, bool timeout)
{
  int cost = timeout ? TIMEOUT_RETRY_COST : RETRY_COST;
  if(cost > r->quota)
    return 0;
  r->quota -= cost;
  return cost;
}

void aws_retry_release(aws_retry *r, int cost)
{
  r->quota += cost > 0 ? cost : NO_RETRY_INCREMENT;
  if(r->quota > QUOTA_MAX)
    r->quota = r->quota_max = QUOTA_MAX;
}

static double rand01(void)
{
  unsigned int v;
  if(RAND_bytes((unsigned char *)&v, sizeof(v)) != 1)
    v = (unsigned int)rand();
  return (double)v / 4294967296.0;
}

double aws_retry_delay_ms(const aws_retry *r, int attempts)
{
  double d = rand01() * r->base_ms * pow(2.0, attempts > 0 ? attempts - 1 : 0);
  return d < r->cap_ms ? d : r->cap_ms;
}
