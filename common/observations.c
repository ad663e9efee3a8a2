#include "observations.h"

#include <string.h>

#include "jsonutil.h"

static const char *const sections[] = {"dns", "tcp", "tls", "http", "flows",
                                       NULL};

cJSON *xd_obs_new(const char *side, const char *host)
{
  cJSON *d = cJSON_CreateObject();
  if(!d)
    return NULL;
  if(!cJSON_AddStringToObject(d, "schema", XD_OBS_SCHEMA) ||
     !xd_json_add_str(d, "side", side) || !xd_json_add_str(d, "host", host) ||
     !cJSON_AddArrayToObject(d, "interfaces"))
    goto fail;
  for(int i = 0; sections[i]; i++)
    if(!cJSON_AddArrayToObject(d, sections[i]))
      goto fail;
  return d;
fail:
  cJSON_Delete(d);
  return NULL;
}

/* field kinds: s string, n number, S string or null, a array */
typedef struct {
  const char *key;
  char kind;
  bool required;
} field;

static const field dns_fields[] = {{"name", 's', true}, {"server", 'S', false},
  {"type", 's', false}, {"rcode", 's', true}, {"answers", 'a', false},
  {"ms", 'n', false}, {NULL, 0, false}};
static const field tcp_fields[] = {{"target", 'S', false}, {"ip", 's', true},
  {"port", 'n', true}, {"state", 's', true}, {"reason", 's', true},
  {"ms", 'n', false}, {NULL, 0, false}};
static const field tls_fields[] = {{"ip", 's', true}, {"port", 'n', true},
  {"version", 'S', false}, {"cipher", 'S', false}, {"subject", 'S', false},
  {"not_after", 'S', false}, {"verify", 'S', false}, {NULL, 0, false}};
static const field http_fields[] = {{"url", 's', true}, {"status", 'n', false},
  {"service", 'S', false}, {"ms", 'n', false}, {NULL, 0, false}};
static const field flow_fields[] = {{"src", 's', true}, {"dst", 's', true},
  {"syn", 'n', true}, {"syn_ack", 'n', true}, {"rst", 'n', true},
  {"first", 'S', false}, {"last", 'S', false}, {NULL, 0, false}};

static xd_rc check_fields(const cJSON *it, const field *fs, const char *sec,
                          int idx, const char *label, xd_err *e)
{
  for(; fs->key; fs++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, fs->key);
    bool ok;
    if(!v) {
      if(fs->required)
        return xd_fail(e, XD_E_PARSE, "%s: %s[%d].%s: missing", label, sec, idx,
                       fs->key);
      continue;
    }
    switch(fs->kind) {
    case 's': ok = cJSON_IsString(v); break;
    case 'S': ok = cJSON_IsString(v) || cJSON_IsNull(v); break;
    case 'n': ok = cJSON_IsNumber(v) || (!fs->required && cJSON_IsNull(v)); break;
    case 'a': ok = cJSON_IsArray(v); break;
    default: ok = false;
    }
    if(!ok)
      return xd_fail(e, XD_E_PARSE, "%s: %s[%d].%s: wrong type", label, sec,
                     idx, fs->key);
  }
  return XD_OK;
}

xd_rc xd_obs_check(const cJSON *doc, const char *label, xd_err *e)
{
  static const field *const tables[] = {dns_fields, tcp_fields, tls_fields,
                                        http_fields, flow_fields};
  const char *schema = xd_json_str(doc, "schema");
  const char *side = xd_json_str(doc, "side");
  if(!cJSON_IsObject(doc))
    return xd_fail(e, XD_E_PARSE, "%s: observations must be a JSON object",
                   label);
  if(!schema || strcmp(schema, XD_OBS_SCHEMA))
    return xd_fail(e, XD_E_PARSE, "%s: field 'schema' must be \"%s\"", label,
                   XD_OBS_SCHEMA);
  if(!side || (strcmp(side, "studio") && strcmp(side, "emr")))
    return xd_fail(e, XD_E_PARSE, "%s: field 'side' must be studio or emr",
                   label);
  for(int s = 0; sections[s]; s++) {
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, sections[s]), *it;
    int i = 0;
    if(!arr)
      continue;
    if(!cJSON_IsArray(arr))
      return xd_fail(e, XD_E_PARSE, "%s: field '%s' must be an array", label,
                     sections[s]);
    cJSON_ArrayForEach(it, arr) {
      xd_rc rc;
      if(!cJSON_IsObject(it))
        return xd_fail(e, XD_E_PARSE, "%s: %s[%d]: must be an object", label,
                       sections[s], i);
      rc = check_fields(it, tables[s], sections[s], i, label, e);
      if(rc != XD_OK)
        return rc;
      if(s == 1) {
        const char *st = xd_json_str(it, "state");
        long port = 0;
        if(strcmp(st, "open") && strcmp(st, "closed") && strcmp(st, "filtered"))
          return xd_fail(e, XD_E_PARSE,
                         "%s: tcp[%d].state: must be open, closed or filtered",
                         label, i);
        if(!xd_json_long(it, "port", &port) || port < 0 || port > 65535)
          return xd_fail(e, XD_E_PARSE, "%s: tcp[%d].port: out of range",
                         label, i);
      }
      i++;
    }
  }
  return XD_OK;
}

xd_rc xd_obs_load(const char *path, cJSON **out, xd_err *e)
{
  cJSON *d = NULL;
  xd_rc rc = xd_json_parse_file(path, &d, e);
  *out = NULL;
  if(rc != XD_OK)
    return rc;
  rc = xd_obs_check(d, path, e);
  if(rc != XD_OK) {
    cJSON_Delete(d);
    return rc;
  }
  *out = d;
  return XD_OK;
}
