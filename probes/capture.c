/* The capture handle: libpcap opened live (immediate mode, small snaplen,
 * a BPF filter for the probe flows) or on a file, feeding the handshake
 * tracker. Everything that needs privilege happens in pr_capture_open()
 * or pr_capture_open_early(); the caller then drops it (privdrop.c) before
 * reading a single packet, a file or a network answer, and only then aims
 * the filter (pr_capture_aim) and opens --pcap-out (pr_capture_write_to). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "../common/jsonutil.h"
#include "../common/log.h"
#include "../common/timeutil.h"
#include "capture.h"
#include "tracker.h"

/* Enough for Linux cooked v2 + IPv6 + ICMPv6 + the quoted IPv6 and TCP
 * headers (20 + 40 + 8 + 40 + 20 bytes): handshakes need no payload. */
#define CAPTURE_SNAPLEN 256
#define CAPTURE_BUFFER (4 * 1024 * 1024)
/* How long a wait for packets lasts before the stop flag is looked at. */
#define CAPTURE_POLL_MS 100
#define OFFLINE_BATCH 65536
#define FILE_BUFFER (1024 * 1024)   /* stdio buffer of a capture file */

struct pr_capture {
  pcap_t *p;
  pcap_dumper_t *dump;
  pr_tracker *t;
  int linktype;
  bool offline;
  char *file_buf;                /* fp's stdio buffer, freed after it */
  char iface[128];
  char *file;
  char *pcap_out;
  char *filter;
  uint64_t packets;          /* frames libpcap handed over */
  struct pcap_stat ps;
  bool have_ps;
  bool truncated;            /* the file ended in the middle of a record */
  char read_error[PCAP_ERRBUF_SIZE];
  bool write_error;
  pthread_t th;
  bool running;
  atomic_int stop;
  int wake[2];               /* a byte here ends the thread's poll at once */
  xd_rc th_rc;
  xd_err th_err;
};

static void on_packet(u_char *user, const struct pcap_pkthdr *h,
                      const u_char *bytes)
{
  pr_capture *c = (pr_capture *)(void *)user;
  c->packets++;
  if(c->t && pr_tracker_feed(c->t, bytes, h->caplen, c->linktype, h->ts) &&
     c->dump)
    pcap_dump((u_char *)c->dump, h, bytes);
}

static xd_rc open_file(pr_capture *c, const char *path, xd_err *e)
{
  char eb[PCAP_ERRBUF_SIZE] = "";
  struct stat st;
  FILE *fp;
  if(stat(path, &st) != 0)
    return xd_fail(e, XD_E_IO, "%s: %s", path, strerror(errno));
  if(!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
    return xd_fail(e, XD_E_IO, "%s: not a regular file", path);
  /* our own FILE with a large buffer: libpcap reads a record at a time
   * through stdio, and a 4 KiB buffer made a read(2) per few packets */
  fp = fopen(path, "rb");
  if(!fp)
    return xd_fail(e, XD_E_IO, "%s: %s", path, strerror(errno));
  /* glibc takes the size only with a buffer of ours */
  c->file_buf = malloc(FILE_BUFFER);
  if(c->file_buf)
    setvbuf(fp, c->file_buf, _IOFBF, FILE_BUFFER);
  c->p = pcap_fopen_offline_with_tstamp_precision(fp,
                                                  PCAP_TSTAMP_PRECISION_MICRO,
                                                  eb);
  if(!c->p) {
    fclose(fp);
    return xd_fail(e, XD_E_PARSE, "%s: not a readable pcap or pcapng file: %s",
                   path, eb);
  }
  c->offline = true;
  c->linktype = pcap_datalink(c->p);
  if(!pr_tracker_linktype_ok(c->linktype)) {
    const char *name = pcap_datalink_val_to_name(c->linktype);
    return xd_fail(e, XD_E_PARSE, "%s: link type %d (%s) is not one this "
                   "tool decodes (Ethernet, Linux cooked, raw IP, loopback)",
                   path, c->linktype, name ? name : "unknown");
  }
  return XD_OK;
}

static xd_rc activate_error(pr_capture *c, int rc, xd_err *e)
{
  const char *msg = pcap_geterr(c->p);
  switch(rc) {
  case PCAP_ERROR_PERM_DENIED:
    return xd_fail(e, XD_E_PERM, "capture on %s is not permitted (needs root "
                   "or CAP_NET_RAW): %s", c->iface, msg);
  case PCAP_ERROR_NO_SUCH_DEVICE:
    return xd_fail(e, XD_E_NOTFOUND, "capture: no interface '%s': %s", c->iface,
                   msg);
  case PCAP_ERROR_IFACE_NOT_UP:
    return xd_fail(e, XD_E_NET, "capture: interface %s is down", c->iface);
  default:
    /* some platforms report a refused socket() as a plain error */
    if(strstr(msg, "not permitted") || strstr(msg, "ermission denied"))
      return xd_fail(e, XD_E_PERM, "capture on %s is not permitted (needs "
                     "root or CAP_NET_RAW): %s", c->iface, msg);
    return xd_fail(e, XD_E_NET, "capture on %s: %s", c->iface, msg);
  }
}

/* The interface every peer is routed through; "any" when they part ways,
 * when one has no route, or when there is no peer. */
static void pick_interface(const pr_capture_config *cfg, char *out, size_t n)
{
  snprintf(out, n, "any");
  for(size_t i = 0; i < cfg->n_peers; i++) {
    char ifn[128];
    xd_err re = {0};
    if(pr_route_interface(&cfg->peers[i].addr, ifn, sizeof(ifn), &re) !=
       XD_OK) {
      xd_log_debug("capture: %s; capturing on any", re.msg);
      snprintf(out, n, "any");
      return;
    }
    if(i && strcmp(out, ifn)) {
      xd_log_debug("capture: the peers are behind %s and %s; capturing on "
                   "any", out, ifn);
      snprintf(out, n, "any");
      return;
    }
    snprintf(out, n, "%s", ifn);
  }
}

/* Compile c->filter and put it on the handle (no privilege needed: the
 * socket is ours already). */
static xd_rc apply_filter(pr_capture *c, xd_err *e)
{
  struct bpf_program prog;
  int rc;
  if(pcap_compile(c->p, &prog, c->filter, 1, PCAP_NETMASK_UNKNOWN) != 0)
    return xd_fail(e, XD_E_INTERNAL, "capture filter '%s': %s", c->filter,
                   pcap_geterr(c->p));
  rc = pcap_setfilter(c->p, &prog);
  pcap_freecode(&prog);
  if(rc != 0)
    return xd_fail(e, XD_E_NET, "capture on %s: setting the filter: %s",
                   c->iface, pcap_geterr(c->p));
  return XD_OK;
}

/* The handle on cfg->interface, else the one the peers are routed through
 * (check and probe open it before the peers are known: "any"). */
static xd_rc open_live(pr_capture *c, const pr_capture_config *cfg, xd_err *e)
{
  char eb[PCAP_ERRBUF_SIZE] = "";
  int rc;

  if(cfg->interface)
    snprintf(c->iface, sizeof(c->iface), "%s", cfg->interface);
  else
    pick_interface(cfg, c->iface, sizeof(c->iface));

  c->p = pcap_create(c->iface, eb);
  if(!c->p)
    return xd_fail(e, XD_E_NET, "capture on %s: %s", c->iface, eb);
  if(pcap_set_snaplen(c->p, CAPTURE_SNAPLEN) != 0 ||
     pcap_set_promisc(c->p, 0) != 0 ||
     pcap_set_immediate_mode(c->p, 1) != 0 ||
     pcap_set_timeout(c->p, CAPTURE_POLL_MS) != 0 ||
     pcap_set_buffer_size(c->p, CAPTURE_BUFFER) != 0)
    return xd_fail(e, XD_E_INTERNAL, "capture on %s: setting options failed",
                   c->iface);
  rc = pcap_activate(c->p);
  if(rc < 0)
    return activate_error(c, rc, e);
  if(rc > 0)
    xd_log_warn("capture on %s: %s", c->iface, pcap_geterr(c->p));
  c->linktype = pcap_datalink(c->p);
  if(!pr_tracker_linktype_ok(c->linktype)) {
    const char *name = pcap_datalink_val_to_name(c->linktype);
    return xd_fail(e, XD_E_INVALID, "capture on %s: link type %s is not "
                   "supported", c->iface, name ? name : "unknown");
  }
  if((rc = apply_filter(c, e)) != XD_OK)
    return rc;
  /* the wait happens in our poll(), so a stop request is seen promptly */
  if(pcap_setnonblock(c->p, 1, eb) != 0)
    return xd_fail(e, XD_E_NET, "capture on %s: %s", c->iface, eb);
  return XD_OK;
}

xd_rc pr_capture_write_to(pr_capture *c, const char *path, xd_err *e)
{
  /* Opened with the rights of whoever runs now, which is after the drop:
   * root never creates, truncates or hands over a file here (a symlink
   * planted at the path would otherwise aim it at /etc/shadow). Should
   * the process still be root (the drop is verified, but belt and braces)
   * only a new file is made. */
  int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
              (geteuid() == 0 ? O_EXCL : O_TRUNC);
  struct stat st;
  FILE *f = NULL;
  int fd = open(path, flags, 0644);
  xd_rc rc = XD_OK;
  if(fd < 0) {
    rc = xd_fail(e, XD_E_IO, "--pcap-out %s: %s (it is opened as uid %lu, "
                 "after root is given up, and never through a symlink)",
                 path, strerror(errno), (unsigned long)geteuid());
    goto done;
  }
  if(fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    rc = xd_fail(e, XD_E_IO, "--pcap-out %s: not a regular file", path);
    goto done;
  }
  f = fdopen(fd, "wb");
  if(!f) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  fd = -1;
  c->dump = pcap_dump_fopen(c->p, f);
  if(!c->dump) {
    rc = xd_fail(e, XD_E_IO, "--pcap-out %s: %s", path, pcap_geterr(c->p));
    goto done;
  }
  f = NULL;
  free(c->pcap_out);
  c->pcap_out = strdup(path);
  if(!c->pcap_out)
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
done:
  if(f)
    fclose(f);
  if(fd >= 0)
    close(fd);
  return rc;
}

/* A new tracker and filter text for cfg's ports, peers and side, in
 * place of c's (which stay when this fails). */
static xd_rc set_target(pr_capture *c, const pr_capture_config *cfg,
                        xd_err *e)
{
  pr_tracker_config tc;
  pr_tracker *t;
  char *filter;
  memset(&tc, 0, sizeof(tc));
  tc.max_flows = cfg->max_flows;
  tc.ports = cfg->ports;
  tc.n_ports = cfg->n_ports;
  tc.peers = cfg->peers;
  tc.n_peers = cfg->n_peers;
  tc.side = cfg->side;
  t = pr_tracker_new(&tc);
  filter = pr_capture_filter_text(cfg);
  if(!t || !filter) {
    pr_tracker_free(t);
    free(filter);
    return xd_fail(e, XD_E_NOMEM, "out of memory (or a port outside "
                   "1-65535)");
  }
  pr_tracker_free(c->t);
  free(c->filter);
  c->t = t;
  c->filter = filter;
  return XD_OK;
}

xd_rc pr_capture_open(const pr_capture_config *cfg, pr_capture **out,
                      xd_err *e)
{
  pr_capture *c = calloc(1, sizeof(*c));
  xd_rc rc;

  *out = NULL;
  if(!c)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  atomic_init(&c->stop, 0);
  if((rc = set_target(c, cfg, e)) != XD_OK)
    goto done;
  if(cfg->read_file) {
    c->file = strdup(cfg->read_file);
    if(!c->file) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      goto done;
    }
    rc = open_file(c, cfg->read_file, e);
  }
  else
    rc = open_live(c, cfg, e);
  if(rc != XD_OK)
    goto done;
  *out = c;
  c = NULL;
done:
  pr_capture_close(c);
  return rc;
}

/* Keeps nothing: the handle is open before the ports and peers are known. */
#define FILTER_NOTHING "less 1"

xd_rc pr_capture_open_early(const char *interface, pr_capture **out,
                            xd_err *e)
{
  pr_capture *c = calloc(1, sizeof(*c));
  pr_capture_config cfg;
  xd_rc rc;
  *out = NULL;
  if(!c)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  atomic_init(&c->stop, 0);
  memset(&cfg, 0, sizeof(cfg));
  cfg.interface = interface;
  c->filter = strdup(FILTER_NOTHING);
  if(!c->filter) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  rc = open_live(c, &cfg, e);
  if(rc != XD_OK)
    goto done;
  *out = c;
  c = NULL;
done:
  pr_capture_close(c);
  return rc;
}

xd_rc pr_capture_aim(pr_capture *c, const pr_capture_config *cfg, xd_err *e)
{
  xd_rc rc = set_target(c, cfg, e);
  return rc != XD_OK ? rc : apply_filter(c, e);
}

/* Wait up to ms for packets (or for c->wake, when stopping) and hand
 * over those that came. */
static xd_rc live_step(pr_capture *c, int ms, xd_err *e)
{
  struct pollfd pfd[2];
  int n;
  pfd[0].fd = pcap_get_selectable_fd(c->p);
  pfd[0].events = POLLIN;
  pfd[0].revents = 0;
  pfd[1].fd = c->running ? c->wake[0] : -1;
  pfd[1].events = POLLIN;
  pfd[1].revents = 0;
  if(pfd[0].fd >= 0) {
    if(poll(pfd, 2, ms) < 0 && errno != EINTR)
      return xd_fail(e, XD_E_NET, "capture on %s: poll: %s", c->iface,
                     strerror(errno));
  }
  else {
    struct timespec ts = {0, (long)ms * 1000000L};
    nanosleep(&ts, NULL);
  }
  n = pcap_dispatch(c->p, -1, on_packet, (u_char *)(void *)c);
  if(n == PCAP_ERROR)
    return xd_fail(e, XD_E_NET, "capture on %s: %s", c->iface,
                   pcap_geterr(c->p));
  return XD_OK;
}

/* Counters and the pcap file brought up to date. */
static void finish(pr_capture *c)
{
  if(!c->offline && pcap_stats(c->p, &c->ps) == 0)
    c->have_ps = true;
  if(c->dump && pcap_dump_flush(c->dump) != 0)
    c->write_error = true;
}

static void *thread_main(void *arg)
{
  pr_capture *c = arg;
  while(!atomic_load(&c->stop)) {
    c->th_rc = live_step(c, CAPTURE_POLL_MS, &c->th_err);
    if(c->th_rc != XD_OK)
      break;
  }
  return NULL;
}

xd_rc pr_capture_start(pr_capture *c, xd_err *e)
{
  int err;
  if(c->offline)
    return xd_fail(e, XD_E_INVALID, "capture: a file is read with "
                   "pr_capture_run, not in the background");
  if(c->running)
    return XD_OK;
  atomic_store(&c->stop, 0);
  c->th_rc = XD_OK;
  if(pipe2(c->wake, O_CLOEXEC | O_NONBLOCK) != 0)
    return xd_fail(e, XD_E_INTERNAL, "capture thread: pipe: %s",
                   strerror(errno));
  c->running = true;
  err = pthread_create(&c->th, NULL, thread_main, c);
  if(err) {
    c->running = false;
    close(c->wake[0]);
    close(c->wake[1]);
    return xd_fail(e, XD_E_INTERNAL, "capture thread: %s", strerror(err));
  }
  return XD_OK;
}

void pr_capture_stop(pr_capture *c, double grace_ms)
{
  if(!c || !c->running)
    return;
  if(grace_ms > 0) {
    struct timespec ts;
    ts.tv_sec = (time_t)(grace_ms / 1000);
    ts.tv_nsec = (long)((grace_ms - (double)ts.tv_sec * 1000) * 1e6);
    while(nanosleep(&ts, &ts) != 0 && errno == EINTR)
      ;
  }
  atomic_store(&c->stop, 1);
  pcap_breakloop(c->p);
  /* the thread may sit in poll for CAPTURE_POLL_MS: wake it now */
  while(write(c->wake[1], "", 1) < 0 && errno == EINTR)
    ;
  pthread_join(c->th, NULL);
  c->running = false;
  close(c->wake[0]);
  close(c->wake[1]);
  if(c->th_rc != XD_OK)
    xd_log_warn("%s", c->th_err.msg);
  else {
    /* what reached the ring while the thread was told to stop: a packet
     * the kernel has handed to a socket is already in the ring */
    xd_err de = {0};
    if(live_step(c, 0, &de) != XD_OK)
      xd_log_warn("%s", de.msg);
  }
  finish(c);
}

static xd_rc run_file(pr_capture *c, volatile sig_atomic_t *stop)
{
  for(;;) {
    int n;
    if(stop && *stop)
      break;
    n = pcap_dispatch(c->p, OFFLINE_BATCH, on_packet, (u_char *)(void *)c);
    if(n == 0 || n == PCAP_ERROR_BREAK)
      break;
    if(n == PCAP_ERROR) {
      /* a capture cut off mid-record (tcpdump killed) still tells what
       * happened before: keep those flows and say so, as tshark does */
      c->truncated = true;
      snprintf(c->read_error, sizeof(c->read_error), "%s", pcap_geterr(c->p));
      xd_log_warn("%s: %s; using the %llu packets before it", c->file,
                  c->read_error, (unsigned long long)c->packets);
      break;
    }
  }
  return XD_OK;
}

xd_rc pr_capture_run(pr_capture *c, double duration_ms,
                     volatile sig_atomic_t *stop, xd_err *e)
{
  double end = xd_now_ms() + duration_ms;
  xd_rc rc = XD_OK;
  if(c->running)
    return xd_fail(e, XD_E_INVALID, "capture: already running in the "
                   "background");
  if(c->offline)
    rc = run_file(c, stop);
  else {
    for(;;) {
      double left = end - xd_now_ms();
      if((stop && *stop) || (duration_ms > 0 && left <= 0))
        break;
      if(duration_ms <= 0 || left > CAPTURE_POLL_MS)
        left = CAPTURE_POLL_MS;
      rc = live_step(c, (int)left + 1, e);
      if(rc != XD_OK)
        break;
    }
  }
  finish(c);
  if(rc == XD_OK && c->write_error)
    rc = xd_fail(e, XD_E_IO, "--pcap-out %s: write failed", c->pcap_out);
  return rc;
}

static bool add_capture_info(const pr_capture *c, cJSON *cap)
{
  pr_tracker_stats st = pr_tracker_get_stats(c->t);
  const char *lt = pcap_datalink_val_to_name(c->linktype);
  bool ok = xd_json_add_str(cap, "interface", c->offline ? NULL : c->iface) &&
            xd_json_add_str(cap, "filter", c->filter) &&
            xd_json_add_str(cap, "linktype", lt ? lt : "unknown") &&
            cJSON_AddNumberToObject(cap, "snaplen", pcap_snapshot(c->p)) &&
            cJSON_AddNumberToObject(cap, "packets", (double)c->packets) &&
            cJSON_AddNumberToObject(cap, "kept", (double)st.kept) &&
            cJSON_AddNumberToObject(cap, "undecoded", (double)st.undecoded) &&
            cJSON_AddNumberToObject(cap, "dropped",
                                    c->have_ps ? (double)c->ps.ps_drop +
                                                 (double)c->ps.ps_ifdrop : 0) &&
            cJSON_AddNumberToObject(cap, "flows_dropped",
                                    (double)st.flows_dropped) &&
            cJSON_AddNumberToObject(cap, "flows_tracked",
                                    (double)pr_tracker_flow_count(c->t)) &&
            cJSON_AddNumberToObject(cap, "max_flows",
                                    (double)pr_tracker_max_flows(c->t)) &&
            xd_json_add_str(cap, "pcap_out", c->pcap_out) &&
            cJSON_AddBoolToObject(cap, "privileges_dropped",
                                  pr_privileges_dropped());
  if(ok && c->have_ps)
    ok = cJSON_AddNumberToObject(cap, "received", (double)c->ps.ps_recv);
  if(ok && c->offline)
    ok = xd_json_add_str(cap, "file", c->file) &&
         cJSON_AddBoolToObject(cap, "truncated", c->truncated) &&
         (!c->truncated || xd_json_add_str(cap, "error", c->read_error));
  return ok;
}

xd_rc pr_capture_each_flow(const pr_capture *c, pr_flow_fn fn, void *ud,
                           xd_err *e)
{
  return pr_tracker_each_flow(c->t, fn, ud, e);
}

xd_rc pr_capture_each_flow_text(const pr_capture *c, xd_buf *b,
                                const char *first, const char *sep,
                                pr_flow_text_fn fn, void *ud, xd_err *e)
{
  return pr_tracker_each_flow_text(c->t, b, first, sep, fn, ud, e);
}

xd_rc pr_capture_flows(const pr_capture *c, cJSON *obs, xd_err *e)
{
  cJSON *flows = cJSON_GetObjectItemCaseSensitive(obs, "flows");
  xd_rc rc;
  if(!c->t)
    return xd_fail(e, XD_E_INTERNAL, "capture: never given its ports and "
                   "peers");
  if(!flows) {
    flows = cJSON_AddArrayToObject(obs, "flows");
    if(!flows)
      return xd_fail(e, XD_E_NOMEM, "out of memory");
  }
  rc = pr_tracker_flows(c->t, flows, e);
  if(rc != XD_OK)
    return rc;
  return pr_capture_info(c, obs, e);
}

xd_rc pr_capture_info(const pr_capture *c, cJSON *obs, xd_err *e)
{
  cJSON *cap;
  if(pr_tracker_get_stats(c->t).flows_dropped)
    xd_log_warn("capture: more than %zu flows; %llu packets of further flows "
                "were not counted (--max-flows)", pr_tracker_max_flows(c->t),
                (unsigned long long)pr_tracker_get_stats(c->t).flows_dropped);
  cap = cJSON_CreateObject();
  if(!cap || !add_capture_info(c, cap)) {
    cJSON_Delete(cap);
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  }
  cJSON_DeleteItemFromObjectCaseSensitive(obs, "capture");
  cJSON_AddItemToObject(obs, "capture", cap);
  return XD_OK;
}

void pr_capture_close(pr_capture *c)
{
  if(!c)
    return;
  pr_capture_stop(c, 0);
  if(c->dump)
    pcap_dump_close(c->dump);
  if(c->p)
    pcap_close(c->p);
  free(c->file_buf);
  pr_tracker_free(c->t);
  free(c->filter);
  free(c->file);
  free(c->pcap_out);
  free(c);
}
