/* tests/fuzz/fuzz_util.h: what the harnesses share: a private temporary
 * folder removed at exit, copies of fixture folders, whole-file writes and
 * the render of a result in every format. Every helper aborts on a setup
 * failure: that is a broken harness, not a finding, and must not pass
 * silently. */
#ifndef FZ_UTIL_H
#define FZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* The libFuzzer entry point every harness defines (the driver of the
 * regression tests calls it too). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A new folder under $TMPDIR (or /tmp) named for tag, removed with all it
 * holds when the process exits. The string is static storage. */
const char *fz_tmpdir(const char *tag);
/* Copy the folder src (regular files and folders) to dst, which must not
 * exist. */
void fz_copy_tree(const char *src, const char *dst);
/* Write n bytes to path (replacing it), making parent folders. */
void fz_write(const char *path, const void *data, size_t n);
/* The whole file at path, NUL-terminated (length in *n, may be NULL). */
char *fz_read(const char *path, size_t *n);
/* Render result in every format with several option sets; abort if a
 * renderer fails for any reason but memory, or emits an empty document. */
void fz_render_all(const cJSON *result);

#endif
