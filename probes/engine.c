/* probes/engine.c: the session. It resolves the target names, makes one
 * job per (target, address, port), and chains each job's probes inside
 * the one loop: the TCP connect; on an open port the TLS handshake and a
 * plain HTTP request side by side, within one short identification budget
 * (https again when the handshake succeeded); on HiveServer2's binary port
 * a Thrift SASL START instead of HTTP (thrift.c). Jobs run side by side, so a
 * filtered port waiting for its timeout holds up nothing but itself; the
 * number of sockets in flight is bounded by the concurrency. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../common/jsonutil.h"
#include "../common/log.h"
#include "pr_internal.h"

/* ---- scheduling -------------------------------------------------------- */

static void drain(pr_session *s)
{
  if(s->draining)
    return;
  /* a start may finish at once (a refused connect on loopback) and give
   * its slot back; the loop here, not recursion, starts the next one */
  s->draining = true;
  while(s->q_head && s->in_flight < s->concurrency) {
    pr_pending *p = s->q_head;
    s->q_head = p->next;
    if(!s->q_head)
      s->q_tail = NULL;
    p->next = NULL;
    s->in_flight++;
    p->start(s, p);
  }
  s->draining = false;
}

void pr_sched_submit(pr_session *s, pr_pending *p)
{
  p->next = NULL;
  if(p->front) {
    p->next = s->q_head;
    s->q_head = p;
    if(!s->q_tail)
      s->q_tail = p;
  }
  else {
    if(s->q_tail)
      s->q_tail->next = p;
    else
      s->q_head = p;
    s->q_tail = p;
  }
  drain(s);
}

void pr_sched_release(pr_session *s)
{
  s->in_flight--;
  drain(s);
}

bool pr_sched_unqueue(pr_session *s, pr_pending *p)
{
  pr_pending *prev = NULL;
  for(pr_pending *q = s->q_head; q; prev = q, q = q->next) {
    if(q != p)
      continue;
    if(prev)
      prev->next = q->next;
    else
      s->q_head = q->next;
    if(s->q_tail == q)
      s->q_tail = prev;
    q->next = NULL;
    return true;
  }
  return false;
}

/* ---- small helpers ----------------------------------------------------- */

void pr_session_fail(pr_session *s, xd_rc rc, const char *msg)
{
  if(s->fatal != XD_OK)
    return;
  s->fatal = rc;
  snprintf(s->fatal_msg, sizeof(s->fatal_msg), "%s", msg);
}

pr_name *pr_session_name(const pr_session *s, const char *name)
{
  for(size_t i = 0; i < s->n_names; i++)
    if(!strcmp(s->names[i]->name, name))
      return s->names[i];
  return NULL;
}

double pr_session_budget(const pr_session *s, double timeout_ms)
{
  /* not cut to the deadline: a probe cut short would report a timeout it
   * never had; the loop ends at the deadline and drops what is unfinished,
   * and the document says it is incomplete */
  (void)s;
  return timeout_ms;
}

double pr_session_until(const pr_session *s, double t0, double timeout_ms,
                        double until_ms)
{
  double at = t0 + pr_session_budget(s, timeout_ms);
  return until_ms > 0 && until_ms < at ? until_ms : at;
}

xd_rc pr_check_target(const char *s, xd_err *e)
{
  size_t len, label = 0;
  bool last_digits = true;
  if(!s || !*s)
    return xd_fail(e, XD_E_USAGE, "--target: empty value");
  if(pr_is_ip_literal(s, NULL))
    return XD_OK;
  len = strlen(s);
  if(s[len - 1] == '.')
    len--;
  if(len == 0 || len > 253)
    goto bad;
  for(size_t i = 0; i <= len; i++) {
    char c = i < len ? s[i] : '.';
    if(c == '.') {
      if(label == 0 || label > 63 || s[i - 1] == '-')
        goto bad;
      if(i < len)
        last_digits = true;
      label = 0;
      continue;
    }
    if(!(isalnum((unsigned char)c) || c == '-' || c == '_'))
      goto bad;
    if(label == 0 && c == '-')
      goto bad;
    if(!isdigit((unsigned char)c))
      last_digits = false;
    label++;
  }
  /* "10.0.0.300" is a mistyped address, not a name */
  if(last_digits)
    goto bad;
  return XD_OK;
bad:
  return xd_fail(e, XD_E_USAGE, "--target: '%s' is not a host name or an IP "
                 "address", s);
}

static void raise_nofile(pr_session *s)
{
  struct rlimit rl;
  long usable;
  if(getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return;
  if(rl.rlim_cur < rl.rlim_max) {
    rlim_t want = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
    if(want > rl.rlim_cur) {
      rl.rlim_cur = want;
      setrlimit(RLIMIT_NOFILE, &rl);
      getrlimit(RLIMIT_NOFILE, &rl);
    }
  }
  /* connects and handshakes share the concurrency; curl may hold as many
   * again; keep a margin for c-ares, the capture, stdio */
  usable = rl.rlim_cur == RLIM_INFINITY ? 1 << 20 : (long)rl.rlim_cur;
  usable = (usable - 64) / 2;
  if(usable < 1)
    usable = 1;
  if(s->concurrency > usable) {
    /* only a number the user chose deserves a word */
    if(s->concurrency_given)
      xd_log_warn("probe: concurrency %ld is more than the open-file limit "
                  "allows; using %ld", s->concurrency, usable);
    s->concurrency = usable;
  }
}

/* ---- session ----------------------------------------------------------- */

xd_rc pr_session_new(const pr_plan *p, pr_session **out, xd_err *e)
{
  pr_session *s;
  xd_rc rc;
  xd_ip ip;
  int port;
  bool pc = p->precheck_private_dns || p->precheck_public_dns;
  *out = NULL;
  if(p->n_targets == 0 && !pc)
    return xd_fail(e, XD_E_USAGE, "nothing to probe: give at least one "
                   "--target");
  if(p->n_targets && (!p->ports || p->n_ports == 0))
    return xd_fail(e, XD_E_USAGE, "nothing to probe: the port list is empty");
  for(size_t i = 0; i < p->n_targets; i++)
    if((rc = pr_check_target(p->targets[i], e)) != XD_OK)
      return rc;
  for(size_t i = 0; i < p->n_ports; i++)
    if(p->ports[i] < 1 || p->ports[i] > 65535)
      return xd_fail(e, XD_E_USAGE, "port %d is out of range 1-65535",
                     p->ports[i]);
  if(p->dns_server && (rc = pr_parse_dns_server(p->dns_server, &ip, &port, e))
                          != XD_OK)
    return rc;
  if(p->expect_private_ip && !xd_ip_parse(p->expect_private_ip, &ip))
    return xd_fail(e, XD_E_INVALID, "expected private address '%s' is not an "
                   "IP address", p->expect_private_ip);
  if(p->expect_public_ip && !xd_ip_parse(p->expect_public_ip, &ip))
    return xd_fail(e, XD_E_INVALID, "expected public address '%s' is not an "
                   "IP address", p->expect_public_ip);
  if(p->expect_name && (rc = pr_check_target(p->expect_name, e)) != XD_OK)
    return rc;
  if(p->precheck_private_dns &&
     (rc = pr_check_target(p->precheck_private_dns, e)) != XD_OK)
    return rc;
  if(p->precheck_public_dns &&
     (rc = pr_check_target(p->precheck_public_dns, e)) != XD_OK)
    return rc;
  if(p->precheck_port < 0 || p->precheck_port > 65535)
    return xd_fail(e, XD_E_USAGE, "pre-check port %d is out of range",
                   p->precheck_port);

  s = calloc(1, sizeof(*s));
  if(!s)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  s->plan = p;
  s->timeout_ms = p->timeout_ms > 0 ? (double)p->timeout_ms
                                    : (double)PR_DEFAULT_TIMEOUT_MS;
  s->concurrency = p->concurrency > 0 ? p->concurrency : PR_DEFAULT_CONCURRENCY;
  s->concurrency_given = p->concurrency > 0;
  s->started_ms = xd_now_ms();
  s->loop.epfd = -1;
  raise_nofile(s);
  rc = pr_loop_init(&s->loop, e);
  if(rc != XD_OK) {
    free(s);
    return rc;
  }
  s->loop_ok = true;
  *out = s;
  return XD_OK;
}

static void cancel_everything(pr_session *s)
{
  pr_pending *p;
  pr_dns_cancel(s);
  pr_tcp_cancel_all(s);
  pr_tls_cancel_all(s);
  pr_sasl_cancel_all(s);
  for(size_t i = 0; i < s->n_jobs; i++) {
    pr_http *hs[2] = {s->jobs[i]->http, s->jobs[i]->http_plain};
    for(int k = 0; k < 2; k++)
      if(hs[k] && !hs[k]->finished && hs[k]->sess) {
        pr_http_cancel(s, hs[k]);
        s->outstanding--;
      }
  }
  while((p = s->q_head)) {
    s->q_head = p->next;
    s->outstanding--;
  }
  s->q_tail = NULL;
  if(s->outstanding != 0) {
    xd_log_debug("probe: %ld operations left after cancelling",
                 s->outstanding);
    s->outstanding = 0;
  }
}

xd_rc pr_session_drive(pr_session *s, xd_err *e)
{
  xd_rc rc = XD_OK;
  while(s->outstanding > 0) {
    double wait;
    if(s->fatal != XD_OK)
      break;
    if(s->plan->interrupted && s->plan->interrupted()) {
      s->incomplete = "interrupted";
      break;
    }
    if(xd_deadline_passed(s->plan->deadline)) {
      s->incomplete = "deadline";
      break;
    }
    wait = xd_deadline_left_ms(s->plan->deadline);
    if(wait > 1000)
      wait = 1000;
    rc = pr_loop_once(&s->loop, wait, e);
    if(rc != XD_OK)
      break;
  }
  if(s->outstanding > 0)
    cancel_everything(s);
  if(rc != XD_OK)
    return rc;
  if(s->fatal != XD_OK)
    return xd_fail(e, s->fatal, "probe: %s", s->fatal_msg);
  return XD_OK;
}

static xd_rc lookup_if_name(pr_session *s, const char *n, xd_err *e)
{
  pr_name *rec;
  if(!n || pr_is_ip_literal(n, NULL))
    return XD_OK;
  return pr_dns_lookup(s, n, &rec, e);
}

xd_rc pr_session_resolve(pr_session *s, xd_err *e)
{
  xd_rc rc;
  const pr_plan *p = s->plan;
  if(s->resolved)
    return XD_OK;
  s->resolved = true;
  for(size_t i = 0; i < p->n_targets; i++)
    if((rc = lookup_if_name(s, p->targets[i], e)) != XD_OK)
      return rc;
  if((rc = lookup_if_name(s, p->expect_name, e)) != XD_OK ||
     (rc = lookup_if_name(s, p->precheck_private_dns, e)) != XD_OK ||
     (rc = lookup_if_name(s, p->precheck_public_dns, e)) != XD_OK)
    return rc;
  return pr_session_drive(s, e);
}

/* The addresses of a target in probing order: A answers, then AAAA. */
static size_t target_addrs(const pr_session *s, const char *t, xd_ip *out,
                           double *dns_ms, size_t max)
{
  pr_name *n;
  size_t k = 0;
  if(pr_is_ip_literal(t, max ? out : NULL)) {
    if(max)
      dns_ms[0] = -1;
    return 1;
  }
  n = pr_session_name(s, t);
  if(!n)
    return 0;
  for(size_t i = 0; i < n->a.n_addrs; i++, k++)
    if(k < max) {
      out[k] = n->a.addrs[i];
      dns_ms[k] = n->a.ms;
    }
  for(size_t i = 0; i < n->aaaa.n_addrs; i++, k++)
    if(k < max) {
      out[k] = n->aaaa.addrs[i];
      dns_ms[k] = n->aaaa.ms;
    }
  return k;
}

static void add_unique(xd_cidr *arr, size_t *n, const xd_ip *ip)
{
  for(size_t i = 0; i < *n; i++)
    if(xd_ip_equal(&arr[i].addr, ip))
      return;
  arr[*n].addr = *ip;
  arr[*n].prefix = ip->family == 6 ? 128 : 32;
  (*n)++;
}

xd_rc pr_session_addresses(const pr_session *s, xd_cidr **out, size_t *n,
                           xd_err *e)
{
  const pr_plan *p = s->plan;
  size_t total = 0, k = 0;
  xd_cidr *arr;
  const char *extra[2] = {p->precheck_private_dns, p->precheck_public_dns};
  *out = NULL;
  *n = 0;
  for(size_t i = 0; i < p->n_targets; i++)
    total += target_addrs(s, p->targets[i], NULL, NULL, 0);
  for(int i = 0; i < 2; i++)
    if(extra[i])
      total += target_addrs(s, extra[i], NULL, NULL, 0);
  if(!total)
    return XD_OK;
  arr = calloc(total, sizeof(*arr));
  if(!arr)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  for(size_t i = 0; i < p->n_targets + 2; i++) {
    const char *t = i < p->n_targets ? p->targets[i] : extra[i - p->n_targets];
    size_t m = t ? target_addrs(s, t, NULL, NULL, 0) : 0;
    xd_ip *ips;
    double *ms;
    if(!m)
      continue;
    ips = calloc(m, sizeof(*ips));
    ms = calloc(m, sizeof(*ms));
    if(!ips || !ms) {
      free(ips);
      free(ms);
      free(arr);
      return xd_fail(e, XD_E_NOMEM, "out of memory");
    }
    target_addrs(s, t, ips, ms, m);
    for(size_t j = 0; j < m; j++)
      add_unique(arr, &k, &ips[j]);
    free(ips);
    free(ms);
  }
  *out = arr;
  *n = k;
  return XD_OK;
}

/* ---- the chain of one job ------------------------------------------------ */

/* The identification budget: short, because the connect has already
 * proved the path; by default never longer than the per-probe timeout,
 * and as given when the user chose it. */
static double identify_budget(const pr_session *s)
{
  double b = (double)PR_IDENTIFY_MS;
  if(s->plan->identify_ms > 0)
    return (double)s->plan->identify_ms;
  return b < s->timeout_ms ? b : s->timeout_ms;
}

static pr_http *start_http(pr_session *s, pr_job *j, bool https)
{
  pr_http *h = calloc(1, sizeof(*h));
  if(!h) {
    pr_session_fail(s, XD_E_NOMEM, "out of memory");
    return NULL;
  }
  h->host = j->target_is_name ? j->target : NULL;
  h->ip = j->ip;
  h->port = j->port;
  h->https = https;
  h->budget_ms = j->id_budget;
  h->until_ms = j->id_until;
  h->dns_ms = j->dns_ms;
  h->done = NULL;   /* the last link of the chain */
  h->ud = j;
  pr_http_submit(s, h);
  return h;
}

static void drop_http(pr_session *s, pr_http *h)
{
  if(!h)
    return;
  if(!h->finished && h->sess) {
    pr_http_cancel(s, h);
    s->outstanding--;
  }
  pr_http_clear(h);
  free(h);
}

/* TLS has its answer. A handshake that succeeded identifies an SSL
 * HiveServer2 (its SASL probe, sent in clear, is dropped) and makes the
 * service's HTTP https: the plain request started beside it is dropped
 * and the https one gets what is left of the budget. Otherwise the plain
 * request (finished or still running) is the port's HTTP result. */
static void job_tls_done(pr_session *s, pr_tls *t)
{
  pr_job *j = t->ud;
  bool ok = t->handshake && !strcmp(t->handshake, "ok");
  if(ok && j->sasl)
    pr_sasl_cancel(s, j->sasl, "the TLS handshake answered first");
  if(!j->http_plain)
    return;
  if(ok) {
    drop_http(s, j->http_plain);
    j->http_plain = NULL;
    j->http = start_http(s, j, true);
    return;
  }
  j->http = j->http_plain;
  j->http_plain = NULL;
}

/* The SASL probe has its answer: a frame proves HiveServer2's binary
 * transport in clear, so the ClientHello beside it has nothing left to
 * tell (such a server answers it with an ERROR frame or by closing). */
static void job_sasl_done(pr_session *s, pr_sasl *k)
{
  pr_job *j = k->ud;
  if(!strcmp(k->outcome, "answered") && j->tls && !j->tls->finished)
    pr_tls_cancel(s, j->tls);
}

/* HiveServer2's binary port: a Thrift SASL START on a connection of its
 * own, beside the TLS handshake (a server with hive.server2.use.SSL
 * answers that instead), under the same identification budget. */
static void start_sasl(pr_session *s, pr_job *j)
{
  pr_sasl *k = calloc(1, sizeof(*k));
  if(!k) {
    pr_session_fail(s, XD_E_NOMEM, "out of memory");
    return;
  }
  k->ip = j->ip;
  k->port = j->port;
  k->timeout_ms = j->id_budget;
  k->until_ms = j->id_until;
  k->done = job_sasl_done;
  k->ud = j;
  j->sasl = k;
  pr_sasl_submit(s, k);
}

/* The connect succeeded: TLS and plain HTTP start together, both bounded
 * by one identification budget, so a peer that accepts and stays silent
 * costs that budget once, not a TLS timeout and then an HTTP one. A port
 * whose service is known not to speak HTTP gets no HTTP request;
 * HiveServer2's binary port gets the Thrift SASL probe beside TLS. */
static void job_tcp_done(pr_session *s, pr_conn *c)
{
  pr_job *j = c->ud;
  bool http = !s->plan->no_http && pr_http_port_speaks_http(j->port) != 0;
  const char *svc = pr_http_port_service(j->port);
  if(!c->state || strcmp(c->state, "open"))
    return;
  j->id_budget = identify_budget(s);
  j->id_until = xd_now_ms() + j->id_budget;
  if(!s->plan->no_http && !http) {
    j->http = calloc(1, sizeof(*j->http));
    if(!j->http) {
      pr_session_fail(s, XD_E_NOMEM, "out of memory");
      return;
    }
    j->http->ip = j->ip;
    j->http->port = j->port;
    j->http->dns_ms = j->dns_ms;
    pr_http_not_asked(s, j->http);
  }
  if(svc && !strcmp(svc, "hiveserver2"))
    start_sasl(s, j);
  if(s->plan->no_tls) {
    if(http)
      j->http = start_http(s, j, false);
    return;
  }
  j->tls = calloc(1, sizeof(*j->tls));
  if(!j->tls) {
    pr_session_fail(s, XD_E_NOMEM, "out of memory");
    return;
  }
  j->tls->ip = j->ip;
  j->tls->port = j->port;
  j->tls->sni = j->target_is_name ? j->target : NULL;
  j->tls->timeout_ms = j->id_budget;
  j->tls->until_ms = j->id_until;
  j->tls->done = job_tls_done;
  j->tls->ud = j;
  if(http)
    j->http_plain = start_http(s, j, false);
  pr_tls_submit(s, j->tls);
}

static xd_rc add_job(pr_session *s, const char *target, const xd_ip *ip,
                     double dns_ms, int port, xd_err *e)
{
  pr_job *j, **g;
  if(s->n_jobs == s->cap_jobs) {
    size_t cap = s->cap_jobs ? s->cap_jobs * 2 : 16;
    g = realloc(s->jobs, cap * sizeof(*g));
    if(!g)
      return xd_fail(e, XD_E_NOMEM, "out of memory");
    s->jobs = g;
    s->cap_jobs = cap;
  }
  j = calloc(1, sizeof(*j));
  if(!j)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  j->target = target;
  j->target_is_name = !pr_is_ip_literal(target, NULL);
  j->ip = *ip;
  pr_ip_str(ip, j->ipstr, sizeof(j->ipstr));
  j->port = port;
  j->dns_ms = dns_ms;
  j->conn.ip = *ip;
  j->conn.port = port;
  j->conn.timeout_ms = s->timeout_ms;
  j->conn.done = job_tcp_done;
  j->conn.ud = j;
  s->jobs[s->n_jobs++] = j;
  return XD_OK;
}

static xd_rc make_jobs(pr_session *s, xd_err *e)
{
  const pr_plan *p = s->plan;
  for(size_t i = 0; i < p->n_targets; i++) {
    size_t m;
    xd_ip *ips;
    double *ms;
    bool dup = false;
    xd_rc rc = XD_OK;
    for(size_t k = 0; k < i; k++)
      if(!strcmp(p->targets[k], p->targets[i]))
        dup = true;
    if(dup)
      continue;
    m = target_addrs(s, p->targets[i], NULL, NULL, 0);
    if(!m)
      continue;
    ips = calloc(m, sizeof(*ips));
    ms = calloc(m, sizeof(*ms));
    if(!ips || !ms) {
      free(ips);
      free(ms);
      return xd_fail(e, XD_E_NOMEM, "out of memory");
    }
    target_addrs(s, p->targets[i], ips, ms, m);
    for(size_t a = 0; a < m && rc == XD_OK; a++) {
      bool seen = false;
      for(size_t b = 0; b < a; b++)
        if(xd_ip_equal(&ips[a], &ips[b]))
          seen = true;
      for(size_t q = 0; !seen && q < p->n_ports && rc == XD_OK; q++)
        rc = add_job(s, p->targets[i], &ips[a], ms[a], p->ports[q], e);
    }
    free(ips);
    free(ms);
    if(rc != XD_OK)
      return rc;
  }
  return XD_OK;
}

xd_rc pr_session_probe(pr_session *s, cJSON *obs, xd_err *e)
{
  const pr_plan *p = s->plan;
  bool pc = p->precheck_private_dns || p->precheck_public_dns;
  xd_rc rc = pr_session_resolve(s, e), frc;
  if(rc != XD_OK && !s->incomplete)
    return rc;
  if(!s->incomplete) {
    if((!p->no_tls || pc) && (rc = pr_tls_init(s, e)) != XD_OK)
      return rc;
    if(!p->no_http && (rc = pr_http_init(s, e)) != XD_OK)
      return rc;
    if((rc = make_jobs(s, e)) != XD_OK)
      return rc;
    for(size_t i = 0; i < s->n_jobs; i++)
      pr_tcp_submit(s, &s->jobs[i]->conn);
    if(pc && (rc = pr_precheck_start(s, e)) != XD_OK)
      return rc;
    rc = pr_session_drive(s, e);
    if(rc != XD_OK)
      return rc;
  }
  frc = pr_obs_fill(s, obs, e);
  if(frc != XD_OK)
    return frc;
  /* header and certificate bytes are the server's: invalid UTF-8 would
   * make our own observations file unloadable */
  if(xd_json_utf8_repair(obs) != XD_OK)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  if(s->incomplete && !strcmp(s->incomplete, "interrupted"))
    return xd_fail(e, XD_E_INTERRUPTED, "probe: interrupted; the "
                   "observations are incomplete");
  if(s->incomplete)
    return xd_fail(e, XD_E_TIMEOUT, "probe: the deadline passed; the "
                   "observations are incomplete");
  return XD_OK;
}

void pr_session_free(pr_session *s)
{
  if(!s)
    return;
  if(s->outstanding > 0)
    cancel_everything(s);
  for(size_t i = 0; i < s->n_jobs; i++) {
    pr_job *j = s->jobs[i];
    if(j->tls) {
      pr_tls_clear(j->tls);
      free(j->tls);
    }
    if(j->sasl) {
      pr_sasl_clear(j->sasl);
      free(j->sasl);
    }
    if(j->http) {
      pr_http_clear(j->http);
      free(j->http);
    }
    if(j->http_plain) {
      pr_http_clear(j->http_plain);
      free(j->http_plain);
    }
    free(j);
  }
  free(s->jobs);
  pr_precheck_free(s);
  pr_dns_free(s);
  for(size_t i = 0; i < s->n_names; i++) {
    pr_name *n = s->names[i];
    free(n->name);
    free(n->a.addrs);
    free(n->a.error);
    free(n->aaaa.addrs);
    free(n->aaaa.error);
    free(n);
  }
  free(s->names);
  pr_http_free_multi(s);
  pr_tls_free_ctx(s);
  if(s->loop_ok)
    pr_loop_free(&s->loop);
  free(s);
}

xd_rc pr_run(const pr_plan *p, cJSON *obs, xd_err *e)
{
  pr_session *s = NULL;
  xd_rc rc = pr_session_new(p, &s, e);
  if(rc != XD_OK)
    return rc;
  rc = pr_session_probe(s, obs, e);
  pr_session_free(s);
  return rc;
}
