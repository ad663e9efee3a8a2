#include "remedy.h"

#include <stdio.h>
#include <string.h>

static void dest_opt(az_cmd *c, const char *dest)
{
  if(dest && !strncmp(dest, "pl-", 3)) {
    az_cmd_arg(c, "--destination-prefix-list-id");
    az_cmd_id(c, AZ_ID_PL, dest);
  } else {
    az_cmd_arg(c, "--destination-cidr-block");
    az_cmd_arg(c, dest);
  }
}

void az_rem_route(az_cmd *c, bool replace, const char *rtb, const char *dest,
                  const char *pcx, const char *region)
{
  az_cmd_args(c, "aws", "ec2", replace ? "replace-route" : "create-route",
              "--route-table-id", NULL);
  az_cmd_id(c, AZ_ID_RTB, rtb);
  dest_opt(c, dest);
  az_cmd_arg(c, "--vpc-peering-connection-id");
  az_cmd_id(c, AZ_ID_PCX, pcx);
  az_cmd_region(c, region);
}

bool az_rem_permission(xd_buf *perm, int proto, int from, int to,
                       const az_rem_peer *peer)
{
  /* the item is one word of shorthand syntax, where "," "=" "[" "{" are
   * structure: only values of a known shape may go into it */
  if(peer->group_id ? !az_id_ok(AZ_ID_SG, peer->group_id) ||
                          (peer->user_id &&
                           !az_id_ok(AZ_ID_ACCOUNT, peer->user_id))
                    : !peer->cidr || strspn(peer->cidr, "0123456789abcdef"
                                                        "ABCDEF.:/") !=
                                         strlen(peer->cidr))
    return false;
  if(proto < 0)
    xd_buf_puts(perm, "IpProtocol=-1");
  else
    xd_buf_printf(perm, "IpProtocol=%s,FromPort=%d,ToPort=%d",
                  proto == 6 ? "tcp" : proto == 17 ? "udp" : "icmp", from, to);
  if(peer->group_id) {
    xd_buf_puts(perm, ",UserIdGroupPairs=[{");
    if(peer->user_id)
      xd_buf_printf(perm, "UserId=%s,", peer->user_id);
    xd_buf_printf(perm, "GroupId=%s}]", peer->group_id);
  } else {
    xd_buf_printf(perm, ",IpRanges=[{CidrIp=%s}]", peer->cidr);
  }
  return true;
}

/* "aws ec2 VERB-security-group-ingress|egress --group-id G
 * --ip-permissions" */
static void sg_cmd(az_cmd *c, const char *verb, bool egress, const char *group)
{
  az_cmd_args(c, "aws", "ec2", NULL);
  az_cmd_argf(c, "%s-security-group-%s", verb, egress ? "egress" : "ingress");
  az_cmd_arg(c, "--group-id");
  az_cmd_id(c, AZ_ID_SG, group);
  az_cmd_arg(c, "--ip-permissions");
}

void az_rem_sg(az_cmd *c, bool egress, const char *group, const int *ports,
               size_t n_ports, const az_rem_peer *peer, const char *region)
{
  xd_buf perm;
  sg_cmd(c, "authorize", egress, group);
  xd_buf_init(&perm);
  for(size_t i = 0; i < n_ports; i++) {
    /* a run of consecutive ports is one permission */
    size_t k = i;
    while(k + 1 < n_ports && ports[k + 1] == ports[k] + 1)
      k++;
    xd_buf_reset(&perm);
    if(!az_rem_permission(&perm, 6, ports[i], ports[k], peer)) {
      az_cmd_refuse(c, "the peer %s is not a security group or CIDR block "
                       "of a known shape",
                    peer->group_id ? "group" : "block");
      break;
    }
    az_cmd_arg(c, xd_buf_str(&perm));
    i = k;
  }
  xd_buf_free(&perm);
  az_cmd_region(c, region);
}

void az_rem_sg_revoke(az_cmd *c, bool egress, const char *group,
                      char *const *perms, size_t n, const char *region)
{
  sg_cmd(c, "revoke", egress, group);
  for(size_t i = 0; i < n; i++)
    az_cmd_arg(c, perms[i]);
  az_cmd_region(c, region);
}

void az_rem_nacl(az_cmd *c, const char *acl, bool egress, int rule_number,
                 int lo, int hi, const char *cidr, const char *region)
{
  az_cmd_args(c, "aws", "ec2", "create-network-acl-entry", "--network-acl-id",
              NULL);
  az_cmd_id(c, AZ_ID_ACL, acl);
  az_cmd_arg(c, egress ? "--egress" : "--ingress");
  az_cmd_arg(c, "--rule-number");
  az_cmd_argf(c, "%d", rule_number);
  az_cmd_args(c, "--protocol", "tcp", "--port-range", NULL);
  az_cmd_argf(c, "From=%d,To=%d", lo, hi);
  az_cmd_arg(c, "--cidr-block");
  az_cmd_arg(c, cidr);
  az_cmd_args(c, "--rule-action", "allow", NULL);
  az_cmd_region(c, region);
}

void az_rem_accept_pcx(az_cmd *c, const char *pcx, const char *region)
{
  az_cmd_args(c, "aws", "ec2", "accept-vpc-peering-connection",
              "--vpc-peering-connection-id", NULL);
  az_cmd_id(c, AZ_ID_PCX, pcx);
  az_cmd_region(c, region);
}

void az_rem_create_pcx(az_cmd *c, const char *vpc, const char *peer_vpc,
                       const char *peer_owner, const char *peer_region,
                       const char *region)
{
  az_cmd_args(c, "aws", "ec2", "create-vpc-peering-connection", "--vpc-id",
              NULL);
  az_cmd_id(c, AZ_ID_VPC, vpc);
  az_cmd_arg(c, "--peer-vpc-id");
  az_cmd_id(c, AZ_ID_VPC, peer_vpc);
  if(peer_owner) {
    az_cmd_arg(c, "--peer-owner-id");
    az_cmd_id(c, AZ_ID_ACCOUNT, peer_owner);
  }
  if(peer_region) {
    az_cmd_arg(c, "--peer-region");
    az_cmd_id(c, AZ_ID_REGION, peer_region);
  }
  az_cmd_region(c, region);
}

void az_rem_pcx_dns(az_cmd *c, const char *pcx, bool accepter,
                    const char *region)
{
  az_cmd_args(c, "aws", "ec2", "modify-vpc-peering-connection-options",
              "--vpc-peering-connection-id", NULL);
  az_cmd_id(c, AZ_ID_PCX, pcx);
  az_cmd_args(c,
              accepter ? "--accepter-peering-connection-options"
                       : "--requester-peering-connection-options",
              "AllowDnsResolutionFromRemoteVpc=true", NULL);
  az_cmd_region(c, region);
}

void az_rem_vpc_attr(az_cmd *c, const char *vpc, bool hostnames,
                     const char *region)
{
  az_cmd_args(c, "aws", "ec2", "modify-vpc-attribute", "--vpc-id", NULL);
  az_cmd_id(c, AZ_ID_VPC, vpc);
  az_cmd_args(c, hostnames ? "--enable-dns-hostnames" : "--enable-dns-support",
              "{\"Value\":true}", NULL);
  az_cmd_region(c, region);
}

void az_role_name(const char *arn, char *out, size_t n)
{
  const char *p = arn ? strrchr(arn, '/') : NULL;
  snprintf(out, n, "%s", p ? p + 1 : (arn ? arn : ""));
}
