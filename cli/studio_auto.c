/* cli/studio_auto.c: `check` with no arguments inside a Studio space.
 * The metadata file names the identity (analyzer/studio/metadata.c); this
 * file finds what only the host itself can tell: whether it is a Studio
 * app, which address its packets leave from, and whether it may capture
 * them. */
#include "studio_auto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/plan.h"
#include "../common/log.h"
#include "../probes/source.h"

static char capture_off[256];

xd_rc cli_studio_no_metadata(const char *path, xd_err *e)
{
  /* SageMaker sets these in every Studio app; sudo drops them (unless
   * -E), and then we are not in a position to tell */
  static const char *const vars[] = {"SAGEMAKER_SPACE_NAME", NULL};
  for(size_t i = 0; vars[i]; i++)
    if(getenv(vars[i]) && *getenv(vars[i]))
      return xd_fail(e, XD_E_NOTFOUND,
                     "%s: cannot be read, though %s says this is a Studio "
                     "app: without it the space, domain and account are not "
                     "known; give the intent with --config FILE (or the "
                     "metadata with --studio-metadata FILE)",
                     path, vars[i]);
  return XD_OK;
}

xd_rc cli_studio_source(const az_model *m, az_intent *in, xd_err *e)
{
  az_probe_target *t = NULL;
  size_t n = 0;
  xd_rc rc;
  if(in->studio.source_ip)
    return XD_OK; /* the intent's word */
  if((rc = az_plan_probes(m, in, &t, &n, e)) != XD_OK)
    return rc;
  for(size_t i = 0; i < n; i++) {
    char src[64];
    xd_err se = {0};
    if(!t[i].private_ip)
      continue;
    if(pr_source_address(t[i].private_ip, src, sizeof(src), &se) != XD_OK) {
      xd_log_warn("check: %s", se.msg);
      continue;
    }
    if(in->studio.source_ip) {
      if(strcmp(src, in->studio.source_ip))
        xd_log_warn("check: toward %s this host sends from %s, not %s; the "
                    "diagnosis is of %s", t[i].private_ip, src,
                    in->studio.source_ip, in->studio.source_ip);
      continue;
    }
    in->studio.source_ip = strdup(src);
    in->studio.source_ip_toward = strdup(t[i].private_ip);
    if(!in->studio.source_ip || !in->studio.source_ip_toward) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      break;
    }
    xd_log_info("check: this host sends from %s toward %s (primary node of "
                "%s); diagnosing that address", src, t[i].private_ip,
                t[i].cluster_id ? t[i].cluster_id : "?");
  }
  if(rc == XD_OK && !in->studio.source_ip && n)
    xd_log_warn("check: no local address routes toward any primary node; "
                "the domain's subnets are diagnosed");
  az_plan_free(t, n);
  return rc;
}

void cli_capture_refused(const char *why)
{
  if(capture_off[0])
    return; /* once */
  snprintf(capture_off, sizeof(capture_off), "%s", why);
  xd_log_note("running without packet capture (%s): DNS, TCP, TLS and HTTP "
              "probes and the configuration still decide; run `xacct-doctor "
              "listen` on the EMR primary node to see the packets that "
              "arrive there", why);
}

bool cli_capture_allowed(void)
{
  char why[200];
  if(pr_raw_permitted(why, sizeof(why)))
    return true;
  cli_capture_refused(why);
  return false;
}

const char *cli_capture_off(void)
{
  return capture_off[0] ? capture_off : NULL;
}
