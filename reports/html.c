/* The HTML report: one self-contained file a support engineer can attach
 * to a case and a customer can open offline. Inline CSS and SVG only; no
 * script, no font, no image, no request of any kind, and a
 * Content-Security-Policy that forbids them should anything slip in. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "formats.h"
#include "html_int.h"
#include "util.h"
#include "xd_version.h"

static const char css[] =
"*{box-sizing:border-box}"
"body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
"'DejaVu Sans',sans-serif;color:#202124;background:#fff}"
"main{max-width:1160px;margin:0 auto;padding:0 20px 40px}"
"h2{font-size:20px;margin:32px 0 10px;padding-bottom:4px;"
"border-bottom:2px solid #dadce0}"
"h3{font-size:16px;margin:22px 0 6px}"
"code,pre,.mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;"
"font-size:13px}"
"table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13.5px}"
"th,td{border:1px solid #dadce0;padding:4px 7px;text-align:left;"
"vertical-align:top;overflow-wrap:break-word}"
"th{background:#f1f3f4;font-weight:600}"
"tr.deny td{background:#fdecea}"
"td.num{text-align:right;white-space:nowrap}td.id{white-space:nowrap}"
".banner{padding:18px 24px;color:#fff;margin:0 0 8px}"
".banner h1{margin:0;font-size:30px;letter-spacing:.5px}"
".banner p{margin:4px 0 0;font-size:15px}"
".st-ok{background:#1e7b34}.st-warning{background:#a05a00}"
".st-critical{background:#b3261e}.st-unknown{background:#5f6368}"
"nav{font-size:14px;margin:10px 0}nav a{margin-right:14px;color:#1a57b5}"
".badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;"
"font-weight:600;color:#fff;overflow-wrap:break-word}"
".b-critical,.b-blocked,.b-deny,.b-closed,.b-filtered,.b-bad{background:#b3261e}"
".b-warning{background:#a05a00}"
".b-info,.b-unknown{background:#5f6368}"
".b-ok,.b-reachable,.b-allow,.b-open{background:#1e7b34}"
".finding{border:1px solid #dadce0;border-left:6px solid #5f6368;"
"border-radius:4px;padding:8px 14px;margin:10px 0;break-inside:avoid}"
".finding.sev-critical{border-left-color:#b3261e}"
".finding.sev-warning{border-left-color:#a05a00}"
".finding h3{margin:2px 0 4px;font-size:15px}.finding h3 .muted{font-weight:400;font-size:13px}"
".finding ul{margin:4px 0;padding-left:22px}"
".label{font-size:12px;text-transform:uppercase;color:#5f6368;"
"letter-spacing:.4px;margin:8px 0 2px}"
"pre.fix{background:#202124;color:#e8eaed;padding:10px 12px;border-radius:4px;"
"white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0}"
"pre.fix code{user-select:all;-webkit-user-select:all}"
"figure{margin:12px 0 18px;break-inside:avoid}"
"figure svg{width:100%;height:auto;display:block}"
"details>summary{cursor:pointer;font-weight:600;margin:6px 0}"
".muted{color:#5f6368}"
"svg text{font-family:system-ui,'DejaVu Sans',sans-serif}"
"svg .t-kind{font-size:12px;fill:#3c4043}"
"svg .t-res{font-size:11.5px;font-family:'DejaVu Sans Mono',monospace;"
"fill:#202124}"
"svg .t-v{font-size:12px;font-weight:700}"
"svg .t-small{font-size:11px;fill:#5f6368}"
"svg .t-deny{font-size:13px;fill:#b3261e;font-weight:600}"
"footer{margin-top:40px;font-size:12px;color:#5f6368}"
"@media print{body{font-size:11pt}main{max-width:none;padding:0}"
"nav,details>summary{display:none}details{display:block}"
".banner,.badge,pre.fix,tr.deny td,th{-webkit-print-color-adjust:exact;"
"print-color-adjust:exact}"
"h2{break-after:avoid}table,.finding,figure{break-inside:avoid}"
"a{color:inherit;text-decoration:none}}";

void rp_html_badge(xd_buf *out, const char *cls, const char *text)
{
  xd_buf_puts(out, "<span class=\"badge b-");
  /* the class name is ours only when it is a known word */
  xd_buf_puts(out, !strcmp(cls, "critical") || !strcmp(cls, "warning") ||
                   !strcmp(cls, "info") || !strcmp(cls, "ok") ||
                   !strcmp(cls, "reachable") || !strcmp(cls, "blocked") ||
                   !strcmp(cls, "allow") || !strcmp(cls, "deny") ||
                   !strcmp(cls, "open") || !strcmp(cls, "closed") ||
                   !strcmp(cls, "filtered") || !strcmp(cls, "bad")
                   ? cls : "unknown");
  xd_buf_puts(out, "\">");
  h(out, text);
  xd_buf_puts(out, "</span>");
}

void rp_html_num(xd_buf *out, const cJSON *obj, const char *key, int decimals)
{
  double v;
  if(!rp_num(obj, key, &v)) {
    xd_buf_puts(out, "\xE2\x80\x93");
    return;
  }
  xd_buf_printf(out, "%.*f", decimals, v);
}

static const char *status_class(const char *status)
{
  if(!strcmp(status, "ok") || !strcmp(status, "warning") ||
     !strcmp(status, "critical"))
    return status;
  return "unknown";
}

static void head(xd_buf *out, const cJSON *r)
{
  xd_buf_puts(out,
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'; img-src data:\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<meta name=\"referrer\" content=\"no-referrer\">\n<title>xacct-doctor: ");
  xd_buf_puts(out, rp_status_upper(rp_s(r, "status")));
  xd_buf_puts(out, " \xE2\x80\x94 ");
  h(out, rp_s(r, "started_at"));
  xd_buf_puts(out, "</title>\n<style>");
  xd_buf_puts(out, css);
  xd_buf_puts(out, "</style>\n</head>\n<body>\n");
}

/* The notebook's own message for the failure (escaped: it holds names
 * from AWS). */
static void notebook_p(xd_buf *out, const cJSON *nb)
{
  const char *msg = rp_s_opt(nb, "message"), *code = rp_s_opt(nb, "code");
  if(!msg)
    return;
  xd_buf_puts(out, "<p class=\"notebook\">Notebook shows: <code>");
  h(out, msg);
  xd_buf_puts(out, "</code>");
  if(code) {
    xd_buf_puts(out, " (<a href=\"#findings\">");
    h(out, code);
    xd_buf_puts(out, "</a>)");
  }
  xd_buf_puts(out, "</p>\n");
}

/* What the run could not see (meta.not_seen), and why: the status alone
 * says only that it was not, and a support engineer reads this page. */
static void not_seen_p(xd_buf *out, const cJSON *all)
{
  const cJSON *it;
  cJSON_ArrayForEach(it, all) {
    double n = 0;
    rp_num(it, "paths", &n);
    xd_buf_puts(out, "<p class=\"not-seen\">Not seen: ");
    h(out, rp_s(it, "target"));
    if(n >= 1)
      xd_buf_printf(out, " (%.0f path%s)", n, n < 2 ? "" : "s");
    xd_buf_puts(out, ": ");
    h(out, rp_s(it, "why"));
    xd_buf_puts(out, "</p>\n");
  }
}

static void banner(xd_buf *out, const cJSON *r, const rp_counts *c)
{
  const char *status = rp_s(r, "status");
  const char *why = rp_s_opt(xd_json_object(r, "meta"), "incomplete");
  const cJSON *f, *top = NULL;
  double dur = 0;
  rp_num(r, "duration_ms", &dur);
  cJSON_ArrayForEach(f, xd_json_array(r, "findings"))
    if(!top && !strcmp(rp_s(f, "severity"), "critical"))
      top = f;
  cJSON_ArrayForEach(f, xd_json_array(r, "findings"))
    if(!top && !strcmp(rp_s(f, "severity"), "warning"))
      top = f;
  xd_buf_printf(out, "<header class=\"banner st-%s\" id=\"verdict\">\n<h1>",
                status_class(status));
  xd_buf_puts(out, rp_status_upper(status));
  xd_buf_printf(out, "</h1>\n<p><b>%d critical, %d warning, %d info</b> "
                "\xC2\xB7 %d of %d paths reachable", c->critical, c->warning,
                c->info, c->reachable, c->paths);
  xd_buf_puts(out, " \xC2\xB7 run ");
  h(out, rp_s(r, "started_at"));
  xd_buf_printf(out, ", %.1f s</p>\n", dur / 1000.0);
  if(top) {
    xd_buf_puts(out, "<p>");
    h(out, rp_s(top, "message"));
    xd_buf_puts(out, "</p>\n");
  }
  notebook_p(out, xd_json_object(xd_json_object(r, "meta"), "notebook"));
  if(why) {
    xd_buf_puts(out, "<p>Incomplete: ");
    h(out, why);
    xd_buf_puts(out, "</p>\n");
  }
  not_seen_p(out, xd_json_array(xd_json_object(r, "meta"), "not_seen"));
  xd_buf_puts(out, "</header>\n<main>\n<nav><a href=\"#paths\">Paths</a>");
  if(cJSON_GetArraySize(xd_json_array(r, "changes")))
    xd_buf_puts(out, "<a href=\"#changes\">What changed</a>");
  xd_buf_puts(out, "<a href=\"#findings\">Findings</a><a href=\"#probes\">"
              "Probes</a><a href=\"#flows\">Capture</a><a href=\"#run\">Run"
              "</a></nav>\n");
}

static void changes(xd_buf *out, const cJSON *r)
{
  const cJSON *c, *arr = xd_json_array(r, "changes");
  if(!cJSON_GetArraySize(arr))
    return;
  xd_buf_puts(out, "<section id=\"changes\">\n<h2>What changed since each "
              "path was last reachable</h2>\n<table>\n<tr><th>path</th>"
              "<th>reachable at</th><th>hop</th><th>resource</th><th>was</th>"
              "<th>now</th></tr>\n");
  cJSON_ArrayForEach(c, arr) {
    const cJSON *path = xd_json_object(c, "path");
    const char *before = rp_s_opt(c, "before"), *after = rp_s_opt(c, "after");
    xd_buf name;
    xd_buf_init(&name);
    if(path)
      rp_path_name(&name, path, "\xE2\x86\x92");
    xd_buf_puts(out, "<tr class=\"deny\"><td>");
    h(out, xd_buf_str(&name));
    xd_buf_puts(out, "</td><td class=\"mono\">");
    h(out, rp_s(c, "since"));
    xd_buf_puts(out, "</td><td>");
    h(out, rp_s(c, "hop_kind"));
    xd_buf_puts(out, "</td><td class=\"mono\">");
    h(out, rp_s(c, "resource"));
    xd_buf_puts(out, "</td><td>");
    if(before)
      h(out, before);
    else
      xd_buf_puts(out, "<i class=\"muted\">(not there)</i>");
    xd_buf_puts(out, "</td><td><b>");
    if(after)
      h(out, after);
    else
      xd_buf_puts(out, "<i>(gone)</i>");
    xd_buf_puts(out, "</b></td></tr>\n");
    xd_buf_free(&name);
  }
  xd_buf_puts(out, "</table>\n</section>\n");
}

/* The hops that this finding's resource decided, on every path: the rule
 * or route that a person checks against the finding. */
static void decided_by(xd_buf *out, const cJSON *r, const cJSON *f)
{
  const cJSON *p, *hop;
  const char *res = rp_s(f, "resource");
  bool any = false;
  if(!*res)
    return;
  cJSON_ArrayForEach(p, xd_json_array(r, "paths"))
    cJSON_ArrayForEach(hop, xd_json_array(p, "hops")) {
      xd_buf name;
      if(strcmp(rp_s(hop, "resource"), res) || !strcmp(rp_s(hop, "verdict"), "allow"))
        continue;
      if(!any)
        xd_buf_puts(out, "<div class=\"label\">Decided by</div>\n<ul>\n");
      any = true;
      xd_buf_init(&name);
      rp_path_name(&name, p, "\xE2\x86\x92");
      xd_buf_puts(out, "<li>");
      h(out, rp_s(hop, "kind"));
      xd_buf_puts(out, " <code>");
      h(out, res);
      xd_buf_puts(out, "</code>: ");
      h(out, rp_s(hop, "detail"));
      xd_buf_puts(out, " <span class=\"muted\">(");
      h(out, xd_buf_str(&name));
      xd_buf_puts(out, ")</span></li>\n");
      xd_buf_free(&name);
    }
  if(any)
    xd_buf_puts(out, "</ul>\n");
}

static void finding(xd_buf *out, const cJSON *r, const cJSON *f, int idx)
{
  const char *sev = rp_s(f, "severity"), *acct = rp_s_opt(f, "account");
  const char *rem = rp_s_opt(f, "remediation");
  const cJSON *ev;
  xd_buf_printf(out, "<article class=\"finding sev-%s\" id=\"finding-%d\">\n"
                "<h3>", status_class(sev), idx);
  rp_html_badge(out, sev, sev);
  xd_buf_puts(out, " <code>");
  h(out, rp_s(f, "code"));
  xd_buf_puts(out, "</code> on <code>");
  h(out, rp_s(f, "resource"));
  xd_buf_puts(out, "</code>");
  if(acct) {
    xd_buf_puts(out, " <span class=\"muted\">account ");
    h(out, acct);
    xd_buf_puts(out, "</span>");
  }
  xd_buf_puts(out, "</h3>\n<p>");
  h(out, rp_s(f, "message"));
  xd_buf_puts(out, "</p>\n");
  if(cJSON_GetArraySize(xd_json_array(f, "evidence"))) {
    xd_buf_puts(out, "<div class=\"label\">Evidence</div>\n<ul>\n");
    cJSON_ArrayForEach(ev, xd_json_array(f, "evidence"))
      if(cJSON_IsString(ev)) {
        xd_buf_puts(out, "<li>");
        h(out, ev->valuestring);
        xd_buf_puts(out, "</li>\n");
      }
    xd_buf_puts(out, "</ul>\n");
  }
  decided_by(out, r, f);
  if(rem) {
    xd_buf_puts(out, "<div class=\"label\">Fix</div>\n<pre class=\"fix\"><code>");
    h(out, rem);
    xd_buf_puts(out, "</code></pre>\n");
  }
  xd_buf_puts(out, "</article>\n");
}

static void findings(xd_buf *out, const cJSON *r, const rp_counts *c)
{
  static const char *order[] = {"critical", "warning", "info"};
  const cJSON *f;
  int idx = 0;
  xd_buf_puts(out, "<section id=\"findings\">\n<h2>Findings</h2>\n");
  if(!c->critical && !c->warning && !c->info)
    xd_buf_puts(out, "<p>No finding.</p>\n");
  for(int k = 0; k < 3; k++)
    cJSON_ArrayForEach(f, xd_json_array(r, "findings")) {
      const char *sev = rp_s(f, "severity");
      bool mine = k < 2 ? !strcmp(sev, order[k])
                        : strcmp(sev, order[0]) && strcmp(sev, order[1]);
      if(mine)
        finding(out, r, f, ++idx);
    }
  xd_buf_puts(out, "</section>\n");
}

static void row(xd_buf *out, const char *key, const char *value)
{
  xd_buf_puts(out, "<tr><th>");
  h(out, key);
  xd_buf_puts(out, "</th><td>");
  h(out, value);
  xd_buf_puts(out, "</td></tr>\n");
}

static void run_meta(xd_buf *out, const cJSON *r)
{
  const cJSON *meta = rp_obj(r, "meta"), *it, *side;
  char num[64];
  double dur = 0;
  xd_buf sides, loaded, accts;
  xd_buf_init(&sides);
  xd_buf_init(&loaded);
  xd_buf_init(&accts);
  rp_num(r, "duration_ms", &dur);
  xd_buf_puts(out, "<section id=\"run\">\n<h2>Run</h2>\n<table>\n");
  row(out, "tool", rp_s_opt(meta, "tool") ? rp_s(meta, "tool") : "xacct-doctor");
  row(out, "version", rp_s(meta, "version"));
  row(out, "started at", rp_s(r, "started_at"));
  snprintf(num, sizeof(num), "%.0f ms", dur);
  row(out, "duration", num);
  row(out, "status", rp_s(r, "status"));
  if(rp_s_opt(meta, "incomplete"))
    row(out, "incomplete", rp_s(meta, "incomplete"));
  row(out, "snapshot", rp_s_opt(meta, "snapshot") ? rp_s(meta, "snapshot")
                                                  : "(none: live or probes only)");
  cJSON_ArrayForEach(side, rp_obj(r, "observations")) {
    const cJSON *ifs;
    xd_buf_printf(&sides, "%s%s: host %s", sides.len ? "; " : "", side->string,
                  rp_s_opt(side, "host") ? rp_s(side, "host") : "?");
    ifs = xd_json_array(side, "interfaces");
    cJSON_ArrayForEach(it, ifs)
      if(cJSON_IsString(it))
        xd_buf_printf(&sides, "%s%s", it == ifs->child ? ", interfaces " : " ",
                      it->valuestring);
  }
  row(out, "sides observed", sides.len ? xd_buf_str(&sides) : "(none)");
  cJSON_ArrayForEach(it, rp_obj(meta, "loaded"))
    if(cJSON_IsNumber(it))
      xd_buf_printf(&loaded, "%s%d %s", loaded.len ? ", " : "", it->valueint,
                    it->string);
  if(loaded.len)
    row(out, "configuration loaded", xd_buf_str(&loaded));
  cJSON_ArrayForEach(it, xd_json_array(meta, "accounts")) {
    const cJSON *reg;
    xd_buf_printf(&accts, "%s%s", accts.len ? "; " : "", rp_s(it, "id"));
    cJSON_ArrayForEach(reg, xd_json_array(it, "regions"))
      if(cJSON_IsString(reg))
        xd_buf_printf(&accts, " %s", reg->valuestring);
  }
  if(accts.len)
    row(out, "accounts", xd_buf_str(&accts));
  /* whatever else the run recorded about itself */
  cJSON_ArrayForEach(it, meta) {
    static const char *shown[] = {"tool", "version", "snapshot", "loaded",
                                  "accounts", "incomplete", NULL};
    bool known = false;
    for(int k = 0; shown[k]; k++)
      known = known || (it->string && !strcmp(it->string, shown[k]));
    if(known || !it->string)
      continue;
    xd_buf_puts(out, "<tr><th>");
    h(out, it->string);
    xd_buf_puts(out, "</th><td>");
    rp_html_generic(out, it, 0);
    xd_buf_puts(out, "</td></tr>\n");
  }
  xd_buf_puts(out, "</table>\n</section>\n");
  if(sides.failed || loaded.failed || accts.failed)
    out->failed = true;
  xd_buf_free(&sides);
  xd_buf_free(&loaded);
  xd_buf_free(&accts);
}

xd_rc rp_render_html(const cJSON *r, const rp_options *o, xd_buf *out, xd_err *e)
{
  rp_counts c;
  (void)o; (void)e;
  rp_count(r, &c);
  head(out, r);
  banner(out, r, &c);
  rp_html_paths(out, r);
  changes(out, r);
  findings(out, r, &c);
  rp_html_probes(out, r);
  rp_html_flows(out, r);
  run_meta(out, r);
  xd_buf_puts(out, "<footer>Rendered by xacct-doctor " XD_VERSION
              " from a result document (xacct-doctor.result/1). This file "
              "loads nothing from the network.</footer>\n</main>\n</body>\n"
              "</html>\n");
  return XD_OK;
}
