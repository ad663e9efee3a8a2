/* The handshake tracker, fed hand-built frames: every link type, both IP
 * versions, flow naming from either side, the ICMP words, the filters, and
 * bytes that are short or random (which must never crash it). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/observations.h"
#include "probes/tracker.h"

/* ---- frame builder --------------------------------------------------- */

typedef struct {
  int family;
  uint8_t a[16];
} addr;

static addr A4(int a, int b, int c, int d)
{
  addr x = {4, {0}};
  x.a[0] = (uint8_t)a; x.a[1] = (uint8_t)b; x.a[2] = (uint8_t)c; x.a[3] = (uint8_t)d;
  return x;
}

static addr A6(int last)
{
  addr x = {6, {0}};
  x.a[0] = 0xfd;
  x.a[15] = (uint8_t)last;
  return x;
}

static void p16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* IP header + payload into b; returns the length. ext6 adds an IPv6
 * hop-by-hop header in front of the payload. */
static size_t ip(uint8_t *b, const addr *s, const addr *d, int proto,
                 const uint8_t *pl, size_t n, int ext6)
{
  if(s->family == 4) {
    memset(b, 0, 20);
    b[0] = 0x45;
    p16(b + 2, (unsigned)(20 + n));
    b[8] = 64;
    b[9] = (uint8_t)proto;
    memcpy(b + 12, s->a, 4);
    memcpy(b + 16, d->a, 4);
    memcpy(b + 20, pl, n);
    return 20 + n;
  }
  memset(b, 0, 48);
  b[0] = 0x60;
  b[6] = (uint8_t)(ext6 ? 0 : proto);
  b[7] = 64;
  memcpy(b + 8, s->a, 16);
  memcpy(b + 24, d->a, 16);
  if(ext6) {
    b[40] = (uint8_t)proto;
    b[41] = 0;           /* 8 bytes */
    memcpy(b + 48, pl, n);
    p16(b + 4, (unsigned)(n + 8));
    return 48 + n;
  }
  p16(b + 4, (unsigned)n);
  memcpy(b + 40, pl, n);
  return 40 + n;
}

static size_t tcph(uint8_t *t, int sp, int dp, int flags)
{
  memset(t, 0, 20);
  p16(t, (unsigned)sp);
  p16(t + 2, (unsigned)dp);
  t[12] = 0x50;
  t[13] = (uint8_t)flags;
  return 20;
}

/* Wrap an IP packet in the link header of linktype; returns the length. */
static size_t link(uint8_t *f, int lt, const uint8_t *p, size_t n, int family)
{
  size_t h = 0;
  unsigned et = family == 4 ? 0x0800 : 0x86DD;
  memset(f, 0, 24);
  switch(lt) {
  case PR_DLT_EN10MB: p16(f + 12, et); h = 14; break;
  case -1: /* Ethernet with a VLAN tag */
    p16(f + 12, 0x8100); p16(f + 14, 7); p16(f + 16, et); h = 18; break;
  case PR_DLT_LINUX_SLL: p16(f + 14, et); h = 16; break;
  case PR_DLT_LINUX_SLL2: p16(f, et); h = 20; break;
  case PR_DLT_NULL: f[0] = family == 4 ? 2 : 10; h = 4; break;
  case PR_DLT_LOOP: f[3] = family == 4 ? 2 : 24; h = 4; break;
  default: h = 0; break;
  }
  memcpy(f + h, p, n);
  return h + n;
}

static const int ports[] = {8998, 10000, 8889};

static pr_tracker *mk(const xd_cidr *peers, size_t np, const char *side)
{
  pr_tracker_config c = {ports, 3, peers, np, side, 0};
  return pr_tracker_new(&c);
}

static struct timeval T(long s, long us)
{
  struct timeval t;
  t.tv_sec = 1795926367 + s;
  t.tv_usec = us;
  return t;
}

/* Feed one TCP segment as frame of lt. */
static bool seg(pr_tracker *t, int lt, const addr *s, int sp, const addr *d,
                int dp, int flags, struct timeval ts)
{
  uint8_t th[20], p[128], f[160];
  size_t n = ip(p, s, d, 6, th, tcph(th, sp, dp, flags), 0);
  int real = lt == -1 ? PR_DLT_EN10MB : lt;
  return pr_tracker_feed(t, f, link(f, lt, p, n, s->family), real, ts);
}

/* An ICMP(v6) unreachable from r quoting the SYN c:cp -> s:sp, with
 * quote bytes of its TCP header. */
static bool unreach(pr_tracker *t, const addr *r, const addr *c, int cp,
                    const addr *s, int sp, int type, int code, size_t quote)
{
  uint8_t th[20], q[128], m[200], p[260], f[300];
  size_t qn, n;
  tcph(th, cp, sp, 0x02);
  qn = ip(q, c, s, 6, th, quote, 0);
  memset(m, 0, 8);
  m[0] = (uint8_t)type;
  m[1] = (uint8_t)code;
  memcpy(m + 8, q, qn);
  n = ip(p, r, c, c->family == 4 ? 1 : 58, m, 8 + qn, 0);
  return pr_tracker_feed(t, f, link(f, PR_DLT_EN10MB, p, n, c->family),
                         PR_DLT_EN10MB, T(5, 0));
}

static cJSON *flows(pr_tracker *t)
{
  cJSON *a = cJSON_CreateArray();
  xd_err e = {0};
  CHECK(pr_tracker_flows(t, a, &e) == XD_OK);
  return a;
}

static long num(const cJSON *o, const char *k)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) ? (long)v->valuedouble : -1;
}

static const char *str(const cJSON *o, const char *k)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- tests ------------------------------------------------------------ */

static void test_linktypes(void)
{
  static const int lts[] = {PR_DLT_EN10MB, -1, PR_DLT_LINUX_SLL,
    PR_DLT_LINUX_SLL2, PR_DLT_RAW, PR_DLT_LINKTYPE_RAW, PR_DLT_NULL,
    PR_DLT_LOOP};
  addr c4 = A4(10, 0, 20, 15), s4 = A4(2, 0, 1, 10), c6 = A6(1), s6 = A6(2);
  for(size_t i = 0; i < sizeof(lts) / sizeof(lts[0]); i++) {
    pr_tracker *t = mk(NULL, 0, "studio");
    cJSON *a;
    CHECK(seg(t, lts[i], &c4, 40000, &s4, 8998, 0x02, T(0, 1)));
    CHECK(seg(t, lts[i], &s4, 8998, &c4, 40000, 0x12, T(0, 2)));
    CHECK(seg(t, lts[i], &c6, 40001, &s6, 10000, 0x02, T(0, 3)));
    CHECK(seg(t, lts[i], &s6, 10000, &c6, 40001, 0x14, T(0, 4)));
    CHECK_INT(pr_tracker_flow_count(t), 2);
    a = flows(t);
    CHECK_STR(str(cJSON_GetArrayItem(a, 0), "src"), "10.0.20.15:40000");
    CHECK_STR(str(cJSON_GetArrayItem(a, 0), "dst"), "2.0.1.10:8998");
    CHECK_INT(num(cJSON_GetArrayItem(a, 0), "syn_ack"), 1);
    CHECK_STR(str(cJSON_GetArrayItem(a, 1), "src"), "[fd00::1]:40001");
    CHECK_STR(str(cJSON_GetArrayItem(a, 1), "dst"), "[fd00::2]:10000");
    CHECK_INT(num(cJSON_GetArrayItem(a, 1), "rst"), 1);
    CHECK_STR(str(cJSON_GetArrayItem(a, 1), "where"), "studio");
    cJSON_Delete(a);
    pr_tracker_free(t);
  }
  CHECK(!pr_tracker_linktype_ok(105));
}

static void test_naming_and_counts(void)
{
  addr c = A4(10, 0, 20, 15), s = A4(2, 0, 1, 10);
  pr_tracker *t = mk(NULL, 0, "emr");
  cJSON *a, *f;
  /* the server's SYN-ACK first (capture started late): still named from
   * the client */
  CHECK(seg(t, PR_DLT_EN10MB, &s, 8998, &c, 41000, 0x12, T(1, 0)));
  CHECK(seg(t, PR_DLT_EN10MB, &c, 41000, &s, 8998, 0x04, T(1, 500)));
  /* retransmitted SYNs, then the server's reset */
  CHECK(seg(t, PR_DLT_EN10MB, &c, 41001, &s, 10000, 0x02, T(2, 0)));
  CHECK(seg(t, PR_DLT_EN10MB, &c, 41001, &s, 10000, 0x02, T(3, 0)));
  CHECK(seg(t, PR_DLT_EN10MB, &c, 41001, &s, 10000, 0x02, T(5, 250000)));
  CHECK(seg(t, PR_DLT_EN10MB, &s, 10000, &c, 41001, 0x14, T(5, 250100)));
  /* a bare ACK, a data segment and a FIN count toward nothing */
  CHECK(!seg(t, PR_DLT_EN10MB, &c, 41000, &s, 8998, 0x10, T(6, 0)));
  CHECK(!seg(t, PR_DLT_EN10MB, &c, 41000, &s, 8998, 0x18, T(6, 0)));
  CHECK(!seg(t, PR_DLT_EN10MB, &c, 41000, &s, 8998, 0x11, T(6, 0)));
  /* an RST with neither side on a watched port: no flow */
  CHECK(!seg(t, PR_DLT_EN10MB, &c, 41002, &s, 22, 0x04, T(7, 0)));
  CHECK_INT(pr_tracker_flow_count(t), 2);
  a = flows(t);
  f = cJSON_GetArrayItem(a, 0);
  CHECK_STR(str(f, "src"), "10.0.20.15:41000");
  CHECK_STR(str(f, "dst"), "2.0.1.10:8998");
  CHECK_INT(num(f, "syn"), 0);
  CHECK_INT(num(f, "syn_ack"), 1);
  CHECK_INT(num(f, "rst"), 0);
  CHECK_INT(num(f, "client_rst"), 1);
  CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(f, "icmp")));
  CHECK_STR(str(f, "where"), "emr");
  f = cJSON_GetArrayItem(a, 1);
  CHECK_INT(num(f, "syn"), 3);
  CHECK_INT(num(f, "rst"), 1);
  CHECK_INT(num(f, "client_rst"), 0);
  CHECK_STR(str(f, "first"), "2026-11-29T04:26:09.000000Z");
  CHECK_STR(str(f, "last"), "2026-11-29T04:26:12.250100Z");
  cJSON_Delete(a);
  pr_tracker_free(t);
}

static void test_icmp(void)
{
  addr c = A4(10, 0, 20, 15), s = A4(2, 0, 1, 10), rt = A4(10, 0, 20, 1);
  addr c6 = A6(1), s6 = A6(2);
  pr_tracker *t = mk(NULL, 0, "studio");
  cJSON *a, *f;
  CHECK(seg(t, PR_DLT_EN10MB, &c, 42000, &s, 8998, 0x02, T(0, 0)));
  CHECK(unreach(t, &s, &c, 42000, &s, 8998, 3, 13, 20));
  /* a router quoting only 8 bytes of TCP, for a SYN it never saw */
  CHECK(unreach(t, &rt, &c, 42001, &s, 8889, 3, 1, 8));
  CHECK(unreach(t, &s6, &c6, 42002, &s6, 10000, 1, 1, 20));
  /* fragmentation needed, echo reply, and a quote of an unwatched port
   * are not unreachables of ours */
  CHECK(!unreach(t, &rt, &c, 42003, &s, 8998, 3, 4, 20));
  CHECK(!unreach(t, &rt, &c, 42004, &s, 8998, 0, 0, 20));
  CHECK(!unreach(t, &rt, &c, 42005, &s, 443, 3, 13, 20));
  /* a quote cut inside the ports */
  CHECK(!unreach(t, &rt, &c, 42006, &s, 8998, 3, 13, 2));
  a = flows(t);
  CHECK_INT(cJSON_GetArraySize(a), 3);
  f = cJSON_GetArrayItem(a, 0);
  CHECK_STR(str(f, "icmp"), "admin-prohibited");
  CHECK_INT(num(f, "syn"), 1);
  CHECK_INT(num(f, "icmp_code"), 13);
  CHECK_STR(str(f, "icmp_from"), "2.0.1.10");
  f = cJSON_GetArrayItem(a, 1);
  CHECK_STR(str(f, "src"), "10.0.20.15:42001");
  CHECK_STR(str(f, "dst"), "2.0.1.10:8889");
  CHECK_STR(str(f, "icmp"), "host-unreach");
  CHECK_STR(str(f, "icmp_from"), "10.0.20.1");
  f = cJSON_GetArrayItem(a, 2);
  CHECK_STR(str(f, "src"), "[fd00::1]:42002");
  CHECK_STR(str(f, "icmp"), "admin-prohibited");
  cJSON_Delete(a);
  {
    /* the flows pass the observations schema check */
    cJSON *obs = xd_obs_new("studio", "h");
    xd_err e = {0};
    CHECK(pr_tracker_flows(t, cJSON_GetObjectItemCaseSensitive(obs, "flows"),
                           &e) == XD_OK);
    CHECK(xd_obs_check(obs, "obs", &e) == XD_OK);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(obs,
                                                                  "flows")), 3);
    cJSON_Delete(obs);
  }
  pr_tracker_free(t);

  CHECK_STR(pr_icmp_unreach_word(4, 0), "net-unreach");
  CHECK_STR(pr_icmp_unreach_word(4, 1), "host-unreach");
  CHECK_STR(pr_icmp_unreach_word(4, 2), "proto-unreach");
  CHECK_STR(pr_icmp_unreach_word(4, 3), "port-unreach");
  CHECK_STR(pr_icmp_unreach_word(4, 10), "admin-prohibited");
  CHECK_STR(pr_icmp_unreach_word(4, 13), "admin-prohibited");
  CHECK(pr_icmp_unreach_word(4, 4) == NULL);
  CHECK_STR(pr_icmp_unreach_word(6, 0), "net-unreach");
  CHECK_STR(pr_icmp_unreach_word(6, 1), "admin-prohibited");
  CHECK_STR(pr_icmp_unreach_word(6, 3), "host-unreach");
  CHECK_STR(pr_icmp_unreach_word(6, 4), "port-unreach");
}

static void test_peers_and_ip_options(void)
{
  xd_cidr peers[2];
  addr c = A4(10, 0, 20, 15), other = A4(192, 168, 1, 1), s = A4(2, 0, 1, 10);
  addr c6 = A6(1), s6 = A6(2);
  uint8_t th[20], p[128], f[160];
  size_t n;
  pr_tracker *t;
  CHECK(xd_cidr_parse("10.0.20.0/24", &peers[0]));
  CHECK(xd_cidr_parse("fd00::/64", &peers[1]));
  t = mk(peers, 2, "emr");
  CHECK(seg(t, PR_DLT_RAW, &c, 43000, &s, 8998, 0x02, T(0, 0)));
  CHECK(!seg(t, PR_DLT_RAW, &other, 43001, &s, 8998, 0x02, T(0, 0)));
  CHECK(!unreach(t, &s, &other, 43002, &s, 8998, 3, 13, 20));
  /* IPv6 behind a hop-by-hop header */
  n = ip(p, &c6, &s6, 6, th, tcph(th, 43003, 8889, 0x02), 1);
  CHECK(pr_tracker_feed(t, p, n, PR_DLT_RAW, T(0, 0)));
  /* a later IPv4 fragment carries no TCP header */
  n = ip(p, &c, &s, 6, th, tcph(th, 43004, 8889, 0x02), 0);
  p[7] = 0x10;
  CHECK(!pr_tracker_feed(t, p, n, PR_DLT_RAW, T(0, 0)));
  /* an unknown link type */
  n = link(f, PR_DLT_EN10MB, p, n, 4);
  CHECK(!pr_tracker_feed(t, f, n, 105, T(0, 0)));
  CHECK_INT(pr_tracker_flow_count(t), 2);
  CHECK_INT(pr_tracker_get_stats(t).kept, 2);
  pr_tracker_free(t);
}

/* Every prefix of valid frames, and random bytes under every link type:
 * never a crash, never a flow from a frame cut before the TCP flags. */
static void test_short_and_random(void)
{
  static const int lts[] = {PR_DLT_EN10MB, PR_DLT_LINUX_SLL, PR_DLT_LINUX_SLL2,
    PR_DLT_RAW, PR_DLT_NULL, PR_DLT_LOOP, PR_DLT_IPV4, PR_DLT_IPV6};
  addr c = A4(10, 0, 20, 15), s = A4(2, 0, 1, 10);
  uint8_t th[20], p[128], f[160], r[300];
  size_t n = ip(p, &c, &s, 6, th, tcph(th, 44000, 8998, 0x02), 0);
  size_t fl = link(f, PR_DLT_EN10MB, p, n, 4);
  pr_tracker *t = mk(NULL, 0, "studio");
  uint64_t x = 88172645463325252ull;
  for(size_t i = 0; i < fl; i++) {
    uint8_t *copy = malloc(i ? i : 1);
    memcpy(copy, f, i);
    /* the flags byte is the 14th of TCP: 14 + 20 + 14 bytes are needed */
    CHECK(pr_tracker_feed(t, copy, i, PR_DLT_EN10MB, T(0, 0)) == (i >= 48));
    free(copy);
  }
  CHECK(!pr_tracker_feed(t, NULL, 0, PR_DLT_EN10MB, T(0, 0)));
  for(int k = 0; k < 200000; k++) {
    size_t len;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    len = (size_t)(x % sizeof(r));
    for(size_t i = 0; i < len; i++) {
      x ^= x << 13; x ^= x >> 7; x ^= x << 17;
      r[i] = (uint8_t)x;
    }
    /* make some of them look like IP so the deeper code is reached */
    if(len > 30 && (k & 1)) {
      size_t h = (size_t)(k % 3) * 4;
      r[h] = (k & 2) ? 0x45 : 0x60;
      r[h + 9] = (k & 4) ? 6 : 1;
      r[h + 6] = (k & 4) ? 6 : 58;
    }
    pr_tracker_feed(t, r, len, lts[k % 8], T(0, 0));
  }
  CHECK(pr_tracker_get_stats(t).packets == fl + 1 + 200000);
  pr_tracker_free(t);
}

/* Many flows: the table grows and every flow is found again. */
static void test_many_flows(void)
{
  pr_tracker *t = mk(NULL, 0, "studio");
  addr s = A4(2, 0, 1, 10);
  cJSON *a, *f;
  long sa = 0;
  for(int i = 0; i < 100000; i++) {
    addr c = A4(10, 1, i / 250 % 250, i % 250 + 1);
    seg(t, PR_DLT_RAW, &c, 30000 + i % 7, &s, 8998, 0x02, T(0, 0));
  }
  for(int i = 0; i < 100000; i++) {
    addr c = A4(10, 1, i / 250 % 250, i % 250 + 1);
    seg(t, PR_DLT_RAW, &s, 8998, &c, 30000 + i % 7, 0x12, T(1, 0));
  }
  CHECK_INT(pr_tracker_flow_count(t), 100000);
  a = flows(t);
  cJSON_ArrayForEach(f, a)
    sa += num(f, "syn_ack") == 1 && num(f, "syn") == 1;
  CHECK_INT(sa, 100000);
  cJSON_Delete(a);
  pr_tracker_free(t);
}

/* Past the flow limit, packets of new flows are counted, not kept. */
static void test_flow_limit(void)
{
  pr_tracker *t = mk(NULL, 0, "studio");
  addr s = A4(2, 0, 1, 10);
  unsigned n = PR_TRACKER_MAX_FLOWS + 1000;
  for(unsigned i = 0; i < n; i++) {
    addr c = A4(10, (int)(i >> 16) & 255, (int)(i >> 8) & 255, (int)i & 255);
    seg(t, PR_DLT_RAW, &c, 40000, &s, 8889, 0x02, T(0, 0));
  }
  CHECK_INT(pr_tracker_flow_count(t), PR_TRACKER_MAX_FLOWS);
  CHECK_INT(pr_tracker_get_stats(t).flows_dropped, 1000);
  pr_tracker_free(t);
}

/* --max-flows: the bound is the caller's; flows past it are dropped and
 * counted; the flows kept come out one at a time, in the same order and
 * shape as the array pr_tracker_flows fills. */
static xd_rc collect(void *ud, const cJSON *fo, xd_err *e)
{
  (void)e;
  cJSON_AddItemToArray((cJSON *)ud, cJSON_Duplicate(fo, true));
  return XD_OK;
}

static xd_rc stop_at_two(void *ud, const cJSON *fo, xd_err *e)
{
  (void)fo;
  if(++*(int *)ud == 2)
    return xd_fail(e, XD_E_IO, "stop");
  return XD_OK;
}

static void test_max_flows_and_each(void)
{
  pr_tracker_config c = {ports, 3, NULL, 0, "emr", 3};
  pr_tracker *t = pr_tracker_new(&c);
  addr s = A4(2, 0, 1, 10);
  cJSON *all, *each = cJSON_CreateArray();
  xd_err e = {0};
  int calls = 0;
  CHECK(t != NULL);
  CHECK_INT(pr_tracker_max_flows(t), 3);
  for(int i = 0; i < 5; i++) {
    addr cl = A4(10, 0, 20, 10 + i);
    seg(t, PR_DLT_RAW, &cl, 40000 + i, &s, 8998, 0x02, T(i, 0));
    seg(t, PR_DLT_RAW, &cl, 40000 + i, &s, 8998, 0x02, T(i + 1, 0));
  }
  CHECK_INT(pr_tracker_flow_count(t), 3);
  CHECK_INT(pr_tracker_get_stats(t).flows_dropped, 4);
  all = flows(t);
  CHECK(pr_tracker_each_flow(t, collect, each, &e) == XD_OK);
  CHECK(cJSON_Compare(all, each, true));
  CHECK_STR(str(cJSON_GetArrayItem(each, 2), "src"), "10.0.20.12:40002");
  /* a writer's failure stops the walk and is returned */
  CHECK(pr_tracker_each_flow(t, stop_at_two, &calls, &e) == XD_E_IO);
  CHECK_INT(calls, 2);
  cJSON_Delete(all);
  cJSON_Delete(each);
  pr_tracker_free(t);
}

/* listen's text path: byte for byte what cJSON prints of each flow
 * object, for every kind of flow (both families, ICMP, large counts and
 * ports, timestamps in and across seconds, a side that needs escaping). */
static xd_rc keep(void *ud, xd_buf *b, xd_err *e)
{
  (void)b;
  (void)e;
  ++*(int *)ud;
  return XD_OK;
}

static xd_rc stop_text_at_two(void *ud, xd_buf *b, xd_err *e)
{
  (void)b;
  if(++*(int *)ud == 2)
    return xd_fail(e, XD_E_IO, "stop");
  return XD_OK;
}

static void test_text_same_as_cjson(void)
{
  static const int any[] = {8998, 65535, 10000};
  pr_tracker_config c = {any, 3, NULL, 0, "e\"\x01", 0};
  pr_tracker *t = pr_tracker_new(&c);
  addr s = A4(255, 255, 255, 254), c4 = A4(0, 0, 0, 0), rt = A4(10, 0, 20, 1);
  addr c6 = A6(1), s6 = A6(255);
  cJSON *a, *it;
  xd_buf text, want;
  xd_err e = {0};
  int calls = 0;
  CHECK(t != NULL);
  for(int i = 0; i < 12; i++)
    seg(t, PR_DLT_RAW, &c4, 65535, &s, 8998, 0x02, T(i / 5, 999999 - i));
  seg(t, PR_DLT_RAW, &s, 8998, &c4, 65535, 0x12, T(3, 0));
  seg(t, PR_DLT_RAW, &s, 8998, &c4, 65535, 0x04, T(3, 5));
  seg(t, PR_DLT_RAW, &c4, 65535, &s, 8998, 0x04, T(3, 6));
  seg(t, PR_DLT_RAW, &c6, 1, &s6, 65535, 0x02, T(100000, 1));
  CHECK(unreach(t, &rt, &c4, 42001, &s, 10000, 3, 13, 20));
  CHECK(unreach(t, &s6, &c6, 42002, &s6, 10000, 1, 4, 20));
  CHECK(unreach(t, &s, &c4, 42003, &s, 8998, 3, 3, 20));
  a = flows(t);
  CHECK_INT(cJSON_GetArraySize(a), 5);
  xd_buf_init(&text);
  xd_buf_init(&want);
  CHECK(pr_tracker_each_flow_text(t, &text, "\n  ", ",\n  ", keep, &calls,
                                  &e) == XD_OK);
  CHECK_INT(calls, 5);
  cJSON_ArrayForEach(it, a) {
    char *p = cJSON_PrintUnformatted(it);
    xd_buf_puts(&want, it == a->child ? "\n  " : ",\n  ");
    xd_buf_puts(&want, p);
    cJSON_free(p);
  }
  CHECK_STR(xd_buf_str(&text), xd_buf_str(&want));
  /* the writer's failure stops the walk and is returned */
  calls = 0;
  xd_buf_reset(&text);
  CHECK(pr_tracker_each_flow_text(t, &text, "", ",", stop_text_at_two,
                                  &calls, &e) == XD_E_IO);
  CHECK_INT(calls, 2);
  xd_buf_free(&text);
  xd_buf_free(&want);
  cJSON_Delete(a);
  pr_tracker_free(t);
}

static void test_ts(void)
{
  char b[64];
  struct timeval t = {1795926367, 42};
  pr_format_ts(t, b, sizeof(b));
  CHECK_STR(b, "2026-11-29T04:26:07.000042Z");
}

int main(void)
{
  test_linktypes();
  test_naming_and_counts();
  test_icmp();
  test_peers_and_ip_options();
  test_short_and_random();
  test_many_flows();
  test_flow_limit();
  test_max_flows_and_each();
  test_text_same_as_cjson();
  test_ts();
  return CHECK_DONE();
}
