/* common/jsonutil.h: cJSON with the errors a person can act on. Outside JSON
 * is checked for valid UTF-8 first, and a parse error names the file, line
 * and column. Accessors return NULL/false for a missing key or a value of
 * the wrong type, so loaders can treat unknown fields as absent. */
#ifndef XD_JSONUTIL_H
#define XD_JSONUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "xd_error.h"

/* Nesting deeper than this is refused before cJSON recurses into it. */
#define XD_JSON_MAX_DEPTH 256

/* Whether s[0..n) is valid UTF-8 (no overlongs, no surrogates); on false,
 * *bad gets the offset of the first bad byte. */
bool xd_utf8_valid(const char *s, size_t n, size_t *bad);
/* Replace, in every key and string of the tree j (and its siblings),
 * each byte that is not part of valid UTF-8 with U+FFFD: what a probed
 * server sent (headers, certificate names) goes into files we must be
 * able to read back. XD_E_NOMEM when out of memory. */
xd_rc xd_json_utf8_repair(cJSON *j);
/* The 1-based line and column of byte offset off in text. */
void xd_line_col(const char *text, size_t off, int *line, int *col);

/* Parse text of n bytes; label names it in errors ("file.json"). */
xd_rc xd_json_parse_text(const char *label, const char *text, size_t n,
                         cJSON **out, xd_err *e);
/* Read and parse a file (size-limited); errors name the file and line. */
xd_rc xd_json_parse_file(const char *path, cJSON **out, xd_err *e);

/* The string value of key in obj, or NULL. */
const char *xd_json_str(const cJSON *obj, const char *key);
/* The number at key as a long in *out; false if absent/not integral. */
bool xd_json_long(const cJSON *obj, const char *key, long *out);
/* The boolean at key; false if absent or not a boolean. */
bool xd_json_bool(const cJSON *obj, const char *key, bool *out);
/* The array (or object) at key, or NULL when absent or another type. */
const cJSON *xd_json_array(const cJSON *obj, const char *key);
const cJSON *xd_json_object(const cJSON *obj, const char *key);
/* Follow a path of object keys ("Ec2InstanceAttributes", "Ec2SubnetId",
 * NULL) and return the item, or NULL. */
const cJSON *xd_json_path(const cJSON *obj, ...);

/* Add a string member, or JSON null when s is NULL; false when out of
 * memory. */
bool xd_json_add_str(cJSON *obj, const char *key, const char *s);

/* Serialise pretty (fmt) or compact, with a trailing newline; malloc'ed. */
char *xd_json_print(const cJSON *item, bool fmt);

#endif
