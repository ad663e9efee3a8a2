#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool xd_is_dir(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool xd_is_file(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

xd_rc xd_file_read(const char *path, size_t max, char **out, size_t *len,
                   xd_err *e)
{
  xd_rc rc = XD_OK;
  struct stat st;
  char *data = NULL;
  size_t used = 0, cap;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  *out = NULL;
  if(fd < 0) {
    rc = xd_fail(e, errno == ENOENT ? XD_E_NOTFOUND : XD_E_IO,
                 "%s: cannot open: %s", path, strerror(errno));
    goto done;
  }
  if(fstat(fd, &st) != 0) {
    rc = xd_fail(e, XD_E_IO, "%s: %s", path, strerror(errno));
    goto done;
  }
  if(S_ISDIR(st.st_mode)) {
    rc = xd_fail(e, XD_E_IO, "%s: is a directory where a file was expected",
                 path);
    goto done;
  }
  if(!S_ISREG(st.st_mode)) {
    rc = xd_fail(e, XD_E_IO, "%s: not a regular file", path);
    goto done;
  }
  if((size_t)st.st_size > max) {
    rc = xd_fail(e, XD_E_INVALID,
                 "%s: file is %lld bytes, larger than the limit of %zu",
                 path, (long long)st.st_size, max);
    goto done;
  }
  /* room for the NUL and for the read that sees the end: no realloc
   * (which would leave a copy of a secret file in freed memory) */
  cap = (size_t)st.st_size + 2;
  data = malloc(cap);
  if(!data) {
    rc = xd_fail(e, XD_E_NOMEM, "%s: out of memory", path);
    goto done;
  }
  for(;;) {
    ssize_t n;
    if(used + 1 >= cap) {
      char *p;
      /* the file grew after fstat; refuse only once it is past max */
      if(used > max) {
        rc = xd_fail(e, XD_E_INVALID, "%s: grew past the limit of %zu bytes",
                     path, max);
        goto done;
      }
      p = realloc(data, cap * 2);
      if(!p) {
        rc = xd_fail(e, XD_E_NOMEM, "%s: out of memory", path);
        goto done;
      }
      data = p;
      cap *= 2;
    }
    n = read(fd, data + used, cap - used - 1);
    if(n < 0) {
      if(errno == EINTR)
        continue;
      rc = xd_fail(e, XD_E_IO, "%s: read failed: %s", path, strerror(errno));
      goto done;
    }
    if(n == 0)
      break;
    used += (size_t)n;
  }
  if(used > max) {
    rc = xd_fail(e, XD_E_INVALID, "%s: grew past the limit of %zu bytes",
                 path, max);
    goto done;
  }
  data[used] = '\0';
  *out = data;
  data = NULL;
  if(len)
    *len = used;
done:
  free(data);
  if(fd >= 0)
    close(fd);
  return rc;
}

/* A fixed table, so the signal handler touches no heap. */
#define TMP_SLOTS 16
static char tmp_paths[TMP_SLOTS][4096];
static volatile sig_atomic_t tmp_used[TMP_SLOTS];

void xd_tmp_register(const char *path)
{
  for(int i = 0; i < TMP_SLOTS; i++) {
    if(!tmp_used[i]) {
      snprintf(tmp_paths[i], sizeof(tmp_paths[i]), "%s", path);
      tmp_used[i] = 1;
      return;
    }
  }
}

void xd_tmp_unregister(const char *path)
{
  for(int i = 0; i < TMP_SLOTS; i++) {
    if(tmp_used[i] && !strcmp(tmp_paths[i], path)) {
      tmp_used[i] = 0;
      return;
    }
  }
}

void xd_tmp_cleanup_signal_safe(void)
{
  for(int i = 0; i < TMP_SLOTS; i++) {
    if(tmp_used[i]) {
      unlink(tmp_paths[i]);
      tmp_used[i] = 0;
    }
  }
}

static xd_rc write_all(int fd, const void *data, size_t len)
{
  const char *p = data;
  while(len) {
    ssize_t n = write(fd, p, len);
    if(n < 0) {
      if(errno == EINTR)
        continue;
      return XD_E_IO;
    }
    p += n;
    len -= (size_t)n;
  }
  return XD_OK;
}

xd_rc xd_out_open(xd_out_stream *o, const char *path, xd_err *e)
{
  const char *slash;
  struct stat st;
  memset(o, 0, sizeof(*o));
  o->fd = -1;
  if(!strcmp(path, "-")) {
    o->to_stdout = true;
    o->fd = STDOUT_FILENO;
    snprintf(o->path, sizeof(o->path), "stdout");
    return XD_OK;
  }
  snprintf(o->path, sizeof(o->path), "%s", path);
  /* /dev/null, a FIFO, a terminal: written in place. A rename would put a
   * regular file where the device was (as root, for everyone). */
  if(stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    o->in_place = true;
    o->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if(o->fd < 0)
      return xd_fail(e, XD_E_IO, "%s: cannot open: %s", path,
                     strerror(errno));
    return XD_OK;
  }
  slash = strrchr(path, '/');
  if(slash)
    snprintf(o->tmp, sizeof(o->tmp), "%.*s/.%s.tmp.XXXXXX",
             (int)(slash - path), path, slash + 1);
  else
    snprintf(o->tmp, sizeof(o->tmp), ".%s.tmp.XXXXXX", path);
  o->fd = mkstemp(o->tmp);
  if(o->fd < 0)
    return xd_fail(e, XD_E_IO, "%s: cannot create a temporary file beside "
                   "it: %s", path, strerror(errno));
  xd_tmp_register(o->tmp);
  o->registered = true;
  if(fchmod(o->fd, 0644) != 0) {
    xd_rc rc = xd_fail(e, XD_E_IO, "%s: write failed: %s", path,
                       strerror(errno));
    xd_out_abort(o);
    return rc;
  }
  return XD_OK;
}

xd_rc xd_out_write(xd_out_stream *o, const void *data, size_t len, xd_err *e)
{
  if(write_all(o->fd, data, len) != XD_OK)
    return xd_fail(e, XD_E_IO, "%s: write failed: %s", o->path,
                   strerror(errno));
  return XD_OK;
}

xd_rc xd_out_commit(xd_out_stream *o, xd_err *e)
{
  xd_rc rc = XD_OK;
  char dirbuf[4096];
  int dfd;
  if(o->to_stdout) {
    o->fd = -1;
    return XD_OK;
  }
  if(o->in_place) {
    dfd = o->fd;
    o->fd = -1;
    if(close(dfd) != 0)
      return xd_fail(e, XD_E_IO, "%s: write failed: %s", o->path,
                     strerror(errno));
    return XD_OK;
  }
  if(fsync(o->fd) != 0) {
    rc = xd_fail(e, XD_E_IO, "%s: write failed: %s", o->path, strerror(errno));
    goto done;
  }
  dfd = o->fd;
  o->fd = -1;
  if(close(dfd) != 0) {
    rc = xd_fail(e, XD_E_IO, "%s: write failed: %s", o->path, strerror(errno));
    goto done;
  }
  if(rename(o->tmp, o->path) != 0) {
    rc = xd_fail(e, XD_E_IO, "%s: cannot rename into place: %s", o->path,
                 strerror(errno));
    goto done;
  }
  xd_tmp_unregister(o->tmp);
  o->registered = false;
  /* make the rename itself durable */
  snprintf(dirbuf, sizeof(dirbuf), "%s", o->path);
  dfd = open(dirname(dirbuf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(dfd >= 0) {
    (void)fsync(dfd);
    close(dfd);
  }
done:
  xd_out_abort(o);
  return rc;
}

void xd_out_abort(xd_out_stream *o)
{
  if(o->fd >= 0 && !o->to_stdout)
    close(o->fd);
  o->fd = -1;
  if(o->registered) {
    unlink(o->tmp);
    xd_tmp_unregister(o->tmp);
    o->registered = false;
  }
}

xd_rc xd_file_write_atomic(const char *path, const void *data, size_t len,
                           xd_err *e)
{
  xd_out_stream o;
  xd_rc rc = xd_out_open(&o, path, e);
  if(rc != XD_OK)
    return rc;
  rc = xd_out_write(&o, data, len, e);
  if(rc != XD_OK) {
    xd_out_abort(&o);
    return rc;
  }
  return xd_out_commit(&o, e);
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
  (void)st;
  (void)ftw;
  if(flag == FTW_DP)
    rmdir(path);
  else
    unlink(path);
  return 0;
}

void xd_remove_tree(const char *dir)
{
  if(dir && *dir)
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
