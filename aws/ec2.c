/* aws/ec2.c: the EC2 describe calls. The CLI pages those its paginator
 * config lists (NextToken, one result key each); the others are one call. */
#include "internal.h"

#include <string.h>

typedef struct {
  const char *action;
  const char *key;
} ec2_paged;

/* botocore's ec2 paginators-1.json for the calls we make */
static const ec2_paged paged[] = {
  {"DescribeVpcs", "Vpcs"},
  {"DescribeSubnets", "Subnets"},
  {"DescribeRouteTables", "RouteTables"},
  {"DescribeSecurityGroups", "SecurityGroups"},
  {"DescribeSecurityGroupRules", "SecurityGroupRules"},
  {"DescribeNetworkAcls", "NetworkAcls"},
  {"DescribeVpcPeeringConnections", "VpcPeeringConnections"},
  {"DescribeNetworkInterfaces", "NetworkInterfaces"},
  {"DescribeManagedPrefixLists", "PrefixLists"},
  {"GetManagedPrefixListEntries", "Entries"},
  {"DescribeVpcEndpoints", "VpcEndpoints"},
  {"DescribeDhcpOptions", "DhcpOptions"},
};

xd_rc aws_ec2_call(aws_ctx *c, const aws_target *t, const char *action,
                   const aws_params *params, cJSON **out, aws_api_error *ae,
                   xd_err *e)
{
  for(size_t i = 0; i < sizeof(paged) / sizeof(paged[0]); i++)
    if(!strcmp(paged[i].action, action)) {
      const char *keys[2] = {paged[i].key, NULL};
      aws_pager pg = {"NextToken", "NextToken", NULL, keys, NULL};
      return aws_query_call(c, t, action, AWS_EC2_VERSION, params, &pg, out,
                            ae, e);
    }
  return aws_query_call(c, t, action, AWS_EC2_VERSION, params, NULL, out, ae,
                        e);
}
