/* analyzer/crosscheck.h: set what was observed (probes, captures from both
 * sides) against what the configuration says, path by path. Configuration
 * alone cannot see a host firewall, a stopped service or a stale snapshot;
 * packets alone cannot say which rule to change. */
#ifndef AZ_CROSSCHECK_H
#define AZ_CROSSCHECK_H

#include <cjson/cJSON.h>

#include "../common/result.h"
#include "findings/cmdline.h"
#include "model.h"

/* For every path already in r (the configuration's verdicts), find the
 * observations about it (tcp probes, flows captured on either side, DNS
 * answers) and place the break: confirm a configuration finding with the
 * packets' evidence, or add a finding where they disagree (host firewall,
 * nothing listening, stale snapshot). Adds "observed" to each path. Returns
 * XD_OK unless out of memory. */
xd_rc az_crosscheck(const az_model *m, cJSON *const *obs, size_t n_obs,
                    xd_result *r, xd_err *e);

/* For the control plane's cross-check (controlplane/crosscheck.c), which
 * follows the same conventions: add a finding with up to two evidence
 * lines and an optional fix; append evidence to every finding about
 * resource (true when there is one). */
xd_rc az_xc_add(xd_result *r, const char *code, xd_severity sev,
                const char *resource, const char *account, const char *msg,
                const char *ev1, const char *ev2, const az_cmd *fix);
bool az_xc_confirm(xd_result *r, const char *resource, const char *evidence);

#endif
