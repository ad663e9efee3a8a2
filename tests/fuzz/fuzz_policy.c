/* tests/fuzz/fuzz_policy.c: IAM policy documents, as objects and as the
 * URL-encoded text the IAM API sends. The input's first byte picks which
 * document of the working snapshot's two IAM files it replaces (trust
 * policies, inline policies, managed policy versions, in file order), the
 * second how it is written there:
 *   0  as a JSON object when the text parses, else as a string
 *   1  URL-encoded, every byte but A-Z a-z 0-9 -._~ (what IAM sends)
 *   2  as a JSON string, unchanged (the loader decodes what it finds:
 *      malformed escapes included)
 *   3  URL-encoded, only bytes outside printable ASCII and '%'
 * The rest is the document. Then the whole analysis runs (fuzz_base.h),
 * and the evaluator (analyzer/iam.h) is asked about the parsed document
 * directly, as the discovery and trust checks ask it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/iam.h"
#include "common/jsonutil.h"
#include "fuzz_base.h"
#include "fuzz_util.h"

#define IAM_STUDIO 1 /* indices in analyze_files.txt */
#define IAM_EMR 2

/* The want-th policy slot of an authorization-details document: its
 * parent object and key. Returns the number of slots when want is past
 * the end. */
static size_t slot(cJSON *doc, size_t want, cJSON **parent, const char **key)
{
  size_t n = 0;
  cJSON *x, *y;
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(doc, "RoleDetailList")) {
    if(n++ == want) {
      *parent = x;
      *key = "AssumeRolePolicyDocument";
      return n;
    }
    cJSON_ArrayForEach(y, cJSON_GetObjectItemCaseSensitive(x, "RolePolicyList"))
      if(n++ == want) {
        *parent = y;
        *key = "PolicyDocument";
        return n;
      }
  }
  cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(doc, "Policies"))
    cJSON_ArrayForEach(y, cJSON_GetObjectItemCaseSensitive(x, "PolicyVersionList"))
      if(n++ == want) {
        *parent = y;
        *key = "Document";
        return n;
      }
  *parent = NULL;
  return n;
}

static char *encode(const uint8_t *p, size_t n, bool all)
{
  static const char hex[] = "0123456789ABCDEF";
  char *out = malloc(n * 3 + 1), *o = out;
  if(!out)
    abort();
  for(size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    bool plain = all ? ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || strchr("-._~", c))
                     : (c >= 0x20 && c < 0x7f && c != '%');
    if(plain && c) {
      *o++ = (char)c;
    }
    else {
      *o++ = '%';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    }
  }
  *o = '\0';
  return out;
}

/* The evaluator on its own, with the questions the analyzer asks. */
static void evaluate(const char *text, size_t n)
{
  static const az_iam_subst sub = {"us-east-1", "222222222222"};
  cJSON *doc = NULL;
  xd_err e = {0};
  az_iam_hit hit;
  const cJSON *st = NULL;
  char name[128];
  if(xd_json_parse_text("policy", text, n, &doc, &e) != XD_OK)
    return;
  memset(&hit, 0, sizeof(hit));
  az_iam_eval(doc, "sts:AssumeRole",
              "arn:aws:iam::222222222222:role/SageMakerStudioEmrDiscoveryRole",
              &sub, &hit);
  if(hit.stmt)
    az_iam_stmt_name(doc, hit.stmt, name, sizeof(name));
  memset(&hit, 0, sizeof(hit));
  az_iam_eval(doc, "elasticmapreduce:ListInstances", "*", NULL, &hit);
  memset(&hit, 0, sizeof(hit));
  az_iam_eval(doc, "sts:AssumeRole", NULL, NULL, &hit);
  memset(&hit, 0, sizeof(hit));
  az_iam_trust(doc, "111111111111",
               "arn:aws:iam::111111111111:role/service-role/x", &hit);
  if(hit.stmt)
    az_iam_stmt_name(doc, hit.stmt, name, sizeof(name));
  if(az_iam_has_placeholder(doc, &st) && st)
    az_iam_stmt_name(doc, st, name, sizeof(name));
  cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static cJSON *docs[2];
  cJSON *copy, *parent = NULL, *item = NULL;
  const char *key = NULL;
  size_t total, want, which;
  char *text, *str = NULL, *file;
  int mode;
  if(!docs[0]) {
    xd_err e = {0};
    size_t n;
    const char *t = fz_base_original(IAM_STUDIO, &n);
    if(xd_json_parse_text("studio iam", t, n, &docs[0], &e) != XD_OK)
      abort();
    t = fz_base_original(IAM_EMR, &n);
    if(xd_json_parse_text("emr iam", t, n, &docs[1], &e) != XD_OK)
      abort();
  }
  if(size < 2)
    return 0;
  total = slot(docs[0], (size_t)-1, &parent, &key) +
          slot(docs[1], (size_t)-1, &parent, &key);
  want = data[0] % total;
  mode = data[1] % 4;
  data += 2;
  size -= 2;
  which = want < slot(docs[0], (size_t)-1, &parent, &key) ? 0 : 1;
  if(which)
    want -= slot(docs[0], (size_t)-1, &parent, &key);
  copy = cJSON_Duplicate(docs[which], 1);
  if(!copy)
    return 0;
  slot(copy, want, &parent, &key);
  if(!parent)
    abort();
  text = malloc(size + 1);
  if(!text)
    abort();
  memcpy(text, data, size);
  text[size] = '\0';
  evaluate(text, size);
  if(mode == 0) {
    xd_err e = {0};
    if(xd_json_parse_text("policy", text, size, &item, &e) != XD_OK)
      item = NULL;
  }
  if(!item) {
    /* a NUL cannot stand in a JSON string: what follows it is cut off,
     * as it would be in any file */
    str = mode == 1 ? encode(data, size, true)
        : mode == 3 ? encode(data, size, false) : strdup(text);
    item = str ? cJSON_CreateString(str) : NULL;
  }
  if(item && cJSON_ReplaceItemInObjectCaseSensitive(parent, key, item)) {
    file = cJSON_Print(copy);
    if(file) {
      fz_base_replace(which ? IAM_EMR : IAM_STUDIO, file, strlen(file));
      fz_base_analyze(NULL, 0);
      fz_base_restore(which ? IAM_EMR : IAM_STUDIO);
      free(file);
    }
  }
  else
    cJSON_Delete(item);
  free(str);
  free(text);
  cJSON_Delete(copy);
  return 0;
}
