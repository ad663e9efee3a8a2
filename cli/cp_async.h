/* cli/cp_async.h: the control-plane probes run beside the live fetch.
 * Their targets (sts./elasticmapreduce.<region>.amazonaws.com) are known
 * from the Region alone, before any answer of AWS, so `check` resolves and
 * connects to them while the fetch waits on its round trips (issue 20):
 * the user waits for the longer of the two, not their sum. */
#ifndef XD_CLI_CP_ASYNC_H
#define XD_CLI_CP_ASYNC_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "../common/xd_error.h"
#include "cli.h"

typedef struct {
  pthread_t thread;
  bool started;
  const cli_opts *o;
  char region[64];
  bool has_region;
  cJSON *doc[1]; /* the observations document cli_cp_check made, or NULL */
  size_t n_doc;
  xd_rc rc;
  xd_err e;
} cli_cp_async;

/* Start the probes of intent_region's (or the options') control plane in
 * a thread of their own; when no thread can be made, nothing is started
 * and cli_cp_async_join runs them there and then. */
void cli_cp_async_start(cli_cp_async *a, const cli_opts *o,
                        const char *intent_region);
/* Wait for them; their document (if any) goes to docs[(*n)++], or is
 * dropped when docs is NULL (the run ended early). Returns what
 * cli_cp_check returned, with its error in *e. */
xd_rc cli_cp_async_join(cli_cp_async *a, cJSON **docs, size_t *n, xd_err *e);

#endif
