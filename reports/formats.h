/* reports/formats.h: the renderers behind rp_render(), one file each.
 * Private to reports/. */
#ifndef RP_FORMATS_H
#define RP_FORMATS_H

#include "report.h"

xd_rc rp_render_text(const cJSON *r, const rp_options *o, xd_buf *out, xd_err *e);
xd_rc rp_render_json(const cJSON *r, const rp_options *o, xd_buf *out, xd_err *e);
xd_rc rp_render_html(const cJSON *r, const rp_options *o, xd_buf *out, xd_err *e);
xd_rc rp_render_prometheus(const cJSON *r, const rp_options *o, xd_buf *out,
                           xd_err *e);
xd_rc rp_render_junit(const cJSON *r, const rp_options *o, xd_buf *out,
                      xd_err *e);

#endif
