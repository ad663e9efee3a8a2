/* analyzer/controlplane/crosscheck.h: the packets' side of the control
 * plane and of DNS. The probes of `check` (and `probe --control-plane`)
 * resolve and connect to the regional STS and EMR endpoints on 443 and
 * mark those entries "role": "control-plane"; this sets them against the
 * control-plane paths of the result ("to": {"side": "control-plane",
 * "name", "port", "service"}), places the break (no address, a public
 * address where private DNS is expected, no answer, a reset, a TLS
 * failure) and says, for every name Studio resolved, which server
 * answered and whether that is the Studio VPC's own resolver. */
#ifndef AZ_CONTROLPLANE_CROSSCHECK_H
#define AZ_CONTROLPLANE_CROSSCHECK_H

#include <cjson/cJSON.h>

#include "../../common/result.h"
#include "../model.h"

/* studio_vpc is the Studio VPC (NULL when not known: nothing is then said
 * about resolvers, and every address outside RFC 1918 counts as public);
 * account is the Studio account (may be NULL). Adds findings
 * (CONTROL_PLANE_PROBE_*, DNS_ANSWER_*) or evidence to the configuration's
 * findings, "observed" to each control-plane path, and sets the verdict
 * of a path the configuration could not decide. XD_OK unless out of
 * memory. */
xd_rc az_cp_crosscheck(const az_model *m, const az_vpc *studio_vpc,
                       const char *account, cJSON *const *obs, size_t n_obs,
                       xd_result *r, xd_err *e);

/* Whether ip is the Amazon DNS server of vpc: its primary block's base
 * + 2, or 169.254.169.253 / fd00:ec2::253 (every VPC's). */
bool az_cp_is_vpc_resolver(const az_vpc *vpc, const char *ip);

#endif
