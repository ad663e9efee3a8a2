/* probes/observations.c: what the probes saw, written into the
 * observations document in the contract's shape (../shared/contract.md).
 * Fields beyond the contract's are additions a reader may ignore: each
 * TCP entry also carries the errno and the ICMP message read, each TLS
 * entry the whole certificate summary, each HTTP entry its phases, and
 * the TCP entry of HiveServer2's binary port its Thrift SASL answer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../common/jsonutil.h"
#include "../common/observations.h"
#include "capture.h"
#include "pr_internal.h"

void pr_ip_str(const xd_ip *ip, char *out, size_t n)
{
  xd_ip_format(ip, out, n);
}

bool pr_is_ip_literal(const char *s, xd_ip *ip)
{
  xd_ip tmp;
  char inner[64];
  size_t len;
  if(!s)
    return false;
  if(xd_ip_parse(s, ip ? ip : &tmp))
    return true;
  len = strlen(s);
  if(len > 2 && len < sizeof(inner) + 2 && s[0] == '[' && s[len - 1] == ']') {
    memcpy(inner, s + 1, len - 2);
    inner[len - 2] = 0;
    if(xd_ip_parse(inner, &tmp) && tmp.family == 6) {
      if(ip)
        *ip = tmp;
      return true;
    }
  }
  return false;
}

double pr_round_ms(double ms)
{
  return floor(ms * 100.0 + 0.5) / 100.0;
}

cJSON *pr_obs_new(const char *side)
{
  char host[256];
  cJSON *o;
  if(gethostname(host, sizeof(host)) != 0)
    snprintf(host, sizeof(host), "unknown");
  host[sizeof(host) - 1] = 0;
  o = xd_obs_new(side ? side : "studio", host);
  /* the same form `listen` writes ("10.0.20.15/24") */
  if(o)
    pr_local_addresses(cJSON_GetObjectItemCaseSensitive(o, "interfaces"),
                       NULL);
  return o;
}

/* ---- dns ----------------------------------------------------------------- */

static void expectation(const pr_plan *p, const pr_dns_answer *a, cJSON *o)
{
  xd_ip priv, pub;
  bool has_priv = false, has_pub = false;
  const char *hint = NULL;
  if(!p->expect_private_ip || !xd_ip_parse(p->expect_private_ip, &priv))
    return;
  if(p->expect_public_ip && !xd_ip_parse(p->expect_public_ip, &pub))
    pub.family = 0;
  for(size_t i = 0; i < a->n_addrs; i++) {
    if(xd_ip_equal(&a->addrs[i], &priv))
      has_priv = true;
    if(p->expect_public_ip && pub.family && xd_ip_equal(&a->addrs[i], &pub))
      has_pub = true;
  }
  cJSON_AddStringToObject(o, "expected", p->expect_private_ip);
  cJSON_AddBoolToObject(o, "matches", has_priv);
  if(has_priv)
    return;
  if(has_pub)
    hint = "peering DNS option: the name resolves to the public address "
           "where the private one was expected; enable "
           "AllowDnsResolutionFromRemoteVpc on the EMR VPC's side of the "
           "peering connection";
  else if(!a->n_addrs)
    hint = "no address where the private one was expected: with the peering "
           "DNS option off, a node in a private subnet has no public address "
           "to resolve to";
  else
    hint = "the name resolves to an address that is neither the primary "
           "node's private nor its public address";
  cJSON_AddStringToObject(o, "hint", hint);
}

static cJSON *dns_entry(const pr_session *s, const pr_name *n,
                        const pr_dns_answer *a, const char *type)
{
  cJSON *o = cJSON_CreateObject(), *ans;
  const pr_plan *p = s->plan;
  if(!o)
    return NULL;
  cJSON_AddStringToObject(o, "name", n->name);
  xd_json_add_str(o, "server", a->server[0] ? a->server : NULL);
  cJSON_AddStringToObject(o, "type", type);
  cJSON_AddStringToObject(o, "rcode", a->rcode[0] ? a->rcode : "cancelled");
  ans = cJSON_AddArrayToObject(o, "answers");
  for(size_t i = 0; ans && i < a->n_addrs; i++) {
    char ip[PR_IPSTR];
    pr_ip_str(&a->addrs[i], ip, sizeof(ip));
    cJSON_AddItemToArray(ans, cJSON_CreateString(ip));
  }
  cJSON_AddNumberToObject(o, "ms", pr_round_ms(a->ms));
  if(a->ttl >= 0)
    cJSON_AddNumberToObject(o, "ttl", a->ttl);
  if(a->error)
    cJSON_AddStringToObject(o, "error", a->error);
  if(p->expect_name && !strcmp(type, "A") &&
     !strcasecmp(p->expect_name, n->name))
    expectation(p, a, o);
  return o;
}

/* ---- tcp, tls, http ------------------------------------------------------ */

/* The Thrift SASL probe of HiveServer2's binary port, on its TCP entry:
 * the outcome, and the frame's status and message or the first bytes of
 * whatever else answered. */
static void sasl_json(const pr_sasl *k, cJSON *o)
{
  cJSON *x = cJSON_AddObjectToObject(o, "thrift_sasl");
  if(!x)
    return;
  cJSON_AddStringToObject(x, "outcome", k->outcome ? k->outcome : "error");
  if(k->outcome && !strcmp(k->outcome, "answered")) {
    cJSON_AddStringToObject(x, "status", pr_sasl_status_name(k->status));
    xd_json_add_str(x, "message", k->message);
  }
  if(k->first_bytes[0]) {
    cJSON_AddNumberToObject(x, "bytes", (double)k->got);
    cJSON_AddStringToObject(x, "first_bytes", k->first_bytes);
  }
  cJSON_AddNumberToObject(x, "ms", pr_round_ms(k->ms));
  xd_json_add_str(x, "error", k->error);
}

/* What identifying an open port's service gave, on its TCP entry, so a
 * report can say "open, service not identified in 1 s" without reading
 * the TLS and HTTP tables. Silent: the peer sent nothing to any probe. */
static void identification(const pr_job *j, cJSON *o)
{
  const pr_tls *t = j->tls;
  const pr_http *h = j->http;
  const pr_sasl *k = j->sasl && j->sasl->finished ? j->sasl : NULL;
  bool tls_silent = t && t->handshake && !strcmp(t->handshake, "timeout") &&
                    !t->speaks_tls;
  bool asked = h && h->attempts && cJSON_GetArraySize(h->attempts) > 0;
  /* an HTTP request not asked (a port known not to speak it) heard
   * nothing; one asked heard nothing when it ran out of time */
  bool http_silent = !h || (h->status == 0 &&
                            (!asked || (h->error && strstr(h->error,
                                                           "timed out"))));
  bool sasl_silent = !k || (!strcmp(k->outcome, "timeout") && !k->got);
  bool sasl_ok = k && !strcmp(k->outcome, "answered");
  cJSON_AddNumberToObject(o, "identify_ms", pr_round_ms(j->id_budget));
  if(sasl_ok) {
    /* only HiveServer2's binary transport answers a SASL START so */
    cJSON_AddStringToObject(o, "service", "hiveserver2");
    cJSON_AddStringToObject(o, "identified_by", "thrift-sasl");
  }
  else {
    xd_json_add_str(o, "service", h ? h->service : NULL);
    xd_json_add_str(o, "identified_by", h ? h->identified_by : NULL);
  }
  if(t || asked || k)
    cJSON_AddBoolToObject(o, "silent", (!t || tls_silent) && http_silent &&
                                           sasl_silent);
  if(k)
    sasl_json(k, o);
}

static cJSON *tcp_entry(const pr_job *j)
{
  const pr_conn *c = &j->conn;
  cJSON *o = cJSON_CreateObject();
  if(!o)
    return NULL;
  cJSON_AddStringToObject(o, "target", j->target);
  cJSON_AddStringToObject(o, "ip", j->ipstr);
  cJSON_AddNumberToObject(o, "port", j->port);
  cJSON_AddStringToObject(o, "state", c->state);
  cJSON_AddStringToObject(o, "reason", c->reason);
  cJSON_AddNumberToObject(o, "ms", pr_round_ms(c->ms));
  if(c->src[0])
    cJSON_AddStringToObject(o, "src", c->src);
  if(c->err)
    cJSON_AddStringToObject(o, "errno", pr_errno_name(c->err));
  if(c->icmp) {
    cJSON *i = cJSON_AddObjectToObject(o, "icmp");
    if(i) {
      cJSON_AddNumberToObject(i, "type", c->icmp_type);
      cJSON_AddNumberToObject(i, "code", c->icmp_code);
      xd_json_add_str(i, "from", c->icmp_from[0] ? c->icmp_from : NULL);
    }
  }
  else
    cJSON_AddNullToObject(o, "icmp");
  if(j->id_budget > 0)
    identification(j, o);
  return o;
}

static cJSON *tls_entry(const pr_job *j)
{
  const pr_tls *t = j->tls;
  cJSON *o = cJSON_CreateObject(), *sans;
  if(!o)
    return NULL;
  cJSON_AddStringToObject(o, "target", j->target);
  cJSON_AddStringToObject(o, "ip", j->ipstr);
  cJSON_AddNumberToObject(o, "port", j->port);
  cJSON_AddBoolToObject(o, "speaks_tls", t->speaks_tls);
  cJSON_AddStringToObject(o, "handshake", t->handshake ? t->handshake : "error");
  xd_json_add_str(o, "version", t->version);
  xd_json_add_str(o, "cipher", t->cipher[0] ? t->cipher : NULL);
  xd_json_add_str(o, "subject", t->subject);
  xd_json_add_str(o, "issuer", t->issuer);
  sans = cJSON_AddArrayToObject(o, "sans");
  for(size_t i = 0; sans && i < t->n_sans; i++)
    cJSON_AddItemToArray(sans, cJSON_CreateString(t->sans[i]));
  xd_json_add_str(o, "not_before", t->not_before[0] ? t->not_before : NULL);
  xd_json_add_str(o, "not_after", t->not_after[0] ? t->not_after : NULL);
  if(t->have_cert)
    cJSON_AddNumberToObject(o, "days_left", (double)t->days_left);
  xd_json_add_str(o, "verify", t->verify);
  if(t->verify && t->verify_code >= 0)
    cJSON_AddNumberToObject(o, "verify_code", (double)t->verify_code);
  if(t->hostname_match >= 0) {
    cJSON_AddStringToObject(o, "hostname", t->hostname);
    cJSON_AddBoolToObject(o, "hostname_match", t->hostname_match == 1);
  }
  cJSON_AddNumberToObject(o, "ms", pr_round_ms(t->ms));
  if(t->error)
    cJSON_AddStringToObject(o, "error", t->error);
  return o;
}

static cJSON *http_entry(const pr_job *j)
{
  const pr_http *h = j->http;
  static const char *const ph[] = {"dns", "connect", "tls", "first_byte",
                                   "total"};
  cJSON *o = cJSON_CreateObject(), *p;
  char url[400];
  if(!o)
    return NULL;
  if(h->url)
    snprintf(url, sizeof(url), "%s", h->url);
  else
    snprintf(url, sizeof(url), "%s://%s:%d/", h->https ? "https" : "http",
             j->ipstr, j->port);
  cJSON_AddStringToObject(o, "url", url);
  if(h->status)
    cJSON_AddNumberToObject(o, "status", (double)h->status);
  else
    cJSON_AddNullToObject(o, "status");
  xd_json_add_str(o, "service", h->service);
  xd_json_add_str(o, "identified_by", h->identified_by);
  cJSON_AddNumberToObject(o, "ms", pr_round_ms(h->phases[4]));
  cJSON_AddStringToObject(o, "target", j->target);
  cJSON_AddStringToObject(o, "ip", j->ipstr);
  cJSON_AddNumberToObject(o, "port", j->port);
  cJSON_AddStringToObject(o, "scheme", h->https ? "https" : "http");
  cJSON_AddBoolToObject(o, "reachable", h->status > 0);
  cJSON_AddBoolToObject(o, "auth_required", h->auth_required);
  p = cJSON_AddObjectToObject(o, "phases");
  for(int i = 0; p && i < 5; i++)
    cJSON_AddNumberToObject(p, ph[i], pr_round_ms(h->phases[i]));
  cJSON_AddNumberToObject(o, "body_bytes", (double)h->body_bytes);
  cJSON_AddBoolToObject(o, "truncated", h->body_truncated);
  if(h->content_type)
    cJSON_AddStringToObject(o, "content_type", h->content_type);
  if(h->version)
    cJSON_AddStringToObject(o, "version", h->version);
  if(h->error)
    cJSON_AddStringToObject(o, "error", h->error);
  if(h->attempts)
    cJSON_AddItemToObject(o, "attempts", cJSON_Duplicate(h->attempts, true));
  return o;
}

static cJSON *targets_json(const pr_session *s)
{
  const pr_plan *p = s->plan;
  cJSON *arr = cJSON_CreateArray();
  for(size_t i = 0; arr && i < p->n_targets; i++) {
    cJSON *o = cJSON_CreateObject(), *addrs;
    const pr_name *n = pr_session_name(s, p->targets[i]);
    bool lit = pr_is_ip_literal(p->targets[i], NULL), dup = false;
    size_t count = 0;
    for(size_t k = 0; k < i; k++)
      if(!strcmp(p->targets[k], p->targets[i]))
        dup = true;
    if(dup) {
      cJSON_Delete(o);
      continue;
    }
    if(!o)
      break;
    cJSON_AddStringToObject(o, "target", p->targets[i]);
    addrs = cJSON_AddArrayToObject(o, "addresses");
    if(lit) {
      xd_ip ip;
      char a[PR_IPSTR];
      pr_is_ip_literal(p->targets[i], &ip);
      pr_ip_str(&ip, a, sizeof(a));
      cJSON_AddItemToArray(addrs, cJSON_CreateString(a));
      count = 1;
    }
    else if(n) {
      const pr_dns_answer *as[2] = {&n->a, &n->aaaa};
      for(int k = 0; k < 2; k++)
        for(size_t m = 0; m < as[k]->n_addrs; m++, count++) {
          char a[PR_IPSTR];
          pr_ip_str(&as[k]->addrs[m], a, sizeof(a));
          cJSON_AddItemToArray(addrs, cJSON_CreateString(a));
        }
    }
    cJSON_AddBoolToObject(o, "resolved", count > 0);
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

static void replace(cJSON *obs, const char *key, cJSON *v)
{
  if(!v)
    return;
  if(cJSON_GetObjectItemCaseSensitive(obs, key))
    cJSON_ReplaceItemInObjectCaseSensitive(obs, key, v);
  else
    cJSON_AddItemToObject(obs, key, v);
}

static cJSON *run_json(const pr_session *s)
{
  const pr_plan *p = s->plan;
  cJSON *o = cJSON_CreateObject(), *ports;
  if(!o)
    return NULL;
  xd_json_add_str(o, "dns_server", pr_dns_server_label(s));
  cJSON_AddNumberToObject(o, "timeout_ms", s->timeout_ms);
  cJSON_AddNumberToObject(o, "concurrency", (double)s->concurrency);
  ports = cJSON_AddArrayToObject(o, "ports");
  for(size_t i = 0; ports && i < p->n_ports; i++)
    cJSON_AddItemToArray(ports, cJSON_CreateNumber(p->ports[i]));
  cJSON_AddNumberToObject(o, "duration_ms",
                          pr_round_ms(xd_now_ms() - s->started_ms));
  return o;
}

xd_rc pr_obs_fill(pr_session *s, cJSON *obs, xd_err *e)
{
  cJSON *dns = cJSON_GetObjectItemCaseSensitive(obs, "dns");
  cJSON *tcp = cJSON_GetObjectItemCaseSensitive(obs, "tcp");
  cJSON *tls = cJSON_GetObjectItemCaseSensitive(obs, "tls");
  cJSON *http = cJSON_GetObjectItemCaseSensitive(obs, "http");
  if(!cJSON_IsArray(dns) || !cJSON_IsArray(tcp) || !cJSON_IsArray(tls) ||
     !cJSON_IsArray(http))
    return xd_fail(e, XD_E_INTERNAL, "observations document lacks its "
                   "dns/tcp/tls/http arrays");
  for(size_t i = 0; i < s->n_names; i++) {
    const pr_name *n = s->names[i];
    if(n->a.asked)
      cJSON_AddItemToArray(dns, dns_entry(s, n, &n->a, "A"));
    if(n->aaaa.asked)
      cJSON_AddItemToArray(dns, dns_entry(s, n, &n->aaaa, "AAAA"));
  }
  for(size_t i = 0; i < s->n_jobs; i++) {
    const pr_job *j = s->jobs[i];
    if(j->conn.finished && j->conn.state)
      cJSON_AddItemToArray(tcp, tcp_entry(j));
    if(j->tls && j->tls->finished)
      cJSON_AddItemToArray(tls, tls_entry(j));
    if(j->http && j->http->finished)
      cJSON_AddItemToArray(http, http_entry(j));
  }
  replace(obs, "targets", targets_json(s));
  if(s->pc)
    replace(obs, "precheck", pr_precheck_json(s));
  replace(obs, "probe", run_json(s));
  if(s->incomplete)
    replace(obs, "incomplete", cJSON_CreateString(s->incomplete));
  return XD_OK;
}

/* ---- the verdict --------------------------------------------------------- */

int pr_obs_status(const cJSON *obs)
{
  const cJSON *it, *arr, *pc;
  bool bad = false, any = false;
  bool ok;
  if(cJSON_GetObjectItemCaseSensitive(obs, "incomplete"))
    return 3;
  arr = cJSON_GetObjectItemCaseSensitive(obs, "tcp");
  cJSON_ArrayForEach(it, arr) {
    const char *st = xd_json_str(it, "state");
    any = true;
    if(!st || strcmp(st, "open"))
      bad = true;
  }
  arr = cJSON_GetObjectItemCaseSensitive(obs, "dns");
  cJSON_ArrayForEach(it, arr) {
    const char *rc = xd_json_str(it, "rcode");
    if(!rc || strcmp(rc, "NOERROR"))
      bad = true;
    if(xd_json_bool(it, "matches", &ok) && !ok)
      bad = true;
  }
  arr = cJSON_GetObjectItemCaseSensitive(obs, "targets");
  cJSON_ArrayForEach(it, arr) {
    if(xd_json_bool(it, "resolved", &ok) && !ok)
      bad = true;
  }
  pc = cJSON_GetObjectItemCaseSensitive(obs, "precheck");
  if(pc) {
    any = true;
    if(xd_json_bool(pc, "ok", &ok) && !ok)
      bad = true;
  }
  return bad || !any ? 2 : 0;
}
