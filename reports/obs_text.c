/* reports/obs_text.c: the observations of `probe` for a person at a
 * terminal. Tables in the order the probes ran (DNS, TCP, TLS, HTTP),
 * then the Studio client's pre-check, which is what the user saw. */
#include <stdio.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "escape.h"
#include "obs_text.h"
#include "util.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[33m"
#define C_GREEN "\033[32m"

typedef struct {
  xd_buf *out;
  bool color;
} ot;

static const char *str(const cJSON *o, const char *k)
{
  const char *s = xd_json_str(o, k);
  return s ? s : "";
}

static void col(ot *t, const char *code)
{
  if(t->color)
    xd_buf_puts(t->out, code);
}

static void cell(ot *t, const char *s, size_t width)
{
  size_t n = rp_utf8_len(s);
  rp_text_safe(t->out, s);
  for(; n < width; n++)
    xd_buf_putc(t->out, ' ');
}

static void safe(ot *t, const char *s)
{
  rp_text_safe(t->out, s);
}

static size_t widest(const cJSON *arr, const char *key, size_t min)
{
  const cJSON *it;
  size_t w = min;
  cJSON_ArrayForEach(it, arr) {
    size_t n = rp_utf8_len(str(it, key));
    if(n > w)
      w = n;
  }
  return w > 60 ? 60 : w;
}

static double num(const cJSON *o, const char *k)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char *state_color(const char *st)
{
  if(!strcmp(st, "open"))
    return C_GREEN;
  if(!strcmp(st, "closed"))
    return C_YELLOW;
  return C_RED;
}

static void summary(ot *t, const cJSON *obs)
{
  const cJSON *tcp = xd_json_array(obs, "tcp"), *it;
  int open = 0, closed = 0, filtered = 0, targets = 0, unresolved = 0;
  cJSON_ArrayForEach(it, tcp) {
    const char *st = str(it, "state");
    if(!strcmp(st, "open"))
      open++;
    else if(!strcmp(st, "closed"))
      closed++;
    else
      filtered++;
  }
  cJSON_ArrayForEach(it, xd_json_array(obs, "targets")) {
    bool r = true;
    targets++;
    if(xd_json_bool(it, "resolved", &r) && !r)
      unresolved++;
  }
  col(t, C_BOLD);
  xd_buf_puts(t->out, "xacct-doctor probe");
  col(t, C_RESET);
  xd_buf_puts(t->out, " from ");
  safe(t, str(obs, "host"));
  xd_buf_printf(t->out, " (%s side): %d target%s, %d open, %d closed, "
                "%d filtered", str(obs, "side"), targets,
                targets == 1 ? "" : "s", open, closed, filtered);
  if(unresolved)
    xd_buf_printf(t->out, ", %d name%s not resolved", unresolved,
                  unresolved == 1 ? "" : "s");
  xd_buf_putc(t->out, '\n');
  if(xd_json_str(obs, "incomplete")) {
    col(t, C_RED);
    xd_buf_printf(t->out, "incomplete (%s): what follows is what finished\n",
                  str(obs, "incomplete"));
    col(t, C_RESET);
  }
}

static void dns_section(ot *t, const cJSON *arr)
{
  const cJSON *it;
  size_t wn = widest(arr, "name", 4);
  if(!cJSON_GetArraySize(arr))
    return;
  xd_buf_puts(t->out, "\nDNS\n  ");
  cell(t, "NAME", wn + 2);
  xd_buf_printf(t->out, "%-5s %-10s %-16s %8s  %s\n", "TYPE", "RCODE",
                "SERVER", "MS", "ANSWERS");
  cJSON_ArrayForEach(it, arr) {
    const cJSON *ans = xd_json_array(it, "answers"), *a;
    const char *rc = str(it, "rcode");
    bool first = true, m;
    xd_buf_puts(t->out, "  ");
    cell(t, str(it, "name"), wn + 2);
    cell(t, str(it, "type"), 6);
    col(t, strcmp(rc, "NOERROR") ? C_RED : C_GREEN);
    cell(t, rc, 11);
    col(t, C_RESET);
    cell(t, str(it, "server"), 17);
    xd_buf_printf(t->out, "%8.1f  ", num(it, "ms"));
    cJSON_ArrayForEach(a, ans) {
      if(!first)
        xd_buf_puts(t->out, ", ");
      safe(t, cJSON_IsString(a) ? a->valuestring : "?");
      first = false;
    }
    if(first)
      xd_buf_puts(t->out, "-");
    xd_buf_putc(t->out, '\n');
    if(xd_json_str(it, "error")) {
      xd_buf_puts(t->out, "      ");
      safe(t, str(it, "error"));
      xd_buf_putc(t->out, '\n');
    }
    if(xd_json_bool(it, "matches", &m)) {
      xd_buf_puts(t->out, "      expected ");
      safe(t, str(it, "expected"));
      col(t, m ? C_GREEN : C_RED);
      xd_buf_puts(t->out, m ? ": matches" : ": does not match");
      col(t, C_RESET);
      if(xd_json_str(it, "hint")) {
        xd_buf_puts(t->out, " (");
        safe(t, str(it, "hint"));
        xd_buf_putc(t->out, ')');
      }
      xd_buf_putc(t->out, '\n');
    }
  }
}

/* What identifying an open port's service gave: its name, or that the
 * peer stayed silent for the whole (short) identification budget. */
static void tcp_service(ot *t, const cJSON *it)
{
  bool silent = false;
  const char *svc = xd_json_str(it, "service");
  const char *by = xd_json_str(it, "identified_by");
  if(!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(it, "identify_ms")))
    return;
  xd_json_bool(it, "silent", &silent);
  if(by && !strcmp(by, "thrift-sasl")) {
    xd_buf_puts(t->out, "  " RP_THRIFT_SASL_ANSWERED);
    return;
  }
  if(svc && by && !strcmp(by, "response")) {
    xd_buf_puts(t->out, "  ");
    safe(t, svc);
    return;
  }
  if(silent) {
    xd_buf_printf(t->out, "  service not identified in %g s",
                  num(it, "identify_ms") / 1000.0);
    if(svc) {
      xd_buf_puts(t->out, " (");
      safe(t, svc);
      xd_buf_puts(t->out, " by port)");
    }
    return;
  }
  if(svc) {
    xd_buf_puts(t->out, "  ");
    safe(t, svc);
    xd_buf_puts(t->out, " (by port)");
  }
}

static void tcp_section(ot *t, const cJSON *arr)
{
  const cJSON *it;
  size_t wt = widest(arr, "target", 6), wi = widest(arr, "ip", 7);
  if(!cJSON_GetArraySize(arr))
    return;
  xd_buf_puts(t->out, "\nTCP\n  ");
  cell(t, "TARGET", wt + 2);
  cell(t, "ADDRESS", wi + 2);
  xd_buf_printf(t->out, "%5s  %-9s %-17s %8s\n", "PORT", "STATE", "REASON",
                "MS");
  cJSON_ArrayForEach(it, arr) {
    const char *st = str(it, "state");
    const cJSON *icmp = xd_json_object(it, "icmp");
    xd_buf_puts(t->out, "  ");
    cell(t, str(it, "target"), wt + 2);
    cell(t, str(it, "ip"), wi + 2);
    xd_buf_printf(t->out, "%5.0f  ", num(it, "port"));
    col(t, state_color(st));
    cell(t, st, 10);
    col(t, C_RESET);
    cell(t, str(it, "reason"), 18);
    xd_buf_printf(t->out, "%8.1f", num(it, "ms"));
    if(icmp) {
      xd_buf_printf(t->out, "  ICMP %.0f/%.0f", num(icmp, "type"),
                    num(icmp, "code"));
      if(xd_json_str(icmp, "from")) {
        xd_buf_puts(t->out, " from ");
        safe(t, str(icmp, "from"));
      }
    }
    tcp_service(t, it);
    xd_buf_putc(t->out, '\n');
  }
}

static void tls_section(ot *t, const cJSON *arr)
{
  const cJSON *it;
  if(!cJSON_GetArraySize(arr))
    return;
  xd_buf_puts(t->out, "\nTLS\n");
  cJSON_ArrayForEach(it, arr) {
    bool speaks = false, hm;
    char ep[96];
    xd_json_bool(it, "speaks_tls", &speaks);
    snprintf(ep, sizeof(ep), strchr(str(it, "ip"), ':') ? "[%s]:%.0f"
                                                        : "%s:%.0f",
             str(it, "ip"), num(it, "port"));
    xd_buf_puts(t->out, "  ");
    cell(t, ep, 24);
    if(!strcmp(str(it, "handshake"), "ok")) {
      safe(t, str(it, "version"));
      xd_buf_puts(t->out, " ");
      safe(t, str(it, "cipher"));
      xd_buf_puts(t->out, "\n      subject ");
      safe(t, str(it, "subject"));
      xd_buf_puts(t->out, "\n      issuer  ");
      safe(t, str(it, "issuer"));
      xd_buf_puts(t->out, "\n      expires ");
      safe(t, str(it, "not_after"));
      xd_buf_printf(t->out, " (%.0f days)", num(it, "days_left"));
      xd_buf_puts(t->out, "\n      verify  ");
      col(t, strcmp(str(it, "verify"), "ok") ? C_YELLOW : C_GREEN);
      safe(t, str(it, "verify"));
      col(t, C_RESET);
      if(xd_json_bool(it, "hostname_match", &hm)) {
        xd_buf_puts(t->out, "; name ");
        safe(t, str(it, "hostname"));
        xd_buf_puts(t->out, hm ? " matches" : " does not match");
      }
      xd_buf_putc(t->out, '\n');
      continue;
    }
    xd_buf_puts(t->out, speaks ? "speaks TLS, handshake " : "no TLS (");
    safe(t, str(it, "handshake"));
    xd_buf_puts(t->out, speaks ? "" : ")");
    if(xd_json_str(it, "error")) {
      xd_buf_puts(t->out, ": ");
      safe(t, str(it, "error"));
    }
    xd_buf_putc(t->out, '\n');
  }
}

static void endpoint(const cJSON *it, char *out, size_t n)
{
  snprintf(out, n, strchr(str(it, "ip"), ':') ? "[%s]:%.0f" : "%s:%.0f",
           str(it, "ip"), num(it, "port"));
}

static void http_section(ot *t, const cJSON *arr)
{
  const cJSON *it;
  size_t wu = widest(arr, "url", 3), wa = 7;
  if(!cJSON_GetArraySize(arr))
    return;
  cJSON_ArrayForEach(it, arr) {
    char ep[96];
    endpoint(it, ep, sizeof(ep));
    if(rp_utf8_len(ep) > wa)
      wa = rp_utf8_len(ep);
  }
  xd_buf_puts(t->out, "\nHTTP\n  ");
  cell(t, "ADDRESS", wa + 2);
  cell(t, "URL", wu + 2);
  xd_buf_printf(t->out, "%-6s %-22s %s\n", "STATUS", "SERVICE",
                "MS (dns/connect/tls/first byte/total)");
  cJSON_ArrayForEach(it, arr) {
    const cJSON *ph = xd_json_object(it, "phases");
    bool auth = false, trunc = false;
    char status[16], svc[64], ep[96];
    xd_json_bool(it, "auth_required", &auth);
    xd_json_bool(it, "truncated", &trunc);
    if(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(it, "status")))
      snprintf(status, sizeof(status), "%.0f", num(it, "status"));
    else
      snprintf(status, sizeof(status), "-");
    snprintf(svc, sizeof(svc), "%s%s", xd_json_str(it, "service")
             ? str(it, "service") : "?",
             !strcmp(str(it, "identified_by"), "port") ? " (by port)" : "");
    endpoint(it, ep, sizeof(ep));
    xd_buf_puts(t->out, "  ");
    cell(t, ep, wa + 2);
    cell(t, str(it, "url"), wu + 2);
    cell(t, status, 7);
    cell(t, svc, 23);
    xd_buf_printf(t->out, "%.1f/%.1f/%.1f/%.1f/%.1f", num(ph, "dns"),
                  num(ph, "connect"), num(ph, "tls"), num(ph, "first_byte"),
                  num(ph, "total"));
    if(auth)
      xd_buf_puts(t->out, "  reachable, authentication required");
    if(trunc)
      xd_buf_puts(t->out, "  body cut at 1 MiB");
    if(xd_json_str(it, "error")) {
      xd_buf_puts(t->out, "  ");
      safe(t, str(it, "error"));
    }
    xd_buf_putc(t->out, '\n');
  }
}

static void precheck_section(ot *t, const cJSON *pc)
{
  const cJSON *it;
  bool ok = false;
  if(!pc)
    return;
  xd_json_bool(pc, "ok", &ok);
  xd_buf_printf(t->out, "\nStudio client pre-check (port %.0f, %.0f ms per "
                "connect)\n", num(pc, "port"), num(pc, "timeout_ms"));
  cJSON_ArrayForEach(it, xd_json_array(pc, "steps")) {
    xd_buf_puts(t->out, "  ");
    cell(t, str(it, "kind"), 8);
    safe(t, str(it, "name"));
    if(xd_json_str(it, "ip")) {
      xd_buf_puts(t->out, " (");
      safe(t, str(it, "ip"));
      xd_buf_putc(t->out, ')');
    }
    if(xd_json_str(it, "state")) {
      xd_buf_puts(t->out, ": ");
      safe(t, str(it, "state"));
      xd_buf_puts(t->out, " (");
      safe(t, str(it, "reason"));
      xd_buf_printf(t->out, ") in %.0f ms", num(it, "ms"));
    }
    if(xd_json_str(it, "tls_handshake")) {
      xd_buf_puts(t->out, ", TLS ");
      safe(t, str(it, "tls_handshake"));
    }
    if(xd_json_str(it, "note") && !xd_json_str(it, "state")) {
      xd_buf_puts(t->out, ": ");
      safe(t, str(it, "note"));
    }
    xd_buf_putc(t->out, '\n');
  }
  col(t, ok ? C_GREEN : C_RED);
  if(ok) {
    xd_buf_puts(t->out, "  the client would use ");
    safe(t, str(pc, "url"));
  }
  else {
    xd_buf_puts(t->out, "  the client would show: ");
    safe(t, xd_json_str(pc, "message") ? str(pc, "message") : "(incomplete)");
  }
  col(t, C_RESET);
  xd_buf_putc(t->out, '\n');
  if(xd_json_str(pc, "detail")) {
    xd_buf_puts(t->out, "  ");
    safe(t, str(pc, "detail"));
    xd_buf_putc(t->out, '\n');
  }
}

/* One line per server end: the probes open several connections to one
 * port (TCP, TLS, HTTP), and what matters is what each port answered. */
static void flows_section(ot *t, const cJSON *arr)
{
  const cJSON *it, *jt;
  int i = 0;
  if(!cJSON_GetArraySize(arr))
    return;
  xd_buf_printf(t->out, "\nCaptured handshakes (per server end)\n  %-30s %5s "
                "%5s %7s %5s  %s\n", "SERVER", "CONNS", "SYN", "SYN-ACK",
                "RST", "ICMP");
  cJSON_ArrayForEach(it, arr) {
    const char *dst = str(it, "dst"), *icmp = NULL;
    double conns = 0, syn = 0, sa = 0, rst = 0;
    int j = 0;
    bool seen = false;
    cJSON_ArrayForEach(jt, arr) {
      if(j++ >= i)
        break;
      if(!strcmp(str(jt, "dst"), dst))
        seen = true;
    }
    i++;
    if(seen)
      continue;
    cJSON_ArrayForEach(jt, arr) {
      const cJSON *ic;
      if(strcmp(str(jt, "dst"), dst))
        continue;
      conns++;
      syn += num(jt, "syn");
      sa += num(jt, "syn_ack");
      rst += num(jt, "rst");
      ic = cJSON_GetObjectItemCaseSensitive(jt, "icmp");
      if(!icmp && cJSON_IsString(ic))
        icmp = ic->valuestring;
    }
    xd_buf_puts(t->out, "  ");
    cell(t, dst, 31);
    xd_buf_printf(t->out, "%5.0f %5.0f %7.0f %5.0f  ", conns, syn, sa, rst);
    safe(t, icmp ? icmp : "-");
    xd_buf_putc(t->out, '\n');
  }
}

xd_rc rp_render_obs_text(const cJSON *obs, const rp_options *o, xd_buf *out,
                         xd_err *e)
{
  ot t;
  t.out = out;
  t.color = o && o->color;
  if(!cJSON_IsObject(obs))
    return xd_fail(e, XD_E_INVALID, "observations: not a JSON object");
  summary(&t, obs);
  dns_section(&t, xd_json_array(obs, "dns"));
  tcp_section(&t, xd_json_array(obs, "tcp"));
  tls_section(&t, xd_json_array(obs, "tls"));
  http_section(&t, xd_json_array(obs, "http"));
  precheck_section(&t, xd_json_object(obs, "precheck"));
  flows_section(&t, xd_json_array(obs, "flows"));
  if(out->failed)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  return XD_OK;
}
