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

static void render_text(const cJSON *obs, xd_buf *b)
{
  const cJSON *cap = xd_json_object(obs, "capture");
  const cJSON *flows = xd_json_array(obs, "flows");
  const cJSON *f;
  const char *iface = xd_json_str(cap, "interface");
  const char *file = xd_json_str(cap, "file");
  long packets = 0, kept = 0, dropped = 0;
  bool priv = false, trunc = false;
  int n = cJSON_GetArraySize(flows);

  xd_json_long(cap, "packets", &packets);
  xd_json_long(cap, "kept", &kept);
  xd_json_long(cap, "dropped", &dropped);
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
  if(!n) {
    xd_buf_puts(b, "No handshake on the watched ports was seen.\n");
    return;
  }
  xd_buf_printf(b, "\n%-28s %-28s %4s %7s %4s %-17s %s\n", "CLIENT", "SERVER",
                "SYN", "SYN-ACK", "RST", "ICMP", "WHAT IT MEANS");
  cJSON_ArrayForEach(f, flows) {
    long syn = 0, sa = 0, rst = 0;
    char m[64];
    const char *icmp = xd_json_str(f, "icmp");
    xd_json_long(f, "syn", &syn);
    xd_json_long(f, "syn_ack", &sa);
    xd_json_long(f, "rst", &rst);
    xd_buf_printf(b, "%-28s %-28s %4ld %7ld %4ld %-17s %s\n",
                  xd_json_str(f, "src") ? xd_json_str(f, "src") : "?",
                  xd_json_str(f, "dst") ? xd_json_str(f, "dst") : "?", syn, sa,
                  rst, icmp ? icmp : "-", flow_meaning(f, m, sizeof(m)));
  }
  xd_buf_printf(b, "\n%d flow%s.\n", n, n == 1 ? "" : "s");
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
  char *text = NULL;
  xd_buf out;
  int ret = CLI_EXIT_UNKNOWN;
  double duration_ms = (o->duration_s > 0 ? o->duration_s
                                           : LISTEN_DEFAULT_SECONDS) * 1000.0;

  xd_buf_init(&out);
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
  if(pr_capture_flows(cap, obs, &e) != XD_OK) {
    ret = cli_error(&e);
    goto done;
  }
  if(cli_interrupted()) {
    cJSON *ci = cJSON_GetObjectItemCaseSensitive(obs, "capture");
    if(ci)
      cJSON_AddBoolToObject(ci, "interrupted", true);
  }
  if(o->format_set && o->format == RP_JSON) {
    text = xd_json_print(obs, true);
    if(!text) {
      xd_fail(&e, XD_E_NOMEM, "out of memory");
      ret = cli_error(&e);
      goto done;
    }
    ret = cli_write_output(o, text, strlen(text));
  }
  else {
    render_text(obs, &out);
    if(out.failed) {
      xd_fail(&e, XD_E_NOMEM, "out of memory");
      ret = cli_error(&e);
      goto done;
    }
    ret = cli_write_output(o, xd_buf_str(&out), out.len);
  }
done:
  pr_capture_close(cap);
  cJSON_Delete(obs);
  free(text);
  xd_buf_free(&out);
  free(ports);
  free(peers);
  return ret;
}
