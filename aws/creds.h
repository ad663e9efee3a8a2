/* aws/creds.h: the credential chain and its providers. A provider hands
 * out credentials and, when they are temporary, fetches new ones before
 * they expire (or at once, when AWS says they have). */
#ifndef AWS_CREDS_H
#define AWS_CREDS_H

#include <stdbool.h>
#include <time.h>

#include "aws.h"

typedef struct {
  char *access_key_id;
  char *secret_key;      /* registered with xd_log_add_secret() */
  char *session_token;   /* NULL for long-term keys; registered too */
  time_t expiration;     /* 0: does not expire */
} aws_creds;

typedef struct aws_creds_provider aws_creds_provider;

/* Credentials are renewed when less than this is left of them. */
#define AWS_CREDS_REFRESH_MARGIN_S 300

/* The AWS CLI's chain: the environment (unless --profile was given), the
 * profile (static keys, or role_arn with source_profile or
 * credential_source), the container endpoint, IMDSv2 (unless
 * AWS_EC2_METADATA_DISABLED=true). The first that has credentials is
 * fetched once to prove it works. *out is owned by c. XD_E_PERM with a
 * message listing what was tried when none has credentials. */
xd_rc aws_creds_default(aws_ctx *c, aws_creds_provider **out, xd_err *e);

/* The credentials of the named profile (static keys, or a role with a
 * source profile or credential source), as the chain reads a profile.
 * Owned by c. XD_E_USAGE when the profile is in neither file, XD_E_PERM
 * when it holds no credentials xacct-doctor can use. */
xd_rc aws_creds_profile(aws_ctx *c, const char *name,
                        aws_creds_provider **out, xd_err *e);

/* A provider that assumes role_arn with source's credentials through STS
 * in region (session name session_name, external_id may be NULL). Nothing
 * is called until aws_creds_get(). Owned by c. */
xd_rc aws_creds_assume_role(aws_ctx *c, aws_creds_provider *source,
                            const char *role_arn, const char *session_name,
                            const char *external_id, const char *region,
                            aws_creds_provider **out, xd_err *e);

/* The current credentials of p, fetched or renewed first when missing,
 * expiring within AWS_CREDS_REFRESH_MARGIN_S, or when force is set. *out
 * stays valid until the next call for p. On failure e says what was tried
 * (for AssumeRole: which role, and whether trust or permission is at
 * fault as far as AWS's answer tells). */
xd_rc aws_creds_get(aws_ctx *c, aws_creds_provider *p, bool force,
                    const aws_creds **out, xd_err *e);

/* Whether p can fetch new credentials (not a static key pair). */
bool aws_creds_refreshable(const aws_creds_provider *p);

/* Where p's credentials come from: "environment", "profile dev",
 * "container credentials endpoint", "instance metadata (IMDSv2)",
 * "role arn:aws:iam::...". */
const char *aws_creds_source(const aws_creds_provider *p);

/* AWS's error code ("AccessDenied") of p's last failed fetch, or NULL. */
const char *aws_creds_error_code(const aws_creds_provider *p);

/* How many times p has fetched credentials (tests and --verbose). */
unsigned aws_creds_fetches(const aws_creds_provider *p);

#endif
