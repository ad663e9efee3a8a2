/* aws/profile.c: ~/.aws/config and ~/.aws/credentials, read as botocore
 * reads them (configparser): "[profile x]" or "[default]" in the config
 * file, "[x]" in the credentials file; keys lower-cased; "#" and ";" start
 * a comment line; indented lines under an empty value are a nested
 * section (s3 = ...), which we skip. */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fileio.h"
#include "../common/log.h"
#include "../common/wipe.h"

#define PROFILE_FILE_MAX ((size_t)1024 * 1024)

static char *strip(char *s)
{
  char *end;
  while(*s && isspace((unsigned char)*s))
    s++;
  end = s + strlen(s);
  while(end > s && isspace((unsigned char)end[-1]))
    *--end = '\0';
  return s;
}

static void free_set(aws_profile *p, size_t n)
{
  for(size_t i = 0; i < n; i++) {
    for(size_t k = 0; k < p[i].n; k++) {
      free(p[i].keys[k]);
      xd_wipe_free(p[i].vals[k]); /* any value may be a key */
    }
    free(p[i].keys);
    free(p[i].vals);
    free(p[i].name);
  }
  free(p);
}

/* The profile a section header names, or NULL when the section is not a
 * profile (config: "profile x" or "default"; credentials: any). */
static char *section_profile(char *sec, bool config)
{
  char *name;
  size_t l;
  if(!config || !strcmp(sec, "default"))
    return strdup(sec);
  if(strncmp(sec, "profile", 7) || !isspace((unsigned char)sec[7]))
    return NULL;
  name = strip(sec + 7);
  l = strlen(name);
  if(l >= 2 && ((name[0] == '"' && name[l - 1] == '"') ||
                (name[0] == '\'' && name[l - 1] == '\''))) {
    name[l - 1] = '\0';
    name++;
  }
  if(!*name || strpbrk(name, " \t"))
    return NULL;
  return strdup(name);
}

static aws_profile *find(aws_profile *set, size_t n, const char *name)
{
  for(size_t i = 0; i < n; i++)
    if(!strcmp(set[i].name, name))
      return &set[i];
  return NULL;
}

static xd_rc put(aws_profile *p, const char *key, const char *val)
{
  char **k, **v;
  for(size_t i = 0; i < p->n; i++)
    if(!strcmp(p->keys[i], key)) { /* configparser: the last one wins */
      char *nv = strdup(val);
      if(!nv)
        return XD_E_NOMEM;
      xd_wipe_free(p->vals[i]);
      p->vals[i] = nv;
      return XD_OK;
    }
  k = realloc(p->keys, (p->n + 1) * sizeof(*k));
  if(!k)
    return XD_E_NOMEM;
  p->keys = k;
  v = realloc(p->vals, (p->n + 1) * sizeof(*v));
  if(!v)
    return XD_E_NOMEM;
  p->vals = v;
  p->keys[p->n] = strdup(key);
  p->vals[p->n] = strdup(val);
  if(!p->keys[p->n] || !p->vals[p->n]) {
    free(p->keys[p->n]);
    xd_wipe_free(p->vals[p->n]);
    return XD_E_NOMEM;
  }
  p->n++;
  return XD_OK;
}

static xd_rc parse_file(const char *path, bool config, aws_profile **out,
                        size_t *n_out, xd_err *e)
{
  char *text = NULL, *save = NULL, *line;
  aws_profile *set = NULL, *cur = NULL;
  size_t n = 0, text_len = 0;
  int lineno = 0;
  bool in_section = false, nested = false;
  xd_rc rc;

  *out = NULL;
  *n_out = 0;
  rc = xd_file_read(path, PROFILE_FILE_MAX, &text, &text_len, e);
  if(rc == XD_E_NOTFOUND)
    return XD_OK;
  if(rc != XD_OK)
    return rc;
  /* split by hand: strtok_r would merge empty lines and lose numbering */
  line = text;
  while(line) {
    char *nl = strchr(line, '\n'), *s, *eq;
    save = nl ? nl + 1 : NULL;
    if(nl)
      *nl = '\0';
    lineno++;
    if(line[0] == ' ' || line[0] == '\t') {
      /* a continuation: part of a nested section we do not read */
      s = strip(line);
      if(*s && !nested && in_section && *s != '#' && *s != ';')
        xd_log_debug("%s:%d: indented line ignored", path, lineno);
      line = save;
      continue;
    }
    s = strip(line);
    if(!*s || *s == '#' || *s == ';') {
      line = save;
      continue;
    }
    if(*s == '[') {
      char *close = strrchr(s, ']'), *name;
      if(!close) {
        rc = xd_fail(e, XD_E_PARSE, "%s:%d: section header lacks ']'", path,
                     lineno);
        goto done;
      }
      *close = '\0';
      name = section_profile(strip(s + 1), config);
      cur = NULL;
      in_section = true;
      nested = false;
      if(name) {
        cur = find(set, n, name);
        if(!cur) {
          aws_profile *grown = realloc(set, (n + 1) * sizeof(*set));
          if(!grown) {
            free(name);
            rc = xd_fail(e, XD_E_NOMEM, "out of memory");
            goto done;
          }
          set = grown;
          memset(&set[n], 0, sizeof(set[n]));
          set[n].name = name;
          cur = &set[n++];
        }
        else
          free(name);
      }
      line = save;
      continue;
    }
    eq = s + strcspn(s, "=:");
    if(!*eq || !in_section) {
      rc = xd_fail(e, XD_E_PARSE, "%s:%d: expected 'key = value'%s", path,
                   lineno, in_section ? "" : " inside a [section]");
      goto done;
    }
    *eq = '\0';
    {
      char *key = strip(s), *val = strip(eq + 1);
      for(char *c = key; *c; c++)
        *c = (char)tolower((unsigned char)*c);
      nested = !*val;
      if(cur && *val && put(cur, key, val) != XD_OK) {
        rc = xd_fail(e, XD_E_NOMEM, "out of memory");
        goto done;
      }
    }
    line = save;
  }
  rc = XD_OK;
done:
  if(text) {
    /* it held secret keys; the parse wrote a NUL at every line end, so
     * the length read, not strlen, says how much */
    xd_wipe(text, text_len);
    free(text);
  }
  if(rc != XD_OK)
    free_set(set, n);
  else {
    *out = set;
    *n_out = n;
  }
  return rc;
}

static char *expand_home(const char *path)
{
  const char *home = getenv("HOME");
  xd_buf b;
  xd_buf_init(&b);
  if(path[0] == '~' && (path[1] == '/' || !path[1]) && home)
    xd_buf_printf(&b, "%s%s", home, path + 1);
  else
    xd_buf_puts(&b, path);
  return xd_buf_steal(&b);
}

xd_rc aws_profiles_load(aws_profiles *ps, xd_err *e)
{
  const char *cf = getenv("AWS_CONFIG_FILE");
  const char *cr = getenv("AWS_SHARED_CREDENTIALS_FILE");
  xd_rc rc;
  memset(ps, 0, sizeof(*ps));
  ps->config_path = expand_home(cf && *cf ? cf : "~/.aws/config");
  ps->creds_path = expand_home(cr && *cr ? cr : "~/.aws/credentials");
  if(!ps->config_path || !ps->creds_path) {
    aws_profiles_free(ps);
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  }
  rc = parse_file(ps->config_path, true, &ps->config, &ps->n_config, e);
  if(rc == XD_OK)
    rc = parse_file(ps->creds_path, false, &ps->creds, &ps->n_creds, e);
  if(rc != XD_OK)
    aws_profiles_free(ps);
  return rc;
}

void aws_profiles_free(aws_profiles *ps)
{
  free_set(ps->config, ps->n_config);
  free_set(ps->creds, ps->n_creds);
  free(ps->config_path);
  free(ps->creds_path);
  memset(ps, 0, sizeof(*ps));
}

const char *aws_profile_get(const aws_profiles *ps, const char *name,
                            const char *key)
{
  const aws_profile *sets[2];
  sets[0] = find(ps->creds, ps->n_creds, name);
  sets[1] = find(ps->config, ps->n_config, name);
  for(int s = 0; s < 2; s++)
    for(size_t i = 0; sets[s] && i < sets[s]->n; i++)
      if(!strcmp(sets[s]->keys[i], key))
        return sets[s]->vals[i];
  return NULL;
}

bool aws_profile_exists(const aws_profiles *ps, const char *name)
{
  return find(ps->creds, ps->n_creds, name) ||
         find(ps->config, ps->n_config, name);
}
