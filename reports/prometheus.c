/* The Prometheus text exposition format, for node_exporter's textfile
 * collector: cron writes the file (atomically, --output), node_exporter
 * serves it. No timestamps: the collector refuses them, and the run's time
 * is a metric of its own (xacct_doctor_last_run_timestamp_seconds).
 * Durations are in seconds, the Prometheus base unit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/result.h"

#include "../common/jsonutil.h"
#include "../common/siphash.h"
#include "escape.h"
#include "formats.h"
#include "util.h"

/* A series is built in line, then emitted unless the same name and
 * labels were emitted before: two series with the same labels make the
 * whole file invalid (a path listed twice, a probe repeated in merged
 * observations), so the first one wins. */
typedef struct {
  xd_buf *out;
  xd_buf line;
  xd_strset seen; /* series already emitted: a hash set, as a result
                     may hold tens of thousands of findings */
  bool nomem;
  bool first;
} prom;

static void series(prom *p, const char *name)
{
  xd_buf_reset(&p->line);
  xd_buf_puts(&p->line, name);
  p->first = true;
}

static void label(prom *p, const char *name, const char *v)
{
  xd_buf_printf(&p->line, "%s%s=\"", p->first ? "{" : ",", name);
  rp_prom_label_escape(&p->line, v ? v : "");
  xd_buf_putc(&p->line, '"');
  p->first = false;
}

/* Value with enough digits for sub-millisecond durations. */
static void value(prom *p, double v)
{
  if(!p->first)
    xd_buf_putc(&p->line, '}');
  if(p->line.failed)
    return;
  switch(xd_strset_add(&p->seen, xd_buf_str(&p->line))) {
  case 0: return;
  case -1: p->nomem = true; return;
  default: break;
  }
  xd_buf_printf(p->out, "%s %.9g\n", xd_buf_str(&p->line), v);
}

static void family(prom *p, const char *name, const char *type,
                   const char *help)
{
  xd_buf_printf(p->out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
                type);
}

static void port_str(char *buf, size_t n, const cJSON *obj, const char *key)
{
  long p;
  if(xd_json_long(obj, key, &p))
    snprintf(buf, n, "%ld", p);
  else
    snprintf(buf, n, "%s", "");
}

static void paths(prom *p, const cJSON *r)
{
  const cJSON *path;
  const char *names[] = {"reachable", "blocked", "unknown"};
  rp_counts c;
  family(p, "xacct_doctor_path_reachable", "gauge",
         "Whether the path from the Studio side to the EMR primary node port "
         "(or to the STS and EMR APIs, to=their name) is reachable (1) or "
         "not (0: blocked or unknown).");
  cJSON_ArrayForEach(path, xd_json_array(r, "paths")) {
    const cJSON *from = xd_json_object(path, "from"), *to = xd_json_object(path, "to");
        char port[24];
    port_str(port, sizeof(port), to, "port");
    series(p, "xacct_doctor_path_reachable");
    label(p, "from", rp_s(from, "ip"));
    label(p, "to", rp_path_end(to));
    label(p, "port", port);
    label(p, "service", rp_s(to, "service"));
    value(p, !strcmp(rp_s(path, "verdict"), "reachable") ? 1 : 0);
  }
  rp_count(r, &c);
  family(p, "xacct_doctor_paths", "gauge",
         "Number of paths evaluated, by verdict.");
  for(int i = 0; i < 3; i++) {
        series(p, "xacct_doctor_paths");
    label(p, "verdict", names[i]);
    value(p, i == 0 ? c.reachable : i == 1 ? c.blocked : c.unknown);
  }
}

typedef struct {
  const char *sev, *code;
  size_t pos, count;
} finding_key;

static int key_cmp(const void *a, const void *b)
{
  const finding_key *x = a, *y = b;
  return rp_key_cmp(x->sev, x->code, x->pos, y->sev, y->code, y->pos);
}

static int pos_cmp(const void *a, const void *b)
{
  const finding_key *x = a, *y = b;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void findings(prom *p, const cJSON *r)
{
  const cJSON *f;
  const char *sevs[] = {"critical", "warning", "info"};
  rp_counts c;
  rp_count(r, &c);
  family(p, "xacct_doctor_findings_by_severity", "gauge",
         "Number of findings of the last run, by severity.");
  for(int i = 0; i < 3; i++) {
    series(p, "xacct_doctor_findings_by_severity");
    label(p, "severity", sevs[i]);
    value(p, i == 0 ? c.critical : i == 1 ? c.warning : c.info);
  }
  family(p, "xacct_doctor_findings", "gauge",
         "Number of findings of the last run, by severity and code.");
  /* one series per (severity, code): counted by sorting, emitted in the
   * order of each pair's first occurrence (O(n log n): an org-wide result
   * may hold tens of thousands of findings) */
  {
    size_t n = (size_t)cJSON_GetArraySize(xd_json_array(r, "findings")), k = 0;
    finding_key *v = n ? calloc(n, sizeof(*v)) : NULL;
    size_t groups = 0;
    if(n && !v) {
      p->nomem = true;
      return;
    }
    cJSON_ArrayForEach(f, xd_json_array(r, "findings")) {
      v[k].sev = rp_s(f, "severity");
      v[k].code = rp_s(f, "code");
      v[k].pos = k;
      k++;
    }
    if(n) /* qsort's array may not be NULL, even for no element */
      qsort(v, n, sizeof(*v), key_cmp);
    /* collapse each run of equal pairs into its first element */
    for(size_t i = 0; i < n;) {
      size_t j = i;
      while(j < n && !strcmp(v[j].sev, v[i].sev) &&
            !strcmp(v[j].code, v[i].code))
        j++;
      v[groups] = v[i];
      v[groups].count = j - i;
      groups++;
      i = j;
    }
    if(groups)
      qsort(v, groups, sizeof(*v), pos_cmp);
    for(size_t i = 0; i < groups; i++) {
      series(p, "xacct_doctor_findings");
      label(p, "severity", v[i].sev);
      label(p, "code", v[i].code);
      value(p, (double)v[i].count);
    }
    free(v);
  }
}

static void tcp(prom *p, const cJSON *obs)
{
  const cJSON *side, *t;
  bool head = false;
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(t, xd_json_array(side, "tcp")) {
      double ms;
            char port[24];
      if(!rp_num(t, "ms", &ms))
        continue;
      if(!head)
        family(p, "xacct_doctor_tcp_connect_duration_seconds", "gauge",
               "Time of the TCP connect probe (to the answer, or to the "
               "timeout when filtered).");
      head = true;
      port_str(port, sizeof(port), t, "port");
      series(p, "xacct_doctor_tcp_connect_duration_seconds");
      label(p, "side", side->string);
      label(p, "target", rp_s(t, "target"));
      label(p, "ip", rp_s(t, "ip"));
      label(p, "port", port);
      value(p, ms / 1000.0);
    }
  head = false;
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(t, xd_json_array(side, "tcp")) {
            char port[24];
      if(!head)
        family(p, "xacct_doctor_tcp_open", "gauge",
               "Whether the TCP port answered open (1) or not (0); reason as "
               "nmap names it.");
      head = true;
      port_str(port, sizeof(port), t, "port");
      series(p, "xacct_doctor_tcp_open");
      label(p, "side", side->string);
      label(p, "target", rp_s(t, "target"));
      label(p, "ip", rp_s(t, "ip"));
      label(p, "port", port);
      label(p, "state", rp_s(t, "state"));
      label(p, "reason", rp_s(t, "reason"));
      value(p, !strcmp(rp_s(t, "state"), "open") ? 1 : 0);
    }
}

static void dns(prom *p, const cJSON *obs)
{
  const cJSON *side, *d;
  bool head = false;
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(d, xd_json_array(side, "dns")) {
      double ms;
            if(!rp_num(d, "ms", &ms))
        continue;
      if(!head)
        family(p, "xacct_doctor_dns_lookup_duration_seconds", "gauge",
               "Time of the DNS lookup.");
      head = true;
      series(p, "xacct_doctor_dns_lookup_duration_seconds");
      label(p, "side", side->string);
      label(p, "name", rp_s(d, "name"));
      label(p, "type", rp_s(d, "type"));
      label(p, "server", rp_s(d, "server"));
      label(p, "rcode", rp_s(d, "rcode"));
      value(p, ms / 1000.0);
    }
}

/* blackbox_exporter's probe_http_duration_seconds{phase}: the phases are
 * in milliseconds in the observations, like every other "ms". */
static void http(prom *p, const cJSON *obs)
{
  static const char *phases[] = {"dns", "connect", "tls", "first_byte",
                                 "total"};
  const cJSON *side, *h;
  bool head = false;
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(h, xd_json_array(side, "http")) {
      const cJSON *ph = xd_json_object(h, "phases");
      for(int i = 0; i < 5; i++) {
        double ms;
                if(!rp_num(ph, phases[i], &ms) &&
           !(i == 4 && rp_num(h, "ms", &ms)))
          continue;
        if(!head)
          family(p, "xacct_doctor_http_duration_seconds", "gauge",
                 "Time of each phase of the HTTP probe (dns, connect, tls, "
                 "first_byte, total).");
        head = true;
        series(p, "xacct_doctor_http_duration_seconds");
        label(p, "side", side->string);
        label(p, "url", rp_s(h, "url"));
        label(p, "service", rp_s(h, "service"));
        label(p, "phase", phases[i]);
        value(p, ms / 1000.0);
      }
    }
  head = false;
  cJSON_ArrayForEach(side, obs)
    cJSON_ArrayForEach(h, xd_json_array(side, "http")) {
      double st;
            if(!rp_num(h, "status", &st))
        continue;
      if(!head)
        family(p, "xacct_doctor_http_status_code", "gauge",
               "HTTP status code of the service probe.");
      head = true;
      series(p, "xacct_doctor_http_status_code");
      label(p, "side", side->string);
      label(p, "url", rp_s(h, "url"));
      label(p, "service", rp_s(h, "service"));
      value(p, st);
    }
}

static void run(prom *p, const cJSON *r)
{
  const char *status = rp_s(r, "status");
  xd_status st;
  double t, dur;
  bool incomplete = rp_s_opt(xd_json_object(r, "meta"), "incomplete") != NULL;
  /* UNKNOWN because nothing could be seen is a run that completed: the
   * status says what it could not decide, run_success that it ran */
  bool not_seen = cJSON_GetArraySize(xd_json_array(xd_json_object(r, "meta"),
                                                   "not_seen")) > 0;
  if(!xd_status_parse(status, &st))
    st = XD_STATUS_UNKNOWN;
  family(p, "xacct_doctor_status", "gauge",
         "Status of the last run as its exit code: 0 ok, 1 warning, "
         "2 critical, 3 unknown.");
  xd_buf_printf(p->out, "xacct_doctor_status %d\n", (int)st);
  family(p, "xacct_doctor_run_success", "gauge",
         "Whether the last run completed (1) or was cut short or failed (0).");
  xd_buf_printf(p->out, "xacct_doctor_run_success %d\n",
                (st == XD_STATUS_UNKNOWN && !not_seen) || incomplete ? 0 : 1);
  if(rp_time_parse(rp_s(r, "started_at"), &t)) {
    family(p, "xacct_doctor_last_run_timestamp_seconds", "gauge",
           "When the last run started, in seconds since the epoch.");
    xd_buf_printf(p->out, "xacct_doctor_last_run_timestamp_seconds %.3f\n", t);
  }
  if(rp_num(r, "duration_ms", &dur)) {
    family(p, "xacct_doctor_run_duration_seconds", "gauge",
           "How long the last run took.");
    xd_buf_printf(p->out, "xacct_doctor_run_duration_seconds %.3f\n", dur / 1000.0);
  }
}

xd_rc rp_render_prometheus(const cJSON *r, const rp_options *o, xd_buf *out,
                           xd_err *e)
{
  const cJSON *obs = rp_obj(r, "observations");
  prom p;
  (void)o; (void)e;
  p.out = out;
  p.first = true;
  xd_buf_init(&p.line);
  xd_strset_init(&p.seen);
  p.nomem = false;
  run(&p, r);
  paths(&p, r);
  findings(&p, r);
  if(obs) {
    dns(&p, obs);
    tcp(&p, obs);
    http(&p, obs);
  }
  if(p.line.failed || p.nomem)
    out->failed = true;
  xd_buf_free(&p.line);
  xd_strset_free(&p.seen);
  return XD_OK;
}
