/* The tracker's output: its flows as the contract's observation objects
 * (cJSON, for the probe's in-memory result), and the same objects as JSON
 * text written straight from the table (listen --read of a large capture,
 * where building and printing a cJSON object per flow was half the run). */
#include "tracker_priv.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void pr_format_ts(struct timeval ts, char *out, size_t n)
{
  struct tm tm;
  time_t s = ts.tv_sec;
  char base[32];
  if(!n)
    return;
  if(!gmtime_r(&s, &tm) ||
     !strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm)) {
    snprintf(out, n, "1970-01-01T00:00:00.000000Z");
    return;
  }
  snprintf(out, n, "%s.%06uZ", base,
           (unsigned)(ts.tv_usec < 0 ? 0 : ts.tv_usec % 1000000));
}

/* v in decimal at out (room for 10 digits); the digits written. */
static size_t put_dec(char *out, uint32_t v)
{
  char tmp[10];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while(v);
  for(size_t i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  return n;
}

/* The address at out (at least XD_CIDR_STRLEN bytes); its length. IPv4
 * by hand: inet_ntop's locking and checks were a tenth of a large read. */
static size_t format_addr(uint8_t family, const uint8_t *a, char *out,
                          size_t n)
{
  size_t len = 0;
  if(family == 4 && n >= 16) {
    for(int i = 0; i < 4; i++) {
      if(i)
        out[len++] = '.';
      len += put_dec(out + len, a[i]);
    }
    out[len] = '\0';
    return len;
  }
  if(!inet_ntop(family == 4 ? AF_INET : AF_INET6, a, out, (socklen_t)n))
    snprintf(out, n, "?");
  return strlen(out);
}

/* "10.0.20.15:40112" or "[2001:db8::1]:40112" at out (at least
 * XD_CIDR_STRLEN + 16 bytes); its length. */
static size_t format_end(uint8_t family, const uint8_t *a, uint16_t port,
                         char *out, size_t n)
{
  size_t len = 0;
  if(family == 6)
    out[len++] = '[';
  len += format_addr(family, a, out + len, n - len - 9);
  if(family == 6)
    out[len++] = ']';
  out[len++] = ':';
  len += put_dec(out + len, port);
  out[len] = '\0';
  return len;
}

/* Members with constant keys, and constant words by reference: a large
 * capture has hundreds of thousands of flows, and copying every key was
 * a third of the run. */
static bool put(cJSON *o, const char *key, cJSON *v)
{
  if(!v)
    return false;
  if(!cJSON_AddItemToObjectCS(o, key, v)) {
    cJSON_Delete(v);
    return false;
  }
  return true;
}

static bool put_num(cJSON *o, const char *key, double v)
{
  return put(o, key, cJSON_CreateNumber(v));
}

static bool put_str(cJSON *o, const char *key, const char *v)
{
  return put(o, key, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

/* pr_format_ts for flows that mostly share their second with the flow
 * before: gmtime and strftime once per second, not once per flow. */
typedef struct {
  time_t sec;
  char base[40];   /* "2026-11-29T04:26:07" */
  size_t len;
  bool valid;
} ts_cache;

/* The timestamp at out (at least 64 bytes); its length. */
static size_t format_ts_cached(ts_cache *c, struct timeval ts, char *out,
                               size_t n)
{
  struct tm tm;
  time_t s = ts.tv_sec;
  uint32_t us = (uint32_t)(ts.tv_usec < 0 ? 0 : ts.tv_usec % 1000000);
  size_t len;
  if(!c->valid || c->sec != s) {
    if(!gmtime_r(&s, &tm) ||
       !strftime(c->base, sizeof(c->base), "%Y-%m-%dT%H:%M:%S", &tm)) {
      c->valid = false;
      pr_format_ts(ts, out, n);
      return strlen(out);
    }
    c->sec = s;
    c->valid = true;
    c->len = strlen(c->base);
  }
  len = c->len;
  memcpy(out, c->base, len);
  out[len++] = '.';
  for(int i = 5; i >= 0; i--, us /= 10)
    out[len + (size_t)i] = (char)('0' + us % 10);
  len += 6;
  out[len++] = 'Z';
  out[len] = '\0';
  return len;
}

static cJSON *flow_json(const pr_tracker *t, const flow *f, ts_cache *tc)
{
  char a[XD_CIDR_STRLEN + 16], ts[64];
  const char *word = f->icmp_type < 0 ? NULL :
                     pr_icmp_unreach_word(f->icmp_family, f->icmp_code);
  cJSON *o = cJSON_CreateObject();
  bool ok;
  if(!o)
    return NULL;
  format_end(f->family, f->cip, f->cport, a, sizeof(a));
  ok = put_str(o, "src", a);
  format_end(f->family, f->sip, f->sport, a, sizeof(a));
  ok = ok && put_str(o, "dst", a) && put_num(o, "syn", f->syn) &&
       put_num(o, "syn_ack", f->syn_ack) && put_num(o, "rst", f->rst) &&
       put(o, "icmp", word ? cJSON_CreateStringReference(word)
                           : cJSON_CreateNull());
  format_ts_cached(tc, f->first, ts, sizeof(ts));
  ok = ok && put_str(o, "first", ts);
  format_ts_cached(tc, f->last, ts, sizeof(ts));
  ok = ok && put_str(o, "last", ts) &&
       put_num(o, "client_rst", f->client_rst) &&
       put(o, "where", t->side_ref ? cJSON_CreateStringReference(t->side_ref)
                                   : cJSON_CreateString(t->side));
  if(ok && f->icmp_type >= 0) {
    format_addr(f->family, f->icmp_from, a, sizeof(a));
    ok = put_num(o, "icmp_type", f->icmp_type) &&
         put_num(o, "icmp_code", f->icmp_code) &&
         put_num(o, "icmp_count", f->icmp_count) &&
         put_str(o, "icmp_from", a);
  }
  if(!ok) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

xd_rc pr_tracker_each_flow(const pr_tracker *t, pr_flow_fn fn, void *ud,
                           xd_err *e)
{
  ts_cache tc;
  memset(&tc, 0, sizeof(tc));
  for(size_t i = 0; i < t->n_flows; i++) {
    cJSON *o = flow_json(t, &t->flows[i], &tc);
    xd_rc rc;
    if(!o)
      return xd_fail(e, XD_E_NOMEM, "out of memory writing flows");
    rc = fn(ud, o, e);
    cJSON_Delete(o);
    if(rc != XD_OK)
      return rc;
  }
  return XD_OK;
}

static xd_rc append_flow(void *ud, const cJSON *fo, xd_err *e)
{
  cJSON *copy = cJSON_Duplicate(fo, true);
  if(!copy)
    return xd_fail(e, XD_E_NOMEM, "out of memory writing flows");
  cJSON_AddItemToArray((cJSON *)ud, copy);
  return XD_OK;
}

xd_rc pr_tracker_flows(const pr_tracker *t, cJSON *flows, xd_err *e)
{
  if(!cJSON_IsArray(flows))
    return xd_fail(e, XD_E_INTERNAL, "flows: not an array");
  return pr_tracker_each_flow(t, append_flow, flows, e);
}

/* ---- the same flows as JSON text, straight from the table ------------ */

/* A bounded cursor over one flow's text (FLOW_TEXT_MAX is more than the
 * longest flow: two bracketed IPv6 ends, an ICMP source, two timestamps,
 * nine 10-digit numbers and the quoted side). */
#define FLOW_TEXT_MAX 1024

typedef struct {
  char buf[FLOW_TEXT_MAX];
  size_t len;
} flow_text;

static void ft_lit(flow_text *w, const char *s, size_t n)
{
  memcpy(w->buf + w->len, s, n);
  w->len += n;
}
#define FT_LIT(w, s) ft_lit((w), (s), sizeof(s) - 1)

static void ft_num(flow_text *w, const char *key_lit, size_t key_len,
                   uint32_t v)
{
  ft_lit(w, key_lit, key_len);
  w->len += put_dec(w->buf + w->len, v);
}
#define FT_NUM(w, k, v) ft_num((w), (k), sizeof(k) - 1, (v))

/* A string member whose value needs no JSON escaping (addresses,
 * timestamps, the unreachable words). */
static void ft_str(flow_text *w, const char *key_lit, size_t key_len,
                   const char *v, size_t n)
{
  ft_lit(w, key_lit, key_len);
  w->buf[w->len++] = '"';
  ft_lit(w, v, n);
  w->buf[w->len++] = '"';
}
#define FT_STR(w, k, v, n) ft_str((w), (k), sizeof(k) - 1, (v), (n))

/* Exactly what cJSON_PrintUnformatted() prints for flow_json(t, f): the
 * keys in the same order, integers as %d, null for no ICMP word. */
static void flow_text_of(const pr_tracker *t, const flow *f, ts_cache *tc,
                         flow_text *w)
{
  char a[XD_CIDR_STRLEN + 16], ts[64];
  const char *word = f->icmp_type < 0 ? NULL :
                     pr_icmp_unreach_word(f->icmp_family, f->icmp_code);
  size_t n;
  w->len = 0;
  n = format_end(f->family, f->cip, f->cport, a, sizeof(a));
  FT_STR(w, "{\"src\":", a, n);
  n = format_end(f->family, f->sip, f->sport, a, sizeof(a));
  FT_STR(w, ",\"dst\":", a, n);
  FT_NUM(w, ",\"syn\":", f->syn);
  FT_NUM(w, ",\"syn_ack\":", f->syn_ack);
  FT_NUM(w, ",\"rst\":", f->rst);
  if(word)
    FT_STR(w, ",\"icmp\":", word, strlen(word));
  else
    FT_LIT(w, ",\"icmp\":null");
  n = format_ts_cached(tc, f->first, ts, sizeof(ts));
  FT_STR(w, ",\"first\":", ts, n);
  n = format_ts_cached(tc, f->last, ts, sizeof(ts));
  FT_STR(w, ",\"last\":", ts, n);
  FT_NUM(w, ",\"client_rst\":", f->client_rst);
  FT_LIT(w, ",\"where\":");
  ft_lit(w, t->side_json, strlen(t->side_json));
  if(f->icmp_type >= 0) {
    FT_NUM(w, ",\"icmp_type\":", (uint32_t)f->icmp_type);
    FT_NUM(w, ",\"icmp_code\":", (uint32_t)f->icmp_code);
    FT_NUM(w, ",\"icmp_count\":", f->icmp_count);
    n = format_addr(f->family, f->icmp_from, a, sizeof(a));
    FT_STR(w, ",\"icmp_from\":", a, n);
  }
  FT_LIT(w, "}");
}

xd_rc pr_tracker_each_flow_text(const pr_tracker *t, xd_buf *b,
                                const char *first, const char *sep,
                                pr_flow_text_fn fn, void *ud, xd_err *e)
{
  ts_cache tc;
  flow_text w;
  size_t nfirst = strlen(first), nsep = strlen(sep);
  memset(&tc, 0, sizeof(tc));
  for(size_t i = 0; i < t->n_flows; i++) {
    xd_rc rc;
    flow_text_of(t, &t->flows[i], &tc, &w);
    if(xd_buf_append(b, i ? sep : first, i ? nsep : nfirst) != XD_OK ||
       xd_buf_append(b, w.buf, w.len) != XD_OK)
      return xd_fail(e, XD_E_NOMEM, "out of memory writing flows");
    if((rc = fn(ud, b, e)) != XD_OK)
      return rc;
  }
  return XD_OK;
}
