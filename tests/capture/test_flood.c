/* Issue 13 item 7: flow-table hash flooding. The tracker's old hash had
 * no secret and could be inverted, so SYNs could be made that all land in
 * one slot: every new flow then walked the whole run (262,144 flows took
 * 147 s against 11 s). The hash is now SipHash with a key drawn per run.
 *
 *   test_flood            correctness, bounded (label capture): the
 *                         SipHash reference vector; 8,192 flows made to
 *                         collide under the old hash are all tracked, and
 *                         seen again without new flows.
 *   test_flood --bench    figures (label bench): feed N random flows and N
 *                         flows crafted against the old hash, N up to the
 *                         tracker's limit, and print the time of each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "common/siphash.h"
#include "probes/tracker.h"

#define K1 0x9e3779b97f4a7c15ULL
#define K2 0xbf58476d1ce4e5b9ULL
#define K3 0x94d049bb133111ebULL
#define M1 0xff51afd7ed558ccdULL
#define M2 0xc4ceb9fe1a85ec53ULL

static uint64_t inv(uint64_t c)
{
  uint64_t x = c;
  for(int i = 0; i < 6; i++)
    x *= 2 - c * x;
  return x;
}

/* the old finaliser and its inverse (x ^= x >> 33 undoes itself) */
static uint64_t mix64(uint64_t x)
{
  x ^= x >> 33; x *= M1; x ^= x >> 33; x *= M2; x ^= x >> 33;
  return x;
}
static uint64_t unmix64(uint64_t x)
{
  x ^= x >> 33; x *= inv(M2); x ^= x >> 33; x *= inv(M1); x ^= x >> 33;
  return x;
}
static uint64_t old_endpoint(const uint8_t *a, uint16_t port)
{
  uint64_t lo, hi;
  memcpy(&lo, a, 8);
  memcpy(&hi, a + 8, 8);
  return mix64(lo * K1 ^ hi * K2 ^ (uint64_t)port * K3);
}

static const uint8_t server[16] = {0xfd, 0, 0, 0x99, 0, 0, 0, 0,
                                   0, 0, 0, 0, 0, 0, 0, 2};
#define SPORT 40000
#define DPORT 8998

/* Client i's address: crafted so that the old hash of the flow is the
 * same in its low 24 bits for every i (one home slot in any table up to
 * 16 M slots), or random. */
static void client(size_t i, bool crafted, uint8_t out[16])
{
  uint64_t hi = 0x0a0b0c0d00000000ULL, lo;
  if(crafted) {
    uint64_t want = ((uint64_t)i << 24) | 0x5a5a5a;
    uint64_t x = unmix64(want) ^ old_endpoint(server, DPORT) ^ 6;
    uint64_t y = unmix64(x);
    lo = (y ^ hi * K2 ^ (uint64_t)SPORT * K3) * inv(K1);
  }
  else
    lo = ((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 11) ^ (uint64_t)i;
  memcpy(out, &lo, 8);
  memcpy(out + 8, &hi, 8);
}

static bool syn(pr_tracker *t, const uint8_t src[16])
{
  uint8_t p[60];
  struct timeval ts = {1, 0};
  memset(p, 0, sizeof(p));
  p[0] = 0x60;
  p[5] = 20;
  p[6] = 6;
  p[7] = 64;
  memcpy(p + 8, src, 16);
  memcpy(p + 24, server, 16);
  p[40] = SPORT >> 8; p[41] = SPORT & 0xff;
  p[42] = DPORT >> 8; p[43] = DPORT & 0xff;
  p[52] = 0x50;
  p[53] = 0x02;
  return pr_tracker_feed(t, p, sizeof(p), PR_DLT_RAW, ts);
}

static pr_tracker *tracker(void)
{
  static const int ports[] = {DPORT};
  pr_tracker_config c;
  memset(&c, 0, sizeof(c));
  c.ports = ports;
  c.n_ports = 1;
  c.side = "emr";
  return pr_tracker_new(&c);
}

static double feed_ms(size_t n, bool crafted, size_t *flows)
{
  struct timespec a, b;
  pr_tracker *t = tracker();
  uint8_t src[16];
  srand(7);
  clock_gettime(CLOCK_MONOTONIC, &a);
  for(size_t i = 0; i < n; i++) {
    client(i, crafted, src);
    syn(t, src);
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  *flows = pr_tracker_flow_count(t);
  pr_tracker_free(t);
  return (double)(b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
}

static int bench(void)
{
  static const size_t sizes[] = {16384, 65536, 131072, PR_TRACKER_MAX_FLOWS};
  printf("flows      random (ms)   crafted against the old hash (ms)\n");
  for(size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
    size_t fr, fc;
    double r = feed_ms(sizes[k], false, &fr);
    double c = feed_ms(sizes[k], true, &fc);
    printf("%7zu  %10.1f     %10.1f   (flows kept %zu / %zu)\n", sizes[k], r,
           c, fr, fc);
  }
  return 0;
}

int main(int argc, char **argv)
{
  /* SipHash-2-4 reference: key 00..0f, message 00..0e */
  uint64_t key[2];
  uint8_t kb[16], msg[15];
  uint8_t src[16];
  pr_tracker *t;
  size_t n = 8192;
  if(argc > 1 && !strcmp(argv[1], "--bench"))
    return bench();
  for(int i = 0; i < 16; i++)
    kb[i] = (uint8_t)i;
  for(int i = 0; i < 15; i++)
    msg[i] = (uint8_t)i;
  memcpy(key, kb, 16);   /* little-endian words, as the reference reads */
  CHECK(xd_siphash24(key, msg, sizeof(msg)) == 0xa129ca6149be45e5ULL);

  /* the crafted set does collide under the old hash... */
  {
    uint8_t a[16], b[16];
    client(1, true, a);
    client(2, true, b);
    CHECK(((mix64(old_endpoint(a, SPORT) ^ old_endpoint(server, DPORT) ^ 6) ^
            mix64(old_endpoint(b, SPORT) ^ old_endpoint(server, DPORT) ^ 6)) &
           0xffffff) == 0);
  }
  /* ...and every one of its flows is tracked, and found again */
  t = tracker();
  CHECK(t != NULL);
  for(size_t i = 0; t && i < n; i++) {
    client(i, true, src);
    CHECK(syn(t, src));
  }
  CHECK(t && pr_tracker_flow_count(t) == n);
  for(size_t i = 0; t && i < n; i++) {
    client(i, true, src);
    syn(t, src);
  }
  CHECK(t && pr_tracker_flow_count(t) == n);
  CHECK(t && pr_tracker_get_stats(t).flows_dropped == 0);
  pr_tracker_free(t);
  /* two trackers do not share a key */
  xd_random_key(key);
  {
    uint64_t k2[2];
    xd_random_key(k2);
    CHECK(key[0] != k2[0] || key[1] != k2[1]);
  }
  return CHECK_DONE();
}
