/* analyzer/analyze.h: the analyzer's front door. Reads a model, the intent
 * and observation documents; writes findings and paths into a result. Never
 * touches the network: every diagnosis can be replayed from files. */
#ifndef AZ_ANALYZE_H
#define AZ_ANALYZE_H

#include <cjson/cJSON.h>

#include "../common/result.h"
#include "intent.h"
#include "model.h"

/* Analyze m under intent (may be NULL or empty) with n_obs observation
 * documents (xacct-doctor.observations/1, already checked; may be 0), and
 * fill r: meta.loaded (what was read), findings and paths. Returns XD_OK
 * unless out of memory or a bug; faults in the setup are findings, not
 * errors. */
xd_rc az_analyze(const az_model *m, const az_intent *intent,
                 cJSON *const *obs, size_t n_obs, xd_result *r, xd_err *e);

/* Only the part the foundation needs: record in r what m holds
 * (meta.loaded counts, meta.accounts) and one SNAPSHOT_FILE_MISSING finding
 * per absent file. az_analyze() calls it first. */
xd_rc az_summarize(const az_model *m, xd_result *r, xd_err *e);

#endif
