/* tests/unit/check.h: the smallest test harness that does the job. Each
 * CHECK counts; a failing one prints where and why and the run goes on, so
 * one run shows every failure. The program ends with CHECK_DONE(), which
 * prints "N passed, N failed" (the line CI reads) and returns 1 on any
 * failure. */
#ifndef XD_CHECK_H
#define XD_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                         \
  do {                                                                      \
    if(cond)                                                                \
      check_passed++;                                                       \
    else {                                                                  \
      check_failed++;                                                       \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,      \
              #cond);                                                       \
    }                                                                       \
  } while(0)

#define CHECK_STR(a, b)                                                     \
  do {                                                                      \
    const char *check_a_ = (a), *check_b_ = (b);                            \
    if(check_a_ && check_b_ && !strcmp(check_a_, check_b_))                 \
      check_passed++;                                                       \
    else {                                                                  \
      check_failed++;                                                       \
      fprintf(stderr, "%s:%d: CHECK_STR failed: %s is \"%s\", want \"%s\"\n",\
              __FILE__, __LINE__, #a, check_a_ ? check_a_ : "(null)",       \
              check_b_ ? check_b_ : "(null)");                              \
    }                                                                       \
  } while(0)

#define CHECK_INT(a, b)                                                     \
  do {                                                                      \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);         \
    if(check_a_ == check_b_)                                                \
      check_passed++;                                                       \
    else {                                                                  \
      check_failed++;                                                       \
      fprintf(stderr, "%s:%d: CHECK_INT failed: %s is %lld, want %lld\n",   \
              __FILE__, __LINE__, #a, check_a_, check_b_);                  \
    }                                                                       \
  } while(0)

/* substring check, for error messages that must name a file or field */
#define CHECK_CONTAINS(hay, needle)                                         \
  do {                                                                      \
    const char *check_h_ = (hay), *check_n_ = (needle);                     \
    if(check_h_ && strstr(check_h_, check_n_))                              \
      check_passed++;                                                       \
    else {                                                                  \
      check_failed++;                                                       \
      fprintf(stderr, "%s:%d: CHECK_CONTAINS failed: \"%s\" lacks \"%s\"\n",\
              __FILE__, __LINE__, check_h_ ? check_h_ : "(null)", check_n_);\
    }                                                                       \
  } while(0)

#define CHECK_DONE()                                                        \
  (printf("%d passed, %d failed\n", check_passed, check_failed),            \
   check_failed ? 1 : 0)

#endif
