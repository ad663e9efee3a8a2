/* tests/aws/aws_creds_tool.c: resolve what a run would use, and print it
 * (secrets only as SHA-256) for tests/aws/creds_chain.py.
 *
 * aws_creds_tool [--region R] [--profile P] [--endpoint-url U]
 *                [--endpoints-only] [--assume ROLE_ARN]
 * stdout: {"source", "akid", "secret_sha256", "token_sha256", "expiration",
 *          "fetches", "region", "endpoints": {svc: [url, signing region]}}
 *         or {"error": "..."} with exit status 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../aws/internal.h"
#include "../../common/jsonutil.h"

static void add_hash(cJSON *o, const char *key, const char *s)
{
  char hex[65];
  if(!s) {
    cJSON_AddNullToObject(o, key);
    return;
  }
  aws_sha256_hex(s, strlen(s), hex);
  cJSON_AddStringToObject(o, key, hex);
}

int main(int argc, char **argv)
{
  aws_options opt;
  aws_ctx *c = NULL;
  aws_creds_provider *p = NULL;
  const aws_creds *cr;
  xd_err e = {0};
  cJSON *out = cJSON_CreateObject(), *eps = cJSON_CreateObject();
  const char *assume = NULL;
  bool only_endpoints = false;
  static const char *const svcs[] = {"ec2", "emr", "sagemaker", "sts", "iam"};
  char *text;
  int rc = 0;

  memset(&opt, 0, sizeof(opt));
  for(int i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "--region") && i + 1 < argc)
      opt.region = argv[++i];
    else if(!strcmp(argv[i], "--profile") && i + 1 < argc)
      opt.profile = argv[++i];
    else if(!strcmp(argv[i], "--endpoint-url") && i + 1 < argc)
      opt.endpoint_url = argv[++i];
    else if(!strcmp(argv[i], "--assume") && i + 1 < argc)
      assume = argv[++i];
    else if(!strcmp(argv[i], "--endpoints-only"))
      only_endpoints = true;
  }
  if(aws_ctx_new(&opt, &c, &e) != XD_OK)
    goto fail;
  xd_json_add_str(out, "region", aws_ctx_region(c));
  for(size_t i = 0; i < sizeof(svcs) / sizeof(svcs[0]); i++) {
    char *url = NULL, sreg[32];
    cJSON *pair;
    if(aws_endpoint(c, aws_service_find(svcs[i]),
                    aws_ctx_region(c) ? aws_ctx_region(c) : "us-east-1", &url,
                    sreg, &e) != XD_OK)
      goto fail;
    pair = cJSON_CreateArray();
    cJSON_AddItemToArray(pair, cJSON_CreateString(url));
    cJSON_AddItemToArray(pair, cJSON_CreateString(sreg));
    cJSON_AddItemToObject(eps, svcs[i], pair);
    free(url);
  }
  cJSON_AddItemToObject(out, "endpoints", eps);
  eps = NULL;
  if(!only_endpoints) {
    if(aws_creds_default(c, &p, &e) != XD_OK)
      goto fail;
    if(assume && aws_creds_assume_role(c, p, assume, "SageMakerStudioUser",
                                       NULL, aws_ctx_region(c), &p, &e) != XD_OK)
      goto fail;
    if(aws_creds_get(c, p, false, &cr, &e) != XD_OK)
      goto fail;
    xd_json_add_str(out, "source", aws_creds_source(p));
    xd_json_add_str(out, "akid", cr->access_key_id);
    add_hash(out, "secret_sha256", cr->secret_key);
    add_hash(out, "token_sha256", cr->session_token);
    cJSON_AddNumberToObject(out, "expiration", (double)cr->expiration);
    cJSON_AddNumberToObject(out, "fetches", aws_creds_fetches(p));
  }
  goto print;
fail:
  cJSON_Delete(out);
  out = cJSON_CreateObject();
  xd_json_add_str(out, "error", e.msg);
  rc = 3;
print:
  cJSON_Delete(eps);
  text = cJSON_PrintUnformatted(out);
  puts(text);
  free(text);
  cJSON_Delete(out);
  aws_ctx_free(c);
  return rc;
}
