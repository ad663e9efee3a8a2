/* The observations in the HTML report: the probe tables (DNS, TCP, TLS,
 * HTTP) of each side, anything else a side recorded, and the capture
 * timeline of each flow as both sides saw it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "html_int.h"
#include "util.h"

static void td(xd_buf *out, const char *s)
{
  xd_buf_puts(out, "<td>");
  h(out, s);
  xd_buf_puts(out, "</td>");
}

static void td_mono(xd_buf *out, const char *s)
{
  xd_buf_puts(out, "<td class=\"mono\">");
  h(out, s);
  xd_buf_puts(out, "</td>");
}

static void td_num(xd_buf *out, const cJSON *obj, const char *key, int dec)
{
  xd_buf_puts(out, "<td class=\"num\">");
  rp_html_num(out, obj, key, dec);
  xd_buf_puts(out, "</td>");
}

/* A list of strings, one per line. */
static void td_list(xd_buf *out, const cJSON *arr)
{
  const cJSON *it;
  bool first = true;
  xd_buf_puts(out, "<td class=\"mono\">");
  cJSON_ArrayForEach(it, arr)
    if(cJSON_IsString(it)) {
      if(!first)
        xd_buf_puts(out, "<br>");
      h(out, it->valuestring);
      first = false;
    }
  if(first)
    xd_buf_puts(out, "<span class=\"muted\">(none)</span>");
  xd_buf_puts(out, "</td>");
}

/* A probe table's heading and header row; its first column is the side. */
static void table_head(xd_buf *out, const char *title, const char *columns)
{
  xd_buf_printf(out, "<h3>%s</h3>\n<table>\n<tr><th>side</th>%s</tr>\n",
                title, columns);
}

/* A row's start: red when bad, then the side that probed. */
static void row_start(xd_buf *out, bool bad, const cJSON *side)
{
  xd_buf_puts(out, bad ? "<tr class=\"deny\">" : "<tr>");
  td(out, side->string);
}

/* Whether any side has a non-empty array under key. */
static bool any_of(const cJSON *obs, const char *key)
{
  const cJSON *side;
  cJSON_ArrayForEach(side, obs)
    if(cJSON_GetArraySize(xd_json_array(side, key)))
      return true;
  return false;
}

static void dns(xd_buf *out, const cJSON *obs)
{
  const cJSON *side, *d;
  table_head(out, "DNS", "<th>name</th><th>type</th><th>server</th>"
             "<th>rcode</th><th>answers</th><th>ms</th>");
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(d, xd_json_array(side, "dns")) {
      bool bad = strcmp(rp_s(d, "rcode"), "NOERROR") ||
                 !cJSON_GetArraySize(xd_json_array(d, "answers"));
      row_start(out, bad, side);
      td_mono(out, rp_s(d, "name"));
      td(out, rp_s(d, "type"));
      td_mono(out, rp_s(d, "server"));
      td(out, rp_s(d, "rcode"));
      td_list(out, xd_json_array(d, "answers"));
      td_num(out, d, "ms", 1);
      xd_buf_puts(out, "</tr>\n");
    }
  xd_buf_puts(out, "</table>\n");
}

/* What identifying an open port's service gave (probes fill identify_ms,
 * service, identified_by and silent on open ports; older files have none
 * of them and get an empty cell). */
static void td_service(xd_buf *out, const cJSON *t)
{
  bool silent = false;
  const char *svc = xd_json_str(t, "service");
  const char *by = xd_json_str(t, "identified_by");
  const cJSON *ms = cJSON_GetObjectItemCaseSensitive(t, "identify_ms");
  xd_json_bool(t, "silent", &silent);
  xd_buf_puts(out, "<td>");
  if(by && !strcmp(by, "thrift-sasl"))
    xd_buf_puts(out, RP_THRIFT_SASL_ANSWERED);
  else if(svc && (!by || strcmp(by, "port")))
    h(out, svc);
  else if(silent && cJSON_IsNumber(ms)) {
    xd_buf_printf(out, "not identified in %g s", ms->valuedouble / 1000.0);
    if(svc) {
      xd_buf_puts(out, " <span class=\"muted\">(");
      h(out, svc);
      xd_buf_puts(out, " by port)</span>");
    }
  }
  else if(svc) {
    h(out, svc);
    xd_buf_puts(out, " <span class=\"muted\">(by port)</span>");
  }
  xd_buf_puts(out, "</td>");
}

static void tcp(xd_buf *out, const cJSON *obs)
{
  const cJSON *side, *t;
  table_head(out, "TCP", "<th>target</th><th>address</th><th>port</th>"
             "<th>state</th><th>reason</th><th>ms</th><th>service</th>");
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(t, xd_json_array(side, "tcp")) {
      const char *state = rp_s(t, "state");
      row_start(out, strcmp(state, "open") != 0, side);
      td_mono(out, rp_s(t, "target"));
      td_mono(out, rp_s(t, "ip"));
      td_num(out, t, "port", 0);
      xd_buf_puts(out, "<td>");
      rp_html_badge(out, state, state);
      xd_buf_puts(out, "</td>");
      td(out, rp_s(t, "reason"));
      td_num(out, t, "ms", 1);
      td_service(out, t);
      xd_buf_puts(out, "</tr>\n");
    }
  xd_buf_puts(out, "</table>\n");
}

/* Expiry counted from the run's start, so a saved report still says what
 * was true when it was made. */
static void expiry(xd_buf *out, const char *not_after, const char *started)
{
  double t_end, t_run;
  h(out, not_after);
  if(!rp_time_parse(not_after, &t_end) || !rp_time_parse(started, &t_run))
    return;
  {
    double days = (t_end - t_run) / 86400.0;
    if(days < 0)
      xd_buf_printf(out, "<br><span class=\"badge b-bad\">expired %.0f days "
                    "before the run</span>", floor(-days));
    else if(days < 30)
      xd_buf_printf(out, "<br><span class=\"badge b-warning\">expires in %.0f "
                    "days</span>", floor(days));
    else
      xd_buf_printf(out, "<br><span class=\"muted\">in %.0f days</span>",
                    floor(days));
  }
}

static void tls(xd_buf *out, const cJSON *r, const cJSON *obs)
{
  const cJSON *side, *t;
  table_head(out, "TLS", "<th>endpoint</th><th>version / cipher</th>"
             "<th>subject</th><th>issuer</th><th>names</th>"
             "<th>not after</th><th>verify</th>");
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(t, xd_json_array(side, "tls")) {
      const char *verify = rp_s(t, "verify");
      long port = 0;
      xd_json_long(t, "port", &port);
      row_start(out, false, side);
      xd_buf_puts(out, "<td class=\"mono\">");
      h(out, rp_s(t, "ip"));
      xd_buf_printf(out, ":%ld</td><td>", port);
      h(out, rp_s(t, "version"));
      xd_buf_puts(out, "<br><span class=\"mono\">");
      h(out, rp_s(t, "cipher"));
      xd_buf_puts(out, "</span></td>");
      td_mono(out, rp_s(t, "subject"));
      td_mono(out, rp_s(t, "issuer"));
      td_list(out, xd_json_array(t, "sans"));
      xd_buf_puts(out, "<td class=\"mono\">");
      expiry(out, rp_s(t, "not_after"), rp_s(r, "started_at"));
      xd_buf_puts(out, "</td><td>");
      rp_html_badge(out, !strcmp(verify, "ok") ? "ok" : "warning", verify);
      xd_buf_puts(out, "</td></tr>\n");
    }
  xd_buf_puts(out, "</table>\n");
}

static void http(xd_buf *out, const cJSON *obs)
{
  static const char *phases[] = {"dns", "connect", "tls", "first_byte",
                                 "total"};
  const cJSON *side, *t;
  table_head(out, "HTTP", "<th>url</th><th>status</th><th>service</th>"
             "<th>dns ms</th><th>connect ms</th><th>tls ms</th>"
             "<th>first byte ms</th><th>total ms</th>");
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(t, xd_json_array(side, "http")) {
      const cJSON *ph = xd_json_object(t, "phases");
      row_start(out, false, side);
      td_mono(out, rp_s(t, "url"));
      td_num(out, t, "status", 0);
      td(out, rp_s(t, "service"));
      for(int i = 0; i < 5; i++) {
        double v;
        if(i == 4 && !rp_num(ph, "total", &v))
          td_num(out, t, "ms", 1);
        else
          td_num(out, ph, phases[i], 1);
      }
      xd_buf_puts(out, "</tr>\n");
    }
  xd_buf_puts(out, "</table>\n");
}

/* A member the contract does not name (the Studio client's pre-check, or
 * whatever a later version adds), shown as nested key/value lists rather
 * than dropped. */
void rp_html_generic(xd_buf *out, const cJSON *v, int depth)
{
  const cJSON *it;
  if(cJSON_IsString(v))
    h(out, v->valuestring);
  else if(cJSON_IsNumber(v))
    xd_buf_printf(out, "%g", v->valuedouble);
  else if(cJSON_IsBool(v))
    xd_buf_puts(out, cJSON_IsTrue(v) ? "yes" : "no");
  else if(cJSON_IsNull(v))
    xd_buf_puts(out, "\xE2\x80\x93");
  else if(depth > 6)
    xd_buf_puts(out, "\xE2\x80\xA6");
  else if(cJSON_IsArray(v)) {
    bool first = true;
    cJSON_ArrayForEach(it, v) {
      xd_buf_puts(out, first ? "" : ", ");
      rp_html_generic(out, it, depth + 1);
      first = false;
    }
  }
  else if(cJSON_IsObject(v)) {
    xd_buf_puts(out, "<ul>");
    cJSON_ArrayForEach(it, v) {
      xd_buf_puts(out, "<li><b>");
      h(out, it->string);
      xd_buf_puts(out, "</b>: ");
      rp_html_generic(out, it, depth + 1);
      xd_buf_puts(out, "</li>");
    }
    xd_buf_puts(out, "</ul>");
  }
}

static bool known_member(const char *k)
{
  static const char *known[] = {"schema", "side", "host", "interfaces", "dns",
                                "tcp", "tls", "http", "flows", NULL};
  for(int i = 0; known[i]; i++)
    if(!strcmp(k, known[i]))
      return true;
  return false;
}

static void others(xd_buf *out, const cJSON *obs)
{
  const cJSON *side, *it;
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(it, side) {
      if(!it->string || known_member(it->string))
        continue;
      xd_buf_puts(out, "<h3>");
      h(out, side->string);
      xd_buf_puts(out, ": ");
      h(out, it->string);
      xd_buf_puts(out, "</h3>\n<div>");
      rp_html_generic(out, it, 0);
      xd_buf_puts(out, "</div>\n");
    }
}

void rp_html_probes(xd_buf *out, const cJSON *r)
{
  const cJSON *obs = rp_obj(r, "observations");
  bool any = false;
  xd_buf_puts(out, "<section id=\"probes\">\n<h2>Probes</h2>\n");
  if(any_of(obs, "dns") && (any = true))
    dns(out, obs);
  if(any_of(obs, "tcp") && (any = true))
    tcp(out, obs);
  if(any_of(obs, "tls") && (any = true))
    tls(out, r, obs);
  if(any_of(obs, "http") && (any = true))
    http(out, obs);
  if(!any)
    xd_buf_puts(out, "<p class=\"muted\">No probe was run (configuration "
                "only).</p>\n");
  others(out, obs);
  xd_buf_puts(out, "</section>\n");
}

/* ---- capture timeline ---- */

typedef struct {
  const char *src, *dst;      /* the flow, named from the client's side */
  const cJSON *seen[2];       /* the flow as studio [0] / emr [1] saw it */
} flow_row;

#define TL_LABEL 300
#define TL_W 500
#define TL_X (TL_LABEL + 10)
#define TL_LANE 20
#define SVG_TL_W 1120

static int side_index(const char *side)
{
  return !strcmp(side, "emr") ? 1 : 0;
}

/* One flow as one side saw it, in the order the document lists them. */
typedef struct {
  const char *src, *dst;
  const cJSON *f;
  int si;
  size_t pos;
} flow_ent;

static int ent_cmp(const void *a, const void *b)
{
  const flow_ent *x = a, *y = b;
  return rp_key_cmp(x->src, x->dst, x->pos, y->src, y->dst, y->pos);
}

typedef struct {
  flow_row row;
  size_t pos;   /* the entry that made the row: rows keep that order */
} made_row;

static int made_cmp(const void *a, const void *b)
{
  const made_row *x = a, *y = b;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Pair each flow one side saw with the same flow the other side saw (the
 * k-th sighting of src->dst on one side with the k-th on the other), in
 * O(n log n): sorted by flow, then rows put back in document order. A
 * result may hold the tracker's 262,144 flows per side. */
static size_t collect(const cJSON *obs, flow_row **out_rows)
{
  const cJSON *side, *f;
  flow_ent *ents = NULL;
  made_row *made = NULL;
  size_t n = 0, cap = 0, m = 0;
  *out_rows = NULL;
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(f, xd_json_array(side, "flows")) {
      if(n == cap) {
        flow_ent *ne = realloc(ents, (cap ? cap * 2 : 64) * sizeof(*ents));
        if(!ne)
          goto done;
        ents = ne;
        cap = cap ? cap * 2 : 64;
      }
      ents[n].src = rp_s(f, "src");
      ents[n].dst = rp_s(f, "dst");
      ents[n].f = f;
      ents[n].si = side_index(side->string);
      ents[n].pos = n;
      n++;
    }
  if(!n || !(made = calloc(n, sizeof(*made))))
    goto done;
  qsort(ents, n, sizeof(*ents), ent_cmp);
  for(size_t g = 0; g < n;) {
    size_t end = g, first = m, cursor[2];
    while(end < n && !strcmp(ents[end].src, ents[g].src) &&
          !strcmp(ents[end].dst, ents[g].dst))
      end++;
    cursor[0] = cursor[1] = first;
    for(size_t i = g; i < end; i++) {
      int si = ents[i].si;
      /* rows before the cursor already hold a flow of this side */
      while(cursor[si] < m && made[cursor[si]].row.seen[si])
        cursor[si]++;
      if(cursor[si] == m) {
        made[m].row.src = ents[i].src;
        made[m].row.dst = ents[i].dst;
        made[m].pos = ents[i].pos;
        m++;
      }
      made[cursor[si]].row.seen[si] = ents[i].f;
    }
    g = end;
  }
  qsort(made, m, sizeof(*made), made_cmp);
  *out_rows = malloc((m ? m : 1) * sizeof(**out_rows));
  if(!*out_rows) {
    m = 0;
    goto done;
  }
  for(size_t i = 0; i < m; i++)
    (*out_rows)[i] = made[i].row;
done:
  free(ents);
  free(made);
  return m;
}

static void counts(xd_buf *out, const cJSON *f)
{
  long syn = 0, sa = 0, rst = 0;
  const char *icmp = rp_s_opt(f, "icmp");
  xd_json_long(f, "syn", &syn);
  xd_json_long(f, "syn_ack", &sa);
  xd_json_long(f, "rst", &rst);
  xd_buf_printf(out, "%ld SYN \xC2\xB7 %ld SYN-ACK \xC2\xB7 %ld RST", syn, sa,
                rst);
  if(icmp) {
    xd_buf_puts(out, " \xC2\xB7 ICMP ");
    h(out, icmp);
  }
}

static void timeline(xd_buf *out, const flow_row *rows, size_t n,
                     const cJSON *obs)
{
  static const char *names[2] = {"studio", "emr"};
  static const char *colours[2] = {"#1a57b5", "#7b1fa2"};
  double t0 = INFINITY, t1 = -INFINITY;
  bool has[2] = {false, false};
  int height, y;
  const cJSON *side;
  cJSON_ArrayForEach(side, obs)
    has[side_index(side->string)] = true;
  for(size_t i = 0; i < n; i++)
    for(int s = 0; s < 2; s++) {
      double a, b;
      if(!rows[i].seen[s])
        continue;
      if(rp_time_parse(rp_s(rows[i].seen[s], "first"), &a)) {
        t0 = a < t0 ? a : t0;
        t1 = a > t1 ? a : t1;
      }
      if(rp_time_parse(rp_s(rows[i].seen[s], "last"), &b)) {
        t0 = b < t0 ? b : t0;
        t1 = b > t1 ? b : t1;
      }
    }
  if(!isfinite(t0))
    return;   /* no time to place anything on: the table says it all */
  if(t1 - t0 < 0.001)
    t1 = t0 + 0.001;
  height = 40 + (int)n * (2 * TL_LANE + 14);
  xd_buf_printf(out, "<figure><svg class=\"timeline\" viewBox=\"0 0 %d %d\" "
                "role=\"img\" aria-label=\"capture timeline\">\n",
                SVG_TL_W, height);
  /* the axis: offsets from the first packet */
  for(int k = 0; k <= 4; k++) {
    int x = TL_X + TL_W * k / 4;
    xd_buf_printf(out, "<line x1=\"%d\" y1=\"22\" x2=\"%d\" y2=\"%d\" "
                  "stroke=\"#dadce0\"/><text x=\"%d\" y=\"14\" "
                  "text-anchor=\"middle\" class=\"t-small\">+%.*f ms</text>\n",
                  x, x, height - 4, x, t1 - t0 < 0.01 ? 2 : 0,
                  (t1 - t0) * 1000.0 * k / 4);
  }
  y = 30;
  for(size_t i = 0; i < n; i++) {
    xd_buf_printf(out, "<text x=\"0\" y=\"%d\" class=\"t-res\">", y + 14);
    h_max(out, rows[i].src, 21);
    xd_buf_printf(out, "</text><text x=\"0\" y=\"%d\" class=\"t-res\">"
                  "\xE2\x86\x92 ", y + 14 + TL_LANE);
    h_max(out, rows[i].dst, 21);
    xd_buf_puts(out, "</text>\n");
    for(int s = 0; s < 2; s++) {
      const cJSON *f = rows[i].seen[s];
      int ly = y + s * TL_LANE;
      double a, b;
      xd_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
                    "class=\"t-small\">%s</text>", TL_X - 6, ly + 14, names[s]);
      if(!f) {
        xd_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"t-small\">%s"
                      "</text>\n", TL_X + 4, ly + 14,
                      has[s] ? "not seen on this side" : "no capture");
        continue;
      }
      if(!rp_time_parse(rp_s(f, "first"), &a))
        a = t0;
      if(!rp_time_parse(rp_s(f, "last"), &b))
        b = a;
      {
        int x0 = TL_X + (int)((a - t0) / (t1 - t0) * TL_W);
        int w = (int)((b - a) / (t1 - t0) * TL_W);
        long sa = 0, rst = 0;
        xd_json_long(f, "syn_ack", &sa);
        xd_json_long(f, "rst", &rst);
        xd_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\" "
                      "rx=\"3\" fill=\"%s\"/>", x0, ly + 4, w < 4 ? 4 : w,
                      rst ? "#b3261e" : sa ? colours[s] : "#e37400");
        xd_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"t-small\">",
                      TL_X + TL_W + 10, ly + 14);
        counts(out, f);
        xd_buf_puts(out, "</text>\n");
      }
    }
    y += 2 * TL_LANE + 14;
  }
  xd_buf_puts(out, "</svg>\n<figcaption class=\"muted\">Each flow as each side "
              "captured it, from its first to its last packet (time from ");
  {
    const cJSON *f0 = NULL;
    for(size_t i = 0; i < n && !f0; i++)
      f0 = rows[i].seen[0] ? rows[i].seen[0] : rows[i].seen[1];
    h(out, rp_s(f0, "first"));
  }
  xd_buf_puts(out, "). Orange: SYNs with no answer; blue/purple: answered; "
              "red: reset.</figcaption></figure>\n");
}

static void flow_table(xd_buf *out, const flow_row *rows, size_t n)
{
  static const char *names[2] = {"studio", "emr"};
  xd_buf_puts(out, "<table>\n<tr><th>flow</th><th>seen by</th><th>SYN</th>"
              "<th>SYN-ACK</th><th>RST</th><th>ICMP</th><th>first</th>"
              "<th>last</th></tr>\n");
  for(size_t i = 0; i < n; i++)
    for(int s = 0; s < 2; s++) {
      const cJSON *f = rows[i].seen[s];
      if(!f)
        continue;
      xd_buf_puts(out, "<tr><td class=\"mono\">");
      h(out, rows[i].src);
      xd_buf_puts(out, " \xE2\x86\x92 ");
      h(out, rows[i].dst);
      xd_buf_printf(out, "</td><td>%s</td>", names[s]);
      td_num(out, f, "syn", 0);
      td_num(out, f, "syn_ack", 0);
      td_num(out, f, "rst", 0);
      td(out, rp_s_opt(f, "icmp") ? rp_s(f, "icmp") : "\xE2\x80\x93");
      td_mono(out, rp_s(f, "first"));
      td_mono(out, rp_s(f, "last"));
      xd_buf_puts(out, "</tr>\n");
    }
  xd_buf_puts(out, "</table>\n");
}

void rp_html_flows(xd_buf *out, const cJSON *r)
{
  const cJSON *obs = rp_obj(r, "observations");
  flow_row *rows = NULL;
  size_t n = collect(obs, &rows);
  xd_buf_puts(out, "<section id=\"flows\">\n<h2>Capture</h2>\n");
  if(!n)
    xd_buf_puts(out, "<p class=\"muted\">No packet capture in this result.</p>\n");
  else {
    timeline(out, rows, n, obs);
    flow_table(out, rows, n);
  }
  xd_buf_puts(out, "</section>\n");
  free(rows);
}
