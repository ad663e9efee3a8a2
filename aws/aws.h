/* aws/aws.h: the door of the AWS room. cli/ opens a context with the
 * command line's AWS options and asks for a snapshot folder; everything
 * else (SigV4, the credential chain, endpoints, retries, paging, the XML
 * of EC2, IAM and STS) stays behind this header.
 *
 * The conventions are the AWS CLI's (../shared/contract.md): credentials
 * from the environment, the profile files, the container endpoint or
 * IMDSv2; region from --region, AWS_REGION, AWS_DEFAULT_REGION or the
 * profile; endpoints from --endpoint-url, AWS_ENDPOINT_URL_<SERVICE> or
 * AWS_ENDPOINT_URL. Secrets are registered with xd_log_add_secret() as soon
 * as they are read, so no log line can print them. */
#ifndef AWS_AWS_H
#define AWS_AWS_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/timeutil.h"
#include "../common/xd_error.h"

typedef struct aws_ctx aws_ctx;

/* Where a fetch is: calls ended of those asked for so far, and the
 * accounts known so far; writing: the calls are done and the snapshot is
 * being written (messages about failed calls follow). */
typedef struct aws_progress {
  unsigned long calls_done, calls_asked, accounts;
  bool writing;
} aws_progress;

typedef struct {
  const char *region;        /* --region, or NULL */
  const char *profile;       /* --profile, or NULL (then AWS_PROFILE) */
  const char *endpoint_url;  /* --endpoint-url, or NULL */
  xd_deadline deadline;      /* the whole run (--timeout); at_ms 0: none */
  bool (*interrupted)(void); /* polled between and during calls; may be NULL */
  long concurrency;          /* API calls in flight at most; <= 0: the
                                default (16); 1: one after another */
  /* called as calls end (may be NULL) */
  void (*progress)(void *ud, const struct aws_progress *p);
  void *progress_ud;
} aws_options;


#define AWS_DEFAULT_CONCURRENCY 16

/* A context: one HTTP connection cache, the resolved profile and region,
 * and every credential provider made for the run. Reads the profile files
 * when a profile is named or present. *out is released with
 * aws_ctx_free(). XD_E_USAGE for a bad endpoint URL or a missing named
 * profile. */
xd_rc aws_ctx_new(const aws_options *opt, aws_ctx **out, xd_err *e);
/* Release c and every provider it made (secrets are wiped). */
void aws_ctx_free(aws_ctx *c);
/* The default region (option, environment, profile), or NULL. */
const char *aws_ctx_region(const aws_ctx *c);

/* One EMR account of the intent; any field may be NULL. role_arn is the
 * discovery role Studio assumes (EMR calls go through it, as Studio's);
 * the account's network and IAM are read with profile (a named AWS
 * profile), else read_role_arn (assumed with the Studio credentials),
 * else the discovery role. */
typedef struct {
  const char *account, *region, *cluster_id, *role_arn;
  const char *read_role_arn, *profile;
} aws_fetch_emr;

/* --account-profile ACCOUNT=PROFILE: read that account with the profile. */
typedef struct {
  char account[16];          /* 12 digits */
  const char *profile;
} aws_account_profile;

/* What to fetch: the intent's fields (any may be NULL/0). With only
 * credentials for the Studio account, discovery fills in the rest: the
 * domain (ListDomains), the role file or the domain's AssumableRoleArns,
 * each role (AssumeRole as SageMakerStudioUser), the clusters in WAITING
 * or RUNNING. */
typedef struct {
  const char *studio_account, *studio_region, *domain_id, *vpc_id;
  const char *role_arns_file;   /* NULL: Studio's standard path */
  const char *studio_profile;   /* the Studio account's credentials from
                                   this profile, not the default chain */
  const aws_account_profile *account_profiles; /* win over the intent's */
  size_t n_account_profiles;
  const char *user_profile, *space; /* the Studio identity; NULL and NULL:
                                       every profile and space */
  const aws_fetch_emr *emr;
  size_t n_emr;
  const char *intent_path;      /* copied as SNAPSHOT/xacct-doctor.json */
} aws_fetch_plan;

typedef struct {
  unsigned long calls;          /* API calls made (pages count once each) */
  unsigned long failed;         /* calls that failed; their files are absent */
  unsigned long files;          /* files written */
} aws_fetch_stats;

/* Write the snapshot folder of ../shared/contract.md at out_dir: built in
 * a temporary folder beside it (out_dir.tmp-XXXXXX) and renamed into place
 * only at the end, so a folder at out_dir is always whole. out_dir must
 * not exist, or be an empty folder. A call that fails is reported on
 * stderr and in out_dir/fetch-errors.json, and its file is absent; that is
 * XD_OK with st->failed > 0. An error return (no credentials, no region,
 * credentials AWS refuses, an interrupt) leaves nothing behind.
 * When out_dir already holds a snapshot (account folders, fetch-errors.json,
 * xacct-doctor.json and nothing else), the new one is merged into it:
 * its files replace those of the same name, the others stay, and a
 * recorded failure whose file is now present is dropped. So one fetch per
 * account, each with that account's credentials, builds one snapshot. */
xd_rc aws_fetch_snapshot(aws_ctx *c, const aws_fetch_plan *plan,
                         const char *out_dir, aws_fetch_stats *st, xd_err *e);

/* The CA bundle HTTPS to AWS trusts, without a profile: AWS_CA_BUNDLE,
 * SSL_CERT_FILE, then the system bundles (the probes of the STS and EMR
 * endpoints judge a certificate as the SDK in Studio would). *out is a
 * static or environment string. */
xd_rc aws_ca_bundle_default(const char **out, xd_err *e);

#endif
