/* cli/progress.h: a one-line progress note on stderr for runs a person is
 * watching. Quiet by design: nothing until the run has taken more than a
 * second, nothing when stderr is not a terminal (cron, pipes, CI), nothing
 * with --quiet. */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <stdbool.h>

/* Start the clock for this run; quiet suppresses every note. Calling
 * cli_progress() without it starts the clock at the first call. */
void cli_progress_init(bool quiet);
/* Say which step the run is at ("probing 2.0.1.10"); shown, overwriting
 * the previous note, once the run is older than a second. step is copied
 * as needed; control characters are not printed. */
void cli_progress(const char *step);
/* An aws_options progress callback: "fetching from AWS: A accounts, N of
 * M calls done" (ud unused). */
struct aws_progress;
void cli_fetch_progress(void *ud, const struct aws_progress *p);
/* Clear the note line (before the report is printed). */
void cli_progress_done(void);

#endif
