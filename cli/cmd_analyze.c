#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/analyze.h"
#include "../analyzer/snapshot.h"
#include "../common/fileio.h"
#include "../common/jsonutil.h"
#include "../common/log.h"
#include "../common/observations.h"
#include "cli.h"
#include "cron.h"
#include "run.h"

int cli_cmd_analyze(const cli_opts *o)
{
  az_model m;
  az_intent in;
  xd_err e = {0};
  xd_result *r = NULL;
  cJSON **obs = NULL;
  size_t n_obs = 0;
  int rc = CLI_EXIT_UNKNOWN;
  bool model_ok = false, intent_ok = false;
  cli_cron *cron = NULL;

  if(!o->snapshot) {
    xd_log_error("analyze needs --snapshot DIR (see xacct-doctor analyze --help)");
    return CLI_EXIT_UNKNOWN;
  }
  if(cli_cron_begin(o, &cron) != CLI_EXIT_OK)   /* --lock, --history */
    return CLI_EXIT_UNKNOWN;
  if(az_snapshot_load(o->snapshot, &m, &e) != XD_OK)
    goto done;
  model_ok = true;
  if(cli_load_intent(o, o->snapshot, &in, &e) != XD_OK)
    goto done;
  intent_ok = true;
  obs = calloc(2 * o->n_observations + 2, sizeof(*obs));
  if(!obs) {
    xd_fail(&e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  for(size_t i = 0; i < o->n_observations; i++)
    if(cli_load_observations(o->observations[i], obs, &n_obs, &e) != XD_OK)
      goto done;
  r = xd_result_new();
  if(!r) {
    xd_fail(&e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  if(az_analyze(&m, &in, obs, n_obs, r, &e) != XD_OK)
    goto done;
  for(size_t i = 0; i < n_obs; i++) {
    const char *side = xd_json_str(obs[i], "side");
    xd_result_add_observations(r, side ? side : "unknown", obs[i]);
    obs[i] = NULL;
  }
  xd_result_finish(r);
  cli_cron_annotate(o, r);
  rc = cli_emit_result(o, r);
  e.msg[0] = '\0';
done:
  if(rc == CLI_EXIT_UNKNOWN && e.msg[0])
    cli_error(&e);
  cli_cron_end(cron, o, e.msg[0] ? NULL : r);
  for(size_t i = 0; obs && i < n_obs; i++)
    cJSON_Delete(obs[i]);
  free(obs);
  xd_result_free(r);
  if(intent_ok)
    az_intent_free(&in);
  if(model_ok)
    az_model_free(&m);
  return rc;
}
