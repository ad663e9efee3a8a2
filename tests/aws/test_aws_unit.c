/* tests/aws/test_aws_unit.c: the small pieces of aws/ one by one: the
 * published SigV4 vectors, error answers of each protocol and the
 * sentences made from them, the XML parser's refusals, policy decoding,
 * the CLI's JSON printing, profile files, names of snapshot files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../aws/fetch.h"
#include "../../aws/internal.h"
#include "../../aws/shapes.h"
#include "../../aws/xml.h"
#include "../../common/log.h"
#include "../../common/urlenc.h"
#include "check.h"

static void sigv4_vectors(void)
{
  /* get-vanilla and post-vanilla of the AWS SigV4 test suite */
  aws_header h[1] = {{"Host", "example.amazonaws.com"}};
  aws_sigv4_req r;
  aws_sigv4_out o;
  xd_err e = {0};
  memset(&r, 0, sizeof(r));
  r.method = "GET";
  r.url = "https://example.amazonaws.com/";
  r.headers = h;
  r.n_headers = 1;
  r.region = "us-east-1";
  r.service = "service";
  r.access_key_id = "AKIDEXAMPLE";
  r.secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  r.when = 1440938160; /* 2015-08-30T12:36:00Z */
  CHECK(aws_sigv4_sign(&r, &o, &e) == XD_OK);
  CHECK_STR(o.amz_date, "20150830T123600Z");
  CHECK_STR(xd_buf_str(&o.authorization),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
            "service/aws4_request, SignedHeaders=host;x-amz-date, Signature="
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  aws_sigv4_out_free(&o);
  r.method = "POST";
  CHECK(aws_sigv4_sign(&r, &o, &e) == XD_OK);
  CHECK_CONTAINS(xd_buf_str(&o.authorization),
                 "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  aws_sigv4_out_free(&o);
  r.url = "not-a-url";
  CHECK(aws_sigv4_sign(&r, &o, &e) == XD_E_INVALID);
}

static void uri_encoding(void)
{
  xd_buf b;
  xd_buf_init(&b);
  aws_uri_encode(&b, "a b/~c=d%\xc3\xbc", 11, 0);
  CHECK_STR(xd_buf_str(&b), "a%20b%2F~c%3Dd%25%C3%BC");
  xd_buf_reset(&b);
  aws_uri_encode(&b, "/x y/", 5, 1);
  CHECK_STR(xd_buf_str(&b), "/x%20y/");
  xd_buf_free(&b);
}

/* aws_error_parse() on an answer of status with body (and etype as
 * x-amzn-ErrorType). */
static void parse_answer(long status, const char *body, const char *etype,
                         aws_api_error *ae)
{
  aws_http_resp r;
  memset(&r, 0, sizeof(r));
  xd_buf_init(&r.body);
  xd_buf_puts(&r.body, body);
  r.status = status;
  snprintf(r.error_type, sizeof(r.error_type), "%s", etype ? etype : "");
  aws_error_parse(&r, ae);
  aws_http_resp_free(&r);
}

static void error_answers(void)
{
  aws_api_error ae;

  parse_answer(503, "<?xml version=\"1.0\"?><Response><Errors><Error><Code>"
               "RequestLimitExceeded</Code><Message>Request limit exceeded."
               "</Message></Error></Errors><RequestID>abc-1</RequestID>"
               "</Response>", NULL, &ae);
  CHECK_STR(ae.code, "RequestLimitExceeded");
  CHECK_STR(ae.message, "Request limit exceeded.");
  CHECK_STR(ae.request_id, "abc-1");
  CHECK(aws_error_retryable(&ae));

  parse_answer(403, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/"
               "2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied"
               "</Code><Message>no\nway</Message></Error><RequestId>r-2"
               "</RequestId></ErrorResponse>", NULL, &ae);
  CHECK_STR(ae.code, "AccessDenied");
  CHECK_STR(ae.message, "no way");
  CHECK_STR(ae.request_id, "r-2");
  CHECK(!aws_error_retryable(&ae));

  parse_answer(400, "{\"__type\":\"com.amazonaws.sagemaker#ResourceNotFound:"
               "http://internal.amazon.com/\",\"Message\":\"gone\"}",
               NULL, &ae);
  CHECK_STR(ae.code, "ResourceNotFound");
  CHECK_STR(ae.message, "gone");

  parse_answer(400, "", "ThrottlingException:http://x", &ae);
  CHECK_STR(ae.code, "ThrottlingException");
  CHECK(aws_error_retryable(&ae));

  parse_answer(502, "<html>Bad Gateway</html>", NULL, &ae);
  CHECK_STR(ae.code, "HTTP502");
  CHECK(aws_error_retryable(&ae));

  snprintf(ae.code, sizeof(ae.code), "RequestExpired");
  ae.status = 400;
  CHECK(aws_error_expired(&ae));
  CHECK(!aws_error_retryable(&ae));
}

static void assume_role_sentences(void)
{
  static const char *role = "arn:aws:iam::222222222222:role/emr-discovery";
  static const char *base = "User: arn:aws:sts::111111111111:assumed-role/"
                            "Exec/SageMaker is not authorized to perform: "
                            "sts:AssumeRole on resource: "
                            "arn:aws:iam::222222222222:role/emr-discovery";
  struct {
    const char *tail, *want;
  } cases[] = {
    {"", "does not say which side"},
    {" because no identity-based policy allows the sts:AssumeRole action",
     "caller's own policies lack sts:AssumeRole"},
    {" with an explicit deny in a service control policy",
     "service control policy"},
    {" because no resource-based policy allows the sts:AssumeRole action",
     "trust policy of arn:aws:iam::222222222222:role/emr-discovery does not "
     "allow"},
    {" with an explicit deny in a permissions boundary",
     "permissions boundary"},
    {" with an explicit deny in an identity-based policy",
     "explicitly denies"},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    aws_api_error ae;
    xd_buf b;
    memset(&ae, 0, sizeof(ae));
    snprintf(ae.code, sizeof(ae.code), "AccessDenied");
    snprintf(ae.message, sizeof(ae.message), "%s%s", base, cases[i].tail);
    xd_buf_init(&b);
    aws_error_assume_role(role, &ae, &b);
    CHECK_CONTAINS(xd_buf_str(&b), role);
    CHECK_CONTAINS(xd_buf_str(&b), "arn:aws:sts::111111111111:assumed-role/"
                                   "Exec/SageMaker");
    CHECK_CONTAINS(xd_buf_str(&b), cases[i].want);
    xd_buf_free(&b);
  }
}

static void text_cleaning(void)
{
  char out[8];
  aws_clean_text(out, sizeof(out), "a\x01" "b\x7f");
  CHECK_STR(out, "a b ");
  /* a 2-byte character cut at the end goes entirely */
  aws_clean_text(out, sizeof(out), "abcdef\xc3\xbc" "zz");
  CHECK_STR(out, "abcdef");
  aws_clean_text(out, sizeof(out), "ab\xff");
  CHECK_STR(out, "ab?");
}

static void policies(void)
{
  cJSON *j = aws_policy_decode("%7B%22a%22%3A%5B1%2C%22x+y%22%5D%7D");
  char *s = cJSON_PrintUnformatted(j);
  CHECK_STR(s, "{\"a\":[1,\"x+y\"]}");
  free(s);
  cJSON_Delete(j);
  j = aws_policy_decode("not%20json");
  CHECK(cJSON_IsString(j) && !strcmp(j->valuestring, "not%20json"));
  cJSON_Delete(j);
}

/* The decoder aws/shapes.c shares with the snapshot loader: lenient as
 * urllib for answers, strict (naming the bad escape) for files. */
static void url_decoding(void)
{
  char *d = NULL;
  size_t n = 0, bad = 99;
  CHECK_INT(xd_url_decode("a%2Bb+%41%00z", true, &d, &n, &bad), XD_OK);
  CHECK(d && n == 7 && !memcmp(d, "a+b+A\0z", 8));
  free(d);
  CHECK_INT(xd_url_decode("ab%4", true, &d, &n, &bad), XD_E_PARSE);
  CHECK(d == NULL && bad == 2);
  CHECK_INT(xd_url_decode("%%41", true, &d, NULL, &bad), XD_E_PARSE);
  CHECK(d == NULL && bad == 0);
  CHECK_INT(xd_url_decode("%%41%x%4", false, &d, &n, NULL), XD_OK);
  CHECK_STR(d, "%A%x%4");
  CHECK_INT(n, 6);
  free(d);
}

static void xml_refusals(void)
{
  aws_xml_node *root = NULL;
  xd_err e = {0};
  const char *bomb =
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">"
      "<!ENTITY b \"&a;&a;&a;&a;\">]><x>&b;</x>";
  xd_buf deep;
  const char *ok = "<R xmlns=\"urn:x\"><a>t<b>u</b>v</a><c/></R>";

  CHECK(aws_xml_parse(bomb, strlen(bomb), &root, &e) == XD_E_PARSE);
  CHECK_CONTAINS(e.msg, "DOCTYPE");
  xd_buf_init(&deep);
  for(int i = 0; i < 100; i++)
    xd_buf_puts(&deep, "<a>");
  for(int i = 0; i < 100; i++)
    xd_buf_puts(&deep, "</a>");
  CHECK(aws_xml_parse(deep.data, deep.len, &root, &e) == XD_E_PARSE);
  CHECK_CONTAINS(e.msg, "deeper");
  xd_buf_free(&deep);
  CHECK(aws_xml_parse("<a><b></a>", 10, &root, &e) == XD_E_PARSE);
  CHECK_CONTAINS(e.msg, "line 1");
  CHECK(aws_xml_parse(ok, strlen(ok), &root, &e) == XD_OK);
  CHECK_STR(root->name, "R");
  CHECK_STR(aws_xml_child(root, "a")->text, "t");
  CHECK_STR(aws_xml_find(root, "b")->text, "u");
  CHECK_STR(aws_xml_child(root, "c")->text, "");
  CHECK(aws_xml_child(root, "zz") == NULL);
  aws_xml_free(root);
}

static void cli_json(void)
{
  const char *in = "{\"a\":[],\"b\":{},\"c\":[1,2.5,-3,\"x\\\"y\\n\",true,"
                   "null,1700000000.123],\"d\":{\"e\":\"\xc3\xbc\\u0001\"}}";
  const char *want =
      "{\n    \"a\": [],\n    \"b\": {},\n    \"c\": [\n        1,\n"
      "        2.5,\n        -3,\n        \"x\\\"y\\n\",\n        true,\n"
      "        null,\n        1700000000.123\n    ],\n    \"d\": {\n"
      "        \"e\": \"\xc3\xbc\\u0001\"\n    }\n}\n";
  cJSON *j = cJSON_Parse(in);
  xd_buf b;
  xd_buf_init(&b);
  CHECK(aws_json_cli_print(j, &b) == XD_OK);
  CHECK_STR(xd_buf_str(&b), want);
  xd_buf_free(&b);
  cJSON_Delete(j);
}

static void profile_files(void)
{
  char dir[] = "/tmp/xd-aws-unit-XXXXXX", cfg[256], crd[256];
  FILE *f;
  aws_profiles ps;
  xd_err e = {0};
  CHECK(mkdtemp(dir) != NULL);
  snprintf(cfg, sizeof(cfg), "%s/config", dir);
  snprintf(crd, sizeof(crd), "%s/credentials", dir);
  f = fopen(cfg, "w");
  fputs("# comment\n[default]\nregion = eu-west-1\n; other\n"
        "[profile dev]\nRegion=us-west-2\ns3 =\n  max = 1\nrole_arn: arn:x\n"
        "[profile \"quoted\"]\noutput = json\n[sso-session x]\nk = v\n", f);
  fclose(f);
  f = fopen(crd, "w");
  fputs("[dev]\naws_access_key_id = AKID\r\naws_secret_access_key = S/+=\n", f);
  fclose(f);
  setenv("AWS_CONFIG_FILE", cfg, 1);
  setenv("AWS_SHARED_CREDENTIALS_FILE", crd, 1);
  CHECK(aws_profiles_load(&ps, &e) == XD_OK);
  CHECK_STR(aws_profile_get(&ps, "default", "region"), "eu-west-1");
  CHECK_STR(aws_profile_get(&ps, "dev", "region"), "us-west-2");
  CHECK_STR(aws_profile_get(&ps, "dev", "role_arn"), "arn:x");
  CHECK_STR(aws_profile_get(&ps, "dev", "aws_access_key_id"), "AKID");
  CHECK_STR(aws_profile_get(&ps, "dev", "aws_secret_access_key"), "S/+=");
  CHECK(aws_profile_get(&ps, "dev", "max") == NULL);
  CHECK_STR(aws_profile_get(&ps, "quoted", "output"), "json");
  CHECK(!aws_profile_exists(&ps, "x"));
  aws_profiles_free(&ps);
  f = fopen(cfg, "w");
  fputs("[default]\nno equals sign here\n", f);
  fclose(f);
  CHECK(aws_profiles_load(&ps, &e) == XD_E_PARSE);
  CHECK_CONTAINS(e.msg, ":2:");
  unlink(cfg);
  unlink(crd);
  rmdir(dir);
  unsetenv("AWS_CONFIG_FILE");
  unsetenv("AWS_SHARED_CREDENTIALS_FILE");
}

static void urls_and_names(void)
{
  char stem[128];
  CHECK(aws_container_url_ok("http://127.0.0.1:8080/creds"));
  CHECK(aws_container_url_ok("http://127.1.2.3/x"));
  CHECK(aws_container_url_ok("http://169.254.170.23/v1/credentials"));
  CHECK(aws_container_url_ok("http://[fd00:ec2::23]/v1/credentials"));
  CHECK(aws_container_url_ok("https://user-less.example.com:8443/x"));
  /* issue 13 item 1: the host curl uses, not the text before ':' */
  CHECK(!aws_container_url_ok("http://127.0.0.1:80@10.0.0.1:8999/creds"));
  CHECK(!aws_container_url_ok("http://[::1]@10.0.0.1/creds"));
  CHECK(!aws_container_url_ok("http://169.254.170.2@10.0.0.1/"));
  CHECK(!aws_container_url_ok("http://user:pw@127.0.0.1/x"));
  CHECK(!aws_container_url_ok("https://user@creds.example.com/x"));
  CHECK(!aws_container_url_ok("http://localhost/x"));
  CHECK(!aws_container_url_ok("http://169.254.170.3/x"));
  CHECK(!aws_container_url_ok("http://[fd00:ec2::24]/x"));
  CHECK(!aws_container_url_ok("http://[::ffff:10.0.0.1]/x"));
  CHECK(!aws_container_url_ok("127.0.0.1/x"));
  CHECK(aws_container_url_ok("http://[::1]:9/x"));
  CHECK(aws_container_url_ok("http://169.254.170.2/v2/credentials"));
  CHECK(aws_container_url_ok("https://creds.example.com/x"));
  CHECK(!aws_container_url_ok("http://10.0.0.1/x"));
  CHECK(!aws_container_url_ok("http://127.0.0.1.evil.example/x"));
  CHECK(!aws_container_url_ok("ftp://127.0.0.1/x"));
  CHECK(aws_endpoint_url_ok("http://127.0.0.1:1/"));
  CHECK(!aws_endpoint_url_ok("http:///x"));
  CHECK(!aws_endpoint_url_ok("file:///etc/passwd"));
  CHECK(!aws_endpoint_url_ok("https://a b"));
  fx_stem("ec2", "DescribeVpcPeeringConnections", stem, sizeof(stem));
  CHECK_STR(stem, "ec2-describe-vpc-peering-connections");
  fx_stem("iam", "GetAccountAuthorizationDetails", stem, sizeof(stem));
  CHECK_STR(stem, "iam-get-account-authorization-details");
  CHECK(fx_safe_name("vpc-0abc"));
  CHECK(fx_safe_name("sc_kerberos.v2"));
  CHECK(!fx_safe_name("../etc"));
  CHECK(!fx_safe_name("a/b"));
  CHECK(!fx_safe_name("sc kerberos"));
  CHECK(!fx_safe_name(""));
}

static void redaction_before_cut(void)
{
  /* a secret an answer quotes back is masked even when the message is
   * longer than the record keeps */
  static char secret[] = "SECRETSECRETSECRETSECRET0123456789";
  aws_api_error ae;
  xd_buf body;
  xd_log_add_secret(secret);
  xd_buf_init(&body);
  xd_buf_puts(&body, "{\"__type\":\"AccessDenied\",\"message\":\"");
  for(int i = 0; i < 1010; i++)
    xd_buf_putc(&body, 'x');
  xd_buf_printf(&body, "%s\"}", secret);
  parse_answer(403, xd_buf_str(&body), NULL, &ae);
  CHECK(strstr(ae.message, "SECRETSE") == NULL);
  xd_buf_free(&body);
}

/* Two Resolver pages: the result keys concatenated, the first page's
 * MaxResults kept after them (botocore's non_aggregate_keys), the token
 * dropped; a first page without MaxResults gives null, as jmespath does. */
typedef struct {
  const char *const *pages;
  int at;
} page_src;

static xd_rc next_page(void *arg, const char *token_name, const char *token,
                       cJSON **out, xd_err *e)
{
  page_src *s = arg;
  (void)token_name;
  (void)token;
  *out = cJSON_Parse(s->pages[s->at++]);
  return *out ? XD_OK : xd_fail(e, XD_E_PARSE, "bad page");
}

/* The pages merged as ListResolverRules' pager does, as compact JSON (the
 * caller frees); NULL when aws_pages fails. */
static char *merged(const char *const *pages)
{
  static const char *const keys[] = {"ResolverRules", NULL};
  static const char *const first[] = {"MaxResults", NULL};
  aws_pager pg = {"NextToken", "NextToken", NULL, keys, first};
  aws_target t = {"route53resolver", "us-east-1", NULL};
  page_src s = {pages, 0};
  cJSON *doc = NULL;
  char *text = NULL;
  xd_err e = {0};
  if(aws_pages(&t, "ListResolverRules", &pg, next_page, &s, &doc, &e) ==
     XD_OK)
    text = cJSON_PrintUnformatted(doc);
  cJSON_Delete(doc);
  return text;
}

static void non_aggregate_keys(void)
{
  static const char *const two[] = {
    "{\"MaxResults\":2,\"NextToken\":\"2\",\"ResolverRules\":[1,2]}",
    "{\"MaxResults\":2,\"ResolverRules\":[3]}"};
  static const char *const bare[] = {"{\"ResolverRules\":[]}"};
  char *text = merged(two);
  CHECK(text != NULL);
  CHECK_STR(text ? text : "", "{\"ResolverRules\":[1,2,3],\"MaxResults\":2}");
  free(text);
  text = merged(bare);
  CHECK(text != NULL);
  CHECK_STR(text ? text : "", "{\"ResolverRules\":[],\"MaxResults\":null}");
  free(text);
}

int main(void)
{
  sigv4_vectors();
  uri_encoding();
  error_answers();
  assume_role_sentences();
  text_cleaning();
  policies();
  url_decoding();
  xml_refusals();
  cli_json();
  profile_files();
  urls_and_names();
  redaction_before_cut();
  non_aggregate_keys();
  return CHECK_DONE();
}
