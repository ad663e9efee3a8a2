/* aws/endpoint.c: where each service answers. The override names are
 * botocore's: AWS_ENDPOINT_URL_<service id upper-cased, spaces as '_'>
 * (EMR's service id is "EMR", so AWS_ENDPOINT_URL_EMR), then
 * AWS_ENDPOINT_URL, then the profile's endpoint_url;
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores all but
 * --endpoint-url, as in the CLI. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const aws_service services[] = {
  {"ec2", "EC2", "ec2"},
  {"emr", "EMR", "elasticmapreduce"},
  {"sagemaker", "SAGEMAKER", "sagemaker"},
  {"sts", "STS", "sts"},
  {"iam", "IAM", "iam"},
  /* botocore service id "Route53Resolver" */
  {"route53resolver", "ROUTE53RESOLVER", "route53resolver"},
};

const aws_service *aws_service_find(const char *id)
{
  for(size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
    if(!strcmp(services[i].id, id))
      return &services[i];
  return NULL;
}

bool aws_endpoint_url_ok(const char *url)
{
  const char *host;
  if(!url)
    return false;
  if(!strncasecmp(url, "https://", 8))
    host = url + 8;
  else if(!strncasecmp(url, "http://", 7))
    host = url + 7;
  else
    return false;
  return *host && *host != '/' && !strpbrk(url, " \t\r\n\"<>\\^`{|}");
}

static bool truthy(const char *v)
{
  return v && !strcasecmp(v, "true");
}

/* The partition's DNS suffix for a region. */
static const char *dns_suffix(const char *region)
{
  if(!strncmp(region, "cn-", 3))
    return "amazonaws.com.cn";
  return "amazonaws.com";
}

static xd_rc default_url(const aws_service *s, const char *region, xd_buf *b,
                         char signing_region[32])
{
  const char *suffix = dns_suffix(region);
  snprintf(signing_region, 32, "%s", region);
  if(!strcmp(s->id, "iam")) {
    /* IAM is global: one endpoint per partition, signed for its home
     * region */
    if(!strncmp(region, "cn-", 3)) {
      xd_buf_puts(b, "https://iam.cn-north-1.amazonaws.com.cn");
      snprintf(signing_region, 32, "cn-north-1");
    }
    else if(!strncmp(region, "us-gov-", 7)) {
      xd_buf_puts(b, "https://iam.us-gov.amazonaws.com");
      snprintf(signing_region, 32, "us-gov-west-1");
    }
    else {
      xd_buf_puts(b, "https://iam.amazonaws.com");
      snprintf(signing_region, 32, "us-east-1");
    }
  }
  else if(!strcmp(s->id, "emr"))
    xd_buf_printf(b, "https://elasticmapreduce.%s.%s", region, suffix);
  else if(!strcmp(s->id, "sagemaker"))
    xd_buf_printf(b, "https://api.sagemaker.%s.%s", region, suffix);
  else
    xd_buf_printf(b, "https://%s.%s.%s", s->id, region, suffix);
  return b->failed ? XD_E_NOMEM : XD_OK;
}

xd_rc aws_endpoint(aws_ctx *c, const aws_service *s, const char *region,
                   char **url, char signing_region[32], xd_err *e)
{
  xd_buf b;
  char env[64];
  const char *over = NULL, *from = NULL;
  xd_rc rc;

  *url = NULL;
  if(!region || !*region)
    return xd_fail(e, XD_E_USAGE,
                   "no AWS Region for %s: give --region, set AWS_REGION, or "
                   "set region in the profile", s->id);
  xd_buf_init(&b);
  if(c->endpoint_url) {
    over = c->endpoint_url;
    from = "--endpoint-url";
  }
  else if(!truthy(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
    snprintf(env, sizeof(env), "AWS_ENDPOINT_URL_%s", s->env);
    if(getenv(env) && *getenv(env)) {
      over = getenv(env);
      from = env;
    }
    else if(getenv("AWS_ENDPOINT_URL") && *getenv("AWS_ENDPOINT_URL")) {
      over = getenv("AWS_ENDPOINT_URL");
      from = "AWS_ENDPOINT_URL";
    }
    else if(aws_profile_get(&c->profiles, c->profile, "endpoint_url")) {
      over = aws_profile_get(&c->profiles, c->profile, "endpoint_url");
      from = "the profile's endpoint_url";
    }
  }
  if(over) {
    size_t l = strlen(over);
    if(!aws_endpoint_url_ok(over))
      return xd_fail(e, XD_E_USAGE,
                     "%s: '%s' is not an http:// or https:// URL", from, over);
    while(l && over[l - 1] == '/')
      l--;
    xd_buf_append(&b, over, l);
    /* with an override the region still decides the signature, except
     * for IAM whose signing region is that of its partition */
    snprintf(signing_region, 32, "%s", region);
    if(!strcmp(s->id, "iam")) {
      char ignored[32];
      xd_buf tmp;
      xd_buf_init(&tmp);
      default_url(s, region, &tmp, ignored);
      snprintf(signing_region, 32, "%s", ignored);
      xd_buf_free(&tmp);
    }
    rc = b.failed ? XD_E_NOMEM : XD_OK;
  }
  else
    rc = default_url(s, region, &b, signing_region);
  if(rc != XD_OK) {
    xd_buf_free(&b);
    return xd_fail(e, rc, "out of memory");
  }
  *url = xd_buf_steal(&b);
  return *url ? XD_OK : xd_fail(e, XD_E_NOMEM, "out of memory");
}
