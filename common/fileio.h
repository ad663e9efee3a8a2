/* common/fileio.h: reading outside files with limits, and writing outputs
 * atomically (temp file, fsync, rename) so that cron, a crash or Ctrl-C never
 * leaves a half-written report where a whole one is expected. */
#ifndef XD_FILEIO_H
#define XD_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "xd_error.h"

/* The largest outside file we read (a snapshot file, a result, a policy).
 * Larger files are refused with a clear error rather than exhausting memory. */
#define XD_MAX_INPUT_FILE ((size_t)64 * 1024 * 1024)

/* Read the whole regular file at path (at most max bytes) into a malloc'ed,
 * NUL-terminated buffer in *out (length in *len, may be NULL). A directory,
 * a device or an over-large file is an error naming the path. */
xd_rc xd_file_read(const char *path, size_t max, char **out, size_t *len,
                   xd_err *e);

/* Write len bytes to path atomically: a temporary file beside it, fsync,
 * rename, fsync of the folder. On failure nothing is left behind and an
 * existing file at path is untouched. path "-" writes to stdout; a device
 * or FIFO (/dev/null) is written in place (see xd_out_open). */
xd_rc xd_file_write_atomic(const char *path, const void *data, size_t len,
                           xd_err *e);

/* An output written in pieces (a listen with 200,000 flows need not hold
 * them all) that appears at its path only when whole: the same temporary
 * file, fsync and rename as xd_file_write_atomic. "-" is stdout, written
 * as it comes. open, write..., then commit (which also cleans up) or
 * abort (removes the temporary file; fine to call twice). A path that
 * is not a regular file (/dev/null, a FIFO) is written in place, never
 * replaced. */
typedef struct {
  int fd;
  bool to_stdout, in_place, registered;
  char path[4096], tmp[4096];
} xd_out_stream;
xd_rc xd_out_open(xd_out_stream *o, const char *path, xd_err *e);
xd_rc xd_out_write(xd_out_stream *o, const void *data, size_t len, xd_err *e);
xd_rc xd_out_commit(xd_out_stream *o, xd_err *e);
void xd_out_abort(xd_out_stream *o);

/* Whether path names an existing directory / regular file. */
bool xd_is_dir(const char *path);
bool xd_is_file(const char *path);

/* Remove dir and everything below it, never following a symbolic link
 * (a link inside is removed, not what it points to). Errors are ignored:
 * this is cleanup of a folder we made. */
void xd_remove_tree(const char *dir);

/* Temporary paths that a signal handler must remove if the run is
 * interrupted (atomic writes register theirs here). Async-signal-safe
 * removal is done by xd_tmp_cleanup_signal_safe(). */
void xd_tmp_register(const char *path);
void xd_tmp_unregister(const char *path);
void xd_tmp_cleanup_signal_safe(void);

#endif
