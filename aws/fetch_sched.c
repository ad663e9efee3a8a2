/* aws/fetch_sched.c: the fetch made concurrent without rewriting it.
 *
 * The phases (Studio, EMR accounts, each account's network, IAM) stay
 * plain sequential code, and run in passes over the answers kept on the
 * context (multi.c keeps every request's outcome). A planning pass makes
 * every call it can: an answered one returns its answer; one not answered
 * yet is recorded and returns AWS_E_PENDING, and what depends on it is
 * left for a later pass. Nothing is written or recorded while planning.
 * Between passes the multi handle sends all the recorded requests at
 * once (bounded by --concurrency). When a pass needs nothing new, a last
 * pass runs the same code to write the snapshot, with every answer at
 * hand: the snapshot is what the sequential fetch writes, whatever order
 * the answers came in. The passes number the depth of the dependency
 * chain (credentials, AssumeRole, DescribeCluster, ListInstances and the
 * pages), not the number of calls.
 *
 * A planning pass must ask only for what the writing pass will ask for,
 * so the few places where code would take another branch on a missing
 * answer wait instead (fx_dry checks in fetch_studio.c and fetch_ec2.c):
 * an EMR target whose role comes from Studio's discovery, reads with
 * credentials not yet assumed, the per-VPC calls before the subnets are
 * known, IAM through a place whose order may change. */
#include "fetch.h"

#include <stdlib.h>
#include <string.h>

#include "../common/log.h"

void fx_pass_clear(fx_state *f)
{
  for(size_t i = 0; i < f->n_places; i++) {
    free(f->places[i].region);
    fx_strs_free(&f->places[i].vpcs);
    fx_strs_free(&f->places[i].subnets);
  }
  free(f->places);
  f->places = NULL;
  f->n_places = 0;
  fx_strs_free(&f->labels);
  fx_strs_free(&f->roles);
  cJSON_Delete(f->errors);
  f->errors = NULL;
  f->skipped = 0;
  f->stop = false;
  f->studio_unsettled = f->order_unsettled = false;
}

/* The phases, in the order the sequential fetch has always made them. */
static void pass(fx_state *f)
{
  unsigned long before = fx_pending(f);
  fx_place *studio;

  f->st->failed = f->st->files = 0;
  f->errors = cJSON_CreateArray();
  if(!f->errors) {
    xd_fail(&f->fatal, XD_E_NOMEM, "out of memory");
    f->abort = true;
    return;
  }
  studio = fx_place_get(f, f->studio, f->studio_region, f->base);
  if(studio) {
    studio->read_access = f->studio_profile ? "profile" : "caller";
    fx_studio(f, studio, &f->roles);
  }
  f->studio_unsettled = fx_pending(f) != before;
  if(!f->abort)
    fx_emr_accounts(f, &f->roles);
  for(size_t i = 0; i < f->n_places && !f->abort; i++)
    fx_ec2_place(f, &f->places[i]);
  f->c->n_accounts = 0;
  for(size_t i = 0; i < f->n_places && !f->abort; i++) {
    bool seen = false;
    for(size_t j = 0; j < i; j++)
      seen |= !strcmp(f->places[j].account, f->places[i].account);
    f->c->n_accounts += !seen;
    /* the first place of an account reads its IAM; while planning, only
     * once no unsettled target before it could take that role */
    if(!seen && !(fx_dry(f) && f->places[i].late))
      fx_iam_account(f, &f->places[i]);
  }
}

xd_rc fx_passes(fx_state *f, xd_err *e)
{
  aws_ctx *c = f->c;
  xd_log_level lvl = xd_log_get_level();
  unsigned passes = 0;
  xd_rc rc = XD_OK;

  c->cache = true;
  if(c->concurrency > 1) {
    /* the planning passes say nothing: the writing pass says it all */
    c->planning = true;
    xd_log_set_level(XD_LOG_QUIET);
    for(;;) {
      fx_pass_clear(f);
      c->n_pending = 0;
      pass(f);
      passes++;
      if(f->abort || !c->n_pending)
        break;
      rc = aws_multi_run(c, NULL, e);
      if(rc != XD_OK) {
        f->fatal = *e;
        f->abort = true;
        break;
      }
    }
    c->planning = false;
    xd_log_set_level(lvl);
    /* rounds of requests sent side by side (GetCallerIdentity first, then
     * a batch per planning pass but the last): the depth of the
     * dependency chain, what the user waits for */
    xd_log_info("fetch: %lu requests in %u rounds", c->n_calls, passes);
    c->final = true;
    if(c->progress) {
      aws_progress p = {c->n_done, c->n_jobs, c->n_accounts, true};
      c->progress(c->progress_ud, &p);
    }
  }
  if(!f->abort) {
    fx_pass_clear(f);
    pass(f);
  }
  c->final = false;
  c->cache = false;
  return rc;
}
