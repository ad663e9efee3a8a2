/* aws/fetch.c: `xacct-doctor fetch`. The folder is built beside its final
 * place and renamed there only when every call has been made, so a reader
 * (a person, cron, `analyze`) never sees half a snapshot under the real
 * name. A call that fails leaves its file out and a line in
 * fetch-errors.json; the loader then reports that file as "not known". */
#include "fetch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include "../common/fileio.h"
#include "../common/jsonutil.h"
#include "../common/log.h"

bool fx_strs_has(const fx_strs *s, const char *v)
{
  for(size_t i = 0; i < s->n; i++)
    if(!strcmp(s->v[i], v))
      return true;
  return false;
}

bool fx_strs_add(fx_strs *s, const char *v)
{
  char **g;
  if(!v || !*v || fx_strs_has(s, v))
    return true;
  g = realloc(s->v, (s->n + 1) * sizeof(*g));
  if(!g)
    return false;
  s->v = g;
  s->v[s->n] = strdup(v);
  if(!s->v[s->n])
    return false;
  s->n++;
  return true;
}

void fx_strs_free(fx_strs *s)
{
  for(size_t i = 0; i < s->n; i++)
    free(s->v[i]);
  free(s->v);
  memset(s, 0, sizeof(*s));
}

bool fx_safe_name(const char *s)
{
  if(!s || !*s || *s == '.' || strlen(s) > 200)
    return false;
  for(; *s; s++)
    if(!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
         (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
      return false;
  return true;
}

void fx_stem(const char *service, const char *op, char *out, size_t n)
{
  size_t o = 0;
  o += (size_t)snprintf(out, n, "%s", service);
  for(const char *p = op; *p && o + 3 < n; p++) {
    if(*p >= 'A' && *p <= 'Z') {
      out[o++] = '-';
      out[o++] = (char)(*p - 'A' + 'a');
    }
    else
      out[o++] = *p;
  }
  out[o < n ? o : n - 1] = '\0';
}

fx_place *fx_place_get(fx_state *f, const char *account, const char *region,
                       aws_creds_provider *creds)
{
  fx_place *g;
  for(size_t i = 0; i < f->n_places; i++)
    if(!strcmp(f->places[i].account, account) &&
       !strcmp(f->places[i].region, region))
      return &f->places[i];
  g = realloc(f->places, (f->n_places + 1) * sizeof(*g));
  if(!g)
    goto nomem;
  f->places = g;
  g = &f->places[f->n_places];
  memset(g, 0, sizeof(*g));
  snprintf(g->account, sizeof(g->account), "%s", account);
  g->region = strdup(region);
  g->creds = creds;
  g->late = f->order_unsettled;
  if(!g->region)
    goto nomem;
  f->n_places++;
  return g;
nomem:
  xd_fail(&f->fatal, XD_E_NOMEM, "out of memory");
  f->abort = true;
  return NULL;
}

bool fx_go(fx_state *f)
{
  if(!f->abort && !f->stop && aws_ctx_stopping(f->c)) {
    if(f->c->interrupted && f->c->interrupted()) {
      xd_fail(&f->fatal, XD_E_INTERRUPTED, "interrupted");
      f->abort = true;
    }
    else if(!f->c->final)
      f->stop = true; /* after planning, answered calls still count: the
                         ones not made are skipped where they are asked */
  }
  if(f->stop && !f->abort)
    f->skipped++;
  return !f->stop && !f->abort;
}

static cJSON *add_error(fx_state *f, const char *account,
                        const char *region, const char *call,
                        const char *file, const char *code, const char *msg)
{
  cJSON *o = cJSON_CreateObject();
  char clean[1200];
  aws_clean_text(clean, sizeof(clean), msg);
  xd_log_redact(clean);
  if(!o)
    return NULL;
  xd_json_add_str(o, "account", account);
  xd_json_add_str(o, "region", region);
  xd_json_add_str(o, "call", call);
  xd_json_add_str(o, "file", file);
  xd_json_add_str(o, "code", code);
  xd_json_add_str(o, "message", clean);
  cJSON_AddItemToArray(f->errors, o);
  return o;
}

/* What a failed call means for the run: NULL when it must end (f->fatal
 * set), else the code to record; a timeout past the deadline stops it. */
static const char *failure_code(fx_state *f, xd_rc rc,
                                const aws_api_error *ae, const xd_err *e)
{
  if(rc == XD_E_INTERRUPTED || rc == XD_E_NOMEM) {
    f->fatal = *e;
    f->abort = true;
    return NULL;
  }
  if(rc == XD_E_TIMEOUT && xd_deadline_passed(&f->c->deadline) &&
     !f->c->final)
    f->stop = true;
  return rc == XD_E_AWS && ae && ae->code[0] ? ae->code : xd_rc_str(rc);
}

bool fx_refused(xd_rc rc, const aws_api_error *ae)
{
  return rc == XD_E_AWS && ae && aws_error_denied(ae);
}

/* Whose access the call used and the IAM action it needs, so that the
 * analyzer can tell Studio's own discovery failures (through the
 * discovery role) from reads only xacct-doctor needs. */
static void tag_error(fx_state *f, cJSON *o, const fx_place *p,
                      const char *call, const aws_api_error *ae)
{
  char action[160];
  const char *sp, *svc = call, *role = NULL, *access = NULL;
  char clean[1200];
  size_t svc_len;
  if(!o || !call || !(sp = strchr(call, ' ')))
    return;
  svc_len = (size_t)(sp - call);
  if(svc_len == 3 && !strncmp(call, "emr", 3)) {
    svc = "elasticmapreduce"; /* IAM's name of the service */
    svc_len = strlen(svc);
  }
  snprintf(action, sizeof(action), "%.*s:%s", (int)svc_len, svc, sp + 1);
  xd_json_add_str(o, "action", action);
  if(p && !strcmp(call, "sts AssumeRole")) {
    role = p->assuming;
    access = p->assuming_access;
    if(f->caller[0])
      xd_json_add_str(o, "caller", f->caller);
  }
  else if(p && !strncmp(call, "emr ", 4) && p->emr_creds) {
    role = p->emr_via;
    access = "discovery";
  }
  else if(p) {
    role = p->read_via;
    access = p->read_access;
  }
  if(role)
    xd_json_add_str(o, "role", role);
  if(access)
    xd_json_add_str(o, "access", access);
  if(ae && ae->status)
    cJSON_AddNumberToObject(o, "http_status", (double)ae->status);
  if(ae && ae->message[0]) {
    /* AWS's own words are the evidence a finding quotes */
    aws_clean_text(clean, sizeof(clean), ae->message);
    xd_log_redact(clean);
    xd_json_add_str(o, "aws_message", clean);
  }
}

/* The code to record a failure under, or NULL when there is nothing to
 * record: a call the writing pass could not make (counted as skipped),
 * one a planning pass left pending, any failure while planning (only its
 * effect on the run: abort, stop). */
static const char *to_record(fx_state *f, xd_rc rc, const aws_api_error *ae,
                             const xd_err *e)
{
  const char *code;
  if(rc == AWS_E_SKIPPED)
    f->skipped++;
  if(rc == AWS_E_SKIPPED || rc == AWS_E_PENDING)
    return NULL;
  code = failure_code(f, rc, ae, e);
  return fx_dry(f) ? NULL : code;
}

void fx_failed(fx_state *f, const fx_place *p, const char *call,
               const char *file, xd_rc rc, const aws_api_error *ae,
               const xd_err *e)
{
  const char *code = to_record(f, rc, ae, e);
  bool optional = fx_optional_call(call);
  cJSON *o;
  if(!code)
    return;
  if(!optional)
    f->st->failed++;
  if(optional)
    xd_log_warn("%s %s: %s (optional) [not written: %s]", p ? p->account
                : "-", p ? p->region : "-", e->msg, file ? file : "-");
  else
    xd_log_error("%s %s: %s%s%s%s", p ? p->account : "-",
                 p ? p->region : "-", e->msg, file ? " [not written: " : "",
                 file ? file : "", file ? "]" : "");
  o = add_error(f, p ? p->account : NULL, p ? p->region : NULL, call, file,
                code, e->msg);
  tag_error(f, o, p, call, rc == XD_E_AWS ? ae : NULL);
  if(optional && o)
    cJSON_AddBoolToObject(o, "optional", 1);
}

void fx_noted(fx_state *f, const fx_place *p, const char *call, xd_rc rc,
              const aws_api_error *ae, const xd_err *e)
{
  const char *code = to_record(f, rc, ae, e);
  cJSON *o;
  if(!code)
    return;
  xd_log_warn("%s %s: %s (a detail only; the file is written without it)",
              p->account, p->region, e->msg);
  o = add_error(f, p->account, p->region, call, NULL, code, e->msg);
  tag_error(f, o, p, call, rc == XD_E_AWS ? ae : NULL);
  if(o)
    cJSON_AddBoolToObject(o, "optional", 1);
}

/* mkdir -p below the temporary folder (two levels at most). */
static bool make_dirs(fx_state *f, const char *account, const char *region,
                      xd_buf *path)
{
  xd_buf_printf(path, "%s/%s", f->tmp, account);
  if(mkdir(xd_buf_str(path), 0755) != 0 && errno != EEXIST)
    return false;
  if(region) {
    xd_buf_printf(path, "/%s", region);
    if(mkdir(xd_buf_str(path), 0755) != 0 && errno != EEXIST)
      return false;
  }
  return !path->failed;
}

bool fx_write_raw(fx_state *f, const char *account, const char *region,
                  const char *name, const void *data, size_t len)
{
  xd_buf path;
  xd_err e = {0};
  bool ok = false;
  if(fx_dry(f))
    return true;
  xd_buf_init(&path);
  if(!fx_safe_name(account) || (region && !fx_safe_name(region)) ||
     !fx_safe_name(name))
    xd_fail(&e, XD_E_INVALID, "refusing the file name %s/%s/%s.json",
            account, region ? region : "", name);
  else if(!make_dirs(f, account, region, &path))
    xd_fail(&e, XD_E_IO, "%s: %s", xd_buf_str(&path), strerror(errno));
  else {
    xd_buf_printf(&path, "/%s.json", name);
    if(!path.failed &&
       xd_file_write_atomic(xd_buf_str(&path), data, len, &e) == XD_OK) {
      f->st->files++;
      ok = true;
    }
  }
  if(!ok) {
    fx_place p;
    memset(&p, 0, sizeof(p));
    snprintf(p.account, sizeof(p.account), "%s", account);
    p.region = (char *)(region ? region : "-");
    fx_failed(f, &p, "write", name, e.rc ? e.rc : XD_E_IO, NULL, &e);
  }
  xd_buf_free(&path);
  return ok;
}

bool fx_write(fx_state *f, const char *account, const char *region,
              const char *name, const cJSON *doc)
{
  xd_buf text;
  bool ok;
  if(fx_dry(f))
    return true;
  xd_buf_init(&text);
  if(aws_json_cli_print(doc, &text) != XD_OK) {
    xd_buf_free(&text);
    xd_fail(&f->fatal, XD_E_NOMEM, "out of memory");
    f->abort = true;
    return false;
  }
  ok = fx_write_raw(f, account, region, name, text.data, text.len);
  xd_buf_free(&text);
  return ok;
}

/* Finish a call: record its failure or write its answer. */
static cJSON *after_call(fx_state *f, fx_place *p, const char *service,
                         const char *op, const char *name, xd_rc rc,
                         cJSON *doc, const aws_api_error *ae, const xd_err *e)
{
  char call[128], file[512];
  snprintf(call, sizeof(call), "%s %s", service, op);
  if(name)
    snprintf(file, sizeof(file), "%s/%s/%s.json", p->account, p->region, name);
  if(rc != XD_OK) {
    fx_failed(f, p, call, name ? file : NULL, rc, ae, e);
    return NULL;
  }
  if(name && !fx_write(f, p->account, p->region, name, doc)) {
    cJSON_Delete(doc);
    return NULL;
  }
  return doc;
}

cJSON *fx_call_ec2(fx_state *f, fx_place *p, const char *action,
                   const aws_params *params, const char *name)
{
  aws_target t = {"ec2", p->region, p->creds};
  aws_api_error ae;
  xd_err e = {0};
  cJSON *doc = NULL;
  xd_rc rc;
  if(!fx_go(f))
    return NULL;
  rc = aws_ec2_call(f->c, &t, action, params, &doc, &ae, &e);
  return after_call(f, p, "ec2", action, name, rc, doc, &ae, &e);
}

cJSON *fx_call_json(fx_state *f, fx_place *p, const char *service,
                    const char *op, const cJSON *input, const char *name)
{
  bool emr = !strcmp(service, "emr");
  aws_target t = {service, p->region,
                  emr && p->emr_creds ? p->emr_creds : p->creds};
  aws_api_error ae;
  xd_err e = {0};
  cJSON *doc = NULL;
  xd_rc rc;
  if(!fx_go(f))
    return NULL;
  if(emr)
    rc = aws_emr_call(f->c, &t, op, input, &doc, &ae, &e);
  else if(!strcmp(service, "route53resolver"))
    rc = aws_route53resolver_call(f->c, &t, op, input, &doc, &ae, &e);
  else
    rc = aws_sagemaker_call(f->c, &t, op, input, &doc, &ae, &e);
  if(emr && p->emr_creds && p->emr_creds != p->creds && fx_refused(rc, &ae)) {
    /* the discovery role may not make this call, the read access may:
     * the refusal is kept as evidence, the file comes from the read */
    char call[128];
    fx_place rd = *p;
    snprintf(call, sizeof(call), "emr %s", op);
    fx_noted(f, p, call, rc, &ae, &e);
    rd.emr_creds = NULL;
    memset(&e, 0, sizeof(e));
    return fx_call_json(f, &rd, service, op, input, name);
  }
  return after_call(f, p, service, op, name, rc, doc, &ae, &e);
}

/* The intent and the errors at the top, then into place (merged with the
 * snapshot already there, when there is one). */
static xd_rc finish(fx_state *f, const char *out_dir, xd_err *e)
{
  xd_buf path;
  bool merge = fx_out_is_snapshot(out_dir);
  xd_rc rc = XD_OK;
  xd_buf_init(&path);
  if(f->skipped) {
    char msg[200];
    snprintf(msg, sizeof(msg), "the --timeout deadline passed; %lu calls "
             "were not made", f->skipped);
    xd_log_error("%s", msg);
    add_error(f, NULL, NULL, NULL, NULL, "timeout", msg);
    f->st->failed += f->skipped;
  }
  if(merge && (rc = fx_merge_old(f, out_dir, e)) != XD_OK) {
    xd_buf_free(&path);
    return rc;
  }
  if(cJSON_GetArraySize(f->errors) > 0) {
    cJSON *doc = cJSON_CreateObject();
    xd_buf text;
    xd_buf_init(&text);
    if(!doc || !xd_json_add_str(doc, "schema", "xacct-doctor.fetch-errors/1")) {
      cJSON_Delete(doc);
      xd_buf_free(&path);
      return xd_fail(e, XD_E_NOMEM, "out of memory");
    }
    cJSON_AddItemReferenceToObject(doc, "errors", f->errors);
    aws_json_cli_print(doc, &text);
    xd_buf_printf(&path, "%s/fetch-errors.json", f->tmp);
    rc = text.failed || path.failed
             ? xd_fail(e, XD_E_NOMEM, "out of memory")
             : xd_file_write_atomic(xd_buf_str(&path), text.data, text.len, e);
    cJSON_Delete(doc);
    xd_buf_free(&text);
  }
  if(rc == XD_OK && f->plan->intent_path) {
    char *data = NULL;
    size_t len = 0;
    xd_buf_reset(&path);
    xd_buf_printf(&path, "%s/xacct-doctor.json", f->tmp);
    rc = xd_file_read(f->plan->intent_path, XD_MAX_INPUT_FILE, &data, &len, e);
    if(rc == XD_OK)
      rc = xd_file_write_atomic(xd_buf_str(&path), data, len, e);
    free(data);
  }
  if(rc == XD_OK && merge)
    rc = fx_swap_in(f, out_dir, e);
  else if(rc == XD_OK) {
    /* an empty folder the user made for us may go; anything else stays */
    if(xd_is_dir(out_dir))
      rmdir(out_dir);
    if(rename(f->tmp, out_dir) != 0)
      rc = xd_fail(e, XD_E_IO, "%s: cannot put the snapshot in place: %s",
                   out_dir, strerror(errno));
    else {
      char *parent = strdup(out_dir), *slash;
      int fd;
      if(parent && (slash = strrchr(parent, '/')) != NULL) {
        *slash = '\0';
        fd = open(*parent ? parent : "/", O_RDONLY | O_DIRECTORY);
        if(fd >= 0) {
          fsync(fd);
          close(fd);
        }
      }
      free(parent);
    }
  }
  xd_buf_free(&path);
  return rc;
}

/* out_dir must be free (absent, or an empty folder) or a snapshot, which
 * the new one is merged into. */
static xd_rc check_out(const char *out_dir, xd_err *e)
{
  struct stat st;
  DIR *d;
  struct dirent *de;
  bool empty = true;
  if(stat(out_dir, &st) != 0)
    return errno == ENOENT ? XD_OK
                           : xd_fail(e, XD_E_IO, "%s: %s", out_dir,
                                     strerror(errno));
  if(S_ISDIR(st.st_mode) && (d = opendir(out_dir)) != NULL) {
    while((de = readdir(d)) != NULL)
      if(strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
        empty = false;
    closedir(d);
    if(empty || fx_out_is_snapshot(out_dir))
      return XD_OK;
  }
  return xd_fail(e, XD_E_USAGE, "%s already exists and is neither an empty "
                 "folder nor a snapshot to merge into; choose a new --out",
                 out_dir);
}

xd_rc aws_fetch_snapshot(aws_ctx *c, const aws_fetch_plan *plan,
                         const char *out_dir, aws_fetch_stats *st, xd_err *e)
{
  fx_state f;
  aws_target t;
  aws_api_error ae;
  aws_identity id;
  const char *studio_profile;
  char *out = NULL;
  xd_buf tmpl;
  xd_rc rc;

  memset(&f, 0, sizeof(f));
  memset(st, 0, sizeof(*st));
  xd_buf_init(&tmpl);
  f.c = c;
  f.plan = plan;
  f.st = st;
  out = strdup(out_dir);
  if(!out)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  for(size_t l = strlen(out); l > 1 && out[l - 1] == '/'; l--)
    out[l - 1] = '\0';
  rc = check_out(out, e);
  if(rc != XD_OK)
    goto done;

  f.studio_region = strdup(plan->studio_region ? plan->studio_region
                           : aws_ctx_region(c) ? aws_ctx_region(c) : "");
  if(!f.studio_region) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  if(!*f.studio_region) {
    rc = xd_fail(e, XD_E_USAGE, "no AWS Region: give --region, set "
                 "AWS_REGION, set region in the profile, or studio.region "
                 "in the intent");
    goto done;
  }
  /* the Studio account's credentials: its --account-profile, the
   * intent's studio.profile, or the default chain */
  studio_profile = plan->studio_profile;
  for(size_t i = 0; plan->studio_account && i < plan->n_account_profiles; i++)
    if(!strcmp(plan->account_profiles[i].account, plan->studio_account))
      studio_profile = plan->account_profiles[i].profile;
  rc = studio_profile ? aws_creds_profile(c, studio_profile, &f.base, e)
                      : aws_creds_default(c, &f.base, e);
  if(rc != XD_OK)
    goto done;
  /* whose credentials these are decides the Studio account's folder */
  t.service = "sts";
  t.region = f.studio_region;
  t.creds = f.base;
  rc = aws_sts_caller(c, &t, &id, &ae, e);
  if(rc != XD_OK) {
    xd_err_prefix(e, "checking the credentials from %s: ",
                  aws_creds_source(f.base));
    goto done;
  }
  snprintf(f.studio, sizeof(f.studio), "%s", id.account);
  snprintf(f.caller, sizeof(f.caller), "%.319s", id.arn);
  xd_log_info("Studio side: account %s (%s), Region %s", id.account, id.arn,
              f.studio_region);
  if(plan->studio_account && strcmp(plan->studio_account, id.account))
    xd_log_warn("the intent says the Studio account is %s but the "
                "credentials (%s) are of account %s; reading account %s",
                plan->studio_account, id.arn, id.account, id.account);

  xd_buf_printf(&tmpl, "%s.tmp-XXXXXX", out);
  if(tmpl.failed || !mkdtemp(tmpl.data)) {
    rc = xd_fail(e, XD_E_IO, "%s: cannot make a temporary folder beside it: "
                 "%s", out, strerror(errno));
    goto done;
  }
  f.tmp = xd_buf_steal(&tmpl);
  if(!f.tmp) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  f.studio_profile = studio_profile;
  fx_passes(&f, e);
  if(f.abort) {
    *e = f.fatal;
    rc = f.fatal.rc ? f.fatal.rc : XD_E_INTERNAL;
    goto done;
  }
  rc = finish(&f, out, e);
  st->calls = c->n_calls;
  if(rc == XD_OK)
    xd_log_info("snapshot written to %s: %lu files, %lu calls (%lu retried), "
                "%lu failed", out, st->files, st->calls, c->n_retries,
                st->failed);
done:
  if(rc != XD_OK && f.tmp)
    xd_remove_tree(f.tmp);
  free(f.tmp);
  fx_pass_clear(&f);
  cJSON_Delete(f.errors);
  free(f.studio_region);
  xd_buf_free(&tmpl);
  free(out);
  return rc;
}
