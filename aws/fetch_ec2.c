/* aws/fetch_ec2.c: one account's network in one Region, and its IAM. The
 * describe calls are read whole, as the AWS CLI prints them; the per-VPC
 * calls (attributes, network interfaces) are made for the VPCs the domain
 * or the clusters sit in, or for every VPC when none is known. */
#include "fetch.h"

#include <stdio.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "../common/log.h"

/* Bounds for accounts with many VPCs or prefix lists. */
#define MAX_VPCS 50
#define MAX_PREFIX_LISTS 50

static void prefix_lists_of(const cJSON *perms, fx_strs *pls)
{
  const cJSON *perm, *pl;
  cJSON_ArrayForEach(perm, perms)
    cJSON_ArrayForEach(pl, xd_json_array(perm, "PrefixListIds"))
      fx_strs_add(pls, xd_json_str(pl, "PrefixListId"));
}

static void attributes(fx_state *f, fx_place *p, const char *vpc)
{
  static const char *const attrs[] = {"enableDnsSupport",
                                      "enableDnsHostnames"};
  char name[300];
  for(int i = 0; i < 2; i++) {
    aws_params q;
    aws_params_init(&q);
    aws_params_add(&q, "Attribute", attrs[i]);
    aws_params_add(&q, "VpcId", vpc);
    snprintf(name, sizeof(name), "ec2-describe-vpc-attribute--%s--%s", vpc,
             attrs[i]);
    cJSON_Delete(fx_call_ec2(f, p, "DescribeVpcAttribute", &q, name));
    aws_params_free(&q);
  }
}

void fx_ec2_place(fx_state *f, fx_place *p)
{
  cJSON *vpcs, *subnets, *rts, *sgs, *doc;
  fx_strs rel = {0}, pls = {0};
  const cJSON *it, *r;
  char name[300];
  unsigned long before = fx_pending(f);
  bool settled;

  xd_log_info("reading the network of account %s in %s", p->account,
              p->region);
  vpcs = fx_call_ec2(f, p, "DescribeVpcs", NULL, "ec2-describe-vpcs");
  subnets = fx_call_ec2(f, p, "DescribeSubnets", NULL, "ec2-describe-subnets");
  rts = fx_call_ec2(f, p, "DescribeRouteTables", NULL,
                    "ec2-describe-route-tables");
  sgs = fx_call_ec2(f, p, "DescribeSecurityGroups", NULL,
                    "ec2-describe-security-groups");
  cJSON_Delete(fx_call_ec2(f, p, "DescribeNetworkAcls", NULL,
                           "ec2-describe-network-acls"));
  cJSON_Delete(fx_call_ec2(f, p, "DescribeVpcPeeringConnections", NULL,
                           "ec2-describe-vpc-peering-connections"));
  /* planning: what follows depends on these answers and on every subnet
   * discovery names; it waits until they are all in */
  settled = !fx_dry(f) || (fx_pending(f) == before && !p->unsettled &&
                           !f->studio_unsettled);

  for(size_t i = 0; settled && i < p->vpcs.n; i++)
    fx_strs_add(&rel, p->vpcs.v[i]);
  cJSON_ArrayForEach(it, xd_json_array(settled ? subnets : NULL, "Subnets"))
    if(fx_strs_has(&p->subnets, xd_json_str(it, "SubnetId") ?
                   xd_json_str(it, "SubnetId") : ""))
      fx_strs_add(&rel, xd_json_str(it, "VpcId"));
  if(settled && !rel.n)
    cJSON_ArrayForEach(it, xd_json_array(vpcs, "Vpcs"))
      if(rel.n < MAX_VPCS)
        fx_strs_add(&rel, xd_json_str(it, "VpcId"));
  for(size_t i = 0; i < rel.n && !f->abort; i++) {
    if(fx_safe_name(rel.v[i]))
      attributes(f, p, rel.v[i]);
    else
      xd_log_warn("VPC id '%s' cannot name a file; skipped", rel.v[i]);
  }
  if(settled && rel.n) {
    aws_params q;
    char key[64];
    aws_params_init(&q);
    aws_params_add(&q, "Filter.1.Name", "vpc-id");
    for(size_t i = 0; i < rel.n && i < MAX_VPCS; i++) {
      snprintf(key, sizeof(key), "Filter.1.Value.%zu", i + 1);
      aws_params_add(&q, key, rel.v[i]);
    }
    cJSON_Delete(fx_call_ec2(f, p, "DescribeNetworkInterfaces", &q,
                             "ec2-describe-network-interfaces"));
    aws_params_free(&q);
  }
  fx_network_place(f, p, vpcs, &rel, settled);

  /* the prefix lists that rules and routes refer to */
  cJSON_Delete(fx_call_ec2(f, p, "DescribeManagedPrefixLists", NULL,
                           "ec2-describe-managed-prefix-lists"));
  cJSON_ArrayForEach(it, xd_json_array(sgs, "SecurityGroups")) {
    prefix_lists_of(xd_json_array(it, "IpPermissions"), &pls);
    prefix_lists_of(xd_json_array(it, "IpPermissionsEgress"), &pls);
  }
  cJSON_ArrayForEach(it, xd_json_array(rts, "RouteTables"))
    cJSON_ArrayForEach(r, xd_json_array(it, "Routes"))
      fx_strs_add(&pls, xd_json_str(r, "DestinationPrefixListId"));
  for(size_t i = 0; settled && i < pls.n && i < MAX_PREFIX_LISTS &&
                    !f->abort; i++) {
    aws_params q;
    if(!fx_safe_name(pls.v[i]))
      continue;
    aws_params_init(&q);
    aws_params_add(&q, "PrefixListId", pls.v[i]);
    snprintf(name, sizeof(name), "ec2-get-managed-prefix-list-entries--%s",
             pls.v[i]);
    doc = fx_call_ec2(f, p, "GetManagedPrefixListEntries", &q, name);
    cJSON_Delete(doc);
    aws_params_free(&q);
  }
  cJSON_Delete(vpcs);
  cJSON_Delete(subnets);
  cJSON_Delete(rts);
  cJSON_Delete(sgs);
  fx_strs_free(&rel);
  fx_strs_free(&pls);
}

void fx_iam_account(fx_state *f, fx_place *p)
{
  aws_target t = {"iam", p->region, p->creds};
  aws_api_error ae;
  xd_err e = {0};
  cJSON *doc = NULL;
  char file[128];
  xd_rc rc;
  if(!fx_go(f))
    return;
  rc = aws_iam_auth_details(f->c, &t, &doc, &ae, &e);
  if(rc != XD_OK) {
    snprintf(file, sizeof(file), "%s/iam-get-account-authorization-details"
             ".json", p->account);
    fx_failed(f, p, "iam GetAccountAuthorizationDetails", file, rc, &ae, &e);
    return;
  }
  fx_write(f, p->account, NULL, "iam-get-account-authorization-details", doc);
  cJSON_Delete(doc);
}
