/* tests/fuzz/fuzz_aws_json.c: the JSON 1.1 answers of EMR and SageMaker,
 * the way fetch treats them: parsed and required to be an object (as
 * aws/jsonrpc.c does), printed as the AWS CLI prints it
 * (aws_json_cli_print), and, for the describe calls, written into the
 * working snapshot where the loader and the whole analysis read it
 * (fuzz_base.h): what fetch writes, analyze must read. The ids that fetch
 * turns into file names (Clusters[].Id, Domains[].DomainId,
 * SecurityConfiguration names) must never pass fx_safe_name with a '/'
 * in them. For the list calls, the input is also cut into pages (at
 * "\n--\n") that aws_pages follows and merges as the CLI's paginator
 * does. The bytes are also read as a JSON error answer. The first byte
 * picks the operation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/fetch.h"
#include "aws/internal.h"
#include "common/jsonutil.h"
#include "fuzz_base.h"
#include "fuzz_util.h"

static const struct {
  const char *service, *op;
  int file;            /* index in analyze_files.txt, or -1 */
  const char *list, *id; /* where fetch finds the ids it names files by */
} ops[] = {
  {"emr", "DescribeCluster", 16, NULL, NULL},
  {"emr", "ListInstances", 17, NULL, NULL},
  {"emr", "DescribeSecurityConfiguration", 18, NULL, NULL},
  {"sagemaker", "DescribeDomain", 19, NULL, NULL},
  {"emr", "ListClusters", -1, "Clusters", "Id"},
  {"sagemaker", "ListDomains", -1, "Domains", "DomainId"},
};
#define N_OPS (sizeof(ops) / sizeof(ops[0]))

static void names(const cJSON *doc, const char *list, const char *id)
{
  const cJSON *it;
  cJSON_ArrayForEach(it, xd_json_array(doc, list)) {
    const char *s = xd_json_str(it, id);
    if(fx_safe_name(s) && (strchr(s, '/') || !strcmp(s, "..") ||
                           !strcmp(s, ".")))
      abort();
  }
}

/* Paged answers: the input holds the pages one after the other, split
 * at "\n--\n"; aws_pages asks for them in turn, as it asks the network. */
#define PAGE_SEP "\n--\n"

typedef struct {
  const char *p, *end;
  int asked;
} pages_src;

static xd_rc next_page(void *arg, const char *token_name, const char *token,
                       cJSON **out, xd_err *e)
{
  pages_src *s = arg;
  const char *sep;
  size_t n;
  xd_rc rc;
  (void)token_name;
  *out = NULL;
  /* a token on the first call, or none after it, is a bug in aws_pages */
  if((s->asked++ == 0) != (token == NULL))
    abort();
  if(s->p > s->end)
    return xd_fail(e, XD_E_NET, "no more pages");
  sep = memmem(s->p, (size_t)(s->end - s->p), PAGE_SEP, strlen(PAGE_SEP));
  n = sep ? (size_t)(sep - s->p) : (size_t)(s->end - s->p);
  rc = xd_json_parse_text("page", s->p, n, out, e);
  s->p = sep ? sep + strlen(PAGE_SEP) : s->end + 1;
  if(rc == XD_OK && !cJSON_IsObject(*out)) { /* as jsonrpc.c */
    cJSON_Delete(*out);
    *out = NULL;
    rc = xd_fail(e, XD_E_PARSE, "page is not a JSON object");
  }
  return rc;
}

static void paged(const uint8_t *data, size_t size, const char *service,
                  const char *op, const char *list, const char *id)
{
  static const char *const clusters[] = {"Clusters", NULL};
  static const char *const domains[] = {"Domains", NULL};
  static const char *const roles[] = {"RoleDetailList", "Policies", NULL};
  static const char *const rules[] = {"ResolverRules", NULL};
  static const char *const max_results[] = {"MaxResults", NULL};
  const aws_pager pgs[] = {
    {"Marker", "Marker", NULL, clusters, NULL},
    {"NextToken", "NextToken", NULL, domains, NULL},
    {"Marker", "Marker", "IsTruncated", roles, NULL},
    {"NextToken", "NextToken", NULL, rules, max_results},
  };
  aws_target t = {service, "us-east-1", NULL};
  pages_src src = {(const char *)data, (const char *)data + size, 0};
  cJSON *doc = NULL;
  xd_err e = {0};
  const aws_pager *pg = &pgs[!strcmp(service, "emr") ? 0 : size % 3 + 1];
  if(aws_pages(&t, op, pg, next_page, &src, &doc, &e) != XD_OK) {
    if(!e.msg[0] || doc)
      abort();
    return;
  }
  if(!cJSON_IsObject(doc))
    abort();
  names(doc, list, id);
  cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  size_t k;
  cJSON *doc = NULL, *back = NULL;
  xd_err e = {0};
  xd_buf text;
  aws_http_resp resp;
  aws_api_error ae;
  if(size < 1)
    return 0;
  k = data[0] % N_OPS;
  data++;
  size--;

  memset(&resp, 0, sizeof(resp));
  xd_buf_init(&resp.body);
  if(xd_buf_append(&resp.body, data, size) == XD_OK) {
    resp.status = 400;
    aws_error_parse(&resp, &ae);
    if(!memchr(ae.code, 0, sizeof(ae.code)) ||
       !xd_utf8_valid(ae.message, strlen(ae.message), NULL))
      abort();
  }
  aws_http_resp_free(&resp);

  if(ops[k].list)
    paged(data, size, ops[k].service, ops[k].op, ops[k].list, ops[k].id);

  if(xd_json_parse_text("answer", (const char *)data, size, &doc, &e)
     != XD_OK) {
    if(!e.msg[0])
      abort();
    return 0;
  }
  if(!cJSON_IsObject(doc)) { /* jsonrpc.c refuses it here */
    cJSON_Delete(doc);
    return 0;
  }
  if(ops[k].list)
    names(doc, ops[k].list, ops[k].id);
  xd_buf_init(&text);
  if(aws_json_cli_print(doc, &text) == XD_OK) {
    if(xd_json_parse_text("printed", text.data ? text.data : "", text.len,
                          &back, &e) != XD_OK) {
      fprintf(stderr, "what fetch would write does not parse: %s\n", e.msg);
      abort();
    }
    if(ops[k].file >= 0) {
      fz_base_replace((size_t)ops[k].file, text.data, text.len);
      fz_base_analyze(NULL, 0);
      fz_base_restore((size_t)ops[k].file);
    }
  }
  cJSON_Delete(back);
  cJSON_Delete(doc);
  xd_buf_free(&text);
  return 0;
}
