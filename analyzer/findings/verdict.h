/* analyzer/findings/verdict.h (private to analyzer/): the last word on a
 * result, once every path is evaluated and the packets are cross-checked.
 * The status itself is computed by xd_result_finish from the paths and the
 * findings; this makes sure the findings say why:
 *   - a blocked path always has a critical finding naming one of its
 *     denying hops (grouping by root cause may merge findings, never drop
 *     the last one for a blocked path);
 *   - a path that could not be evaluated, and that no packet settled, is
 *     named with what was not known (PATH_NOT_SEEN, meta.not_seen). */
#ifndef AZ_FINDINGS_VERDICT_H
#define AZ_FINDINGS_VERDICT_H

#include "../reach.h"

/* Derive the primary node's private address from a private DNS name
 * (ip-a-b-c-d.<region>.compute.internal, ip-a-b-c-d.ec2.internal) into
 * out; false when name is not of that form. */
bool az_ip_from_private_name(const char *name, char *out, size_t n);

/* A cluster whose primary node could not be placed (no address): no path
 * to it exists, so record that it was not seen, and why. */
void az_cluster_not_seen(az_ctx *c, const az_cluster *cl, const char *why);

/* Walk the paths of the result (after the cross-check): add the critical
 * finding of a blocked path that has none, and the PATH_NOT_SEEN finding
 * and meta.not_seen entry for paths that stayed unknown. */
xd_rc az_verdict_check(xd_result *r, xd_err *e);

#endif
