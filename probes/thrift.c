/* probes/thrift.c: does the port speak HiveServer2's binary transport.
 *
 * HiveServer2 in binary mode (hive.server2.transport.mode=binary, with
 * authentication NONE, LDAP or KERBEROS) wraps Thrift in Thrift's SASL
 * transport: every negotiation frame is one status byte (START 1, OK 2,
 * BAD 3, ERROR 4, COMPLETE 5), a 4-byte big-endian length and the
 * payload, and the client speaks first, with START and a mechanism name.
 * We send START with a mechanism no server offers: the server answers a
 * BAD frame ("Unsupported mechanism type ...") and closes, which proves
 * the service without credentials and without waiting. A peer that
 * accepts and says nothing costs the identification budget once, as the
 * TLS and HTTP probes beside it do.
 *
 * Everything read is untrusted: a frame longer than PR_SASL_MAX, or any
 * first byte that is not a status, is "answered something else". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/timeutil.h"
#include "pr_internal.h"

/* No server offers it, so the answer is the same whatever the server's
 * authentication: BAD, "Unsupported mechanism type <this>". */
#define PROBE_MECH "XACCT-DOCTOR-PROBE"

int pr_sasl_parse(const unsigned char *b, size_t n, pr_sasl_frame *f)
{
  uint32_t len;
  if(n == 0)
    return 0;
  if(b[0] < PR_SASL_START || b[0] > PR_SASL_COMPLETE)
    return -1;
  if(n < 5)
    return 0;
  len = (uint32_t)b[1] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 8 |
        (uint32_t)b[4];
  /* an answer to our START is a short message; anything longer is not
   * the negotiation we started, and we will not buffer it */
  if(len > PR_SASL_MAX)
    return -1;
  if(n - 5 < len)
    return 0;
  f->status = b[0];
  f->payload = b + 5;
  f->len = len;
  return 1;
}

const char *pr_sasl_status_name(int status)
{
  static const char *const names[] = {"START", "OK", "BAD", "ERROR",
                                      "COMPLETE"};
  if(status < PR_SASL_START || status > PR_SASL_COMPLETE)
    return "?";
  return names[status - PR_SASL_START];
}

static void close_fd(pr_session *s, pr_sasl *k)
{
  pr_timer_disarm(&s->loop, &k->timer);
  if(k->fd >= 0) {
    pr_loop_unwatch(&s->loop, k->fd);
    close(k->fd);
    k->fd = -1;
  }
}

static void set_error(pr_sasl *k, const char *msg)
{
  free(k->error);
  k->error = strdup(msg);
}

static void finish(pr_session *s, pr_sasl *k, const char *outcome,
                   const char *err)
{
  k->ms = xd_now_ms() - k->t0;
  k->outcome = outcome;
  if(err)
    set_error(k, err);
  close_fd(s, k);
  k->finished = true;
  if(k->done)
    k->done(s, k);
  s->outstanding--;
  pr_sched_release(s);
}

/* The first bytes of an answer that is not Thrift SASL, in hex, so the
 * report can show what did answer (an SSH banner, a TLS alert ...). */
static void keep_first_bytes(pr_sasl *k)
{
  static const char hex[] = "0123456789abcdef";
  size_t n = k->n < PR_SASL_FIRST ? k->n : PR_SASL_FIRST;
  for(size_t i = 0; i < n; i++) {
    k->first_bytes[2 * i] = hex[k->buf[i] >> 4];
    k->first_bytes[2 * i + 1] = hex[k->buf[i] & 15];
  }
  k->first_bytes[2 * n] = 0;
}

static void answered(pr_session *s, pr_sasl *k, const pr_sasl_frame *f)
{
  k->status = f->status;
  k->message = malloc(f->len + 1);
  if(k->message) {
    memcpy(k->message, f->payload, f->len);
    k->message[f->len] = 0;
    /* a NUL would cut the text short in JSON: show it as a space */
    for(size_t i = 0; i < f->len; i++)
      if(!k->message[i])
        k->message[i] = ' ';
  }
  finish(s, k, "answered", NULL);
}

static void something_else(pr_session *s, pr_sasl *k, const char *why)
{
  keep_first_bytes(k);
  finish(s, k, "other", why);
}

static void on_read(pr_session *s, pr_sasl *k)
{
  for(;;) {
    pr_sasl_frame f;
    ssize_t r;
    int p;
    if(k->n == sizeof(k->buf)) {
      /* cannot happen: the parser refuses a frame the buffer cannot hold */
      something_else(s, k, "more bytes than a negotiation frame holds");
      return;
    }
    r = recv(k->fd, k->buf + k->n, sizeof(k->buf) - k->n, 0);
    if(r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return;
    if(r < 0 && errno == EINTR)
      continue;
    if(r <= 0) {
      char msg[160];
      if(k->n) {
        something_else(s, k, "the peer closed the connection in the middle "
                       "of a frame");
        return;
      }
      snprintf(msg, sizeof(msg), "the peer closed the connection without "
               "answering%s%s", r < 0 ? ": " : "", r < 0 ? strerror(errno)
                                                         : "");
      finish(s, k, "closed", msg);
      return;
    }
    k->n += (size_t)r;
    k->got = k->n;
    p = pr_sasl_parse(k->buf, k->n, &f);
    if(p > 0) {
      answered(s, k, &f);
      return;
    }
    if(p < 0) {
      something_else(s, k, "the answer is not a Thrift SASL frame");
      return;
    }
  }
}

/* START, length, mechanism: what a client's first frame is */
static const unsigned char start_frame[] = "\x01\x00\x00\x00\x12" PROBE_MECH;
#define START_LEN (sizeof(start_frame) - 1)
_Static_assert(sizeof(PROBE_MECH) - 1 == 0x12, "the frame's length byte");

/* Send what is left of our START frame; false when the peer is gone. */
static bool send_start(pr_session *s, pr_sasl *k)
{
  while(k->sent < START_LEN) {
    ssize_t r = send(k->fd, start_frame + k->sent, START_LEN - k->sent,
                     MSG_NOSIGNAL);
    if(r < 0 && errno == EINTR)
      continue;
    if(r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return true;   /* EPOLLOUT again */
    if(r < 0) {
      char buf[160];
      snprintf(buf, sizeof(buf), "the peer closed the connection before "
               "our first frame was sent: %s", strerror(errno));
      finish(s, k, "closed", buf);
      return false;
    }
    k->sent += (size_t)r;
  }
  return true;
}

static void on_io(void *ud, int fd, uint32_t ev)
{
  pr_sasl *k = ud;
  pr_session *s = k->sess;
  (void)ev;
  if(!k->connected) {
    char msg[160];
    if(!pr_tcp_connected(fd, msg, sizeof(msg))) {
      finish(s, k, "no-connect", msg);
      return;
    }
    k->connected = true;
  }
  if(k->sent < START_LEN) {
    if(!send_start(s, k))
      return;
    /* all sent: wait for the answer; else for room to send the rest */
    if(pr_loop_watch(&s->loop, k->fd, k->sent < START_LEN ? EPOLLOUT
                                                          : EPOLLIN,
                     on_io, k) != XD_OK)
      goto epoll_fail;
    return;
  }
  on_read(s, k);
  return;
epoll_fail:
  pr_session_fail(s, XD_E_NET, "epoll_ctl failed for a Thrift SASL probe");
  finish(s, k, "error", "epoll_ctl failed");
}

static void on_timeout(void *ud)
{
  pr_sasl *k = ud;
  char msg[160];
  if(!k->connected) {
    snprintf(msg, sizeof(msg), "no connection within %.0f ms",
             xd_now_ms() - k->t0);
    finish(k->sess, k, "no-connect", msg);
    return;
  }
  if(k->n) {
    something_else(k->sess, k, "an incomplete frame, then nothing");
    return;
  }
  snprintf(msg, sizeof(msg), "the peer accepted but did not answer a Thrift "
           "SASL START within %.0f ms", xd_now_ms() - k->t0);
  finish(k->sess, k, "timeout", msg);
}

static void start(pr_session *s, pr_pending *p)
{
  pr_sasl *k = (pr_sasl *)(void *)p;
  char msg[160];
  int rc;

  k->t0 = xd_now_ms();
  k->started = true;
  k->timer.fn = on_timeout;
  k->timer.ud = k;
  rc = pr_tcp_open(s, &k->ip, k->port, &k->fd, on_io, k, &k->timer,
                   pr_session_until(s, k->t0, k->timeout_ms, k->until_ms),
                   msg, sizeof(msg));
  if(rc)
    finish(s, k, rc == 1 ? "error" : "no-connect", msg);
}

void pr_sasl_submit(pr_session *s, pr_sasl *k)
{
  k->sess = s;
  k->pend.start = start;
  k->pend.front = true;
  k->fd = -1;
  s->outstanding++;
  pr_sched_submit(s, &k->pend);
}

void pr_sasl_cancel(pr_session *s, pr_sasl *k, const char *why)
{
  if(k->finished)
    return;
  if(!k->started) {
    /* still queued: it never took a slot */
    if(!pr_sched_unqueue(s, &k->pend))
      return;
    k->finished = true;
    k->outcome = "cancelled";
    set_error(k, why);
    s->outstanding--;
    return;
  }
  k->done = NULL;
  finish(s, k, "cancelled", why);
}

void pr_sasl_cancel_all(pr_session *s)
{
  /* the queued ones are the scheduler's to drop; these hold a slot */
  for(size_t i = 0; i < s->n_jobs; i++) {
    pr_sasl *k = s->jobs[i]->sasl;
    if(!k || !k->started || k->finished)
      continue;
    close_fd(s, k);
    k->started = false;
    s->outstanding--;
    s->in_flight--;
  }
}

void pr_sasl_clear(pr_sasl *k)
{
  free(k->message);
  free(k->error);
  k->message = k->error = NULL;
}
