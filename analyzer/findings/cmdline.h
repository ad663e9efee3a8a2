/* analyzer/findings/cmdline.h: the one way a finding's remediation is
 * written. People paste these lines into a shell, and the values in them
 * come from snapshots that anyone can write, so a command is built from
 * argument words, never formatted by hand: each word is quoted for a POSIX
 * shell when it needs it, as Python's shlex.quote does (unquoted when it is
 * all of A-Z a-z 0-9 and _@%+=:,./-, else '...' with each ' written '\''),
 * and whatever a value holds, it reaches the program as one argument.
 *
 *   az_cmd c;
 *   az_cmd_init(&c);
 *   az_cmd_args(&c, "aws", "ec2", "create-route", NULL);
 *   az_cmd_arg(&c, "--route-table-id");
 *   az_cmd_id(&c, AZ_ID_RTB, t->id);          // refused unless rtb-<hex>
 *   az_cmd_region(&c, t->region);
 *   az_issue_cmd(ctx, issue, &c);              // reach.h: sets the fix,
 *   az_cmd_free(&c);                           // or says why there is none
 *
 * A command that can not be written safely is refused, not written: a
 * word holding a control character (a newline or tab would change what a
 * pasted line does, and reports print them as '?'), or an identifier of
 * the wrong shape. The first reason is kept; later calls do nothing.
 * Running out of memory refuses the command too. */
#ifndef AZ_CMDLINE_H
#define AZ_CMDLINE_H

#include <stdbool.h>

#include "../../common/buf.h"
#include "../awsid.h"

typedef struct {
  xd_buf line;   /* the command line so far */
  char why[256]; /* why it is refused; "" while it is not */
  bool started;  /* the current command has a word */
} az_cmd;

/* An empty command line; free it with az_cmd_free(). */
void az_cmd_init(az_cmd *c);
void az_cmd_free(az_cmd *c);

/* Append one argument word, quoted when it needs it. */
void az_cmd_arg(az_cmd *c, const char *word);
/* Append each word up to a NULL, as az_cmd_arg(). */
void az_cmd_args(az_cmd *c, ...);
/* Append one argument word made by printf from fmt: the whole result is
 * one word (a JSON document, "IpProtocol=tcp,FromPort=8998,..."). */
void az_cmd_argf(az_cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append identifier id, which must have the shape of kind; else the
 * command is refused, naming the value and what it should be. */
void az_cmd_id(az_cmd *c, az_id_kind kind, const char *id);
/* Refuse the command unless id has the shape of kind; appends nothing.
 * For an id that goes inside a larger word (a JSON document, shorthand
 * like "SubnetId=subnet-..."), where its own characters could change the
 * structure. */
void az_cmd_check(az_cmd *c, az_id_kind kind, const char *id);
/* Append option opt and its value: two words, or one "opt=value" when the
 * value starts with '-' (the AWS CLI would read it as an option). For free
 * text: names, descriptions. */
void az_cmd_opt(az_cmd *c, const char *opt, const char *value);
/* Append "--region REGION" when region is not NULL (refused unless it is
 * a Region name). */
void az_cmd_region(az_cmd *c, const char *region);
/* Start the next command, which runs when the one before succeeded
 * (" && "). */
void az_cmd_and(az_cmd *c);
/* Send the current command's standard output to file path ("> path"). */
void az_cmd_to_file(az_cmd *c, const char *path);
/* Append one argument word that is the output of the complete command
 * inner: "$(inner)", in double quotes so that the output stays one word. A
 * refused inner command refuses c. */
void az_cmd_output_of(az_cmd *c, const az_cmd *inner);
/* Refuse the command: why completes "no command is given: ". */
void az_cmd_refuse(az_cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The command line (owned by c), or NULL when it is refused or empty. */
const char *az_cmd_line(const az_cmd *c);
/* Why the command is refused, or NULL when it is not. */
const char *az_cmd_why(const az_cmd *c);

#endif
