/* tests/reports/sample_load.h: read a sample result of tests/reports/ by
 * name, for the report and cron unit tests. NULL (with the error on
 * stderr) when it does not parse. */
#ifndef XD_TEST_SAMPLE_LOAD_H
#define XD_TEST_SAMPLE_LOAD_H

#include <stdio.h>
#include <stdlib.h>

#include "common/jsonutil.h"

static inline cJSON *load(const char *name)
{
  char path[4096];
  const char *src = getenv("XD_SOURCE_DIR");
  cJSON *j = NULL;
  xd_err e = {0};
  snprintf(path, sizeof(path), "%s/tests/reports/%s", src ? src : ".", name);
  if(xd_json_parse_file(path, &j, &e) != XD_OK)
    fprintf(stderr, "%s\n", e.msg);
  return j;
}

#endif
