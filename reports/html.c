#include "formats.h"

/* Completed by the reports issue (#8). */
xd_rc rp_render_html(const cJSON *r, const rp_options *o, xd_buf *out, xd_err *e)
{
  (void)r; (void)o; (void)out;
  return xd_fail(e, XD_E_USAGE, "--format html: not implemented yet");
}
