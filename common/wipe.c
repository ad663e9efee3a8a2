#include "wipe.h"

#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "log.h"

void xd_wipe(void *p, size_t n)
{
  if(p && n)
    explicit_bzero(p, n);
}

void xd_wipe_free(char *s)
{
  if(s) {
    explicit_bzero(s, strlen(s));
    free(s);
  }
}

void xd_buf_wipe_free(xd_buf *b)
{
  xd_wipe(b->data, b->cap);
  xd_buf_free(b);
}

static void json_wipe(cJSON *j)
{
  for(cJSON *it = j; it; it = it->next) {
    if(it->valuestring)
      xd_wipe(it->valuestring, strlen(it->valuestring));
    json_wipe(it->child);
  }
}

void xd_json_wipe_delete(cJSON *j)
{
  json_wipe(j);
  cJSON_Delete(j);
}

void xd_no_core_dumps(void)
{
  struct rlimit rl = {0, 0};
  /* both: RLIMIT_CORE alone still lets a core_pattern pipe receive the
   * dump, and PR_SET_DUMPABLE alone can be undone by an exec */
  if(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    xd_log_debug("PR_SET_DUMPABLE: could not turn core dumps off");
  if(setrlimit(RLIMIT_CORE, &rl) != 0)
    xd_log_debug("RLIMIT_CORE: could not be set to 0");
}
