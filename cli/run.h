/* cli/run.h: the steps that `check` shares with `probe` and `fetch`, so a
 * step behaves the same whichever command runs it. */
#ifndef CLI_RUN_H
#define CLI_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "../analyzer/intent.h"
#include "../aws/aws.h"
#include "../probes/capture.h"
#include "../probes/probe.h"
#include "cli.h"

/* The one privileged step of check and probe, before any file or network
 * answer is read: open the capture handle when want_capture and not
 * --no-capture (not permitted: a warning, *cap NULL), then drop root and
 * every capability whenever there is any, then check that --output,
 * --history and --pcap-out can still be written. *cap is closed and NULL
 * on failure. */
xd_rc cli_privileged_start(const cli_opts *o, bool want_capture,
                           pr_capture **cap, xd_err *e);

/* Zero *p and fill what every probe plan takes from the command line:
 * --dns-server, --timeout-ms, --identify-ms, --concurrency, the --timeout
 * deadline and the signal check. Targets and ports are the caller's. */
void cli_plan_defaults(const cli_opts *o, pr_plan *p);

/* Run plan's probes into obs, capturing the probed flows when *cap is
 * open (from cli_privileged_start): resolve, aim the capture at the
 * resolved addresses and open --pcap-out, probe, collect the flows. *cap
 * stays the caller's (it may be closed and set NULL when nothing
 * resolved). Returns what pr_session_probe returned (XD_E_TIMEOUT /
 * XD_E_INTERRUPTED leave a partial obs), or another code with e filled
 * when the run could not start. */
xd_rc cli_probe_run(const cli_opts *o, const pr_plan *plan, pr_capture **cap,
                    cJSON *obs, xd_err *e);

/* Whether what (e.g. "--output") can still be written at path now that
 * privileges may have been dropped: a temporary file is made and removed
 * in the folder (path itself when is_dir and it exists, else its parent).
 * XD_OK for NULL or "-"; otherwise an error saying which uid cannot write
 * where, and what to do instead. */
xd_rc cli_check_writable(const char *what, const char *path, bool is_dir,
                         xd_err *e);

/* Fetch the configuration of every account the intent names (in may be
 * NULL: discovery from the credentials' account) into out_dir with o's
 * AWS options. st gets the counts. */
xd_rc cli_fetch_into(const cli_opts *o, const az_intent *in,
                     const char *intent_path, const char *out_dir,
                     aws_fetch_stats *st, xd_err *e);

/* Load the intent: --config FILE, else SNAPSHOT/xacct-doctor.json when
 * snapshot is given and the file exists; otherwise an empty intent. */
xd_rc cli_load_intent(const cli_opts *o, const char *snapshot, az_intent *in,
                      xd_err *e);

/* Load --observations FILE: an observations document (probe, listen), or
 * a result written by check --format json, whose observations (one per
 * side) are taken. Appends the documents to docs (which must have room
 * for two more) and counts them in *n. */
xd_rc cli_load_observations(const char *path, cJSON **docs, size_t *n,
                            xd_err *e);

#endif
