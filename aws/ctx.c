/* aws/ctx.c: the context of a run: options, profile, region, the HTTP
 * handles, the providers made along the way, and the retry policy. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "../common/wipe.h"

static char *dup_or_null(const char *s)
{
  return s && *s ? strdup(s) : NULL;
}

xd_rc aws_ctx_new(const aws_options *opt, aws_ctx **out, xd_err *e)
{
  aws_ctx *c;
  const char *p, *region;
  xd_rc rc;

  *out = NULL;
  if(opt->endpoint_url && !aws_endpoint_url_ok(opt->endpoint_url))
    return xd_fail(e, XD_E_USAGE,
                   "--endpoint-url: '%s' is not an http:// or https:// URL",
                   opt->endpoint_url);
  /* credentials are about to be read: none of them in a core file */
  xd_no_core_dumps();
  c = calloc(1, sizeof(*c));
  if(!c)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  c->deadline = opt->deadline;
  c->interrupted = opt->interrupted;
  aws_retry_init(&c->retry);
  c->concurrency = opt->concurrency > 0 ? opt->concurrency
                                        : AWS_DEFAULT_CONCURRENCY;
  c->progress = opt->progress;
  c->progress_ud = opt->progress_ud;
  c->call_budget_ms = 180000;
  c->attempt_timeout_ms = 60000;
  c->connect_timeout_ms = 10000;

  p = opt->profile;
  c->profile_explicit = p && *p;
  if(!c->profile_explicit) {
    p = getenv("AWS_PROFILE");
    if(!p || !*p)
      p = getenv("AWS_DEFAULT_PROFILE");
  }
  c->profile_named = p && *p;
  c->profile = strdup(p && *p ? p : "default");
  c->endpoint_url = dup_or_null(opt->endpoint_url);
  c->curl = curl_easy_init();
  c->multi = curl_multi_init();
  if(!c->profile || (opt->endpoint_url && !c->endpoint_url) || !c->curl ||
     !c->multi) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto fail;
  }
  /* keep every connection a batch opened: the next batch reuses them */
  curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, 4 * c->concurrency);
  rc = aws_profiles_load(&c->profiles, e);
  if(rc != XD_OK)
    goto fail;
  if(c->profile_named && !aws_profile_exists(&c->profiles, c->profile)) {
    rc = xd_fail(e, XD_E_USAGE,
                 "the AWS profile '%s' is in neither %s nor %s", c->profile,
                 c->profiles.creds_path, c->profiles.config_path);
    goto fail;
  }
  region = opt->region;
  if(!region || !*region)
    region = getenv("AWS_REGION");
  if(!region || !*region)
    region = getenv("AWS_DEFAULT_REGION");
  if(!region || !*region)
    region = aws_profile_get(&c->profiles, c->profile, "region");
  c->region = dup_or_null(region);
  if(region && *region && !c->region) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto fail;
  }
  xd_log_debug("AWS profile '%s'%s, region %s", c->profile,
               c->profile_explicit ? " (--profile)" : "",
               c->region ? c->region : "(none)");
  *out = c;
  return XD_OK;
fail:
  aws_ctx_free(c);
  return rc;
}

void aws_ctx_free(aws_ctx *c)
{
  if(!c)
    return;
  for(size_t i = 0; i < c->n_providers; i++)
    aws_creds_provider_free(c->providers[i]);
  free(c->providers);
  aws_multi_free(c);
  if(c->curl)
    curl_easy_cleanup(c->curl);
  aws_profiles_free(&c->profiles);
  free(c->region);
  free(c->endpoint_url);
  free(c->profile);
  free(c);
}

const char *aws_ctx_region(const aws_ctx *c)
{
  return c->region;
}

bool aws_ctx_own(aws_ctx *c, aws_creds_provider *p)
{
  aws_creds_provider **grown =
      realloc(c->providers, (c->n_providers + 1) * sizeof(*grown));
  if(!grown) {
    aws_creds_provider_free(p);
    return false;
  }
  c->providers = grown;
  c->providers[c->n_providers++] = p;
  return true;
}

bool aws_ctx_stopping(const aws_ctx *c)
{
  return (c->interrupted && c->interrupted()) ||
         xd_deadline_passed(&c->deadline);
}
