/* gen_pcap: write pcap files of TCP handshakes for the capture tests and
 * the benchmark, without sending a packet.
 *
 *   gen_pcap --fixture [--linktype L] -o FILE
 *       the small, hand-written scenario the fixture test expects
 *       (tests/capture/fixture_expected.json says what it holds)
 *   gen_pcap --packets N [--linktype L] [--seed S] -o FILE
 *       about N packets of many handshakes: open (with data), closed,
 *       filtered (retransmitted SYNs), ICMP-rejected, and noise on other
 *       ports and protocols
 *
 * L is en10mb (default), sll, sll2, raw or null. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LT_EN10MB 1
#define LT_RAW 101
#define LT_NULL 0
#define LT_SLL 113
#define LT_SLL2 276

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

static FILE *out;
static int linktype = LT_EN10MB;
static uint64_t now_us = 1795926367ull * 1000000ull; /* 2026-11-29T04:26:07Z */
static unsigned long long n_written;
static int vlan_next;   /* tag the next Ethernet frame (fixture only) */

typedef struct {
  int family;
  uint8_t a[16];
} addr;

static addr v4(int a, int b, int c, int d)
{
  addr x;
  memset(&x, 0, sizeof(x));
  x.family = 4;
  x.a[0] = (uint8_t)a; x.a[1] = (uint8_t)b; x.a[2] = (uint8_t)c; x.a[3] = (uint8_t)d;
  return x;
}

/* fd00:<net>::<host> */
static addr v6(int net, int host)
{
  addr x;
  memset(&x, 0, sizeof(x));
  x.family = 6;
  x.a[0] = 0xfd;
  x.a[2] = (uint8_t)(net >> 8); x.a[3] = (uint8_t)net;
  x.a[14] = (uint8_t)(host >> 8); x.a[15] = (uint8_t)host;
  return x;
}

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }
static void le32(uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
  for(size_t i = 0; i + 1 < n; i += 2)
    s += (uint32_t)(p[i] << 8 | p[i + 1]);
  if(n & 1)
    s += (uint32_t)(p[n - 1] << 8);
  return s;
}

static unsigned fold(uint32_t s)
{
  while(s >> 16)
    s = (s & 0xffff) + (s >> 16);
  return (~s) & 0xffff;
}

/* Transport checksum with the pseudo-header. */
static unsigned l4sum(const addr *s, const addr *d, int proto, const uint8_t *p,
                      size_t n)
{
  uint32_t x = 0;
  size_t al = s->family == 4 ? 4 : 16;
  x = sum16(s->a, al, x);
  x = sum16(d->a, al, x);
  x += (uint32_t)proto + (uint32_t)n;
  return fold(sum16(p, n, x));
}

/* An IP packet around payload (already holding its checksum) into buf. */
static size_t ip_wrap(uint8_t *buf, const addr *s, const addr *d, int proto,
                      const uint8_t *pl, size_t n)
{
  static unsigned ipid;
  if(s->family == 4) {
    memset(buf, 0, 20);
    buf[0] = 0x45;
    put16(buf + 2, (unsigned)(20 + n));
    put16(buf + 4, ++ipid & 0xffff);
    buf[6] = 0x40; /* DF */
    buf[8] = 64;
    buf[9] = (uint8_t)proto;
    memcpy(buf + 12, s->a, 4);
    memcpy(buf + 16, d->a, 4);
    put16(buf + 10, fold(sum16(buf, 20, 0)));
    memcpy(buf + 20, pl, n);
    return 20 + n;
  }
  memset(buf, 0, 40);
  buf[0] = 0x60;
  put16(buf + 4, (unsigned)n);
  buf[6] = (uint8_t)proto;
  buf[7] = 64;
  memcpy(buf + 8, s->a, 16);
  memcpy(buf + 24, d->a, 16);
  memcpy(buf + 40, pl, n);
  return 40 + n;
}

static void emit(const uint8_t *ip, size_t n, int family, int outgoing)
{
  uint8_t f[2048], rec[16];
  size_t h = 0;
  unsigned et = family == 4 ? 0x0800 : 0x86DD;
  switch(linktype) {
  case LT_EN10MB:
    memcpy(f, outgoing ? "\x02\x00\x00\x00\x00\x02" : "\x02\x00\x00\x00\x00\x01", 6);
    memcpy(f + 6, outgoing ? "\x02\x00\x00\x00\x00\x01" : "\x02\x00\x00\x00\x00\x02", 6);
    h = 12;
    if(vlan_next) {
      put16(f + h, 0x8100);
      put16(f + h + 2, 20);
      h += 4;
      vlan_next = 0;
    }
    put16(f + h, et);
    h += 2;
    break;
  case LT_SLL:
    memset(f, 0, 16);
    put16(f, outgoing ? 4 : 0);
    put16(f + 2, 1);
    put16(f + 4, 6);
    memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
    put16(f + 14, et);
    h = 16;
    break;
  case LT_SLL2:
    memset(f, 0, 20);
    put16(f, et);
    put32(f + 4, 2);          /* interface index */
    put16(f + 8, 1);
    f[10] = outgoing ? 4 : 0;
    f[11] = 6;
    memcpy(f + 12, "\x02\x00\x00\x00\x00\x01", 6);
    h = 20;
    break;
  case LT_NULL:
    le32(f, family == 4 ? 2 : 30); /* AF_INET6 as macOS writes it */
    h = 4;
    break;
  default:
    break;
  }
  memcpy(f + h, ip, n);
  le32(rec, (uint32_t)(now_us / 1000000));
  le32(rec + 4, (uint32_t)(now_us % 1000000));
  le32(rec + 8, (uint32_t)(h + n));
  le32(rec + 12, (uint32_t)(h + n));
  fwrite(rec, 1, 16, out);
  fwrite(f, 1, h + n, out);
  n_written++;
}

static void emit_arp(void)
{
  uint8_t rec[16], f[42];
  memset(f, 0, sizeof(f));
  memset(f, 0xff, 6);
  memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
  put16(f + 12, 0x0806);
  le32(rec, (uint32_t)(now_us / 1000000));
  le32(rec + 4, (uint32_t)(now_us % 1000000));
  le32(rec + 8, sizeof(f));
  le32(rec + 12, sizeof(f));
  fwrite(rec, 1, 16, out);
  fwrite(f, 1, sizeof(f), out);
  n_written++;
}

static size_t tcp_seg(uint8_t *t, const addr *s, int sp, const addr *d, int dp,
                      int flags, size_t datalen)
{
  memset(t, 0, 20 + datalen);
  put16(t, (unsigned)sp);
  put16(t + 2, (unsigned)dp);
  put32(t + 4, 1000u + (unsigned)sp);
  put32(t + 8, (flags & F_ACK) ? 2000u + (unsigned)dp : 0);
  t[12] = 5 << 4;
  t[13] = (uint8_t)flags;
  put16(t + 14, 64240);
  for(size_t i = 0; i < datalen; i++)
    t[20 + i] = (uint8_t)('a' + i % 26);
  put16(t + 16, l4sum(s, d, 6, t, 20 + datalen));
  return 20 + datalen;
}

/* A TCP segment from s to d; outgoing says which way it crossed the
 * capturing host (for the cooked headers only). */
static void tcp(const addr *s, int sp, const addr *d, int dp, int flags,
                size_t datalen, int outgoing)
{
  uint8_t t[1600], ip[1700];
  size_t n = tcp_seg(t, s, sp, d, dp, flags, datalen);
  emit(ip, ip_wrap(ip, s, d, 6, t, n), s->family, outgoing);
}

/* An ICMP(v6) destination unreachable from router r about the SYN cs:cp ->
 * ss:sp; quote8 quotes only 8 bytes of TCP, as RFC 792 allows. */
static void unreach(const addr *r, const addr *cs, int cp, const addr *ss,
                    int sp, int code, int quote8)
{
  uint8_t t[64], q[128], m[256], ip[400];
  size_t tn = tcp_seg(t, cs, cp, ss, sp, F_SYN, 0), qn, mn;
  qn = ip_wrap(q, cs, ss, 6, t, quote8 ? 8 : tn);
  if(cs->family == 4) {
    put16(q + 2, (unsigned)(20 + tn)); /* the original's length */
    put16(q + 10, 0);
    put16(q + 10, fold(sum16(q, 20, 0)));
  }
  else
    put16(q + 4, (unsigned)tn);
  memset(m, 0, 8);
  m[0] = cs->family == 4 ? 3 : 1;
  m[1] = (uint8_t)code;
  memcpy(m + 8, q, qn);
  mn = 8 + qn;
  if(cs->family == 4)
    put16(m + 2, fold(sum16(m, mn, 0)));
  else
    put16(m + 2, l4sum(r, cs, 58, m, mn));
  emit(ip, ip_wrap(ip, r, cs, cs->family == 4 ? 1 : 58, m, mn), cs->family, 0);
}

static void udp_noise(const addr *s, const addr *d)
{
  uint8_t u[40], ip[100];
  memset(u, 0, sizeof(u));
  put16(u, 53000);
  put16(u + 2, 53);
  put16(u + 4, sizeof(u));
  emit(ip, ip_wrap(ip, s, d, 17, u, sizeof(u)), s->family, 1);
}

static void tick(uint64_t us) { now_us += us; }

/* A full open handshake with a little data and a close. */
static void open_flow(const addr *c, int cp, const addr *s, int sp, int data)
{
  tcp(c, cp, s, sp, F_SYN, 0, 0); tick(300);
  tcp(s, sp, c, cp, F_SYN | F_ACK, 0, 1); tick(300);
  tcp(c, cp, s, sp, F_ACK, 0, 0); tick(200);
  for(int i = 0; i < data; i++) {
    tcp(c, cp, s, sp, F_ACK | F_PSH, 120, 0); tick(150);
    tcp(s, sp, c, cp, F_ACK | F_PSH, 400, 1); tick(150);
  }
  tcp(c, cp, s, sp, F_FIN | F_ACK, 0, 0); tick(100);
  tcp(s, sp, c, cp, F_FIN | F_ACK, 0, 1); tick(100);
  tcp(c, cp, s, sp, F_ACK, 0, 0); tick(1000);
}

static void fixture(void)
{
  addr c = v4(10, 0, 20, 15), c2 = v4(10, 0, 20, 16), s = v4(2, 0, 1, 10);
  addr rt = v4(10, 0, 20, 1), out_of_range = v4(192, 168, 5, 5);
  addr c6 = v6(0x20, 0x15), s6 = v6(1, 0x10);

  if(linktype == LT_EN10MB)
    emit_arp();
  tick(1000);
  vlan_next = 1;
  open_flow(&c, 40001, &s, 8998, 2);                           /* open */
  tcp(&c, 40002, &s, 10000, F_SYN, 0, 0);            tick(250);
  tcp(&s, 10000, &c, 40002, F_RST | F_ACK, 0, 1);    tick(1000); /* closed */
  tcp(&c, 40003, &s, 8889, F_SYN, 0, 0);             tick(1000000);
  tcp(&c, 40003, &s, 8889, F_SYN, 0, 0);             tick(2000000);
  tcp(&c, 40003, &s, 8889, F_SYN, 0, 0);             tick(1000); /* filtered */
  {
    addr s11 = v4(2, 0, 1, 11), s12 = v4(2, 0, 1, 12);
    addr s13 = v4(2, 0, 1, 13), s14 = v4(2, 0, 1, 14);
    tcp(&c, 40004, &s11, 8998, F_SYN, 0, 0);         tick(400);
    unreach(&s11, &c, 40004, &s11, 8998, 13, 0);     tick(1000);
    tcp(&c, 40005, &s12, 8998, F_SYN, 0, 0);         tick(400);
    unreach(&rt, &c, 40005, &s12, 8998, 1, 1);       tick(1000);
    tcp(&c, 40012, &s13, 10000, F_SYN, 0, 0);        tick(400);
    unreach(&s13, &c, 40012, &s13, 10000, 3, 0);     tick(1000);
    tcp(&c, 40013, &s14, 8889, F_SYN, 0, 0);         tick(400);
    unreach(&rt, &c, 40013, &s14, 8889, 0, 0);       tick(1000);
  }
  tcp(&c, 40006, &s, 10000, F_SYN, 0, 0);            tick(300);
  tcp(&s, 10000, &c, 40006, F_SYN | F_ACK, 0, 1);    tick(300);
  tcp(&c, 40006, &s, 10000, F_RST, 0, 0);            tick(1000); /* nmap -sS */
  tcp(&c6, 40007, &s6, 8998, F_SYN, 0, 0);           tick(300);
  tcp(&s6, 8998, &c6, 40007, F_SYN | F_ACK, 0, 1);   tick(1000);
  tcp(&c6, 40008, &s6, 8889, F_SYN, 0, 0);           tick(300);
  unreach(&s6, &c6, 40008, &s6, 8889, 1, 0);         tick(1000);
  tcp(&s, 8998, &c2, 40009, F_SYN | F_ACK, 0, 1);    tick(300);  /* late start */
  tcp(&c2, 40009, &s, 8998, F_ACK, 0, 0);            tick(1000);
  open_flow(&c, 40010, &s, 22, 1);                             /* unwatched */
  tcp(&out_of_range, 40011, &s, 8998, F_SYN, 0, 0);  tick(300);
  tcp(&s, 8998, &out_of_range, 40011, F_SYN | F_ACK, 0, 1); tick(1000);
  udp_noise(&c, &rt);                                tick(1000);
}

static uint64_t rng_state = 0x853c49e6748fea9bull;
static uint32_t rnd(void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 16);
}

static void bulk(unsigned long long want)
{
  static const int watched[] = {8998, 10000, 8889};
  static const int other[] = {22, 443, 5432, 8088, 18080};
  addr rt = v4(10, 0, 20, 1);
  for(unsigned long long k = 0; n_written < want; k++) {
    int six = (k % 10) == 9;
    addr c = six ? v6(0x20, (int)(k % 250) + 2) : v4(10, 0, 20, (int)(k % 250) + 2);
    addr s = six ? v6(1, (int)(rnd() % 8) + 10) : v4(2, 0, 1, (int)(rnd() % 8) + 10);
    int cp = 32768 + (int)((k / 250) % 28000);
    int sp = watched[rnd() % 3];
    uint32_t kind = rnd() % 100;
    if(kind < 35)
      open_flow(&c, cp, &s, sp, (int)(rnd() % 4));
    else if(kind < 55) {
      tcp(&c, cp, &s, sp, F_SYN, 0, 0); tick(200);
      tcp(&s, sp, &c, cp, F_RST | F_ACK, 0, 1); tick(500);
    }
    else if(kind < 70) {
      int tries = 1 + (int)(rnd() % 4);
      for(int i = 0; i < tries; i++) {
        tcp(&c, cp, &s, sp, F_SYN, 0, 0); tick(1000);
      }
    }
    else if(kind < 80) {
      tcp(&c, cp, &s, sp, F_SYN, 0, 0); tick(300);
      if(rnd() % 2)
        unreach(&s, &c, cp, &s, sp, six ? 1 : 13, 0);
      else
        unreach(six ? &s : &rt, &c, cp, &s, sp, six ? 3 : 1, 0);
      tick(500);
    }
    else if(kind < 95)
      open_flow(&c, cp, &s, other[rnd() % 5], (int)(rnd() % 6));
    else {
      udp_noise(&c, &rt); tick(100);
    }
  }
}

static int usage(void)
{
  fputs("usage: gen_pcap (--fixture | --packets N) [--linktype "
        "en10mb|sll|sll2|raw|null] [--seed S] -o FILE\n", stderr);
  return 2;
}

int main(int argc, char **argv)
{
  const char *path = NULL;
  unsigned long long packets = 0;
  int fix = 0;
  uint8_t gh[24];
  for(int i = 1; i < argc; i++) {
    char *end;
    if(!strcmp(argv[i], "--fixture"))
      fix = 1;
    else if(!strcmp(argv[i], "-o") && i + 1 < argc)
      path = argv[++i];
    else if(!strcmp(argv[i], "--packets") && i + 1 < argc) {
      errno = 0;
      packets = strtoull(argv[++i], &end, 10);
      if(errno || *end || !packets)
        return usage();
    }
    else if(!strcmp(argv[i], "--seed") && i + 1 < argc) {
      errno = 0;
      rng_state = strtoull(argv[++i], &end, 10) * 2654435761ull + 1;
      if(errno || *end)
        return usage();
    }
    else if(!strcmp(argv[i], "--linktype") && i + 1 < argc) {
      const char *l = argv[++i];
      if(!strcmp(l, "en10mb")) linktype = LT_EN10MB;
      else if(!strcmp(l, "sll")) linktype = LT_SLL;
      else if(!strcmp(l, "sll2")) linktype = LT_SLL2;
      else if(!strcmp(l, "raw")) linktype = LT_RAW;
      else if(!strcmp(l, "null")) linktype = LT_NULL;
      else return usage();
    }
    else
      return usage();
  }
  if(!path || (!fix && !packets))
    return usage();
  out = fopen(path, "wb");
  if(!out) {
    perror(path);
    return 1;
  }
  le32(gh, 0xa1b2c3d4);
  gh[4] = 2; gh[5] = 0; gh[6] = 4; gh[7] = 0;
  memset(gh + 8, 0, 8);
  le32(gh + 16, 262144);
  le32(gh + 20, (uint32_t)linktype);
  fwrite(gh, 1, sizeof(gh), out);
  if(fix)
    fixture();
  else
    bulk(packets);
  if(fclose(out) != 0) {
    perror(path);
    return 1;
  }
  fprintf(stderr, "%s: %llu packets\n", path, n_written);
  return 0;
}
