/* aws/internal.h: what the files of the AWS room share and nobody else
 * needs: the context, HTTP, signed requests, errors, profile files,
 * endpoints and the calls of each service. */
#ifndef AWS_INTERNAL_H
#define AWS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "../common/buf.h"
#include "aws.h"
#include "creds.h"
#include "sigv4.h"

/* ---- profile files (profile.c) ---- */

typedef struct {
  char *name;
  char **keys, **vals;   /* keys lower-cased, as configparser does */
  size_t n;
} aws_profile;

typedef struct {
  aws_profile *config, *creds;   /* ~/.aws/config, ~/.aws/credentials */
  size_t n_config, n_creds;
  char *config_path, *creds_path;
} aws_profiles;

/* Read the config and credentials files (AWS_CONFIG_FILE,
 * AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/...). A missing file is empty;
 * an unreadable one is an error naming it. */
xd_rc aws_profiles_load(aws_profiles *ps, xd_err *e);
void aws_profiles_free(aws_profiles *ps);
/* The value of key in profile name: the credentials file first, then the
 * config file ("[profile name]", "[default]"); NULL when absent. */
const char *aws_profile_get(const aws_profiles *ps, const char *name,
                            const char *key);
/* Whether either file has a section for profile name. */
bool aws_profile_exists(const aws_profiles *ps, const char *name);

/* ---- CA certificates for HTTPS (cabundle.c) ---- */

/* The system bundles tried, in order (Amazon Linux first); NULL-ended. */
extern const char *const aws_ca_system_paths[];
/* The CA bundle as the AWS CLI finds it: AWS_CA_BUNDLE, profile_ca (the
 * profile's ca_bundle), SSL_CERT_FILE, then the first readable file of
 * system. A named bundle that cannot be read, or none found, is an error
 * naming what was tried. */
xd_rc aws_ca_bundle_find(const char *profile_ca, const char *profile,
                         const char *const *system, const char **out,
                         xd_err *e);
/* The same for c's profile and the system paths above. */
xd_rc aws_ca_bundle(const aws_ctx *c, const char **out, xd_err *e);

/* ---- retries (retry.c): botocore's standard mode ---- */

typedef struct {
  int max_attempts;          /* per call, first try included (3) */
  double base_ms, cap_ms;    /* backoff: 1 s base, 20 s cap */
  int quota, quota_max;      /* retry tokens left (500 at start) */
} aws_retry;

/* The standard mode's settings; XD_TEST_RETRY_BASE_MS and
 * XD_TEST_RETRY_QUOTA (test-only) set a shorter base, a smaller quota. */
void aws_retry_init(aws_retry *r);
/* Take the tokens a retry costs (10 after a timeout, else 5): the cost,
 * or 0 when the quota cannot pay (then do not retry). */
int aws_retry_acquire(aws_retry *r, bool timeout);
/* A call succeeded: give back cost (what its last retry took), or 1 when
 * it needed no retry (cost 0); never above the starting quota. */
void aws_retry_release(aws_retry *r, int cost);
/* The delay before the next attempt after attempts tries: full jitter,
 * min(rand * base * 2^(attempts-1), cap). */
double aws_retry_delay_ms(const aws_retry *r, int attempts);

/* ---- the context (ctx.c) ---- */

struct aws_ctx {
  CURL *curl;                /* one handle: its connection cache is reused */
  char *region;              /* default region, may be NULL */
  char *endpoint_url;        /* --endpoint-url */
  char *profile;             /* the profile in use ("default" if none) */
  bool profile_explicit;     /* --profile: environment keys are skipped */
  bool profile_named;        /* --profile or AWS_PROFILE */
  aws_profiles profiles;
  xd_deadline deadline;
  bool (*interrupted)(void);
  aws_creds_provider *base;  /* the chain's answer, once resolved */
  aws_creds_provider **providers; size_t n_providers; /* all, owned */
  aws_retry retry;           /* the standard mode, its quota for the run */
  double call_budget_ms;     /* one call, retries included */
  double attempt_timeout_ms; /* one HTTP exchange */
  long connect_timeout_ms;
  unsigned long n_calls, n_retries;
  /* the API calls (multi.c): every request is a job on one multi handle,
   * whose connection cache all of them share */
  CURLM *multi;
  struct aws_job **jobs; size_t n_jobs;
  CURL **idle; size_t n_idle;  /* easy handles to reuse */
  long concurrency;          /* jobs in flight at most */
  size_t n_running;
  unsigned long n_done;      /* jobs with an outcome */
  bool cache;                /* keep outcomes: the same request is answered
                                from them (fetch's passes) */
  bool planning;             /* a request not answered yet is recorded and
                                AWS_E_PENDING returned, not sent */
  bool final;                /* the writing pass after planning: a request
                                not answered once the run must stop is
                                AWS_E_SKIPPED */
  bool fresh_next;           /* the next request renews credentials: sent
                                again, its outcome replaced */
  unsigned long n_pending;   /* requests recorded while planning */
  void (*progress)(void *ud, const aws_progress *p);
  void *progress_ud;
  unsigned long n_accounts;  /* accounts the fetch knows of (progress) */
};

/* Outcomes of a request inside the fetch's passes; they never leave aws/:
 * not answered yet (planning), and not made (the run had to stop). */
#define AWS_E_PENDING ((xd_rc)100)
#define AWS_E_SKIPPED ((xd_rc)101)

/* Keep p for aws_ctx_free(); false when out of memory (p is then freed). */
bool aws_ctx_own(aws_ctx *c, aws_creds_provider *p);
void aws_creds_provider_free(aws_creds_provider *p);

/* Providers of the chain (creds.c), each owned by c. The static one holds
 * keys from the environment or a profile; the container one GETs url
 * with the token (or the token read from token_file) as Authorization;
 * the IMDS one talks IMDSv2 to base ("http://169.254.169.254"). */
xd_rc aws_creds_static_new(aws_ctx *c, const char *label, const char *akid,
                           const char *secret, const char *token,
                           aws_creds_provider **out, xd_err *e);
xd_rc aws_creds_container_new(aws_ctx *c, const char *url, const char *token,
                              const char *token_file,
                              aws_creds_provider **out, xd_err *e);
xd_rc aws_creds_imds_new(aws_ctx *c, const char *base,
                         aws_creds_provider **out, xd_err *e);
/* The members of a credentials object in an answer, pointing into it:
 * the token is "Token" from the metadata services and "SessionToken"
 * from STS (token_key). The secret and the token are registered for
 * redaction here, before any message could quote them. */
typedef struct {
  const char *akid, *secret, *token, *expiration;
} aws_creds_fields;
void aws_creds_fields_read(const cJSON *o, const char *token_key,
                           aws_creds_fields *f);
/* Whether AWS_CONTAINER_CREDENTIALS_FULL_URI may be used, judged on the
 * host libcurl's URL parser finds: https anywhere, plain http only to the
 * loopback or the container agent (botocore's rule: a token must not
 * travel in clear across a network), no userinfo. On XD_OK *out is curl's
 * normalised URL (caller frees); on failure e says why, without the URL. */
xd_rc aws_container_url(const char *url, char **out, xd_err *e);
/* aws_container_url as a yes/no, for tests. */
bool aws_container_url_ok(const char *url);
/* Whether the run should stop (interrupt or deadline). */
bool aws_ctx_stopping(const aws_ctx *c);

/* ---- HTTP (http.c) ---- */

typedef struct {
  const char *method;
  const char *url;
  const aws_header *headers; size_t n_headers;
  const void *body; size_t body_len;
  double timeout_ms;         /* the whole exchange */
  long connect_timeout_ms;
  bool metadata;             /* a link-local metadata service: no proxy */
} aws_http_req;

typedef struct {
  long status;
  xd_buf body;
  char request_id[128];      /* x-amzn-RequestId / x-amz-request-id */
  char error_type[160];      /* x-amzn-ErrorType (JSON services) */
} aws_http_resp;

/* One exchange in flight on an easy handle (errbuf must stay put while
 * it runs: keep x where it does not move). */
typedef struct {
  aws_ctx *c;
  aws_http_resp *resp;
  bool too_big;
  struct curl_slist *headers;
  long timeout_ms;
  char errbuf[CURL_ERROR_SIZE];
  char host[256];
} aws_http_xfer;

/* Set h up for r (resp initialised here); on failure everything is
 * released. aws_http_result() reads the outcome of curl's code cc,
 * aws_http_xfer_end() releases what the exchange held (and resp, when rc
 * is not XD_OK). */
xd_rc aws_http_setup(aws_ctx *c, CURL *h, const aws_http_req *r,
                     aws_http_resp *resp, aws_http_xfer *x, xd_err *e);
xd_rc aws_http_result(CURL *h, aws_http_xfer *x, CURLcode cc, xd_err *e);
void aws_http_xfer_end(CURL *h, aws_http_xfer *x, aws_http_resp *resp,
                       xd_rc rc);

/* One exchange on c's handle. XD_E_NET / XD_E_TIMEOUT for transport
 * failures (message names the host), XD_E_INTERRUPTED; an HTTP error
 * status is XD_OK with resp->status set. resp is initialised here; free
 * it with aws_http_resp_free(). */
xd_rc aws_http_do(aws_ctx *c, const aws_http_req *r, aws_http_resp *resp,
                  xd_err *e);
void aws_http_resp_free(aws_http_resp *resp);
/* Whether a transport failure is worth another try. */
bool aws_http_retryable(xd_rc rc);
/* Sleep ms milliseconds in small steps, stopping early (false) when c is
 * interrupted. */
bool aws_sleep_ms(aws_ctx *c, double ms);

/* ---- endpoints (endpoint.c) ---- */

typedef struct {
  const char *id;            /* "ec2", "emr", "sagemaker", "sts", "iam" */
  const char *env;           /* AWS_ENDPOINT_URL_<env> */
  const char *signing_name;  /* "elasticmapreduce" for EMR */
} aws_service;

/* The service named id, or NULL. */
const aws_service *aws_service_find(const char *id);
/* The URL (malloc'ed, without trailing '/') and signing region for a
 * service in region: --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>,
 * AWS_ENDPOINT_URL, the profile's endpoint_url, else the regional default
 * (IAM: the partition's global endpoint, signed for us-east-1). */
xd_rc aws_endpoint(aws_ctx *c, const aws_service *s, const char *region,
                   char **url, char signing_region[32], xd_err *e);
/* Whether url is an http(s) URL we may send requests to. */
bool aws_endpoint_url_ok(const char *url);

/* ---- signed API calls and their errors (request.c, error.c) ---- */

typedef struct {
  const char *service;       /* aws_service id */
  const char *region;
  aws_creds_provider *creds;
} aws_target;

typedef struct {
  long status;               /* HTTP status; 0 when no answer */
  char code[128];            /* "AccessDenied", "Throttling", ... */
  char message[1024];        /* AWS's message, control characters removed */
  char request_id[128];
} aws_api_error;

/* Call operation op with body (already serialised for the protocol; for
 * the query protocol content_type is the form type and amz_target NULL).
 * Signs with t->creds, sends it as a job on c's multi handle, which
 * retries throttling, 5xx and transport errors as botocore's standard
 * mode does (retry.c; the call's budget and the run's deadline bound it),
 * renews expired temporary credentials once. On success out has the
 * answer body. XD_E_AWS with *ae filled when AWS refused; e's message then
 * names the call, the code, AWS's message and a hint. With c->cache a
 * request made before is answered from its outcome; while c->planning one
 * not answered yet is AWS_E_PENDING (recorded, not sent). */
xd_rc aws_request(aws_ctx *c, const aws_target *t, const char *op,
                  const char *content_type, const char *amz_target,
                  const char *body, size_t body_len, xd_buf *out,
                  aws_api_error *ae, xd_err *e);

/* Fill ae from an error answer (XML of EC2 or AWS query, or JSON). */
void aws_error_parse(const aws_http_resp *resp, aws_api_error *ae);
/* Whether the error is throttling or transient (worth a retry). */
bool aws_error_retryable(const aws_api_error *ae);
/* Whether the error says IAM refused the call (AccessDenied and kin). */
bool aws_error_denied(const aws_api_error *ae);
/* Whether the error says the credentials have expired. */
bool aws_error_expired(const aws_api_error *ae);
/* Append a hint for a person to b: what the code means and what to
 * check, for this service and operation. */
void aws_error_hint(const char *service, const char *op,
                    const aws_api_error *ae, xd_buf *b);
/* The sentence for an AccessDenied answer of sts:AssumeRole on role_arn:
 * names the role and the caller and says whether the trust policy, the
 * caller's permission, an SCP or a boundary is at fault, as far as AWS's
 * message tells. */
void aws_error_assume_role(const char *role_arn, const aws_api_error *ae,
                           xd_buf *b);
/* Copy s into dst (size n) with control characters replaced by '?'. */
void aws_clean_text(char *dst, size_t n, const char *s);

/* ---- jobs on the multi handle (multi.c) ---- */

typedef struct aws_job aws_job;

/* What one signed request is: the service, its URL and signing region,
 * the operation (for messages), the body and the credentials it is
 * signed with (copied). */
typedef struct {
  const aws_service *s;
  const char *service_id, *op;
  const char *url, *sreg;
  const char *content_type, *amz_target;
  const char *body; size_t body_len;
  const aws_creds *cr;
} aws_job_req;

/* The job for r: the one already made for the same request (same URL,
 * target, body and access key) when c->cache is set and fresh is not,
 * else a new one, queued. NULL when out of memory. */
aws_job *aws_job_get(aws_ctx *c, const aws_job_req *r, bool fresh);
/* Whether j has its outcome. */
bool aws_job_done(const aws_job *j);
/* Send the queued jobs, at most c->concurrency at a time, retrying as
 * retry.c says, until until has its outcome (NULL: until every job has
 * one, or a batch's answers are in and the rest are late: waiting about
 * as long again as the first answer took). An
 * interrupt ends every transfer (XD_E_INTERRUPTED). */
xd_rc aws_multi_run(aws_ctx *c, aws_job *until, xd_err *e);
/* j's outcome: the answer body into out (XD_OK), or the failure in ae
 * and e. */
xd_rc aws_job_outcome(const aws_job *j, xd_buf *out, aws_api_error *ae,
                      xd_err *e);
/* Forget j when the outcomes are not kept (c->cache unset). */
void aws_job_drop(aws_ctx *c, aws_job *j);
/* Release every job and handle (aws_ctx_free). */
void aws_multi_free(aws_ctx *c);

/* ---- query protocol (query.c): EC2, IAM, STS ---- */

/* Form parameters, percent-encoded as botocore does. */
typedef struct {
  xd_buf b;
} aws_params;

void aws_params_init(aws_params *p);
void aws_params_add(aws_params *p, const char *key, const char *value);
void aws_params_free(aws_params *p);

typedef struct {
  const char *in_token;      /* request parameter: "NextToken", "Marker" */
  const char *out_token;     /* answer key: "NextToken", "Marker" */
  const char *more;          /* answer key that says more pages follow
                                ("IsTruncated"), or NULL */
  const char *const *keys;   /* the result keys merged over pages, NULL-ended */
  const char *const *first;  /* botocore's non_aggregate_keys: kept from the
                                first page, after the result keys (null
                                when absent), NULL-ended; may be NULL */
} aws_pager;

/* Fetch one page of a call into *out (the caller's to delete): the first
 * when token is NULL, else the one after token, sent as token_name. */
typedef xd_rc (*aws_page_fn)(void *arg, const char *token_name,
                             const char *token, cJSON **out, xd_err *e);

/* Follow pg's tokens through fetch(arg, ...) to the last page and merge
 * the pages into *out as the CLI does (only the result keys remain). A
 * repeated token or endless pages are XD_E_PARSE naming t's service and
 * op. (pages.c) */
xd_rc aws_pages(const aws_target *t, const char *op, const aws_pager *pg,
                aws_page_fn fetch, void *arg, cJSON **out, xd_err *e);

/* Call a query-protocol operation and convert its XML answer(s) with model
 * into the AWS CLI's JSON. With pg, follow the tokens to the end and merge
 * the pages as the CLI does (only the result keys remain). */
xd_rc aws_query_call(aws_ctx *c, const aws_target *t, const char *action,
                     const char *version, const aws_params *params,
                     const aws_pager *pg, cJSON **out, aws_api_error *ae,
                     xd_err *e);

/* ---- JSON 1.1 protocol (jsonrpc.c): EMR, SageMaker ---- */

/* Call prefix.op with input (NULL for {}); with pg, follow the token to
 * the end and merge pages. The answer is kept as AWS sent it (as the CLI
 * prints it), apart from the merge. */
xd_rc aws_json_call(aws_ctx *c, const aws_target *t, const char *prefix,
                    const char *op, const cJSON *input, const aws_pager *pg,
                    cJSON **out, aws_api_error *ae, xd_err *e);

/* ---- services ---- */

#define AWS_EC2_VERSION "2016-11-15"
#define AWS_STS_VERSION "2011-06-15"
#define AWS_IAM_VERSION "2010-05-08"

typedef struct {
  char account[16];
  char arn[512];
} aws_identity;

/* sts:GetCallerIdentity with t's credentials. */
xd_rc aws_sts_caller(aws_ctx *c, const aws_target *t, aws_identity *id,
                     aws_api_error *ae, xd_err *e);
/* sts:AssumeRole; the new credentials go to *out (strings malloc'ed,
 * secrets registered). */
xd_rc aws_sts_assume_role(aws_ctx *c, const aws_target *t,
                          const char *role_arn, const char *session_name,
                          const char *external_id, aws_creds *out,
                          aws_api_error *ae, xd_err *e);

/* An EC2 describe call with optional filters (name, value pairs as
 * "Name=value,value"), paged when the CLI pages it. */
xd_rc aws_ec2_call(aws_ctx *c, const aws_target *t, const char *action,
                   const aws_params *params, cJSON **out, aws_api_error *ae,
                   xd_err *e);
/* iam:GetAccountAuthorizationDetails (roles and policies), all pages. */
xd_rc aws_iam_auth_details(aws_ctx *c, const aws_target *t, cJSON **out,
                           aws_api_error *ae, xd_err *e);
/* An EMR call (ListClusters and ListInstances are paged by Marker). */
xd_rc aws_emr_call(aws_ctx *c, const aws_target *t, const char *op,
                   const cJSON *input, cJSON **out, aws_api_error *ae,
                   xd_err *e);
/* A SageMaker call (ListDomains is paged by NextToken). */
xd_rc aws_sagemaker_call(aws_ctx *c, const aws_target *t, const char *op,
                         const cJSON *input, cJSON **out, aws_api_error *ae,
                         xd_err *e);

/* A Route 53 Resolver call (ListResolverRules and
 * ListResolverRuleAssociations are paged by NextToken). (route53resolver.c) */
xd_rc aws_route53resolver_call(aws_ctx *c, const aws_target *t,
                               const char *op, const cJSON *input,
                               cJSON **out, aws_api_error *ae, xd_err *e);

/* ---- output (jsonout.c) ---- */

/* item as the AWS CLI prints JSON (json.dumps, indent 4, UTF-8 kept) with
 * a trailing newline, into b. */
xd_rc aws_json_cli_print(const cJSON *item, xd_buf *b);

#endif
