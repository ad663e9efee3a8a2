/* probes/pr_internal.h: what the files of the probe engine share. Private
 * to probes/; the door is probe.h.
 *
 * Ownership: the session owns every name, job and probe record; a record
 * lives until pr_session_free. Each in-flight operation holds one unit of
 * s->outstanding until its done callback runs, so the loop knows when the
 * work is finished. */
#ifndef PR_INTERNAL_H
#define PR_INTERNAL_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "../common/buf.h"
#include "../common/netaddr.h"
#include "probe.h"

#define PR_IPSTR 64

/* ---- the event loop (loop.c) ---------------------------------------- */

typedef void (*pr_io_fn)(void *ud, int fd, uint32_t events);
typedef void (*pr_timer_fn)(void *ud);

typedef struct {
  double at_ms;       /* on the monotonic clock */
  size_t slot;        /* heap index + 1; 0 when not armed */
  pr_timer_fn fn;
  void *ud;
} pr_timer;

typedef struct {
  pr_io_fn fn;
  void *ud;
  uint32_t events;
  uint32_t gen;       /* tells a stale event from one for a reused fd */
} pr_watch;

typedef struct {
  int epfd;
  pr_watch *w;        /* indexed by fd */
  size_t n_w;
  pr_timer **heap;
  size_t n_heap, cap_heap;
} pr_loop;

xd_rc pr_loop_init(pr_loop *l, xd_err *e);
void pr_loop_free(pr_loop *l);
/* Watch fd for events (EPOLLIN/EPOLLOUT); replaces an earlier watch. */
xd_rc pr_loop_watch(pr_loop *l, int fd, uint32_t events, pr_io_fn fn,
                    void *ud);
/* Stop watching fd; call before closing it. */
void pr_loop_unwatch(pr_loop *l, int fd);
void pr_timer_arm(pr_loop *l, pr_timer *t, double at_ms);
void pr_timer_disarm(pr_loop *l, pr_timer *t);
/* Wait at most max_wait_ms for events, dispatch them and every expired
 * timer. XD_OK also on EINTR (the caller checks for signals). */
xd_rc pr_loop_once(pr_loop *l, double max_wait_ms, xd_err *e);

/* ---- the scheduler: sockets in flight bounded by concurrency -------- */

typedef struct pr_session pr_session;
typedef struct pr_pending pr_pending;
struct pr_pending {
  void (*start)(pr_session *s, pr_pending *p);
  pr_pending *next;
  bool front;   /* queue ahead of new connects: finishing work comes first */
};
/* Start p now if a slot is free, or queue it (FIFO, or first if front). */
void pr_sched_submit(pr_session *s, pr_pending *p);
/* A slot was given back: start the next queued operation. */
void pr_sched_release(pr_session *s);
/* Take p out of the queue before it started; false if it was not there. */
bool pr_sched_unqueue(pr_session *s, pr_pending *p);

/* ---- DNS (dns.c) ----------------------------------------------------- */

typedef struct {
  bool asked, done;
  char rcode[16];       /* NOERROR, NXDOMAIN, ..., timeout, malformed */
  char server[PR_IPSTR];
  xd_ip *addrs;
  size_t n_addrs;
  int ttl;              /* smallest TTL of the answers, -1 when none */
  double ms, t0;
  char *error;          /* why, when not NOERROR; malloc'ed */
  unsigned unusable;    /* replies seen that c-ares could not use */
} pr_dns_answer;

typedef struct {
  char *name;
  pr_dns_answer a, aaaa;
} pr_name;

typedef struct pr_dns pr_dns;
xd_rc pr_dns_init(pr_session *s, xd_err *e);
void pr_dns_free(pr_session *s);
/* The record for name, registering it and sending its A and AAAA queries
 * the first time. */
xd_rc pr_dns_lookup(pr_session *s, const char *name, pr_name **out,
                    xd_err *e);
/* The resolver the queries go to, for display ("10.0.0.2"). */
const char *pr_dns_server_label(const pr_session *s);
/* Abandon every query (deadline, signal). */
void pr_dns_cancel(pr_session *s);

/* ---- TCP connect probe (tcp.c) -------------------------------------- */

typedef struct pr_conn pr_conn;
typedef void (*pr_conn_done)(pr_session *s, pr_conn *c);
struct pr_conn {
  pr_pending pend;      /* first: the scheduler's view */
  pr_session *sess;     /* set by pr_tcp_submit */
  xd_ip ip;
  int port;
  double timeout_ms;
  pr_conn_done done;
  void *ud;
  /* result */
  bool finished;
  const char *state;    /* open, closed, filtered */
  const char *reason;   /* nmap's word */
  double ms;
  int err;              /* errno of the connect, 0 when open */
  bool icmp;            /* the reason comes from an ICMP message read */
  int icmp_type, icmp_code;
  char icmp_from[PR_IPSTR];
  char src[PR_IPSTR + 8];
  /* runtime */
  int fd;
  int spurious;         /* wake-ups with nothing to read */
  double t0;
  pr_timer timer;
  pr_conn *act_prev, *act_next;
};
/* Queue a connect (bounded by concurrency); c->done runs once. */
void pr_tcp_submit(pr_session *s, pr_conn *c);
/* Map an ICMP type/code (v4 or v6) or, without one, an errno to nmap's
 * state and reason. Exposed for the unit tests. */
void pr_tcp_classify(int family, bool icmp, int type, int code, int err,
                     const char **state, const char **reason);
void pr_tcp_cancel_all(pr_session *s);
/* ip:port as a socket address; its length. */
socklen_t pr_sockaddr(const xd_ip *ip, int port, struct sockaddr_storage *ss);
/* A TLS or Thrift SASL probe's own connection: a non-blocking connect
 * that resets on close, watched (io, ud) for its end, and timer armed
 * at at. 0 on success; 1 a local failure (the session fails), 2 the
 * connect failed at once; msg says why. The caller closes *fd (>= 0). */
int pr_tcp_open(pr_session *s, const xd_ip *ip, int port, int *fd,
                pr_io_fn io, void *ud, pr_timer *timer, double at,
                char *msg, size_t n);
/* Whether such a connection's connect succeeded (on its first wake-up);
 * msg says why not. */
bool pr_tcp_connected(int fd, char *msg, size_t n);

/* ---- TLS probe (tls.c) ---------------------------------------------- */

typedef struct pr_tls pr_tls;
typedef void (*pr_tls_done)(pr_session *s, pr_tls *t);
struct pr_tls {
  pr_pending pend;
  pr_session *sess;     /* set by pr_tls_submit */
  xd_ip ip;
  int port;
  const char *sni;      /* a host name for SNI and the name check, or NULL */
  double timeout_ms;
  double until_ms;      /* monotonic limit (the identification's), 0: none */
  pr_tls_done done;
  void *ud;
  /* result */
  bool finished;
  bool speaks_tls;
  const char *handshake; /* ok, alert, not-tls, closed, timeout, no-connect */
  char *error;
  const char *version;
  char cipher[96];
  char *subject, *issuer;
  char **sans;
  size_t n_sans;
  char not_before[32], not_after[32];
  long days_left;
  bool have_cert;
  long verify_code;
  const char *verify;   /* "ok" or X509_verify_cert_error_string */
  int hostname_match;   /* 1, 0, or -1 when not checked */
  char hostname[256];
  double ms;
  /* runtime */
  int fd;
  void *ssl;
  double t0;
  bool connected;
  bool saw_record;
  pr_timer timer;
  pr_tls *act_prev, *act_next;
};
xd_rc pr_tls_init(pr_session *s, xd_err *e);
void pr_tls_free_ctx(pr_session *s);
void pr_tls_submit(pr_session *s, pr_tls *t);
void pr_tls_cancel_all(pr_session *s);
/* Drop one handshake, queued or in flight, without its done callback:
 * another probe identified the port first. It writes no TLS entry. */
void pr_tls_cancel(pr_session *s, pr_tls *t);
void pr_tls_clear(pr_tls *t);

/* ---- Thrift SASL probe, HiveServer2's binary port (thrift.c) --------- */

enum { PR_SASL_START = 1, PR_SASL_OK, PR_SASL_BAD, PR_SASL_ERROR,
       PR_SASL_COMPLETE };
#define PR_SASL_MAX 4096    /* the longest answer frame we accept */
#define PR_SASL_FIRST 16    /* bytes kept (hex) of an answer not SASL */

typedef struct {
  int status;                   /* PR_SASL_* */
  const unsigned char *payload; /* inside the parsed buffer */
  size_t len;
} pr_sasl_frame;
/* One negotiation frame at the start of b[0..n): 1 whole (f filled), 0 a
 * beginning that needs more bytes, -1 not a Thrift SASL frame (a first
 * byte that is no status, a length over PR_SASL_MAX). */
int pr_sasl_parse(const unsigned char *b, size_t n, pr_sasl_frame *f);
/* "BAD" for PR_SASL_BAD ... */
const char *pr_sasl_status_name(int status);

typedef struct pr_sasl pr_sasl;
typedef void (*pr_sasl_done)(pr_session *s, pr_sasl *k);
struct pr_sasl {
  pr_pending pend;
  pr_session *sess;     /* set by pr_sasl_submit */
  xd_ip ip;
  int port;
  double timeout_ms;
  double until_ms;      /* monotonic limit (the identification's), 0: none */
  pr_sasl_done done;
  void *ud;
  /* result */
  bool finished;
  /* answered (a frame: status, message), closed (without answering),
   * timeout (silent), other (bytes that are no frame: first_bytes),
   * no-connect, cancelled (TLS identified the port first), error */
  const char *outcome;
  int status;
  char *message;        /* the frame's payload as text; malloc'ed */
  char *error;
  size_t got;           /* bytes received */
  char first_bytes[2 * PR_SASL_FIRST + 1];
  double ms;
  /* runtime */
  int fd;
  bool started, connected;
  size_t sent;
  unsigned char buf[5 + PR_SASL_MAX];
  size_t n;
  double t0;
  pr_timer timer;
};
void pr_sasl_submit(pr_session *s, pr_sasl *k);
/* Drop one probe, queued or in flight, without its done callback. */
void pr_sasl_cancel(pr_session *s, pr_sasl *k, const char *why);
void pr_sasl_cancel_all(pr_session *s);
void pr_sasl_clear(pr_sasl *k);

/* ---- HTTP probe (http.c) -------------------------------------------- */

typedef struct pr_http pr_http;
typedef void (*pr_http_done)(pr_session *s, pr_http *h);
struct pr_http {
  pr_session *sess;     /* set by pr_http_submit */
  const char *host;     /* name for the URL, or NULL to use the IP */
  xd_ip ip;
  int port;
  bool https;
  double budget_ms;     /* for every request of this port together */
  double until_ms;      /* monotonic limit (the identification's), 0: none */
  double dns_ms;        /* the DNS phase, measured by dns.c; < 0 unknown */
  pr_http_done done;
  void *ud;
  /* result */
  bool finished;
  char *url;
  long status;          /* 0: no HTTP response */
  const char *service;
  const char *identified_by;
  char *version;        /* e.g. Presto's nodeVersion */
  double phases[5];     /* dns, connect, tls, first_byte, total */
  bool auth_required;
  bool body_truncated;  /* the reported response's body hit the limit */
  size_t body_bytes;
  char *content_type;
  char *error;
  cJSON *attempts;
  /* runtime */
  void *easy;
  void *headers, *connect_to;
  char errbuf[256];     /* CURL_ERROR_SIZE */
  xd_buf body;
  bool truncated;       /* the current request's body hit the limit */
  int order[4];
  int n_order, next;
  double t_start;
};
xd_rc pr_http_init(pr_session *s, xd_err *e);
void pr_http_free_multi(pr_session *s);
void pr_http_submit(pr_session *s, pr_http *h);
/* Drop the request in flight (deadline, signal); results so far stay. */
void pr_http_cancel(pr_session *s, pr_http *h);
void pr_http_clear(pr_http *h);
/* Which service a response is, from its path and body; NULL if none. */
const char *pr_http_identify(int path_idx, long status, const char *body,
                             size_t len, char **version);
/* The service usually found on port, or NULL. */
const char *pr_http_port_service(int port);
/* Whether the service usually on port speaks HTTP: 1 yes, 0 no (a GET
 * would only wait: HiveServer2's binary Thrift on 10000), -1 unknown. */
int pr_http_port_speaks_http(int port);
/* Fill h, without a request, for a port known not to speak HTTP: the
 * service by its port number, no status, the reason nothing was asked. */
void pr_http_not_asked(pr_session *s, pr_http *h);

/* ---- one (target, address, port) and its chain of probes ------------- */

typedef struct {
  const char *target;   /* as the user gave it */
  bool target_is_name;
  xd_ip ip;
  char ipstr[PR_IPSTR];
  int port;
  double dns_ms;
  pr_conn conn;
  pr_tls *tls;
  pr_sasl *sasl;        /* HiveServer2's port only, beside TLS */
  pr_http *http;        /* the HTTP result reported */
  pr_http *http_plain;  /* plain HTTP, started with TLS; becomes http
                           unless the TLS handshake succeeds */
  double id_until;      /* identification ends here (monotonic ms) */
  double id_budget;     /* its length, for the report */
} pr_job;

/* ---- the pre-check (precheck.c) -------------------------------------- */

typedef struct pr_precheck pr_precheck;
xd_rc pr_precheck_start(pr_session *s, xd_err *e);
void pr_precheck_free(pr_session *s);
cJSON *pr_precheck_json(const pr_session *s);

/* ---- the session ----------------------------------------------------- */

struct pr_session {
  const pr_plan *plan;
  double timeout_ms;
  long concurrency;
  bool concurrency_given;   /* --concurrency was set, not defaulted */
  pr_loop loop;
  bool loop_ok;
  /* scheduling */
  long in_flight;
  pr_pending *q_head, *q_tail;
  bool draining;
  long outstanding;
  /* dns */
  pr_dns *dns;
  pr_name **names;
  size_t n_names;
  bool resolved;
  /* tcp / tls / http */
  pr_conn *act_conns;
  pr_tls *act_tls;
  void *ssl_ctx;
  void *curlm;
  pr_timer curl_timer;
  int curl_running;
  pr_job **jobs;
  size_t n_jobs, cap_jobs;
  pr_precheck *pc;
  /* end */
  const char *incomplete;  /* "deadline" or "interrupted" */
  xd_rc fatal;             /* a local failure inside a callback */
  char fatal_msg[256];
  double started_ms;
};

/* Run the loop until no work is left, the deadline passes or a signal
 * comes (then s->incomplete is set and everything in flight is dropped). */
xd_rc pr_session_drive(pr_session *s, xd_err *e);
/* Record a local failure met inside a callback; the loop stops. */
void pr_session_fail(pr_session *s, xd_rc rc, const char *msg);
/* The name record for name, or NULL. */
pr_name *pr_session_name(const pr_session *s, const char *name);
/* The time a probe may take (the deadline is the loop's business). */
double pr_session_budget(const pr_session *s, double timeout_ms);
/* When a probe started at t0 gives up: its budget, or the
 * identification's limit (until_ms, monotonic; 0 none) when sooner. */
double pr_session_until(const pr_session *s, double t0, double timeout_ms,
                        double until_ms);

/* ---- observations (observations.c) ----------------------------------- */

xd_rc pr_obs_fill(pr_session *s, cJSON *obs, xd_err *e);
/* Text forms used across files. */
void pr_ip_str(const xd_ip *ip, char *out, size_t n);
/* Whether s is an IP literal; the address in *ip when given. */
bool pr_is_ip_literal(const char *s, xd_ip *ip);
double pr_round_ms(double ms);
/* "ECONNREFUSED", ... for the observations. */
const char *pr_errno_name(int err);

#endif
