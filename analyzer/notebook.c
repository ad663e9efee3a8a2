/* analyzer/notebook.c: which message the notebook shows for the diagnosed
 * failure, in the analytics extension's own words (domain.md, "What the
 * Studio client actually does"), so that an error pasted into a ticket
 * leads to the finding. Written as meta.notebook: {message, code,
 * cluster}; every report shows it. */
#include <stdio.h>
#include <string.h>

#include "reach.h"

typedef enum { NB_NONE, NB_ASSUME, NB_DETAILS, NB_NOT_LISTED, NB_PRIMARY,
               NB_LIVY } nb_kind;

static bool starts(const char *s, const char *p)
{
  return s && !strncmp(s, p, strlen(p));
}

/* The notebook's failure for a finding code, by the step it breaks. */
static nb_kind kind_of(const char *code)
{
  static const char *const assume[] = {"IAM_ROLE_NOT_FOUND",
                                       "IAM_TRUST_MISSING",
                                       "IAM_STUDIO_ASSUME_MISSING"};
  static const char *const details[] = {"IAM_PERMISSION_MISSING",
                                        "IAM_POLICY_PLACEHOLDER",
                                        "IAM_EXPLICIT_DENY",
                                        "IAM_RUNTIME_PERMISSION_MISSING",
                                        "IAM_RUNTIME_TRUST_MISSING"};
  static const char *const unlisted[] = {"ROLE_FILE_", "STUDIO_ASSUMABLE_",
                                         "CLUSTER_NOT_RUNNING",
                                         "REGION_MISMATCH"};
  for(size_t i = 0; i < sizeof(assume) / sizeof(*assume); i++)
    if(!strcmp(code, assume[i]))
      return NB_ASSUME;
  for(size_t i = 0; i < sizeof(details) / sizeof(*details); i++)
    if(!strcmp(code, details[i]))
      return NB_DETAILS;
  for(size_t i = 0; i < sizeof(unlisted) / sizeof(*unlisted); i++)
    if(starts(code, unlisted[i]))
      return NB_NOT_LISTED;
  /* the control plane: AssumeRole comes first (cp_kind says which) */
  if(starts(code, "VPCE_") || starts(code, "CONTROL_PLANE_") ||
     !strcmp(code, "DNS_ANSWER_CONTROL_PLANE_PUBLIC"))
    return NB_ASSUME;
  if(!strcmp(code, "PRIMARY_NODE_NOT_FOUND") ||
     !strcmp(code, "EMR_CUSTOM_DOMAIN_MISMATCH"))
    return NB_PRIMARY;
  if(starts(code, "SG_") || starts(code, "NACL_") || starts(code, "ROUTE_") ||
     starts(code, "PEERING_") || starts(code, "VPC_DNS_") ||
     starts(code, "DNS_") || !strcmp(code, "STUDIO_PUBLIC_INTERNET_ONLY") ||
     !strcmp(code, "LIVY_NOT_INSTALLED") ||
     !strcmp(code, "SERVICE_NOT_LISTENING") ||
     !strcmp(code, "HOST_FIREWALL_DROPS") ||
     !strcmp(code, "CONFIG_ALLOWS_TRAFFIC_DIES"))
    return NB_LIVY;
  return NB_NONE;
}

/* A code that says the primary node's name gives no private address:
 * the connection to Livy fails whatever the paths to the address say. */
static bool name_fails(const char *code)
{
  return starts(code, "PEERING_DNS_") || starts(code, "VPC_DNS_") ||
         !strcmp(code, "DNS_CUSTOM_SERVERS_NO_FORWARD");
}

/* Whether some path to service has (want true) or lacks (want false)
 * verdict. */
static bool path_of(const cJSON *res, const char *service, const char *verdict,
                    bool want)
{
  const cJSON *p;
  cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(res, "paths")) {
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(p, "to");
    const cJSON *svc = cJSON_GetObjectItemCaseSensitive(to, "service");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, "verdict");
    if(cJSON_IsString(svc) && !strcmp(svc->valuestring, service) &&
       cJSON_IsString(v) && !strcmp(v->valuestring, verdict) == want)
      return true;
  }
  return false;
}

/* A control-plane finding stops the notebook at AssumeRole when the STS
 * path is blocked, else at listing (ListClusters through EMR's). */
static nb_kind cp_kind(const cJSON *res)
{
  return path_of(res, "sts", "blocked", true) ? NB_ASSUME : NB_NOT_LISTED;
}

/* Whether some path to the Livy port is not reachable. */
static bool livy_blocked(const cJSON *res)
{
  return path_of(res, "livy", "reachable", false);
}

static const char *message(az_ctx *c, nb_kind k, const az_cluster *cl)
{
  const az_emr_instance *pn = cl ? az_primary_node(cl) : NULL;
  const char *from, *role;
  int port = cl ? az_livy_port(cl) : 8998;
  switch(k) {
  case NB_ASSUME:
    role = cl ? az_role_for_account(c, cl->account, &from) : NULL;
    return az_strf(c, "Unable to assume role(arn: %s)", role ? role : "...");
  case NB_DETAILS:
    return az_strf(c, "Unable to get Emr Cluster(Id: %s) details",
                   cl ? cl->id : "...");
  case NB_NOT_LISTED:
    return az_strf(c, "(no message: cluster %s is not in the notebook's "
                      "list of clusters)", cl ? cl->id : "...");
  case NB_PRIMARY:
    return "Failed to find primary node ip address needed to communicate "
           "with Livy server";
  case NB_LIVY:
    if(pn && pn->private_dns && pn->public_dns)
      return az_strf(c, "Cannot connect to livy service at %s:%d or %s:%d",
                     pn->private_dns, port, pn->public_dns, port);
    return az_strf(c, "Cannot connect to livy service at %s:%d",
                   pn && pn->private_dns ? pn->private_dns
                   : cl && cl->master_public_dns ? cl->master_public_dns
                                                 : "...",
                   port);
  case NB_NONE:
    break;
  }
  return NULL;
}

void az_notebook_say(az_ctx *c, const az_cluster *const *cls, size_t n_cl)
{
  cJSON *res = xd_result_json(c->r), *meta = xd_result_meta(c->r), *nb;
  const cJSON *f;
  const char *msg = NULL, *code = NULL;
  const az_cluster *cl = n_cl ? cls[0] : NULL;
  if(!meta)
    return;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(res, "findings")) {
    const cJSON *sev = cJSON_GetObjectItemCaseSensitive(f, "severity");
    const cJSON *cd = cJSON_GetObjectItemCaseSensitive(f, "code");
    nb_kind k;
    if(!cJSON_IsString(sev) || strcmp(sev->valuestring, "critical") ||
       !cJSON_IsString(cd))
      continue;
    k = kind_of(cd->valuestring);
    if(k == NB_ASSUME && (starts(cd->valuestring, "VPCE_") ||
                          starts(cd->valuestring, "CONTROL_PLANE_") ||
                          !strcmp(cd->valuestring,
                                  "DNS_ANSWER_CONTROL_PLANE_PUBLIC")))
      k = cp_kind(res);
    /* a blocked HiveServer2 or Presto port alone shows nothing in a Spark
     * notebook: Livy is what it connects to */
    if(k == NB_NONE ||
       (k == NB_LIVY && !livy_blocked(res) && !name_fails(cd->valuestring)))
      continue;
    for(size_t i = 0; i < n_cl; i++) {
      const cJSON *acct = cJSON_GetObjectItemCaseSensitive(f, "account");
      const cJSON *rsrc = cJSON_GetObjectItemCaseSensitive(f, "resource");
      if((cJSON_IsString(rsrc) && !strcmp(rsrc->valuestring, cls[i]->id)) ||
         (cJSON_IsString(acct) && !strcmp(acct->valuestring, cls[i]->account)))
        cl = cls[i];
    }
    msg = message(c, k, cl);
    code = cd->valuestring;
    break;
  }
  cJSON_DeleteItemFromObjectCaseSensitive(meta, "notebook");
  nb = cJSON_AddObjectToObject(meta, "notebook");
  if(!nb) {
    c->nomem = true;
    return;
  }
  if(!msg) {
    cJSON_AddStringToObject(nb, "message",
                            livy_blocked(res) || !cJSON_GetArraySize(
                                cJSON_GetObjectItemCaseSensitive(res, "paths"))
                                ? "(not known from the configuration)"
                                : "(none: the notebook connects)");
    return;
  }
  cJSON_AddStringToObject(nb, "message", msg);
  cJSON_AddStringToObject(nb, "code", code);
  if(cl)
    cJSON_AddStringToObject(nb, "cluster", cl->id);
}
