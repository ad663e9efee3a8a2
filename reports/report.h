/* reports/report.h: render a result document (common/result.h) in one of
 * the output formats. A renderer reads the result and nothing else; it
 * computes nothing that the analyzer did not put there. */
#ifndef RP_REPORT_H
#define RP_REPORT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "../common/buf.h"
#include "../common/xd_error.h"

typedef enum {
  RP_TEXT, RP_JSON, RP_HTML, RP_PROMETHEUS, RP_JUNIT
} rp_format;

typedef struct {
  bool color;    /* ANSI colour in text (the CLI decides: TTY, NO_COLOR) */
  bool quiet;    /* text: one line with Nagios perfdata */
  bool verbose;  /* text: every hop of every path, not only failing ones */
} rp_options;

/* Parse a --format name; false when unknown. */
bool rp_format_parse(const char *name, rp_format *out);
/* The --format name of f. */
const char *rp_format_name(rp_format f);
/* Append the rendering of result in format f to out. */
xd_rc rp_render(const cJSON *result, rp_format f, const rp_options *o,
                xd_buf *out, xd_err *e);

#endif
