/* cli/cron.h: what makes xacct-doctor safe to run from cron or a systemd
 * timer: a lock so overlapping runs stay apart, a history of results with
 * bounded retention, and "what changed" since each path was last
 * reachable, written into the result so every report can show it. */
#ifndef CLI_CRON_H
#define CLI_CRON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "../common/result.h"
#include "../common/xd_error.h"
#include "cli.h"

/* The default for --history-keep. */
#define CLI_HISTORY_KEEP_DEFAULT 100

typedef struct cli_cron cli_cron;

/* Start a run: take the lock (--lock FILE; with --history and no --lock,
 * the per-user default of cli_lock_default_path, which is skipped with a
 * warning when the file there is not this user's). *out is
 * the state to hand to cli_cron_end() (NULL when nothing was locked).
 * Returns CLI_EXIT_OK, or CLI_EXIT_UNKNOWN after saying on stderr that
 * another run holds the lock (or that --lock FILE cannot be opened). */
int cli_cron_begin(const cli_opts *o, cli_cron **out);

/* With --history DIR: add the top-level "changes" array to r (see
 * cli_history_changes). Problems reading the history are warnings, never
 * a failed run. */
void cli_cron_annotate(const cli_opts *o, xd_result *r);

/* End a run: with --history DIR store r there (cli_history_store), then
 * release the lock and free c (NULL is fine). A history that cannot be
 * written is reported on stderr; the run's exit status stays the
 * diagnosis's. */
void cli_cron_end(cli_cron *c, const cli_opts *o, const xd_result *r);

/* The default lock of this user: $XDG_RUNTIME_DIR/xacct-doctor.lock when
 * that is a folder only we can write, else for root
 * /run/lock/xacct-doctor-0.lock, else ~/.cache/xacct-doctor-UID.lock,
 * else /tmp/xacct-doctor-UID.lock (which is used only if it is ours). */
void cli_lock_default_path(char *out, size_t n);

/* Take an exclusive flock on path without waiting (created 0644 if
 * absent, never through a symlink; our pid is written into it for the
 * next run's message when the file is ours, and another user's file is
 * never written). *fd is
 * the open descriptor to keep until the run ends. XD_E_PERM with a message
 * naming the holder when another process has it; XD_E_IO when the file
 * cannot be opened. */
xd_rc cli_lock_acquire(const char *path, int *fd, xd_err *e);
/* Release a lock taken by cli_lock_acquire (the file stays, as flock(1)
 * leaves it: removing it would race with the next run). */
void cli_lock_release(int fd);

/* Write result as DIR/result-<UTC time>.json (atomically; the folder is
 * made, mode 0700, when absent), then delete the oldest result files so
 * at most keep remain (keep <= 0: the default). The name written goes to
 * written (when not NULL). */
xd_rc cli_history_store(const char *dir, long keep, const cJSON *result,
                        char *written, size_t written_len, xd_err *e);

/* For each path of result that is not reachable, find the newest result
 * in DIR in which the same path (from ip, to ip, port) was reachable, and
 * compare the hops then and now. Each hop whose resource or rule changed,
 * or that is gone, becomes an entry of result's "changes" array:
 * {path:{from,to}, since:<started_at then>, hop_kind, resource, before,
 * after} (before/after null when the hop was not there / is gone). An
 * existing "changes" array is replaced. Unreadable history files are
 * skipped with a warning. */
xd_rc cli_history_changes(const char *dir, cJSON *result, xd_err *e);

#endif
