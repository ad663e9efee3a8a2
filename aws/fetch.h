/* aws/fetch.h: the parts of `fetch` (private to aws/). fetch.c drives
 * and writes, fetch_studio.c discovers the Studio side and the EMR
 * accounts, fetch_ec2.c reads each account's network. */
#ifndef AWS_FETCH_H
#define AWS_FETCH_H

#include "internal.h"

/* A small set of strings, kept unique and in the order first seen. */
typedef struct {
  char **v;
  size_t n;
} fx_strs;

bool fx_strs_add(fx_strs *s, const char *v);
bool fx_strs_has(const fx_strs *s, const char *v);
void fx_strs_free(fx_strs *s);

/* One account in one Region, with the credentials that read it and what
 * the other calls learnt about which VPCs matter there. */
typedef struct {
  char account[16];
  char *region;
  aws_creds_provider *creds;
  aws_creds_provider *emr_creds; /* for EMR calls, when not creds: the
                                    role Studio assumes */
  /* whose access each call used, for fetch-errors.json: the role ARN or
   * "profile NAME" (NULL: the caller's own credentials), and how it was
   * chosen: "discovery", "read" (read_role_arn), "profile" or "caller" */
  const char *read_via, *read_access;
  const char *emr_via;           /* the discovery role, with emr_creds */
  const char *assuming, *assuming_access; /* the role an AssumeRole was for */
  fx_strs vpcs, subnets;
  /* planning (fetch_sched.c): some of the discovery that adds to subnets
   * was not answered yet; made after a target that was not settled, so
   * its place in the order (which place reads IAM) may change */
  bool unsettled, late;
} fx_place;

typedef struct {
  aws_ctx *c;
  const aws_fetch_plan *plan;
  char *tmp;                 /* the folder being built */
  cJSON *errors;             /* entries of fetch-errors.json */
  aws_fetch_stats *st;
  bool stop;                 /* out of time: no further calls */
  bool abort;                /* interrupted or out of memory: give up */
  xd_err fatal;
  unsigned long skipped;     /* calls not made after stop */
  char studio[16];           /* the Studio account (the caller's) */
  char caller[320];          /* the caller's ARN (GetCallerIdentity) */
  char *studio_region;
  aws_creds_provider *base;
  fx_place *places;
  size_t n_places;
  fx_strs labels;            /* "profile NAME" strings the places point to */
  fx_strs roles;             /* the EMR roles discovery found */
  const char *studio_profile; /* how the Studio account is read, or NULL */
  /* planning: Studio's discovery (which names the roles, so the EMR
   * accounts) was not all answered; an EMR target was not settled */
  bool studio_unsettled, order_unsettled;
} fx_state;

/* Whether this pass only plans (fetch_sched.c): nothing is written or
 * recorded, a call not answered yet is AWS_E_PENDING. */
static inline bool fx_dry(const fx_state *f)
{
  return f->c->planning;
}

/* The requests planned so far in this pass (grows when one is pending). */
static inline unsigned long fx_pending(const fx_state *f)
{
  return f->c->n_pending;
}

/* fetch_sched.c: run the fetch's phases (fx_pass) in passes over the
 * answers kept so far, sending what each planning pass found missing all
 * at once, until a pass needs nothing new; then once more to write (the
 * sequential code, every answer at hand). With concurrency 1, one pass
 * that sends each call as it comes. */
xd_rc fx_passes(fx_state *f, xd_err *e);
/* Free what one pass built (places, labels, roles, errors). */
void fx_pass_clear(fx_state *f);

/* The place for account/region, created on first use (creds set then).
 * The pointer is good until the next call (the array grows). */
fx_place *fx_place_get(fx_state *f, const char *account, const char *region,
                       aws_creds_provider *creds);

/* Whether a name may be part of a file name of the snapshot. */
bool fx_safe_name(const char *s);

/* Write doc as the AWS CLI prints it to ACCOUNT[/REGION]/NAME.json in the
 * folder being built; false after recording the failure. */
bool fx_write(fx_state *f, const char *account, const char *region,
              const char *name, const cJSON *doc);

/* The same for bytes kept as they are (the role file copy). */
bool fx_write_raw(fx_state *f, const char *account, const char *region,
                  const char *name, const void *data, size_t len);

/* Make one call in place p and, when name is given, write its answer as
 * ACCOUNT/REGION/NAME.json. The answer is returned (the caller's to
 * delete), or NULL when the call failed (recorded) or was not made. */
cJSON *fx_call_ec2(fx_state *f, fx_place *p, const char *action,
                   const aws_params *params, const char *name);
cJSON *fx_call_json(fx_state *f, fx_place *p, const char *service,
                    const char *op, const cJSON *input, const char *name);

/* Record a call that failed (rc, e, and ae when AWS answered): stderr and
 * fetch-errors.json. file is the snapshot file that is now absent (may be
 * NULL). An interrupt or exhausted memory marks the run for abort; the
 * deadline stops further calls. */
void fx_failed(fx_state *f, const fx_place *p, const char *call,
               const char *file, xd_rc rc, const aws_api_error *ae,
               const xd_err *e);

/* The same for a call whose failure costs only some detail of a file
 * that is written anyway: stderr (a warning) and fetch-errors.json
 * ("optional": true), not counted as a failed call. */
void fx_noted(fx_state *f, const fx_place *p, const char *call, xd_rc rc,
              const aws_api_error *ae, const xd_err *e);

/* Whether a failed call was refused by IAM (AccessDenied and kin). */
bool fx_refused(xd_rc rc, const aws_api_error *ae);

/* Whether to make another call (false after stop/abort; counts it). */
bool fx_go(fx_state *f);

/* File stem of an operation: "ec2", "DescribeVpcs" -> "ec2-describe-vpcs". */
void fx_stem(const char *service, const char *op, char *out, size_t n);

/* Merging into a snapshot already at out (fetch_merge.c): whether out is
 * one (account folders, fetch-errors.json, xacct-doctor.json only); bring
 * its files that the new one lacks into f->tmp and its recorded failures
 * into f->errors, dropping every failure whose file is now there; swap
 * f->tmp in for out. */
bool fx_out_is_snapshot(const char *out);
xd_rc fx_merge_old(fx_state *f, const char *out, xd_err *e);
xd_rc fx_swap_in(fx_state *f, const char *out, xd_err *e);

/* Phases. */
void fx_studio(fx_state *f, fx_place *studio, fx_strs *emr_roles);
/* fetch_identity.c: the plan's user profile / space of domain (or all of
 * them); profiles' AssumableRoleArns are added to emr_roles. */
void fx_studio_identities(fx_state *f, fx_place *studio, const char *domain,
                          fx_strs *emr_roles);
void fx_emr_accounts(fx_state *f, const fx_strs *discovered_roles);
void fx_ec2_place(fx_state *f, fx_place *p);
void fx_iam_account(fx_state *f, fx_place *p);
/* fetch_network.c: VPC endpoints and DHCP options of the VPCs in rel (or
 * of the account), vpcs being DescribeVpcs' answer (may be NULL), and the
 * Route 53 Resolver rules; the first two only once settled (a planning
 * pass knows which VPCs matter). */
void fx_network_place(fx_state *f, fx_place *p, const cJSON *vpcs,
                      const fx_strs *rel, bool settled);
/* Whether call ("route53resolver ListResolverRules") reads an optional
 * file: its failure is recorded as "optional" and fails nothing. */
bool fx_optional_call(const char *call);

#endif
