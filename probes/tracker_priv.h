/* probes/tracker_priv.h: what the tracker's two halves share, the
 * decoding and counting one (tracker.c) and the writing one
 * (tracker_out.c). Not a door: nothing outside the tracker includes it. */
#ifndef PR_TRACKER_PRIV_H
#define PR_TRACKER_PRIV_H

#include "tracker.h"

typedef struct {
  uint64_t hash;                     /* tuple_hash: a growing table needs
                                      * no second hashing */
  uint8_t family;
  uint8_t icmp_family;
  bool touched;
  int16_t icmp_type, icmp_code;      /* -1: none seen */
  uint16_t cport, sport;
  uint8_t cip[16], sip[16];
  uint8_t icmp_from[16];
  uint32_t syn, syn_ack, rst, client_rst, icmp_count;
  struct timeval first, last;
} flow;

struct pr_tracker {
  uint8_t portmap[65536 / 8];
  bool any_port;
  xd_cidr *peers;
  size_t n_peers;
  char side[8];
  const char *side_ref;              /* a literal equal to side, or NULL */
  char side_json[48];                /* side as a JSON string, quoted */
  flow *flows;
  size_t n_flows, cap_flows, max_flows;
  /* flow index + 1 in the low 32 bits (0: empty), the top 32 bits of
   * the flow's hash in the high ones: a lookup passes over other flows
   * without reading them (the flows array is a cache miss per read) */
  uint64_t *slots;
  size_t n_slots;                    /* a power of two */
  size_t max_probe;                  /* longest displacement in slots */
  uint64_t key[2];                   /* the hash's secret, per tracker */
  pr_tracker_stats st;
};

#endif
