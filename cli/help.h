/* cli/help.h: the text of --help. */
#ifndef CLI_HELP_H
#define CLI_HELP_H

/* The general usage text. */
const char *cli_usage_text(void);
/* The help of one command, or NULL for an unknown command. */
const char *cli_command_help(const char *command);

#endif
