/* The handshake tracker: decode a frame down to TCP (or to the TCP header an
 * ICMP error quotes) and count it toward its flow. Outside bytes are read
 * only through the bounds-checked cursor below. */
#include "tracker_priv.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "../common/siphash.h"


#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86DD
#define ETH_VLAN 0x8100
#define ETH_QINQ 0x88A8
#define ETH_QINQ_OLD 0x9100

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_ICMP6 58

/* The longest run of occupied slots a new flow may walk (see flow_get). */
#define PROBE_LIMIT 128

/* ---- a bounds-checked view of bytes -------------------------------- */

typedef struct {
  const uint8_t *p;
  size_t len;
} cur;

static bool cur_u8(const cur *c, size_t off, uint8_t *v)
{
  if(off >= c->len)
    return false;
  *v = c->p[off];
  return true;
}

static bool cur_u16(const cur *c, size_t off, uint16_t *v)
{
  if(off > c->len || c->len - off < 2)
    return false;
  *v = (uint16_t)((c->p[off] << 8) | c->p[off + 1]);
  return true;
}

static bool cur_bytes(const cur *c, size_t off, void *out, size_t n)
{
  if(off > c->len || c->len - off < n)
    return false;
  memcpy(out, c->p + off, n);
  return true;
}

/* The bytes from off on; false when off lies beyond the end. */
static bool cur_sub(const cur *c, size_t off, cur *out)
{
  if(off > c->len)
    return false;
  out->p = c->p + off;
  out->len = c->len - off;
  return true;
}

/* ---- decoded packets ------------------------------------------------- */

typedef struct {
  uint8_t family;        /* 4 or 6 */
  uint8_t src[16], dst[16];
  uint16_t sport, dport;
  uint8_t flags;
  bool has_flags;        /* an ICMP quote may stop before the flags */
} tuple;

/* An IP packet reduced to its addresses, protocol and payload. */
typedef struct {
  uint8_t family;
  uint8_t src[16], dst[16];
  uint8_t proto;
  cur payload;
} ippkt;

/* IPv4 or IPv6 header at the start of c. Later fragments carry no
 * transport header and are refused. */
static bool decode_ip(const cur *c, ippkt *ip)
{
  uint8_t v;
  memset(ip, 0, sizeof(*ip));
  if(!cur_u8(c, 0, &v))
    return false;
  if((v >> 4) == 4) {
    size_t ihl = (size_t)(v & 0x0f) * 4;
    uint16_t tot, frag;
    cur whole;
    if(ihl < 20 || !cur_u16(c, 2, &tot) || !cur_u16(c, 6, &frag) ||
       !cur_u8(c, 9, &ip->proto) || !cur_bytes(c, 12, ip->src, 4) ||
       !cur_bytes(c, 16, ip->dst, 4))
      return false;
    if(frag & 0x1fff)
      return false;
    whole = *c;
    /* an ICMP quote (and TSO captures) may claim more than is there: the
     * captured bytes bound what is read, the header only shortens it */
    if(tot >= ihl && tot < whole.len)
      whole.len = tot;
    ip->family = 4;
    return cur_sub(&whole, ihl, &ip->payload);
  }
  if((v >> 4) == 6) {
    uint8_t nh;
    size_t off = 40;
    if(!cur_u8(c, 6, &nh) || !cur_bytes(c, 8, ip->src, 16) ||
       !cur_bytes(c, 24, ip->dst, 16))
      return false;
    /* walk the extension headers; a handful is plenty for real traffic */
    for(int i = 0; i < 8; i++) {
      uint8_t next, hl;
      uint16_t fo;
      if(nh == 0 || nh == 43 || nh == 60) {
        if(!cur_u8(c, off, &next) || !cur_u8(c, off + 1, &hl))
          return false;
        nh = next;
        off += ((size_t)hl + 1) * 8;
      }
      else if(nh == 44) {
        if(!cur_u8(c, off, &next) || !cur_u16(c, off + 2, &fo))
          return false;
        if(fo & 0xfff8)
          return false;
        nh = next;
        off += 8;
      }
      else if(nh == 51) {
        if(!cur_u8(c, off, &next) || !cur_u8(c, off + 1, &hl))
          return false;
        nh = next;
        off += ((size_t)hl + 2) * 4;
      }
      else
        break;
    }
    ip->family = 6;
    ip->proto = nh;
    return cur_sub(c, off, &ip->payload);
  }
  return false;
}

/* The IP packet inside a frame of the given link type. */
static bool decode_link(const uint8_t *pkt, size_t caplen, int linktype,
                        cur *out)
{
  cur c = {pkt, caplen};
  uint16_t et;
  size_t off;
  switch(linktype) {
  case PR_DLT_EN10MB:
    off = 12;
    if(!cur_u16(&c, off, &et))
      return false;
    for(int i = 0; i < 2 && (et == ETH_VLAN || et == ETH_QINQ ||
                             et == ETH_QINQ_OLD); i++) {
      off += 4;
      if(!cur_u16(&c, off, &et))
        return false;
    }
    if(et != ETH_IPV4 && et != ETH_IPV6)
      return false;
    return cur_sub(&c, off + 2, out);
  case PR_DLT_LINUX_SLL:
    if(!cur_u16(&c, 14, &et) || (et != ETH_IPV4 && et != ETH_IPV6))
      return false;
    return cur_sub(&c, 16, out);
  case PR_DLT_LINUX_SLL2:
    if(!cur_u16(&c, 0, &et) || (et != ETH_IPV4 && et != ETH_IPV6))
      return false;
    return cur_sub(&c, 20, out);
  case PR_DLT_NULL:
  case PR_DLT_LOOP:
    /* the 4-byte address family is host order for NULL and differs per
     * BSD for AF_INET6; the IP version nibble says the same, portably */
    return cur_sub(&c, 4, out);
  case PR_DLT_RAW:
  case PR_DLT_RAW_BSD:
  case PR_DLT_LINKTYPE_RAW:
  case PR_DLT_IPV4:
  case PR_DLT_IPV6:
    *out = c;
    return true;
  default:
    return false;
  }
}

bool pr_tracker_linktype_ok(int linktype)
{
  switch(linktype) {
  case PR_DLT_EN10MB: case PR_DLT_LINUX_SLL: case PR_DLT_LINUX_SLL2:
  case PR_DLT_NULL: case PR_DLT_LOOP: case PR_DLT_RAW: case PR_DLT_RAW_BSD:
  case PR_DLT_LINKTYPE_RAW: case PR_DLT_IPV4: case PR_DLT_IPV6:
    return true;
  default:
    return false;
  }
}

/* Ports and flags of the TCP header at the start of c; need_flags false
 * accepts the 8 bytes an old router quotes (RFC 792). */
static bool decode_tcp(const ippkt *ip, const cur *c, bool need_flags,
                       tuple *t)
{
  t->family = ip->family;
  memcpy(t->src, ip->src, 16);
  memcpy(t->dst, ip->dst, 16);
  if(!cur_u16(c, 0, &t->sport) || !cur_u16(c, 2, &t->dport))
    return false;
  t->has_flags = cur_u8(c, 13, &t->flags);
  if(!t->has_flags) {
    t->flags = 0;
    if(need_flags)
      return false;
  }
  return true;
}

/* ---- flows and their table ------------------------------------------ */

static bool port_kept(const pr_tracker *t, uint16_t p)
{
  return t->any_port || (t->portmap[p >> 3] & (1u << (p & 7)));
}

static bool addr_in_peers(const pr_tracker *t, uint8_t family,
                          const uint8_t *a)
{
  xd_ip ip;
  ip.family = family;
  memset(ip.b, 0, sizeof(ip.b));
  memcpy(ip.b, a, family == 4 ? 4 : 16);
  for(size_t i = 0; i < t->n_peers; i++)
    if(xd_cidr_contains_ip(&t->peers[i], &ip))
      return true;
  return false;
}

static bool tuple_kept(const pr_tracker *t, const tuple *u)
{
  if(!port_kept(t, u->sport) && !port_kept(t, u->dport))
    return false;
  return !t->n_peers || addr_in_peers(t, u->family, u->src) ||
         addr_in_peers(t, u->family, u->dst);
}

/* Symmetric in the two ends, so one probe sequence finds a flow whichever
 * way the packet goes: the ends are hashed in a fixed order. */
static uint64_t tuple_hash(const pr_tracker *t, const tuple *u)
{
  uint8_t in[1 + 2 * 18];
  uint8_t a[18], b[18];
  memcpy(a, u->src, 16);
  a[16] = (uint8_t)(u->sport >> 8);
  a[17] = (uint8_t)u->sport;
  memcpy(b, u->dst, 16);
  b[16] = (uint8_t)(u->dport >> 8);
  b[17] = (uint8_t)u->dport;
  in[0] = u->family;
  if(memcmp(a, b, 18) <= 0) {
    memcpy(in + 1, a, 18);
    memcpy(in + 19, b, 18);
  }
  else {
    memcpy(in + 1, b, 18);
    memcpy(in + 19, a, 18);
  }
  return xd_siphash24(t->key, in, sizeof(in));
}

static bool same_end(const uint8_t *a, uint16_t pa, const uint8_t *b,
                     uint16_t pb)
{
  return pa == pb && !memcmp(a, b, 16);
}

#define SLOT_TAG(h) ((h) & 0xffffffff00000000ULL)
#define SLOT_FLOW(s) ((uint32_t)(s))

/* The first table: room for the flows the bound allows at half load, up
 * to 4 MiB of slots, so that a large capture does not rehash ten times
 * on its way up (calloc's pages are only paid for as flows touch them). */
static size_t first_slots(const pr_tracker *t)
{
  size_t n = 1024;
  while(n < (size_t)1 << 19 && n / 2 < t->max_flows)
    n *= 2;
  return n;
}

static bool table_grow(pr_tracker *t)
{
  size_t n = t->n_slots ? t->n_slots * 2 : first_slots(t), maxp = 0;
  uint64_t *s = calloc(n, sizeof(*s));
  if(!s)
    return false;
  for(size_t i = 0; i < t->n_flows; i++) {
    uint64_t h = t->flows[i].hash;
    size_t j, k = 0;
    for(j = h & (n - 1); s[j]; j = (j + 1) & (n - 1))
      k++;
    s[j] = SLOT_TAG(h) | (uint64_t)(i + 1);
    if(k > maxp)
      maxp = k;
  }
  free(t->slots);
  t->slots = s;
  t->n_slots = n;
  t->max_probe = maxp;
  return true;
}

/* Which end of a new flow is the client: the sender of a bare SYN, the
 * receiver of a SYN-ACK; else the end not on a watched port; else the end
 * with the higher (ephemeral-looking) port. */
static bool sender_is_client(const pr_tracker *t, const tuple *u)
{
  bool sk, dk;
  if(u->has_flags && (u->flags & TCP_SYN))
    return !(u->flags & TCP_ACK);
  sk = !t->any_port && port_kept(t, u->sport);
  dk = !t->any_port && port_kept(t, u->dport);
  if(sk != dk)
    return dk;
  return u->sport >= u->dport;
}

/* The flow of u (created when new); *from_client says which way u went.
 * NULL when the flow table is full or memory ran out. */
static flow *flow_get(pr_tracker *t, const tuple *u, bool *from_client)
{
  size_t j, mask, k = 0;
  uint64_t h, tag;
  flow *f;
  if(!t->n_slots)
    return NULL;
  mask = t->n_slots - 1;
  h = tuple_hash(t, u);
  tag = SLOT_TAG(h);
  /* a flow sits at most max_probe slots past its home (nothing is ever
   * removed), so a lookup stops there */
  for(j = h & mask; t->slots[j] && k <= t->max_probe;
      j = (j + 1) & mask, k++) {
    if(SLOT_TAG(t->slots[j]) != tag)
      continue;
    f = &t->flows[SLOT_FLOW(t->slots[j]) - 1];
    if(f->family != u->family)
      continue;
    if(same_end(f->cip, f->cport, u->src, u->sport) &&
       same_end(f->sip, f->sport, u->dst, u->dport)) {
      *from_client = true;
      return f;
    }
    if(same_end(f->cip, f->cport, u->dst, u->dport) &&
       same_end(f->sip, f->sport, u->src, u->sport)) {
      *from_client = false;
      return f;
    }
  }
  /* an empty slot must remain, or the probe loop below would not end */
  if(t->n_flows >= t->max_flows || t->n_flows + 1 >= t->n_slots)
    return NULL;
  for(; t->slots[j]; j = (j + 1) & mask)
    k++;
  /* with a secret key this is never reached by chance at half load; a
   * run of this length means the table is being flooded: drop the flow
   * rather than let every later lookup walk it */
  if(k > PROBE_LIMIT)
    return NULL;
  if(k > t->max_probe)
    t->max_probe = k;
  if(t->n_flows == t->cap_flows) {
    size_t nc = t->cap_flows ? t->cap_flows * 2 : 256;
    if(nc > t->max_flows)
      nc = t->max_flows;   /* no room for flows that will never come */
    flow *nf = realloc(t->flows, nc * sizeof(*nf));
    if(!nf)
      return NULL;
    t->flows = nf;
    t->cap_flows = nc;
  }
  f = &t->flows[t->n_flows];
  memset(f, 0, sizeof(*f));
  f->hash = h;
  f->family = u->family;
  f->icmp_type = f->icmp_code = -1;
  *from_client = sender_is_client(t, u);
  if(*from_client) {
    memcpy(f->cip, u->src, 16);
    memcpy(f->sip, u->dst, 16);
    f->cport = u->sport;
    f->sport = u->dport;
  }
  else {
    memcpy(f->cip, u->dst, 16);
    memcpy(f->sip, u->src, 16);
    f->cport = u->dport;
    f->sport = u->sport;
  }
  t->slots[j] = tag | (uint64_t)(++t->n_flows);
  /* keep the load at most one half: short probe sequences */
  if(t->n_flows * 2 > t->n_slots && !table_grow(t)) {
    /* the flow is in; a later packet will try the growth again */
  }
  return f;
}

static void flow_touch(flow *f, struct timeval ts)
{
  if(!f->touched) {
    f->first = f->last = ts;
    f->touched = true;
    return;
  }
  if(timercmp(&ts, &f->first, <))
    f->first = ts;
  if(timercmp(&ts, &f->last, >))
    f->last = ts;
}

/* ---- feeding --------------------------------------------------------- */

static bool feed_tcp(pr_tracker *t, const tuple *u, struct timeval ts)
{
  bool from_client;
  flow *f;
  if(!(u->flags & (TCP_SYN | TCP_RST)) || !tuple_kept(t, u))
    return false;
  f = flow_get(t, u, &from_client);
  if(!f) {
    t->st.flows_dropped++;
    return false;
  }
  if(u->flags & TCP_SYN) {
    if(u->flags & TCP_ACK)
      f->syn_ack++;
    else
      f->syn++;
  }
  if(u->flags & TCP_RST) {
    if(from_client)
      f->client_rst++;
    else
      f->rst++;
  }
  flow_touch(f, ts);
  return true;
}

const char *pr_icmp_unreach_word(int family, int code)
{
  if(family == 4) {
    switch(code) {
    case 0: case 6: case 11: return "net-unreach";
    case 1: case 5: case 7: case 8: case 12: case 14: return "host-unreach";
    case 2: return "proto-unreach";
    case 3: return "port-unreach";
    case 9: case 10: case 13: case 15: return "admin-prohibited";
    default: return NULL; /* 4: fragmentation needed, a size problem */
    }
  }
  switch(code) {
  case 0: return "net-unreach";        /* no route to destination */
  case 1: case 5: case 6: return "admin-prohibited";
  case 2: case 3: return "host-unreach";
  case 4: return "port-unreach";
  default: return "host-unreach";
  }
}

static bool feed_icmp(pr_tracker *t, const ippkt *outer, struct timeval ts)
{
  uint8_t type, code;
  cur quote;
  ippkt q;
  tuple u;
  bool from_client;
  flow *f;
  if(!cur_u8(&outer->payload, 0, &type) || !cur_u8(&outer->payload, 1, &code))
    return false;
  if(outer->family == 4 ? type != 3 : type != 1)
    return false;
  if(!pr_icmp_unreach_word(outer->family, code))
    return false;
  if(!cur_sub(&outer->payload, 8, &quote) || !decode_ip(&quote, &q) ||
     q.family != outer->family || q.proto != PROTO_TCP ||
     !decode_tcp(&q, &q.payload, false, &u) || !tuple_kept(t, &u))
    return false;
  f = flow_get(t, &u, &from_client);
  if(!f) {
    t->st.flows_dropped++;
    return false;
  }
  f->icmp_family = outer->family;
  f->icmp_type = type;
  f->icmp_code = code;
  f->icmp_count++;
  memcpy(f->icmp_from, outer->src, 16);
  flow_touch(f, ts);
  return true;
}

bool pr_tracker_feed(pr_tracker *t, const uint8_t *pkt, size_t caplen,
                     int linktype, struct timeval ts)
{
  cur l3;
  ippkt ip;
  tuple u;
  bool kept = false;
  t->st.packets++;
  if(!pkt || !decode_link(pkt, caplen, linktype, &l3) || !decode_ip(&l3, &ip)) {
    t->st.undecoded++;
    return false;
  }
  if(ip.proto == PROTO_TCP) {
    if(!decode_tcp(&ip, &ip.payload, true, &u)) {
      t->st.undecoded++;
      return false;
    }
    kept = feed_tcp(t, &u, ts);
  }
  else if((ip.family == 4 && ip.proto == PROTO_ICMP) ||
          (ip.family == 6 && ip.proto == PROTO_ICMP6))
    kept = feed_icmp(t, &ip, ts);
  if(kept)
    t->st.kept++;
  return kept;
}

/* ---- life cycle and output ------------------------------------------ */

/* The side as cJSON prints it, once, for the flows' text. */
static bool side_json(pr_tracker *t)
{
  cJSON *js = cJSON_CreateString(t->side);
  char *q = js ? cJSON_PrintUnformatted(js) : NULL;
  bool ok = q && strlen(q) < sizeof(t->side_json);
  cJSON_Delete(js);
  if(ok)
    memcpy(t->side_json, q, strlen(q) + 1);
  cJSON_free(q);
  return ok;
}

pr_tracker *pr_tracker_new(const pr_tracker_config *c)
{
  pr_tracker *t = calloc(1, sizeof(*t));
  if(!t)
    return NULL;
  t->any_port = c->n_ports == 0;
  t->max_flows = c->max_flows ? c->max_flows : PR_TRACKER_MAX_FLOWS;
  if(t->max_flows > UINT32_MAX - 1)
    t->max_flows = UINT32_MAX - 1;   /* slots hold index + 1 in 32 bits */
  for(size_t i = 0; i < c->n_ports; i++) {
    int p = c->ports[i];
    if(p < 1 || p > 65535)
      goto fail;
    t->portmap[p >> 3] |= (uint8_t)(1u << (p & 7));
  }
  if(c->n_peers) {
    t->peers = malloc(c->n_peers * sizeof(*t->peers));
    if(!t->peers)
      goto fail;
    memcpy(t->peers, c->peers, c->n_peers * sizeof(*t->peers));
    t->n_peers = c->n_peers;
  }
  xd_random_key(t->key);
  snprintf(t->side, sizeof(t->side), "%s", c->side ? c->side : "studio");
  t->side_ref = !strcmp(t->side, "emr") ? "emr" :
                !strcmp(t->side, "studio") ? "studio" : NULL;
  if(!side_json(t))
    goto fail;
  if(!table_grow(t))
    goto fail;
  return t;
fail:
  pr_tracker_free(t);
  return NULL;
}

void pr_tracker_free(pr_tracker *t)
{
  if(!t)
    return;
  free(t->peers);
  free(t->flows);
  free(t->slots);
  free(t);
}

size_t pr_tracker_flow_count(const pr_tracker *t)
{
  return t->n_flows;
}

size_t pr_tracker_max_flows(const pr_tracker *t)
{
  return t->max_flows;
}

pr_tracker_stats pr_tracker_get_stats(const pr_tracker *t)
{
  return t->st;
}

