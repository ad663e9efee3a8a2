/* analyzer/remedy.h (private to analyzer/): the AWS CLI commands that fix
 * a finding, with the real ids filled in. Each appends one command to c
 * (findings/cmdline.h), checking the shape of every id, so that a value a
 * snapshot made up is refused rather than pasted. Run them with
 * credentials of the account the finding names. */
#ifndef AZ_REMEDY_H
#define AZ_REMEDY_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/buf.h"
#include "findings/cmdline.h"

/* aws ec2 create-route / replace-route ... --vpc-peering-connection-id.
 * dest is a CIDR, or a prefix list id ("pl-..."). */
void az_rem_route(az_cmd *c, bool replace, const char *rtb, const char *dest,
                  const char *pcx, const char *region);

/* The peer of a security group rule to add: a group pair (user/group) or
 * a CIDR block. */
typedef struct {
  const char *user_id, *group_id; /* group pair, or NULL */
  const char *cidr;               /* or a block */
} az_rem_peer;

/* aws ec2 authorize-security-group-ingress|egress --group-id ...
 * --ip-permissions, one permission per run of ports (tcp). */
void az_rem_sg(az_cmd *c, bool egress, const char *group, const int *ports,
               size_t n_ports, const az_rem_peer *peer, const char *region);
/* One --ip-permissions item in shorthand ("IpProtocol=tcp,FromPort=...")
 * into b; proto -1 is every protocol. false (and b untouched) when an id
 * of peer does not have its shape. */
bool az_rem_permission(xd_buf *b, int proto, int from, int to,
                       const az_rem_peer *peer);
/* aws ec2 revoke-security-group-ingress|egress with the given permission
 * items (as az_rem_permission writes them). */
void az_rem_sg_revoke(az_cmd *c, bool egress, const char *group,
                      char *const *perms, size_t n, const char *region);

/* aws ec2 create-network-acl-entry ... --rule-action allow. */
void az_rem_nacl(az_cmd *c, const char *acl, bool egress, int rule_number,
                 int lo, int hi, const char *cidr, const char *region);

void az_rem_accept_pcx(az_cmd *c, const char *pcx, const char *region);
void az_rem_create_pcx(az_cmd *c, const char *vpc, const char *peer_vpc,
                       const char *peer_owner, const char *peer_region,
                       const char *region);
/* modify-vpc-peering-connection-options on the accepter or requester
 * side: AllowDnsResolutionFromRemoteVpc=true. */
void az_rem_pcx_dns(az_cmd *c, const char *pcx, bool accepter,
                    const char *region);
/* aws ec2 modify-vpc-attribute --vpc-id ... --enable-dns-support|hostnames. */
void az_rem_vpc_attr(az_cmd *c, const char *vpc, bool hostnames,
                     const char *region);

/* The role name of a role ARN ("arn:aws:iam::1:role/path/NAME" -> NAME)
 * into out. */
void az_role_name(const char *arn, char *out, size_t n);

#endif
