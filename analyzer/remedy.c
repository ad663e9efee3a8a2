#include "remedy.h"

#include <stdio.h>
#include <string.h>

void az_sh_quote(xd_buf *b, const char *s)
{
  bool plain = *s != '\0';
  for(const char *p = s; *p && plain; p++)
    plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-_./:=,@+", *p);
  if(plain) {
    xd_buf_puts(b, s);
    return;
  }
  xd_buf_putc(b, '\'');
  for(const char *p = s; *p; p++) {
    if(*p == '\'')
      xd_buf_puts(b, "'\\''");
    else
      xd_buf_putc(b, *p);
  }
  xd_buf_putc(b, '\'');
}

static void region_opt(xd_buf *b, const char *region)
{
  if(region) {
    xd_buf_puts(b, " --region ");
    az_sh_quote(b, region);
  }
}

void az_rem_route(xd_buf *b, bool replace, const char *rtb, const char *dest,
                  const char *pcx, const char *region)
{
  xd_buf_printf(b, "aws ec2 %s --route-table-id %s",
                replace ? "replace-route" : "create-route", rtb);
  if(!strncmp(dest, "pl-", 3))
    xd_buf_printf(b, " --destination-prefix-list-id %s", dest);
  else
    xd_buf_printf(b, " --destination-cidr-block %s", dest);
  xd_buf_printf(b, " --vpc-peering-connection-id %s", pcx);
  region_opt(b, region);
}

void az_rem_delete_route(xd_buf *b, const char *rtb, const char *dest,
                         const char *region)
{
  xd_buf_printf(b, "aws ec2 delete-route --route-table-id %s", rtb);
  if(!strncmp(dest, "pl-", 3))
    xd_buf_printf(b, " --destination-prefix-list-id %s", dest);
  else
    xd_buf_printf(b, " --destination-cidr-block %s", dest);
  region_opt(b, region);
}

void az_rem_permission(xd_buf *perm, int proto, int from, int to,
                       const az_rem_peer *peer)
{
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
}

void az_rem_sg(xd_buf *b, bool egress, const char *group, const int *ports,
               size_t n_ports, const az_rem_peer *peer, const char *region)
{
  xd_buf perm;
  xd_buf_printf(b, "aws ec2 authorize-security-group-%s --group-id %s",
                egress ? "egress" : "ingress", group);
  xd_buf_puts(b, " --ip-permissions");
  xd_buf_init(&perm);
  for(size_t i = 0; i < n_ports; i++) {
    /* a run of consecutive ports is one permission */
    size_t k = i;
    while(k + 1 < n_ports && ports[k + 1] == ports[k] + 1)
      k++;
    xd_buf_reset(&perm);
    az_rem_permission(&perm, 6, ports[i], ports[k], peer);
    xd_buf_putc(b, ' ');
    az_sh_quote(b, xd_buf_str(&perm));
    i = k;
  }
  xd_buf_free(&perm);
  region_opt(b, region);
}

void az_rem_sg_revoke(xd_buf *b, bool egress, const char *group,
                      char *const *perms, size_t n, const char *region)
{
  xd_buf_printf(b, "aws ec2 revoke-security-group-%s --group-id %s "
                   "--ip-permissions", egress ? "egress" : "ingress", group);
  for(size_t i = 0; i < n; i++) {
    xd_buf_putc(b, ' ');
    az_sh_quote(b, perms[i]);
  }
  region_opt(b, region);
}

void az_rem_nacl(xd_buf *b, const char *acl, bool egress, int rule_number,
                 int lo, int hi, const char *cidr, const char *region)
{
  xd_buf_printf(b,
                "aws ec2 create-network-acl-entry --network-acl-id %s %s "
                "--rule-number %d --protocol tcp --port-range From=%d,To=%d "
                "--cidr-block %s --rule-action allow",
                acl, egress ? "--egress" : "--ingress", rule_number, lo, hi,
                cidr);
  region_opt(b, region);
}

void az_rem_accept_pcx(xd_buf *b, const char *pcx, const char *region)
{
  xd_buf_printf(b,
                "aws ec2 accept-vpc-peering-connection "
                "--vpc-peering-connection-id %s",
                pcx);
  region_opt(b, region);
}

void az_rem_create_pcx(xd_buf *b, const char *vpc, const char *peer_vpc,
                       const char *peer_owner, const char *peer_region,
                       const char *region)
{
  xd_buf_printf(b, "aws ec2 create-vpc-peering-connection --vpc-id %s "
                   "--peer-vpc-id %s", vpc, peer_vpc);
  if(peer_owner)
    xd_buf_printf(b, " --peer-owner-id %s", peer_owner);
  if(peer_region)
    xd_buf_printf(b, " --peer-region %s", peer_region);
  region_opt(b, region);
}

void az_rem_pcx_dns(xd_buf *b, const char *pcx, bool accepter,
                    const char *region)
{
  xd_buf_printf(b,
                "aws ec2 modify-vpc-peering-connection-options "
                "--vpc-peering-connection-id %s --%s-peering-connection-options "
                "AllowDnsResolutionFromRemoteVpc=true",
                pcx, accepter ? "accepter" : "requester");
  region_opt(b, region);
}

void az_rem_vpc_attr(xd_buf *b, const char *vpc, bool hostnames,
                     const char *region)
{
  xd_buf_printf(b,
                "aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-%s "
                "\"{\\\"Value\\\":true}\"",
                vpc, hostnames ? "hostnames" : "support");
  region_opt(b, region);
}

void az_role_name(const char *arn, char *out, size_t n)
{
  const char *p = arn ? strrchr(arn, '/') : NULL;
  snprintf(out, n, "%s", p ? p + 1 : (arn ? arn : ""));
}
