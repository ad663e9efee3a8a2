/* aws/error.c: AWS error answers made into sentences a person can act on.
 * The codes and their grouping are botocore's (retryhandler and the
 * standard retry mode), the hints are ours. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/jsonutil.h"
#include "../common/log.h"
#include "xml.h"

void aws_clean_text(char *dst, size_t n, const char *s)
{
  size_t i = 0;
  if(!n)
    return;
  for(; s && *s && i + 1 < n; s++) {
    unsigned char ch = (unsigned char)*s;
    dst[i++] = (ch < 0x20 && ch != '\t') || ch == 0x7f ? ' ' : (char)ch;
  }
  dst[i] = '\0';
  /* the text ends up in JSON (fetch-errors.json): a sequence cut at the
   * end, or invalid UTF-8 from a proxy page, must not make it invalid */
  if(s && *s) {
    size_t j = i;
    while(j > 0 && ((unsigned char)dst[j - 1] & 0xC0) == 0x80)
      j--;
    if(j > 0 && (unsigned char)dst[j - 1] >= 0xC0)
      dst[j - 1] = '\0';
  }
  if(!xd_utf8_valid(dst, strlen(dst), NULL))
    for(char *p = dst; *p; p++)
      if((unsigned char)*p >= 0x80)
        *p = '?';
}

/* "com.amazon.coral.service#ExpiredTokenException:http://..." and
 * "aws.protocoljson#ValidationException" both name the code after '#'. */
static void set_code(aws_api_error *ae, const char *t)
{
  const char *hash = strrchr(t, '#');
  size_t l;
  if(hash)
    t = hash + 1;
  l = strcspn(t, ":");
  if(l >= sizeof(ae->code))
    l = sizeof(ae->code) - 1;
  snprintf(ae->code, sizeof(ae->code), "%.*s", (int)l, t);
  aws_clean_text(ae->code, sizeof(ae->code), ae->code);
}

/* AWS's message, redacted whole before it is cut to size: a secret an
 * answer quotes back must not survive as a cut-off prefix */
static void set_message_n(aws_api_error *ae, const char *m, size_t max)
{
  char *full = strdup(m);
  if(!full) {
    ae->message[0] = '\0';
    return;
  }
  xd_log_redact(full);
  if(strlen(full) > max)
    full[max] = '\0';
  aws_clean_text(ae->message, sizeof(ae->message), full);
  free(full);
}

static void set_message(aws_api_error *ae, const char *m)
{
  set_message_n(ae, m, sizeof(ae->message) - 1);
}

static bool parse_xml_error(const aws_http_resp *resp, aws_api_error *ae)
{
  aws_xml_node *root = NULL;
  const aws_xml_node *err, *n;
  xd_err e;
  if(aws_xml_parse(resp->body.data, resp->body.len, &root, &e) != XD_OK)
    return false;
  /* EC2: Response/Errors/Error; query: ErrorResponse/Error */
  err = aws_xml_find(root, "Error");
  if(!err)
    err = root;
  if((n = aws_xml_child(err, "Code")) != NULL)
    set_code(ae, n->text);
  if((n = aws_xml_child(err, "Message")) != NULL)
    set_message(ae, n->text);
  if((n = aws_xml_find(root, "RequestId")) != NULL ||
     (n = aws_xml_find(root, "RequestID")) != NULL)
    aws_clean_text(ae->request_id, sizeof(ae->request_id), n->text);
  aws_xml_free(root);
  return ae->code[0] != '\0';
}

static bool parse_json_error(const aws_http_resp *resp, aws_api_error *ae)
{
  cJSON *doc = NULL;
  xd_err e;
  const char *t, *m;
  if(xd_json_parse_text("error", resp->body.data, resp->body.len, &doc, &e)
     != XD_OK)
    return false;
  t = xd_json_str(doc, "__type");
  if(!t)
    t = xd_json_str(doc, "code");
  if(!t)
    t = xd_json_str(doc, "Code");
  if(t)
    set_code(ae, t);
  m = xd_json_str(doc, "message");
  if(!m)
    m = xd_json_str(doc, "Message");
  if(m)
    set_message(ae, m);
  cJSON_Delete(doc);
  return ae->code[0] != '\0';
}

void aws_error_parse(const aws_http_resp *resp, aws_api_error *ae)
{
  const char *b = resp->body.data ? resp->body.data : "";
  memset(ae, 0, sizeof(*ae));
  ae->status = resp->status;
  aws_clean_text(ae->request_id, sizeof(ae->request_id), resp->request_id);
  while(*b == ' ' || *b == '\n' || *b == '\r' || *b == '\t')
    b++;
  if(*b == '<')
    parse_xml_error(resp, ae);
  else if(*b == '{')
    parse_json_error(resp, ae);
  if(resp->error_type[0] && !ae->code[0])
    set_code(ae, resp->error_type);
  if(!ae->code[0]) {
    /* a proxy or load balancer page: keep the status and a little text */
    snprintf(ae->code, sizeof(ae->code), "HTTP%ld", resp->status);
    set_message_n(ae, b, 200);
  }
}

static bool code_in(const char *code, const char *const *list)
{
  for(; *list; list++)
    if(!strcmp(code, *list))
      return true;
  return false;
}

bool aws_error_retryable(const aws_api_error *ae)
{
  static const char *const codes[] = {
    "Throttling", "ThrottlingException", "ThrottledException",
    "RequestThrottledException", "TooManyRequestsException",
    "ProvisionedThroughputExceededException", "TransactionInProgressException",
    "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
    "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException",
    "IDPCommunicationError", "InternalError", "InternalFailure",
    "ServiceUnavailable", "InternalServerError", NULL};
  if(ae->status == 429 || ae->status == 500 || ae->status == 502 ||
     ae->status == 503 || ae->status == 504)
    return true;
  return code_in(ae->code, codes);
}

bool aws_error_expired(const aws_api_error *ae)
{
  /* EC2 says RequestExpired for an expired session token (and for a
   * clock far off, which renewing cannot fix but does not hurt) */
  static const char *const codes[] = {"ExpiredToken", "ExpiredTokenException",
                                      "TokenRefreshRequired", "RequestExpired",
                                      NULL};
  return code_in(ae->code, codes);
}

/* The codes with which the services say IAM refused the call. */
static const char *const denied_codes[] = {
  "AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
  "UnauthorizedAccess", "AuthorizationError", NULL};

bool aws_error_denied(const aws_api_error *ae)
{
  return code_in(ae->code, denied_codes);
}

void aws_error_hint(const char *service, const char *op,
                    const aws_api_error *ae, xd_buf *b)
{
  const char *perm = !strcmp(service, "emr") ? "elasticmapreduce" : service;
  if(code_in(ae->code, denied_codes))
    xd_buf_printf(b, " The credentials in use lack %s:%s (check the "
                  "identity policy, permissions boundary and any SCP).",
                  perm, op);
  else if(!strcmp(ae->code, "InvalidClientTokenId") ||
          !strcmp(ae->code, "UnrecognizedClientException") ||
          !strcmp(ae->code, "AuthFailure"))
    xd_buf_puts(b, " AWS does not know this access key id: it is wrong, "
                "deleted, or belongs to another partition (or, for "
                "temporary credentials, the session token is missing).");
  else if(!strcmp(ae->code, "SignatureDoesNotMatch") ||
          !strcmp(ae->code, "IncompleteSignature"))
    xd_buf_puts(b, " The secret key does not belong to the access key id "
                "(or the clock is far off).");
  else if(aws_error_expired(ae))
    xd_buf_puts(b, " The session token has expired (or this machine's clock "
                "is far off): get fresh credentials.");
  else if(!strcmp(ae->code, "OptInRequired") ||
          !strcmp(ae->code, "SubscriptionRequiredException"))
    xd_buf_puts(b, " The account is not subscribed to this service or "
                "Region.");
  else if(!strcmp(ae->code, "InvalidAction") ||
          !strcmp(ae->code, "UnknownOperationException"))
    xd_buf_puts(b, " The endpoint does not know this operation: is "
                "--endpoint-url pointing at the right service?");
}

/* Copy the word after marker in msg into dst ("User: <arn> is not"). */
static void word_after(const char *msg, const char *marker, char *dst,
                       size_t n)
{
  const char *p = strstr(msg, marker);
  size_t l;
  dst[0] = '\0';
  if(!p)
    return;
  p += strlen(marker);
  l = strcspn(p, " \t,");
  while(l && (p[l - 1] == '.' || p[l - 1] == ';'))
    l--;
  snprintf(dst, n, "%.*s", (int)l, p);
}

void aws_error_assume_role(const char *role_arn, const aws_api_error *ae,
                           xd_buf *b)
{
  char caller[512];
  const char *m = ae->message;
  const char *role_acct = role_arn;
  char acct[16] = "";
  word_after(m, "User: ", caller, sizeof(caller));
  /* arn:aws:iam::222222222222:role/NAME: the fifth field */
  for(int i = 0; i < 4 && role_acct; i++) {
    role_acct = strchr(role_acct, ':');
    if(role_acct)
      role_acct++;
  }
  if(role_acct)
    snprintf(acct, sizeof(acct), "%.*s", (int)strcspn(role_acct, ":"),
             role_acct);
  xd_buf_printf(b, "sts:AssumeRole on %s was refused (%s)", role_arn,
                ae->code);
  if(caller[0])
    xd_buf_printf(b, " for %s", caller);
  xd_buf_puts(b, ". ");
  if(strstr(m, "no identity-based policy allows"))
    xd_buf_printf(b, "The caller's own policies lack sts:AssumeRole on %s: "
                  "add an identity-based policy statement that allows it "
                  "(the role's trust policy was not the stated reason).",
                  role_arn);
  else if(strstr(m, "explicit deny in an identity-based policy"))
    xd_buf_puts(b, "An identity-based policy of the caller explicitly "
                "denies sts:AssumeRole on this role.");
  else if(strstr(m, "service control policy"))
    xd_buf_puts(b, "A service control policy (AWS Organizations) denies "
                "sts:AssumeRole: change the SCP, not the role.");
  else if(strstr(m, "resource control policy"))
    xd_buf_puts(b, "A resource control policy (AWS Organizations) denies "
                "it: change the RCP, not the role.");
  else if(strstr(m, "permissions boundary"))
    xd_buf_puts(b, "The caller's permissions boundary does not allow "
                "sts:AssumeRole on this role.");
  else if(strstr(m, "session policy"))
    xd_buf_puts(b, "The caller's session policy does not allow "
                "sts:AssumeRole on this role.");
  else if(strstr(m, "resource-based policy"))
    xd_buf_printf(b, "The trust policy of %s does not allow the caller: add "
                  "it (or arn:aws:iam::<studio-account>:root) as a Principal "
                  "with Action sts:AssumeRole.", role_arn);
  else
    xd_buf_printf(b, "AWS's answer does not say which side refused: either "
                  "the trust policy of %s (in account %s) does not allow the "
                  "caller, or the caller's own policies lack sts:AssumeRole "
                  "on it, or the role does not exist. Across accounts both "
                  "grants are needed; check the trust policy first (aws iam "
                  "get-role --role-name %s --query "
                  "Role.AssumeRolePolicyDocument, in account %s).",
                  role_arn, acct[0] ? acct : "?",
                  strrchr(role_arn, '/') ? strrchr(role_arn, '/') + 1 : role_arn,
                  acct[0] ? acct : "?");
  if(ae->message[0])
    xd_buf_printf(b, " AWS said: %s", ae->message);
}
