/* aws/sigv4.h: AWS Signature Version 4 (header form), as botocore's
 * SigV4Auth computes it, so a request we sign verifies wherever a botocore
 * one does. Used by the client (aws/request.c) and by the test tool that
 * compares us with botocore on generated requests. */
#ifndef AWS_SIGV4_H
#define AWS_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "../common/buf.h"
#include "../common/xd_error.h"

typedef struct {
  const char *name;
  const char *value;
} aws_header;

typedef struct {
  const char *method;          /* "POST", "GET", ... (upper-cased) */
  const char *url;             /* absolute, percent-encoded as sent */
  const aws_header *headers;   /* as sent, without X-Amz-Date,
                                  X-Amz-Security-Token, Authorization */
  size_t n_headers;
  const void *body;            /* may be NULL when body_len is 0 */
  size_t body_len;
  const char *region;          /* signing region ("us-east-1") */
  const char *service;         /* signing name ("ec2", "elasticmapreduce") */
  const char *access_key_id;
  const char *secret_key;
  const char *session_token;   /* NULL or "" for long-term keys */
  time_t when;                 /* the signing time (UTC) */
} aws_sigv4_req;

typedef struct {
  char amz_date[17];           /* X-Amz-Date: "20260101T000000Z" */
  xd_buf authorization;        /* the Authorization header value */
  xd_buf canonical_request;    /* for --verbose debugging and tests */
  xd_buf string_to_sign;
} aws_sigv4_out;

/* Sign r. The caller sends X-Amz-Date = out->amz_date, the session token (if
 * any) as X-Amz-Security-Token, and out->authorization as Authorization, in
 * addition to the headers in r (a Host header is derived from the URL when r
 * has none, as botocore does). out's buffers are initialised here and must
 * be released with aws_sigv4_out_free(). XD_E_INVALID for a URL that is not
 * absolute. */
xd_rc aws_sigv4_sign(const aws_sigv4_req *r, aws_sigv4_out *out, xd_err *e);

/* Release the buffers of out. */
void aws_sigv4_out_free(aws_sigv4_out *out);

/* The Host header botocore would sign for url (lower case, the default
 * port left out), appended to b. XD_E_INVALID when url is not absolute. */
xd_rc aws_sigv4_host(const char *url, xd_buf *b, xd_err *e);

/* Lower-case hex SHA-256 of data into hex (65 bytes). */
void aws_sha256_hex(const void *data, size_t len, char hex[65]);

/* Append s percent-encoded the way SigV4 and the query protocol want:
 * unreserved (A-Z a-z 0-9 - _ . ~) as is, every other byte %XX upper-case;
 * '/' is kept when keep_slash. */
xd_rc aws_uri_encode(xd_buf *b, const char *s, size_t len, int keep_slash);

#endif
