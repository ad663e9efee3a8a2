/* reports/escape.h: making outside strings safe for the formats that embed
 * them. Every string in a result may come from AWS or the network (a
 * security group description, a DNS answer, a certificate subject), so the
 * renderers pass each one through here, never around it. Private to
 * reports/. */
#ifndef RP_ESCAPE_H
#define RP_ESCAPE_H

#include <stddef.h>

#include "../common/buf.h"

/* Append s to out escaped for HTML text and attribute values (quoted with
 * " or '): & < > " ' become entities, and control characters other than
 * tab and newline become U+FFFD, so nothing in s can open a tag, close an
 * attribute or confuse the parser. NULL appends nothing. */
void rp_html_escape(xd_buf *out, const char *s);

/* The same for HTML, keeping at most max_chars characters (whole UTF-8
 * sequences) and ending with "…" when something was cut. */
void rp_html_escape_max(xd_buf *out, const char *s, size_t max_chars);

/* Append s escaped for XML 1.0 text and attributes: & < > " ' become
 * entities, tab/newline/carriage return become character references (so an
 * attribute keeps them), and characters XML 1.0 forbids (other C0
 * controls) become U+FFFD, so the document stays well-formed. */
void rp_xml_escape(xd_buf *out, const char *s);

/* The same for XML element content, where tab and newline stay as they
 * are (a failure message keeps its lines). */
void rp_xml_escape_text(xd_buf *out, const char *s);

/* Append s as a Prometheus label value (without the quotes): backslash,
 * double quote and newline are escaped as the text format requires. */
void rp_prom_label_escape(xd_buf *out, const char *s);

/* Append s for a terminal: control characters (including ESC, so no
 * outside string can move the cursor or change colours) become '?'. */
void rp_text_safe(xd_buf *out, const char *s);

/* The number of characters (UTF-8 sequences) in s. */
size_t rp_utf8_len(const char *s);

#endif
