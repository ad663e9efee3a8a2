/* aws/fetch_network.c: what decides whether Studio reaches the control
 * plane and whose DNS answers (issue 19): the VPC endpoints and the DHCP
 * options of the VPCs that matter, and the Route 53 Resolver rules that
 * forward a domain elsewhere. The Resolver files are optional: an access
 * that may not list them leaves them out and says so in fetch-errors.json
 * ("optional": true) without failing the fetch, since what they answer
 * (is a domain forwarded?) is then only "not known". */
#include "fetch.h"

#include <stdio.h>
#include <string.h>

#include "../common/jsonutil.h"

/* As many filter values as fetch_ec2.c sends for the VPCs. */
#define MAX_FILTER_VALUES 50

bool fx_optional_call(const char *call)
{
  return call && !strncmp(call, "route53resolver ", 16);
}

/* Filter.1.Name=NAME with Filter.1.Value.N for each of vals (none: no
 * filter, the whole account). */
static void filter(aws_params *q, const char *name, const fx_strs *vals)
{
  char key[64];
  if(!vals->n)
    return;
  aws_params_add(q, "Filter.1.Name", name);
  for(size_t i = 0; i < vals->n && i < MAX_FILTER_VALUES; i++) {
    snprintf(key, sizeof(key), "Filter.1.Value.%zu", i + 1);
    aws_params_add(q, key, vals->v[i]);
  }
}

void fx_network_place(fx_state *f, fx_place *p, const cJSON *vpcs,
                      const fx_strs *rel, bool settled)
{
  fx_strs dopts = {0};
  const cJSON *it;
  aws_params q;

  /* every rule the account owns or is shared, and where each applies */
  cJSON_Delete(fx_call_json(f, p, "route53resolver", "ListResolverRules",
                            NULL, "route53resolver-list-resolver-rules"));
  cJSON_Delete(fx_call_json(
      f, p, "route53resolver", "ListResolverRuleAssociations", NULL,
      "route53resolver-list-resolver-rule-associations"));
  /* a planning pass asks for the filtered lists only once the VPCs that
   * matter are known: asked earlier, they would be asked twice */
  if(!settled)
    return;
  aws_params_init(&q);
  filter(&q, "vpc-id", rel);
  cJSON_Delete(fx_call_ec2(f, p, "DescribeVpcEndpoints", &q,
                           "ec2-describe-vpc-endpoints"));
  aws_params_free(&q);

  /* the options sets those VPCs hand out; "default" (no set) is no id.
   * Without DescribeVpcs' answer, or when every VPC has "default", the
   * account's sets are read whole: the file then still says which sets
   * exist, and the VPCs' DhcpOptionsId which applies. */
  cJSON_ArrayForEach(it, xd_json_array(vpcs, "Vpcs")) {
    const char *id = xd_json_str(it, "DhcpOptionsId");
    if(id && strcmp(id, "default") &&
       fx_strs_has(rel, xd_json_str(it, "VpcId") ? xd_json_str(it, "VpcId")
                                                 : ""))
      fx_strs_add(&dopts, id);
  }
  aws_params_init(&q);
  filter(&q, "dhcp-options-id", &dopts);
  cJSON_Delete(fx_call_ec2(f, p, "DescribeDhcpOptions", &q,
                           "ec2-describe-dhcp-options"));
  aws_params_free(&q);
  fx_strs_free(&dopts);
}
