#include <stdio.h>

#include "../analyzer/catalogue.h"
#include "../common/buf.h"
#include "../common/log.h"
#include "cli.h"

int cli_cmd_explain(const cli_opts *o)
{
  const az_catalogue_entry *c;
  xd_buf b;
  int rc;
  if(!o->code) {
    size_t n;
    const az_catalogue_entry *all = az_catalogue_all(&n);
    xd_buf_init(&b);
    xd_buf_puts(&b, "Finding codes (xacct-doctor explain CODE for one):\n");
    for(size_t i = 0; i < n; i++)
      xd_buf_printf(&b, "  %-34s %-8s %s\n", all[i].code,
                    xd_severity_name(all[i].severity), all[i].title);
    rc = cli_write_output(o, xd_buf_str(&b), b.len);
    xd_buf_free(&b);
    return rc;
  }
  c = az_catalogue_find(o->code);
  if(!c) {
    xd_log_error("unknown finding code '%s' (xacct-doctor explain lists them)",
                 o->code);
    return CLI_EXIT_UNKNOWN;
  }
  xd_buf_init(&b);
  xd_buf_printf(&b,
                "%s (%s, setup step: %s)\n  %s\n\nWhat it means\n  %s\n\n"
                "How it is detected\n  %s\n\nHow to fix it\n  %s\n",
                c->code, xd_severity_name(c->severity), c->step, c->title,
                c->meaning, c->detection, c->fix);
  rc = cli_write_output(o, xd_buf_str(&b), b.len);
  xd_buf_free(&b);
  return rc;
}
