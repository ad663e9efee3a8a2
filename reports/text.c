/* The text report: what a person at a terminal reads first. The summary
 * line and the path list answer "is it broken, and where" in five seconds;
 * the hop table of each failing path and the findings (worst first, each
 * with the command that fixes it) follow. */
#include <stdio.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "escape.h"
#include "formats.h"
#include "util.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[33m"
#define C_GREEN "\033[32m"
#define C_CYAN "\033[36m"

typedef struct {
  xd_buf *out;
  const rp_options *o;
} tx;

static void col(tx *t, const char *code)
{
  if(t->o && t->o->color)
    xd_buf_puts(t->out, code);
}

/* s made safe for a terminal, padded with spaces to width characters. */
static void cell(tx *t, const char *s, size_t width)
{
  size_t n = rp_utf8_len(s);
  rp_text_safe(t->out, s);
  for(; n < width; n++)
    xd_buf_putc(t->out, ' ');
}

static void safe(tx *t, const char *s)
{
  rp_text_safe(t->out, s);
}

static const char *status_color(const char *status)
{
  if(!strcmp(status, "ok"))
    return C_GREEN;
  if(!strcmp(status, "warning"))
    return C_YELLOW;
  return C_RED;
}

static const char *verdict_color(const char *v)
{
  if(!strcmp(v, "reachable") || !strcmp(v, "allow"))
    return C_GREEN;
  if(!strcmp(v, "blocked") || !strcmp(v, "deny"))
    return C_RED;
  return C_YELLOW;
}

/* Text for the Nagios line, where '|' starts the perfdata and a control
 * character would end the line. */
static void nagios_text(tx *t, const char *s)
{
  for(; *s; s++)
    xd_buf_putc(t->out, *s == '|' ? '/' :
                ((unsigned char)*s < 0x20 ? ' ' : *s));
}

/* What the run could not see (meta.not_seen): the number of paths left
 * unknown, and the first entry, whose reason the headline gives. */
static const cJSON *not_seen(const cJSON *r, long *paths, int *entries)
{
  const cJSON *all = xd_json_array(xd_json_object(r, "meta"), "not_seen");
  const cJSON *it;
  *paths = 0;
  *entries = 0;
  cJSON_ArrayForEach(it, all) {
    long n = 0;
    xd_json_long(it, "paths", &n);
    *paths += n;
    (*entries)++;
  }
  return cJSON_GetArrayItem(all, 0);
}

/* The Nagios plugin line: status, summary, then perfdata after '|'. The
 * part before '|' must not hold one, so the reason is cleaned of it. */
static void quiet_line(tx *t, const cJSON *r, const rp_counts *c)
{
  const char *status = rp_s(r, "status");
  const char *why = rp_s_opt(xd_json_object(r, "meta"), "incomplete");
  const cJSON *ns;
  long dur = 0, ns_paths;
  int ns_n;
  xd_json_long(r, "duration_ms", &dur);
  xd_buf_printf(t->out, "XACCT-DOCTOR %s - ", rp_status_upper(status));
  if(why) {
    xd_buf_puts(t->out, "incomplete: ");
    nagios_text(t, why);
    xd_buf_puts(t->out, "; ");
  }
  if((ns = not_seen(r, &ns_paths, &ns_n))) {
    xd_buf_puts(t->out, "not seen: ");
    nagios_text(t, rp_s(ns, "target"));
    xd_buf_puts(t->out, ": ");
    nagios_text(t, rp_s(ns, "why"));
    if(ns_n > 1)
      xd_buf_printf(t->out, " (and %d more)", ns_n - 1);
    xd_buf_puts(t->out, "; ");
  }
  xd_buf_printf(t->out, "%d critical, %d warning; %d/%d paths reachable | "
                "paths_reachable=%d;;;0;%d findings_critical=%d "
                "findings_warning=%d duration_ms=%ldms\n",
                c->critical, c->warning, c->reachable, c->paths, c->reachable,
                c->paths, c->critical, c->warning, dur);
}

/* What the notebook shows, in its own words: a ticket's pasted error
 * leads here. */
static void notebook_line(tx *t, const cJSON *meta)
{
  const cJSON *nb = xd_json_object(meta, "notebook");
  const char *msg = rp_s_opt(nb, "message"), *code = rp_s_opt(nb, "code");
  if(!msg)
    return;
  xd_buf_puts(t->out, "  notebook shows: ");
  if(code)
    xd_buf_puts(t->out, "\"");
  safe(t, msg);
  if(code) {
    xd_buf_puts(t->out, "\" (");
    safe(t, code);
    xd_buf_puts(t->out, ")");
  }
  xd_buf_puts(t->out, "\n");
}

static void header(tx *t, const cJSON *r, const rp_counts *c)
{
  const char *status = rp_s(r, "status");
  const cJSON *meta = xd_json_object(r, "meta");
  const char *snap = rp_s_opt(meta, "snapshot");
  const char *why = rp_s_opt(meta, "incomplete");
  const cJSON *it;
  long dur = 0, ns_paths;
  int ns_n;
  xd_json_long(r, "duration_ms", &dur);
  col(t, status_color(status));
  xd_buf_printf(t->out, "xacct-doctor: %s", rp_status_upper(status));
  col(t, C_RESET);
  xd_buf_printf(t->out, " - %d critical, %d warning, %d info; "
                "%d/%d paths reachable", c->critical, c->warning, c->info,
                c->reachable, c->paths);
  not_seen(r, &ns_paths, &ns_n);
  if(ns_paths)
    xd_buf_printf(t->out, ", %ld not seen", ns_paths);
  xd_buf_puts(t->out, "\n");
  col(t, C_DIM);
  xd_buf_puts(t->out, "  run ");
  safe(t, rp_s(r, "started_at"));
  xd_buf_printf(t->out, ", %ld.%01ld s", dur / 1000, (dur % 1000) / 100);
  if(snap) {
    xd_buf_puts(t->out, ", snapshot ");
    safe(t, snap);
  }
  xd_buf_puts(t->out, "\n");
  col(t, C_RESET);
  notebook_line(t, meta);
  if(why) {
    col(t, C_YELLOW);
    xd_buf_puts(t->out, "  incomplete: ");
    safe(t, why);
    xd_buf_puts(t->out, "\n");
    col(t, C_RESET);
  }
  /* what was not seen, and why: the status says only that it was not */
  cJSON_ArrayForEach(it, xd_json_array(meta, "not_seen")) {
    long n = 0;
    xd_json_long(it, "paths", &n);
    col(t, C_YELLOW);
    xd_buf_puts(t->out, "  not seen: ");
    safe(t, rp_s(it, "target"));
    if(n)
      xd_buf_printf(t->out, " (%ld path%s)", n, n == 1 ? "" : "s");
    xd_buf_puts(t->out, ": ");
    safe(t, rp_s(it, "why"));
    xd_buf_puts(t->out, "\n");
    col(t, C_RESET);
  }
}

/* One line per path: the verdict first, so the eye finds the failures. */
static void path_list(tx *t, const cJSON *r)
{
  const cJSON *p;
  size_t w = 0;
  if(!cJSON_GetArraySize(xd_json_array(r, "paths")))
    return;
  cJSON_ArrayForEach(p, xd_json_array(r, "paths")) {
    xd_buf name;
    xd_buf_init(&name);
    rp_path_name(&name, p, "->");
    if(rp_utf8_len(xd_buf_str(&name)) > w)
      w = rp_utf8_len(xd_buf_str(&name));
    xd_buf_free(&name);
  }
  if(w > 60)
    w = 60;
  col(t, C_BOLD);
  xd_buf_puts(t->out, "\nPaths\n");
  col(t, C_RESET);
  cJSON_ArrayForEach(p, xd_json_array(r, "paths")) {
    const char *v = rp_s(p, "verdict");
    const cJSON *h = rp_deciding_hop(p);
    xd_buf name;
    xd_buf_init(&name);
    rp_path_name(&name, p, "->");
    xd_buf_puts(t->out, "  ");
    col(t, verdict_color(v));
    cell(t, !strcmp(v, "reachable") ? "reachable" :
            !strcmp(v, "blocked") ? "BLOCKED" : "UNKNOWN", 10);
    col(t, C_RESET);
    cell(t, xd_buf_str(&name), h ? w : 0);
    if(h) {
      xd_buf_puts(t->out, "  at ");
      safe(t, rp_s(h, "kind"));
      xd_buf_puts(t->out, " ");
      safe(t, rp_s(h, "resource"));
    }
    xd_buf_puts(t->out, "\n");
    xd_buf_free(&name);
  }
}

/* Whether an earlier failing path has the same ends and was stopped by the
 * same element: then its table is not printed twice. */
static const cJSON *same_as_earlier(const cJSON *r, const cJSON *path)
{
  const cJSON *p, *h = rp_deciding_hop(path);
  const cJSON *from = xd_json_object(path, "from"), *to = xd_json_object(path, "to");
  if(!h)
    return NULL;
  cJSON_ArrayForEach(p, xd_json_array(r, "paths")) {
    const cJSON *ph;
    if(p == path)
      return NULL;
    ph = rp_deciding_hop(p);
    if(ph && !strcmp(rp_s(ph, "kind"), rp_s(h, "kind")) &&
       !strcmp(rp_s(ph, "resource"), rp_s(h, "resource")) &&
       !strcmp(rp_s(xd_json_object(p, "from"), "ip"), rp_s(from, "ip")) &&
       !strcmp(rp_s(xd_json_object(p, "to"), "ip"), rp_s(to, "ip")))
      return p;
  }
  return NULL;
}

static void lane_rows(tx *t, const rp_lane *l, const cJSON *decider,
                      size_t wk, size_t wr)
{
  for(size_t k = 0; k < l->n; k++) {
    const cJSON *h = l->hop[k];
    const char *v = rp_s(h, "verdict");
    bool here = h == decider || !strcmp(v, "deny");
    xd_buf_printf(t->out, "  %2d ", l->idx[k]);
    if(here)
      col(t, C_BOLD);
    cell(t, rp_s(h, "kind"), wk + 2);
    cell(t, rp_s(h, "resource"), wr + 2);
    if(here)
      col(t, C_RESET);
    col(t, verdict_color(v));
    cell(t, !strcmp(v, "deny") ? "DENY" : v, 9);
    col(t, C_RESET);
    safe(t, rp_s(h, "detail"));
    if(here) {
      col(t, C_RED);
      xd_buf_puts(t->out, "  <- here");
      col(t, C_RESET);
    }
    xd_buf_puts(t->out, "\n");
  }
}

/* The hops as two lanes: the request from Studio to EMR, then the
 * response back (numbers are the hops' places in the result). */
static void hop_table(tx *t, const cJSON *path)
{
  const cJSON *h, *decider = rp_deciding_hop(path);
  rp_lane req, resp;
  size_t wk = 4, wr = 8;
  cJSON_ArrayForEach(h, xd_json_array(path, "hops")) {
    size_t k = rp_utf8_len(rp_s(h, "kind")), res = rp_utf8_len(rp_s(h, "resource"));
    wk = k > wk ? k : wk;
    wr = res > wr ? res : wr;
  }
  wk = wk > 28 ? 28 : wk;
  wr = wr > 34 ? 34 : wr;
  rp_hop_lanes(path, &req, &resp);
  col(t, C_DIM);
  xd_buf_puts(t->out, "   # ");
  cell(t, "hop", wk + 2);
  cell(t, "resource", wr + 2);
  cell(t, "verdict", 9);
  xd_buf_puts(t->out, "rule or route that decided\n");
  xd_buf_puts(t->out, "     request: Studio -> EMR\n");
  col(t, C_RESET);
  lane_rows(t, &req, decider, wk, wr);
  if(resp.n) {
    col(t, C_DIM);
    xd_buf_puts(t->out, "     response: EMR -> Studio\n");
    col(t, C_RESET);
    lane_rows(t, &resp, decider, wk, wr);
  }
}

/* What the packets said about the path, under its hops. */
static void observed(tx *t, const cJSON *p)
{
  xd_buf line;
  xd_buf_init(&line);
  if(rp_observed_text(&line, p)) {
    xd_buf_puts(t->out, "     ");
    safe(t, xd_buf_str(&line));
    xd_buf_puts(t->out, "\n");
  }
  xd_buf_free(&line);
}

static void path_details(tx *t, const cJSON *r)
{
  const cJSON *p;
  cJSON_ArrayForEach(p, xd_json_array(r, "paths")) {
    const char *v = rp_s(p, "verdict");
    const cJSON *same;
    bool reachable = !strcmp(v, "reachable");
    if(reachable && !(t->o && t->o->verbose))
      continue;
    xd_buf_puts(t->out, "\n");
    col(t, C_BOLD);
    {
      xd_buf name;
      xd_buf_init(&name);
      rp_path_name(&name, p, "->");
      safe(t, xd_buf_str(&name));
      xd_buf_free(&name);
    }
    col(t, C_RESET);
    xd_buf_puts(t->out, ": ");
    col(t, verdict_color(v));
    xd_buf_puts(t->out, reachable ? "reachable" :
                        !strcmp(v, "blocked") ? "BLOCKED" : "UNKNOWN");
    col(t, C_RESET);
    same = (t->o && t->o->verbose) ? NULL : same_as_earlier(r, p);
    if(same) {
      long port = rp_path_port(same);
      xd_buf_printf(t->out, ", stopped by the same hop as port %ld above\n",
                    port);
    }
    else {
      xd_buf_puts(t->out, "\n");
      hop_table(t, p);
    }
    observed(t, p);
  }
}

static void changes(tx *t, const cJSON *r)
{
  const cJSON *c, *arr = xd_json_array(r, "changes");
  const cJSON *last_path = NULL;
  if(!cJSON_GetArraySize(arr))
    return;
  col(t, C_BOLD);
  xd_buf_puts(t->out, "\nChanges since the last run in which each path was "
              "reachable\n");
  col(t, C_RESET);
  cJSON_ArrayForEach(c, arr) {
    const cJSON *path = xd_json_object(c, "path");
    const char *before = rp_s_opt(c, "before"), *after = rp_s_opt(c, "after");
    if(!last_path || !cJSON_Compare(last_path, path, true)) {
      xd_buf name;
      xd_buf_init(&name);
      if(path)
        rp_path_name(&name, path, "->");
      xd_buf_puts(t->out, "  ");
      safe(t, xd_buf_str(&name));
      xd_buf_puts(t->out, ", reachable at ");
      safe(t, rp_s(c, "since"));
      xd_buf_puts(t->out, ":\n");
      xd_buf_free(&name);
      last_path = path;
    }
    xd_buf_puts(t->out, "    ");
    col(t, C_BOLD);
    safe(t, rp_s(c, "hop_kind"));
    xd_buf_puts(t->out, " ");
    safe(t, rp_s(c, "resource"));
    col(t, C_RESET);
    xd_buf_puts(t->out, "\n      was: ");
    safe(t, before ? before : "(not there)");
    xd_buf_puts(t->out, "\n      now: ");
    col(t, C_RED);
    safe(t, after ? after : "(gone)");
    col(t, C_RESET);
    xd_buf_puts(t->out, "\n");
  }
}

/* Append remediation, indented, line by line, so a multi-line command
 * stays copyable. */
static void fix_block(tx *t, const char *rem)
{
  xd_buf_puts(t->out, "    fix:\n      ");
  col(t, C_CYAN);
  for(; *rem; rem++) {
    if(*rem == '\n')
      xd_buf_puts(t->out, "\n      ");
    else
      xd_buf_putc(t->out, (unsigned char)*rem < 0x20 && *rem != '\t' ? '?' : *rem);
  }
  col(t, C_RESET);
  xd_buf_puts(t->out, "\n");
}

static void findings_of(tx *t, const cJSON *r, const char *sev, int n,
                        const char *color)
{
  const cJSON *f;
  bool brief = !strcmp(sev, "info") && !(t->o && t->o->verbose);
  if(!n)
    return;
  col(t, color);
  xd_buf_printf(t->out, "\n%s (%d)%s\n", !strcmp(sev, "critical") ? "CRITICAL" :
                !strcmp(sev, "warning") ? "WARNING" : "INFO", n,
                brief ? " - not known or for information; --verbose for the "
                        "evidence" : "");
  col(t, C_RESET);
  cJSON_ArrayForEach(f, xd_json_array(r, "findings")) {
    const cJSON *ev;
    const char *rem = rp_s_opt(f, "remediation");
    const char *acct = rp_s_opt(f, "account");
    if(strcmp(rp_s(f, "severity"), sev) &&
       !(!strcmp(sev, "info") && strcmp(rp_s(f, "severity"), "critical") &&
         strcmp(rp_s(f, "severity"), "warning")))
      continue;
    xd_buf_puts(t->out, "  ");
    col(t, C_BOLD);
    safe(t, rp_s(f, "code"));
    col(t, C_RESET);
    xd_buf_puts(t->out, "  ");
    safe(t, rp_s(f, "resource"));
    if(acct) {
      xd_buf_puts(t->out, "  (account ");
      safe(t, acct);
      xd_buf_puts(t->out, ")");
    }
    xd_buf_puts(t->out, "\n    ");
    safe(t, rp_s(f, "message"));
    xd_buf_puts(t->out, "\n");
    if(brief)
      continue;
    cJSON_ArrayForEach(ev, xd_json_array(f, "evidence"))
      if(cJSON_IsString(ev)) {
        col(t, C_DIM);
        xd_buf_puts(t->out, "    - ");
        safe(t, ev->valuestring);
        xd_buf_puts(t->out, "\n");
        col(t, C_RESET);
      }
    if(rem)
      fix_block(t, rem);
  }
}

static void loaded_line(tx *t, const cJSON *r)
{
  const cJSON *loaded = xd_json_path(r, "meta", "loaded", NULL), *it;
  bool any = false;
  if(!cJSON_IsObject(loaded) || !(t->o && t->o->verbose))
    return;
  xd_buf_puts(t->out, "\nLoaded:");
  cJSON_ArrayForEach(it, loaded)
    if(cJSON_IsNumber(it)) {
      xd_buf_puts(t->out, any ? ", " : " ");
      xd_buf_printf(t->out, "%d ", it->valueint);
      safe(t, it->string);
      any = true;
    }
  xd_buf_puts(t->out, "\n");
}

xd_rc rp_render_text(const cJSON *r, const rp_options *o, xd_buf *out, xd_err *e)
{
  tx t = {out, o};
  rp_counts c;
  (void)e;
  rp_count(r, &c);
  if(o && o->quiet) {
    quiet_line(&t, r, &c);
    return XD_OK;
  }
  header(&t, r, &c);
  path_list(&t, r);
  path_details(&t, r);
  changes(&t, r);
  if(c.critical + c.warning + c.info) {
    col(&t, C_BOLD);
    xd_buf_puts(out, "\nFindings\n");
    col(&t, C_RESET);
  }
  findings_of(&t, r, "critical", c.critical, C_RED);
  findings_of(&t, r, "warning", c.warning, C_YELLOW);
  findings_of(&t, r, "info", c.info, C_DIM);
  loaded_line(&t, r);
  return XD_OK;
}
