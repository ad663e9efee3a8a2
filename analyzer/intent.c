#include "intent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "../common/netaddr.h"
#include "awsid.h"

bool az_is_account_id(const char *s)
{
  if(!s || strlen(s) != 12)
    return false;
  for(int i = 0; i < 12; i++)
    if(s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

static xd_rc get_str(const cJSON *obj, const char *key, const char *where,
                     const char *label, char **out, xd_err *e)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  *out = NULL;
  if(!v || cJSON_IsNull(v))
    return XD_OK;
  if(!cJSON_IsString(v))
    return xd_fail(e, XD_E_PARSE, "%s: %s%s: must be a string", label, where,
                   key);
  *out = strdup(v->valuestring);
  return *out ? XD_OK : xd_fail(e, XD_E_NOMEM, "out of memory");
}

static xd_rc get_str_array(const cJSON *obj, const char *key,
                           const char *where, const char *label, char ***out,
                           size_t *n, xd_err *e)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key), *it;
  size_t i = 0;
  *out = NULL;
  *n = 0;
  if(!v || cJSON_IsNull(v))
    return XD_OK;
  if(!cJSON_IsArray(v))
    return xd_fail(e, XD_E_PARSE, "%s: %s%s: must be an array of strings",
                   label, where, key);
  *out = calloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(char *));
  if(!*out)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  cJSON_ArrayForEach(it, v) {
    if(!cJSON_IsString(it))
      return xd_fail(e, XD_E_PARSE, "%s: %s%s[%zu]: must be a string", label,
                     where, key, i);
    (*out)[i] = strdup(it->valuestring);
    if(!(*out)[i])
      return xd_fail(e, XD_E_NOMEM, "out of memory");
    *n = ++i;
  }
  return XD_OK;
}

static xd_rc check_account(const char *acct, const char *field,
                           const char *label, xd_err *e)
{
  if(acct && !az_is_account_id(acct))
    return xd_fail(e, XD_E_INVALID,
                   "%s: %s: \"%s\" is not a 12-digit AWS account id", label,
                   field, acct);
  return XD_OK;
}

/* Field (an array's element idx when idx >= 0) must be an id of kind:
 * the intent's ids reach commands just as the snapshot's do. */
static xd_rc check_id(const char *v, az_id_kind kind, const char *field,
                      long idx, const char *label, xd_err *e)
{
  char shown[128], at[24] = "";
  size_t i = 0;
  if(!v || az_id_ok(kind, v))
    return XD_OK;
  for(; v[i] && i + 1 < sizeof(shown); i++)
    shown[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
  shown[i] = '\0';
  if(idx >= 0)
    snprintf(at, sizeof(at), "[%ld]", idx);
  return xd_fail(e, XD_E_INVALID, "%s: %s%s: \"%s\" is not %s", label, field,
                 at, shown, az_id_what(kind));
}

static xd_rc check_ids(const az_intent *in, const char *label, xd_err *e)
{
  xd_rc rc = XD_OK;
  char f[48];
  if((rc = check_id(in->studio.region, AZ_ID_REGION, "studio.region", -1, label, e)) ||
     (rc = check_id(in->studio.domain_id, AZ_ID_DOMAIN, "studio.domain_id", -1, label,
                    e)) ||
     (rc = check_id(in->studio.vpc_id, AZ_ID_VPC, "studio.vpc_id", -1, label, e)))
    return rc;
  for(size_t i = 0; i < in->studio.n_subnet_ids && !rc; i++)
    rc = check_id(in->studio.subnet_ids[i], AZ_ID_SUBNET, "studio.subnet_ids",
                  (long)i, label, e);
  for(size_t i = 0; i < in->studio.n_security_group_ids && !rc; i++)
    rc = check_id(in->studio.security_group_ids[i], AZ_ID_SG,
                  "studio.security_group_ids", (long)i, label, e);
  for(size_t i = 0; i < in->n_emr && !rc; i++) {
    const az_intent_emr *x = &in->emr[i];
    snprintf(f, sizeof(f), "emr[%zu].region", i);
    if((rc = check_id(x->region, AZ_ID_REGION, f, -1, label, e)))
      break;
    snprintf(f, sizeof(f), "emr[%zu].cluster_id", i);
    if((rc = check_id(x->cluster_id, AZ_ID_CLUSTER, f, -1, label, e)))
      break;
    snprintf(f, sizeof(f), "emr[%zu].role_arn", i);
    rc = check_id(x->role_arn, AZ_ID_ROLE_ARN, f, -1, label, e);
  }
  return rc;
}

xd_rc az_intent_load(const char *path, az_intent *out, xd_err *e)
{
  cJSON *root = NULL;
  const cJSON *studio, *emr, *ports, *it;
  xd_rc rc;
  size_t i;
  memset(out, 0, sizeof(*out));
  rc = xd_json_parse_file(path, &root, e);
  if(rc != XD_OK)
    return rc;
  out->present = true;
  out->path = strdup(path);
  if(!cJSON_IsObject(root)) {
    rc = xd_fail(e, XD_E_PARSE, "%s: the intent must be a JSON object", path);
    goto done;
  }
  studio = cJSON_GetObjectItemCaseSensitive(root, "studio");
  if(studio && !cJSON_IsObject(studio)) {
    rc = xd_fail(e, XD_E_PARSE, "%s: studio: must be an object", path);
    goto done;
  }
  if(studio) {
    if((rc = get_str(studio, "account", "studio.", path, &out->studio.account, e)) ||
       (rc = get_str(studio, "region", "studio.", path, &out->studio.region, e)) ||
       (rc = get_str(studio, "domain_id", "studio.", path, &out->studio.domain_id, e)) ||
       (rc = get_str(studio, "vpc_id", "studio.", path, &out->studio.vpc_id, e)) ||
       (rc = get_str(studio, "source_ip", "studio.", path, &out->studio.source_ip, e)) ||
       (rc = get_str(studio, "role_arns_file", "studio.", path,
                     &out->studio.role_arns_file, e)) ||
       (rc = get_str(studio, "profile", "studio.", path,
                     &out->studio.profile, e)) ||
       (rc = get_str(studio, "user_profile", "studio.", path,
                     &out->studio.user_profile, e)) ||
       (rc = get_str(studio, "space", "studio.", path, &out->studio.space, e)) ||
       (rc = get_str(studio, "source_ip_toward", "studio.", path,
                     &out->studio.source_ip_toward, e)) ||
       (rc = get_str_array(studio, "subnet_ids", "studio.", path,
                           &out->studio.subnet_ids, &out->studio.n_subnet_ids, e)) ||
       (rc = get_str_array(studio, "security_group_ids", "studio.", path,
                           &out->studio.security_group_ids,
                           &out->studio.n_security_group_ids, e)) ||
       (rc = check_account(out->studio.account, "studio.account", path, e)))
      goto done;
    if(out->studio.source_ip) {
      xd_ip ip;
      if(!xd_ip_parse(out->studio.source_ip, &ip)) {
        rc = xd_fail(e, XD_E_INVALID,
                     "%s: studio.source_ip: \"%s\" is not an IP address", path,
                     out->studio.source_ip);
        goto done;
      }
    }
    if(out->studio.source_ip_toward) {
      xd_ip ip;
      if(!out->studio.source_ip || !xd_ip_parse(out->studio.source_ip_toward,
                                                &ip)) {
        rc = xd_fail(e, XD_E_INVALID,
                     "%s: studio.source_ip_toward: \"%s\" must be an IP "
                     "address, and goes with studio.source_ip (the address "
                     "found toward it)", path,
                     out->studio.source_ip_toward);
        goto done;
      }
    }
  }
  emr = cJSON_GetObjectItemCaseSensitive(root, "emr");
  if(emr && !cJSON_IsArray(emr)) {
    rc = xd_fail(e, XD_E_PARSE, "%s: emr: must be an array of objects", path);
    goto done;
  }
  if(emr) {
    out->emr = calloc((size_t)cJSON_GetArraySize(emr) + 1, sizeof(*out->emr));
    if(!out->emr) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      goto done;
    }
    i = 0;
    cJSON_ArrayForEach(it, emr) {
      char where[32], field[48];
      az_intent_emr *x = &out->emr[i];
      snprintf(where, sizeof(where), "emr[%zu].", i);
      if(!cJSON_IsObject(it)) {
        rc = xd_fail(e, XD_E_PARSE, "%s: emr[%zu]: must be an object", path, i);
        goto done;
      }
      out->n_emr = ++i;
      snprintf(field, sizeof(field), "%saccount", where);
      if((rc = get_str(it, "account", where, path, &x->account, e)) ||
         (rc = get_str(it, "region", where, path, &x->region, e)) ||
         (rc = get_str(it, "cluster_id", where, path, &x->cluster_id, e)) ||
         (rc = get_str(it, "role_arn", where, path, &x->role_arn, e)) ||
         (rc = get_str(it, "read_role_arn", where, path, &x->read_role_arn,
                       e)) ||
         (rc = get_str(it, "profile", where, path, &x->profile, e)) ||
         (rc = check_account(x->account, field, path, e)))
        goto done;
    }
  }
  ports = cJSON_GetObjectItemCaseSensitive(root, "ports");
  if(ports && !cJSON_IsArray(ports)) {
    rc = xd_fail(e, XD_E_PARSE, "%s: ports: must be an array of port numbers",
                 path);
    goto done;
  }
  if(ports) {
    out->ports = calloc((size_t)cJSON_GetArraySize(ports) + 1, sizeof(int));
    if(!out->ports) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      goto done;
    }
    i = 0;
    cJSON_ArrayForEach(it, ports) {
      double d = cJSON_IsNumber(it) ? it->valuedouble : -1;
      if(d < 1 || d > 65535 || d != (double)(int)d) {
        rc = xd_fail(e, XD_E_INVALID,
                     "%s: ports[%zu]: must be a port number from 1 to 65535",
                     path, i);
        goto done;
      }
      out->ports[i] = (int)d;
      out->n_ports = ++i;
    }
  }
  rc = check_ids(out, path, e);
done:
  cJSON_Delete(root);
  if(rc != XD_OK)
    az_intent_free(out);
  return rc;
}

static void free_strv(char **v, size_t n)
{
  for(size_t i = 0; v && i < n; i++)
    free(v[i]);
  free(v);
}

void az_intent_free(az_intent *in)
{
  free(in->path);
  free(in->studio.account);
  free(in->studio.region);
  free(in->studio.domain_id);
  free(in->studio.vpc_id);
  free(in->studio.source_ip);
  free(in->studio.source_ip_toward);
  free(in->studio.role_arns_file);
  free(in->studio.profile);
  free(in->studio.user_profile);
  free(in->studio.space);
  free_strv(in->studio.subnet_ids, in->studio.n_subnet_ids);
  free_strv(in->studio.security_group_ids, in->studio.n_security_group_ids);
  for(size_t i = 0; i < in->n_emr; i++) {
    free(in->emr[i].account);
    free(in->emr[i].region);
    free(in->emr[i].cluster_id);
    free(in->emr[i].role_arn);
    free(in->emr[i].read_role_arn);
    free(in->emr[i].profile);
  }
  free(in->emr);
  free(in->ports);
  memset(in, 0, sizeof(*in));
}
