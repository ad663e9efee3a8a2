/* cli/args.h: command-line parsing. Global options may stand before or
 * after the command; each command accepts its own options and refuses the
 * others by name. */
#ifndef CLI_ARGS_H
#define CLI_ARGS_H

#include "../common/xd_error.h"
#include "cli.h"

typedef enum {
  CLI_PARSE_RUN,      /* run o->command */
  CLI_PARSE_HELP,     /* print help for o->command (NULL: general) */
  CLI_PARSE_VERSION   /* print versions */
} cli_parse_action;

/* Parse argv into *o (zeroed first; string fields point into argv, list
 * fields are malloc'ed and freed by cli_opts_free). XD_E_USAGE with a
 * message naming the option on bad usage. */
xd_rc cli_parse(int argc, char **argv, cli_opts *o, cli_parse_action *act,
                xd_err *e);
/* Free the lists cli_parse allocated. */
void cli_opts_free(cli_opts *o);

#endif
