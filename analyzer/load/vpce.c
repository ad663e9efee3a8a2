/* analyzer/load/vpce.c: ec2-describe-vpc-endpoints.json, the VPC endpoints
 * of a region (AWS CLI shape, top key VpcEndpoints). The control plane
 * (analyzer/controlplane/) reads them to tell whether Studio reaches STS
 * and EMR without a NAT. The file is optional: without it, whether an
 * endpoint exists is "not known" (the analyzer says so where it matters),
 * so nothing is recorded as missing here; the folders where it was read
 * are kept in m->vpce_read, so that an absent endpoint there means none.
 *
 * PolicyDocument is a JSON document inside a string, as the CLI prints it:
 * one that does not parse is bad input naming the file and field, like any
 * other value of the wrong shape. */
#include <stdio.h>
#include <string.h>

#include "../snapshot_priv.h"

#define VPCE_FILE "ec2-describe-vpc-endpoints.json"

static xd_rc read_group(az_ld *L, const cJSON *x, void *ctx)
{
  az_vpce *v = ctx;
  xd_rc rc = ld_id(L, x, "GroupId", AZ_ID_SG, true,
                   &v->group_ids[v->n_group_ids]);
  if(rc == XD_OK)
    v->n_group_ids++;
  return rc;
}

static xd_rc read_dns(az_ld *L, const cJSON *x, void *ctx)
{
  az_vpce *v = ctx;
  char *name;
  xd_rc rc = ld_str_ne(L, x, "DnsName", &name);
  if(rc == XD_OK && name)
    v->dns_names[v->n_dns_names++] = name;
  return rc;
}

/* PolicyDocument: a string holding a JSON object, kept parsed for the
 * IAM evaluator (the model owns the tree). */
static xd_rc read_policy(az_ld *L, const cJSON *it, az_vpce *v)
{
  char *text;
  cJSON *doc;
  xd_rc rc = ld_str(L, it, "PolicyDocument", false, &text);
  if(rc != XD_OK || !text)
    return rc;
  doc = cJSON_ParseWithLength(text, strlen(text));
  if(!doc)
    return ld_fail(L, XD_E_PARSE, "PolicyDocument",
                   "does not parse as a JSON policy document");
  if(!cJSON_IsObject(doc)) {
    cJSON_Delete(doc);
    return ld_fail(L, XD_E_PARSE, "PolicyDocument",
                   "is not a JSON object (a policy document)");
  }
  if((rc = ld_own(L, doc)) != XD_OK)
    return rc;
  v->policy = doc;
  return XD_OK;
}

static xd_rc read_vpce(az_ld *L, const cJSON *it, void *ctx)
{
  az_vpce *v = LD_SLOT(L, L->m->vpces, L->m->n_vpces, L->cap_vpces);
  const cJSON *groups, *dns;
  xd_rc rc;
  (void)ctx;
  if(!v)
    return ld_nomem(L);
  v->account = (char *)L->account;
  v->region = (char *)L->region;
  v->src = L->rel;
  if((rc = ld_id(L, it, "VpcEndpointId", AZ_ID_VPCE, true, &v->id)) ||
     (rc = ld_id(L, it, "OwnerId", AZ_ID_ACCOUNT, false, &v->owner)) ||
     (rc = ld_id(L, it, "VpcId", AZ_ID_VPC, false, &v->vpc_id)) ||
     (rc = ld_str(L, it, "VpcEndpointType", false, &v->type)) ||
     (rc = ld_str(L, it, "ServiceName", true, &v->service)) ||
     (rc = ld_str(L, it, "State", false, &v->state)) ||
     (rc = ld_tri(L, it, "PrivateDnsEnabled", &v->private_dns)) ||
     (rc = ld_idv(L, it, "SubnetIds", AZ_ID_SUBNET, &v->subnet_ids,
                  &v->n_subnet_ids)) ||
     (rc = ld_idv(L, it, "RouteTableIds", AZ_ID_RTB, &v->rtb_ids,
                  &v->n_rtb_ids)) ||
     (rc = ld_idv(L, it, "NetworkInterfaceIds", AZ_ID_ENI, &v->eni_ids,
                  &v->n_eni_ids)) ||
     (rc = ld_array(L, it, "Groups", &groups)) ||
     (rc = ld_array(L, it, "DnsEntries", &dns)) ||
     (rc = read_policy(L, it, v)))
    return rc;
  if(!v->owner)
    v->owner = v->account;
  v->vpc_id = (char *)ld_or_empty(v->vpc_id);
  v->state = (char *)ld_or_empty(v->state);
  /* AWS CLI prints the type as "Interface"; an older one printed
   * "interface": keep what was printed, compare without case */
  v->type = (char *)ld_or_empty(v->type);
  if((groups && !(v->group_ids = ld_calloc_for(L, groups, sizeof(char *)))) ||
     (dns && !(v->dns_names = ld_calloc_for(L, dns, sizeof(char *)))))
    return ld_nomem(L);
  if((rc = ld_each(L, groups, "Groups", read_group, v)) != XD_OK)
    return rc;
  return ld_each(L, dns, "DnsEntries", read_dns, v);
}

xd_rc ld_load_vpces(az_ld *L)
{
  char where[300], **slot;
  cJSON *root = NULL;
  const cJSON *arr;
  xd_rc rc = ld_open_in(L, VPCE_FILE, "VpcEndpoints", NULL, &root);
  if(rc != XD_OK || !root)
    return rc;
  if((rc = ld_top_array(L, root, "VpcEndpoints", &arr)) == XD_OK)
    rc = ld_each(L, arr, "VpcEndpoints", read_vpce, NULL);
  ld_close(L, root);
  if(rc != XD_OK)
    return rc;
  snprintf(where, sizeof(where), "%s/%s", L->account, L->region);
  slot = LD_SLOT(L, L->m->vpce_read, L->m->n_vpce_read, L->cap_vpce_read);
  if(!slot || !(*slot = xd_arena_strdup(&L->m->arena, where)))
    return ld_nomem(L);
  return XD_OK;
}
