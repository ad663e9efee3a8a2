/* libFuzzer harness for the handshake tracker: the first byte picks the
 * link type (and whether every port counts), the rest is cut into frames
 * by 2-byte length prefixes, so one input can build flows and then hit
 * them again. The flows written as text (listen's path) must be byte for
 * byte what cJSON prints of the flow objects; a difference aborts. Built
 * with -DXD_FUZZ=ON (clang). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probes/tracker.h"

static xd_rc keep_going(void *ud, xd_buf *b, xd_err *e)
{
  (void)ud;
  (void)b;
  (void)e;
  return XD_OK;
}

/* The text path against cJSON's printing of the objects. */
static void compare_text(const pr_tracker *t, const cJSON *a)
{
  xd_buf text, want;
  const cJSON *it;
  xd_buf_init(&text);
  xd_buf_init(&want);
  if(pr_tracker_each_flow_text(t, &text, "[", ",", keep_going, NULL,
                               NULL) != XD_OK)
    goto done;
  cJSON_ArrayForEach(it, a) {
    char *p = cJSON_PrintUnformatted(it);
    if(!p)
      goto done;
    xd_buf_puts(&want, it == a->child ? "[" : ",");
    xd_buf_puts(&want, p);
    cJSON_free(p);
  }
  if(!text.failed && !want.failed &&
     (text.len != want.len || memcmp(xd_buf_str(&text), xd_buf_str(&want),
                                     text.len)))
    abort();
done:
  xd_buf_free(&text);
  xd_buf_free(&want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const int lts[] = {PR_DLT_EN10MB, PR_DLT_LINUX_SLL, PR_DLT_LINUX_SLL2,
    PR_DLT_RAW, PR_DLT_NULL, PR_DLT_LOOP, PR_DLT_IPV4, PR_DLT_IPV6};
  static const int ports[] = {8998, 10000, 8889};
  /* a small bound: the table is sized to it (fast runs), and the bound's
   * own path is reached */
  pr_tracker_config c = {ports, 3, NULL, 0, "e\"m\n", 4096};
  pr_tracker *t;
  cJSON *a;
  int lt;
  struct timeval ts = {1795926367, 0};
  if(size < 1)
    return 0;
  lt = lts[data[0] % 8];
  if(data[0] & 0x80)
    c.n_ports = 0;   /* every port: more flows from the same bytes */
  data++;
  size--;
  t = pr_tracker_new(&c);
  if(!t)
    return 0;
  while(size >= 2) {
    size_t n = (size_t)(data[0] << 8 | data[1]);
    data += 2;
    size -= 2;
    if(n > size)
      n = size;
    pr_tracker_feed(t, data, n, lt, ts);
    /* seconds and microseconds that move, for the timestamp cache */
    ts.tv_sec += (time_t)(n & 3);
    ts.tv_usec = (ts.tv_usec + (long)n * 7919) % 1000000;
    data += n;
    size -= n;
  }
  a = cJSON_CreateArray();
  if(a && pr_tracker_flows(t, a, NULL) == XD_OK)
    compare_text(t, a);
  cJSON_Delete(a);
  pr_tracker_free(t);
  return 0;
}
