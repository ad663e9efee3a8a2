/* The status as each rendering states it, for saved results: the helper of
 * status_rules.py, which analyzes hundreds of snapshots and would spend
 * most of its time starting the program again for each format.
 *
 *   render_status RESULT.json...
 *
 * prints one line per file, tab-separated: the file, the result's status,
 * the --quiet Nagios line, the Prometheus xacct_doctor_status value, and
 * the JUnit document's failures + errors. These are the renderers the
 * program's --quiet, --format prometheus and --format junit call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/result.h"
#include "reports/report.h"

static int render(const cJSON *r, rp_format f, bool quiet, xd_buf *out)
{
  rp_options ro = {0};
  xd_err e = {0};
  ro.quiet = quiet;
  xd_buf_init(out);
  if(rp_render(r, f, &ro, out, &e) != XD_OK || out->failed) {
    fprintf(stderr, "render: %s\n", e.msg);
    return 1;
  }
  return 0;
}

/* The number after `key` in text, or -1. */
static long after(const char *text, const char *key)
{
  const char *p = text ? strstr(text, key) : NULL;
  return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

int main(int argc, char **argv)
{
  int rc = 0;
  for(int i = 1; i < argc; i++) {
    xd_result *r = NULL;
    xd_err e = {0};
    xd_buf q, prom, junit;
    const cJSON *root;
    char *nl;
    if(xd_result_load(argv[i], &r, &e) != XD_OK) {
      fprintf(stderr, "%s: %s\n", argv[i], e.msg);
      rc = 1;
      continue;
    }
    root = xd_result_json(r);
    if(render(root, RP_TEXT, true, &q) || render(root, RP_PROMETHEUS, false, &prom) ||
       render(root, RP_JUNIT, false, &junit))
      rc = 1;
    else {
      const char *ql = xd_buf_str(&q);
      if((nl = strchr(ql, '\n')))
        *nl = '\0';
      printf("%s\t%s\t%s\t%ld\t%ld\n", argv[i],
             xd_status_name(xd_result_status(r)), ql,
             after(xd_buf_str(&prom), "\nxacct_doctor_status "),
             after(xd_buf_str(&junit), "<testsuites name=\"xacct-doctor\" "
                   "tests=\"") < 0 ? -1 :
             after(xd_buf_str(&junit), "\" failures=\"") +
             after(xd_buf_str(&junit), "\" errors=\""));
    }
    xd_buf_free(&q);
    xd_buf_free(&prom);
    xd_buf_free(&junit);
    xd_result_free(r);
  }
  return rc;
}
