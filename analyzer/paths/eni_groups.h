/* analyzer/paths/eni_groups.h (private to analyzer/): the security groups
 * of the EMR primary node. */
#ifndef AZ_PATHS_ENI_GROUPS_H
#define AZ_PATHS_ENI_GROUPS_H

#include "../reach.h"

/* The groups that filter traffic to cl's primary node: its ENI's Groups
 * when the snapshot holds the ENI (eni, may be NULL), else what the cluster
 * lists (EmrManagedMasterSecurityGroup + AdditionalMasterSecurityGroups).
 * When the ENI's groups are not the cluster's, raises
 * EMR_MASTER_ENI_GROUPS_DIFFER. Arena memory; *n gets the count; NULL on
 * out of memory (c->nomem set). */
const char **az_primary_groups(az_ctx *c, const az_cluster *cl,
                               const az_eni *eni, size_t *n);

#endif
