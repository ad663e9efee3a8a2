/* probes/tls.c: does the port speak TLS, and with what certificate.
 *
 * A fresh non-blocking connection, then a non-blocking handshake driven
 * by the loop, so a peer that accepts and never answers costs one timer,
 * not a thread. The handshake never fails on the certificate (verify
 * mode none): the chain is still verified against the plan's CA bundle
 * (else the system store)
 * and the result reported, and the host name is checked separately, so
 * one probe reports all three. Old protocol versions and ciphers are
 * allowed (security level 0) so the report can name them instead of
 * failing to connect. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "../common/timeutil.h"
#include "pr_internal.h"

static void act_add(pr_session *s, pr_tls *t)
{
  t->act_prev = NULL;
  t->act_next = s->act_tls;
  if(s->act_tls)
    s->act_tls->act_prev = t;
  s->act_tls = t;
}

static void act_del(pr_session *s, pr_tls *t)
{
  if(t->act_prev)
    t->act_prev->act_next = t->act_next;
  else if(s->act_tls == t)
    s->act_tls = t->act_next;
  if(t->act_next)
    t->act_next->act_prev = t->act_prev;
  t->act_prev = t->act_next = NULL;
}

/* Any handshake or alert message from the peer means it speaks TLS, even
 * when the handshake then fails. */
static void msg_cb(int write_p, int version, int content_type,
                   const void *buf, size_t len, SSL *ssl, void *arg)
{
  pr_tls *t = arg;
  (void)version;
  (void)buf;
  (void)len;
  (void)ssl;
  if(!write_p && (content_type == SSL3_RT_HANDSHAKE ||
                  content_type == SSL3_RT_ALERT))
    t->saw_record = true;
}

xd_rc pr_tls_init(pr_session *s, xd_err *e)
{
  SSL_CTX *ctx;
  if(s->ssl_ctx)
    return XD_OK;
  ctx = SSL_CTX_new(TLS_client_method());
  if(!ctx)
    return xd_fail(e, XD_E_NOMEM, "OpenSSL: cannot create a context");
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
  if(s->plan->ca_file) {
    if(SSL_CTX_load_verify_locations(ctx, s->plan->ca_file, NULL) != 1) {
      ERR_clear_error();
      SSL_CTX_free(ctx);
      return xd_fail(e, XD_E_IO, "%s: no CA certificate could be read from "
                     "it", s->plan->ca_file);
    }
  }
  else if(SSL_CTX_set_default_verify_paths(ctx) != 1)
    ERR_clear_error();
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_min_proto_version(ctx, 0);
  if(SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0") != 1)
    ERR_clear_error();
  SSL_CTX_set_msg_callback(ctx, msg_cb);
  s->ssl_ctx = ctx;
  return XD_OK;
}

void pr_tls_free_ctx(pr_session *s)
{
  SSL_CTX_free(s->ssl_ctx);
  s->ssl_ctx = NULL;
}

static char *name_text(const X509_NAME *n)
{
  BIO *b = BIO_new(BIO_s_mem());
  char *p = NULL, *out = NULL;
  long len;
  if(!b)
    return NULL;
  if(X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0) {
    len = BIO_get_mem_data(b, &p);
    if(len >= 0 && (out = malloc((size_t)len + 1))) {
      memcpy(out, p, (size_t)len);
      out[len] = 0;
    }
  }
  BIO_free(b);
  return out;
}

static void add_san(pr_tls *t, const char *v)
{
  char **g = realloc(t->sans, (t->n_sans + 1) * sizeof(*g));
  if(!g)
    return;
  t->sans = g;
  if((g[t->n_sans] = strdup(v)))
    t->n_sans++;
}

static void read_sans(pr_tls *t, X509 *cert)
{
  GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
  int n = gens ? sk_GENERAL_NAME_num(gens) : 0;
  for(int i = 0; i < n && i < 256; i++) {
    const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
    if(g->type == GEN_DNS) {
      const unsigned char *d = ASN1_STRING_get0_data(g->d.dNSName);
      int len = ASN1_STRING_length(g->d.dNSName);
      char buf[256];
      if(len > 0 && len < (int)sizeof(buf)) {
        memcpy(buf, d, (size_t)len);
        buf[len] = 0;
        /* a NUL inside a DNS name is an attack, not a name */
        if(strlen(buf) == (size_t)len)
          add_san(t, buf);
      }
    }
    else if(g->type == GEN_IPADD) {
      int len = ASN1_STRING_length(g->d.iPAddress);
      xd_ip ip = {0, {0}};
      char buf[PR_IPSTR];
      if(len == 4 || len == 16) {
        ip.family = len == 4 ? 4 : 6;
        memcpy(ip.b, ASN1_STRING_get0_data(g->d.iPAddress), (size_t)len);
        pr_ip_str(&ip, buf, sizeof(buf));
        add_san(t, buf);
      }
    }
  }
  GENERAL_NAMES_free(gens);
}

static void asn1_iso(const ASN1_TIME *at, char *out, size_t n)
{
  struct tm tm;
  memset(&tm, 0, sizeof(tm));
  out[0] = 0;
  if(at && ASN1_TIME_to_tm(at, &tm) == 1)
    xd_iso8601(timegm(&tm), out, n);
}

static void collect(pr_tls *t, SSL *ssl)
{
  X509 *cert;
  const char *c = SSL_get_cipher_name(ssl);
  t->version = SSL_get_version(ssl);
  snprintf(t->cipher, sizeof(t->cipher), "%s", c ? c : "");
  t->verify_code = SSL_get_verify_result(ssl);
  t->verify = t->verify_code == X509_V_OK
                  ? "ok" : X509_verify_cert_error_string(t->verify_code);
  cert = SSL_get1_peer_certificate(ssl);
  if(!cert) {
    t->verify = "no certificate";
    return;
  }
  t->have_cert = true;
  t->subject = name_text(X509_get_subject_name(cert));
  t->issuer = name_text(X509_get_issuer_name(cert));
  read_sans(t, cert);
  asn1_iso(X509_get0_notBefore(cert), t->not_before, sizeof(t->not_before));
  asn1_iso(X509_get0_notAfter(cert), t->not_after, sizeof(t->not_after));
  {
    int days = 0, secs = 0;
    if(ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(cert)) == 1)
      t->days_left = days;
  }
  if(t->sni) {
    snprintf(t->hostname, sizeof(t->hostname), "%s", t->sni);
    t->hostname_match = X509_check_host(cert, t->sni, 0, 0, NULL) == 1;
  }
  else {
    pr_ip_str(&t->ip, t->hostname, sizeof(t->hostname));
    t->hostname_match = X509_check_ip_asc(cert, t->hostname, 0) == 1;
  }
  X509_free(cert);
  ERR_clear_error();
}

static void set_error(pr_tls *t, const char *msg)
{
  free(t->error);
  t->error = strdup(msg);
}

/* The connection, its OpenSSL state, its timer and its place among the
 * handshakes in flight, all let go. */
static void close_all(pr_session *s, pr_tls *t)
{
  if(t->ssl) {
    SSL_free(t->ssl);
    t->ssl = NULL;
  }
  if(t->fd >= 0) {
    pr_loop_unwatch(&s->loop, t->fd);
    close(t->fd);
    t->fd = -1;
  }
  pr_timer_disarm(&s->loop, &t->timer);
  act_del(s, t);
}

static void finish(pr_session *s, pr_tls *t, const char *handshake,
                   const char *err)
{
  t->ms = xd_now_ms() - t->t0;
  t->handshake = handshake;
  if(err)
    set_error(t, err);
  close_all(s, t);
  t->finished = true;
  if(t->done)
    t->done(s, t);
  s->outstanding--;
  pr_sched_release(s);
}

static void on_io(void *ud, int fd, uint32_t ev);

static void step(pr_session *s, pr_tls *t)
{
  int r, err;
  unsigned long code;
  char buf[256];
  ERR_clear_error();
  r = SSL_do_handshake(t->ssl);
  if(r == 1) {
    t->speaks_tls = true;
    collect(t, t->ssl);
    finish(s, t, "ok", NULL);
    return;
  }
  err = SSL_get_error(t->ssl, r);
  if(err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
    if(pr_loop_watch(&s->loop, t->fd,
                     err == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT, on_io,
                     t) != XD_OK) {
      pr_session_fail(s, XD_E_NET, "epoll_ctl failed for a TLS handshake");
      finish(s, t, "error", "epoll_ctl failed");
    }
    return;
  }
  code = ERR_peek_error();
  t->speaks_tls = t->saw_record;
  if(err == SSL_ERROR_SYSCALL || err == SSL_ERROR_ZERO_RETURN ||
     (code && ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
    int en = errno;
    snprintf(buf, sizeof(buf), "the peer closed the connection during the "
             "handshake%s%s", en && err == SSL_ERROR_SYSCALL ? ": " : "",
             en && err == SSL_ERROR_SYSCALL ? strerror(en) : "");
    ERR_clear_error();
    finish(s, t, "closed", buf);
    return;
  }
  if(code && ERR_reason_error_string(code))
    snprintf(buf, sizeof(buf), "%s", ERR_reason_error_string(code));
  else if(code)
    ERR_error_string_n(code, buf, sizeof(buf));
  else
    snprintf(buf, sizeof(buf), "handshake failed (SSL error %d)", err);
  ERR_clear_error();
  finish(s, t, t->saw_record ? "alert" : "not-tls", buf);
}

static void on_io(void *ud, int fd, uint32_t ev)
{
  pr_tls *t = ud;
  pr_session *s = t->sess;
  (void)ev;
  if(!t->connected) {
    char msg[160];
    if(!pr_tcp_connected(fd, msg, sizeof(msg))) {
      finish(s, t, "no-connect", msg);
      return;
    }
    t->connected = true;
    t->ssl = SSL_new(s->ssl_ctx);
    if(!t->ssl || SSL_set_fd(t->ssl, t->fd) != 1) {
      ERR_clear_error();
      finish(s, t, "error", "OpenSSL: cannot create a connection");
      return;
    }
    SSL_set_msg_callback_arg(t->ssl, t);
    if(t->sni)
      SSL_set_tlsext_host_name(t->ssl, t->sni);
    SSL_set_connect_state(t->ssl);
  }
  step(s, t);
}

static void on_timeout(void *ud)
{
  pr_tls *t = ud;
  char msg[160];
  t->speaks_tls = t->saw_record;
  if(!t->connected)
    snprintf(msg, sizeof(msg), "no connection within %.0f ms",
             xd_now_ms() - t->t0);
  else
    snprintf(msg, sizeof(msg), "the peer accepted but did not complete a "
             "TLS handshake within %.0f ms", xd_now_ms() - t->t0);
  finish(t->sess, t, t->connected ? "timeout" : "no-connect", msg);
}

static void start(pr_session *s, pr_pending *p)
{
  pr_tls *t = (pr_tls *)(void *)p;
  char msg[160];
  int rc;

  t->t0 = xd_now_ms();
  act_add(s, t);
  t->timer.fn = on_timeout;
  t->timer.ud = t;
  rc = pr_tcp_open(s, &t->ip, t->port, &t->fd, on_io, t, &t->timer,
                   pr_session_until(s, t->t0, t->timeout_ms, t->until_ms),
                   msg, sizeof(msg));
  if(rc)
    finish(s, t, rc == 1 ? "error" : "no-connect", msg);
}

void pr_tls_submit(pr_session *s, pr_tls *t)
{
  t->sess = s;
  t->pend.start = start;
  t->pend.front = true;
  t->fd = -1;
  t->hostname_match = -1;
  t->verify_code = -1;
  s->outstanding++;
  pr_sched_submit(s, &t->pend);
}

/* Close an in-flight handshake without a result; its slot stays taken
 * (the caller gives it back or ends the session). */
static void drop(pr_session *s, pr_tls *t)
{
  close_all(s, t);
  t->t0 = 0;
  s->outstanding--;
}

void pr_tls_cancel_all(pr_session *s)
{
  while(s->act_tls) {
    drop(s, s->act_tls);
    s->in_flight--;
  }
}

void pr_tls_cancel(pr_session *s, pr_tls *t)
{
  if(t->finished)
    return;
  if(pr_sched_unqueue(s, &t->pend)) {
    /* never started: it holds no slot */
    s->outstanding--;
    return;
  }
  if(!t->t0)
    return;
  drop(s, t);
  pr_sched_release(s);
}

void pr_tls_clear(pr_tls *t)
{
  free(t->error);
  free(t->subject);
  free(t->issuer);
  for(size_t i = 0; i < t->n_sans; i++)
    free(t->sans[i]);
  free(t->sans);
  t->error = t->subject = t->issuer = NULL;
  t->sans = NULL;
  t->n_sans = 0;
}
