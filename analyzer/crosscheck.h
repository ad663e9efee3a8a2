/* analyzer/crosscheck.h: set what was observed (probes, captures from both
 * sides) against what the configuration says, path by path. Configuration
 * alone cannot see a host firewall, a stopped service or a stale snapshot;
 * packets alone cannot say which rule to change. */
#ifndef AZ_CROSSCHECK_H
#define AZ_CROSSCHECK_H

#include <cjson/cJSON.h>

#include "../common/result.h"
#include "model.h"

/* For every path already in r (the configuration's verdicts), find the
 * observations about it (tcp probes, flows captured on either side, DNS
 * answers) and place the break: confirm a configuration finding with the
 * packets' evidence, or add a finding where they disagree (host firewall,
 * nothing listening, stale snapshot). Adds "observed" to each path. Returns
 * XD_OK unless out of memory. */
xd_rc az_crosscheck(const az_model *m, cJSON *const *obs, size_t n_obs,
                    xd_result *r, xd_err *e);

#endif
