#include "../common/log.h"
#include "cli.h"

int cli_cmd_report(const cli_opts *o)
{
  xd_err e = {0};
  xd_result *r = NULL;
  int rc;
  if(!o->in) {
    xd_log_error("report needs --in RESULT.json (see xacct-doctor report --help)");
    return CLI_EXIT_UNKNOWN;
  }
  if(xd_result_load(o->in, &r, &e) != XD_OK)
    return cli_error(&e);
  rc = cli_emit_result(o, r);
  xd_result_free(r);
  return rc;
}
