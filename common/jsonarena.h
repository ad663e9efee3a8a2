/* common/jsonarena.h: a cJSON tree whose nodes and strings live in an
 * arena. A snapshot holds millions of JSON values; cJSON's parser makes two
 * or three malloc() calls for each and cJSON_Delete() as many free() calls,
 * which was most of the time `analyze` spent loading an organisation. This
 * parser builds the same tree (the same cJSON structs, read with cJSON's
 * accessors) in one pass, with the UTF-8, NUL and depth checks of
 * xd_json_parse_text() folded in, and frees it with the arena.
 *
 * It accepts exactly what xd_json_parse_text() accepts, with the same tree:
 * whatever it does not take on its fast path (bad input, and the odd valid
 * text it leaves to cJSON) goes through xd_json_parse_text(), so an error
 * message is that function's, word for word. */
#ifndef XD_JSONARENA_H
#define XD_JSONARENA_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "xd_error.h"

/* Parse text of n bytes (label names it in errors, as in
 * xd_json_parse_text) into a tree allocated in a; *out is NULL on error.
 * The tree is freed with the arena: never cJSON_Delete() it or any of its
 * nodes, and never delete its members (cJSON_DeleteItemFrom...). Reading,
 * detaching (cJSON_DetachItem...) and cJSON_Duplicate() are fine. */
xd_rc xd_json_parse_arena(const char *label, const char *text, size_t n,
                          xd_arena *a, cJSON **out, xd_err *e);

/* A copy of item j and everything under it (not its siblings) in a, or
 * NULL when out of memory. */
cJSON *xd_json_copy_arena(const cJSON *j, xd_arena *a);

#endif
