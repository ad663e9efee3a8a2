/* xacct-doctor: find which route, rule, option or role breaks the path from
 * SageMaker Studio to EMR across accounts. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "../common/log.h"
#include "args.h"
#include "cli.h"
#include "help.h"

static volatile sig_atomic_t got_signal;

bool cli_interrupted(void)
{
  return got_signal != 0;
}

/* The first signal asks the run to stop at the next safe point and write
 * its partial result; the temporary files go at once so nothing is left
 * behind even if the second signal ends the process. */
static void on_signal(int sig)
{
  xd_tmp_cleanup_signal_safe();
  if(got_signal) {
    signal(sig, SIG_DFL);
    raise(sig);
  }
  got_signal = sig;
}

/* The last resort behind --timeout: every step polls the deadline and
 * ends with a partial result, but should one block past it (a stuck
 * library call), the watchdog ends the process anyway, as UNKNOWN, leaving
 * no temporary file behind. */
static void on_watchdog(int sig)
{
  static const char msg[] = "xacct-doctor: error: the --timeout deadline "
                            "passed and the run did not stop; giving up\n";
  (void)sig;
  xd_tmp_cleanup_signal_safe();
  if(write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
    _exit(CLI_EXIT_UNKNOWN);
  _exit(CLI_EXIT_UNKNOWN);
}

static void arm_watchdog(double timeout_s)
{
  struct sigaction sa;
  unsigned secs;
  if(timeout_s <= 0)
    return;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_watchdog;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  /* grace for writing the partial result after the deadline */
  secs = (unsigned)timeout_s + 5;
  alarm(secs);
}

static void install_signals(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
  cli_opts o;
  cli_parse_action act;
  xd_err e = {0};
  int rc;

  install_signals();
  if(cli_parse(argc, argv, &o, &act, &e) != XD_OK) {
    xd_log_error("%s", e.msg);
    fputs("\n", stderr);
    fputs(cli_usage_text(), stderr);
    cli_opts_free(&o);
    return CLI_EXIT_UNKNOWN;
  }
  if(act == CLI_PARSE_VERSION) {
    cli_print_version();
    cli_opts_free(&o);
    return CLI_EXIT_OK;
  }
  if(act == CLI_PARSE_HELP) {
    const char *h = NULL;
    /* `xacct-doctor --help` alone is the general help; a command named on
     * the line gets its own */
    for(int i = 1; i < argc; i++)
      if(cli_command_help(argv[i]))
        h = cli_command_help(argv[i]);
    fputs(h ? h : cli_usage_text(), stdout);
    cli_opts_free(&o);
    return CLI_EXIT_OK;
  }
  xd_log_set_level(o.quiet ? XD_LOG_QUIET
                           : o.verbose ? XD_LOG_VERBOSE : XD_LOG_NORMAL);
  o.deadline = xd_deadline_in(o.timeout_s);
  arm_watchdog(o.timeout_s);

  if(!strcmp(o.command, "check")) rc = cli_cmd_check(&o);
  else if(!strcmp(o.command, "analyze")) rc = cli_cmd_analyze(&o);
  else if(!strcmp(o.command, "probe")) rc = cli_cmd_probe(&o);
  else if(!strcmp(o.command, "listen")) rc = cli_cmd_listen(&o);
  else if(!strcmp(o.command, "fetch")) rc = cli_cmd_fetch(&o);
  else if(!strcmp(o.command, "report")) rc = cli_cmd_report(&o);
  else rc = cli_cmd_explain(&o);

  cli_opts_free(&o);
  return rc;
}
