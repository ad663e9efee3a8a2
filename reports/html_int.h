/* reports/html_int.h: the parts of the HTML report, one file each, so no
 * file grows past what a reader can hold. Private to reports/html*.c.
 *
 * Every string taken from the result goes through h() or h_max() (HTML
 * escaping); the only raw text written is this code's own markup. */
#ifndef RP_HTML_INT_H
#define RP_HTML_INT_H

#include <cjson/cJSON.h>

#include "../common/buf.h"
#include "escape.h"

/* Escaped text from the result. */
static inline void h(xd_buf *out, const char *s)
{
  rp_html_escape(out, s);
}

/* Escaped and cut to max characters (with "…"). */
static inline void h_max(xd_buf *out, const char *s, size_t max)
{
  rp_html_escape_max(out, s, max);
}

/* The "paths" section: summary table, then per path an SVG diagram of the
 * hops with the deciding one marked, and the hop table. */
void rp_html_paths(xd_buf *out, const cJSON *r);

/* The "probes" section: DNS, TCP, TLS and HTTP tables of every side, and
 * any other observation (the Studio client's pre-check). */
void rp_html_probes(xd_buf *out, const cJSON *r);

/* The "flows" section: the capture timeline of each flow from both sides
 * (SVG) and its table. */
void rp_html_flows(xd_buf *out, const cJSON *r);

/* Any JSON value as escaped text: objects as nested lists, arrays joined
 * with commas; depth is the nesting so far (deep values are cut). For
 * members the contract does not name, shown rather than dropped. */
void rp_html_generic(xd_buf *out, const cJSON *v, int depth);

/* A number with the given decimals, or "–" when the member is absent. */
void rp_html_num(xd_buf *out, const cJSON *obj, const char *key, int decimals);

/* A small badge: <span class="badge cls">text</span>, text escaped. */
void rp_html_badge(xd_buf *out, const char *cls, const char *text);

#endif
