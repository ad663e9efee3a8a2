#include <string.h>

#include "../common/jsonutil.h"
#include "formats.h"

/* A first text rendering: the verdict, what was loaded, the findings and
 * each path's hops. The reports issue (#8) refines it (colour, --quiet
 * perfdata, hop tables). */
xd_rc rp_render_text(const cJSON *r, const rp_options *o, xd_buf *out, xd_err *e)
{
  const cJSON *f, *p, *meta = xd_json_object(r, "meta"), *loaded;
  const char *status = xd_json_str(r, "status");
  int nf = cJSON_GetArraySize(xd_json_array(r, "findings"));
  (void)e;
  xd_buf_printf(out, "xacct-doctor: %s (%d finding%s)\n",
                status ? status : "unknown", nf, nf == 1 ? "" : "s");
  if(o && o->quiet)
    return XD_OK;
  loaded = meta ? xd_json_object(meta, "loaded") : NULL;
  if(loaded) {
    const cJSON *it;
    xd_buf_puts(out, "\nLoaded:");
    cJSON_ArrayForEach(it, loaded)
      if(cJSON_IsNumber(it))
        xd_buf_printf(out, " %s %d", it->string, it->valueint);
    xd_buf_puts(out, "\n");
  }
  if(nf)
    xd_buf_puts(out, "\nFindings:\n");
  cJSON_ArrayForEach(f, xd_json_array(r, "findings")) {
    const cJSON *ev;
    const char *rem = xd_json_str(f, "remediation");
    xd_buf_printf(out, "  [%s] %s %s\n      %s\n", xd_json_str(f, "severity"),
                  xd_json_str(f, "code"), xd_json_str(f, "resource"),
                  xd_json_str(f, "message"));
    cJSON_ArrayForEach(ev, xd_json_array(f, "evidence"))
      if(cJSON_IsString(ev))
        xd_buf_printf(out, "      - %s\n", ev->valuestring);
    if(rem)
      xd_buf_printf(out, "      fix: %s\n", rem);
  }
  cJSON_ArrayForEach(p, xd_json_array(r, "paths")) {
    const cJSON *from = xd_json_object(p, "from"), *to = xd_json_object(p, "to");
    const cJSON *h;
    long port = 0;
    xd_json_long(to, "port", &port);
    xd_buf_printf(out, "\nPath %s %s -> %s %s:%ld: %s\n",
                  xd_json_str(from, "side"), xd_json_str(from, "ip"),
                  xd_json_str(to, "side"), xd_json_str(to, "ip"), port,
                  xd_json_str(p, "verdict"));
    cJSON_ArrayForEach(h, xd_json_array(p, "hops"))
      xd_buf_printf(out, "  %-26s %-24s %-7s %s\n", xd_json_str(h, "kind"),
                    xd_json_str(h, "resource"), xd_json_str(h, "verdict"),
                    xd_json_str(h, "detail"));
  }
  return XD_OK;
}
