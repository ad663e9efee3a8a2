/* Unit tests of cli/cron.c: the lock, history retention and "what
 * changed" since a path was last reachable. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli/cron.h"
#include "common/fileio.h"
#include "common/jsonutil.h"
#include "sample_load.h"

static char tmp[256];


static int count_results(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *de;
  int n = 0;
  while(d && (de = readdir(d)))
    n += !strncmp(de->d_name, "result-", 7);
  if(d)
    closedir(d);
  return n;
}

static void test_lock(void)
{
  char path[512];
  int a = -1, b = -1;
  xd_err e = {0};
  snprintf(path, sizeof(path), "%s/run.lock", tmp);
  CHECK_INT(cli_lock_acquire(path, &a, &e), XD_OK);
  /* a second open file description conflicts even in the same process */
  CHECK_INT(cli_lock_acquire(path, &b, &e), XD_E_PERM);
  CHECK_CONTAINS(e.msg, "another xacct-doctor run holds the lock");
  CHECK_CONTAINS(e.msg, path);
  {
    char pid[32];
    snprintf(pid, sizeof(pid), "(pid %ld)", (long)getpid());
    CHECK_CONTAINS(e.msg, pid);
  }
  CHECK_INT(b, -1);
  cli_lock_release(a);
  CHECK_INT(cli_lock_acquire(path, &b, &e), XD_OK);
  cli_lock_release(b);
  snprintf(path, sizeof(path), "%s/no/such/dir/run.lock", tmp);
  CHECK_INT(cli_lock_acquire(path, &a, &e), XD_E_IO);
  CHECK_CONTAINS(e.msg, "no/such/dir/run.lock");
}

/* Issue 13 item 5: another user's file at the default lock path neither
 * blocks our runs nor gets written, its text never reaches the terminal,
 * and the default is per user. */
static void test_lock_hostile(void)
{
  char run[300], path[600], got[64] = "", def[4096];
  const char *evil = "\x1b]0;owned\x07\x1b[2J\n";
  cli_opts o;
  cli_cron *c = NULL;
  xd_err e = {0};
  int held, a = -1;
  FILE *f;

  snprintf(run, sizeof(run), "%s/run", tmp);
  CHECK(mkdir(run, 0700) == 0);
  snprintf(path, sizeof(path), "%s/xacct-doctor.lock", run);
  f = fopen(path, "w");
  if(f) {
    fputs(evil, f);
    fclose(f);
  }
  /* "another user" made it and holds it */
  CHECK(chown(path, 4242, 4242) == 0);
  held = open(path, O_RDONLY);
  CHECK(held >= 0 && flock(held, LOCK_EX | LOCK_NB) == 0);
  setenv("XDG_RUNTIME_DIR", run, 1);
  cli_lock_default_path(def, sizeof(def));
  CHECK_STR(def, path);
  memset(&o, 0, sizeof(o));
  o.history = run;
  CHECK_INT(cli_cron_begin(&o, &c), CLI_EXIT_OK);  /* runs, without it */
  cli_cron_end(c, &o, NULL);
  f = fopen(path, "r");
  if(f) {
    CHECK(fgets(got, sizeof(got), f) != NULL);
    fclose(f);
  }
  CHECK_STR(got, evil + 0);  /* neither truncated nor rewritten */

  /* an explicit --lock shared with that user: locked, never written, and
   * its text kept off the terminal */
  CHECK_INT(cli_lock_acquire(path, &a, &e), XD_E_PERM);
  CHECK(strchr(e.msg, '\x1b') == NULL && strchr(e.msg, '\x07') == NULL);
  CHECK(strstr(e.msg, "owned") == NULL);
  flock(held, LOCK_UN);
  CHECK_INT(cli_lock_acquire(path, &a, &e), XD_OK);
  cli_lock_release(a);
  f = fopen(path, "r");
  if(f) {
    CHECK(fgets(got, sizeof(got), f) != NULL);
    fclose(f);
  }
  CHECK_STR(got, evil + 0);
  close(held);

  /* no XDG_RUNTIME_DIR (cron): root's default is its own, not /tmp's */
  unsetenv("XDG_RUNTIME_DIR");
  cli_lock_default_path(def, sizeof(def));
  if(geteuid() == 0)
    CHECK_STR(def, "/run/lock/xacct-doctor-0.lock");
  CHECK(strcmp(def, "/tmp/xacct-doctor.lock") != 0);
  /* a folder others may write is no private runtime dir */
  CHECK(chmod(run, 0777) == 0);
  setenv("XDG_RUNTIME_DIR", run, 1);
  cli_lock_default_path(def, sizeof(def));
  CHECK(strcmp(def, path) != 0);
  unsetenv("XDG_RUNTIME_DIR");
}

static void test_retention(const cJSON *result)
{
  char dir[512], written[4096], first[4096] = "";
  xd_err e = {0};
  struct stat st;
  snprintf(dir, sizeof(dir), "%s/hist-keep/sub", tmp);
  for(int i = 0; i < 5; i++) {
    CHECK_INT(cli_history_store(dir, 3, result, written, sizeof(written), &e),
              XD_OK);
    if(i == 0)
      snprintf(first, sizeof(first), "%s", written);
    CHECK_CONTAINS(written, "/result-");
  }
  CHECK_INT(count_results(dir), 3);
  CHECK(!xd_is_file(first));        /* the oldest went first */
  CHECK(xd_is_file(written));       /* the newest stays */
  CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
  /* what is kept is the result, whole */
  {
    cJSON *back = NULL;
    CHECK_INT(xd_json_parse_file(written, &back, &e), XD_OK);
    CHECK(cJSON_Compare(back, result, true));
    cJSON_Delete(back);
  }
  /* files that are not ours are left alone */
  {
    char other[600];
    snprintf(other, sizeof(other), "%s/notes.txt", dir);
    CHECK_INT(xd_file_write_atomic(other, "x", 1, &e), XD_OK);
    CHECK_INT(cli_history_store(dir, 1, result, NULL, 0, &e), XD_OK);
    CHECK_INT(count_results(dir), 1);
    CHECK(xd_is_file(other));
  }
}

static const cJSON *change_for(const cJSON *changes, const char *resource)
{
  const cJSON *c;
  cJSON_ArrayForEach(c, changes) {
    const char *r = xd_json_str(c, "resource");
    if(r && !strcmp(r, resource))
      return c;
  }
  return NULL;
}

static void test_changes(void)
{
  char dir[512];
  xd_err e = {0};
  cJSON *ok = load("history-reachable.json");
  cJSON *bad = load("history-blocked.json");
  cJSON *older = load("history-reachable.json");
  const cJSON *changes, *c;
  CHECK(ok && bad && older);
  if(!ok || !bad || !older)
    goto done;
  snprintf(dir, sizeof(dir), "%s/hist-changes", tmp);
  /* an older reachable run whose route differs: the newest one must win */
  cJSON_ReplaceItemInObjectCaseSensitive(older, "started_at",
                                         cJSON_CreateString("2026-01-01T00:00:00Z"));
  CHECK_INT(cli_history_store(dir, 10, older, NULL, 0, &e), XD_OK);
  CHECK_INT(cli_history_store(dir, 10, ok, NULL, 0, &e), XD_OK);
  /* a broken file in the history is skipped, not fatal */
  {
    char junk[600];
    snprintf(junk, sizeof(junk), "%s/result-99999999T999999.999Z.json", dir);
    CHECK_INT(xd_file_write_atomic(junk, "{\"trunc", 7, &e), XD_OK);
  }
  CHECK_INT(cli_history_changes(dir, bad, &e), XD_OK);
  changes = xd_json_array(bad, "changes");
  CHECK_INT(cJSON_GetArraySize(changes), 1);
  c = change_for(changes, "rtb-0studio1111aaaa");
  CHECK(c != NULL);
  if(c) {
    CHECK_STR(xd_json_str(c, "hop_kind"), "route-table");
    CHECK_STR(xd_json_str(c, "since"), "2026-11-28T03:00:00Z");
    CHECK_STR(xd_json_str(c, "before"),
              "route 2.0.1.0/24 -> pcx-0abc1111aaaa (active)");
    CHECK_STR(xd_json_str(c, "after"), "no route matches 2.0.1.10");
    CHECK_STR(xd_json_str(xd_json_path(c, "path", "to", NULL), "ip"), "2.0.1.10");
  }
  /* the hops after the stop were not evaluated now: not reported as gone */
  CHECK(change_for(changes, "pcx-0abc1111aaaa") == NULL);

  /* a hop that disappeared in the middle, and a group replaced */
  {
    cJSON *now = cJSON_Duplicate(ok, true);
    cJSON *path = cJSON_GetArrayItem(cJSON_GetObjectItem(now, "paths"), 0);
    cJSON *hops = cJSON_GetObjectItem(path, "hops");
    cJSON *sg = cJSON_GetArrayItem(hops, 7);
    cJSON_ReplaceItemInObjectCaseSensitive(path, "verdict",
                                           cJSON_CreateString("blocked"));
    cJSON_DeleteItemFromArray(hops, 4);   /* the peering hop */
    cJSON_ReplaceItemInObjectCaseSensitive(sg, "resource",
                                           cJSON_CreateString("sg-0new"));
    cJSON_ReplaceItemInObjectCaseSensitive(sg, "verdict", cJSON_CreateString("deny"));
    cJSON_ReplaceItemInObjectCaseSensitive(sg, "detail",
                                           cJSON_CreateString("no rule allows tcp 8998"));
    CHECK_INT(cli_history_changes(dir, now, &e), XD_OK);
    changes = xd_json_array(now, "changes");
    CHECK_INT(cJSON_GetArraySize(changes), 2);
    c = change_for(changes, "pcx-0abc1111aaaa");
    CHECK(c && cJSON_IsNull(cJSON_GetObjectItem(c, "after")));
    c = change_for(changes, "sg-0emrmaster2222");
    CHECK(c != NULL);
    if(c)
      CHECK_STR(xd_json_str(c, "after"), "sg-0new: no rule allows tcp 8998");
    cJSON_Delete(now);
  }
  /* a reachable path asks nothing; an empty history gives no change */
  CHECK_INT(cli_history_changes(dir, ok, &e), XD_OK);
  CHECK_INT(cJSON_GetArraySize(xd_json_array(ok, "changes")), 0);
done:
  cJSON_Delete(ok);
  cJSON_Delete(bad);
  cJSON_Delete(older);
}

int main(void)
{
  cJSON *sample;
  snprintf(tmp, sizeof(tmp), "/tmp/xd-cron-test.XXXXXX");
  if(!mkdtemp(tmp)) {
    perror("mkdtemp");
    return 1;
  }
  sample = load("sample.json");
  CHECK(sample != NULL);
  test_lock();
  test_lock_hostile();
  if(sample)
    test_retention(sample);
  test_changes();
  cJSON_Delete(sample);
  {
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    if(system(cmd) != 0)
      fprintf(stderr, "could not remove %s\n", tmp);
  }
  return CHECK_DONE();
}
