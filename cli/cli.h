/* cli/cli.h: the parsed command line and the commands. cli/ is the only room
 * that knows all the others. */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/result.h"
#include "../common/timeutil.h"
#include "../reports/report.h"

/* Exit statuses: the Nagios plugin convention (../shared/contract.md). */
#define CLI_EXIT_OK 0
#define CLI_EXIT_WARNING 1
#define CLI_EXIT_CRITICAL 2
#define CLI_EXIT_UNKNOWN 3

typedef struct {
  const char *command;      /* "check", "analyze", ... */

  /* global */
  const char *config;       /* --config FILE (the intent) */
  rp_format format;         /* --format */
  bool format_set;
  const char *output;       /* --output FILE, NULL for stdout */
  bool quiet, verbose, no_color;
  double timeout_s;         /* --timeout SECONDS, 0 for none */
  xd_deadline deadline;     /* from --timeout, set at start */

  /* AWS */
  const char *region, *endpoint_url, *profile;
  /* --account-profile ACCOUNT=PROFILE (checked), for fetch and check */
  const char **account_profiles; size_t n_account_profiles;

  /* analyze / check */
  const char *snapshot;     /* --snapshot DIR */
  const char **observations; size_t n_observations; /* --observations FILE */
  const char *history;      /* --history DIR */
  long history_keep;        /* --history-keep N, 0 for the default */
  const char *lock;         /* --lock FILE */
  bool no_probe;            /* --no-probe (check: analyze only) */
  const char *studio_metadata; /* --studio-metadata FILE (check) */

  /* probe */
  const char **targets; size_t n_targets; /* --target HOST */
  const char *ports;        /* --port LIST */
  const char *dns_server;   /* --dns-server IP[:PORT] */
  long timeout_ms;          /* --timeout-ms N, 0 for the default */
  long identify_ms;         /* --identify-ms N, 0 for the default */
  long concurrency;         /* --concurrency N, 0 for the default */
  const char *side;         /* --side studio|emr */
  bool no_capture;          /* --no-capture */
  bool control_plane;       /* probe --control-plane */
  bool no_control_plane;    /* check --no-control-plane */

  /* listen */
  const char **from; size_t n_from; /* --from CIDR */
  double duration_s;        /* --duration SECONDS */
  long max_flows;           /* --max-flows N, 0 for the tracker's bound */
  const char *interface;    /* --interface IF */
  const char *pcap_out;     /* --pcap-out FILE */
  const char *read;         /* --read FILE */

  /* fetch / report / explain */
  const char *out;          /* fetch --out DIR */
  const char *in;           /* report --in FILE */
  const char *code;         /* explain CODE */
} cli_opts;

/* The commands; each returns an exit status. */
int cli_cmd_check(const cli_opts *o);
int cli_cmd_analyze(const cli_opts *o);
int cli_cmd_probe(const cli_opts *o);
int cli_cmd_listen(const cli_opts *o);
int cli_cmd_fetch(const cli_opts *o);
int cli_cmd_report(const cli_opts *o);
int cli_cmd_explain(const cli_opts *o);

/* Print the versions (ours and each library's) to stdout. */
void cli_print_version(void);

/* Render result r in o's format (text by default) and write it to
 * --output atomically, or to stdout. Returns the exit status for r's
 * status, or CLI_EXIT_UNKNOWN when it could not be written. */
int cli_emit_result(const cli_opts *o, xd_result *r);
/* Write text to --output atomically or to stdout; CLI_EXIT_UNKNOWN on
 * failure (reported on stderr), else CLI_EXIT_OK. */
int cli_write_output(const cli_opts *o, const char *text, size_t len);
/* Whether colour is wanted on stdout (TTY, no --no-color, no NO_COLOR). */
bool cli_want_color(const cli_opts *o);
/* Report an error on stderr and return CLI_EXIT_UNKNOWN. */
int cli_error(const xd_err *e);
/* Whether SIGINT or SIGTERM has arrived. */
bool cli_interrupted(void);

#endif
