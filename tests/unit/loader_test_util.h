/* tests/unit/loader_test_util.h: what the loader's unit tests share: a
 * temporary folder to build snapshots in (and remove after), and the
 * questions about the model they all ask. Header-only (static inline), so
 * each test stays one source file; nothing here needs xd_analyzer. */
#ifndef XD_LOADER_TEST_UTIL_H
#define XD_LOADER_TEST_UTIL_H

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/model.h"

static inline int lt_rm_one(const char *p, const struct stat *st, int flag,
                            struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(p);
}

/* Remove dir and all below it. FTW_PHYS: the tests plant symbolic links
 * that lead out of their folders, and what they lead to must stay. */
static inline void rm_rf(const char *dir)
{
  nftw(dir, lt_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Make a new folder "$TMPDIR/<prefix>-XXXXXX" (/tmp without TMPDIR) and
 * put its path in root; false, after saying why, when it cannot. */
static inline bool make_tmp_root(char *root, size_t n, const char *prefix)
{
  const char *tmp = getenv("TMPDIR");
  snprintf(root, n, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
  if(!mkdtemp(root)) {
    perror("mkdtemp");
    return false;
  }
  return true;
}

/* Whether c is the block text; says what it is when not. */
static inline bool cidr_is(const xd_cidr *c, const char *text)
{
  char buf[XD_CIDR_STRLEN];
  xd_cidr_format(c, buf, sizeof(buf));
  if(strcmp(buf, text))
    fprintf(stderr, "  cidr is %s, want %s\n", buf, text);
  return !strcmp(buf, text);
}

/* The route of t (may be NULL) to dest, a CIDR block or a prefix list
 * id, or NULL. */
static inline const az_route *find_route(const az_route_table *t,
                                         const char *dest)
{
  for(size_t i = 0; t && i < t->n_routes; i++) {
    char buf[XD_CIDR_STRLEN] = "";
    if(t->routes[i].has_cidr)
      xd_cidr_format(&t->routes[i].dest, buf, sizeof(buf));
    if(!strcmp(buf, dest) ||
       (t->routes[i].prefix_list && !strcmp(t->routes[i].prefix_list, dest)))
      return &t->routes[i];
  }
  return NULL;
}

#endif
