#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/fileio.h"
#include "../common/log.h"
#include "cli.h"

int cli_error(const xd_err *e)
{
  xd_log_error("%s", e->msg[0] ? e->msg : xd_rc_str(e->rc));
  return CLI_EXIT_UNKNOWN;
}

bool cli_want_color(const cli_opts *o)
{
  const char *nc = getenv("NO_COLOR");
  if(o->no_color || (nc && *nc) || o->output)
    return false;
  return isatty(STDOUT_FILENO) == 1;
}

int cli_write_output(const cli_opts *o, const char *text, size_t len)
{
  xd_err e = {0};
  if(o->output) {
    if(xd_file_write_atomic(o->output, text, len, &e) != XD_OK)
      return cli_error(&e);
    return CLI_EXIT_OK;
  }
  if(fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
    xd_log_error("stdout: write failed");
    return CLI_EXIT_UNKNOWN;
  }
  return CLI_EXIT_OK;
}

int cli_emit_result(const cli_opts *o, xd_result *r)
{
  xd_buf out;
  xd_err e = {0};
  rp_options ro = {0};
  int rc;
  ro.color = cli_want_color(o);
  ro.quiet = o->quiet;
  ro.verbose = o->verbose;
  xd_buf_init(&out);
  if(rp_render(xd_result_json(r), o->format_set ? o->format : RP_TEXT, &ro,
               &out, &e) != XD_OK) {
    xd_buf_free(&out);
    return cli_error(&e);
  }
  rc = cli_write_output(o, xd_buf_str(&out), out.len);
  xd_buf_free(&out);
  if(rc != CLI_EXIT_OK)
    return rc;
  return (int)xd_result_status(r);
}
