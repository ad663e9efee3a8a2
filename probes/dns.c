/* probes/dns.c: A and AAAA queries with c-ares, in the engine's loop.
 *
 * c-ares reports NXDOMAIN, SERVFAIL and REFUSED as statuses; the rcode is
 * read from the answer's own header instead, and ARES_FLAG_NOCHECKRESP
 * makes c-ares hand a SERVFAIL or REFUSED answer over rather than
 * silently trying the next server, so the observation says what the
 * server said. c-ares does not tell which server answered: the socket
 * functions below note the sender of every datagram, and the answer's
 * callback runs while that datagram is being processed. */
#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/timeutil.h"
#include "pr_internal.h"

#define MAX_ADDRS 64
/* Queries in flight at once. A resolver's receive buffer holds a few
 * hundred datagrams; thousands sent in one burst are mostly dropped and
 * answered only after a retry, so the rest wait here instead. */
#define MAX_INFLIGHT 64

typedef struct qctx qctx;
struct qctx {
  pr_session *s;
  pr_name *n;
  pr_dns_answer *ans;
  int type;
  qctx *next;
};

struct pr_dns {
  ares_channel ch;
  bool ch_ok;
  pr_timer timer;
  char label[PR_IPSTR];
  char last_server[PR_IPSTR];
  unsigned long datagrams, accepted;
  pr_session *s;
  int inflight;
  qctx *q_head, *q_tail;
};


/* ---- --dns-server ----------------------------------------------------- */

xd_rc pr_parse_dns_server(const char *s, xd_ip *ip, int *port, xd_err *e)
{
  char host[128];
  const char *p = NULL;
  size_t hl;
  long v = 53;
  if(!s || !*s)
    return xd_fail(e, XD_E_USAGE, "--dns-server: empty value");
  if(s[0] == '[') {
    const char *close = strchr(s, ']');
    if(!close)
      goto bad;
    hl = (size_t)(close - s - 1);
    if(hl == 0 || hl >= sizeof(host))
      goto bad;
    memcpy(host, s + 1, hl);
    host[hl] = 0;
    if(close[1] == ':')
      p = close + 2;
    else if(close[1])
      goto bad;
  }
  else {
    const char *colon = strchr(s, ':');
    /* one colon: IPv4:port; more: a bare IPv6 address */
    if(colon && !strchr(colon + 1, ':')) {
      hl = (size_t)(colon - s);
      p = colon + 1;
    }
    else
      hl = strlen(s);
    if(hl == 0 || hl >= sizeof(host))
      goto bad;
    memcpy(host, s, hl);
    host[hl] = 0;
  }
  if(!xd_ip_parse(host, ip))
    goto bad;
  if(p) {
    char *end;
    errno = 0;
    v = strtol(p, &end, 10);
    if(!*p || *end || errno || v < 1 || v > 65535)
      return xd_fail(e, XD_E_USAGE, "--dns-server: '%s': the port must be a "
                     "number from 1 to 65535", s);
  }
  *port = (int)v;
  return XD_OK;
bad:
  return xd_fail(e, XD_E_USAGE, "--dns-server: '%s' is not IP[:PORT] (an "
                 "IPv4 or IPv6 address, IPv6 with a port as [IP]:PORT)", s);
}

static void label_of(const xd_ip *ip, int port, char *out, size_t n)
{
  char a[48];   /* INET6_ADDRSTRLEN and then some; out is PR_IPSTR */
  pr_ip_str(ip, a, sizeof(a));
  if(port == 53)
    snprintf(out, n, "%s", a);
  else if(ip->family == 6)
    snprintf(out, n, "[%s]:%d", a, port);
  else
    snprintf(out, n, "%s:%d", a, port);
}

static void label_of_sa(const struct sockaddr *sa, char *out, size_t n)
{
  xd_ip ip = {0, {0}};
  int port = 53;
  if(sa->sa_family == AF_INET) {
    const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)sa;
    ip.family = 4;
    memcpy(ip.b, &sin->sin_addr, 4);
    port = ntohs(sin->sin_port);
  }
  else if(sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *sin6 =
        (const struct sockaddr_in6 *)(const void *)sa;
    ip.family = 6;
    memcpy(ip.b, &sin6->sin6_addr, 16);
    port = ntohs(sin6->sin6_port);
  }
  else
    return;
  label_of(&ip, port, out, n);
}

/* ---- socket functions: plain syscalls that remember the sender ------ */

static ares_socket_t f_socket(int dom, int type, int proto, void *ud)
{
  (void)ud;
  return socket(dom, type | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
}

static int f_close(ares_socket_t fd, void *ud)
{
  pr_dns *d = ud;
  pr_loop_unwatch(&d->s->loop, fd);
  return close(fd);
}

static int f_connect(ares_socket_t fd, const struct sockaddr *sa,
                     ares_socklen_t len, void *ud)
{
  (void)ud;
  return connect(fd, sa, len);
}

static ares_ssize_t f_recvfrom(ares_socket_t fd, void *buf, size_t len,
                               int flags, struct sockaddr *from,
                               ares_socklen_t *from_len, void *ud)
{
  pr_dns *d = ud;
  ssize_t r = recvfrom(fd, buf, len, flags, from, from_len);
  if(r > 0) {
    if(from) {
      d->datagrams++;
      label_of_sa(from, d->last_server, sizeof(d->last_server));
    }
    else {
      struct sockaddr_storage ss;
      socklen_t sl = sizeof(ss);
      if(getpeername(fd, (struct sockaddr *)&ss, &sl) == 0)
        label_of_sa((struct sockaddr *)&ss, d->last_server,
                    sizeof(d->last_server));
    }
  }
  return r;
}

static ares_ssize_t f_sendv(ares_socket_t fd, const struct iovec *iov,
                            int n, void *ud)
{
  (void)ud;
  return writev(fd, iov, n);
}

static const struct ares_socket_functions sock_funcs = {
  f_socket, f_close, f_connect, f_recvfrom, f_sendv
};

/* ---- the loop's view of c-ares -------------------------------------- */

static void rearm(pr_dns *d)
{
  struct timeval tv, *tvp;
  if(!d->ch_ok)
    return;
  tvp = ares_timeout(d->ch, NULL, &tv);
  if(tvp)
    pr_timer_arm(&d->s->loop, &d->timer,
                 xd_now_ms() + (double)tvp->tv_sec * 1000.0 +
                     (double)tvp->tv_usec / 1000.0);
  else
    pr_timer_disarm(&d->s->loop, &d->timer);
}

static void on_io(void *ud, int fd, uint32_t ev)
{
  pr_dns *d = ud;
  ares_socket_t r = (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) ? fd : ARES_SOCKET_BAD;
  ares_socket_t w = (ev & EPOLLOUT) ? fd : ARES_SOCKET_BAD;
  ares_process_fd(d->ch, r, w);
  rearm(d);
}

static void on_timer(void *ud)
{
  pr_dns *d = ud;
  ares_process_fd(d->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  rearm(d);
}

static void sock_state(void *ud, ares_socket_t fd, int readable, int writable)
{
  pr_dns *d = ud;
  if(!readable && !writable)
    pr_loop_unwatch(&d->s->loop, fd);
  else if(pr_loop_watch(&d->s->loop, fd,
                        (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0),
                        on_io, d) != XD_OK)
    pr_session_fail(d->s, XD_E_NET, "epoll_ctl failed for a DNS socket");
}

xd_rc pr_dns_init(pr_session *s, xd_err *e)
{
  struct ares_options opt;
  int mask, rc;
  pr_dns *d;
  long per_try;

  if(s->dns)
    return XD_OK;
  rc = ares_library_init(ARES_LIB_INIT_ALL);
  if(rc != ARES_SUCCESS)
    return xd_fail(e, XD_E_NET, "c-ares: %s", ares_strerror(rc));
  d = calloc(1, sizeof(*d));
  if(!d)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  d->s = s;
  d->timer.fn = on_timer;
  d->timer.ud = d;
  memset(&opt, 0, sizeof(opt));
  /* two tries, the second twice as long (c-ares doubles it): together
   * one probe timeout */
  per_try = (long)(s->timeout_ms / 3);
  if(per_try < 50)
    per_try = 50;
  opt.flags = ARES_FLAG_NOCHECKRESP;
  opt.timeout = (int)per_try;
  opt.tries = 2;
  opt.sock_state_cb = sock_state;
  opt.sock_state_cb_data = d;
  opt.socket_receive_buffer_size = 1 << 20;
  mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
         ARES_OPT_SOCK_STATE_CB | ARES_OPT_SOCK_RCVBUF;
  rc = ares_init_options(&d->ch, &opt, mask);
  if(rc != ARES_SUCCESS) {
    free(d);
    return xd_fail(e, XD_E_NET, "c-ares: cannot set up the resolver: %s",
                   ares_strerror(rc));
  }
  d->ch_ok = true;
  s->dns = d;
  ares_set_socket_functions(d->ch, &sock_funcs, d);
  if(s->plan->dns_server) {
    struct ares_addr_port_node srv;
    xd_ip ip;
    int port;
    xd_rc xr = pr_parse_dns_server(s->plan->dns_server, &ip, &port, e);
    if(xr != XD_OK)
      return xr;
    memset(&srv, 0, sizeof(srv));
    srv.family = ip.family == 6 ? AF_INET6 : AF_INET;
    memcpy(ip.family == 6 ? (void *)&srv.addr.addr6 : (void *)&srv.addr.addr4,
           ip.b, ip.family == 6 ? 16 : 4);
    srv.udp_port = srv.tcp_port = port;
    rc = ares_set_servers_ports(d->ch, &srv);
    if(rc != ARES_SUCCESS)
      return xd_fail(e, XD_E_NET, "c-ares: cannot use %s: %s",
                     s->plan->dns_server, ares_strerror(rc));
    label_of(&ip, port, d->label, sizeof(d->label));
  }
  else {
    struct ares_addr_port_node *list = NULL;
    if(ares_get_servers_ports(d->ch, &list) == ARES_SUCCESS && list) {
      xd_ip ip = {0, {0}};
      ip.family = list->family == AF_INET6 ? 6 : 4;
      memcpy(ip.b, list->family == AF_INET6 ? (void *)&list->addr.addr6
                                            : (void *)&list->addr.addr4,
             ip.family == 6 ? 16 : 4);
      label_of(&ip, list->udp_port ? list->udp_port : 53, d->label,
               sizeof(d->label));
    }
    else
      snprintf(d->label, sizeof(d->label), "system");
    ares_free_data(list);
  }
  return XD_OK;
}

const char *pr_dns_server_label(const pr_session *s)
{
  return s->dns ? s->dns->label : NULL;
}

static const char *rcode_name(int rc)
{
  static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL",
    "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
    "NOTAUTH", "NOTZONE"};
  if(rc >= 0 && rc < (int)(sizeof(names) / sizeof(names[0])))
    return names[rc];
  return "RCODE?";
}

static void set_error(pr_dns_answer *a, const char *msg)
{
  free(a->error);
  a->error = strdup(msg);
}

static void parse_answer(pr_dns_answer *a, int type, const unsigned char *abuf,
                         int alen)
{
  int n = MAX_ADDRS, rc;
  a->ttl = -1;
  if(type == ns_t_a) {
    struct ares_addrttl at[MAX_ADDRS];
    rc = ares_parse_a_reply(abuf, alen, NULL, at, &n);
    if(rc == ARES_SUCCESS) {
      a->addrs = calloc((size_t)n ? (size_t)n : 1, sizeof(xd_ip));
      for(int i = 0; a->addrs && i < n; i++) {
        a->addrs[i].family = 4;
        memcpy(a->addrs[i].b, &at[i].ipaddr, 4);
        if(a->ttl < 0 || at[i].ttl < a->ttl)
          a->ttl = at[i].ttl;
      }
      a->n_addrs = a->addrs ? (size_t)n : 0;
    }
  }
  else {
    struct ares_addr6ttl at[MAX_ADDRS];
    rc = ares_parse_aaaa_reply(abuf, alen, NULL, at, &n);
    if(rc == ARES_SUCCESS) {
      a->addrs = calloc((size_t)n ? (size_t)n : 1, sizeof(xd_ip));
      for(int i = 0; a->addrs && i < n; i++) {
        a->addrs[i].family = 6;
        memcpy(a->addrs[i].b, &at[i].ip6addr, 16);
        if(a->ttl < 0 || at[i].ttl < a->ttl)
          a->ttl = at[i].ttl;
      }
      a->n_addrs = a->addrs ? (size_t)n : 0;
    }
  }
  if(rc != ARES_SUCCESS && rc != ARES_ENODATA) {
    char msg[160];
    snprintf(a->rcode, sizeof(a->rcode), "malformed");
    snprintf(msg, sizeof(msg), "the answer could not be parsed (%s)",
             ares_strerror(rc));
    set_error(a, msg);
  }
}

static void send_queued(pr_dns *d);

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf,
                      int alen)
{
  qctx *q = arg;
  pr_session *s = q->s;
  pr_dns *d = s->dns;
  pr_dns_answer *a = q->ans;
  (void)timeouts;
  a->ms = xd_now_ms() - a->t0;
  if(status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
    snprintf(a->rcode, sizeof(a->rcode), "cancelled");
    snprintf(a->server, sizeof(a->server), "%s", d->label);
  }
  else if(abuf && alen >= 12) {
    d->accepted++;
    snprintf(a->server, sizeof(a->server), "%s",
             d->last_server[0] ? d->last_server : d->label);
    snprintf(a->rcode, sizeof(a->rcode), "%s", rcode_name(abuf[3] & 0x0f));
    if((abuf[3] & 0x0f) == 0)
      parse_answer(a, q->type, abuf, alen);
    if((abuf[2] & 0x02) && !a->n_addrs)
      set_error(a, "the answer was truncated");
  }
  else {
    snprintf(a->server, sizeof(a->server), "%s", d->label);
    if(status == ARES_ETIMEOUT) {
      char msg[256];
      unsigned long bad = d->datagrams > d->accepted
                              ? d->datagrams - d->accepted : 0;
      snprintf(a->rcode, sizeof(a->rcode), "timeout");
      if(bad)
        snprintf(msg, sizeof(msg), "no usable answer within %.0f ms; the "
                 "server sent %lu replies that could not be used (malformed "
                 "or for another question)", s->timeout_ms, bad);
      else
        snprintf(msg, sizeof(msg), "no answer within %.0f ms", s->timeout_ms);
      a->unusable = (unsigned)bad;
      set_error(a, msg);
    }
    else if(status == ARES_ECONNREFUSED) {
      snprintf(a->rcode, sizeof(a->rcode), "conn-refused");
      set_error(a, "nothing answers DNS there (port unreachable)");
    }
    else {
      snprintf(a->rcode, sizeof(a->rcode), "error");
      set_error(a, ares_strerror(status));
    }
  }
  a->done = true;
  free(q);
  s->outstanding--;
  d->inflight--;
  send_queued(d);
}

static void send_one(pr_dns *d, qctx *q)
{
  /* a single label goes through the search list, as the system resolver
   * would send it; anything with a dot is asked as written */
  bool dotted = strchr(q->n->name, '.') != NULL;
  d->inflight++;
  q->ans->t0 = xd_now_ms();
  if(dotted)
    ares_query(d->ch, q->n->name, ns_c_in, q->type, on_answer, q);
  else
    ares_search(d->ch, q->n->name, ns_c_in, q->type, on_answer, q);
}

static void send_queued(pr_dns *d)
{
  /* the answer callback may run inside ares_query (a bad name): the loop
   * here, not recursion, sends the next one */
  static bool sending;
  if(sending || !d->ch_ok)
    return;
  sending = true;
  while(d->q_head && d->inflight < MAX_INFLIGHT) {
    qctx *q = d->q_head;
    d->q_head = q->next;
    if(!d->q_head)
      d->q_tail = NULL;
    send_one(d, q);
  }
  sending = false;
  rearm(d);
}

static xd_rc ask(pr_session *s, pr_name *n, pr_dns_answer *a, int type,
                 xd_err *e)
{
  pr_dns *d = s->dns;
  qctx *q = calloc(1, sizeof(*q));
  if(!q)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  q->s = s;
  q->n = n;
  q->ans = a;
  q->type = type;
  a->asked = true;
  a->ttl = -1;
  s->outstanding++;
  if(d->q_tail)
    d->q_tail->next = q;
  else
    d->q_head = q;
  d->q_tail = q;
  send_queued(d);
  return XD_OK;
}

static void from_hostent(pr_dns_answer *a, const struct hostent *h, int fam)
{
  size_t n = 0;
  a->asked = a->done = true;
  a->ttl = -1;
  snprintf(a->rcode, sizeof(a->rcode), "NOERROR");
  snprintf(a->server, sizeof(a->server), "/etc/hosts");
  while(h && h->h_addr_list[n] && n < MAX_ADDRS)
    n++;
  if(!n)
    return;
  a->addrs = calloc(n, sizeof(xd_ip));
  for(size_t i = 0; a->addrs && i < n; i++) {
    a->addrs[i].family = fam == AF_INET6 ? 6 : 4;
    memcpy(a->addrs[i].b, h->h_addr_list[i], fam == AF_INET6 ? 16 : 4);
  }
  a->n_addrs = a->addrs ? n : 0;
}

/* Without --dns-server the system resolver's order is kept: the hosts
 * file first (nsswitch "files dns"), as getaddrinfo in the Studio client
 * does. A name found there is not asked of DNS at all. */
static bool from_hosts_file(pr_session *s, pr_name *n)
{
  struct hostent *h4 = NULL, *h6 = NULL;
  if(s->plan->dns_server)
    return false;
  if(ares_gethostbyname_file(s->dns->ch, n->name, AF_INET, &h4) != ARES_SUCCESS)
    h4 = NULL;
  if(ares_gethostbyname_file(s->dns->ch, n->name, AF_INET6, &h6) !=
     ARES_SUCCESS)
    h6 = NULL;
  if(!h4 && !h6)
    return false;
  from_hostent(&n->a, h4, AF_INET);
  from_hostent(&n->aaaa, h6, AF_INET6);
  if(h4)
    ares_free_hostent(h4);
  if(h6)
    ares_free_hostent(h6);
  return true;
}

xd_rc pr_dns_lookup(pr_session *s, const char *name, pr_name **out, xd_err *e)
{
  pr_name *n = pr_session_name(s, name), **grown;
  xd_rc rc;
  *out = n;
  if(n)
    return XD_OK;
  rc = pr_dns_init(s, e);
  if(rc != XD_OK)
    return rc;
  grown = realloc(s->names, (s->n_names + 1) * sizeof(*grown));
  if(!grown)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  s->names = grown;
  n = calloc(1, sizeof(*n));
  if(!n || !(n->name = strdup(name))) {
    free(n);
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  }
  s->names[s->n_names++] = n;
  *out = n;
  if(from_hosts_file(s, n))
    return XD_OK;
  rc = ask(s, n, &n->a, ns_t_a, e);
  if(rc == XD_OK)
    rc = ask(s, n, &n->aaaa, ns_t_aaaa, e);
  return rc;
}

static void drop_queued(pr_session *s)
{
  pr_dns *d = s->dns;
  while(d->q_head) {
    qctx *q = d->q_head;
    d->q_head = q->next;
    snprintf(q->ans->rcode, sizeof(q->ans->rcode), "cancelled");
    free(q);
    s->outstanding--;
  }
  d->q_tail = NULL;
}

void pr_dns_cancel(pr_session *s)
{
  if(!s->dns)
    return;
  drop_queued(s);
  if(s->dns->ch_ok)
    ares_cancel(s->dns->ch);
}

void pr_dns_free(pr_session *s)
{
  pr_dns *d = s->dns;
  if(!d)
    return;
  drop_queued(s);
  if(d->ch_ok) {
    /* callbacks of queries still open run now (ARES_EDESTRUCTION); they
     * must not send anything more */
    d->ch_ok = false;
    ares_destroy(d->ch);
  }
  if(s->loop_ok)
    pr_timer_disarm(&s->loop, &d->timer);
  free(d);
  s->dns = NULL;
  ares_library_cleanup();
}
