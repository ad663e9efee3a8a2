/* analyzer/paths/subnets.h (private to analyzer/): which of the Studio
 * domain's subnets reach a cluster. */
#ifndef AZ_PATHS_SUBNETS_H
#define AZ_PATHS_SUBNETS_H

#include "../reach.h"

/* After cl's paths are evaluated: when some Studio subnets reach cl and
 * others do not, one STUDIO_SUBNET_BLOCKED finding per failing subnet
 * (apps land in any subnet of the domain, so some users fail and others
 * do not). Nothing when every subnet fails or passes alike: the hops'
 * findings say it all then. */
void az_subnets_report(az_ctx *c, const az_cluster *cl);

#endif
