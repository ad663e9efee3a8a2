/* aws/route53resolver.c: the Resolver rules that say where a VPC's DNS
 * queries for a domain are forwarded (JSON 1.1, "Route53Resolver.<Op>"). */
#include "internal.h"

#include <string.h>

xd_rc aws_route53resolver_call(aws_ctx *c, const aws_target *t,
                               const char *op, const cJSON *input,
                               cJSON **out, aws_api_error *ae, xd_err *e)
{
  static const char *const rules[] = {"ResolverRules", NULL};
  static const char *const assocs[] = {"ResolverRuleAssociations", NULL};
  /* paginators-1.sdk-extras.json: the CLI keeps the first MaxResults */
  static const char *const max_results[] = {"MaxResults", NULL};
  aws_pager pg = {"NextToken", "NextToken", NULL, NULL, max_results};
  if(!strcmp(op, "ListResolverRules"))
    pg.keys = rules;
  else if(!strcmp(op, "ListResolverRuleAssociations"))
    pg.keys = assocs;
  return aws_json_call(c, t, "Route53Resolver", op, input,
                       pg.keys ? &pg : NULL, out, ae, e);
}
