/* tests/fuzz/fuzz_http.c: the HTTP answers the probes read to name the
 * service on a port (pr_http_identify: Livy, Presto/Trino, YARN, the Spark
 * history server). Byte 0 picks the path asked, byte 1 the status; the
 * rest is the body. An answer must name one of the services of that path
 * or none, and a version, when one is given, must be a string. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "probes/pr_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const want[] = {"livy", "presto", "yarn",
                                     "spark-history"};
  static const long status[] = {200, 201, 204, 299, 301, 401, 404, 500};
  char *version = NULL;
  const char *svc;
  int path;
  if(size < 2)
    return 0;
  path = data[0] % 5; /* 4 is past the end: must answer NULL */
  svc = pr_http_identify(path, status[data[1] % 8], (const char *)data + 2,
                         size - 2, &version);
  if(svc && (path > 3 || strcmp(svc, want[path])))
    abort();
  if(version && !svc)
    abort();
  free(version);
  (void)pr_http_port_service((int)(data[0] << 8 | data[1]));
  return 0;
}
