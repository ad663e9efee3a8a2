/* tests/fuzz/fuzz_json_arena.c: the loader's JSON parser
 * (common/jsonarena.h) against cJSON's, through xd_json_parse_text(). The
 * two must agree on every input: the same verdict, the same message when
 * the text is refused, and when it is taken the same tree (types, numbers
 * to the bit, strings, keys and order), so that a snapshot loads to the
 * same model and every error names the same line whichever parser ran. A
 * disagreement aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/jsonarena.h"
#include "common/jsonutil.h"
#include "fuzz_util.h"

static int str_eq(const char *a, const char *b)
{
  return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Every list's links as cJSON makes them: prev of the first item is the
 * last one, of every other item the one before. */
static int links_ok(const cJSON *j)
{
  for(; j; j = j->next) {
    const cJSON *k = j->child, *last = NULL;
    for(; k; k = k->next) {
      if(last && k->prev != last)
        return 0;
      last = k;
    }
    if((j->child && j->child->prev != last) || !links_ok(j->child))
      return 0;
  }
  return 1;
}

static int same(const cJSON *a, const cJSON *b)
{
  for(; a && b; a = a->next, b = b->next) {
    if(a->type != b->type || a->valueint != b->valueint ||
       memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) ||
       !str_eq(a->valuestring, b->valuestring) ||
       !str_eq(a->string, b->string) || !same(a->child, b->child))
      return 0;
  }
  return !a && !b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  cJSON *heap = NULL, *fast = NULL;
  xd_err eh = {0}, ef = {0};
  xd_arena a;
  xd_rc rh, rf;
  xd_arena_init(&a);
  rh = xd_json_parse_text("f.json", (const char *)data, size, &heap, &eh);
  rf = xd_json_parse_arena("f.json", (const char *)data, size, &a, &fast, &ef);
  if(rh != rf || strcmp(eh.msg, ef.msg)) {
    fprintf(stderr, "verdicts differ: cJSON %d \"%s\", arena %d \"%s\"\n",
            rh, eh.msg, rf, ef.msg);
    abort();
  }
  if(rh == XD_OK && (!same(heap, fast) || !links_ok(fast))) {
    fprintf(stderr, "trees differ\n");
    abort();
  }
  /* the copy the arena parser falls back to must be faithful as well */
  if(heap) {
    cJSON *copy = xd_json_copy_arena(heap, &a);
    if(!copy || !same(heap, copy) || !links_ok(copy))
      abort();
  }
  cJSON_Delete(heap);
  xd_arena_free(&a);
  return 0;
}
