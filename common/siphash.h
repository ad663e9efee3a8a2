/* common/siphash.h: a keyed hash for tables whose keys come from outside
 * (packets, result files), so no one can make them collide on purpose,
 * and a set of strings built on it. */
#ifndef XD_SIPHASH_H
#define XD_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of in[0..n) under key. */
uint64_t xd_siphash24(const uint64_t key[2], const uint8_t *in, size_t n);
/* 128 unpredictable bits into key: getrandom, else /dev/urandom, else
 * clocks and addresses (still different per run). */
void xd_random_key(uint64_t key[2]);

/* A set of strings (copied), hashed with a key of its own. */
typedef struct {
  char **slots;
  size_t n, cap;
  uint64_t key[2];
} xd_strset;

void xd_strset_init(xd_strset *s);
/* 1 when str was added, 0 when it was there already, -1 out of memory. */
int xd_strset_add(xd_strset *s, const char *str);
void xd_strset_free(xd_strset *s);

#endif
