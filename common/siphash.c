/* SipHash-2-4 with keys drawn per run: tables keyed by what outside input
 * chose (the capture's flow table, report de-duplication) cannot be aimed
 * at one slot (issue 13). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "siphash.h"

/* SipHash-2-4 (Aumasson and Bernstein) keyed with 128 random bits per
 * tracker: the flow table's slots cannot be predicted from outside, so
 * packets made to collide (from a pcap, or spoofed at a live listen)
 * cannot pile into one probe sequence. */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                          \
  do {                                                                    \
    v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);             \
    v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                \
    v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                \
    v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);             \
  } while(0)

static uint64_t le64(const uint8_t *p)
{
  uint64_t v = 0;
  for(int i = 7; i >= 0; i--)
    v = (v << 8) | p[i];
  return v;
}

uint64_t xd_siphash24(const uint64_t key[2], const uint8_t *in, size_t n)
{
  uint64_t v0 = 0x736f6d6570736575ULL ^ key[0];
  uint64_t v1 = 0x646f72616e646f6dULL ^ key[1];
  uint64_t v2 = 0x6c7967656e657261ULL ^ key[0];
  uint64_t v3 = 0x7465646279746573ULL ^ key[1];
  uint64_t b = (uint64_t)n << 56, m;
  size_t i, left = n & 7;
  for(i = 0; i + 8 <= n; i += 8) {
    m = le64(in + i);
    v3 ^= m;
    SIPROUND;
    SIPROUND;
    v0 ^= m;
  }
  for(size_t k = 0; k < left; k++)
    b |= (uint64_t)in[i + k] << (8 * k);
  v3 ^= b;
  SIPROUND;
  SIPROUND;
  v0 ^= b;
  v2 ^= 0xff;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}

/* 128 bits from the kernel; should getrandom fail (a very old kernel, a
 * seccomp jail), /dev/urandom; failing that, a mix of clocks and
 * addresses, which still differs per run. */
void xd_random_key(uint64_t key[2])
{
  struct timespec ts;
  ssize_t got = getrandom(key, 2 * sizeof(uint64_t), GRND_NONBLOCK);
  if(got == (ssize_t)(2 * sizeof(uint64_t)))
    return;
  {
    FILE *f = fopen("/dev/urandom", "rb");
    size_t n = f ? fread(key, sizeof(uint64_t), 2, f) : 0;
    if(f)
      fclose(f);
    if(n == 2)
      return;
  }
  clock_gettime(CLOCK_MONOTONIC, &ts);
  key[0] ^= (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
  key[1] ^= (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)key;
}


/* ---- a set of strings ---- */

static size_t slot_of(const xd_strset *s, const char *str)
{
  size_t mask = s->cap - 1;
  size_t j = (size_t)xd_siphash24(s->key, (const uint8_t *)str, strlen(str)) &
             mask;
  while(s->slots[j] && strcmp(s->slots[j], str))
    j = (j + 1) & mask;
  return j;
}

void xd_strset_init(xd_strset *s)
{
  memset(s, 0, sizeof(*s));
  xd_random_key(s->key);
}

int xd_strset_add(xd_strset *s, const char *str)
{
  size_t j;
  if(s->n * 2 >= s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    char **old = s->slots;
    size_t old_cap = s->cap;
    s->slots = calloc(cap, sizeof(*s->slots));
    if(!s->slots) {
      s->slots = old;
      return -1;
    }
    s->cap = cap;
    for(size_t i = 0; i < old_cap; i++)
      if(old[i])
        s->slots[slot_of(s, old[i])] = old[i];
    free(old);
  }
  j = slot_of(s, str);
  if(s->slots[j])
    return 0;
  s->slots[j] = strdup(str);
  if(!s->slots[j])
    return -1;
  s->n++;
  return 1;
}

void xd_strset_free(xd_strset *s)
{
  for(size_t i = 0; i < s->cap; i++)
    free(s->slots[i]);
  free(s->slots);
  memset(s, 0, sizeof(*s));
}
