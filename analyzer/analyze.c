#include "analyze.h"

/* The path evaluation itself is the analyzer issue's (#3); until then the
 * analysis is the summary of what was loaded. */
xd_rc az_analyze(const az_model *m, const az_intent *intent,
                 cJSON *const *obs, size_t n_obs, xd_result *r, xd_err *e)
{
  (void)intent;
  (void)obs;
  (void)n_obs;
  return az_summarize(m, r, e);
}
