/* cli/controlplane.h: the probes of the control plane. Discovery is API
 * calls from the Studio app (sts:AssumeRole, then EMR ListClusters and
 * DescribeCluster) through Studio's VPC, so `check` (and `probe
 * --control-plane`) also resolve and connect to the regional STS and EMR
 * endpoints on 443, as the SDK in Studio would: which address the name
 * gives and from which server, whether TCP connects, whether the TLS
 * handshake succeeds and the certificate verifies against the bundle
 * HTTPS to AWS trusts. */
#ifndef CLI_CONTROLPLANE_H
#define CLI_CONTROLPLANE_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "../common/xd_error.h"
#include "cli.h"

#define CLI_CP_PORT 443

/* The Region whose endpoints are probed: --region, AWS_REGION,
 * AWS_DEFAULT_REGION, else fallback (the intent's Studio Region); NULL
 * when none says. */
const char *cli_cp_region(const cli_opts *o, const char *fallback);

/* Whether r can be a Region name in a host name: lower-case letters,
 * digits and inner dashes, 3 to 32 of them. */
bool cli_cp_region_ok(const char *r);

/* Probe sts.<region>.amazonaws.com and elasticmapreduce.<region>.
 * amazonaws.com on TCP 443 (DNS A/AAAA with the server that answered,
 * TCP state, TLS handshake and verification, a time per phase) and
 * append the entries to obs's "dns", "tcp" and "tls" arrays, each marked
 * "role": "control-plane" and "service": "sts" or "emr-api". A bad
 * Region is XD_E_USAGE naming it; XD_E_TIMEOUT / XD_E_INTERRUPTED keep
 * what finished, as pr_run does. */
xd_rc cli_cp_probe(const cli_opts *o, const char *region, cJSON *obs,
                   xd_err *e);

/* check's step: the control plane of cli_cp_region(o, intent_region)
 * probed into a new "studio" observations document appended to docs
 * (which must have room for one more). No Region, or a bad one, is a
 * warning and nothing is probed; otherwise as cli_cp_probe. */
xd_rc cli_cp_check(const cli_opts *o, const char *intent_region,
                   cJSON **docs, size_t *n, xd_err *e);

#endif
