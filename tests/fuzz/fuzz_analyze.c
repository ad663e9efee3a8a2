/* tests/fuzz/fuzz_analyze.c: any one file of a working snapshot (the role
 * file, the IAM files, the intent in the folder, each EC2, EMR and
 * SageMaker file) replaced by the input, then the whole way of `analyze`:
 * load, intent, analysis, every report format, and the result read back.
 * The first byte picks the file (tests/fuzz/analyze_files.txt). Where the
 * loader's own harness (tests/loader/fuzz_snapshot.c) stops at the model,
 * this one goes on into the analyzer and the renderers with whatever the
 * loader let through. */
#include "fuzz_base.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  size_t i;
  if(size < 1)
    return 0;
  i = data[0] % fz_base_count();
  fz_base_replace(i, data + 1, size - 1);
  fz_base_analyze(NULL, 0);
  fz_base_restore(i);
  return 0;
}
