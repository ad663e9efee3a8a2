/* tests/fuzz/fuzz_util.c: see fuzz_util.h. */
#include "fuzz_util.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "reports/report.h"

#define FZ_MAX_DIRS 16

static char dirs[FZ_MAX_DIRS][512];
static int n_dirs;

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(p);
}

static void cleanup(void)
{
  for(int i = 0; i < n_dirs; i++)
    nftw(dirs[i], rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fz_tmpdir(const char *tag)
{
  const char *tmp = getenv("TMPDIR");
  char *d;
  if(n_dirs >= FZ_MAX_DIRS)
    abort();
  d = dirs[n_dirs];
  snprintf(d, sizeof(dirs[0]), "%s/xd-fuzz-%s-XXXXXX",
           tmp && *tmp ? tmp : "/tmp", tag);
  if(!mkdtemp(d)) {
    perror(d);
    abort();
  }
  if(n_dirs++ == 0)
    atexit(cleanup);
  return d;
}

static void mkdirs(const char *path)
{
  char buf[1024];
  size_t n = strlen(path);
  if(n >= sizeof(buf))
    abort();
  memcpy(buf, path, n + 1);
  for(char *p = buf + 1; *p; p++) {
    if(*p != '/')
      continue;
    *p = '\0';
    if(mkdir(buf, 0755) != 0 && errno != EEXIST) {
      perror(buf);
      abort();
    }
    *p = '/';
  }
}

void fz_write(const char *path, const void *data, size_t n)
{
  FILE *f;
  mkdirs(path);
  f = fopen(path, "wb");
  if(!f) {
    perror(path);
    abort();
  }
  if((n && fwrite(data, 1, n, f) != n) || fclose(f) != 0)
    abort();
}

char *fz_read(const char *path, size_t *n)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t len = 0, cap = 0, got;
  if(!f) {
    perror(path);
    abort();
  }
  do {
    if(len + 4096 + 1 > cap) {
      cap = cap ? cap * 2 : 8192;
      buf = realloc(buf, cap);
      if(!buf)
        abort();
    }
    got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
  } while(got > 0);
  fclose(f);
  buf[len] = '\0';
  if(n)
    *n = len;
  return buf;
}

static const char *copy_dst;
static size_t copy_src_len;

static int copy_one(const char *p, const struct stat *st, int flag,
                    struct FTW *ftw)
{
  char to[1024];
  (void)ftw;
  snprintf(to, sizeof(to), "%s%s", copy_dst, p + copy_src_len);
  if(flag == FTW_D) {
    if(mkdir(to, 0755) != 0 && errno != EEXIST)
      return -1;
  }
  else if(flag == FTW_F && S_ISREG(st->st_mode)) {
    size_t n;
    char *data = fz_read(p, &n);
    fz_write(to, data, n);
    free(data);
  }
  return 0;
}

void fz_copy_tree(const char *src, const char *dst)
{
  copy_dst = dst;
  copy_src_len = strlen(src);
  if(nftw(src, copy_one, 16, FTW_PHYS) != 0) {
    fprintf(stderr, "copy %s to %s failed\n", src, dst);
    abort();
  }
}

void fz_render_all(const cJSON *result)
{
  static const rp_format fmts[] = {RP_TEXT, RP_JSON, RP_HTML, RP_PROMETHEUS,
                                   RP_JUNIT};
  static const rp_options opts[] = {
    {false, false, false}, {true, false, true}, {false, true, false}};
  for(size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++) {
    for(size_t o = 0; o < sizeof(opts) / sizeof(opts[0]); o++) {
      xd_buf out;
      xd_err e = {0};
      xd_rc rc;
      /* the options only change the text format */
      if(o > 0 && fmts[f] != RP_TEXT)
        break;
      xd_buf_init(&out);
      rc = rp_render(result, fmts[f], &opts[o], &out, &e);
      if(rc != XD_OK && rc != XD_E_NOMEM) {
        fprintf(stderr, "rp_render(%s) failed: %s\n", rp_format_name(fmts[f]),
                e.msg);
        abort();
      }
      if(rc == XD_OK && out.len == 0) {
        fprintf(stderr, "rp_render(%s) wrote nothing\n",
                rp_format_name(fmts[f]));
        abort();
      }
      xd_buf_free(&out);
    }
  }
}
