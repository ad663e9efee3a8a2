/* Issues: findings while the analysis runs. A fault met on many ports and
 * many paths (one security group missing three ports, for two Studio
 * subnets) is one issue that gathers the ports, and becomes one finding
 * whose remediation fixes all of them at once. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../common/buf.h"
#include "reach.h"

static char *vstrf(az_ctx *c, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static char *vstrf(az_ctx *c, const char *fmt, va_list ap)
{
  char small[512], *p;
  va_list cp;
  int n;
  va_copy(cp, ap);
  n = vsnprintf(small, sizeof(small), fmt, cp);
  va_end(cp);
  if(n < 0)
    return NULL;
  p = xd_arena_alloc(&c->a, (size_t)n + 1);
  if(!p) {
    c->nomem = true;
    return NULL;
  }
  if((size_t)n < sizeof(small))
    memcpy(p, small, (size_t)n + 1);
  else
    vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

void az_fmt(char *out, size_t n, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out, n, fmt, ap);
  va_end(ap);
}

char *az_strf(az_ctx *c, const char *fmt, ...)
{
  va_list ap;
  char *p;
  va_start(ap, fmt);
  p = vstrf(c, fmt, ap);
  va_end(ap);
  return p;
}

char *az_json_str(az_ctx *c, const char *s)
{
  cJSON *j = cJSON_CreateString(s ? s : "");
  char *q = j ? cJSON_PrintUnformatted(j) : NULL;
  char *p = q ? az_strf(c, "%s", q) : NULL;
  if(!q)
    c->nomem = true;
  cJSON_free(q);
  cJSON_Delete(j);
  return p;
}

static char *dup(az_ctx *c, const char *s)
{
  char *p;
  if(!s)
    return NULL;
  p = xd_arena_strdup(&c->a, s);
  if(!p)
    c->nomem = true;
  return p;
}

az_issue *az_issue_get(az_ctx *c, const char *code, xd_severity sev,
                       const char *resource, const char *account,
                       const char *region)
{
  char key[512];
  size_t idx;
  az_issue *is;
  snprintf(key, sizeof(key), "%s|%s", code, resource ? resource : "");
  idx = (size_t)(uintptr_t)az_hmap_get(&c->issue_ix, key);
  if(idx) {
    is = &c->issues[idx - 1];
    if(sev > is->sev)
      is->sev = sev;
    return is;
  }
  if(c->n_issues == c->cap_issues) {
    size_t ncap = c->cap_issues ? c->cap_issues * 2 : 32;
    az_issue *ni = realloc(c->issues, ncap * sizeof(*ni));
    if(!ni) {
      c->nomem = true;
      return NULL;
    }
    /* keys live in the arena; the map holds indexes, not pointers, so the
     * move does not invalidate it */
    c->issues = ni;
    c->cap_issues = ncap;
  }
  is = &c->issues[c->n_issues];
  memset(is, 0, sizeof(*is));
  is->code = code;
  is->sev = sev;
  is->resource = dup(c, resource ? resource : "");
  is->account = dup(c, account);
  is->region = dup(c, region);
  {
    char *k = dup(c, key);
    if(!k || az_hmap_put(&c->issue_ix, k, (void *)(uintptr_t)(c->n_issues + 1),
                         false) != XD_OK) {
      c->nomem = true;
      return NULL;
    }
  }
  c->n_issues++;
  return is;
}

void az_issue_port(az_issue *is, int port)
{
  if(!is)
    return;
  for(size_t i = 0; i < is->n_ports; i++)
    if(is->ports[i] == port)
      return;
  if(is->n_ports < sizeof(is->ports) / sizeof(is->ports[0]))
    is->ports[is->n_ports++] = port;
}

/* Append s to a list unless it is there; at most `max` entries. */
static void list_add(az_ctx *c, char ***v, size_t *n, size_t *cap, char *s,
                     size_t max)
{
  for(size_t i = 0; i < *n; i++)
    if(!strcmp((*v)[i], s))
      return;
  if(*n >= max)
    return;
  if(*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 4;
    char **nv = xd_arena_calloc(&c->a, ncap, sizeof(*nv));
    if(!nv) {
      c->nomem = true;
      return;
    }
    if(*n)
      memcpy(nv, *v, *n * sizeof(*nv));
    *v = nv;
    *cap = ncap;
  }
  (*v)[(*n)++] = s;
}

void az_issue_evidence(az_ctx *c, az_issue *is, const char *fmt, ...)
{
  va_list ap;
  char *s;
  if(!is)
    return;
  va_start(ap, fmt);
  s = vstrf(c, fmt, ap);
  va_end(ap);
  /* evidence is for a person: past a dozen lines more says nothing new */
  if(s)
    list_add(c, &is->evidence, &is->n_evidence, &is->cap_evidence, s, 12);
}

void az_issue_extra(az_ctx *c, az_issue *is, const char *s)
{
  char *d;
  if(!is || !s)
    return;
  if((d = dup(c, s)))
    list_add(c, &is->extra, &is->n_extra, &is->cap_extra, d, 64);
}

void az_issue_message(az_ctx *c, az_issue *is, const char *fmt, ...)
{
  va_list ap;
  if(!is || is->message)
    return;
  va_start(ap, fmt);
  is->message = vstrf(c, fmt, ap);
  va_end(ap);
}

void az_issue_remedy(az_ctx *c, az_issue *is, const az_cmd *cmd)
{
  const char *line = az_cmd_line(cmd), *why = az_cmd_why(cmd);
  if(!is || is->remediation)
    return;
  if(line)
    is->remediation = dup(c, line);
  else if(why)
    az_issue_evidence(c, is, "no fix command is given: %s", why);
}

void az_issue_arg(az_ctx *c, az_issue *is, int i, const char *v)
{
  if(!is || i < 0 || i >= 6 || is->arg[i])
    return;
  is->arg[i] = dup(c, v);
}

xd_rc az_issues_flush(az_ctx *c, xd_err *e)
{
  for(size_t i = 0; i < c->n_issues; i++) {
    az_issue *is = &c->issues[i];
    xd_finding f = {0};
    if(is->finish)
      is->finish(c, is);
    if(c->nomem)
      break;
    f.code = is->code;
    f.severity = is->sev;
    f.resource = is->resource;
    f.account = is->account;
    f.message = is->message ? is->message : is->code;
    f.evidence = (const char *const *)is->evidence;
    f.n_evidence = is->n_evidence;
    f.remediation = is->remediation;
    if(xd_result_add_finding(c->r, &f) != XD_OK)
      return xd_fail(e, XD_E_NOMEM, "out of memory");
  }
  if(c->nomem)
    return xd_fail(e, XD_E_NOMEM, "out of memory during the analysis");
  return XD_OK;
}

bool az_file_missing(const az_ctx *c, const char *account, const char *region,
                     const char *file)
{
  for(size_t i = 0; i < c->m->n_missing; i++) {
    const az_missing *ms = &c->m->missing[i];
    const char *base;
    if(!ms->file || (account && ms->account && strcmp(account, ms->account)))
      continue;
    if(region && ms->region && strcmp(region, ms->region))
      continue;
    base = strrchr(ms->file, '/');
    base = base ? base + 1 : ms->file;
    if(!strcmp(base, file))
      return true;
  }
  return false;
}

void az_unknown_detail(const az_ctx *c, const char *account,
                       const char *region, const char *file, const char *what,
                       char *out, size_t n)
{
  if(file && az_file_missing(c, account, region, file))
    snprintf(out, n, "not known: %s%s%s/%s is missing", account ? account : "",
             region ? "/" : "", region ? region : "", file);
  else
    snprintf(out, n, "not known: %s is not in the snapshot", what);
}
