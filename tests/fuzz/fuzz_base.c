/* tests/fuzz/fuzz_base.c: see fuzz_base.h. XD_FUZZ_EXAMPLE and
 * XD_FUZZ_FILES are set by tests/fuzz.cmake. */
#include "fuzz_base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyze.h"
#include "analyzer/intent.h"
#include "analyzer/snapshot.h"
#include "common/fileio.h"
#include "common/jsonutil.h"
#include "common/result.h"
#include "fuzz_util.h"

#define MAX_FILES 64

static char dir[600];
static char *names[MAX_FILES];
static char *orig[MAX_FILES];
static size_t orig_len[MAX_FILES];
static size_t n_names;

static void full(size_t i, char *out, size_t n)
{
  snprintf(out, n, "%s/%s", dir, names[i]);
}

const char *fz_base_dir(void)
{
  char *list, *save = NULL;
  if(dir[0])
    return dir;
  snprintf(dir, sizeof(dir), "%s/s", fz_tmpdir("base"));
  fz_copy_tree(XD_FUZZ_EXAMPLE, dir);
  list = fz_read(XD_FUZZ_FILES, NULL);
  for(char *l = strtok_r(list, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    char path[1200];
    if(!*l || *l == '#')
      continue;
    if(n_names >= MAX_FILES)
      abort();
    names[n_names] = strdup(l);
    full(n_names, path, sizeof(path));
    orig[n_names] = fz_read(path, &orig_len[n_names]);
    n_names++;
  }
  free(list);
  if(!n_names)
    abort();
  return dir;
}

size_t fz_base_count(void)
{
  fz_base_dir();
  return n_names;
}

const char *fz_base_name(size_t i)
{
  fz_base_dir();
  return names[i % n_names];
}

const char *fz_base_original(size_t i, size_t *n)
{
  fz_base_dir();
  if(n)
    *n = orig_len[i % n_names];
  return orig[i % n_names];
}

void fz_base_replace(size_t i, const void *data, size_t n)
{
  char path[1200];
  fz_base_dir();
  full(i % n_names, path, sizeof(path));
  fz_write(path, data, n);
}

void fz_base_restore(size_t i)
{
  fz_base_replace(i, orig[i % n_names], orig_len[i % n_names]);
}

/* What `report --in` would make of the result we print. */
static void reread(const xd_result *r)
{
  char *text = xd_json_print(xd_result_json(r), false);
  cJSON *doc = NULL;
  xd_result *back = NULL;
  xd_err e = {0};
  if(!text)
    return; /* out of memory */
  if(xd_json_parse_text("result", text, strlen(text), &doc, &e) != XD_OK ||
     xd_result_from_json(doc, "result", &back, &e) != XD_OK) {
    fprintf(stderr, "the result we wrote does not read back: %s\n", e.msg);
    abort();
  }
  if(xd_result_status(back) != xd_result_status(r))
    abort();
  xd_result_free(back);
  free(text);
}

void fz_base_analyze(cJSON *const *obs, size_t n_obs)
{
  az_model m;
  az_intent in;
  xd_err e = {0};
  xd_result *r = NULL;
  char ipath[700];
  fz_base_dir();
  if(az_snapshot_load(dir, &m, &e) != XD_OK) {
    if(!e.msg[0])
      abort();
    return;
  }
  memset(&in, 0, sizeof(in));
  snprintf(ipath, sizeof(ipath), "%s/xacct-doctor.json", dir);
  if(xd_is_file(ipath) && az_intent_load(ipath, &in, &e) != XD_OK) {
    if(!e.msg[0])
      abort();
    az_model_free(&m);
    return;
  }
  r = xd_result_new();
  if(r && az_analyze(&m, &in, obs, n_obs, r, &e) == XD_OK) {
    /* as cli/cmd_analyze.c does: the documents go into the result */
    for(size_t i = 0; i < n_obs; i++) {
      const char *side = xd_json_str(obs[i], "side");
      cJSON *dup = cJSON_Duplicate(obs[i], 1);
      if(dup)
        xd_result_add_observations(r, side ? side : "unknown", dup);
    }
    xd_result_finish(r);
    fz_render_all(xd_result_json(r));
    reread(r);
  }
  else if(r && e.rc != XD_E_NOMEM) {
    /* faults in the setup are findings, not errors (analyze.h) */
    fprintf(stderr, "az_analyze failed: %s\n", e.msg);
    abort();
  }
  xd_result_free(r);
  az_intent_free(&in);
  az_model_free(&m);
}
