/* cli/cmd_fetch.c: `xacct-doctor fetch --out DIR [--config INTENT]`: the
 * configuration of every account into a snapshot folder (aws/aws.h does
 * the work). Exit 0 when every call succeeded, 1 when some failed but the
 * snapshot was written (fetch-errors.json lists them), 3 on bad usage or
 * credentials, or an interrupt (nothing is left behind then). */
#include <stdio.h>

#include "../analyzer/intent.h"
#include "../common/log.h"
#include "cli.h"
#include "progress.h"
#include "run.h"

int cli_cmd_fetch(const cli_opts *o)
{
  az_intent in;
  aws_fetch_stats st = {0};
  xd_err e = {0};
  int rc = CLI_EXIT_UNKNOWN;
  bool have_intent = false;

  if(!o->out) {
    xd_log_error("fetch needs --out DIR (see xacct-doctor fetch --help)");
    return CLI_EXIT_UNKNOWN;
  }
  if(cli_load_intent(o, NULL, &in, &e) != XD_OK)
    goto done;
  have_intent = true;
  cli_progress_init(o->quiet);
  rc = cli_fetch_into(o, &in, o->config, o->out, &st, &e) == XD_OK
           ? CLI_EXIT_OK : CLI_EXIT_UNKNOWN;
  cli_progress_done();
  if(rc != CLI_EXIT_OK)
    goto done;
  if(!o->quiet) {
    if(st.failed)
      printf("snapshot written to %s: %lu files; %lu calls failed (see "
             "%s/fetch-errors.json)\n", o->out, st.files, st.failed, o->out);
    else
      printf("snapshot written to %s: %lu files\n", o->out, st.files);
  }
  rc = st.failed ? CLI_EXIT_WARNING : CLI_EXIT_OK;
done:
  if(rc == CLI_EXIT_UNKNOWN && e.msg[0])
    cli_error(&e);
  if(have_intent)
    az_intent_free(&in);
  return rc;
}
