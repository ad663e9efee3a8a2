/* probes/capture.h: the packet capture (libpcap) and its handshake tracker.
 * This is the only part of the program that needs privilege: open the
 * capture first, then drop root and every capability with
 * pr_drop_privileges(), then do everything else (aim the filter, open
 * --pcap-out, read files, resolve, probe). */
#ifndef PR_CAPTURE_H
#define PR_CAPTURE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "../common/netaddr.h"
#include "../common/xd_error.h"
#include "tracker.h"

typedef struct pr_capture pr_capture;

typedef struct {
  const char *interface;   /* NULL: the interface the kernel routes the
                              peers through ("any" when they differ or
                              there is none) */
  const char *read_file;   /* take packets from this pcap file instead */
  const int *ports;        /* the server ports to keep (BPF filter) */
  size_t n_ports;
  const xd_cidr *peers;    /* the far end(s): probe targets or --from */
  size_t n_peers;
  const char *pcap_out;    /* unused by pr_capture_open: see
                              pr_capture_write_to */
  const char *side;        /* "studio" (client end) or "emr" (server end) */
  size_t max_flows;        /* flows tracked at most; 0: the tracker's bound */
} pr_capture_config;

/* Open the capture in immediate mode with a BPF filter that keeps TCP to
 * and from the ports and the ICMP errors quoting them. XD_E_PERM when not
 * permitted (the caller then runs without capture and says so). */
xd_rc pr_capture_open(const pr_capture_config *c, pr_capture **out, xd_err *e);
/* Open the live capture handle on interface (NULL: "any") before anything
 * is known of ports or peers, with a filter that keeps nothing: the one
 * privileged step of check and probe, done before any file or network
 * answer is read. Aim it with pr_capture_aim once privileges are dropped.
 * XD_E_PERM when not permitted. */
xd_rc pr_capture_open_early(const char *interface, pr_capture **out,
                            xd_err *e);
/* Give an early-opened capture its ports, peers and side (cfg's interface,
 * read_file and pcap_out are ignored): a new tracker and BPF filter.
 * Needs no privilege. Call before pr_capture_start. */
xd_rc pr_capture_aim(pr_capture *c, const pr_capture_config *cfg, xd_err *e);
/* Also write the packets kept to path as pcap. Call after
 * pr_drop_privileges: the file is opened with the rights the process has
 * then, never through a symlink, and never chowned; were the process
 * still root, only a new file would be created. */
xd_rc pr_capture_write_to(pr_capture *c, const char *path, xd_err *e);
/* Drop root and all capabilities for good (after every open). XD_OK when
 * there was nothing to drop. */
xd_rc pr_drop_privileges(xd_err *e);
/* uid and gid of name in the passwd(5) file path, read without NSS; false
 * when the file or the entry is missing or its ids are not positive. */
bool pr_passwd_ids(const char *path, const char *name, unsigned long *uid,
                   unsigned long *gid);
/* Start recording in a background thread (live capture). */
xd_rc pr_capture_start(pr_capture *c, xd_err *e);
/* Stop the thread after a grace period (ms) for late packets; joins. */
void pr_capture_stop(pr_capture *c, double grace_ms);
/* For listen and --read: record in this thread until duration_ms passes,
 * *stop becomes non-zero, or the file ends. */
xd_rc pr_capture_run(pr_capture *c, double duration_ms,
                     volatile sig_atomic_t *stop, xd_err *e);
/* Append every tracked flow to obs["flows"] in the contract's shape (named
 * from the client's side), plus obs["capture"] with counters. */
xd_rc pr_capture_flows(const pr_capture *c, cJSON *obs, xd_err *e);
/* The flows one at a time, as pr_capture_flows would append them (see
 * pr_tracker_each_flow): for a writer that must not hold them all. */
xd_rc pr_capture_each_flow(const pr_capture *c, pr_flow_fn fn, void *ud,
                           xd_err *e);
/* The same as JSON text (pr_tracker_each_flow_text). */
xd_rc pr_capture_each_flow_text(const pr_capture *c, xd_buf *b,
                                const char *first, const char *sep,
                                pr_flow_text_fn fn, void *ud, xd_err *e);
/* Set obs["capture"] (counters, the flow bound and how many packets of
 * flows beyond it were not counted) without touching obs["flows"]. */
xd_rc pr_capture_info(const pr_capture *c, cJSON *obs, xd_err *e);
/* Close and free. NULL is fine. */
void pr_capture_close(pr_capture *c);

/* Whether there is anything for pr_drop_privileges to drop: a uid of 0 or
 * a permitted capability (asked of the kernel with capget, no /proc). */
bool pr_has_privilege(void);
/* Whether this process now runs without privilege: every uid non-zero and
 * no effective or permitted capability (read from /proc/self/status). */
bool pr_privileges_dropped(void);
/* The name of the interface the kernel routes dst through (no packet is
 * sent: a UDP socket is connected, its source address looked up among the
 * interfaces) into ifname (size n). */
xd_rc pr_route_interface(const xd_ip *dst, char *ifname, size_t n, xd_err *e);
/* Append the addresses of this host's up, non-loopback interfaces to the
 * cJSON array arr as CIDR text ("10.0.20.15/24"). */
xd_rc pr_local_addresses(cJSON *arr, xd_err *e);
/* The BPF filter text for c (malloc'ed; NULL when out of memory): TCP
 * SYN or RST to or from the ports (and the peers), and the ICMP/ICMPv6
 * destination unreachables whose quoted TCP header names one of the ports. */
char *pr_capture_filter_text(const pr_capture_config *c);

#endif
