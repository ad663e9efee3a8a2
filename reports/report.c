#include "report.h"

#include <string.h>

#include "formats.h"

static const char *names[] = {"text", "json", "html", "prometheus", "junit"};

bool rp_format_parse(const char *name, rp_format *out)
{
  for(int i = 0; name && i < 5; i++)
    if(!strcmp(name, names[i])) {
      *out = (rp_format)i;
      return true;
    }
  return false;
}

const char *rp_format_name(rp_format f)
{
  return (unsigned)f < 5 ? names[f] : "text";
}

xd_rc rp_render(const cJSON *result, rp_format f, const rp_options *o,
                xd_buf *out, xd_err *e)
{
  xd_rc rc;
  switch(f) {
  case RP_TEXT: rc = rp_render_text(result, o, out, e); break;
  case RP_JSON: rc = rp_render_json(result, o, out, e); break;
  case RP_HTML: rc = rp_render_html(result, o, out, e); break;
  case RP_PROMETHEUS: rc = rp_render_prometheus(result, o, out, e); break;
  case RP_JUNIT: rc = rp_render_junit(result, o, out, e); break;
  default: return xd_fail(e, XD_E_USAGE, "unknown report format");
  }
  if(rc == XD_OK && out->failed)
    rc = xd_fail(e, XD_E_NOMEM, "out of memory while rendering");
  return rc;
}
