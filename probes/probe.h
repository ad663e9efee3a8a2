/* probes/probe.h: the probe engine, the door `probe` and `check` go
 * through. One event loop (epoll) drives everything: c-ares for DNS,
 * non-blocking connects for TCP, non-blocking OpenSSL handshakes for TLS
 * and the libcurl multi interface for HTTP. What it saw goes into an
 * observations document (common/observations.h, ../shared/contract.md).
 *
 * TCP states and reasons use nmap's words. ICMP errors are read from the
 * socket's error queue (IP_RECVERR), not guessed from errno, so a port a
 * firewall rejects with admin-prohibited says so. */
#ifndef PR_PROBE_H
#define PR_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "../common/netaddr.h"
#include "../common/timeutil.h"
#include "../common/xd_error.h"

#define PR_DEFAULT_TIMEOUT_MS 5000L
/* Enough that 1,000 filtered ports wait out one timeout round, not four;
 * clamped to what the open-file limit allows. */
#define PR_DEFAULT_CONCURRENCY 1024L
/* Once a connect has proved the path, what identifying the service (TLS
 * and HTTP, side by side) may take, counted from the connect: a healthy
 * service answers in milliseconds, and a silent one must not cost a
 * second timeout. The default is cut to the per-probe timeout when that
 * is shorter; plan.identify_ms, when set, is used as given. */
#define PR_IDENTIFY_MS 1000L
/* What the Studio client waits for its TCP pre-check (domain.md). */
#define PR_PRECHECK_TIMEOUT_MS 5000L
/* An HTTP body is read up to this many bytes, then the transfer stops. */
#define PR_HTTP_MAX_BODY ((size_t)1024 * 1024)

typedef struct {
  const char *const *targets;   /* names or IP literals */
  size_t n_targets;
  const int *ports;
  size_t n_ports;
  const char *dns_server;       /* "IP[:PORT]" or NULL for the system's */
  long timeout_ms;              /* per probe; <= 0: PR_DEFAULT_TIMEOUT_MS */
  long identify_ms;             /* per open port; <= 0: the default */
  long concurrency;             /* sockets in flight; <= 0: the default */
  const xd_deadline *deadline;  /* the whole run, or NULL */
  bool (*interrupted)(void);    /* polled; NULL for never */
  bool no_tls, no_http;
  /* expectations from the model, optional: the A answer for expect_name
   * is compared with the primary node's private and public address */
  const char *expect_name;
  const char *expect_private_ip;
  const char *expect_public_ip;
  /* the Studio client's pre-check (domain.md): both NULL to skip */
  const char *precheck_private_dns, *precheck_public_dns;
  int precheck_port;            /* 0: 8998 */
  long precheck_timeout_ms;     /* 0: PR_PRECHECK_TIMEOUT_MS */
  /* a PEM bundle the TLS probe verifies chains against (the one HTTPS to
   * AWS trusts: the control plane is judged as the SDK would judge it);
   * NULL for OpenSSL's default store */
  const char *ca_file;
} pr_plan;

typedef struct pr_session pr_session;

/* Run every probe of plan p and fill obs (from pr_obs_new or xd_obs_new):
 * dns, tcp, tls, http, and "precheck" when asked. Findings (closed,
 * filtered, NXDOMAIN, timeouts) are data, not errors: XD_OK is returned.
 * XD_E_TIMEOUT / XD_E_INTERRUPTED when the deadline passed or a signal
 * came: obs then holds what finished and "incomplete" says why. Other
 * codes for bad plans or local failures (no sockets, no memory). */
xd_rc pr_run(const pr_plan *p, cJSON *obs, xd_err *e);

/* The same in steps, for a caller that must act between resolving and
 * probing (`probe` opens the packet capture on the resolved addresses,
 * then drops privileges). p and every string in it must outlive the
 * session. */
xd_rc pr_session_new(const pr_plan *p, pr_session **out, xd_err *e);
/* Resolve every target name (A and AAAA) and the expectation and
 * pre-check names; the answers are kept for pr_session_probe. */
xd_rc pr_session_resolve(pr_session *s, xd_err *e);
/* Every address that will be probed (targets and pre-check names), as
 * host-sized blocks in a malloc'ed array the caller frees; *n may be 0. */
xd_rc pr_session_addresses(const pr_session *s, xd_cidr **out, size_t *n,
                           xd_err *e);
/* Probe (resolving first if not done yet) and fill obs as pr_run does. */
xd_rc pr_session_probe(pr_session *s, cJSON *obs, xd_err *e);
/* Free the session. NULL is fine. */
void pr_session_free(pr_session *s);

/* Check a --target value: a host name (RFC 1123 labels, optional final
 * dot) or an IPv4/IPv6 literal. The error names the value. */
xd_rc pr_check_target(const char *s, xd_err *e);
/* Parse a --dns-server value "IP", "IP:PORT", "[IPv6]" or "[IPv6]:PORT"
 * (port 53 when absent). The error names the value. */
xd_rc pr_parse_dns_server(const char *s, xd_ip *ip, int *port, xd_err *e);

/* A new observations document (xd_obs_new) for side, with this host's
 * name and interface addresses filled in. NULL when out of memory. */
cJSON *pr_obs_new(const char *side);
/* The Nagios status the observations call for: 0 when every probed port
 * is open, every name resolved with NOERROR, every expectation met and
 * the pre-check passed; 2 (critical) otherwise, or when nothing could be
 * probed at all; 3 when the run was incomplete. */
int pr_obs_status(const cJSON *obs);

#endif
