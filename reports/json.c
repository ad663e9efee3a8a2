#include <stdlib.h>

#include "../common/jsonutil.h"
#include "formats.h"

xd_rc rp_render_json(const cJSON *r, const rp_options *o, xd_buf *out, xd_err *e)
{
  char *s = xd_json_print(r, true);
  (void)o;
  if(!s)
    return xd_fail(e, XD_E_NOMEM, "out of memory while rendering JSON");
  xd_buf_puts(out, s);
  free(s);
  return XD_OK;
}
