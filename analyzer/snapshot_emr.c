/* analyzer/snapshot_emr.c: the EMR and SageMaker files of one region
 * folder: clusters with their instances and security configurations, and
 * Studio domains. Their file names carry the id (one call per cluster or
 * domain), so the folder listing says which exist. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "snapshot_priv.h"

#define CLUSTER_PFX "emr-describe-cluster--"
#define INSTANCES_PFX "emr-list-instances--"
#define SECCONF_PFX "emr-describe-security-configuration--"
#define DOMAIN_PFX "sagemaker-describe-domain--"

/* The id in "<prefix><id>.json", or false when name is not such a file. */
static bool id_of(const char *name, const char *prefix, char *out, size_t n)
{
  size_t plen = strlen(prefix), len = strlen(name);
  if(len <= plen + 5 || strncmp(name, prefix, plen) ||
     strcmp(name + len - 5, ".json") || len - plen - 5 >= n)
    return false;
  memcpy(out, name + plen, len - plen - 5);
  out[len - plen - 5] = '\0';
  return true;
}

/* ---- clusters ---- */

static size_t count_configs(const cJSON *arr)
{
  const cJSON *c;
  size_t n = 0;
  cJSON_ArrayForEach(c, arr) {
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(c, "Configurations");
    n++;
    if(cJSON_IsArray(sub))
      n += count_configs(sub);
  }
  return n;
}

static xd_rc read_props(az_ld *L, const cJSON *c, az_emr_config *cf)
{
  const cJSON *props, *p;
  xd_rc rc = ld_object(L, c, "Properties", &props);
  size_t mark;
  if(rc != XD_OK || !props)
    return rc;
  cf->props = xd_arena_calloc(&L->m->arena,
                              (size_t)cJSON_GetArraySize(props) + 1,
                              sizeof(az_kv));
  if(!cf->props)
    return ld_nomem(L);
  mark = ld_enter(L, "Properties");
  cJSON_ArrayForEach(p, props) {
    az_kv *kv = &cf->props[cf->n_props];
    char num[64];
    const char *val;
    if(cJSON_IsString(p))
      val = p->valuestring;
    else if(cJSON_IsNumber(p)) {
      snprintf(num, sizeof(num), "%.17g", p->valuedouble);
      val = num;
    }
    else if(cJSON_IsBool(p))
      val = cJSON_IsTrue(p) ? "true" : "false";
    else
      return ld_fail(L, XD_E_PARSE, p->string, "expected a string value");
    kv->key = xd_arena_strdup(&L->m->arena, p->string);
    kv->value = xd_arena_strdup(&L->m->arena, val);
    if(!kv->key || !kv->value)
      return ld_nomem(L);
    cf->n_props++;
  }
  ld_leave(L, mark);
  return XD_OK;
}

/* Nested Configurations follow their parent (hadoop-env, then its
 * "export"). */
static xd_rc read_config(az_ld *L, const cJSON *x, void *ctx)
{
  az_cluster *c = ctx;
  az_emr_config *cf = &c->configs[c->n_configs];
  const cJSON *sub;
  xd_rc rc;
  if((rc = ld_str(L, x, "Classification", false, &cf->classification)) ||
     (rc = read_props(L, x, cf)) ||
     (rc = ld_array(L, x, "Configurations", &sub)))
    return rc;
  if(!cf->classification)
    cf->classification = "";
  c->n_configs++;
  return ld_each(L, sub, "Configurations", read_config, c);
}

static xd_rc read_app(az_ld *L, const cJSON *x, void *ctx)
{
  az_cluster *c = ctx;
  az_app *a = &c->apps[c->n_apps];
  xd_rc rc;
  if((rc = ld_str(L, x, "Name", true, &a->name)) ||
     (rc = ld_str(L, x, "Version", false, &a->version)))
    return rc;
  c->n_apps++;
  return XD_OK;
}

static xd_rc read_cluster(az_ld *L, const cJSON *cl, az_cluster *c,
                          const char *file_id)
{
  const cJSON *status, *apps, *configs, *ec2;
  size_t mark;
  xd_rc rc;
  c->account = (char *)L->account;
  c->region = (char *)L->region;
  c->src = L->rel;
  if((rc = ld_id(L, cl, "Id", AZ_ID_CLUSTER, true, &c->id)) ||
     (rc = ld_str(L, cl, "Name", false, &c->name)) ||
     (rc = ld_str_ne(L, cl, "MasterPublicDnsName", &c->master_public_dns)) ||
     (rc = ld_str(L, cl, "ReleaseLabel", false, &c->release_label)) ||
     (rc = ld_str_ne(L, cl, "SecurityConfiguration",
                     &c->security_configuration)) ||
     (rc = ld_object(L, cl, "Status", &status)) ||
     (rc = ld_array(L, cl, "Applications", &apps)) ||
     (rc = ld_array(L, cl, "Configurations", &configs)) ||
     (rc = ld_object(L, cl, "Ec2InstanceAttributes", &ec2)))
    return rc;
  if(strcmp(c->id, file_id))
    return ld_fail(L, XD_E_INVALID, "Id", "is %s, but the file name says %s",
                   c->id, file_id);
  if(!c->name)
    c->name = "";
  if(status) {
    const cJSON *why;
    mark = ld_enter(L, "Status");
    if((rc = ld_str(L, status, "State", false, &c->state)) ||
       (rc = ld_object(L, status, "StateChangeReason", &why)))
      return rc;
    if(why) {
      size_t m2 = ld_enter(L, "StateChangeReason");
      if((rc = ld_str_ne(L, why, "Message", &c->state_reason)) != XD_OK)
        return rc;
      ld_leave(L, m2);
    }
    ld_leave(L, mark);
  }
  if(!c->state)
    c->state = "UNKNOWN";
  if((apps && !(c->apps = ld_calloc_for(L, apps, sizeof(az_app)))) ||
     (configs && !(c->configs = xd_arena_calloc(&L->m->arena,
                                                count_configs(configs) + 1,
                                                sizeof(az_emr_config)))))
    return ld_nomem(L);
  if((rc = ld_each(L, apps, "Applications", read_app, c)) ||
     (rc = ld_each(L, configs, "Configurations", read_config, c)))
    return rc;
  if(ec2) {
    size_t m2 = ld_enter(L, "Ec2InstanceAttributes");
    if((rc = ld_id(L, ec2, "Ec2SubnetId", AZ_ID_SUBNET, false, &c->subnet_id)) ||
       (rc = ld_str(L, ec2, "Ec2AvailabilityZone", false, &c->az)) ||
       (rc = ld_id(L, ec2, "EmrManagedMasterSecurityGroup", AZ_ID_SG, false,
                    &c->master_sg)) ||
       (rc = ld_idv(L, ec2, "AdditionalMasterSecurityGroups", AZ_ID_SG,
                     &c->additional_master_sgs,
                     &c->n_additional_master_sgs)) ||
       (rc = ld_id(L, ec2, "ServiceAccessSecurityGroup", AZ_ID_SG, false,
                    &c->service_access_sg)))
      return rc;
    ld_leave(L, m2);
  }
  if(c->security_configuration &&
     (rc = ld_set_add(L, &L->ref_secconfs, c->security_configuration)))
    return rc;
  return XD_OK;
}

static xd_rc read_instance(az_ld *L, const cJSON *x, void *ctx)
{
  az_cluster *c = ctx;
  az_emr_instance *in = &c->instances[c->n_instances];
  const cJSON *status;
  xd_rc rc;
  if((rc = ld_str(L, x, "Id", true, &in->id)) ||
     (rc = ld_str_ne(L, x, "Ec2InstanceId", &in->ec2_instance_id)) ||
     (rc = ld_check_id(L, "Ec2InstanceId", AZ_ID_INSTANCE, in->ec2_instance_id)) ||
     (rc = ld_str_ne(L, x, "PrivateDnsName", &in->private_dns)) ||
     (rc = ld_ip(L, x, "PrivateIpAddress", &in->private_ip)) ||
     (rc = ld_str_ne(L, x, "PublicDnsName", &in->public_dns)) ||
     (rc = ld_ip(L, x, "PublicIpAddress", &in->public_ip)) ||
     (rc = ld_str_ne(L, x, "InstanceGroupId", &in->group_id)) ||
     (!in->group_id &&
      (rc = ld_str_ne(L, x, "InstanceFleetId", &in->group_id))) ||
     (rc = ld_str_ne(L, x, "InstanceType", &in->instance_type)) ||
     (rc = ld_object(L, x, "Status", &status)))
    return rc;
  if(status) {
    size_t mark = ld_enter(L, "Status");
    if((rc = ld_str(L, status, "State", false, &in->state)) != XD_OK)
      return rc;
    ld_leave(L, mark);
  }
  c->n_instances++;
  return XD_OK;
}

/* emr-list-instances--<id>.json for cluster index ci (the array may move,
 * so it is looked up again after each file). */
static xd_rc load_instances(az_ld *L, size_t ci)
{
  char name[512], what[300];
  const cJSON *arr;
  cJSON *root = NULL;
  az_cluster *c = &L->m->clusters[ci];
  xd_rc rc;
  snprintf(name, sizeof(name), INSTANCES_PFX "%s.json", c->id);
  snprintf(what, sizeof(what),
           "the instances of cluster %s (the primary node's address)", c->id);
  if((rc = ld_open_in(L, name, "Instances", what, &root)) != XD_OK || !root)
    return rc;
  if((rc = ld_top_array(L, root, "Instances", &arr)) != XD_OK)
    goto done;
  if(!(c->instances = ld_calloc_for(L, arr, sizeof(az_emr_instance)))) {
    rc = ld_nomem(L);
    goto done;
  }
  if((rc = ld_each(L, arr, "Instances", read_instance, c)) == XD_OK)
    c->instances_known = true;
done:
  ld_close(L, root);
  return rc;
}

static xd_rc load_cluster(az_ld *L, const char *name, const char *id)
{
  const cJSON *cl;
  cJSON *root = NULL;
  az_cluster *c;
  size_t ci;
  xd_rc rc;
  if((rc = ld_open_in(L, name, "Cluster", NULL, &root)) != XD_OK || !root)
    return rc;
  if((rc = ld_object(L, root, "Cluster", &cl)) != XD_OK)
    goto done;
  if(!cl) {
    rc = ld_fail(L, XD_E_PARSE, "Cluster", "expected an object");
    goto done;
  }
  ci = L->m->n_clusters;
  c = LD_SLOT(L, L->m->clusters, L->m->n_clusters, L->cap_clusters);
  if(!c) {
    rc = ld_nomem(L);
    goto done;
  }
  ld_enter(L, "Cluster");
  if((rc = read_cluster(L, cl, c, id)) != XD_OK)
    goto done;
  ld_close(L, root);
  root = NULL;
  rc = load_instances(L, ci);
done:
  ld_close(L, root);
  return rc;
}

/* ---- security configurations (optional) ---- */

static xd_rc load_secconf(az_ld *L, const char *name, const char *conf_name)
{
  const cJSON *doc, *auth;
  cJSON *root = NULL, *parsed = NULL;
  az_secconf *s;
  xd_rc rc = ld_open_in(L, name, "SecurityConfiguration", NULL, &root);
  if(rc != XD_OK || !root)
    return rc;
  s = LD_SLOT(L, L->m->secconfs, L->m->n_secconfs, L->cap_secconfs);
  if(!s) {
    rc = ld_nomem(L);
    goto done;
  }
  s->account = (char *)L->account;
  s->region = (char *)L->region;
  s->src = L->rel;
  s->kerberos = AZ_UNKNOWN;
  if((rc = ld_str(L, root, "Name", false, &s->name)) != XD_OK)
    goto done;
  if(!s->name && !(s->name = xd_arena_strdup(&L->m->arena, conf_name))) {
    rc = ld_nomem(L);
    goto done;
  }
  doc = cJSON_GetObjectItemCaseSensitive(root, "SecurityConfiguration");
  /* the API returns the document as a JSON string inside the JSON */
  if(cJSON_IsString(doc)) {
    xd_err inner = {0};
    if(xd_json_parse_text("the JSON document in this string",
                          doc->valuestring, strlen(doc->valuestring), &parsed,
                          &inner) != XD_OK) {
      rc = ld_fail(L, XD_E_PARSE, "SecurityConfiguration", "%s", inner.msg);
      goto done;
    }
  }
  else if(cJSON_IsObject(doc)) {
    parsed = cJSON_DetachItemViaPointer(root, (cJSON *)doc);
  }
  else {
    rc = ld_fail(L, XD_E_PARSE, "SecurityConfiguration",
                 "expected a JSON document (as a string)");
    goto done;
  }
  auth = xd_json_path(parsed, "AuthenticationConfiguration",
                      "KerberosConfiguration", NULL);
  s->kerberos = auth ? AZ_YES : AZ_NO;
  s->config = parsed;
  rc = ld_own(L, parsed);
  parsed = NULL;
done:
  cJSON_Delete(parsed);
  ld_close(L, root);
  return rc;
}

/* ---- SageMaker domains ---- */

static xd_rc read_domain(az_ld *L, const cJSON *root, az_domain *d,
                         const char *file_id)
{
  const cJSON *dus, *emr;
  xd_rc rc;
  d->account = (char *)L->account;
  d->region = (char *)L->region;
  d->src = L->rel;
  if((rc = ld_id(L, root, "DomainId", AZ_ID_DOMAIN, true, &d->id)) ||
     (rc = ld_str(L, root, "DomainName", false, &d->name)) ||
     (rc = ld_str(L, root, "Status", false, &d->status)) ||
     (rc = ld_id(L, root, "VpcId", AZ_ID_VPC, false, &d->vpc_id)) ||
     (rc = ld_idv(L, root, "SubnetIds", AZ_ID_SUBNET, &d->subnet_ids, &d->n_subnet_ids)) ||
     (rc = ld_str(L, root, "AppNetworkAccessType", false,
                  &d->app_network_access_type)) ||
     (rc = ld_object(L, root, "DefaultUserSettings", &dus)))
    return rc;
  if(strcmp(d->id, file_id))
    return ld_fail(L, XD_E_INVALID, "DomainId",
                   "is %s, but the file name says %s", d->id, file_id);
  if((rc = ld_space_defaults(L, root, d)) != XD_OK)
    return rc;
  if(!dus)
    return XD_OK;
  ld_enter(L, "DefaultUserSettings");
  if((rc = ld_id(L, dus, "ExecutionRole", AZ_ID_ROLE_ARN, false, &d->execution_role)) ||
     (rc = ld_idv(L, dus, "SecurityGroups", AZ_ID_SG, &d->security_groups,
                   &d->n_security_groups)))
    return rc;
  emr = xd_json_path(dus, "JupyterLabAppSettings", "EmrSettings", NULL);
  if(emr) {
    ld_enter(L, "JupyterLabAppSettings.EmrSettings");
    if(!cJSON_IsObject(emr))
      return ld_fail(L, XD_E_PARSE, NULL, "expected an object");
    if((rc = ld_idv(L, emr, "AssumableRoleArns", AZ_ID_ROLE_ARN, &d->assumable_role_arns,
                     &d->n_assumable_role_arns)) ||
       (rc = ld_idv(L, emr, "ExecutionRoleArns", AZ_ID_ROLE_ARN, &d->execution_role_arns,
                     &d->n_execution_role_arns)))
      return rc;
  }
  return XD_OK;
}

static xd_rc load_domain(az_ld *L, const char *name, const char *id)
{
  cJSON *root = NULL;
  az_domain *d;
  xd_rc rc = ld_open_in(L, name, "DomainId", NULL, &root);
  if(rc != XD_OK || !root)
    return rc;
  d = LD_SLOT(L, L->m->domains, L->m->n_domains, L->cap_domains);
  rc = d ? read_domain(L, root, d, id) : ld_nomem(L);
  ld_close(L, root);
  return rc;
}

xd_rc ld_region_emr(az_ld *L, char **names, size_t n_names)
{
  char id[256];
  size_t i, first = L->m->n_secconfs;
  xd_rc rc;
  for(i = 0; i < n_names; i++)
    if(id_of(names[i], CLUSTER_PFX, id, sizeof(id)) &&
       (rc = load_cluster(L, names[i], id)) != XD_OK)
      return rc;
  for(i = 0; i < n_names; i++)
    if(id_of(names[i], SECCONF_PFX, id, sizeof(id)) &&
       (rc = load_secconf(L, names[i], id)) != XD_OK)
      return rc;
  /* a security configuration a cluster names but the snapshot lacks */
  for(i = 0; i < L->ref_secconfs.cap; i++) {
    const char *ref = L->ref_secconfs.slot[i];
    bool found = false;
    char name[512], what[600];
    const char *rel;
    if(!ref)
      continue;
    for(size_t k = first; k < L->m->n_secconfs && !found; k++)
      found = !strcmp(L->m->secconfs[k].name, ref);
    if(found)
      continue;
    snprintf(name, sizeof(name), SECCONF_PFX "%s.json", ref);
    snprintf(what, sizeof(what),
             "security configuration %s (Kerberos or TLS on the cluster)", ref);
    if(!(rel = ld_rel(L, L->region, name)))
      return ld_nomem(L);
    if((rc = ld_missing(L, rel, what)) != XD_OK)
      return rc;
  }
  for(i = 0; i < n_names; i++)
    if(id_of(names[i], DOMAIN_PFX, id, sizeof(id)) &&
       (rc = load_domain(L, names[i], id)) != XD_OK)
      return rc;
  return XD_OK;
}
