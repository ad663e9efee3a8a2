#include "../common/log.h"
#include "cli.h"

/* Completed by a later issue; the command exists so that scripts and
 * --help already see it. */
int cli_cmd_probe(const cli_opts *o)
{
  (void)o;
  xd_log_error("probe: not implemented yet");
  return CLI_EXIT_UNKNOWN;
}
