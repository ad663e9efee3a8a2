/* tests/fuzz/test_bounds.c: the parsers that take (text, length) must not
 * read past the length. Each input is placed so that it ends exactly where
 * a page without access begins: a read one byte too far is a SIGSEGV in
 * every build, with or without a sanitizer. Regression test for the two
 * over-reads fuzz_result and fuzz_aws_json found in xd_json_parse_text
 * (strspn on a text that is not NUL-terminated). */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "aws/xml.h"
#include "check.h"
#include "common/jsonutil.h"
#include "probes/pr_internal.h"

static char *page_end; /* the first byte that may not be read */

/* s copied so that its last byte is the last readable one */
static const char *at_edge(const char *s, size_t n)
{
  char *p = page_end - n;
  memcpy(p, s, n);
  return p;
}

static xd_rc json(const char *s, xd_err *e)
{
  size_t n = strlen(s);
  cJSON *j = NULL;
  xd_rc rc = xd_json_parse_text("edge.json", at_edge(s, n), n, &j, e);
  cJSON_Delete(j);
  return rc;
}

int main(void)
{
  long pg = sysconf(_SC_PAGESIZE);
  char *m = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  xd_err e = {0};
  CHECK(m != MAP_FAILED);
  if(m == MAP_FAILED)
    return CHECK_DONE();
  CHECK(mprotect(m + pg, (size_t)pg, PROT_NONE) == 0);
  page_end = m + pg;

  /* all whitespace: "empty file" (the first over-read) */
  CHECK_INT(json("   \n\t ", &e), XD_E_PARSE);
  CHECK_CONTAINS(e.msg, "empty");
  /* cut short, then whitespace: "truncated" (the second) */
  CHECK_INT(json("{\"a\": [1, 2", &e), XD_E_PARSE);
  CHECK_CONTAINS(e.msg, "too early");
  CHECK_INT(json("\x9f     ", &e), XD_E_PARSE);
  CHECK_INT(json("{\"a\": tru", &e), XD_E_PARSE);
  CHECK_INT(json("[1] x", &e), XD_E_PARSE);
  CHECK_CONTAINS(e.msg, "after the JSON value");
  CHECK_INT(json("{\"a\": \"\xc3", &e), XD_E_PARSE);
  CHECK_INT(json("{\"a\": 1}", &e), XD_OK);
  CHECK_INT(json("{\"a\": 1}  \n", &e), XD_OK);
  CHECK_INT(json("1", &e), XD_OK);

  /* the other (text, length) parsers of outside input */
  {
    const char *x = "<a><b>text</b></a>";
    aws_xml_node *root = NULL;
    CHECK_INT(aws_xml_parse(at_edge(x, strlen(x)), strlen(x), &root, &e),
              XD_OK);
    aws_xml_free(root);
    x = "<a><b>te";
    root = NULL;
    CHECK(aws_xml_parse(at_edge(x, strlen(x)), strlen(x), &root, &e) != XD_OK);
    aws_xml_free(root);
  }
  {
    const char *b = "{\"sessions\": []}";
    CHECK_STR(pr_http_identify(0, 200, at_edge(b, strlen(b)), strlen(b),
                               NULL), "livy");
    b = "{\"sessions\": [";
    CHECK(pr_http_identify(0, 200, at_edge(b, strlen(b)), strlen(b),
                           NULL) == NULL);
  }
  {
    size_t bad = 0;
    CHECK(!xd_utf8_valid(at_edge("ab\xe2\x82", 4), 4, &bad));
    CHECK_INT(bad, 2);
  }
  munmap(m, (size_t)pg * 2);
  return CHECK_DONE();
}
