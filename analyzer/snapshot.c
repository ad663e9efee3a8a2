/* analyzer/snapshot.c: walk a snapshot folder (account and region folders)
 * and what every reader shares: opening a file safely (inside the folder,
 * size-limited, valid UTF-8 JSON with the right top-level key), field paths
 * and line numbers for messages, the record of absent files. Typed field
 * access is in snapshot_fields.c; the readers are snapshot_ec2.c (VPCs,
 * subnets, routes), snapshot_rules.c (security groups, ACLs),
 * snapshot_pcx.c (peering, interfaces, prefix lists), snapshot_emr.c (EMR,
 * SageMaker) and snapshot_iam.c (IAM, the role file). */
#include "snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/fileio.h"
#include "../common/jsonarena.h"
#include "../common/jsonutil.h"
#include "intent.h"
#include "snapshot_priv.h"

/* ---- growing arrays, errors, field paths ---- */

void *ld_grow(az_ld *L, void *arr, size_t n, size_t *cap, size_t elem)
{
  size_t ncap;
  void *p;
  if(n < *cap && arr)
    return arr;
  ncap = *cap ? *cap * 2 : 8;
  if(ncap < n + 1)
    ncap = n + 1;
  p = xd_arena_calloc(&L->m->arena, ncap, elem);
  if(!p)
    return NULL;
  if(n)
    memcpy(p, arr, n * elem);
  *cap = ncap;
  return p;
}

xd_rc ld_nomem(az_ld *L)
{
  return xd_fail(L->e, XD_E_NOMEM, "%s: out of memory while loading",
                 L->file[0] ? L->file : "snapshot");
}

/* "Field.Path.key" of the object in hand into out. */
static void field_name(const az_ld *L, const char *key, char *out, size_t n)
{
  if(L->flen && key)
    snprintf(out, n, "%.*s.%s", (int)L->flen, L->field, key);
  else if(L->flen)
    snprintf(out, n, "%.*s", (int)L->flen, L->field);
  else
    snprintf(out, n, "%s", key ? key : "");
}

/* The line of "key": lit in the file in hand (lit NULL: any value; key
 * NULL: lit anywhere), or 0 when it is not there exactly once. The model
 * keeps no positions, but a value that occurs once still names its line. */
static int locate(const az_ld *L, const char *key, const char *lit)
{
  char kq[300];
  const char *needle, *p, *hit = NULL;
  size_t nlen, llen = lit ? strlen(lit) : 0;
  int count = 0, line = 0, col = 0;
  if(!L->text || (!key && !lit))
    return 0;
  if(key) {
    if(strlen(key) > sizeof(kq) - 3 || strpbrk(key, "\"\\"))
      return 0;
    snprintf(kq, sizeof(kq), "\"%s\"", key);
    needle = kq;
  }
  else
    needle = lit;
  nlen = strlen(needle);
  for(p = strstr(L->text, needle); p; p = strstr(p + 1, needle)) {
    const char *q = p + nlen;
    if(key) {
      q += strspn(q, " \t\r\n");
      if(*q != ':')
        continue;
      q += 1 + strspn(q + 1, " \t\r\n");
      if(lit && (strncmp(q, lit, llen) ||
                 (lit[0] != '"' && strchr("0123456789.eE", q[llen]) &&
                  q[llen])))
        continue;
    }
    if(++count > 1)
      return 0;
    hit = p;
  }
  if(!hit)
    return 0;
  xd_line_col(L->text, (size_t)(hit - L->text), &line, &col);
  return line;
}

static xd_rc fail_v(az_ld *L, xd_rc rc, const char *key, const char *lit,
                    const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static xd_rc fail_v(az_ld *L, xd_rc rc, const char *key, const char *lit,
                    const char *fmt, va_list ap)
{
  char what[512], field[LD_FIELD_MAX + 128], at[32] = "";
  int line = locate(L, key, lit);
  vsnprintf(what, sizeof(what), fmt, ap);
  field_name(L, key, field, sizeof(field));
  if(line)
    snprintf(at, sizeof(at), "line %d: ", line);
  if(field[0])
    return xd_fail(L->e, rc, "%s: %s%s: %s", L->file, at, field, what);
  return xd_fail(L->e, rc, "%s: %s%s", L->file, at, what);
}

xd_rc ld_fail(az_ld *L, xd_rc rc, const char *key, const char *fmt, ...)
{
  va_list ap;
  xd_rc r;
  va_start(ap, fmt);
  r = fail_v(L, rc, key, NULL, fmt, ap);
  va_end(ap);
  return r;
}

xd_rc ld_fail_lit(az_ld *L, xd_rc rc, const char *key, const char *lit,
                  const char *fmt, ...)
{
  va_list ap;
  xd_rc r;
  va_start(ap, fmt);
  r = fail_v(L, rc, key, lit, fmt, ap);
  va_end(ap);
  return r;
}

xd_rc ld_bad_value(az_ld *L, const char *key, const char *val,
                   const char *what)
{
  char lit[300];
  const char *l = NULL;
  if(strlen(val) < sizeof(lit) - 3 && !strpbrk(val, "\"\\")) {
    snprintf(lit, sizeof(lit), "\"%s\"", val);
    l = lit;
  }
  return ld_fail_lit(L, XD_E_INVALID, key, l, "\"%.200s\" is not %s", val,
                     what);
}

/* Append s (n bytes) to the field path, cut short when it does not fit
 * (the message still names the file); returns the mark to leave with.
 * Every element of every file passes here, so no printf. */
static size_t field_append(az_ld *L, const char *s, size_t n)
{
  size_t mark = L->flen, room = sizeof(L->field) - 1 - L->flen;
  if(n > room)
    n = room;
  memcpy(L->field + L->flen, s, n);
  L->flen += n;
  L->field[L->flen] = '\0';
  return mark;
}

size_t ld_enter(az_ld *L, const char *key)
{
  size_t mark = L->flen;
  if(L->flen)
    field_append(L, ".", 1);
  field_append(L, key, strlen(key));
  return mark;
}

size_t ld_enter_idx(az_ld *L, size_t i)
{
  char buf[24], *p = buf + sizeof(buf);
  *--p = ']';
  do
    *--p = (char)('0' + i % 10);
  while(i /= 10);
  *--p = '[';
  return field_append(L, p, (size_t)(buf + sizeof(buf) - p));
}

void ld_leave(az_ld *L, size_t mark)
{
  L->flen = mark;
  L->field[mark] = '\0';
}

/* ---- files ---- */

/* Refuse what resolves outside the snapshot folder: a customer's snapshot
 * is outside input, and a symlink in it must not make us read (and quote
 * in a report) a file elsewhere on this machine. */
static xd_rc check_inside(az_ld *L, const char *full)
{
  char *real = realpath(full, NULL);
  size_t n = strlen(L->root_real);
  xd_rc rc = XD_OK;
  if(!real) {
    if(errno == ENOMEM)
      return ld_nomem(L);
    return xd_fail(L->e, XD_E_IO, "%s: cannot resolve: %s (a broken "
                   "symbolic link?)", full, strerror(errno));
  }
  if(!(n == 1 && L->root_real[0] == '/') &&
     (strncmp(real, L->root_real, n) != 0 ||
      (real[n] != '/' && real[n] != '\0')))
    rc = xd_fail(L->e, XD_E_IO, "%s: refused: it leads out of the snapshot "
                 "folder (to %s)", full, real);
  free(real);
  return rc;
}

/* Remember that snapshot-relative folder rel (or root/a/b) is inside. */
static void set_checked_dir(az_ld *L, const char *a, const char *b)
{
  int n = b ? snprintf(L->inside, sizeof(L->inside), "%s/%s", a, b)
            : snprintf(L->inside, sizeof(L->inside), "%s", a);
  if(n < 0 || (size_t)n >= sizeof(L->inside))
    L->inside[0] = '\0';
}

/* Whether rel names an entry of the folder last found inside: lstat()
 * said it is a regular file, not a symbolic link, so it is inside too and
 * realpath() (a readlink() per component, for each of thousands of files)
 * would only say so again. */
static bool in_checked_dir(const az_ld *L, const char *rel)
{
  size_t n = strlen(L->inside);
  return n && !strncmp(rel, L->inside, n) && rel[n] == '/' &&
         rel[n + 1] && !strchr(rel + n + 1, '/');
}

/* The folder's intent file, when there is one, into out ("" when none);
 * an error when it leads out of the folder or is not a regular file. */
static xd_rc intent_path(az_ld *L, char *out, size_t n)
{
  struct stat st;
  xd_rc rc;
  out[0] = '\0';
  if(snprintf(out, n, "%s/xacct-doctor.json", L->root) >= (int)n)
    return xd_fail(L->e, XD_E_IO, "%s: path too long", L->root);
  if(lstat(out, &st) != 0) {
    out[0] = '\0';
    return XD_OK;
  }
  if((rc = check_inside(L, out)) != XD_OK)
    return rc;
  if(stat(out, &st) == 0 && !S_ISREG(st.st_mode))
    return xd_fail(L->e, XD_E_IO, S_ISDIR(st.st_mode)
                   ? "%s: is a directory where a file was expected"
                   : "%s: not a regular file", out);
  return XD_OK;
}

xd_rc az_snapshot_intent_path(const char *dir, char *out, size_t n, xd_err *e)
{
  az_ld L;
  xd_rc rc;
  memset(&L, 0, sizeof(L));
  L.e = e;
  L.root = (char *)dir;
  L.root_real = realpath(dir, NULL);
  out[0] = '\0';
  if(!L.root_real)
    return xd_fail(e, XD_E_IO, "%s: %s", dir, strerror(errno));
  rc = intent_path(&L, out, n);
  free(L.root_real);
  if(rc != XD_OK)
    out[0] = '\0';
  return rc;
}

/* "aws ec2 describe-vpcs" from "ec2-describe-vpcs.json", for messages. */
static void command_of(const char *rel, char *out, size_t n)
{
  const char *base = strrchr(rel, '/'), *dash, *end;
  base = base ? base + 1 : rel;
  dash = strchr(base, '-');
  end = strstr(base, "--");
  if(!end)
    end = strstr(base, ".json");
  if(!dash || !end || end <= dash) {
    snprintf(out, n, "%s", base);
    return;
  }
  snprintf(out, n, "aws %.*s %.*s", (int)(dash - base), base,
           (int)(end - dash - 1), dash + 1);
}

bool ld_exists(az_ld *L, const char *rel)
{
  char full[4096];
  struct stat st;
  int n = snprintf(full, sizeof(full), "%s/%s", L->root, rel);
  return n > 0 && (size_t)n < sizeof(full) && lstat(full, &st) == 0;
}

xd_rc ld_read_raw(az_ld *L, const char *rel, size_t *len, bool *present)
{
  struct stat st;
  xd_rc rc;
  int n;
  *present = false;
  *len = 0;
  ld_close(L, NULL);
  n = snprintf(L->file, sizeof(L->file), "%s/%s", L->root, rel);
  if(n < 0 || (size_t)n >= sizeof(L->file))
    return xd_fail(L->e, XD_E_IO, "%s/%s: path too long", L->root, rel);
  if(lstat(L->file, &st) != 0) {
    if(errno == ENOENT || errno == ENOTDIR)
      return XD_OK;
    return xd_fail(L->e, XD_E_IO, "%s: %s", L->file, strerror(errno));
  }
  if(!S_ISREG(st.st_mode) || !in_checked_dir(L, rel)) {
    rc = check_inside(L, L->file);
    if(rc != XD_OK)
      return rc;
  }
  L->rel = xd_arena_strdup(&L->m->arena, rel);
  if(!L->rel)
    return ld_nomem(L);
  rc = xd_file_read(L->file, XD_MAX_INPUT_FILE, &L->text, len, L->e);
  if(rc == XD_OK)
    *present = true;
  return rc;
}

xd_rc ld_open(az_ld *L, const char *rel, const char *key, cJSON **out)
{
  cJSON *root = NULL;
  size_t len = 0;
  bool present;
  xd_rc rc;
  *out = NULL;
  rc = ld_read_raw(L, rel, &len, &present);
  if(rc != XD_OK || !present)
    return rc;
  /* one tree in the arena at a time: a reader that opens a file before
   * closing the last gets a tree of its own */
  if(!L->json_root) {
    rc = xd_json_parse_arena(L->file, L->text, len, &L->json, &root, L->e);
    if(rc != XD_OK) {
      xd_arena_free(&L->json);
      return rc;
    }
    L->json_root = root;
  }
  else if((rc = xd_json_parse_text(L->file, L->text, len, &root, L->e)))
    return rc;
  if(key && (!cJSON_IsObject(root) ||
             !cJSON_GetObjectItemCaseSensitive(root, key))) {
    char cmd[160];
    int line, col;
    const cJSON *first = cJSON_IsObject(root) ? root->child : NULL;
    command_of(rel, cmd, sizeof(cmd));
    xd_line_col(L->text, strspn(L->text, " \t\r\n"), &line, &col);
    if(!cJSON_IsObject(root))
      rc = xd_fail(L->e, XD_E_PARSE, "%s: line %d: expected a JSON object "
                   "with the top-level key \"%s\" (what `%s` prints)",
                   L->file, line, key, cmd);
    else
      rc = xd_fail(L->e, XD_E_PARSE, "%s: line %d: expected the top-level "
                   "key \"%s\" (what `%s` prints), found %s%.100s%s",
                   L->file, line, key, cmd, first ? "\"" : "an empty object",
                   first && first->string ? first->string : "",
                   first ? "\"" : "");
    ld_close(L, root);
    return rc;
  }
  L->flen = 0;
  L->field[0] = '\0';
  *out = root;
  return XD_OK;
}

void ld_close(az_ld *L, cJSON *root)
{
  if(root && root == L->json_root) {
    if(L->json_kept)
      xd_arena_adopt(&L->m->arena, &L->json);
    else
      xd_arena_free(&L->json);
    L->json_root = NULL;
    L->json_kept = false;
  }
  else
    cJSON_Delete(root);
  free(L->text);
  L->text = NULL;
  L->flen = 0;
  L->field[0] = '\0';
}

xd_rc ld_open_in(az_ld *L, const char *name, const char *key,
                 const char *what, cJSON **out)
{
  const char *rel = ld_rel(L, L->region, name);
  xd_rc rc;
  *out = NULL;
  if(!rel)
    return ld_nomem(L);
  rc = ld_open(L, rel, key, out);
  if(rc != XD_OK || *out || !what)
    return rc;
  return ld_missing(L, rel, what);
}

xd_rc ld_load_list(az_ld *L, const char *name, const char *key,
                   const char *what, ld_read_fn read, void *ctx)
{
  const cJSON *arr;
  cJSON *root = NULL;
  xd_rc rc = ld_open_in(L, name, key, what, &root);
  if(rc != XD_OK || !root)
    return rc;
  if((rc = ld_top_array(L, root, key, &arr)) == XD_OK)
    rc = ld_each(L, arr, key, read, ctx);
  ld_close(L, root);
  return rc;
}

const char *ld_rel(az_ld *L, const char *region, const char *name)
{
  char buf[4096];
  int n = region ? snprintf(buf, sizeof(buf), "%s/%s/%s", L->account, region,
                            name)
                 : snprintf(buf, sizeof(buf), "%s/%s", L->account, name);
  if(n < 0 || (size_t)n >= sizeof(buf))
    return NULL;
  return xd_arena_strdup(&L->m->arena, buf);
}

xd_rc ld_missing(az_ld *L, const char *rel, const char *what)
{
  az_missing *ms = LD_SLOT(L, L->m->missing, L->m->n_missing, L->cap_missing);
  if(!ms)
    return ld_nomem(L);
  ms->account = (char *)L->account;
  ms->region = (char *)L->region;
  ms->file = xd_arena_strdup(&L->m->arena, rel);
  ms->what = xd_arena_strdup(&L->m->arena, what);
  if(!ms->file || !ms->what)
    return ld_nomem(L);
  return XD_OK;
}

xd_rc ld_own(az_ld *L, cJSON *j)
{
  az_model *m = L->m;
  if(L->json_root && xd_arena_holds(&L->json, j)) {
    L->json_kept = true;
    return XD_OK;
  }
  if(m->n_owned_json == m->cap_owned_json) {
    size_t cap = m->cap_owned_json ? m->cap_owned_json * 2 : 16;
    cJSON **p = realloc(m->owned_json, cap * sizeof(*p));
    if(!p) {
      cJSON_Delete(j);
      return ld_nomem(L);
    }
    m->owned_json = p;
    m->cap_owned_json = cap;
  }
  m->owned_json[m->n_owned_json++] = j;
  return XD_OK;
}

/* ---- the walk ---- */

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **v, size_t n)
{
  for(size_t i = 0; v && i < n; i++)
    free(v[i]);
  free(v);
}

/* The entries of folder full, sorted so that loading (and every report)
 * does not depend on the order the file system lists them in. */
static xd_rc list_dir(az_ld *L, const char *full, char ***out, size_t *n)
{
  DIR *d = opendir(full);
  struct dirent *de;
  char **v = NULL;
  size_t cap = 0, cnt = 0;
  xd_rc rc = XD_OK;
  *out = NULL;
  *n = 0;
  if(!d)
    return xd_fail(L->e, XD_E_IO, "%s: cannot list: %s", full,
                   strerror(errno));
  while((de = readdir(d)) != NULL) {
    if(de->d_name[0] == '.')
      continue;
    if(cnt == cap) {
      size_t ncap = cap ? cap * 2 : 32;
      char **p = realloc(v, ncap * sizeof(*p));
      if(!p) {
        rc = ld_nomem(L);
        goto done;
      }
      v = p;
      cap = ncap;
    }
    v[cnt] = strdup(de->d_name);
    if(!v[cnt]) {
      rc = ld_nomem(L);
      goto done;
    }
    cnt++;
  }
  if(cnt)
    qsort(v, cnt, sizeof(*v), cmp_names);
  *out = v;
  *n = cnt;
  v = NULL;
done:
  closedir(d);
  free_names(v, cnt);
  return rc;
}

/* "us-east-1", "us-gov-west-1", "cn-north-1": letters parts, then a
 * number. Other folders (notes, a stray "tmp") are not regions. */
static bool region_like(const char *s)
{
  size_t n = strlen(s), parts = 0;
  const char *p = s;
  if(n < 6 || n > 32)
    return false;
  while(*p) {
    size_t len = strcspn(p, "-");
    bool last = p[len] == '\0';
    if(len == 0)
      return false;
    for(size_t i = 0; i < len; i++) {
      char c = p[i];
      if(last ? (c < '0' || c > '9') : (c < 'a' || c > 'z'))
        return false;
    }
    parts++;
    p += len;
    if(*p == '-')
      p++;
    if(last)
      break;
  }
  return parts >= 3 && strlen(s) >= 2 && s[2] == '-';
}

/* a/b or a/b/c into out; false when it does not fit */
static bool path_join(char *out, size_t n, const char *a, const char *b,
                      const char *c)
{
  int k = c ? snprintf(out, n, "%s/%s/%s", a, b, c)
            : snprintf(out, n, "%s/%s", a, b);
  return k > 0 && (size_t)k < n;
}

static bool is_dir_at(const char *full)
{
  struct stat st;
  return stat(full, &st) == 0 && S_ISDIR(st.st_mode);
}

static xd_rc load_region(az_ld *L, const char *region)
{
  char full[4096];
  char **names = NULL;
  size_t n = 0;
  xd_rc rc;
  if(!path_join(full, sizeof(full), L->root, L->account, region))
    return xd_fail(L->e, XD_E_IO, "%s/%s/%s: path too long", L->root,
                   L->account, region);
  rc = check_inside(L, full);
  if(rc != XD_OK)
    return rc;
  set_checked_dir(L, L->account, region);
  L->region = xd_arena_strdup(&L->m->arena, region);
  if(!L->region)
    return ld_nomem(L);
  rc = list_dir(L, full, &names, &n);
  if(rc != XD_OK)
    return rc;
  ld_set_free(&L->ref_pls);
  ld_set_free(&L->ref_secconfs);
  L->ref_enis = false;
  rc = ld_region_ec2(L, names, n);
  if(rc == XD_OK)
    rc = ld_region_emr(L, names, n);
  if(rc == XD_OK)
    rc = ld_region_studio(L, names, n);
  if(rc == XD_OK)
    rc = ld_load_dhcp(L);
  if(rc == XD_OK)
    rc = ld_load_resolver(L);
  free_names(names, n);
  return rc;
}

static xd_rc load_account(az_ld *L, const char *name)
{
  char full[4096];
  char **names = NULL;
  size_t n = 0, i;
  az_account *a;
  xd_rc rc;
  if(!path_join(full, sizeof(full), L->root, name, NULL))
    return xd_fail(L->e, XD_E_IO, "%s/%s: path too long", L->root, name);
  rc = check_inside(L, full);
  if(rc != XD_OK)
    return rc;
  L->account = xd_arena_strdup(&L->m->arena, name);
  L->region = NULL;
  a = LD_SLOT(L, L->m->accounts, L->m->n_accounts, L->cap_accounts);
  if(!a || !L->account)
    return ld_nomem(L);
  a->id = (char *)L->account;
  rc = list_dir(L, full, &names, &n);
  if(rc != XD_OK)
    return rc;
  a->regions = xd_arena_calloc(&L->m->arena, n + 1, sizeof(char *));
  if(!a->regions) {
    rc = ld_nomem(L);
    goto done;
  }
  for(i = 0; i < n; i++) {
    char sub[4096];
    if(!region_like(names[i]) ||
       !path_join(sub, sizeof(sub), full, names[i], NULL) || !is_dir_at(sub))
      continue;
    a->regions[a->n_regions] = xd_arena_strdup(&L->m->arena, names[i]);
    if(!a->regions[a->n_regions]) {
      rc = ld_nomem(L);
      goto done;
    }
    a->n_regions++;
  }
  /* a may move as later accounts are added; the regions array does not */
  {
    char **regions = a->regions;
    size_t nr = a->n_regions;
    for(i = 0; i < nr; i++) {
      rc = load_region(L, regions[i]);
      if(rc != XD_OK)
        goto done;
    }
  }
  L->region = NULL;
  set_checked_dir(L, L->account, NULL);
  rc = ld_account_iam(L);
  if(rc == XD_OK)
    rc = ld_account_rolefile(L);
done:
  free_names(names, n);
  return rc;
}

xd_rc az_snapshot_load(const char *dir, az_model *m, xd_err *e)
{
  az_ld L;
  char **names = NULL;
  size_t n = 0, len;
  xd_rc rc = XD_OK;

  memset(m, 0, sizeof(*m));
  memset(&L, 0, sizeof(L));
  xd_arena_init(&m->arena);
  L.m = m;
  L.e = e;
  if(!dir || !*dir)
    return xd_fail(e, XD_E_USAGE, "no snapshot folder given");
  {
    struct stat st;
    if(stat(dir, &st) != 0)
      return xd_fail(e, XD_E_IO, "%s: not a snapshot folder: %s", dir,
                     strerror(errno));
    if(!S_ISDIR(st.st_mode))
      return xd_fail(e, XD_E_IO, "%s: not a snapshot folder (not a "
                     "directory)", dir);
  }
  len = strlen(dir);
  while(len > 1 && dir[len - 1] == '/')
    len--;
  L.root = strndup(dir, len);
  L.root_real = realpath(dir, NULL);
  m->root = xd_arena_strdup(&m->arena, dir);
  if(!L.root || !L.root_real || !m->root) {
    rc = L.root_real ? ld_nomem(&L)
                     : xd_fail(e, XD_E_IO, "%s: %s", dir, strerror(errno));
    goto done;
  }
  /* the intent in the folder is read by the caller (cli/), but it is part
   * of what a customer sends: it must not lead out of the folder either */
  {
    char full[4096];
    if((rc = intent_path(&L, full, sizeof(full))) != XD_OK)
      goto done;
  }
  rc = list_dir(&L, L.root, &names, &n);
  if(rc != XD_OK)
    goto done;
  for(size_t i = 0; i < n; i++) {
    char full[4096];
    if(!az_is_account_id(names[i]) ||
       !path_join(full, sizeof(full), L.root, names[i], NULL) ||
       !is_dir_at(full))
      continue;
    rc = load_account(&L, names[i]);
    if(rc != XD_OK)
      goto done;
  }
  L.account = NULL;
  L.region = NULL;
  L.inside[0] = '\0';
  rc = ld_fetch_errors(&L);
done:
  ld_close(&L, L.json_root);
  xd_arena_free(&L.json);
  ld_set_free(&L.ref_pls);
  ld_set_free(&L.ref_secconfs);
  free_names(names, n);
  free(L.root);
  free(L.root_real);
  if(rc != XD_OK)
    az_model_free(m);
  return rc;
}
