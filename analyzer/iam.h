/* analyzer/iam.h (private to analyzer/): IAM policy evaluation, as much as
 * the cross-account discovery needs: Action/NotAction and
 * Resource/NotResource with * and ? wildcards, explicit Deny over Allow
 * over the implicit deny, and trust-policy principals. Conditions are
 * evaluated by the ..._req functions against what is known of the request
 * (iam/cond.h): a statement whose condition does not hold does nothing; one
 * whose condition cannot be evaluated is taken to apply when it allows
 * (conditional, so the report can say so) and set aside when it denies
 * (undecided): an unknown condition never makes a verdict by itself. The
 * plain functions evaluate no condition (every statement applies). */
#ifndef AZ_IAM_H
#define AZ_IAM_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "iam/cond.h"

typedef enum {
  AZ_IAM_NONE = 0,   /* no statement applies: the implicit deny */
  AZ_IAM_ALLOW,
  AZ_IAM_DENY        /* an explicit Deny: nothing overrides it */
} az_iam_effect;

/* Where a decision came from. */
typedef struct {
  const char *policy;      /* the policy's name (set by the caller) */
  const cJSON *stmt;       /* the deciding statement */
  bool conditional;        /* that statement has a Condition */
  bool placeholder;        /* it only applied once <region>/<account-id>
                              were filled in */
  const char *unknown_key; /* conditional: the key not evaluated */
  const cJSON *undecided;  /* a Deny whose condition is not known, set
                              aside (or NULL) */
  const char *undecided_key;
  const cJSON *principal_unknown; /* trust: a statement naming one role of
                                     the account while the caller's role is
                                     not known (or NULL) */
} az_iam_hit;


/* What to put in place of the literal placeholders of the published
 * example policy; NULL fields leave them as they are. */
typedef struct {
  const char *region, *account;
} az_iam_subst;

/* Whether s matches pattern (* any run, ? one character). */
bool az_iam_wild(const char *pattern, const char *s, bool icase);
/* The effect of one policy document for (action, resource); resource NULL
 * skips the Resource test (trust policies). subst may be NULL. */
az_iam_effect az_iam_eval(const cJSON *doc, const char *action,
                          const char *resource, const az_iam_subst *subst,
                          az_iam_hit *hit);
/* The same, with the Condition blocks evaluated against req (iam/cond.h;
 * NULL: as az_iam_eval). */
az_iam_effect az_iam_eval_req(const cJSON *doc, const char *action,
                              const char *resource, const az_iam_subst *subst,
                              const az_iam_req *req, az_iam_hit *hit);
/* Whether the document has a statement whose Resource holds a literal
 * "<region>" or "<account-id>"; *stmt gets the first. */
bool az_iam_has_placeholder(const cJSON *doc, const cJSON **stmt);
/* The effect of a trust policy for sts:AssumeRole by the role `role` (may
 * be NULL: not known) of `account`. A principal that is the account (its
 * root or id) admits every role of it; one that names a role admits only
 * that role: with role NULL such a statement decides nothing and is put in
 * hit->principal_unknown. */
az_iam_effect az_iam_trust(const cJSON *doc, const char *account,
                           const char *role, az_iam_hit *hit);
az_iam_effect az_iam_trust_req(const cJSON *doc, const char *account,
                               const char *role, const az_iam_req *req,
                               az_iam_hit *hit);
/* The effect of a resource policy (a VPC endpoint's policy) for a call
 * of action on resource by the role `role` of `account` (its session, as
 * the Studio client makes it): a statement applies when its Principal
 * names the caller (or NotPrincipal does not), as az_iam_trust reads
 * principals, and its Action, Resource and Condition (against req) hold.
 * A statement naming a role while role is NULL decides nothing and goes
 * to hit->principal_unknown. */
az_iam_effect az_iam_resource_req(const cJSON *doc, const char *account,
                                  const char *role, const char *action,
                                  const char *resource,
                                  const az_iam_req *req, az_iam_hit *hit);
/* The statement's Sid, or "statement N" text into out. */
void az_iam_stmt_name(const cJSON *doc, const cJSON *stmt, char *out,
                      size_t n);

#endif
