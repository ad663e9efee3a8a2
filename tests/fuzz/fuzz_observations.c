/* tests/fuzz/fuzz_observations.c: an observations document (what `probe`
 * and `listen` write, and `analyze --observations` reads from either
 * side). The input is parsed and checked (xd_obs_check) as xd_obs_load
 * does; a document the check lets through goes with the working snapshot
 * into the analysis, where az_crosscheck sets it against every path, and
 * the result (with the document in it) is rendered in every format and
 * read back. A second pass gives the same document twice, as one from
 * each side, which merges arrays in the result. */
#include <stdlib.h>
#include <string.h>

#include "common/jsonutil.h"
#include "common/observations.h"
#include "fuzz_base.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  cJSON *doc = NULL, *two[2];
  xd_err e = {0};
  if(xd_json_parse_text("obs.json", (const char *)data, size, &doc, &e)
     != XD_OK) {
    if(!e.msg[0])
      abort();
    return 0;
  }
  if(xd_obs_check(doc, "obs.json", &e) != XD_OK) {
    if(!e.msg[0])
      abort();
    cJSON_Delete(doc);
    return 0;
  }
  fz_base_analyze(&doc, 1);
  two[0] = doc;
  two[1] = doc;
  fz_base_analyze(two, 2);
  cJSON_Delete(doc);
  return 0;
}
