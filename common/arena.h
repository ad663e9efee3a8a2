/* common/arena.h: a region allocator. The model of a whole snapshot lives in
 * one arena and is freed at once, so the loader needs no per-object free
 * code and a failed load leaks nothing. */
#ifndef XD_ARENA_H
#define XD_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct xd_arena_block xd_arena_block;

typedef struct {
  xd_arena_block *head;
  size_t total;   /* bytes handed out, for the benchmark's memory figure */
} xd_arena;

/* An empty arena. */
void xd_arena_init(xd_arena *a);
/* size zeroed bytes aligned for any type, or NULL when out of memory. */
void *xd_arena_alloc(xd_arena *a, size_t size);
/* As xd_arena_alloc, but the bytes are not zeroed: for a caller that
 * writes every byte it uses (a parser cutting nodes from a chunk). */
void *xd_arena_alloc_raw(xd_arena *a, size_t size);
/* n zeroed elements of size bytes (overflow-checked), or NULL. */
void *xd_arena_calloc(xd_arena *a, size_t n, size_t size);
/* A copy of s (NULL stays NULL), or NULL when out of memory. */
char *xd_arena_strdup(xd_arena *a, const char *s);
/* Free every block; the arena is empty afterwards. */
void xd_arena_free(xd_arena *a);
/* Whether p points into memory a handed out. */
bool xd_arena_holds(const xd_arena *a, const void *p);
/* Move every block of src into dst, which frees them from then on; src is
 * empty afterwards (what it handed out stays valid). */
void xd_arena_adopt(xd_arena *dst, xd_arena *src);

#endif
