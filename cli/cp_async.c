/* cli/cp_async.c: the control-plane probes in a thread beside the live
 * fetch (see cp_async.h). The thread touches only its own plan, event
 * loop and document; what it shares with the fetch is the log, whose
 * redaction table is locked (common/log.c), and the read-only options. */
#include "cp_async.h"

#include <stdio.h>
#include <string.h>

#include "controlplane.h"

static void *run(void *arg)
{
  cli_cp_async *a = arg;
  a->rc = cli_cp_check(a->o, a->has_region ? a->region : NULL, a->doc,
                       &a->n_doc, &a->e);
  return NULL;
}

void cli_cp_async_start(cli_cp_async *a, const cli_opts *o,
                        const char *intent_region)
{
  memset(a, 0, sizeof(*a));
  a->o = o;
  /* a copy: the intent may be rewritten while the thread reads */
  if(intent_region && strlen(intent_region) < sizeof(a->region)) {
    snprintf(a->region, sizeof(a->region), "%s", intent_region);
    a->has_region = true;
  }
  a->started = pthread_create(&a->thread, NULL, run, a) == 0;
}

xd_rc cli_cp_async_join(cli_cp_async *a, cJSON **docs, size_t *n, xd_err *e)
{
  if(a->started) {
    pthread_join(a->thread, NULL);
    a->started = false;
  }
  else if(!a->o)
    return XD_OK; /* never started, or joined already */
  else if(docs && !cli_interrupted())
    run(a); /* no thread could be made: probe now, as before */
  a->o = NULL;
  for(size_t i = 0; i < a->n_doc; i++) {
    if(docs)
      docs[(*n)++] = a->doc[i];
    else
      cJSON_Delete(a->doc[i]);
    a->doc[i] = NULL;
  }
  a->n_doc = 0;
  if(a->rc != XD_OK)
    *e = a->e;
  return a->rc;
}
