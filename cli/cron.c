/* Running from cron: the lock, the history of results and "what changed".
 *
 * The lock is flock(2) on a file, as flock(1) takes it, so a script can
 * share it and the kernel drops it when a run dies: no stale lock files to
 * clean after a crash. History files are named by UTC time so that the
 * names sort in time order and retention is "delete the smallest names". */
#include "cron.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "../common/jsonutil.h"
#include "../common/log.h"

struct cli_cron {
  int lock_fd;
  char lock_path[4096];
};

/* ---- lock ---- */

/* The pid recorded in a lock file, for the message; "" unless the text is
 * a plain number (the file may be anyone's, and the message goes to a
 * terminal). */
static void holder_pid(int f, char *out, size_t n)
{
  char text[32];
  ssize_t got = pread(f, text, sizeof(text) - 1, 0);
  size_t len;
  out[0] = '\0';
  if(got <= 0)
    return;
  text[got] = '\0';
  len = strspn(text, "0123456789");
  if(!len || len >= n || (text[len] && text[len] != '\n'))
    return;
  memcpy(out, text, len);
  out[len] = '\0';
}

/* Take the flock. own_only (the default lock): a file that is not ours is
 * neither locked nor trusted, so another user cannot hold our runs back.
 * An explicit --lock may be shared with other users' scripts: theirs is
 * locked read-only and never written. */
static xd_rc lock_take(const char *path, bool own_only, int *fd, xd_err *e)
{
  struct stat st;
  char holder[32];
  int f;
  *fd = -1;
  f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
           0644);
  if(f < 0 && !own_only && (errno == EACCES || errno == EPERM))
    /* someone else's lock file: a read-only descriptor can still flock */
    f = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if(f < 0)
    return xd_fail(e, XD_E_IO, "lock file %s: %s", path, strerror(errno));
  if(fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(f);
    return xd_fail(e, XD_E_IO, "lock file %s: not a regular file", path);
  }
  if(own_only && st.st_uid != geteuid()) {
    close(f);
    return xd_fail(e, XD_E_IO, "lock file %s belongs to uid %lu, not to "
                   "this user; not trusted", path, (unsigned long)st.st_uid);
  }
  if(flock(f, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    if(err != EWOULDBLOCK) {
      close(f);
      return xd_fail(e, XD_E_IO, "lock file %s: flock: %s", path, strerror(err));
    }
    holder_pid(f, holder, sizeof(holder));
    close(f);
    return xd_fail(e, XD_E_PERM, "another xacct-doctor run holds the lock %s"
                   "%s%s%s; not starting (the lock goes when that run ends)",
                   path, holder[0] ? " (pid " : "", holder,
                   holder[0] ? ")" : "");
  }
  /* our pid, for the message the next overlapping run prints; only into
   * our own file */
  if(st.st_uid == geteuid() && ftruncate(f, 0) == 0) {
    char pid[32];
    int len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    if(pwrite(f, pid, (size_t)len, 0) != len)
      xd_log_debug("lock file %s: could not record the pid", path);
  }
  *fd = f;
  return XD_OK;
}

xd_rc cli_lock_acquire(const char *path, int *fd, xd_err *e)
{
  return lock_take(path, false, fd, e);
}

void cli_lock_release(int fd)
{
  struct stat st;
  if(fd < 0)
    return;
  if(fstat(fd, &st) == 0 && st.st_uid == geteuid() && ftruncate(fd, 0) != 0)
    xd_log_debug("lock file: could not clear the pid");
  flock(fd, LOCK_UN);
  close(fd);
}

/* A folder only this user can write into. */
static bool private_dir(const char *dir)
{
  struct stat st;
  return dir && *dir == '/' && stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
         st.st_uid == geteuid() && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

void cli_lock_default_path(char *out, size_t n)
{
  const char *run = getenv("XDG_RUNTIME_DIR");
  const char *home = getenv("HOME");
  unsigned long uid = (unsigned long)geteuid();
  char cache[4096];
  if(private_dir(run)) {
    snprintf(out, n, "%s/xacct-doctor.lock", run);
    return;
  }
  if(uid == 0 && xd_is_dir("/run/lock")) {
    snprintf(out, n, "/run/lock/xacct-doctor-%lu.lock", uid);
    return;
  }
  if(uid && private_dir(home)) {
    snprintf(cache, sizeof(cache), "%s/.cache", home);
    if(mkdir(cache, 0700) == 0 || errno == EEXIST) {
      snprintf(out, n, "%s/xacct-doctor-%lu.lock", cache, uid);
      return;
    }
  }
  /* the last resort is shared: lock_take refuses a file not ours */
  snprintf(out, n, "/tmp/xacct-doctor-%lu.lock", uid);
}

int cli_cron_begin(const cli_opts *o, cli_cron **out)
{
  cli_cron *c;
  xd_err e = {0};
  bool explicit_lock = o->lock != NULL;
  *out = NULL;
  if(!o->lock && !o->history)
    return CLI_EXIT_OK;
  c = calloc(1, sizeof(*c));
  if(!c) {
    xd_log_error("out of memory");
    return CLI_EXIT_UNKNOWN;
  }
  c->lock_fd = -1;
  if(explicit_lock)
    snprintf(c->lock_path, sizeof(c->lock_path), "%s", o->lock);
  else
    cli_lock_default_path(c->lock_path, sizeof(c->lock_path));
  if(lock_take(c->lock_path, !explicit_lock, &c->lock_fd, &e) != XD_OK) {
    /* a default lock we cannot even open (or that is another user's)
     * must not stop a run that did not ask for one; a lock of ours that
     * is held always does */
    if(e.rc == XD_E_PERM || explicit_lock) {
      xd_log_error("%s", e.msg);
      free(c);
      return CLI_EXIT_UNKNOWN;
    }
    xd_log_warn("%s; running without a lock", e.msg);
  }
  *out = c;
  return CLI_EXIT_OK;
}

void cli_cron_end(cli_cron *c, const cli_opts *o, const xd_result *r)
{
  xd_err e = {0};
  char written[4096];
  if(o->history && r) {
    if(cli_history_store(o->history, o->history_keep, xd_result_json(r),
                         written, sizeof(written), &e) != XD_OK)
      xd_log_error("--history: %s", e.msg);
    else
      xd_log_info("result kept as %s", written);
  }
  if(c) {
    cli_lock_release(c->lock_fd);
    free(c);
  }
}

void cli_cron_annotate(const cli_opts *o, xd_result *r)
{
  xd_err e = {0};
  if(!o->history || !r || !xd_is_dir(o->history))
    return;
  if(cli_history_changes(o->history, xd_result_json(r), &e) != XD_OK)
    xd_log_warn("--history %s: no \"what changed\": %s", o->history, e.msg);
}

/* ---- history files ---- */

static bool is_history_name(const char *name)
{
  size_t n = strlen(name);
  return n > 12 && !strncmp(name, "result-", 7) &&
         !strcmp(name + n - 5, ".json") && name[7] >= '0' && name[7] <= '9';
}

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
  for(size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* The history file names in dir, oldest first. */
static xd_rc list_history(const char *dir, char ***out, size_t *count,
                          xd_err *e)
{
  DIR *d = opendir(dir);
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, cap = 0;
  *out = NULL;
  *count = 0;
  if(!d)
    return xd_fail(e, XD_E_IO, "%s: %s", dir, strerror(errno));
  while((de = readdir(d))) {
    if(!is_history_name(de->d_name))
      continue;
    if(n == cap) {
      char **nn = realloc(names, (cap ? cap * 2 : 64) * sizeof(*names));
      if(!nn)
        goto nomem;
      names = nn;
      cap = cap ? cap * 2 : 64;
    }
    if(!(names[n] = strdup(de->d_name)))
      goto nomem;
    n++;
  }
  closedir(d);
  if(n)
    qsort(names, n, sizeof(*names), cmp_names);
  *out = names;
  *count = n;
  return XD_OK;
nomem:
  closedir(d);
  free_names(names, n);
  return xd_fail(e, XD_E_NOMEM, "out of memory");
}

/* mkdir -p, the folders made private: results name hosts and rules. */
static xd_rc make_dirs(const char *dir, xd_err *e)
{
  char path[4096];
  size_t len = strlen(dir);
  if(len == 0 || len >= sizeof(path))
    return xd_fail(e, XD_E_INVALID, "--history: folder name is empty or too long");
  memcpy(path, dir, len + 1);
  for(char *p = path + 1; ; p++) {
    if(*p == '/' || *p == '\0') {
      char c = *p;
      *p = '\0';
      if(mkdir(path, 0700) != 0 && errno != EEXIST)
        return xd_fail(e, XD_E_IO, "%s: %s", path, strerror(errno));
      *p = c;
      if(!c)
        break;
    }
  }
  if(!xd_is_dir(dir))
    return xd_fail(e, XD_E_IO, "%s: not a folder", dir);
  return XD_OK;
}

xd_rc cli_history_store(const char *dir, long keep, const cJSON *result,
                        char *written, size_t written_len, xd_err *e)
{
  char path[4096], stamp[32];
  struct timespec ts;
  struct tm tm;
  char *text = NULL, **names = NULL;
  size_t n_names = 0;
  long ms;
  xd_rc rc;
  if(keep <= 0)
    keep = CLI_HISTORY_KEEP_DEFAULT;
  if((rc = make_dirs(dir, e)) != XD_OK)
    return rc;
  text = xd_json_print(result, true);
  if(!text)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
  ms = ts.tv_nsec / 1000000;
  /* two runs in the same millisecond (a test, a clock step back): the
   * name moves on rather than overwrite a kept result */
  for(int tries = 0; ; tries++) {
    snprintf(path, sizeof(path), "%s/result-%s.%03ldZ.json", dir, stamp, ms);
    if(!xd_is_file(path) || tries > 999)
      break;
    if(++ms > 999) {
      ms = 0;
      snprintf(stamp + strlen(stamp), sizeof(stamp) - strlen(stamp), "x");
    }
  }
  rc = xd_file_write_atomic(path, text, strlen(text), e);
  free(text);
  if(rc != XD_OK)
    return rc;
  if(written)
    snprintf(written, written_len, "%s", path);
  /* retention: the oldest go first */
  if((rc = list_history(dir, &names, &n_names, e)) != XD_OK)
    return rc;
  for(size_t i = 0; n_names > (size_t)keep && i < n_names - (size_t)keep; i++) {
    snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
    if(unlink(path) != 0 && errno != ENOENT)
      xd_log_warn("--history: could not remove %s: %s", path, strerror(errno));
  }
  free_names(names, n_names);
  return XD_OK;
}

/* ---- what changed ---- */

static const char *s_or(const cJSON *o, const char *k, const char *dflt)
{
  const char *s = o ? xd_json_str(o, k) : NULL;
  return s ? s : dflt;
}

static bool same_path(const cJSON *a, const cJSON *b)
{
  const cJSON *af = xd_json_object(a, "from"), *bf = xd_json_object(b, "from");
  const cJSON *at = xd_json_object(a, "to"), *bt = xd_json_object(b, "to");
  long ap = -1, bp = -1;
  xd_json_long(at, "port", &ap);
  xd_json_long(bt, "port", &bp);
  return ap == bp && !strcmp(s_or(af, "ip", ""), s_or(bf, "ip", "")) &&
         !strcmp(s_or(at, "ip", ""), s_or(bt, "ip", ""));
}

static bool add_change(cJSON *changes, const cJSON *path, const char *since,
                       const char *kind, const char *resource,
                       const char *before, const char *after)
{
  cJSON *c = cJSON_CreateObject(), *p;
  if(!c)
    return false;
  p = cJSON_AddObjectToObject(c, "path");
  if(!p ||
     !cJSON_AddItemToObject(p, "from", cJSON_Duplicate(xd_json_object(path, "from"), true)) ||
     !cJSON_AddItemToObject(p, "to", cJSON_Duplicate(xd_json_object(path, "to"), true)) ||
     !xd_json_add_str(c, "since", since) || !xd_json_add_str(c, "hop_kind", kind) ||
     !xd_json_add_str(c, "resource", resource) ||
     !xd_json_add_str(c, "before", before) || !xd_json_add_str(c, "after", after) ||
     !cJSON_AddItemToArray(changes, c)) {
    cJSON_Delete(c);
    return false;
  }
  return true;
}

/* The hops of the reachable path then against the path now. Hops are
 * paired by kind and resource, then by kind alone (a resource replaced).
 * A hop of then that has no pair is "gone" only when the evaluation now
 * went past it; when the path now stops earlier, the hops after the stop
 * were simply not evaluated, and listing them would bury the one that
 * matters. */
static bool diff_hops(cJSON *changes, const cJSON *then_path,
                      const cJSON *now_path, const char *since)
{
  const cJSON *O = xd_json_array(then_path, "hops");
  const cJSON *C = xd_json_array(now_path, "hops");
  int n = cJSON_GetArraySize(O), m = cJSON_GetArraySize(C);
  int *pair = calloc((size_t)n + 1, sizeof(int));
  bool *used = calloc((size_t)m + 1, sizeof(bool));
  bool now_denies = false, ok = true;
  int last_paired = -1;
  if(!pair || !used) {
    free(pair);
    free(used);
    return false;
  }
  for(int j = 0; j < m; j++)
    if(!strcmp(s_or(cJSON_GetArrayItem(C, j), "verdict", ""), "deny"))
      now_denies = true;
  for(int pass = 0; pass < 2; pass++)
    for(int i = 0; i < n; i++) {
      const cJSON *o = cJSON_GetArrayItem(O, i);
      if(pass == 0)
        pair[i] = -1;
      else if(pair[i] >= 0)
        continue;
      for(int j = 0; j < m; j++) {
        const cJSON *c = cJSON_GetArrayItem(C, j);
        if(used[j] || strcmp(s_or(o, "kind", ""), s_or(c, "kind", "")))
          continue;
        if(pass == 0 && strcmp(s_or(o, "resource", ""), s_or(c, "resource", "")))
          continue;
        pair[i] = j;
        used[j] = true;
        break;
      }
    }
  for(int i = 0; i < n; i++)
    if(pair[i] >= 0)
      last_paired = i;
  for(int i = 0; ok && i < n; i++) {
    const cJSON *o = cJSON_GetArrayItem(O, i);
    const char *kind = s_or(o, "kind", ""), *res = s_or(o, "resource", "");
    const char *od = s_or(o, "detail", ""), *ov = s_or(o, "verdict", "");
    if(pair[i] >= 0) {
      const cJSON *c = cJSON_GetArrayItem(C, pair[i]);
      const char *cr = s_or(c, "resource", ""), *cd = s_or(c, "detail", "");
      const char *cv = s_or(c, "verdict", "");
      char before[2048], after[2048];
      if(!strcmp(res, cr) && !strcmp(od, cd) && !strcmp(ov, cv))
        continue;
      snprintf(before, sizeof(before), "%s%s%s%s", od,
               !strcmp(od, cd) ? " (" : "", !strcmp(od, cd) ? ov : "",
               !strcmp(od, cd) ? ")" : "");
      snprintf(after, sizeof(after), "%s%s%s%s%s%s", strcmp(res, cr) ? cr : "",
               strcmp(res, cr) ? ": " : "", cd, !strcmp(od, cd) ? " (" : "",
               !strcmp(od, cd) ? cv : "", !strcmp(od, cd) ? ")" : "");
      ok = add_change(changes, now_path, since, kind, res, before, after);
    }
    else if(!now_denies || i < last_paired)
      ok = add_change(changes, now_path, since, kind, res, od, NULL);
  }
  for(int j = 0; ok && j < m; j++) {
    const cJSON *c = cJSON_GetArrayItem(C, j);
    if(!used[j] && !strcmp(s_or(c, "verdict", ""), "deny"))
      ok = add_change(changes, now_path, since, s_or(c, "kind", ""),
                      s_or(c, "resource", ""), NULL, s_or(c, "detail", ""));
  }
  free(pair);
  free(used);
  return ok;
}

xd_rc cli_history_changes(const char *dir, cJSON *result, xd_err *e)
{
  char **names = NULL;
  size_t n_names = 0, pending = 0, n_paths;
  const cJSON *paths = xd_json_array(result, "paths");
  cJSON *changes = NULL;
  const cJSON **todo = NULL;
  xd_rc rc;
  n_paths = (size_t)cJSON_GetArraySize(paths);
  if((rc = list_history(dir, &names, &n_names, e)) != XD_OK)
    return rc;
  todo = calloc(n_paths + 1, sizeof(*todo));
  changes = cJSON_CreateArray();
  if(!todo || !changes) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  {
    const cJSON *p;
    cJSON_ArrayForEach(p, paths)
      if(strcmp(s_or(p, "verdict", ""), "reachable"))
        todo[pending++] = p;
  }
  /* newest first; stop once every broken path has its last good run */
  for(size_t k = n_names; k-- > 0 && pending;) {
    char path[4096];
    cJSON *old = NULL;
    xd_err pe = {0};
    const char *since;
    snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
    if(xd_json_parse_file(path, &old, &pe) != XD_OK) {
      xd_log_warn("--history: skipping %s", pe.msg);
      continue;
    }
    since = s_or(old, "started_at", names[k]);
    for(size_t i = 0; i < n_paths; i++) {
      const cJSON *op;
      if(!todo[i])
        continue;
      cJSON_ArrayForEach(op, xd_json_array(old, "paths"))
        if(same_path(op, todo[i]) &&
           !strcmp(s_or(op, "verdict", ""), "reachable")) {
          if(!diff_hops(changes, op, todo[i], since)) {
            cJSON_Delete(old);
            rc = xd_fail(e, XD_E_NOMEM, "out of memory");
            goto done;
          }
          todo[i] = NULL;
          pending--;
          break;
        }
    }
    cJSON_Delete(old);
  }
  cJSON_DeleteItemFromObjectCaseSensitive(result, "changes");
  if(!cJSON_AddItemToObject(result, "changes", changes)) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  changes = NULL;
  rc = XD_OK;
done:
  cJSON_Delete(changes);
  free(todo);
  free_names(names, n_names);
  return rc;
}
