/* cli/progress.c: the one-line progress note (progress.h). */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#include "../aws/aws.h"
#include "../common/timeutil.h"

static double t0_ms;
static bool quiet, shown, decided, tty;

void cli_progress_init(bool q)
{
  quiet = q;
  t0_ms = xd_now_ms();
  shown = false;
  decided = false;
}

void cli_progress(const char *step)
{
  double now = xd_now_ms();
  if(t0_ms <= 0)
    t0_ms = now;
  if(!decided) {
    tty = isatty(STDERR_FILENO) == 1;
    decided = true;
  }
  if(quiet || !tty || now - t0_ms < 1000.0 || !step)
    return;
  fprintf(stderr, "\r\033[K[%.1fs] ", (now - t0_ms) / 1000.0);
  for(int n = 0; *step && n < 100; step++, n++)
    fputc((unsigned char)*step < 0x20 || *step == 0x7f ? '?' : *step, stderr);
  fflush(stderr);
  shown = true;
}

void cli_progress_done(void)
{
  if(shown) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
    shown = false;
  }
}

void cli_fetch_progress(void *ud, const aws_progress *p)
{
  char step[128];
  (void)ud;
  if(p->writing) {
    cli_progress_done(); /* the failures' messages start a clean line */
    return;
  }
  snprintf(step, sizeof(step), "fetching from AWS: %lu account%s, %lu of %lu "
           "calls done", p->accounts, p->accounts == 1 ? "" : "s",
           p->calls_done, p->calls_asked);
  cli_progress(step);
}
