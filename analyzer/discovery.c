/* Step 6 of domain.md: the role Studio assumes in an EMR account to find
 * the clusters. It must exist, trust the Studio account (or its execution
 * role) for sts:AssumeRole, and grant the discovery actions on the
 * cluster's ARN; the Studio execution role must be allowed to assume it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "iam.h"
#include "iam/boundary_check.h"
#include "iam/identity.h"
#include "reach.h"
#include "remedy.h"

static const char *const cluster_actions[] = {
    "elasticmapreduce:DescribeCluster",
    "elasticmapreduce:ListInstanceGroups",
    "elasticmapreduce:CreatePersistentAppUI",
    "elasticmapreduce:DescribePersistentAppUI",
    "elasticmapreduce:GetPersistentAppUIPresignedURL",
    "elasticmapreduce:GetOnClusterAppUIPresignedURL"};
static const char *const star_actions[] = {"elasticmapreduce:ListClusters",
                                           "servicecatalog:SearchProducts"};
#define N_CLUSTER (sizeof(cluster_actions) / sizeof(cluster_actions[0]))
#define N_STAR (sizeof(star_actions) / sizeof(star_actions[0]))
#define N_ACTIONS (N_CLUSTER + N_STAR)

typedef struct {
  const char *name, *arn; /* arn NULL for an inline policy */
  const cJSON *doc;
} az_pol;

static bool same(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

/* The role's policies with their documents; *unknown counts attached
 * policies the snapshot has no document for. */
static size_t role_policies(az_ctx *c, const az_role *r, az_pol *out,
                            size_t max, size_t *unknown, const char **uname)
{
  size_t k = 0;
  *unknown = 0;
  for(size_t i = 0; i < r->n_inline_policies && k < max; i++)
    if(r->inline_policies[i].document)
      out[k++] = (az_pol){r->inline_policies[i].name, NULL,
                          r->inline_policies[i].document};
  for(size_t i = 0; i < r->n_attached_policy_arns && k < max; i++) {
    const az_managed_policy *mp = az_ix_policy(&c->ix, r->attached_policy_arns[i]);
    if(mp && mp->document)
      out[k++] = (az_pol){mp->name ? mp->name : mp->arn, mp->arn, mp->document};
    else {
      (*unknown)++;
      *uname = r->attached_policy_arns[i];
    }
  }
  return k;
}

static char *print_doc(az_ctx *c, const cJSON *doc)
{
  char *t = cJSON_PrintUnformatted(doc), *r;
  if(!t) {
    c->nomem = true;
    return NULL;
  }
  r = az_strf(c, "%s", t);
  cJSON_free(t);
  return r;
}

/* "aws iam VERB --role-name NAME" for the role of arn (its last part). */
static void role_cmd(az_cmd *b, const char *verb, const char *arn)
{
  char name[128];
  az_role_name(arn, name, sizeof(name));
  az_cmd_args(b, "aws", "iam", verb, "--role-name", NULL);
  az_cmd_id(b, AZ_ID_ROLE_NAME, name);
}

static void substitute_all(cJSON *item, const char *region, const char *account)
{
  cJSON *ch;
  if(cJSON_IsString(item)) {
    char out[2048];
    size_t o = 0;
    const char *p = item->valuestring;
    bool changed = false;
    while(*p && o + 1 < sizeof(out)) {
      const char *rep = !strncmp(p, "<region>", 8)       ? region
                        : !strncmp(p, "<account-id>", 12) ? account
                                                          : NULL;
      if(rep && o + strlen(rep) + 1 < sizeof(out)) {
        size_t l = strlen(rep);
        memcpy(out + o, rep, l);
        o += l;
        p += p[1] == 'r' ? 8 : 12;
        changed = true;
      } else
        out[o++] = *p++;
    }
    out[o] = '\0';
    if(changed)
      cJSON_SetValuestring(item, out);
    return;
  }
  cJSON_ArrayForEach(ch, item)
    substitute_all(ch, region, account);
}

/* Two lines: what the statement does here, and the statement itself
 * (the second is the same for every action, so it is kept once). */
static void stmt_evidence(az_ctx *c, az_issue *is, const az_pol *p,
                          const cJSON *stmt, const char *what)
{
  char sn[96];
  char *t = cJSON_PrintUnformatted(stmt);
  az_iam_stmt_name(p->doc, stmt, sn, sizeof(sn));
  az_issue_evidence(c, is, "policy %s %s %s", p->name, sn, what);
  if(t) {
    az_issue_evidence(c, is, "policy %s %s: %s", p->name, sn, t);
    cJSON_free(t);
  }
}

/* The issue code of severity sev about role r. */
static az_issue *role_issue(az_ctx *c, const char *code, xd_severity sev,
                            const az_role *r)
{
  return az_issue_get(c, code, sev, r->arn, r->account, NULL);
}

/* Role r grants through p's statement stmt only under a Condition on key
 * that the snapshot cannot tell (key NULL: an operator it cannot). */
static void condition_issue(az_ctx *c, const az_role *r, const az_pol *p,
                            const cJSON *stmt, const char *key)
{
  az_issue *is = role_issue(c, "IAM_CONDITION_NOT_EVALUATED", XD_SEV_INFO, r);
  az_issue_message(c, is,
                   "Role %s grants what discovery needs only under a "
                   "condition%s%s that the snapshot cannot tell; the grant is "
                   "taken to apply.",
                   r->arn, key ? " on " : "", key ? key : "");
  stmt_evidence(c, is, p, stmt,
                az_strf(c, "has a Condition%s%s, not evaluated",
                        key ? " on " : "", key ? key : ""));
}

/* A Deny of p whose condition is not known was set aside: say so, since
 * it may still block Studio. */
static void undecided_issue(az_ctx *c, const az_role *r, const az_pol *p,
                            const az_iam_hit *h)
{
  az_issue *is;
  if(!h->undecided)
    return;
  is = role_issue(c, "IAM_CONDITION_NOT_EVALUATED", XD_SEV_INFO, r);
  az_issue_message(c, is,
                   "Role %s has a Deny whose condition%s%s the snapshot "
                   "cannot tell; it is not counted, so whether it blocks "
                   "discovery is not known.",
                   r->arn, h->undecided_key ? " on " : "",
                   h->undecided_key ? h->undecided_key : "");
  stmt_evidence(c, is, p, h->undecided,
                az_strf(c, "denies under a Condition%s%s, not evaluated",
                        h->undecided_key ? " on " : "",
                        h->undecided_key ? h->undecided_key : ""));
}

/* What is known of Studio's sts:AssumeRole call: made by the execution
 * role's session (principal exec, NULL when not known) in Studio's
 * Region. */
static az_iam_req assume_req(const az_ctx *c, const char *exec)
{
  az_iam_req q = {c->studio.account, exec, c->studio.region, NULL, true};
  return q;
}

static void role_missing(az_ctx *c, const az_cluster *cl, const char *arn,
                         const char *from)
{
  const char *meant = az_intent_role(c, cl->account);
  az_cmd b;
  az_issue *is = az_issue_get(c, "IAM_ROLE_NOT_FOUND", XD_SEV_CRITICAL, arn,
                              cl->account, NULL);
  az_issue_message(c, is,
                   "Studio is told to assume %s, which does not exist in "
                   "account %s: cluster %s is not discovered.",
                   arn, cl->account, cl->id);
  az_issue_evidence(c, is, "no role with this ARN in %s/iam-get-account-"
                           "authorization-details.json", cl->account);
  az_cmd_init(&b);
  if(meant && strcmp(meant, arn) && az_ix_role(&c->ix, meant) && from &&
     strcmp(from, "the intent")) {
    /* a typo or a stale entry: the role the admin meant exists */
    az_issue_evidence(c, is, "the intent's role %s exists", meant);
    az_role_repoint_cmd(c, from, cl->account, meant, &b);
    az_issue_remedy(c, is, &b); /* nothing when b is empty */
    az_cmd_free(&b);
    return;
  }
  role_cmd(&b, "create-role", arn);
  az_cmd_arg(&b, "--assume-role-policy-document");
  if(c->studio.account)
    az_cmd_check(&b, AZ_ID_ACCOUNT, c->studio.account);
  az_cmd_argf(&b,
              "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
              "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::%s:"
              "root\"},\"Action\":\"sts:AssumeRole\"}]}",
              c->studio.account ? c->studio.account : "STUDIO");
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

/* The execution role Studio's calls are made with (the applied
 * identity's), or NULL when not known. */
static const char *exec_role(const az_ctx *c)
{
  az_applied_identity id;
  az_applied_identity_get(c, &id);
  return id.exec_role;
}

/* The trust names one role of the Studio account, and which execution
 * role Studio uses is not known: say so rather than OK or missing. */
static void trust_not_known(az_ctx *c, const az_role *r, const cJSON *stmt)
{
  az_pol p = {"trust policy", NULL, r->trust_policy};
  az_issue *is = role_issue(c, "IAM_TRUST_NOT_KNOWN", XD_SEV_WARNING, r);
  az_issue_message(c, is,
                   "The trust policy of %s admits only a named role of "
                   "account %s, and which execution role Studio uses is not "
                   "known: whether Studio may assume it is not known.",
                   r->arn, c->studio.account);
  stmt_evidence(c, is, &p, stmt, "names one role as its principal");
  az_issue_evidence(c, is, "no execution role: the domain's "
                           "DefaultUserSettings.ExecutionRole is not in the "
                           "snapshot");
}

static void check_trust(az_ctx *c, const az_cluster *cl, const az_role *r)
{
  const char *exec = exec_role(c);
  az_iam_hit hit = {0};
  az_iam_effect eff;
  az_issue *is;
  cJSON *doc, *st, *stmts;
  az_cmd b;
  if(!r->trust_policy || !c->studio.account)
    return;
  {
    az_iam_req q = assume_req(c, exec);
    eff = az_iam_trust_req(r->trust_policy, c->studio.account, exec, &q, &hit);
  }
  if(eff != AZ_IAM_DENY && eff != AZ_IAM_ALLOW && hit.principal_unknown) {
    trust_not_known(c, r, hit.principal_unknown);
    return;
  }
  if(eff == AZ_IAM_ALLOW) {
    az_pol p = {"trust policy", NULL, r->trust_policy};
    if(hit.conditional)
      condition_issue(c, r, &p, hit.stmt, hit.unknown_key);
    undecided_issue(c, r, &p, &hit);
    return;
  }
  is = role_issue(c, "IAM_TRUST_MISSING", XD_SEV_CRITICAL, r);
  az_issue_message(c, is,
                   "The trust policy of %s does not let account %s (Studio) "
                   "call sts:AssumeRole, so Studio can not discover cluster "
                   "%s.",
                   r->arn, c->studio.account, cl->id);
  if(eff == AZ_IAM_DENY) {
    az_pol p = {"trust policy", NULL, r->trust_policy};
    stmt_evidence(c, is, &p, hit.stmt, "denies it");
  } else
    az_issue_evidence(c, is,
                      "no statement allows sts:AssumeRole to "
                      "arn:aws:iam::%s:root%s%s",
                      c->studio.account, exec ? " or " : "",
                      exec ? exec : "");
  /* the same document, less a Deny that names Studio, plus the grant */
  doc = cJSON_Duplicate(r->trust_policy, true);
  stmts = doc ? cJSON_GetObjectItemCaseSensitive(doc, "Statement") : NULL;
  if(doc && cJSON_IsObject(stmts)) {
    cJSON *one = cJSON_DetachItemViaPointer(doc, stmts);
    stmts = cJSON_AddArrayToObject(doc, "Statement");
    cJSON_AddItemToArray(stmts, one);
  } else if(doc && !stmts)
    stmts = cJSON_AddArrayToObject(doc, "Statement");
  if(doc && eff == AZ_IAM_DENY) {
    int idx = 0;
    cJSON_ArrayForEach(st, stmts) {
      if(cJSON_Compare(st, hit.stmt, true))
        break;
      idx++;
    }
    cJSON_DeleteItemFromArray(stmts, idx);
  }
  st = cJSON_CreateObject();
  if(doc && stmts && st) {
    cJSON *pr;
    cJSON_AddStringToObject(st, "Sid", "StudioDiscovery");
    cJSON_AddStringToObject(st, "Effect", "Allow");
    pr = cJSON_AddObjectToObject(st, "Principal");
    cJSON_AddStringToObject(pr, "AWS",
                            az_strf(c, "arn:aws:iam::%s:root", c->studio.account));
    cJSON_AddStringToObject(st, "Action", "sts:AssumeRole");
    cJSON_AddItemToArray(stmts, st);
    st = NULL;
    az_cmd_init(&b);
    role_cmd(&b, "update-assume-role-policy", r->arn);
    az_cmd_arg(&b, "--policy-document");
    az_cmd_arg(&b, print_doc(c, doc));
    az_issue_remedy(c, is, &b);
    az_cmd_free(&b);
  }
  cJSON_Delete(st);
  cJSON_Delete(doc);
}

typedef struct {
  const char *action, *resource;
  az_iam_effect eff;
  const az_pol *pol;      /* deciding policy (deny, or placeholder grant) */
  const cJSON *stmt;
  const char *key;        /* conditional: the key not evaluated */
  bool placeholder, unknown, conditional;
  const az_pol *upol;     /* a Deny set aside: its condition is not known */
  az_iam_hit uhit;
} az_need;

static void eval_need(az_pol *pols, size_t np, size_t n_unknown,
                      const az_cluster *cl, const az_role *r, az_need *nd)
{
  az_iam_subst sb = {cl->region, cl->account};
  /* the assumed role's own EMR calls, in the cluster's Region */
  az_iam_req q = {cl->account, r->arn, cl->region, NULL, false};
  for(size_t i = 0; i < np; i++) {
    az_iam_hit h = {0};
    az_iam_effect e = az_iam_eval_req(pols[i].doc, nd->action, nd->resource,
                                      NULL, &q, &h);
    if(h.undecided && !nd->upol) {
      nd->upol = &pols[i];
      nd->uhit = h;
    }
    if(e == AZ_IAM_DENY) {
      nd->eff = e;
      nd->pol = &pols[i];
      nd->stmt = h.stmt;
      return;
    }
    if(e == AZ_IAM_ALLOW && nd->eff != AZ_IAM_ALLOW) {
      nd->eff = e;
      nd->conditional = h.conditional;
      nd->key = h.unknown_key;
      nd->pol = &pols[i];
      nd->stmt = h.stmt;
    }
  }
  if(nd->eff == AZ_IAM_ALLOW)
    return;
  for(size_t i = 0; i < np; i++) {
    az_iam_hit h = {0};
    if(az_iam_eval_req(pols[i].doc, nd->action, nd->resource, &sb, &q, &h) ==
           AZ_IAM_ALLOW && h.placeholder) {
      nd->placeholder = true;
      nd->pol = &pols[i];
      nd->stmt = h.stmt;
      return;
    }
  }
  nd->unknown = n_unknown > 0;
}

static void permission_fix(az_ctx *c, az_issue *is, const az_role *r,
                           const az_cluster *cl, az_need *nd, size_t n)
{
  xd_buf b, ca, sa;
  az_cmd cmd;
  xd_buf_init(&b);
  xd_buf_init(&ca);
  xd_buf_init(&sa);
  for(size_t i = 0; i < n; i++) {
    xd_buf *t = i < N_CLUSTER ? &ca : &sa;
    if(nd[i].eff == AZ_IAM_ALLOW || nd[i].placeholder || nd[i].unknown ||
       nd[i].eff == AZ_IAM_DENY)
      continue;
    xd_buf_printf(t, "%s\"%s\"", t->len ? "," : "", nd[i].action);
  }
  xd_buf_puts(&b, "{\"Version\":\"2012-10-17\",\"Statement\":[");
  if(ca.len)
    xd_buf_printf(&b,
                  "{\"Sid\":\"EmrDiscoveryClusters\",\"Effect\":\"Allow\","
                  "\"Action\":[%s],\"Resource\":\"arn:aws:elasticmapreduce:%s:%s:"
                  "cluster/*\"}",
                  xd_buf_str(&ca), cl->region ? cl->region : "*", cl->account);
  if(sa.len)
    xd_buf_printf(&b,
                  "%s{\"Sid\":\"EmrDiscoveryList\",\"Effect\":\"Allow\","
                  "\"Action\":[%s],\"Resource\":\"*\"}",
                  ca.len ? "," : "", xd_buf_str(&sa));
  xd_buf_puts(&b, "]}");
  az_cmd_init(&cmd);
  role_cmd(&cmd, "put-role-policy", r->arn);
  az_cmd_args(&cmd, "--policy-name", "xacct-doctor-emr-discovery",
              "--policy-document", NULL);
  /* the document is written by hand: only ids of a known shape go in */
  az_cmd_check(&cmd, AZ_ID_ACCOUNT, cl->account);
  if(cl->region)
    az_cmd_check(&cmd, AZ_ID_REGION, cl->region);
  az_cmd_arg(&cmd, b.failed ? NULL : xd_buf_str(&b));
  az_issue_remedy(c, is, &cmd);
  az_cmd_free(&cmd);
  xd_buf_free(&b);
  xd_buf_free(&ca);
  xd_buf_free(&sa);
}

static void placeholder_fix(az_ctx *c, az_issue *is, const az_role *r,
                            const az_cluster *cl, const az_pol *p)
{
  cJSON *doc = cJSON_Duplicate(p->doc, true);
  az_cmd b;
  if(!doc)
    return;
  substitute_all(doc, cl->region ? cl->region : "*", cl->account);
  az_cmd_init(&b);
  if(p->arn) {
    az_cmd_args(&b, "aws", "iam", "create-policy-version", "--policy-arn",
                NULL);
    az_cmd_id(&b, AZ_ID_POLICY_ARN, p->arn);
    az_cmd_arg(&b, "--set-as-default");
  } else {
    role_cmd(&b, "put-role-policy", r->arn);
    az_cmd_arg(&b, "--policy-name");
    az_cmd_id(&b, AZ_ID_POLICY_NAME, p->name);
  }
  az_cmd_arg(&b, "--policy-document");
  az_cmd_arg(&b, print_doc(c, doc));
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
  cJSON_Delete(doc);
}

static void check_permissions(az_ctx *c, const az_cluster *cl, const az_role *r)
{
  az_pol pols[64];
  az_need nd[N_ACTIONS];
  size_t n_unknown = 0, np;
  const char *uname = NULL;
  const char *carn = az_strf(c, "arn:aws:elasticmapreduce:%s:%s:cluster/%s",
                             cl->region ? cl->region : "", cl->account, cl->id);
  az_issue *is;
  bool any_missing = false, any_ph = false;
  np = role_policies(c, r, pols, 64, &n_unknown, &uname);
  memset(nd, 0, sizeof(nd));
  for(size_t i = 0; i < N_ACTIONS; i++) {
    nd[i].action = i < N_CLUSTER ? cluster_actions[i] : star_actions[i - N_CLUSTER];
    nd[i].resource = i < N_CLUSTER ? carn : "*";
    eval_need(pols, np, n_unknown, cl, r, &nd[i]);
  }
  for(size_t i = 0; i < N_ACTIONS; i++) {
    az_need *x = &nd[i];
    if(x->eff == AZ_IAM_DENY) {
      az_cmd b;
      is = role_issue(c, "IAM_EXPLICIT_DENY", XD_SEV_CRITICAL, r);
      az_issue_message(c, is,
                       "Policy %s of role %s explicitly denies %s, and an "
                       "explicit Deny overrides every Allow.",
                       x->pol->name, r->arn, x->action);
      stmt_evidence(c, is, x->pol, x->stmt,
                    az_strf(c, "denies %s on %s", x->action, x->resource));
      az_cmd_init(&b);
      if(x->pol->arn) {
        role_cmd(&b, "detach-role-policy", r->arn);
        az_cmd_arg(&b, "--policy-arn");
        az_cmd_id(&b, AZ_ID_POLICY_ARN, x->pol->arn);
      } else {
        role_cmd(&b, "delete-role-policy", r->arn);
        az_cmd_arg(&b, "--policy-name");
        az_cmd_id(&b, AZ_ID_POLICY_NAME, x->pol->name);
      }
      az_issue_remedy(c, is, &b);
      az_cmd_free(&b);
    } else if(x->placeholder) {
      is = role_issue(c, "IAM_POLICY_PLACEHOLDER", XD_SEV_CRITICAL, r);
      az_issue_message(c, is,
                       "Policy %s of role %s still holds the literal "
                       "<region>/<account-id> placeholders of the published "
                       "example, so it grants nothing on cluster %s.",
                       x->pol->name, r->arn, cl->id);
      stmt_evidence(c, is, x->pol, x->stmt,
                    az_strf(c, "grants %s only once <region>/<account-id> "
                               "are filled in", x->action));
      placeholder_fix(c, is, r, cl, x->pol);
      any_ph = true;
    } else if(x->eff == AZ_IAM_NONE && !x->unknown) {
      any_missing = true;
    } else if(x->eff == AZ_IAM_ALLOW && x->conditional) {
      condition_issue(c, r, x->pol, x->stmt, x->key);
    }
    if(x->eff != AZ_IAM_DENY && x->upol)
      undecided_issue(c, r, x->upol, &x->uhit);
  }
  {
    /* what the policies grant, the boundary may still take away */
    const char *acts[N_ACTIONS], *res[N_ACTIONS];
    bool granted[N_ACTIONS];
    az_iam_req q = {cl->account, r->arn, cl->region, NULL, false};
    for(size_t i = 0; i < N_ACTIONS; i++) {
      acts[i] = nd[i].action;
      res[i] = nd[i].resource;
      granted[i] = nd[i].eff == AZ_IAM_ALLOW;
    }
    az_boundary_check(c, r, acts, res, granted, N_ACTIONS, &q);
  }
  if(any_missing) {
    /* severity follows impact: only the Spark UI link (PersistentAppUI)
     * or cluster templates (SearchProducts) missing is a warning */
    bool stops = false;
    for(size_t i = 0; i < N_ACTIONS; i++)
      if(nd[i].eff == AZ_IAM_NONE && !nd[i].unknown && !nd[i].placeholder &&
         !strstr(nd[i].action, "PersistentAppUI") &&
         strcmp(nd[i].action, "servicecatalog:SearchProducts"))
        stops = true;
    is = role_issue(c, "IAM_PERMISSION_MISSING",
                    stops ? XD_SEV_CRITICAL : XD_SEV_WARNING, r);
    if(stops)
      az_issue_message(c, is,
                       "Role %s lacks permissions Studio needs to discover "
                       "cluster %s.",
                       r->arn, cl->id);
    else
      az_issue_message(c, is,
                       "Role %s lacks permissions for the Spark UI link or "
                       "cluster templates of cluster %s; discovery and the "
                       "connection work.",
                       r->arn, cl->id);
    for(size_t i = 0; i < N_ACTIONS; i++)
      if(nd[i].eff == AZ_IAM_NONE && !nd[i].unknown && !nd[i].placeholder)
        az_issue_evidence(c, is, "no statement allows %s on %s", nd[i].action,
                          nd[i].resource);
    permission_fix(c, is, r, cl, nd, N_ACTIONS);
  }
  if(!any_ph) {
    /* placeholders that cost nothing today still mislead the next reader */
    for(size_t i = 0; i < np; i++) {
      const cJSON *st;
      if(!az_iam_has_placeholder(pols[i].doc, &st))
        continue;
      is = role_issue(c, "IAM_POLICY_PLACEHOLDER", XD_SEV_WARNING, r);
      az_issue_message(c, is,
                       "Policy %s of role %s holds the literal "
                       "<region>/<account-id> placeholders; other statements "
                       "grant what is needed, but this one grants nothing.",
                       pols[i].name, r->arn);
      stmt_evidence(c, is, &pols[i], st, "has placeholders");
      placeholder_fix(c, is, r, cl, &pols[i]);
      break;
    }
  }
  if(n_unknown)
    for(size_t i = 0; i < N_ACTIONS; i++)
      if(nd[i].unknown) {
        is = role_issue(c, "IAM_POLICY_NOT_KNOWN", XD_SEV_INFO, r);
        az_issue_message(c, is,
                         "Role %s has attached policies whose documents are "
                         "not in the snapshot; whether they grant discovery "
                         "is not known.",
                         r->arn);
        az_issue_evidence(c, is, "attached policy %s: no document", uname);
        break;
      }
}

static void check_exec_role(az_ctx *c, const char *arn)
{
  const az_role *er;
  az_pol pols[64];
  size_t n_unknown, np;
  const char *uname = NULL;
  az_iam_effect eff = AZ_IAM_NONE;
  az_iam_hit hit = {0};
  const az_pol *dp = NULL;
  az_iam_req q;
  az_issue *is;
  az_cmd b;
  cJSON *doc;
  if(!exec_role(c) || !(er = az_ix_role(&c->ix, exec_role(c))))
    return;
  np = role_policies(c, er, pols, 64, &n_unknown, &uname);
  q = assume_req(c, er->arn);
  for(size_t i = 0; i < np && eff != AZ_IAM_DENY; i++) {
    az_iam_hit h = {0};
    az_iam_effect e = az_iam_eval_req(pols[i].doc, "sts:AssumeRole", arn, NULL,
                                      &q, &h);
    if(e > eff) {
      eff = e;
      hit = h;
      dp = &pols[i];
    }
  }
  if(eff == AZ_IAM_ALLOW) {
    const char *act = "sts:AssumeRole";
    bool granted = true;
    az_boundary_check(c, er, &act, &arn, &granted, 1, &q);
    return;
  }
  if(eff == AZ_IAM_NONE && n_unknown)
    return;
  is = role_issue(c, "IAM_STUDIO_ASSUME_MISSING", XD_SEV_CRITICAL, er);
  az_issue_message(c, is,
                   "The Studio execution role %s (of %s, set in %s) is "
                   "not allowed to call sts:AssumeRole on %s.",
                   er->arn, c->studio.ident.label,
                   az_setting_name(&c->studio.ident,
                                   c->studio.ident.exec_role_from, &c->a),
                   arn);
  if(eff == AZ_IAM_DENY)
    stmt_evidence(c, is, dp, hit.stmt, "denies it");
  else
    az_issue_evidence(c, is, "no statement of %zu policies allows "
                             "sts:AssumeRole on %s", np, arn);
  /* cJSON writes the document, so whatever the ARN holds stays a string */
  doc = cJSON_Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                    "\"Allow\",\"Action\":\"sts:AssumeRole\"}]}");
  if(doc)
    cJSON_AddStringToObject(cJSON_GetArrayItem(
                                cJSON_GetObjectItem(doc, "Statement"), 0),
                            "Resource", arn);
  az_cmd_init(&b);
  role_cmd(&b, "put-role-policy", er->arn);
  az_cmd_args(&b, "--policy-name", "xacct-doctor-assume-emr-discovery",
              "--policy-document", NULL);
  az_cmd_check(&b, AZ_ID_ROLE_ARN, arn);
  az_cmd_arg(&b, doc ? print_doc(c, doc) : NULL);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
  cJSON_Delete(doc);
}

bool az_exec_assume_missing(az_ctx *c, const char *caller_role,
                            const char *arn)
{
  const char *exec = exec_role(c), *a, *b;
  if(!exec || !caller_role)
    return false;
  /* an assumed-role ARN names the role without its path */
  a = strrchr(exec, '/');
  b = strrchr(caller_role, '/');
  if(!a || !b || strcmp(a, b))
    return false;
  check_exec_role(c, arn);
  for(size_t i = 0; i < c->n_issues; i++)
    if(!strcmp(c->issues[i].code, "IAM_STUDIO_ASSUME_MISSING") &&
       c->issues[i].message && strstr(c->issues[i].message, arn))
      return true;
  return false;
}

/* A role of account that already trusts Studio: the likely entry for a
 * role file that lacks the account. */
const char *az_candidate_role(az_ctx *c, const char *account)
{
  for(size_t i = 0; i < c->m->n_roles; i++) {
    const az_role *r = &c->m->roles[i];
    if(same(r->account, account) && r->trust_policy &&
       az_iam_trust(r->trust_policy, c->studio.account, exec_role(c), NULL) ==
           AZ_IAM_ALLOW &&
       !(r->path && !strncmp(r->path, "/aws-service-role/", 18)))
      return r->arn;
  }
  return NULL;
}

void az_iam_check_cluster(az_ctx *c, const az_cluster *cl)
{
  const char *from, *arn;
  const az_role *r;
  if(!cl->account || !c->studio.account || same(cl->account, c->studio.account))
    return;
  arn = az_role_for_account(c, cl->account, &from);
  if(!arn) {
    const az_domain *d = c->studio.domain;
    const char *cand;
    az_issue *is;
    if(!c->m->n_rolefiles && !(d && d->n_assumable_role_arns) &&
       !c->studio.ident.n_assumable)
      return; /* neither source in the snapshot: not known */
    if(c->rolefile_broken)
      return; /* the role file's own finding is the root cause */
    if(az_identity_assumable_missing(c, cl))
      return;
    is = az_issue_get(c, "ROLE_FILE_ACCOUNT_MISSING", XD_SEV_CRITICAL,
                      AZ_ROLE_FILE_PATH, c->studio.account, NULL);
    az_issue_message(c, is,
                     "Studio is not told which role to assume in account %s, "
                     "so cluster %s is not listed.",
                     cl->account, cl->id);
    az_issue_evidence(c, is, "account %s is in neither the role file nor the "
                             "domain's AssumableRoleArns", cl->account);
    /* the role the intent means, when it exists; else one that trusts
     * Studio already */
    cand = az_intent_role(c, cl->account);
    if(!cand || !az_ix_role(&c->ix, cand))
      cand = az_candidate_role(c, cl->account);
    if(cand) {
      az_cmd b;
      az_cmd_init(&b);
      az_rolefile_add_cmd(c, cl->account, cand, &b);
      az_issue_remedy(c, is, &b);
      az_cmd_free(&b);
      az_issue_evidence(c, is, "%s trusts the Studio account", cand);
    }
    return;
  }
  az_role_divergence(c, cl, arn, from);
  r = az_ix_role(&c->ix, arn);
  if(!r && c->rolefile_broken && !strcmp(from, "the role file"))
    return; /* a broken entry: reported as such */
  if(!r) {
    if(!az_file_missing(c, cl->account, NULL,
                        "iam-get-account-authorization-details.json"))
      role_missing(c, cl, arn, from);
    return;
  }
  check_trust(c, cl, r);
  check_permissions(c, cl, r);
  az_runtime_check(c, cl, r);
  check_exec_role(c, arn);
}
