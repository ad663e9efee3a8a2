#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/jsonutil.h"
#include "../common/timeutil.h"

void rp_count(const cJSON *result, rp_counts *c)
{
  const cJSON *it;
  memset(c, 0, sizeof(*c));
  cJSON_ArrayForEach(it, xd_json_array(result, "findings")) {
    const char *sev = rp_s(it, "severity");
    if(!strcmp(sev, "critical"))
      c->critical++;
    else if(!strcmp(sev, "warning"))
      c->warning++;
    else
      c->info++;
  }
  cJSON_ArrayForEach(it, xd_json_array(result, "paths")) {
    const char *v = rp_s(it, "verdict");
    c->paths++;
    if(!strcmp(v, "reachable"))
      c->reachable++;
    else if(!strcmp(v, "blocked"))
      c->blocked++;
    else
      c->unknown++;
  }
}

const char *rp_s(const cJSON *obj, const char *key)
{
  const char *s = obj ? xd_json_str(obj, key) : NULL;
  return s ? s : "";
}

const char *rp_s_opt(const cJSON *obj, const char *key)
{
  const char *s = obj ? xd_json_str(obj, key) : NULL;
  return s && *s ? s : NULL;
}

const char *rp_status_upper(const char *status)
{
  if(status && !strcmp(status, "ok"))
    return "OK";
  if(status && !strcmp(status, "warning"))
    return "WARNING";
  if(status && !strcmp(status, "critical"))
    return "CRITICAL";
  return "UNKNOWN";
}

long rp_path_port(const cJSON *path)
{
  long port;
  if(!xd_json_long(xd_json_object(path, "to"), "port", &port))
    return -1;
  return port;
}

const char *rp_path_end(const cJSON *to)
{
  return rp_s_opt(to, "name") ? rp_s(to, "name") : rp_s(to, "ip");
}

void rp_path_name(xd_buf *out, const cJSON *path, const char *arrow)
{
  const cJSON *from = xd_json_object(path, "from"), *to = xd_json_object(path, "to");
  const char *svc = rp_s_opt(to, "service");
  long port = rp_path_port(path);
  xd_buf_printf(out, "%s %s %s %s %s", rp_s(from, "side"), rp_s(from, "ip"),
                arrow, rp_s(to, "side"), rp_path_end(to));
  if(port >= 0)
    xd_buf_printf(out, ":%ld", port);
  if(svc)
    xd_buf_printf(out, " (%s)", svc);
  if(rp_s_opt(to, "name") && rp_s_opt(to, "ip"))
    xd_buf_printf(out, " via %s", rp_s(to, "ip"));
}

const cJSON *rp_deciding_hop(const cJSON *path)
{
  const cJSON *h, *first_unknown = NULL;
  const char *verdict = rp_s(path, "verdict");
  if(!strcmp(verdict, "reachable"))
    return NULL;
  cJSON_ArrayForEach(h, xd_json_array(path, "hops")) {
    const char *v = rp_s(h, "verdict");
    if(!strcmp(v, "deny"))
      return h;
    if(!first_unknown && strcmp(v, "allow"))
      first_unknown = h;
  }
  return first_unknown;
}

static void lane_add(rp_lane *l, const cJSON *h, int idx)
{
  if(l->n < sizeof(l->hop) / sizeof(l->hop[0])) {
    l->hop[l->n] = h;
    l->idx[l->n++] = idx;
  }
}

void rp_hop_lanes(const cJSON *path, rp_lane *request, rp_lane *response)
{
  const cJSON *h;
  rp_lane back;
  int i = 0, routes = 0;
  memset(request, 0, sizeof(*request));
  memset(response, 0, sizeof(*response));
  memset(&back, 0, sizeof(back));
  cJSON_ArrayForEach(h, xd_json_array(path, "hops")) {
    const char *kind = rp_s(h, "kind");
    i++;
    if(!strcmp(kind, "peering")) {
      lane_add(request, h, i);
      lane_add(&back, h, i);
    } else if(!strncmp(rp_s(h, "detail"), "return", 6) ||
              (!strcmp(kind, "route-table") && routes++ > 0))
      lane_add(&back, h, i);
    else
      lane_add(request, h, i);
  }
  /* the response meets its hops from the EMR end back to Studio */
  for(size_t k = back.n; k-- > 0;)
    lane_add(response, back.hop[k], back.idx[k]);
}

bool rp_time_parse(const char *s, double *out)
{
  char whole[32];
  const char *dot;
  double frac = 0;
  time_t t;
  size_t n;
  if(!s)
    return false;
  dot = strchr(s, '.');
  if(!dot)
    return xd_iso8601_parse(s, &t) ? (*out = (double)t, true) : false;
  /* keep "YYYY-MM-DDTHH:MM:SS" and the zone, take the fraction apart */
  n = (size_t)(dot - s);
  if(n >= sizeof(whole) - 8)
    return false;
  memcpy(whole, s, n);
  {
    const char *p = dot + 1;
    double scale = 0.1;
    while(*p >= '0' && *p <= '9') {
      frac += (*p - '0') * scale;
      scale /= 10;
      p++;
    }
    if(strlen(p) > 6)
      return false;
    memcpy(whole + n, p, strlen(p) + 1);
  }
  if(!xd_iso8601_parse(whole, &t))
    return false;
  *out = (double)t + frac;
  return true;
}

bool rp_num(const cJSON *obj, const char *key, double *out)
{
  const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
  if(!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
    return false;
  *out = v->valuedouble;
  return true;
}

const cJSON *rp_obj(const cJSON *obj, const char *key)
{
  const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
  return cJSON_IsObject(v) ? v : NULL;
}

/* After the probe's state: which service answered on the open port, or
 * that the peer stayed silent for the identification budget (the words of
 * the probe's own report, obs_text.c). */
static void observed_service(xd_buf *out, const cJSON *o)
{
  double ms;
  bool silent = false;
  const char *svc = rp_s_opt(o, "service");
  const char *by = rp_s_opt(o, "identified_by");
  if(!rp_num(o, "identify_ms", &ms))
    return;
  xd_json_bool(o, "silent", &silent);
  if(by && !strcmp(by, "thrift-sasl"))
    xd_buf_puts(out, ", " RP_THRIFT_SASL_ANSWERED);
  else if(svc && by && !strcmp(by, "response"))
    xd_buf_printf(out, ", %s answered", svc);
  else if(silent)
    xd_buf_printf(out, ", service not identified in %g s%s%s%s", ms / 1000.0,
                  svc ? " (" : "", svc ? svc : "", svc ? " by port)" : "");
}

bool rp_observed_text(xd_buf *out, const cJSON *path)
{
  const cJSON *o = rp_obj(path, "observed");
  double a, b, c;
  const char *sep = "";
  if(!o)
    return false;
  xd_buf_puts(out, "packets: ");
  if(rp_s_opt(o, "tcp_state")) {
    xd_buf_printf(out, "Studio probe %s (%s)", rp_s(o, "tcp_state"),
                  rp_s(o, "tcp_reason"));
    observed_service(out, o);
    sep = "; ";
  }
  if(rp_num(o, "studio_syn", &a) && rp_num(o, "studio_syn_ack", &b)) {
    xd_buf_printf(out, "%sStudio capture %.0f SYN, %.0f SYN-ACK", sep, a, b);
    sep = "; ";
  }
  if(rp_num(o, "emr_syn", &a) && rp_num(o, "emr_syn_ack", &b) &&
     rp_num(o, "emr_rst", &c)) {
    xd_buf_printf(out, "%sEMR capture %.0f SYN arrived, %.0f SYN-ACK and %.0f "
                  "RST left", sep, a, b, c);
    sep = "; ";
  }
  if(rp_s_opt(o, "icmp")) {
    xd_buf_printf(out, "%sICMP %s", sep, rp_s(o, "icmp"));
    sep = "; ";
  }
  if(rp_s_opt(o, "break"))
    xd_buf_printf(out, "%sbreak: %s", sep, rp_s(o, "break"));
  return true;
}

int rp_key_cmp(const char *a1, const char *a2, size_t ap, const char *b1,
               const char *b2, size_t bp)
{
  int c = strcmp(a1, b1);
  if(!c)
    c = strcmp(a2, b2);
  if(!c)
    c = ap < bp ? -1 : ap > bp;
  return c;
}
