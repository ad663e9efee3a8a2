/* aws/fetch_studio.c: discovery as Studio does it. The domain says where
 * Studio sits (VPC, subnets) and, for JupyterLab, which roles to assume;
 * the role file on the Studio host says the same for Studio Classic. Each
 * role is assumed as "SageMakerStudioUser", and the clusters Studio would
 * list (WAITING, RUNNING) are read with it. */
#include "fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fileio.h"
#include "../common/jsonutil.h"
#include "../common/log.h"

#define STUDIO_ROLE_FILE                                                      \
  "/home/sagemaker-user/.cross-account-configuration-DO_NOT_DELETE/"         \
  "emr-discovery-iam-role-arns-DO_NOT_DELETE.json"
#define ROLE_FILE_MAX ((size_t)1024 * 1024)

/* The account of arn:PARTITION:iam::ACCOUNT:role/NAME, or false. */
static bool arn_account(const char *arn, char out[16])
{
  const char *p = arn;
  size_t l;
  if(!arn || strncmp(arn, "arn:", 4))
    return false;
  for(int i = 0; i < 4 && p; i++) {
    p = strchr(p, ':');
    if(p)
      p++;
  }
  if(!p)
    return false;
  l = strcspn(p, ":");
  if(l != 12 || strspn(p, "0123456789") < 12)
    return false;
  snprintf(out, 16, "%.12s", p);
  return true;
}

static void add_array_strings(fx_state *f, fx_strs *s, const cJSON *arr)
{
  const cJSON *it;
  cJSON_ArrayForEach(it, arr)
    if(cJSON_IsString(it) && !fx_strs_add(s, it->valuestring)) {
      xd_fail(&f->fatal, XD_E_NOMEM, "out of memory");
      f->abort = true;
    }
}

static void role_file(fx_state *f, fx_place *p, fx_strs *roles)
{
  const char *path = f->plan->role_arns_file ? f->plan->role_arns_file
                                             : STUDIO_ROLE_FILE;
  char *data = NULL;
  size_t len = 0;
  xd_err e = {0};
  cJSON *doc = NULL;
  const cJSON *it;

  if(xd_file_read(path, ROLE_FILE_MAX, &data, &len, &e) != XD_OK) {
    /* fetch often runs off the Studio host, where the file is not */
    if(f->plan->role_arns_file)
      xd_log_warn("the role file is not copied into the snapshot: %s", e.msg);
    else
      xd_log_info("no role file at %s (not on a Studio host?)", path);
    return;
  }
  /* the copy is verbatim, broken or not: the analyzer reports on it */
  fx_write_raw(f, p->account, NULL, "studio-emr-discovery-iam-role-arns", data,
               len);
  if(xd_json_parse_text(path, data, len, &doc, &e) != XD_OK ||
     !cJSON_IsObject(doc))
    xd_log_warn("%s is not a JSON object of account -> role ARN; no role "
                "taken from it%s%s", path, e.msg[0] ? ": " : "", e.msg);
  else
    cJSON_ArrayForEach(it, doc)
      if(cJSON_IsString(it) && !fx_strs_add(roles, it->valuestring))
        f->abort = true;
  cJSON_Delete(doc);
  free(data);
}

void fx_studio(fx_state *f, fx_place *p, fx_strs *roles)
{
  fx_strs domains = {0};
  cJSON *doc, *in;
  char name[256];

  if(f->plan->domain_id)
    fx_strs_add(&domains, f->plan->domain_id);
  else if((doc = fx_call_json(f, p, "sagemaker", "ListDomains", NULL, NULL))) {
    const cJSON *d;
    cJSON_ArrayForEach(d, xd_json_array(doc, "Domains"))
      fx_strs_add(&domains, xd_json_str(d, "DomainId"));
    if(!domains.n)
      xd_log_warn("no SageMaker domain in account %s, Region %s", p->account,
                  p->region);
    cJSON_Delete(doc);
  }
  for(size_t i = 0; i < domains.n && !f->abort; i++) {
    if(!fx_safe_name(domains.v[i])) {
      if(!fx_dry(f)) /* said once, by the writing pass */
        xd_log_error("domain id '%s' cannot name a file; skipped",
                     domains.v[i]);
      continue;
    }
    in = cJSON_CreateObject();
    xd_json_add_str(in, "DomainId", domains.v[i]);
    snprintf(name, sizeof(name), "sagemaker-describe-domain--%s",
             domains.v[i]);
    doc = fx_call_json(f, p, "sagemaker", "DescribeDomain", in, name);
    cJSON_Delete(in);
    if(!doc)
      continue;
    fx_strs_add(&p->vpcs, xd_json_str(doc, "VpcId"));
    add_array_strings(f, &p->subnets, xd_json_array(doc, "SubnetIds"));
    add_array_strings(f, roles,
                      xd_json_path(doc, "DefaultUserSettings",
                                   "JupyterLabAppSettings", "EmrSettings",
                                   "AssumableRoleArns", NULL));
    cJSON_Delete(doc);
    fx_studio_identities(f, p, domains.v[i], roles);
  }
  fx_strs_free(&domains);
  if(f->plan->vpc_id)
    fx_strs_add(&p->vpcs, f->plan->vpc_id);
  role_file(f, p, roles);
}

typedef struct {
  char account[16];
  const char *region;
  const char *role;     /* NULL: the Studio credentials */
  const char *read_role, *profile; /* how to read the account, or NULL */
  fx_strs clusters;
  bool needs_roles;     /* its role depends on what discovery finds */
} fx_target;

static fx_target *target(fx_target **ts, size_t *n, const char *account,
                         const char *region)
{
  fx_target *g;
  for(size_t i = 0; i < *n; i++)
    if(!strcmp((*ts)[i].account, account) && !strcmp((*ts)[i].region, region))
      return &(*ts)[i];
  g = realloc(*ts, (*n + 1) * sizeof(*g));
  if(!g)
    return NULL;
  *ts = g;
  memset(&g[*n], 0, sizeof(g[*n]));
  snprintf(g[*n].account, sizeof(g[*n].account), "%s", account);
  g[*n].region = region;
  return &g[(*n)++];
}

/* The role of roles that lives in account, or NULL. */
static const char *role_in(const fx_strs *roles, const char *account)
{
  char a[16];
  for(size_t i = 0; i < roles->n; i++)
    if(arn_account(roles->v[i], a) && !strcmp(a, account))
      return roles->v[i];
  return NULL;
}

/* An EMR call as Studio makes it, through the discovery role; when that
 * role is refused and the account has other read access, the refusal is
 * noted (it is evidence) and the call made again with the read access.
 * *rec is the place to record a failure against (whose access failed). */
static xd_rc emr_call(fx_state *f, fx_place *p, const char *op,
                      const cJSON *in, bool one_page, cJSON **doc,
                      aws_api_error *ae, xd_err *e, fx_place *rec)
{
  aws_target t = {"emr", p->region, p->emr_creds ? p->emr_creds : p->creds};
  xd_rc rc;
  char call[96];
  *rec = *p;
  rc = one_page ? aws_json_call(f->c, &t, "ElasticMapReduce", op, in, NULL,
                                doc, ae, e)
                : aws_emr_call(f->c, &t, op, in, doc, ae, e);
  if(!p->emr_creds || p->emr_creds == p->creds || !fx_refused(rc, ae))
    return rc;
  snprintf(call, sizeof(call), "emr %s", op);
  fx_noted(f, p, call, rc, ae, e);
  rec->emr_creds = NULL;
  memset(e, 0, sizeof(*e));
  if(!fx_go(f))
    return XD_E_TIMEOUT;
  t.creds = p->creds;
  return one_page ? aws_json_call(f->c, &t, "ElasticMapReduce", op, in, NULL,
                                  doc, ae, e)
                  : aws_emr_call(f->c, &t, op, in, doc, ae, e);
}

/* One more call whose list goes into the cluster, as the CLI's
 * describe-cluster does. These are not in the published discovery role's
 * policy (ListBootstrapActions is not), so a refusal is noted, not counted
 * as a failure: the cluster file is still written, without that key. */
static void enrich(fx_state *f, fx_place *p, const cJSON *in, cJSON *cluster,
                   const char *op, const char *key)
{
  aws_api_error ae;
  xd_err e = {0};
  cJSON *doc = NULL, *list;
  fx_place rec;
  xd_rc rc;
  if(!fx_go(f))
    return;
  /* one page, as the CLI's customization asks for */
  rc = emr_call(f, p, op, in, true, &doc, &ae, &e, &rec);
  if(rc != XD_OK) {
    char call[96];
    snprintf(call, sizeof(call), "emr %s", op);
    if(rc != XD_E_TIMEOUT || e.msg[0])
      fx_noted(f, &rec, call, rc, &ae, &e);
    return;
  }
  list = cJSON_DetachItemFromObjectCaseSensitive(doc, key);
  if(!list && !strcmp(key, "BootstrapActions"))
    list = cJSON_CreateArray(); /* the CLI's default */
  if(list) {
    cJSON_DeleteItemFromObjectCaseSensitive(cluster, key);
    cJSON_AddItemToObject(cluster, key, list);
  }
  cJSON_Delete(doc);
}

/* `aws emr describe-cluster` is DescribeCluster with the instance groups
 * (or fleets) and the bootstrap actions put into Cluster: the file holds
 * what that command prints. */
static void read_cluster(fx_state *f, fx_place *p, const char *id,
                         fx_strs *secconfs)
{
  aws_api_error ae;
  fx_place rec;
  xd_err e = {0};
  cJSON *in = cJSON_CreateObject(), *doc = NULL, *cl;
  char name[256], file[512];
  xd_rc rc;

  xd_json_add_str(in, "ClusterId", id);
  snprintf(name, sizeof(name), "emr-describe-cluster--%s", id);
  if(fx_go(f)) {
    rc = emr_call(f, p, "DescribeCluster", in, false, &doc, &ae, &e, &rec);
    if(rc != XD_OK && (rc != XD_E_TIMEOUT || e.msg[0])) {
      snprintf(file, sizeof(file), "%s/%s/%s.json", p->account, p->region,
               name);
      fx_failed(f, &rec, "emr DescribeCluster", file, rc, &ae, &e);
    }
    else if((cl = cJSON_GetObjectItemCaseSensitive(doc, "Cluster")) &&
            cJSON_IsObject(cl)) {
      const char *kind = xd_json_str(cl, "InstanceCollectionType");
      if(kind && !strcmp(kind, "INSTANCE_FLEET"))
        enrich(f, p, in, cl, "ListInstanceFleets", "InstanceFleets");
      else
        enrich(f, p, in, cl, "ListInstanceGroups", "InstanceGroups");
      enrich(f, p, in, cl, "ListBootstrapActions", "BootstrapActions");
      fx_strs_add(&p->subnets, xd_json_str(xd_json_object(
                                   cl, "Ec2InstanceAttributes"), "Ec2SubnetId"));
      fx_strs_add(secconfs, xd_json_str(cl, "SecurityConfiguration"));
    }
    if(doc)
      fx_write(f, p->account, p->region, name, doc);
    cJSON_Delete(doc);
  }
  snprintf(name, sizeof(name), "emr-list-instances--%s", id);
  cJSON_Delete(fx_call_json(f, p, "emr", "ListInstances", in, name));
  cJSON_Delete(in);
}

/* "profile NAME" for fetch-errors.json, kept as long as the run. */
static const char *profile_label(fx_state *f, const char *profile)
{
  char label[300];
  snprintf(label, sizeof(label), "profile %s", profile);
  if(!fx_strs_add(&f->labels, label))
    return NULL;
  for(size_t i = 0; i < f->labels.n; i++)
    if(!strcmp(f->labels.v[i], label))
      return f->labels.v[i];
  return NULL;
}

/* Assume role for account t with the Studio credentials; NULL after
 * recording the refusal (as sts AssumeRole, with whose access it was). */
static aws_creds_provider *assume(fx_state *f, fx_target *t, const char *role,
                                  const char *session, const char *access)
{
  aws_creds_provider *creds = NULL;
  const aws_creds *cr;
  fx_place tmp;
  xd_err e = {0};
  xd_rc rc;

  memset(&tmp, 0, sizeof(tmp));
  snprintf(tmp.account, sizeof(tmp.account), "%s", t->account);
  tmp.region = (char *)t->region;
  tmp.assuming = role;
  tmp.assuming_access = access;
  if(aws_creds_assume_role(f->c, f->base, role, session, NULL, t->region,
                           &creds, &e) != XD_OK) {
    f->fatal = e;
    f->abort = true;
    return NULL;
  }
  if(!fx_go(f))
    return NULL;
  rc = aws_creds_get(f->c, creds, false, &cr, &e);
  if(rc != XD_OK) {
    aws_api_error ae;
    memset(&ae, 0, sizeof(ae));
    if(aws_creds_error_code(creds)) {
      snprintf(ae.code, sizeof(ae.code), "%s", aws_creds_error_code(creds));
      rc = XD_E_AWS; /* the code, not "not permitted", in the record */
    }
    fx_failed(f, &tmp, "sts AssumeRole", NULL, rc, &ae, &e);
    return NULL;
  }
  xd_log_info("assumed %s for account %s", role, t->account);
  return creds;
}

/* The account's read access: a named profile, else the read role (when it
 * is not the discovery role). NULL: read with the discovery role. */
static aws_creds_provider *read_access(fx_state *f, fx_target *t,
                                       const char **via, const char **how)
{
  aws_creds_provider *creds = NULL;
  const aws_creds *cr;
  xd_err e = {0};
  if(t->profile) {
    if(aws_creds_profile(f->c, t->profile, &creds, &e) != XD_OK ||
       aws_creds_get(f->c, creds, false, &cr, &e) != XD_OK) {
      if(e.rc == AWS_E_PENDING)
        return NULL; /* its AssumeRole is not answered yet */
      /* the user named it for this account: a profile that does not
       * work is a mistake to fix before anything is read */
      xd_err_prefix(&e, "account %s: ", t->account);
      f->fatal = e;
      f->abort = true;
      return NULL;
    }
    *via = profile_label(f, t->profile);
    *how = "profile";
    xd_log_info("reading account %s with %s", t->account,
                aws_creds_source(creds));
    return creds;
  }
  if(t->read_role && (!t->role || strcmp(t->read_role, t->role))) {
    creds = assume(f, t, t->read_role, "xacct-doctor", "read");
    if(creds) {
      *via = t->read_role;
      *how = "read";
    }
  }
  return creds;
}

static void emr_target(fx_state *f, fx_target *t)
{
  aws_creds_provider *creds = f->base, *rd;
  const char *rd_via = NULL, *rd_how = NULL;
  fx_place *p, tmp;
  fx_strs ids = {0}, secconfs = {0};
  xd_err e = {0};
  cJSON *doc, *in;
  char name[300];

  unsigned long before = fx_pending(f);

  memset(&tmp, 0, sizeof(tmp));
  snprintf(tmp.account, sizeof(tmp.account), "%s", t->account);
  tmp.region = (char *)t->region;
  rd = read_access(f, t, &rd_via, &rd_how);
  if(f->abort)
    return;
  if(t->role) {
    creds = assume(f, t, t->role, "SageMakerStudioUser", "discovery");
    if(f->abort)
      return;
  }
  if(fx_pending(f) != before)
    return; /* planning: which credentials read what is not known yet */
  if(t->role) {
    if(!creds && !rd)
      return;
  }
  else if(strcmp(t->account, f->studio)) {
    xd_fail(&e, XD_E_USAGE, "no role to assume into account %s: give "
            "emr[].role_arn in the intent, or list the account in the role "
            "file", t->account);
    fx_failed(f, &tmp, "sts AssumeRole", NULL, XD_E_USAGE, NULL, &e);
    if(!rd)
      return;
    creds = NULL;
  }
  p = fx_place_get(f, t->account, t->region, rd ? rd : creds);
  if(!p)
    return;
  if(!p->read_access) {
    p->read_via = rd ? rd_via : t->role;
    p->read_access = rd ? rd_how : "discovery";
  }
  if(creds && p->creds != creds) {
    /* EMR as Studio sees it: through the discovery role */
    p->emr_creds = creds;
    p->emr_via = t->role;
  }
  if(t->clusters.n)
    for(size_t i = 0; i < t->clusters.n; i++)
      fx_strs_add(&ids, t->clusters.v[i]);
  else {
    cJSON *states = cJSON_CreateArray();
    cJSON_AddItemToArray(states, cJSON_CreateString("WAITING"));
    cJSON_AddItemToArray(states, cJSON_CreateString("RUNNING"));
    in = cJSON_CreateObject();
    cJSON_AddItemToObject(in, "ClusterStates", states);
    doc = fx_call_json(f, p, "emr", "ListClusters", in, NULL);
    cJSON_Delete(in);
    if(doc) {
      const cJSON *c;
      cJSON_ArrayForEach(c, xd_json_array(doc, "Clusters"))
        fx_strs_add(&ids, xd_json_str(c, "Id"));
      if(!ids.n)
        xd_log_warn("no EMR cluster in WAITING or RUNNING in account %s, "
                    "Region %s", p->account, p->region);
      cJSON_Delete(doc);
    }
  }
  for(size_t i = 0; i < ids.n && !f->abort; i++) {
    if(fx_safe_name(ids.v[i]))
      read_cluster(f, p, ids.v[i], &secconfs);
    else if(!fx_dry(f))
      xd_log_error("cluster id '%s' cannot name a file; skipped", ids.v[i]);
  }
  for(size_t i = 0; i < secconfs.n && !f->abort; i++) {
    if(!fx_safe_name(secconfs.v[i])) {
      xd_log_warn("security configuration '%s' cannot name a file; skipped",
                  secconfs.v[i]);
      continue;
    }
    in = cJSON_CreateObject();
    xd_json_add_str(in, "Name", secconfs.v[i]);
    snprintf(name, sizeof(name), "emr-describe-security-configuration--%s",
             secconfs.v[i]);
    cJSON_Delete(fx_call_json(f, p, "emr", "DescribeSecurityConfiguration", in,
                              name));
    cJSON_Delete(in);
  }
  fx_strs_free(&ids);
  fx_strs_free(&secconfs);
}

void fx_emr_accounts(fx_state *f, const fx_strs *roles)
{
  fx_target *ts = NULL, *t;
  size_t n = 0;
  char acct[16];

  for(size_t i = 0; i < f->plan->n_emr; i++) {
    const aws_fetch_emr *m = &f->plan->emr[i];
    const char *a = m->account;
    if(!a)
      a = arn_account(m->role_arn, acct) ? acct : f->studio;
    t = target(&ts, &n, a, m->region ? m->region : f->studio_region);
    if(!t)
      goto nomem;
    if(!t->role && !m->role_arn)
      t->needs_roles = true;
    if(!t->role)
      t->role = m->role_arn ? m->role_arn : role_in(roles, t->account);
    if(!t->read_role)
      t->read_role = m->read_role_arn;
    if(!t->profile)
      t->profile = m->profile;
    if(m->cluster_id && !fx_strs_add(&t->clusters, m->cluster_id))
      goto nomem;
  }
  for(size_t i = 0; i < roles->n; i++) {
    bool known = false;
    if(!arn_account(roles->v[i], acct)) {
      xd_log_warn("'%s' is not an IAM role ARN; skipped", roles->v[i]);
      continue;
    }
    for(size_t k = 0; k < n; k++)
      known |= !strcmp(ts[k].account, acct);
    if(known)
      continue;
    if(f->plan->n_emr) {
      /* the intent says which EMR accounts matter; discovery only fills
       * in what it leaves out */
      xd_log_info("%s is not an EMR account of the intent; not fetched",
                  roles->v[i]);
      continue;
    }
    t = target(&ts, &n, acct, f->studio_region);
    if(!t)
      goto nomem;
    t->role = roles->v[i];
    t->needs_roles = true;
  }
  if(!n) {
    /* nothing names an EMR account: look for clusters beside Studio */
    xd_log_info("no EMR account known; looking for clusters in the Studio "
                "account");
    if(!(t = target(&ts, &n, f->studio, f->studio_region)))
      goto nomem;
    t->needs_roles = true;
  }
  for(size_t i = 0; i < n && !f->abort; i++) {
    unsigned long before = fx_pending(f);
    if(fx_dry(f) && f->studio_unsettled && ts[i].needs_roles) {
      /* planning: Studio's discovery may still name its role */
      f->order_unsettled = true;
      continue;
    }
    /* --account-profile wins over the intent's profile */
    for(size_t k = 0; k < f->plan->n_account_profiles; k++)
      if(!strcmp(f->plan->account_profiles[k].account, ts[i].account))
        ts[i].profile = f->plan->account_profiles[k].profile;
    if(!strcmp(ts[i].account, f->studio))
      ts[i].profile = NULL; /* the Studio account is read as Studio */
    emr_target(f, &ts[i]);
    if(fx_pending(f) != before) {
      /* planning: its place's subnets (and later places' order) wait */
      f->order_unsettled = true;
      for(size_t k = 0; k < f->n_places; k++)
        if(!strcmp(f->places[k].account, ts[i].account) &&
           !strcmp(f->places[k].region, ts[i].region))
          f->places[k].unsettled = true;
    }
  }
  goto done;
nomem:
  xd_fail(&f->fatal, XD_E_NOMEM, "out of memory");
  f->abort = true;
done:
  for(size_t i = 0; i < n; i++)
    fx_strs_free(&ts[i].clusters);
  free(ts);
}
