/* tests/fuzz/fuzz_result.c: a saved result (`report --in FILE`): parsed,
 * checked by xd_result_from_json, and rendered in every format by
 * rp_render. A result the check accepts must render in every format; a
 * refused one must say why. */
#include <stdlib.h>

#include "common/jsonutil.h"
#include "common/result.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  cJSON *doc = NULL;
  xd_result *r = NULL;
  xd_err e = {0};
  if(xd_json_parse_text("result.json", (const char *)data, size, &doc, &e)
     != XD_OK) {
    if(!e.msg[0])
      abort();
    return 0;
  }
  /* ownership of doc passes to the result, whatever the outcome */
  if(xd_result_from_json(doc, "result.json", &r, &e) != XD_OK) {
    if(!e.msg[0])
      abort();
    return 0;
  }
  fz_render_all(xd_result_json(r));
  xd_result_free(r);
  return 0;
}
