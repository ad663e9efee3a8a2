/* common/urlenc.h: percent-decoding (RFC 3986 %XX), as IAM policy
 * documents arrive from the raw API. */
#ifndef XD_URLENC_H
#define XD_URLENC_H

#include <stdbool.h>
#include <stddef.h>

#include "xd_error.h"

/* Percent-decode s into a malloc'ed, NUL-terminated copy (*out, the
 * caller's to free; its length in *n, which counts any NUL that %00 put
 * inside). '+' stays '+', as botocore's unquote does. A '%' not followed
 * by two hex digits is XD_E_PARSE with its offset in *bad when strict,
 * and is kept as it is otherwise (urllib's unquote). XD_E_NOMEM when out
 * of memory. *out is NULL on any error; n and bad may be NULL. */
xd_rc xd_url_decode(const char *s, bool strict, char **out, size_t *n,
                    size_t *bad);

#endif
