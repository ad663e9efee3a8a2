/* The BPF filter against the tracker: the kernel must keep every packet
 * the tracker would count (else a live capture would miss what a file
 * shows), for every link type of the fixtures and for port lists short,
 * ranged, long and absent. Also the route lookup, on loopback. */
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "check.h"
#include "probes/capture.h"
#include "probes/tracker.h"

static const char *const files[] = {"handshakes-en10mb.pcap",
  "handshakes-sll.pcap", "handshakes-sll2.pcap", "handshakes-raw.pcap",
  "handshakes-null.pcap"};

/* Feed every packet of path to a tracker for cfg; count how many it kept
 * and how many of those the compiled filter would have dropped. */
static void against(const char *path, const pr_capture_config *cfg,
                    long *kept, long *missed, long *bpf_total)
{
  char eb[PCAP_ERRBUF_SIZE];
  pcap_t *p = pcap_open_offline(path, eb);
  struct bpf_program prog;
  struct pcap_pkthdr *h;
  const u_char *d;
  pr_tracker_config tc = {cfg->ports, cfg->n_ports, cfg->peers, cfg->n_peers,
                          "emr", 0};
  pr_tracker *t = pr_tracker_new(&tc);
  char *f = pr_capture_filter_text(cfg);
  CHECK(p != NULL);
  CHECK(t != NULL);
  CHECK(f != NULL);
  if(!p || !t || !f)
    goto done;
  if(pcap_compile(p, &prog, f, 1, PCAP_NETMASK_UNKNOWN) != 0) {
    fprintf(stderr, "filter does not compile: %s\n%s\n", pcap_geterr(p), f);
    CHECK(0);
    goto done;
  }
  while(pcap_next_ex(p, &h, &d) == 1) {
    bool tr = pr_tracker_feed(t, d, h->caplen, pcap_datalink(p), h->ts);
    bool bpf = pcap_offline_filter(&prog, h, d) != 0;
    *kept += tr;
    *bpf_total += bpf;
    /* Linux hands a live capture its VLAN tags out of band, so the filter
     * never sees them; a file is filtered by the tracker alone */
    if(pcap_datalink(p) == DLT_EN10MB && h->caplen > 13 && d[12] == 0x81 &&
       d[13] == 0x00)
      continue;
    if(tr && !bpf)
      (*missed)++;
  }
  pcap_freecode(&prog);
done:
  free(f);
  pr_tracker_free(t);
  if(p)
    pcap_close(p);
}

static void run_config(const char *dir, const pr_capture_config *cfg,
                       long want_kept, const char *label)
{
  for(size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    char path[4096];
    long kept = 0, missed = 0, bpf = 0;
    snprintf(path, sizeof(path), "%s/pcap/%s", dir, files[i]);
    against(path, cfg, &kept, &missed, &bpf);
    if(missed || (want_kept >= 0 && kept != want_kept))
      fprintf(stderr, "%s, %s: kept %ld (want %ld), BPF kept %ld, missed %ld\n",
              label, files[i], kept, want_kept, bpf, missed);
    CHECK_INT(missed, 0);
    if(want_kept >= 0)
      CHECK_INT(kept, want_kept);
    /* the filter is not a pass-all: the fixture has data and noise */
    CHECK(bpf < 40);
  }
}

int main(void)
{
  const char *fx = getenv("XD_FIXTURES");
  static const int three[] = {8998, 10000, 8889};
  int *many = malloc(40 * sizeof(int)), *ranged = malloc(1027 * sizeof(int));
  xd_cidr peers[2];
  pr_capture_config c;
  char *f;
  char ifn[64];
  xd_ip lo;
  xd_err e = {0};

  if(!fx) {
    fprintf(stderr, "XD_FIXTURES is not set\n");
    return 1;
  }
  memset(&c, 0, sizeof(c));
  c.side = "emr";

  /* the default ports, no peers: 23 packets of 13 flows (the fixture's 11,
   * plus 192.168.5.5's handshake, outside no --from) */
  c.ports = three;
  c.n_ports = 3;
  run_config(fx, &c, 25, "three ports");

  CHECK(xd_cidr_parse("10.0.20.0/24", &peers[0]));
  CHECK(xd_cidr_parse("fd00:20::/64", &peers[1]));
  c.peers = peers;
  c.n_peers = 2;
  run_config(fx, &c, 23, "three ports, two peers");
  f = pr_capture_filter_text(&c);
  CHECK_CONTAINS(f, "net 10.0.20.0/24 or net fd00:20::/64");
  CHECK_CONTAINS(f, "icmp6[0] = 1");
  free(f);

  /* a range and singles: merged, 22 (ssh) now counts too */
  for(int i = 0; i < 1024; i++)
    ranged[i] = i + 1;
  ranged[1024] = 8998;
  ranged[1025] = 10000;
  ranged[1026] = 8889;
  c.ports = ranged;
  c.n_ports = 1027;
  c.n_peers = 0;
  run_config(fx, &c, -1, "ranges");
  f = pr_capture_filter_text(&c);
  CHECK_CONTAINS(f, "portrange 1-1024");
  CHECK_CONTAINS(f, ">= 1 and");
  free(f);

  /* more ranges than the filter spells out: the tracker still filters */
  for(int i = 0; i < 40; i++)
    many[i] = 2000 + 2 * i;
  many[39] = 8998;
  c.ports = many;
  c.n_ports = 40;
  run_config(fx, &c, -1, "40 ports");

  /* no ports at all */
  c.n_ports = 0;
  run_config(fx, &c, -1, "no ports");

  /* the kernel's route to loopback goes through lo */
  CHECK(xd_ip_parse("127.0.0.1", &lo));
  CHECK(pr_route_interface(&lo, ifn, sizeof(ifn), &e) == XD_OK);
  CHECK_STR(ifn, "lo");

  free(many);
  free(ranged);
  return CHECK_DONE();
}
