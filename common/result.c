#include "result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonutil.h"
#include "timeutil.h"
#include "xd_version.h"

struct xd_result {
  cJSON *root;
  double t0_ms;
};

static const char *status_names[] = {"ok", "warning", "critical", "unknown"};
static const char *sev_names[] = {"info", "warning", "critical"};

const char *xd_status_name(xd_status s)
{
  return (unsigned)s < 4 ? status_names[s] : "unknown";
}

const char *xd_severity_name(xd_severity s)
{
  return (unsigned)s < 3 ? sev_names[s] : "info";
}

bool xd_status_parse(const char *s, xd_status *out)
{
  for(int i = 0; s && i < 4; i++)
    if(!strcmp(s, status_names[i])) {
      *out = (xd_status)i;
      return true;
    }
  return false;
}

bool xd_severity_parse(const char *s, xd_severity *out)
{
  for(int i = 0; s && i < 3; i++)
    if(!strcmp(s, sev_names[i])) {
      *out = (xd_severity)i;
      return true;
    }
  return false;
}

xd_result *xd_result_new(void)
{
  char now[32];
  xd_result *r = calloc(1, sizeof(*r));
  cJSON *root = cJSON_CreateObject(), *meta;
  if(!r || !root)
    goto fail;
  r->root = root;
  r->t0_ms = xd_now_ms();
  xd_iso8601_now(now, sizeof(now));
  if(!cJSON_AddStringToObject(root, "schema", XD_RESULT_SCHEMA) ||
     !cJSON_AddStringToObject(root, "status", "unknown") ||
     !cJSON_AddStringToObject(root, "started_at", now) ||
     !cJSON_AddNumberToObject(root, "duration_ms", 0) ||
     !cJSON_AddArrayToObject(root, "findings") ||
     !cJSON_AddArrayToObject(root, "paths") ||
     !cJSON_AddObjectToObject(root, "observations") ||
     !(meta = cJSON_AddObjectToObject(root, "meta")) ||
     !cJSON_AddStringToObject(meta, "tool", "xacct-doctor") ||
     !cJSON_AddStringToObject(meta, "version", XD_VERSION))
    goto fail;
  return r;
fail:
  cJSON_Delete(root);
  free(r);
  return NULL;
}

void xd_result_free(xd_result *r)
{
  if(!r)
    return;
  cJSON_Delete(r->root);
  free(r);
}

cJSON *xd_result_json(const xd_result *r)
{
  return r->root;
}

cJSON *xd_result_meta(xd_result *r)
{
  cJSON *m = cJSON_GetObjectItemCaseSensitive(r->root, "meta");
  if(!cJSON_IsObject(m)) {
    cJSON_DeleteItemFromObjectCaseSensitive(r->root, "meta");
    m = cJSON_AddObjectToObject(r->root, "meta");
  }
  return m;
}

static cJSON *find_finding(const xd_result *r, const char *code,
                           const char *resource)
{
  cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(r->root, "findings")) {
    const char *c = xd_json_str(f, "code");
    const char *res = xd_json_str(f, "resource");
    if(c && !strcmp(c, code) &&
       (!resource || (res && !strcmp(res, resource))))
      return f;
  }
  return NULL;
}

bool xd_result_has_finding(const xd_result *r, const char *code,
                           const char *resource)
{
  return find_finding(r, code, resource) != NULL;
}

static bool add_evidence(cJSON *arr, const xd_finding *f)
{
  for(size_t i = 0; i < f->n_evidence; i++) {
    cJSON *e;
    bool dup = false;
    if(!f->evidence[i])
      continue;
    cJSON_ArrayForEach(e, arr)
      if(cJSON_IsString(e) && !strcmp(e->valuestring, f->evidence[i]))
        dup = true;
    if(!dup && !cJSON_AddItemToArray(arr, cJSON_CreateString(f->evidence[i])))
      return false;
  }
  return true;
}

xd_rc xd_result_add_finding(xd_result *r, const xd_finding *f)
{
  cJSON *obj, *ev;
  if(!f->code || !f->message)
    return XD_E_INTERNAL;
  obj = find_finding(r, f->code, f->resource ? f->resource : "");
  if(obj) {
    ev = cJSON_GetObjectItemCaseSensitive(obj, "evidence");
    return add_evidence(ev, f) ? XD_OK : XD_E_NOMEM;
  }
  obj = cJSON_CreateObject();
  if(!obj)
    return XD_E_NOMEM;
  if(!cJSON_AddStringToObject(obj, "code", f->code) ||
     !cJSON_AddStringToObject(obj, "severity", xd_severity_name(f->severity)) ||
     !cJSON_AddStringToObject(obj, "resource", f->resource ? f->resource : "") ||
     !xd_json_add_str(obj, "account", f->account) ||
     !cJSON_AddStringToObject(obj, "message", f->message) ||
     !(ev = cJSON_AddArrayToObject(obj, "evidence")) || !add_evidence(ev, f) ||
     !xd_json_add_str(obj, "remediation", f->remediation) ||
     !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(r->root, "findings"),
                           obj)) {
    cJSON_Delete(obj);
    return XD_E_NOMEM;
  }
  return XD_OK;
}

cJSON *xd_result_add_path(xd_result *r, const char *from_side,
                          const char *from_ip, const char *to_side,
                          const char *to_ip, int port, const char *service)
{
  cJSON *p = cJSON_CreateObject(), *from, *to;
  if(!p)
    return NULL;
  if(!(from = cJSON_AddObjectToObject(p, "from")) ||
     !xd_json_add_str(from, "side", from_side) ||
     !xd_json_add_str(from, "ip", from_ip) ||
     !(to = cJSON_AddObjectToObject(p, "to")) ||
     !xd_json_add_str(to, "side", to_side) || !xd_json_add_str(to, "ip", to_ip) ||
     !cJSON_AddNumberToObject(to, "port", port) ||
     !xd_json_add_str(to, "service", service) ||
     !cJSON_AddStringToObject(p, "verdict", "unknown") ||
     !cJSON_AddArrayToObject(p, "hops") ||
     !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(r->root, "paths"),
                           p)) {
    cJSON_Delete(p);
    return NULL;
  }
  return p;
}

xd_rc xd_result_path_add_hop(cJSON *path, const char *kind,
                             const char *resource, const char *verdict,
                             const char *detail)
{
  cJSON *h = cJSON_CreateObject();
  if(!h)
    return XD_E_NOMEM;
  if(!xd_json_add_str(h, "kind", kind) ||
     !xd_json_add_str(h, "resource", resource ? resource : "") ||
     !xd_json_add_str(h, "verdict", verdict) ||
     !xd_json_add_str(h, "detail", detail ? detail : "") ||
     !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(path, "hops"), h)) {
    cJSON_Delete(h);
    return XD_E_NOMEM;
  }
  return XD_OK;
}

void xd_result_path_set_verdict(cJSON *path, const char *verdict)
{
  cJSON *v = cJSON_CreateString(verdict);
  if(v)
    cJSON_ReplaceItemInObjectCaseSensitive(path, "verdict", v);
}

xd_rc xd_result_add_observations(xd_result *r, const char *side, cJSON *obs)
{
  cJSON *all = cJSON_GetObjectItemCaseSensitive(r->root, "observations");
  cJSON *have = cJSON_GetObjectItemCaseSensitive(all, side);
  cJSON *item;
  if(!have) {
    cJSON_AddItemToObject(all, side, obs);
    return XD_OK;
  }
  /* merge: append every array member of obs to the same array in have */
  cJSON_ArrayForEach(item, obs) {
    cJSON *dst, *el;
    if(!cJSON_IsArray(item))
      continue;
    dst = cJSON_GetObjectItemCaseSensitive(have, item->string);
    if(!cJSON_IsArray(dst)) {
      cJSON_DeleteItemFromObjectCaseSensitive(have, item->string);
      dst = cJSON_AddArrayToObject(have, item->string);
      if(!dst)
        break;
    }
    cJSON_ArrayForEach(el, item)
      cJSON_AddItemToArray(dst, cJSON_Duplicate(el, true));
  }
  cJSON_Delete(obs);
  return XD_OK;
}

void xd_result_set_incomplete(xd_result *r, const char *why)
{
  cJSON *meta = xd_result_meta(r);
  cJSON_DeleteItemFromObjectCaseSensitive(meta, "incomplete");
  cJSON_AddStringToObject(meta, "incomplete", why ? why : "incomplete");
}

xd_rc xd_result_add_not_seen(xd_result *r, const char *target, int paths,
                             const char *why)
{
  cJSON *meta = xd_result_meta(r);
  cJSON *all = cJSON_GetObjectItemCaseSensitive(meta, "not_seen"), *o;
  if(!cJSON_IsArray(all)) {
    cJSON_DeleteItemFromObjectCaseSensitive(meta, "not_seen");
    all = cJSON_AddArrayToObject(meta, "not_seen");
  }
  o = cJSON_CreateObject();
  if(!all || !o) {
    cJSON_Delete(o);
    return XD_E_NOMEM;
  }
  cJSON_AddItemToArray(all, o);
  if(!cJSON_AddStringToObject(o, "target", target ? target : "") ||
     !cJSON_AddNumberToObject(o, "paths", paths) ||
     !cJSON_AddStringToObject(o, "why", why ? why : "not known"))
    return XD_E_NOMEM;
  return XD_OK;
}

bool xd_path_settled(const cJSON *path)
{
  const cJSON *obs = cJSON_GetObjectItemCaseSensitive(path, "observed");
  const char *brk = xd_json_str(obs, "break");
  /* "none" alone: packets were seen but say nothing of this path's fate;
   * "unknown: ...": only the Studio side saw a timeout, which the
   * configuration must place */
  return brk && strcmp(brk, "none") && strncmp(brk, "unknown", 7);
}

/* The status the paths demand, whatever the findings say. */
static xd_status paths_status(const xd_result *r, xd_status st)
{
  const cJSON *p, *meta = cJSON_GetObjectItemCaseSensitive(r->root, "meta");
  bool blocked = false, unseen = false, decided = false;
  cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r->root, "paths")) {
    const char *v = xd_json_str(p, "verdict");
    if(v && !strcmp(v, "blocked"))
      blocked = decided = true;
    else if(v && !strcmp(v, "reachable"))
      decided = true;
    else if(xd_path_settled(p))
      decided = true;
    else {
      unseen = true;
      /* a path whose hops are partly known is part of the setup seen */
      const cJSON *h;
      cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(p, "hops")) {
        const char *hv = xd_json_str(h, "verdict");
        if(hv && (!strcmp(hv, "allow") || !strcmp(hv, "deny")))
          decided = true;
      }
    }
  }
  if(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(meta, "not_seen")))
    unseen = true;
  if(blocked)
    return XD_STATUS_CRITICAL;
  if(!unseen || st == XD_STATUS_CRITICAL)
    return st;
  /* never OK on what was not seen: a run that could read nothing
   * decisive (no path, or no hop of any path known) says UNKNOWN; one
   * that saw part of the setup says at least WARNING */
  return decided ? XD_STATUS_WARNING : XD_STATUS_UNKNOWN;
}

xd_status xd_result_finish(xd_result *r)
{
  xd_status st = XD_STATUS_OK;
  cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(r->root, "findings")) {
    xd_severity sev;
    if(!xd_severity_parse(xd_json_str(f, "severity"), &sev))
      continue;
    if(sev == XD_SEV_CRITICAL)
      st = XD_STATUS_CRITICAL;
    else if(sev == XD_SEV_WARNING && st == XD_STATUS_OK)
      st = XD_STATUS_WARNING;
  }
  st = paths_status(r, st);
  if(cJSON_GetObjectItemCaseSensitive(xd_result_meta(r), "incomplete"))
    st = XD_STATUS_UNKNOWN;
  cJSON_ReplaceItemInObjectCaseSensitive(r->root, "status",
                                         cJSON_CreateString(xd_status_name(st)));
  if(r->t0_ms > 0)
    cJSON_ReplaceItemInObjectCaseSensitive(
        r->root, "duration_ms",
        cJSON_CreateNumber((double)(long long)(xd_now_ms() - r->t0_ms)));
  return st;
}

xd_status xd_result_status(const xd_result *r)
{
  xd_status st;
  if(!xd_status_parse(xd_json_str(r->root, "status"), &st))
    return XD_STATUS_UNKNOWN;
  return st;
}

static xd_rc check_strings(const cJSON *obj, const char *where, int idx,
                           const char *const *keys, const char *label,
                           xd_err *e)
{
  for(; *keys; keys++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, *keys);
    if(!cJSON_IsString(v))
      return xd_fail(e, XD_E_PARSE, "%s: %s[%d].%s: missing or not a string",
                     label, where, idx, *keys);
  }
  return XD_OK;
}

xd_rc xd_result_from_json(cJSON *root, const char *label, xd_result **out,
                          xd_err *e)
{
  static const char *const fkeys[] = {"code", "severity", "resource",
                                      "message", NULL};
  static const char *const hkeys[] = {"kind", "verdict", NULL};
  xd_rc rc = XD_OK;
  const char *schema = xd_json_str(root, "schema");
  xd_status st;
  xd_severity sev;
  const cJSON *arr, *it;
  int i;
  xd_result *r = NULL;
  *out = NULL;
  if(!cJSON_IsObject(root)) {
    rc = xd_fail(e, XD_E_PARSE, "%s: a result is a JSON object", label);
    goto done;
  }
  if(!schema || strcmp(schema, XD_RESULT_SCHEMA)) {
    rc = xd_fail(e, XD_E_PARSE, "%s: field 'schema' must be \"%s\"", label,
                 XD_RESULT_SCHEMA);
    goto done;
  }
  if(!xd_status_parse(xd_json_str(root, "status"), &st)) {
    rc = xd_fail(e, XD_E_PARSE,
                 "%s: field 'status' must be ok, warning, critical or unknown",
                 label);
    goto done;
  }
  arr = cJSON_GetObjectItemCaseSensitive(root, "findings");
  if(!cJSON_IsArray(arr)) {
    rc = xd_fail(e, XD_E_PARSE, "%s: field 'findings' must be an array", label);
    goto done;
  }
  i = 0;
  cJSON_ArrayForEach(it, arr) {
    if((rc = check_strings(it, "findings", i, fkeys, label, e)) != XD_OK)
      goto done;
    if(!xd_severity_parse(xd_json_str(it, "severity"), &sev)) {
      rc = xd_fail(e, XD_E_PARSE,
                   "%s: findings[%d].severity must be critical, warning or info",
                   label, i);
      goto done;
    }
    i++;
  }
  arr = cJSON_GetObjectItemCaseSensitive(root, "paths");
  if(arr && !cJSON_IsArray(arr)) {
    rc = xd_fail(e, XD_E_PARSE, "%s: field 'paths' must be an array", label);
    goto done;
  }
  i = 0;
  cJSON_ArrayForEach(it, arr) {
    const cJSON *h;
    int k = 0;
    if(!cJSON_IsObject(xd_json_object(it, "from")) ||
       !cJSON_IsObject(xd_json_object(it, "to")) ||
       !xd_json_str(it, "verdict") || !xd_json_array(it, "hops")) {
      rc = xd_fail(e, XD_E_PARSE,
                   "%s: paths[%d] needs from, to, verdict and hops", label, i);
      goto done;
    }
    cJSON_ArrayForEach(h, xd_json_array(it, "hops")) {
      char where[48];
      snprintf(where, sizeof(where), "paths[%d].hops", i);
      if((rc = check_strings(h, where, k, hkeys, label, e)) != XD_OK)
        goto done;
      k++;
    }
    i++;
  }
  r = calloc(1, sizeof(*r));
  if(!r) {
    rc = xd_fail(e, XD_E_NOMEM, "out of memory");
    goto done;
  }
  /* fill in what older or hand-made results may lack */
  if(!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "observations"))) {
    cJSON_DeleteItemFromObjectCaseSensitive(root, "observations");
    cJSON_AddObjectToObject(root, "observations");
  }
  if(!arr)
    cJSON_AddArrayToObject(root, "paths");
  r->root = root;
  root = NULL;
  xd_result_meta(r);
  *out = r;
done:
  cJSON_Delete(root);
  return rc;
}

xd_rc xd_result_load(const char *path, xd_result **out, xd_err *e)
{
  cJSON *root = NULL;
  xd_rc rc = xd_json_parse_file(path, &root, e);
  *out = NULL;
  if(rc != XD_OK)
    return rc;
  return xd_result_from_json(root, path, out, e);
}
