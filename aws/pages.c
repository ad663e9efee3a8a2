/* aws/pages.c: pages followed and merged as the CLI's paginator does
 * (build_full_result: the result keys concatenated, the tokens dropped),
 * the same for the query and the JSON protocols. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "../common/log.h"

/* A server that keeps answering with more pages is cut off here. */
#define MAX_PAGES 10000

/* Move the result keys of page into acc (creating them on first sight). */
static void merge_page(cJSON *acc, cJSON *page, const char *const *keys)
{
  for(const char *const *k = keys; *k; k++) {
    cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(page, *k);
    cJSON *have;
    if(!v)
      continue;
    have = cJSON_GetObjectItemCaseSensitive(acc, *k);
    if(!have || !cJSON_IsArray(have) || !cJSON_IsArray(v)) {
      if(have)
        cJSON_DeleteItemFromObjectCaseSensitive(acc, *k);
      cJSON_AddItemToObject(acc, *k, v);
      continue;
    }
    while(cJSON_GetArraySize(v) > 0)
      cJSON_AddItemToArray(have, cJSON_DetachItemFromArray(v, 0));
    cJSON_Delete(v);
  }
}

/* The non-aggregate keys of the first page, as build_full_result merges
 * them in last (a key the page lacks is null, as jmespath finds it). */
static bool keep_first(cJSON *tail, cJSON *page, const char *const *keys)
{
  for(const char *const *k = keys; k && *k; k++) {
    cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(page, *k);
    if(!v && !(v = cJSON_CreateNull()))
      return false;
    cJSON_AddItemToObject(tail, *k, v);
  }
  return true;
}

xd_rc aws_pages(const aws_target *t, const char *op, const aws_pager *pg,
                aws_page_fn fetch, void *arg, cJSON **out, xd_err *e)
{
  cJSON *acc = NULL, *page = NULL, *tail = NULL;
  char *token = NULL;
  xd_rc rc = XD_OK;

  *out = NULL;
  acc = cJSON_CreateObject();
  tail = cJSON_CreateObject();
  if(!acc || !tail) {
    cJSON_Delete(acc);
    cJSON_Delete(tail);
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  }
  for(int n = 0;; n++) {
    const char *next;
    bool more;
    if(n >= MAX_PAGES) {
      rc = xd_fail(e, XD_E_PARSE, "%s %s: more than %d pages; stopped",
                   t->service, op, MAX_PAGES);
      break;
    }
    rc = fetch(arg, pg->in_token, token, &page, e);
    if(rc != XD_OK)
      break;
    next = xd_json_str(page, pg->out_token);
    more = next && *next;
    if(pg->more) {
      bool truncated = false;
      more = more && xd_json_bool(page, pg->more, &truncated) && truncated;
    }
    if(more && token && !strcmp(token, next)) {
      rc = xd_fail(e, XD_E_PARSE, "%s %s: the service sent the same page "
                   "token twice", t->service, op);
      break;
    }
    free(token);
    token = more ? strdup(next) : NULL;
    if(n == 0 && !keep_first(tail, page, pg->first)) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      break;
    }
    merge_page(acc, page, pg->keys);
    cJSON_Delete(page);
    page = NULL;
    if(!more)
      break;
    if(!token) {
      rc = xd_fail(e, XD_E_NOMEM, "out of memory");
      break;
    }
    xd_log_debug("%s %s: page %d", t->service, op, n + 2);
  }
  free(token);
  cJSON_Delete(page);
  if(rc != XD_OK) {
    cJSON_Delete(acc);
    cJSON_Delete(tail);
    return rc;
  }
  while(tail->child) {
    cJSON *v = cJSON_DetachItemViaPointer(tail, tail->child);
    /* cJSON copies the key before it frees v's own */
    cJSON_AddItemToObject(acc, v->string, v);
  }
  cJSON_Delete(tail);
  *out = acc;
  return XD_OK;
}
