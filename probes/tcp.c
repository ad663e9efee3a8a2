/* probes/tcp.c: the TCP connect probe, in nmap's words.
 *
 * Each connect is non-blocking, with IP_RECVERR (IPV6_RECVERR) set: when
 * an ICMP error aborts the handshake, Linux queues it on the socket's
 * error queue, and we read the ICMP type and code (and the router that
 * sent it) from there. errno alone cannot tell a host-unreachable from an
 * admin-prohibited (both are EHOSTUNREACH), which is all nmap -sT sees.
 *
 * The words are nmap -sT's (the contract's), and where nmap -sT cannot see
 * the ICMP code they are the ones nmap's raw scans read from the packet
 * (reason.cc): 3/0 net-unreach, 3/1 host-unreach, 3/2 proto-unreach, 3/3
 * closed with conn-refused (what nmap -sT reports for the ECONNREFUSED it
 * causes; the ICMP message stays in the observation, telling a firewall's
 * reject from a reset by the host), 3/9, 3/10 and 3/13 admin-prohibited
 * (nmap -sT says net-unreach or host-unreach, seeing only errno; nmap -sS
 * says net-prohibited, host-prohibited, admin-prohibited; the contract has
 * one word for "a filter said no"). ICMPv6 1/1, 1/5 and 1/6 are
 * admin-prohibited, 1/0 net-unreach, 1/3 host-unreach, 1/4 conn-refused.
 * Without an ICMP message the errno is mapped as nmap -sT maps it. */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/timeutil.h"
#include "pr_internal.h"

void pr_tcp_classify(int family, bool icmp, int type, int code, int err,
                     const char **state, const char **reason)
{
  *state = "filtered";
  if(icmp && family == 4) {
    if(type == 3) {
      switch(code) {
      case 0: case 6: case 11: *reason = "net-unreach"; return;
      case 1: case 7: case 12: *reason = "host-unreach"; return;
      case 2: *reason = "proto-unreach"; return;
      case 3: *state = "closed"; *reason = "conn-refused"; return;
      case 9: case 10: case 13: *reason = "admin-prohibited"; return;
      default: *reason = "dest-unreach"; return;
      }
    }
    if(type == 11) {
      *reason = "time-exceeded";
      return;
    }
  }
  else if(icmp && family == 6) {
    if(type == 1) {
      switch(code) {
      case 0: *reason = "net-unreach"; return;
      case 1: case 5: case 6: *reason = "admin-prohibited"; return;
      case 2: case 3: *reason = "host-unreach"; return;
      case 4: *state = "closed"; *reason = "conn-refused"; return;
      default: *reason = "dest-unreach"; return;
      }
    }
    if(type == 3) {
      *reason = "time-exceeded";
      return;
    }
    if(type == 4 && code == 1) {
      *reason = "proto-unreach";
      return;
    }
  }
  switch(err) {
  case 0: *state = "open"; *reason = "syn-ack"; break;
  /* a reset to the SYN is ECONNREFUSED; ECONNRESET comes only once the
   * handshake completed (a server that accepts and closes at once, seen
   * late on a loaded machine): the port answered SYN-ACK, as nmap -sT's
   * connect() would have reported */
  case ECONNRESET: case EPIPE: *state = "open"; *reason = "syn-ack"; break;
  case ECONNREFUSED: *state = "closed"; *reason = "conn-refused"; break;
  case ETIMEDOUT: case EHOSTDOWN: *reason = "no-response"; break;
  case EHOSTUNREACH: *reason = "host-unreach"; break;
  case ENETUNREACH: *reason = "net-unreach"; break;
  case EACCES: case EPERM: *reason = "admin-prohibited"; break;
  case ENOPROTOOPT: *reason = "proto-unreach"; break;
  case ENONET: *reason = "dest-unreach"; break;
  default: *reason = "unknown"; break;
  }
}

const char *pr_errno_name(int err)
{
  static const struct {
    int v;
    const char *name;
  } names[] = {
    {0, "0"}, {ECONNREFUSED, "ECONNREFUSED"}, {ETIMEDOUT, "ETIMEDOUT"},
    {EHOSTUNREACH, "EHOSTUNREACH"}, {ENETUNREACH, "ENETUNREACH"},
    {EACCES, "EACCES"}, {EPERM, "EPERM"}, {ENOPROTOOPT, "ENOPROTOOPT"},
    {EHOSTDOWN, "EHOSTDOWN"}, {ENONET, "ENONET"}, {ECONNRESET, "ECONNRESET"},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL"}, {EINVAL, "EINVAL"}, {EMFILE, "EMFILE"},
    {ENFILE, "ENFILE"}, {ENOBUFS, "ENOBUFS"}, {EIO, "EIO"},
  };
  for(size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if(names[i].v == err)
      return names[i].name;
  return "other";
}

static void act_add(pr_session *s, pr_conn *c)
{
  c->act_prev = NULL;
  c->act_next = s->act_conns;
  if(s->act_conns)
    s->act_conns->act_prev = c;
  s->act_conns = c;
}

static void act_del(pr_session *s, pr_conn *c)
{
  if(c->act_prev)
    c->act_prev->act_next = c->act_next;
  else if(s->act_conns == c)
    s->act_conns = c->act_next;
  if(c->act_next)
    c->act_next->act_prev = c->act_prev;
  c->act_prev = c->act_next = NULL;
}

/* Read every queued extended error; the last ICMP one is kept. */
static void read_errqueue(pr_conn *c)
{
  for(int guard = 0; guard < 8; guard++) {
    char ctl[512], data[64];
    struct iovec iov = {data, sizeof(data)};
    struct sockaddr_storage from;
    struct msghdr msg;
    struct cmsghdr *cm;
    memset(&msg, 0, sizeof(msg));
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl;
    msg.msg_controllen = sizeof(ctl);
    if(recvmsg(c->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
      return;
    for(cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
      struct sock_extended_err ee;
      const struct sockaddr *off;
      if(!((cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR) ||
           (cm->cmsg_level == SOL_IPV6 && cm->cmsg_type == IPV6_RECVERR)))
        continue;
      if(cm->cmsg_len < CMSG_LEN(sizeof(ee)))
        continue;
      memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
      if(ee.ee_origin != SO_EE_ORIGIN_ICMP && ee.ee_origin != SO_EE_ORIGIN_ICMP6)
        continue;
      c->icmp = true;
      c->icmp_type = ee.ee_type;
      c->icmp_code = ee.ee_code;
      c->icmp_from[0] = 0;
      /* the offender address follows the structure in the same cmsg */
      off = (const struct sockaddr *)(const void *)(CMSG_DATA(cm) + sizeof(ee));
      if(cm->cmsg_len >= CMSG_LEN(sizeof(ee) + sizeof(struct sockaddr_in)) &&
         off->sa_family == AF_INET) {
        struct sockaddr_in sin;
        xd_ip ip = {4, {0}};
        memcpy(&sin, off, sizeof(sin));
        memcpy(ip.b, &sin.sin_addr, 4);
        pr_ip_str(&ip, c->icmp_from, sizeof(c->icmp_from));
      }
      else if(cm->cmsg_len >= CMSG_LEN(sizeof(ee) + sizeof(struct sockaddr_in6))
              && off->sa_family == AF_INET6) {
        struct sockaddr_in6 sin6;
        xd_ip ip = {6, {0}};
        memcpy(&sin6, off, sizeof(sin6));
        memcpy(ip.b, &sin6.sin6_addr, 16);
        pr_ip_str(&ip, c->icmp_from, sizeof(c->icmp_from));
      }
    }
  }
}

static void local_addr(pr_conn *c)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  char ip[PR_IPSTR];
  xd_ip a = {0, {0}};
  int port = 0;
  if(getsockname(c->fd, (struct sockaddr *)&ss, &len) != 0)
    return;
  if(ss.ss_family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    a.family = 4;
    memcpy(a.b, &sin->sin_addr, 4);
    port = ntohs(sin->sin_port);
    pr_ip_str(&a, ip, sizeof(ip));
    snprintf(c->src, sizeof(c->src), "%s:%d", ip, port);
  }
  else if(ss.ss_family == AF_INET6) {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    a.family = 6;
    memcpy(a.b, &sin6->sin6_addr, 16);
    port = ntohs(sin6->sin6_port);
    pr_ip_str(&a, ip, sizeof(ip));
    snprintf(c->src, sizeof(c->src), "[%s]:%d", ip, port);
  }
}

/* err: the connect's errno, or -1 for our own timeout. */
static void finish(pr_session *s, pr_conn *c, int err)
{
  c->ms = xd_now_ms() - c->t0;
  if(err == -1) {
    c->err = ETIMEDOUT;
    pr_tcp_classify(c->ip.family, false, 0, 0, ETIMEDOUT, &c->state,
                    &c->reason);
  }
  else {
    c->err = err;
    if(err != 0 && c->fd >= 0)
      read_errqueue(c);
    pr_tcp_classify(c->ip.family, c->icmp, c->icmp_type, c->icmp_code, err,
                    &c->state, &c->reason);
  }
  if(c->fd >= 0) {
    if(err == 0)
      local_addr(c);
    pr_loop_unwatch(&s->loop, c->fd);
    close(c->fd);
    c->fd = -1;
  }
  pr_timer_disarm(&s->loop, &c->timer);
  act_del(s, c);
  c->finished = true;
  if(c->done)
    c->done(s, c);
  s->outstanding--;
  pr_sched_release(s);
}

/* The errno Linux pairs with an ICMP message (icmp_err_convert,
 * icmpv6_err_convert), for a connect whose error was queued but not
 * raised (see on_io). */
static int icmp_errno(const pr_conn *c)
{
  if(c->ip.family == 4 && c->icmp_type == 3) {
    switch(c->icmp_code) {
    case 0: case 6: case 9: case 11: return ENETUNREACH;
    case 2: return ENOPROTOOPT;
    case 3: return ECONNREFUSED;
    case 7: return EHOSTDOWN;
    case 8: return ENONET;
    default: return EHOSTUNREACH;
    }
  }
  if(c->ip.family == 6 && c->icmp_type == 1) {
    switch(c->icmp_code) {
    case 0: return ENETUNREACH;
    case 1: case 5: return EACCES;
    case 4: return ECONNREFUSED;
    case 6: return EINVAL;
    default: return EHOSTUNREACH;
    }
  }
  return EHOSTUNREACH;
}

/* Whether the handshake is still waiting for its SYN-ACK. Past it the
 * state may be anything (a server that closes at once leaves CLOSE_WAIT):
 * the port answered. */
static bool still_syn_sent(int fd)
{
  struct tcp_info ti;
  socklen_t len = sizeof(ti);
  memset(&ti, 0, sizeof(ti));
  if(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
    return false;   /* cannot tell: trust SO_ERROR as nmap does */
  return ti.tcpi_state == TCP_SYN_SENT;
}

static void on_io(void *ud, int fd, uint32_t events)
{
  pr_conn *c = ud;
  int err = 0;
  socklen_t len = sizeof(err);
  (void)events;
  if(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    err = errno;
  if(err == 0 && still_syn_sent(fd)) {
    /* An ICMP error that arrives while connect() itself still holds the
     * socket (a fast local link) is queued on the error queue, which
     * wakes us, but is kept as a soft error: SO_ERROR says 0 and the
     * kernel goes on retrying the SYN. The message is the answer; nmap
     * -sT misses it and waits for the retry. */
    read_errqueue(c);
    if(!c->icmp && ++c->spurious < 64)
      return;   /* woken for nothing: keep waiting */
    err = c->icmp ? icmp_errno(c) : EIO;
  }
  finish(c->sess, c, err);
}

socklen_t pr_sockaddr(const xd_ip *ip, int port, struct sockaddr_storage *ss)
{
  memset(ss, 0, sizeof(*ss));
  if(ip->family != 6) {
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    sin->sin_family = AF_INET;
    sin->sin_port = htons((uint16_t)port);
    memcpy(&sin->sin_addr, ip->b, 4);
    return sizeof(*sin);
  }
  {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons((uint16_t)port);
    memcpy(&sin6->sin6_addr, ip->b, 16);
    return sizeof(*sin6);
  }
}

int pr_tcp_open(pr_session *s, const xd_ip *ip, int port, int *fd,
                pr_io_fn io, void *ud, pr_timer *timer, double at,
                char *msg, size_t n)
{
  struct sockaddr_storage ss;
  socklen_t sl = pr_sockaddr(ip, port, &ss);
  struct linger lg = {1, 0};
  *fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if(*fd < 0) {
    snprintf(msg, n, "socket: %s", strerror(errno));
    pr_session_fail(s, XD_E_NET, msg);
    return 1;
  }
  /* a reset on close: a probe leaves no TIME_WAIT behind */
  setsockopt(*fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  if(connect(*fd, (struct sockaddr *)&ss, sl) != 0 && errno != EINPROGRESS) {
    snprintf(msg, n, "connect: %s", strerror(errno));
    return 2;
  }
  if(pr_loop_watch(&s->loop, *fd, EPOLLOUT, io, ud) != XD_OK) {
    snprintf(msg, n, "epoll_ctl failed for a probe's connection");
    pr_session_fail(s, XD_E_NET, msg);
    return 1;
  }
  pr_timer_arm(&s->loop, timer, at);
  return 0;
}

bool pr_tcp_connected(int fd, char *msg, size_t n)
{
  int err = 0;
  socklen_t len = sizeof(err);
  if(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    err = errno;
  if(err)
    snprintf(msg, n, "connect: %s", strerror(err));
  return err == 0;
}

static void on_timeout(void *ud);

static void start(pr_session *s, pr_pending *p)
{
  pr_conn *c = (pr_conn *)(void *)p;
  struct sockaddr_storage ss;
  socklen_t sl;
  int fam = c->ip.family == 6 ? AF_INET6 : AF_INET, one = 1, rc;
  struct linger lg = {1, 0};

  c->t0 = xd_now_ms();
  act_add(s, c);
  c->fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if(c->fd < 0) {
    char msg[128];
    snprintf(msg, sizeof(msg), "socket: %s", strerror(errno));
    pr_session_fail(s, XD_E_NET, msg);
    finish(s, c, errno);
    return;
  }
  if(fam == AF_INET)
    setsockopt(c->fd, SOL_IP, IP_RECVERR, &one, sizeof(one));
  else
    setsockopt(c->fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof(one));
  /* close with a reset, as nmap does: no FIN/TIME_WAIT per probe */
  setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  sl = pr_sockaddr(&c->ip, c->port, &ss);
  rc = connect(c->fd, (struct sockaddr *)&ss, sl);
  if(rc == 0) {
    finish(s, c, 0);
    return;
  }
  if(errno != EINPROGRESS) {
    finish(s, c, errno);
    return;
  }
  if(pr_loop_watch(&s->loop, c->fd, EPOLLOUT, on_io, c) != XD_OK) {
    pr_session_fail(s, XD_E_NET, "epoll_ctl failed for a connect");
    finish(s, c, EIO);
    return;
  }
  c->timer.fn = on_timeout;
  c->timer.ud = c;
  pr_timer_arm(&s->loop, &c->timer, c->t0 + pr_session_budget(s, c->timeout_ms));
}

static void on_timeout(void *ud)
{
  pr_conn *c = ud;
  /* a soft ICMP error still counts: it is what the network said */
  if(c->fd >= 0)
    read_errqueue(c);
  finish(c->sess, c, c->icmp ? icmp_errno(c) : -1);
}

void pr_tcp_submit(pr_session *s, pr_conn *c)
{
  c->sess = s;
  c->pend.start = start;
  c->fd = -1;
  c->finished = false;
  c->icmp = false;
  c->spurious = 0;
  c->src[0] = c->icmp_from[0] = 0;
  s->outstanding++;
  pr_sched_submit(s, &c->pend);
}

void pr_tcp_cancel_all(pr_session *s)
{
  while(s->act_conns) {
    pr_conn *c = s->act_conns;
    act_del(s, c);
    pr_timer_disarm(&s->loop, &c->timer);
    if(c->fd >= 0) {
      pr_loop_unwatch(&s->loop, c->fd);
      close(c->fd);
      c->fd = -1;
    }
    s->outstanding--;
    s->in_flight--;
  }
}
