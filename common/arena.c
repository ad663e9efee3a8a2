#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BLOCK_SIZE (64 * 1024)
#define HUGE_BLOCK ((size_t)2 << 20)
#define HUGE_AFTER ((size_t)4 << 20)
#define ALIGN 16

struct xd_arena_block {
  xd_arena_block *next;
  size_t used;
  size_t cap;
  _Alignas(ALIGN) unsigned char mem[];
};

void xd_arena_init(xd_arena *a)
{
  a->head = NULL;
  a->total = 0;
}

void *xd_arena_alloc(xd_arena *a, size_t size)
{
  void *p = xd_arena_alloc_raw(a, size);
  if(p)
    memset(p, 0, (size + (ALIGN - 1)) & ~(size_t)(ALIGN - 1));
  return p;
}

void *xd_arena_alloc_raw(xd_arena *a, size_t size)
{
  xd_arena_block *b = a->head;
  size_t need = (size + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
  void *p;
  if(need < size)
    return NULL;
  if(need == 0)
    need = ALIGN;
  if(!b || b->cap - b->used < need) {
    size_t cap = need > BLOCK_SIZE ? need : BLOCK_SIZE;
    if(cap > SIZE_MAX - sizeof(*b))
      return NULL;
    b = NULL;
    /* A big model (an organisation's snapshot) takes its further blocks
     * a huge page at a time: one page fault where there were 512, which
     * was a tenth of a large load. */
    if(a->total >= HUGE_AFTER && need <= HUGE_BLOCK - sizeof(*b)) {
      void *h = NULL;
      if(posix_memalign(&h, HUGE_BLOCK, HUGE_BLOCK) == 0) {
#ifdef MADV_HUGEPAGE
        madvise(h, HUGE_BLOCK, MADV_HUGEPAGE);
#endif
        b = h;
        cap = HUGE_BLOCK - sizeof(*b);
      }
    }
    if(!b)
      b = malloc(sizeof(*b) + cap);
    if(!b)
      return NULL;
    b->used = 0;
    b->cap = cap;
    /* a big one-off block goes behind the head so the head's free room
     * stays usable for the small allocations that follow */
    if(a->head && cap == need && a->head->cap - a->head->used > 256) {
      b->next = a->head->next;
      a->head->next = b;
    }
    else {
      b->next = a->head;
      a->head = b;
    }
  }
  p = b->mem + b->used;
  b->used += need;
  a->total += need;
  return p;
}

void *xd_arena_calloc(xd_arena *a, size_t n, size_t size)
{
  if(size && n > SIZE_MAX / size)
    return NULL;
  return xd_arena_alloc(a, n * size);
}

char *xd_arena_strdup(xd_arena *a, const char *s)
{
  size_t n;
  char *p;
  if(!s)
    return NULL;
  n = strlen(s);
  p = xd_arena_alloc(a, n + 1);
  if(p)
    memcpy(p, s, n + 1);
  return p;
}

void xd_arena_free(xd_arena *a)
{
  xd_arena_block *b = a->head;
  while(b) {
    xd_arena_block *next = b->next;
    free(b);
    b = next;
  }
  xd_arena_init(a);
}

bool xd_arena_holds(const xd_arena *a, const void *p)
{
  uintptr_t c = (uintptr_t)p;
  for(const xd_arena_block *b = a->head; b; b = b->next)
    if(c >= (uintptr_t)b->mem && c - (uintptr_t)b->mem < b->used)
      return true;
  return false;
}

void xd_arena_adopt(xd_arena *dst, xd_arena *src)
{
  xd_arena_block *last = src->head;
  if(!last)
    return;
  while(last->next)
    last = last->next;
  /* behind dst's head, whose free room stays the one allocations use */
  if(dst->head) {
    last->next = dst->head->next;
    dst->head->next = src->head;
  }
  else
    dst->head = src->head;
  dst->total += src->total;
  xd_arena_init(src);
}
