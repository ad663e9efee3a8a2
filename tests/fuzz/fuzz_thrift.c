/* tests/fuzz/fuzz_thrift.c: the Thrift SASL frame HiveServer2 answers the
 * probe's START with (pr_sasl_parse). Every prefix of the input is parsed
 * as the bytes received so far: a frame it accepts lies inside them and
 * within PR_SASL_MAX, a prefix of an accepted frame asks for more, and a
 * verdict of "not SASL" never turns into a frame when more bytes come. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "probes/pr_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  int last = 0;
  for(size_t n = 0; n <= size; n++) {
    pr_sasl_frame f;
    int r;
    memset(&f, 0, sizeof(f));
    r = pr_sasl_parse(data, n, &f);
    if(r == 1) {
      if(f.payload != data + 5 || f.len > PR_SASL_MAX || 5 + f.len > n ||
         f.status < PR_SASL_START || f.status > PR_SASL_COMPLETE ||
         !strcmp(pr_sasl_status_name(f.status), "?"))
        abort();
    }
    /* once judged, more bytes never change the verdict */
    if(last != 0 && r != last)
      abort();
    last = r;
  }
  return 0;
}
