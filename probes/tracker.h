/* probes/tracker.h: the handshake tracker. It decodes captured frames
 * (Ethernet, Linux cooked v1/v2, raw IP, BSD loopback; IPv4 and IPv6) and
 * counts, per TCP flow, the SYNs, SYN-ACKs, resets and ICMP unreachables
 * that quote it. It makes no pcap call and does no I/O, so it can be fed
 * from a live capture, a file, a unit test or a fuzzer alike. Every packet
 * costs O(1): flows live in an open-addressing hash table. */
#ifndef PR_TRACKER_H
#define PR_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include <cjson/cJSON.h>

#include "../common/buf.h"
#include "../common/netaddr.h"
#include "../common/xd_error.h"

/* Link types by their DLT_ numbers (as pcap_datalink() returns them), so
 * this header needs no pcap header. */
#define PR_DLT_NULL 0
#define PR_DLT_EN10MB 1
#define PR_DLT_RAW 12          /* Linux, most systems */
#define PR_DLT_RAW_BSD 14      /* OpenBSD's DLT_RAW */
#define PR_DLT_LINKTYPE_RAW 101
#define PR_DLT_LOOP 108
#define PR_DLT_LINUX_SLL 113
#define PR_DLT_IPV4 228
#define PR_DLT_IPV6 229
#define PR_DLT_LINUX_SLL2 276

/* The most flows one tracker keeps unless told otherwise (--max-flows);
 * packets of further flows are counted in flows_dropped instead (a port
 * scan in a customer's file must not eat the machine). About 120 bytes a
 * flow: the table stays under 64 MB at this bound. */
#define PR_TRACKER_MAX_FLOWS (1u << 18)

typedef struct pr_tracker pr_tracker;

typedef struct {
  const int *ports;       /* server ports to keep; none: every port */
  size_t n_ports;
  const xd_cidr *peers;   /* keep flows with one end in here; none: all */
  size_t n_peers;
  const char *side;       /* "studio" or "emr": the flows' "where" */
  size_t max_flows;       /* flows kept at most; 0: PR_TRACKER_MAX_FLOWS */
} pr_tracker_config;

typedef struct {
  uint64_t packets;       /* frames fed */
  uint64_t kept;          /* frames that counted toward a flow */
  uint64_t undecoded;     /* frames too short or of an unknown kind */
  uint64_t flows_dropped; /* frames of flows beyond PR_TRACKER_MAX_FLOWS */
} pr_tracker_stats;

/* A new tracker for c (copied: c may go away). NULL when out of memory or
 * when a port is outside 1..65535. Free with pr_tracker_free(). */
pr_tracker *pr_tracker_new(const pr_tracker_config *c);
/* Free t. NULL is fine. */
void pr_tracker_free(pr_tracker *t);

/* Whether linktype is one pr_tracker_feed() decodes. */
bool pr_tracker_linktype_ok(int linktype);

/* Decode one frame of caplen bytes (of link type linktype, captured at ts)
 * and count it toward its flow. Any byte string is safe here: short,
 * truncated or malformed frames are counted as undecoded. Returns whether
 * the frame counted (a SYN, SYN-ACK or RST of a kept port and peer, or an
 * ICMP unreachable quoting one). */
bool pr_tracker_feed(pr_tracker *t, const uint8_t *pkt, size_t caplen,
                     int linktype, struct timeval ts);

/* The number of flows tracked so far. */
size_t pr_tracker_flow_count(const pr_tracker *t);
/* The most flows t keeps (its configured bound). */
size_t pr_tracker_max_flows(const pr_tracker *t);
/* The counters. */
pr_tracker_stats pr_tracker_get_stats(const pr_tracker *t);

/* Append one object per flow, in the order first seen, to the cJSON array
 * flows: the contract's src, dst, syn, syn_ack, rst, icmp, first, last,
 * plus client_rst, where, icmp_type, icmp_code, icmp_from. */
xd_rc pr_tracker_flows(const pr_tracker *t, cJSON *flows, xd_err *e);

/* Called with each flow object in turn; it is freed after the call, so a
 * writer holds one flow at a time however many there are. */
typedef xd_rc (*pr_flow_fn)(void *ud, const cJSON *fo, xd_err *e);
/* The same flows as pr_tracker_flows, one at a time, in the same order;
 * stops at the first code fn returns other than XD_OK and returns it. */
xd_rc pr_tracker_each_flow(const pr_tracker *t, pr_flow_fn fn, void *ud,
                           xd_err *e);

/* Called after each flow's text is appended to b: it may write b out and
 * empty it. Another code than XD_OK stops the walk. */
typedef xd_rc (*pr_flow_text_fn)(void *ud, xd_buf *b, xd_err *e);
/* The flows of pr_tracker_each_flow as JSON text, each byte for byte what
 * cJSON_PrintUnformatted() prints for the object pr_tracker_each_flow
 * hands over, appended to b after first (the first flow) or sep (every
 * later one); fn after each. No cJSON object is built: a capture of
 * hundreds of thousands of flows writes at the speed of its text. */
xd_rc pr_tracker_each_flow_text(const pr_tracker *t, xd_buf *b,
                                const char *first, const char *sep,
                                pr_flow_text_fn fn, void *ud, xd_err *e);

/* The nmap word for an ICMP (family 4) or ICMPv6 (family 6) destination
 * unreachable code: "net-unreach", "host-unreach", "proto-unreach",
 * "port-unreach" or "admin-prohibited"; NULL for codes that do not mean
 * the destination is unreachable (fragmentation needed). */
const char *pr_icmp_unreach_word(int family, int code);

/* "2026-11-29T04:26:07.123456Z" for ts into out (at least 28 bytes; 64 is always enough). */
void pr_format_ts(struct timeval ts, char *out, size_t n);

#endif
