/* aws/fetch_merge.c: `fetch --out DIR` into a folder that already holds a
 * snapshot. The accounts of a setup are often read by different people or
 * with different credentials (a profile per account, SSO), one fetch each;
 * the snapshot they make together is the union. The new fetch's files win
 * over old ones of the same name, the rest are kept, and a recorded failure
 * is dropped once its file is there. The merged folder is built beside DIR
 * (old files hard-linked, or copied) and swapped in, so a reader never sees
 * half of it. */
#include "fetch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "../common/jsonutil.h"

/* a/b into out; false when it does not fit (such a path is skipped) */
static bool join(char *out, size_t n, const char *a, const char *b)
{
  int w = *a ? snprintf(out, n, "%s/%s", a, b) : snprintf(out, n, "%s", b);
  return w >= 0 && (size_t)w < n;
}

static bool account_name(const char *s)
{
  return strlen(s) == 12 && strspn(s, "0123456789") == 12;
}

bool fx_out_is_snapshot(const char *out)
{
  DIR *d = opendir(out);
  struct dirent *de;
  char path[4096];
  bool any = false, only = true;
  if(!d)
    return false;
  while((de = readdir(d)) != NULL) {
    if(!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    if(!join(path, sizeof(path), out, de->d_name))
      only = false;
    else if(account_name(de->d_name) && xd_is_dir(path))
      any = true;
    else if((!strcmp(de->d_name, "fetch-errors.json") ||
             !strcmp(de->d_name, "xacct-doctor.json")) && xd_is_file(path))
      continue;
    else
      only = false;
  }
  closedir(d);
  return any && only;
}

/* Copy bytes (when a hard link is not possible: another file system). */
static xd_rc copy_file(const char *from, const char *to, xd_err *e)
{
  char *data = NULL;
  size_t len = 0;
  xd_rc rc = xd_file_read(from, XD_MAX_INPUT_FILE, &data, &len, e);
  if(rc == XD_OK)
    rc = xd_file_write_atomic(to, data, len, e);
  free(data);
  return rc;
}

/* Bring every file of old/rel that new/rel lacks into new (depth: the
 * account and region folders). */
static xd_rc keep_old(const char *old, const char *new_root, const char *rel,
                      int depth, xd_err *e)
{
  char src[4096], dst[4096], sub[4096];
  DIR *d;
  struct dirent *de;
  struct stat st;
  xd_rc rc = XD_OK;
  if(!join(src, sizeof(src), old, rel) || !(d = opendir(src)))
    return xd_fail(e, XD_E_IO, "%s: %s", src, strerror(errno));
  while(rc == XD_OK && (de = readdir(d)) != NULL) {
    if(de->d_name[0] == '.')
      continue;
    if(!join(sub, sizeof(sub), rel, de->d_name) ||
       !join(src, sizeof(src), old, sub) ||
       !join(dst, sizeof(dst), new_root, sub) || lstat(src, &st) != 0)
      continue;
    if(S_ISDIR(st.st_mode) && depth < 2) {
      if(mkdir(dst, 0755) != 0 && errno != EEXIST)
        rc = xd_fail(e, XD_E_IO, "%s: %s", dst, strerror(errno));
      else
        rc = keep_old(old, new_root, sub, depth + 1, e);
    }
    else if(S_ISREG(st.st_mode) && lstat(dst, &st) != 0 &&
            strcmp(sub, "fetch-errors.json") && link(src, dst) != 0)
      rc = copy_file(src, dst, e);
  }
  closedir(d);
  return rc;
}

static bool same_entry(const cJSON *a, const cJSON *b)
{
  static const char *const keys[] = {"account", "region", "call", "file",
                                     "code", "role", NULL};
  for(size_t i = 0; keys[i]; i++) {
    const char *x = xd_json_str(a, keys[i]), *y = xd_json_str(b, keys[i]);
    if((x == NULL) != (y == NULL) || (x && strcmp(x, y)))
      return false;
  }
  return true;
}

xd_rc fx_merge_old(fx_state *f, const char *out, xd_err *e)
{
  char path[4096];
  cJSON *old = NULL, *it, *keep;
  xd_rc rc = keep_old(out, f->tmp, "", 0, e);
  if(rc != XD_OK)
    return rc;
  snprintf(path, sizeof(path), "%s/fetch-errors.json", out);
  if(xd_is_file(path)) {
    /* a broken old list is not worth failing the new fetch for */
    if(xd_json_parse_file(path, &old, e) != XD_OK) {
      memset(e, 0, sizeof(*e));
      old = NULL;
    }
    cJSON_ArrayForEach(it, xd_json_array(old, "errors")) {
      bool dup = false;
      const cJSON *n;
      if(!cJSON_IsObject(it))
        continue;
      cJSON_ArrayForEach(n, f->errors)
        dup |= same_entry(n, it);
      if(!dup && (keep = cJSON_Duplicate(it, 1)) != NULL)
        cJSON_AddItemToArray(f->errors, keep);
    }
    cJSON_Delete(old);
  }
  /* a failure whose file one of the fetches did write is no longer one */
  for(int i = cJSON_GetArraySize(f->errors) - 1; i >= 0; i--) {
    const char *file = xd_json_str(cJSON_GetArrayItem(f->errors, i), "file");
    if(!file || strstr(file, ".."))
      continue;
    if(join(path, sizeof(path), f->tmp, file) && xd_is_file(path))
      cJSON_DeleteItemFromArray(f->errors, i);
  }
  return XD_OK;
}

xd_rc fx_swap_in(fx_state *f, const char *out, xd_err *e)
{
  char aside[4096];
  snprintf(aside, sizeof(aside), "%s.old-XXXXXX", out);
  if(!mkdtemp(aside))
    return xd_fail(e, XD_E_IO, "%s: cannot make a folder beside it: %s", out,
                   strerror(errno));
  rmdir(aside);
  if(rename(out, aside) != 0)
    return xd_fail(e, XD_E_IO, "%s: cannot move the old snapshot aside: %s",
                   out, strerror(errno));
  if(rename(f->tmp, out) != 0) {
    xd_rc rc = xd_fail(e, XD_E_IO, "%s: cannot put the merged snapshot in "
                       "place: %s", out, strerror(errno));
    if(rename(aside, out) != 0)
      xd_err_prefix(e, "(the old snapshot is at %s) ", aside);
    return rc;
  }
  xd_remove_tree(aside);
  return XD_OK;
}
