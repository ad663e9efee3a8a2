/* analyzer/controlplane/controlplane.h (private to analyzer/): the paths
 * from Studio to the control plane, the regional STS and EMR API
 * endpoints on TCP 443 (domain.md, "The control plane"). Discovery is API
 * calls the Studio app makes through Studio's VPC in a VpcOnly domain:
 * without a way out to them, no cluster is listed ("Unable to assume
 * role"), however well the peering is set up.
 *
 * A path leaves by one of two ways, as DNS decides: an interface endpoint
 * of the service in Studio's VPC with private DNS takes the regional name
 * (whatever the routes say); otherwise the name gives public addresses,
 * reached only through a NAT gateway. cp_paths.c picks the way and writes
 * the path; cp_endpoint.c evaluates an endpoint's hops (state, AZ, group,
 * ACLs) and cp_policy.c its policy for the discovery calls. */
#ifndef AZ_CONTROLPLANE_H
#define AZ_CONTROLPLANE_H

#include "../filters.h"
#include "../reach.h"

/* One control-plane service. */
typedef struct {
  const char *svc;      /* the path's to.service: "sts" | "emr-api" */
  const char *suffix;   /* "sts" | "elasticmapreduce" */
  char name[96];        /* "sts.us-east-1.amazonaws.com" */
  char service[96];     /* "com.amazonaws.us-east-1.sts" */
} cp_target;

/* Add, for each Studio end, a path to STS and one to EMR beside the Livy
 * paths, and the findings that say what stops them. cls are the clusters
 * analyzed (their discovery roles are what the endpoint policies must
 * admit). */
xd_rc az_controlplane_paths(az_ctx *c, const az_endpoint *srcs, size_t n_src,
                            const az_cluster *const *cls, size_t n_cl);

/* ---- cp_endpoint.c ---- */
/* The end of a path at endpoint e for a source src: its ENI (address)
 * in src's AZ when known, else its subnet there, else its first subnet.
 * *same_az tells whether it is in src's AZ. */
void cp_endpoint_end(az_ctx *c, const az_vpce *e, const az_endpoint *src,
                     az_endpoint *out, bool *same_az);
/* The vpc-endpoint hop of a usable endpoint (available, private DNS):
 * whether it has an ENI in src's AZ. */
void cp_endpoint_az_leg(az_ctx *c, const az_vpce *e, const az_endpoint *src,
                        const az_endpoint *dst, bool same_az, az_leg *leg);
/* The endpoint's groups admitting TCP 443 from src. */
void cp_endpoint_sg_leg(az_ctx *c, const az_vpce *e, const az_endpoint *src,
                        az_leg *leg);
/* The vpc-endpoint hop of an endpoint Studio cannot use (not available,
 * or private DNS off) with no NAT to fall back on: deny, and the finding;
 * nat_unknown makes it unknown (a NAT may carry the public name). */
void cp_endpoint_defect_leg(az_ctx *c, const az_vpce *e,
                            const az_endpoint *src, const cp_target *t,
                            bool nat_unknown, const char *rtb, az_leg *leg);

/* ---- cp_policy.c ---- */
/* The vpc-endpoint-policy hop: e's policy for the discovery calls of t
 * (sts:AssumeRole of each cluster's role by Studio's execution role; the
 * EMR calls by each role's session). */
void cp_policy_leg(az_ctx *c, const az_vpce *e, const cp_target *t,
                   const az_cluster *const *cls, size_t n_cl, az_leg *leg);

#endif
