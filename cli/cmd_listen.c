/* `listen`: the far side of the diagnosis. On the EMR primary node (or a
 * host of its subnet) record the handshakes that arrive from the Studio
 * side and what this host answers, and write them as observations. The
 * capture is opened first, privileges are dropped at once, and only then is
 * anything read from the network or from a file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/fileio.h"
#include "../common/jsonutil.h"
#include "../common/log.h"
#include "../common/observations.h"
#include "../common/portlist.h"
#include "../probes/capture.h"
#include "cli.h"
#include "run.h"

#define LISTEN_DEFAULT_PORTS "8998,10000,8889"
#define LISTEN_DEFAULT_SECONDS 60.0
/* How often the interrupt flag is looked at while listening. */
#define LISTEN_SLICE_MS 200.0

/* What a flow's counters say, in a few words. */
static const char *flow_meaning(const cJSON *f, char *buf, size_t n)
{
  long syn = 0, sa = 0, rst = 0;
  const char *icmp = xd_json_str(f, "icmp");
  xd_json_long(f, "syn", &syn);
  xd_json_long(f, "syn_ack", &sa);
  xd_json_long(f, "rst", &rst);
  if(sa > 0)
    snprintf(buf, n, "answered (SYN-ACK)");
  else if(rst > 0)
    snprintf(buf, n, "refused (RST): nothing listens");
  else if(icmp)
    snprintf(buf, n, "rejected (ICMP %s)", icmp);
  else if(syn > 0)
    snprintf(buf, n, "no answer seen%s", syn > 1 ? " (SYN retransmitted)" : "");
  else
    snprintf(buf, n, "-");
  return buf;
}

/* ---- the output step: flows streamed from the tracker's table ----------
 *
 * The flows are never gathered into one JSON tree: each is made, written
 * into a buffer that goes out every LISTEN_FLUSH bytes, and freed, so a
 * capture with 200,000 handshakes needs the table and one flow, not a tree
 * and a printed copy of all of them. --output still appears only whole
 * (a temporary file renamed into place). */
#define LISTEN_FLUSH ((size_t)64 * 1024)

typedef struct {
  xd_out_stream out;
  xd_buf b;
  size_t n;
} listen_writer;

static xd_rc lw_flush(listen_writer *w, bool force, xd_err *e)
{
  xd_rc rc;
  if(w->b.failed)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  if(!force && w->b.len < LISTEN_FLUSH)
    return XD_OK;
  rc = xd_out_write(&w->out, xd_buf_str(&w->b), w->b.len, e);
  xd_buf_reset(&w->b);
  return rc;
}

static xd_rc lw_json(listen_writer *w, const cJSON *v, xd_err *e)
{
  char *s = cJSON_PrintUnformatted(v);
  if(!s)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  xd_buf_puts(&w->b, s);
  cJSON_free(s);
  return XD_OK;
}

static void text_header(const cJSON *obs, xd_buf *b)
{
  const cJSON *cap = xd_json_object(obs, "capture");
  const char *iface = xd_json_str(cap, "interface");
  const char *file = xd_json_str(cap, "file");
  long packets = 0, kept = 0, dropped = 0, fdrop = 0, maxf = 0;
  bool priv = false, trunc = false;

  xd_json_long(cap, "packets", &packets);
  xd_json_long(cap, "kept", &kept);
  xd_json_long(cap, "dropped", &dropped);
  xd_json_long(cap, "flows_dropped", &fdrop);
  xd_json_long(cap, "max_flows", &maxf);
  xd_json_bool(cap, "privileges_dropped", &priv);
  xd_json_bool(cap, "truncated", &trunc);
  xd_buf_printf(b, "xacct-doctor listen on %s: %s %s, %ld packets %s "
                "(%ld counted toward handshakes)",
                xd_json_str(obs, "host") ? xd_json_str(obs, "host") : "?",
                file ? "file" : "interface", file ? file : iface ? iface : "?",
                packets, file ? "read" : "through the filter", kept);
  if(!file)
    xd_buf_printf(b, ", %ld dropped by the kernel", dropped);
  xd_buf_printf(b, "%s\n", priv ? "" : " (still privileged)");
  if(trunc)
    xd_buf_printf(b, "warning: %s is cut short: %s\n", file,
                  xd_json_str(cap, "error") ? xd_json_str(cap, "error") : "");
  if(fdrop)
    xd_buf_printf(b, "warning: flows dropped: only the first %ld flows are "
                  "tracked; %ld packets of further flows were not counted "
                  "(raise --max-flows)\n", maxf, fdrop);
}

/* After each flow's JSON text (pr_capture_each_flow_text). */
static xd_rc wrote_flow_text(void *ud, xd_buf *b, xd_err *e)
{
  listen_writer *w = ud;
  (void)b;
  w->n++;
  return lw_flush(w, false, e);
}

/* One flow as a line of the text table. */
static xd_rc write_flow(void *ud, const cJSON *f, xd_err *e)
{
  listen_writer *w = ud;
  long syn = 0, sa = 0, rst = 0;
  char m[64];
  const char *icmp = xd_json_str(f, "icmp");
  if(!w->n)
    xd_buf_printf(&w->b, "\n%-28s %-28s %4s %7s %4s %-17s %s\n", "CLIENT",
                  "SERVER", "SYN", "SYN-ACK", "RST", "ICMP", "WHAT IT MEANS");
  xd_json_long(f, "syn", &syn);
  xd_json_long(f, "syn_ack", &sa);
  xd_json_long(f, "rst", &rst);
  xd_buf_printf(&w->b, "%-28s %-28s %4ld %7ld %4ld %-17s %s\n",
                xd_json_str(f, "src") ? xd_json_str(f, "src") : "?",
                xd_json_str(f, "dst") ? xd_json_str(f, "dst") : "?", syn, sa,
                rst, icmp ? icmp : "-", flow_meaning(f, m, sizeof(m)));
  w->n++;
  return lw_flush(w, false, e);
}

/* obs holds everything but the flows; they come from cap as they are
 * written. JSON: obs's members, then "flows" one per line, then
 * "capture" last. */
static xd_rc write_listen(const cli_opts *o, const cJSON *obs,
                          const pr_capture *cap, bool json, xd_err *e)
{
  listen_writer w;
  const cJSON *it;
  xd_rc rc;
  memset(&w, 0, sizeof(w));
  xd_buf_init(&w.b);
  rc = xd_out_open(&w.out, o->output ? o->output : "-", e);
  if(rc != XD_OK)
    goto done;
  if(json) {
    xd_buf_puts(&w.b, "{");
    cJSON_ArrayForEach(it, obs) {
      if(!strcmp(it->string, "capture"))
        continue;
      xd_buf_printf(&w.b, "\n  \"%s\": ", it->string);
      if((rc = lw_json(&w, it, e)) != XD_OK)
        goto done;
      xd_buf_putc(&w.b, ',');
    }
    xd_buf_puts(&w.b, "\n  \"flows\": [");
  }
  else
    text_header(obs, &w.b);
  rc = json ? pr_capture_each_flow_text(cap, &w.b, "\n    ", ",\n    ",
                                        wrote_flow_text, &w, e)
            : pr_capture_each_flow(cap, write_flow, &w, e);
  if(rc != XD_OK)
    goto done;
  if(json) {
    xd_buf_puts(&w.b, w.n ? "\n  ],\n  \"capture\": " : "],\n  \"capture\": ");
    if((rc = lw_json(&w, xd_json_object(obs, "capture"), e)) != XD_OK)
      goto done;
    xd_buf_puts(&w.b, "\n}\n");
  }
  else if(!w.n)
    xd_buf_puts(&w.b, "No handshake on the watched ports was seen.\n");
  else
    xd_buf_printf(&w.b, "\n%zu flow%s.\n", w.n, w.n == 1 ? "" : "s");
  if((rc = lw_flush(&w, true, e)) != XD_OK)
    goto done;
  rc = xd_out_commit(&w.out, e);
done:
  if(rc != XD_OK)
    xd_out_abort(&w.out);
  xd_buf_free(&w.b);
  return rc;
}

static int parse_inputs(const cli_opts *o, int **ports, size_t *n_ports,
                        xd_cidr **peers, xd_err *e)
{
  xd_rc rc = xd_portlist_parse(o->ports ? o->ports : LISTEN_DEFAULT_PORTS,
                               ports, n_ports, e);
  if(rc != XD_OK) {
    xd_err_prefix(e, "--port: ");
    return CLI_EXIT_UNKNOWN;
  }
  if(o->n_from) {
    *peers = calloc(o->n_from, sizeof(**peers));
    if(!*peers) {
      xd_fail(e, XD_E_NOMEM, "out of memory");
      return CLI_EXIT_UNKNOWN;
    }
  }
  for(size_t i = 0; i < o->n_from; i++)
    if(!xd_cidr_parse(o->from[i], &(*peers)[i])) {
      xd_fail(e, XD_E_USAGE, "--from: '%s' is not an address or CIDR block",
              o->from[i]);
      return CLI_EXIT_UNKNOWN;
    }
  if(o->format_set && o->format != RP_TEXT && o->format != RP_JSON) {
    xd_fail(e, XD_E_USAGE, "listen writes observations: --format json or "
            "text");
    return CLI_EXIT_UNKNOWN;
  }
  return CLI_EXIT_OK;
}

int cli_cmd_listen(const cli_opts *o)
{
  int *ports = NULL;
  size_t n_ports = 0;
  xd_cidr *peers = NULL;
  pr_capture *cap = NULL;
  pr_capture_config cfg;
  cJSON *obs = NULL;
  xd_err e = {0};
  xd_rc rc;
  char host[256] = "";
  int ret = CLI_EXIT_UNKNOWN;
  double duration_ms = (o->duration_s > 0 ? o->duration_s
                                           : LISTEN_DEFAULT_SECONDS) * 1000.0;

  if(parse_inputs(o, &ports, &n_ports, &peers, &e) != CLI_EXIT_OK) {
    ret = cli_error(&e);
    goto done;
  }
  memset(&cfg, 0, sizeof(cfg));
  cfg.interface = o->read ? NULL : o->interface ? o->interface : "any";
  cfg.read_file = o->read;
  cfg.ports = ports;
  cfg.n_ports = n_ports;
  cfg.peers = peers;
  cfg.n_peers = o->n_from;
  cfg.pcap_out = o->pcap_out;
  cfg.side = o->side ? o->side : "emr";
  cfg.max_flows = o->max_flows > 0 ? (size_t)o->max_flows : 0;

  /* --read needs no privilege: give it up before the file is opened.
   * A live capture opens its handle first, then gives it up. */
  if(o->read && pr_has_privilege() && pr_drop_privileges(&e) != XD_OK) {
    ret = cli_error(&e);
    goto done;
  }
  rc = pr_capture_open(&cfg, &cap, &e);
  if(rc == XD_E_PERM) {
    xd_log_error("listen: %s", e.msg);
    xd_log_error("listen records packets and so needs root or the "
                 "CAP_NET_RAW capability (sudo, or setcap cap_net_raw+ep on "
                 "the binary); --read FILE needs neither");
    goto done;
  }
  if(rc != XD_OK) {
    ret = cli_error(&e);
    goto done;
  }
  if((pr_has_privilege() && pr_drop_privileges(&e) != XD_OK) ||
     cli_check_writable("--output", o->output, false, &e) != XD_OK ||
     (o->pcap_out && pr_capture_write_to(cap, o->pcap_out, &e) != XD_OK)) {
    ret = cli_error(&e);
    goto done;
  }

  if(o->read)
    rc = pr_capture_run(cap, 0, NULL, &e);
  else {
    double end = xd_now_ms() + duration_ms;
    xd_log_info("listen: capturing for %.0f s (Ctrl-C ends it sooner)",
                duration_ms / 1000.0);
    /* short slices: the interrupt flag lives in main.c, and a Ctrl-C is
     * the ordinary way to end a listen early */
    rc = XD_OK;
    while(rc == XD_OK && !cli_interrupted()) {
      double left = end - xd_now_ms();
      /* --timeout bounds the whole run, listening included */
      if(xd_deadline_left_ms(&o->deadline) < left)
        left = xd_deadline_left_ms(&o->deadline);
      if(left <= 0)
        break;
      rc = pr_capture_run(cap, left < LISTEN_SLICE_MS ? left : LISTEN_SLICE_MS,
                          NULL, &e);
    }
  }
  if(rc != XD_OK) {
    ret = cli_error(&e);
    goto done;
  }

  if(gethostname(host, sizeof(host) - 1) != 0)
    snprintf(host, sizeof(host), "unknown");
  obs = xd_obs_new(cfg.side, host);
  if(!obs) {
    xd_fail(&e, XD_E_NOMEM, "out of memory");
    ret = cli_error(&e);
    goto done;
  }
  if(pr_local_addresses(cJSON_GetObjectItemCaseSensitive(obs, "interfaces"),
                        &e) != XD_OK)
    xd_log_warn("listen: %s", e.msg);
  /* the flows are streamed by write_listen, not put into obs */
  cJSON_DeleteItemFromObjectCaseSensitive(obs, "flows");
  if(pr_capture_info(cap, obs, &e) != XD_OK) {
    ret = cli_error(&e);
    goto done;
  }
  if(cli_interrupted()) {
    cJSON *ci = cJSON_GetObjectItemCaseSensitive(obs, "capture");
    if(ci)
      cJSON_AddBoolToObject(ci, "interrupted", true);
  }
  if(write_listen(o, obs, cap, o->format_set && o->format == RP_JSON, &e) !=
     XD_OK) {
    ret = cli_error(&e);
    goto done;
  }
  ret = CLI_EXIT_OK;
done:
  pr_capture_close(cap);
  cJSON_Delete(obs);
  free(ports);
  free(peers);
  return ret;
}
