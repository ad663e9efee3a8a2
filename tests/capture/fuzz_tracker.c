/* libFuzzer harness for the handshake tracker: the first byte picks the
 * link type, the rest is cut into frames by 2-byte length prefixes, so one
 * input can build flows and then hit them again. Built with -DXD_FUZZ=ON
 * (clang). */
#include <stddef.h>
#include <stdint.h>

#include "probes/tracker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const int lts[] = {PR_DLT_EN10MB, PR_DLT_LINUX_SLL, PR_DLT_LINUX_SLL2,
    PR_DLT_RAW, PR_DLT_NULL, PR_DLT_LOOP, PR_DLT_IPV4, PR_DLT_IPV6};
  static const int ports[] = {8998, 10000, 8889};
  pr_tracker_config c = {ports, 3, NULL, 0, "emr", 0};
  pr_tracker *t;
  cJSON *a;
  int lt;
  struct timeval ts = {1795926367, 0};
  if(size < 1)
    return 0;
  lt = lts[data[0] % 8];
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
    ts.tv_usec++;
    data += n;
    size -= n;
  }
  a = cJSON_CreateArray();
  if(a)
    pr_tracker_flows(t, a, NULL);
  cJSON_Delete(a);
  pr_tracker_free(t);
  return 0;
}
