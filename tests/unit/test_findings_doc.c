/* docs/findings.md and the finding catalogue must not drift apart.
 *
 *   analyzer_findings_doc          check: every catalogue code has its
 *                                  section in docs/findings.md, and every
 *                                  section is a catalogue code
 *   analyzer_findings_doc --write F  write the document from the catalogue
 *
 * The document is generated from analyzer/catalogue.c; after adding a code,
 * run `BUILD/tests/analyzer_findings_doc --write docs/findings.md`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/catalogue.h"
#include "check.h"
#include "common/buf.h"
#include "common/fileio.h"

static void render(xd_buf *b)
{
  size_t n;
  const az_catalogue_entry *all = az_catalogue_all(&n);
  const char *steps[64];
  size_t ns = 0;
  xd_buf_puts(b,
              "# Finding codes\n\n"
              "Every finding xacct-doctor reports has a code, a severity, the "
              "one resource to change, evidence and, where one exists, the AWS "
              "CLI command that fixes it. This page lists every code: what it "
              "means, how it is detected, and how to fix it. "
              "`xacct-doctor explain CODE` prints the same entry.\n\n"
              "Severities: **critical** breaks the connection (exit status "
              "2), **warning** may break it for some clients or later (exit "
              "status 1), **info** is for the record (exit status 0). Where a "
              "code can be milder than usual, its entry says when.\n\n"
              "Where the AWS VPC Reachability Analyzer has a word for the same "
              "fault (NO_ROUTE_TO_DESTINATION, MORE_SPECIFIC_ROUTE, "
              "BAD_STATE_ROUTE, ENI_SG_RULES_MISMATCH, SUBNET_ACL_RESTRICTION, "
              "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR, UNKNOWN_PEERED_SGS, "
              "DISCONNECTED_VPCS), the finding's evidence names it.\n\n"
              "<!-- Generated from analyzer/catalogue.c by "
              "`tests/analyzer_findings_doc --write docs/findings.md`; "
              "edit the catalogue, not this file. -->\n\n"
              "| code | severity | step | title |\n"
              "| --- | --- | --- | --- |\n");
  for(size_t i = 0; i < n; i++) {
    bool seen = false;
    xd_buf_printf(b, "| [`%s`](#%s) | %s | %s | %s |\n", all[i].code,
                  all[i].code, xd_severity_name(all[i].severity), all[i].step,
                  all[i].title);
    for(size_t k = 0; k < ns && !seen; k++)
      seen = !strcmp(steps[k], all[i].step);
    if(!seen && ns < 64)
      steps[ns++] = all[i].step;
  }
  for(size_t k = 0; k < ns; k++) {
    xd_buf_printf(b, "\n## %s\n", steps[k]);
    for(size_t i = 0; i < n; i++) {
      if(strcmp(all[i].step, steps[k]))
        continue;
      xd_buf_printf(b,
                    "\n### `%s`\n\n<a id=\"%s\"></a>*%s* — %s\n\n"
                    "**What it means.** %s\n\n"
                    "**How it is detected.** %s\n\n"
                    "**How to fix it.** %s\n",
                    all[i].code, all[i].code, xd_severity_name(all[i].severity),
                    all[i].title, all[i].meaning, all[i].detection, all[i].fix);
    }
  }
}

int main(int argc, char **argv)
{
  char path[4096];
  const char *src = getenv("XD_SOURCE_DIR");
  char *text = NULL;
  size_t n;
  xd_err e = {0};
  const az_catalogue_entry *all = az_catalogue_all(&n);
  if(argc == 3 && !strcmp(argv[1], "--write")) {
    xd_buf b;
    xd_rc rc;
    xd_buf_init(&b);
    render(&b);
    rc = xd_file_write_atomic(argv[2], xd_buf_str(&b), b.len, &e);
    xd_buf_free(&b);
    if(rc != XD_OK)
      fprintf(stderr, "%s\n", e.msg);
    return rc == XD_OK ? 0 : 1;
  }
  snprintf(path, sizeof(path), "%s/docs/findings.md", src ? src : ".");
  CHECK_INT(xd_file_read(path, 1 << 22, &text, NULL, &e), XD_OK);
  if(!text) {
    fprintf(stderr, "%s\n", e.msg);
    return CHECK_DONE();
  }
  for(size_t i = 0; i < n; i++) {
    char head[128];
    snprintf(head, sizeof(head), "\n### `%s`\n", all[i].code);
    if(!strstr(text, head))
      fprintf(stderr, "docs/findings.md lacks %s: run tests/analyzer_findings_doc "
                      "--write docs/findings.md\n", all[i].code);
    CHECK(strstr(text, head) != NULL);
    CHECK(all[i].meaning[0] && all[i].detection[0] && all[i].fix[0]);
  }
  /* and nothing documented that the catalogue does not know */
  for(const char *p = strstr(text, "\n### `"); p; p = strstr(p + 1, "\n### `")) {
    char code[96];
    const char *s = p + 6, *end = strchr(s, '`');
    size_t l = end ? (size_t)(end - s) : 0;
    if(!l || l >= sizeof(code))
      continue;
    memcpy(code, s, l);
    code[l] = '\0';
    if(!az_catalogue_find(code))
      fprintf(stderr, "docs/findings.md documents %s, which the catalogue "
                      "does not have\n", code);
    CHECK(az_catalogue_find(code) != NULL);
  }
  free(text);
  return CHECK_DONE();
}
