/* tests/unit/json_text.h: J("{...}"), a JSON document from a string
 * literal for the tests (NULL, with a message, when it does not parse). */
#ifndef XD_TEST_JSON_TEXT_H
#define XD_TEST_JSON_TEXT_H

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/jsonutil.h"

static cJSON *J(const char *s)
{
  cJSON *j = NULL;
  xd_err e;
  if(xd_json_parse_text("test", s, strlen(s), &j, &e) != XD_OK)
    fprintf(stderr, "bad JSON in test: %s\n", e.msg);
  return j;
}

#endif
