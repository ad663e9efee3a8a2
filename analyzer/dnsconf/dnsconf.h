/* analyzer/dnsconf/dnsconf.h (private to analyzer/): DNS that is not
 * AmazonProvidedDNS (domain.md, issue 19 item 3). What the VPCs' DHCP
 * options sets and the Route 53 Resolver rules say about the primary
 * node's name: whose servers answer it from Studio's VPC
 * (servers.c), and whether a custom domain name in the EMR VPC left the
 * cluster's MasterPublicDnsName naming no instance (domain.c). */
#ifndef AZ_DNSCONF_H
#define AZ_DNSCONF_H

#include "../reach.h"

/* The DHCP options set vpc hands out, or NULL when the VPC names none
 * ("default": AmazonProvidedDNS and no domain name) or the snapshot does
 * not hold it. */
const az_dhcp_options *az_dhcp_of(const az_model *m, const az_vpc *vpc);

/* Whether the DNS server s (a domain-name-servers value) is the VPC's own
 * resolver: AmazonProvidedDNS, base + 2 of the VPC's primary block, or
 * 169.254.169.253. */
bool az_dns_is_vpc_resolver(const char *s, const az_vpc *vpc);

/* Whether a domain-name value names a domain of its own, not the AWS
 * default (ec2.internal, REGION.compute.internal); NULL is not. */
bool az_dns_custom_domain(const char *dom);

/* The fix: `aws ec2 associate-dhcp-options` giving v an options set of
 * its account whose first server is the VPC resolver (and, with
 * aws_domain, whose domain name is AWS's), else "default". */
void az_dnsconf_remedy(az_ctx *c, az_issue *is, const az_vpc *v,
                       bool aws_domain);

/* The Studio VPC's DHCP servers against the name the notebook resolves
 * for cl (its primary node's private DNS name, else MasterPublicDnsName):
 * raise DNS_CUSTOM_SERVERS_NO_FORWARD, _UNSEEN or _FORWARDED when the
 * first server is not the VPC resolver. other_cause is true when another
 * finding already says the name can not give the private address (the
 * peering's DNS option, the VPC attributes, no peering): the custom
 * servers are then a second obstacle, a warning, so that one root cause
 * keeps one critical finding. *to and *addr (the dns object's
 * resolves_to and address) are updated to what the servers give. */
void az_dnsconf_servers(az_ctx *c, const az_cluster *cl, bool other_cause,
                        const char **to, const char **addr);

/* The EMR VPC's domain-name against MasterPublicDnsName: when the VPC
 * hands out a custom domain name and no instance carries the cluster's
 * name, raise EMR_CUSTOM_DOMAIN_MISMATCH and return true (the caller
 * then does not raise PRIMARY_NODE_NOT_FOUND: one root cause). */
bool az_dnsconf_emr_domain(az_ctx *c, const az_cluster *cl);

#endif
