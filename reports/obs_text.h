/* reports/obs_text.h: an observations document (`probe`, schema
 * xacct-doctor.observations/1) as text for a terminal. Like every
 * renderer it reads the document and nothing else. */
#ifndef RP_OBS_TEXT_H
#define RP_OBS_TEXT_H

#include <cjson/cJSON.h>

#include "../common/buf.h"
#include "../common/xd_error.h"
#include "report.h"

/* Append the text rendering of obs to out: a summary line, then DNS, TCP,
 * TLS, HTTP, the Studio client pre-check and captured flows, each section
 * only when it has entries. Every string from the network is made safe for
 * a terminal. o may be NULL (no colour). XD_E_NOMEM when out of memory. */
xd_rc rp_render_obs_text(const cJSON *obs, const rp_options *o, xd_buf *out,
                         xd_err *e);

#endif
