/* common/wipe.h: secrets out of memory and out of core files. A plain
 * memset before free is a dead store the compiler may drop at -O2; these
 * use explicit_bzero, which it may not. */
#ifndef XD_WIPE_H
#define XD_WIPE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"

/* Overwrite n bytes at p with zeros, surely. NULL is fine. */
void xd_wipe(void *p, size_t n);
/* Wipe the string s (up to its NUL) and free it. NULL is fine. */
void xd_wipe_free(char *s);
/* Wipe the whole allocation of b (cap bytes, not only len) and free it;
 * b is left empty. For buffers that held credentials or tokens. */
void xd_buf_wipe_free(xd_buf *b);
/* Wipe every string of the parsed answer j (keys, tokens) and delete it.
 * NULL is fine. */
void xd_json_wipe_delete(cJSON *j);
/* From now on this process writes no core file and cannot be attached to
 * by another process of the same user (PR_SET_DUMPABLE 0, RLIMIT_CORE 0):
 * called before the first credential is read, and kept for the run. */
void xd_no_core_dumps(void);

#endif
