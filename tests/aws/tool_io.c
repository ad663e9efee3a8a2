#include "tool_io.h"

#include <stdio.h>
#include <stdlib.h>

#include "../../common/buf.h"
#include "../../common/jsonutil.h"

int tool_map_stdin(const char *tool, cJSON *(*one)(const cJSON *c))
{
  xd_buf in;
  char chunk[65536];
  size_t got;
  cJSON *cases = NULL, *c, *out;
  xd_err e = {0};
  char *text;

  xd_buf_init(&in);
  while((got = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
    xd_buf_append(&in, chunk, got);
  if(xd_json_parse_text("stdin", xd_buf_str(&in), in.len, &cases, &e) != XD_OK) {
    fprintf(stderr, "%s: %s\n", tool, e.msg);
    return 2;
  }
  out = cJSON_CreateArray();
  cJSON_ArrayForEach(c, cases)
    cJSON_AddItemToArray(out, one(c));
  text = cJSON_PrintUnformatted(out);
  fputs(text, stdout);
  fputc('\n', stdout);
  free(text);
  cJSON_Delete(out);
  cJSON_Delete(cases);
  xd_buf_free(&in);
  return 0;
}
