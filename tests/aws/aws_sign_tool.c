/* tests/aws/aws_sign_tool.c: sign requests described as JSON on stdin and
 * print what aws/sigv4.c computed, so tests/aws/sigv4_vs_botocore.py can
 * compare every case with botocore's signer.
 *
 * stdin:  [{"method", "url", "headers": [[name, value], ...], "body_hex",
 *           "region", "service", "akid", "secret", "token", "when"}, ...]
 * stdout: [{"authorization", "amz_date", "canonical_request"}, ...] */
#include <stdlib.h>
#include <string.h>

#include "../../aws/sigv4.h"
#include "../../common/jsonutil.h"
#include "tool_io.h"

static unsigned char *unhex(const char *s, size_t *len)
{
  size_t n = s ? strlen(s) / 2 : 0;
  unsigned char *out = malloc(n + 1);
  if(!out)
    return NULL;
  for(size_t i = 0; i < n; i++) {
    char b[3] = {s[2 * i], s[2 * i + 1], 0};
    out[i] = (unsigned char)strtoul(b, NULL, 16);
  }
  *len = n;
  return out;
}

static cJSON *sign_one(const cJSON *c)
{
  aws_sigv4_req r;
  aws_sigv4_out o;
  xd_err e = {0};
  const cJSON *hs = xd_json_array(c, "headers"), *h;
  aws_header *hv;
  size_t n = 0;
  long when = 0;
  unsigned char *body;
  cJSON *res = cJSON_CreateObject();

  memset(&r, 0, sizeof(r));
  hv = calloc((size_t)cJSON_GetArraySize(hs) + 1, sizeof(*hv));
  cJSON_ArrayForEach(h, hs) {
    hv[n].name = cJSON_GetArrayItem(h, 0)->valuestring;
    hv[n].value = cJSON_GetArrayItem(h, 1)->valuestring;
    n++;
  }
  body = unhex(xd_json_str(c, "body_hex"), &r.body_len);
  xd_json_long(c, "when", &when);
  r.method = xd_json_str(c, "method");
  r.url = xd_json_str(c, "url");
  r.headers = hv;
  r.n_headers = n;
  r.body = body;
  r.region = xd_json_str(c, "region");
  r.service = xd_json_str(c, "service");
  r.access_key_id = xd_json_str(c, "akid");
  r.secret_key = xd_json_str(c, "secret");
  r.session_token = xd_json_str(c, "token");
  r.when = (time_t)when;
  if(aws_sigv4_sign(&r, &o, &e) != XD_OK)
    cJSON_AddStringToObject(res, "error", e.msg);
  else {
    cJSON_AddStringToObject(res, "authorization", xd_buf_str(&o.authorization));
    cJSON_AddStringToObject(res, "amz_date", o.amz_date);
    cJSON_AddStringToObject(res, "canonical_request",
                            xd_buf_str(&o.canonical_request));
    aws_sigv4_out_free(&o);
  }
  free(hv);
  free(body);
  return res;
}

int main(void)
{
  return tool_map_stdin("aws_sign_tool", sign_one);
}
