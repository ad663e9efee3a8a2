/* JUnit XML for CI pipelines: a pipeline that runs xacct-doctor after a
 * Terraform apply shows each path and each finding as a test, and a broken
 * path fails with the finding that explains it. Three suites: "paths" (one
 * testcase per path and port), "findings" (one per finding: critical and
 * warning fail, info passes with its message as output) and "probes" (one
 * per DNS lookup and TCP probe). The document fails (failures or errors)
 * exactly when the status is not OK: a blocked path fails, a path not seen
 * is an error, an incomplete run is an error. */
#include <string.h>

#include "../common/jsonutil.h"
#include "../common/result.h"
#include "escape.h"
#include "formats.h"
#include "util.h"

typedef struct {
  xd_buf body;          /* the testcases of the suite being built */
  int tests, failures, errors;
} suite;

static void x(xd_buf *out, const char *s)
{
  rp_xml_escape(out, s);
}

static void xt(xd_buf *out, const char *s)
{
  rp_xml_escape_text(out, s);
}

static void suite_out(xd_buf *out, const char *name, const suite *s,
                      const char *timestamp, double secs)
{
  xd_buf_puts(out, "  <testsuite name=\"");
  x(out, name);
  xd_buf_printf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                "skipped=\"0\" time=\"%.3f\" timestamp=\"", s->tests,
                s->failures, s->errors, secs);
  x(out, timestamp);
  xd_buf_puts(out, "\">\n");
  xd_buf_puts(out, xd_buf_str(&s->body));
  xd_buf_puts(out, "  </testsuite>\n");
}

static void testcase_open(suite *s, const char *classname, const char *name)
{
  xd_buf_puts(&s->body, "    <testcase classname=\"");
  x(&s->body, classname);
  xd_buf_puts(&s->body, "\" name=\"");
  x(&s->body, name);
  xd_buf_puts(&s->body, "\" time=\"0\">\n");
  s->tests++;
}

/* The finding as a failure body: what a person reads in the CI log. */
static void finding_text(xd_buf *out, const cJSON *f)
{
  const cJSON *ev;
  const char *rem = rp_s_opt(f, "remediation"), *acct = rp_s_opt(f, "account");
  xd_buf_printf(out, "%s %s: %s", rp_s(f, "code"), rp_s(f, "resource"),
                rp_s(f, "message"));
  if(acct)
    xd_buf_printf(out, " (account %s)", acct);
  xd_buf_puts(out, "\n");
  cJSON_ArrayForEach(ev, xd_json_array(f, "evidence"))
    if(cJSON_IsString(ev))
      xd_buf_printf(out, "  evidence: %s\n", ev->valuestring);
  if(rem)
    xd_buf_printf(out, "  fix: %s\n", rem);
}

static void paths(suite *s, const cJSON *r)
{
  const cJSON *p;
  cJSON_ArrayForEach(p, xd_json_array(r, "paths")) {
    const char *v = rp_s(p, "verdict");
    const cJSON *h, *d = rp_deciding_hop(p), *f;
    xd_buf name, msg, body;
    bool blocked = !strcmp(v, "blocked");
    /* an unknown path that packets settled is not an error: the status
     * counts it as seen (xd_result_finish), and so does the pipeline */
    bool unknown = strcmp(v, "reachable") && !blocked && !xd_path_settled(p);
    xd_buf_init(&name);
    xd_buf_init(&msg);
    xd_buf_init(&body);
    rp_path_name(&name, p, "->");
    testcase_open(s, "xacct-doctor.paths", xd_buf_str(&name));
    if(blocked || unknown) {
      xd_buf_printf(&msg, "%s", blocked ? "blocked" : "verdict unknown");
      if(d)
        xd_buf_printf(&msg, " at %s %s: %s", rp_s(d, "kind"), rp_s(d, "resource"),
                      rp_s(d, "detail"));
      cJSON_ArrayForEach(h, xd_json_array(p, "hops"))
        xd_buf_printf(&body, "%-7s %s %s: %s\n", rp_s(h, "verdict"),
                      rp_s(h, "kind"), rp_s(h, "resource"), rp_s(h, "detail"));
      /* the findings about the element that stopped the path */
      cJSON_ArrayForEach(f, xd_json_array(r, "findings"))
        if(d && *rp_s(d, "resource") &&
           !strcmp(rp_s(f, "resource"), rp_s(d, "resource"))) {
          xd_buf_puts(&body, "\n");
          finding_text(&body, f);
        }
      xd_buf_printf(&s->body, "      <%s message=\"", blocked ? "failure" : "error");
      x(&s->body, xd_buf_str(&msg));
      xd_buf_printf(&s->body, "\" type=\"%s\">", blocked ? "blocked" : "unknown");
      xt(&s->body, xd_buf_str(&body));
      xd_buf_printf(&s->body, "</%s>\n", blocked ? "failure" : "error");
      if(blocked)
        s->failures++;
      else
        s->errors++;
    }
    xd_buf_puts(&s->body, "    </testcase>\n");
    xd_buf_free(&name);
    xd_buf_free(&msg);
    xd_buf_free(&body);
  }
}

static void findings(suite *s, const cJSON *r)
{
  const cJSON *f;
  cJSON_ArrayForEach(f, xd_json_array(r, "findings")) {
    const char *sev = rp_s(f, "severity");
    bool fail = !strcmp(sev, "critical") || !strcmp(sev, "warning");
    xd_buf name, body;
    xd_buf_init(&name);
    xd_buf_init(&body);
    xd_buf_printf(&name, "%s %s", rp_s(f, "code"), rp_s(f, "resource"));
    testcase_open(s, "xacct-doctor.findings", xd_buf_str(&name));
    finding_text(&body, f);
    if(fail) {
      xd_buf_puts(&s->body, "      <failure message=\"");
      x(&s->body, rp_s(f, "message"));
      xd_buf_puts(&s->body, "\" type=\"");
      x(&s->body, sev);
      xd_buf_puts(&s->body, "\">");
      xt(&s->body, xd_buf_str(&body));
      xd_buf_puts(&s->body, "</failure>\n");
      s->failures++;
    }
    else {
      xd_buf_puts(&s->body, "      <system-out>");
      xt(&s->body, xd_buf_str(&body));
      xd_buf_puts(&s->body, "</system-out>\n");
    }
    xd_buf_puts(&s->body, "    </testcase>\n");
    xd_buf_free(&name);
    xd_buf_free(&body);
  }
}

/* A run that did not finish has no finding to say so: one error, so that
 * the pipeline fails as the exit status does. */
static void incomplete(suite *s, const cJSON *r)
{
  const char *why = rp_s_opt(xd_json_object(r, "meta"), "incomplete");
  if(!why)
    return;
  testcase_open(s, "xacct-doctor.run", "run complete");
  xd_buf_puts(&s->body, "      <error message=\"incomplete: ");
  x(&s->body, why);
  xd_buf_puts(&s->body, "\" type=\"incomplete\"/>\n");
  s->errors++;
  xd_buf_puts(&s->body, "    </testcase>\n");
}

static void probe_case(suite *s, const char *name, bool ok, const char *why)
{
  testcase_open(s, "xacct-doctor.probes", name);
  if(!ok) {
    xd_buf_puts(&s->body, "      <failure message=\"");
    x(&s->body, why);
    xd_buf_puts(&s->body, "\" type=\"probe\"/>\n");
    s->failures++;
  }
  xd_buf_puts(&s->body, "    </testcase>\n");
}

static void probes(suite *s, const cJSON *r)
{
  const cJSON *side, *it;
  cJSON_ArrayForEach(side, rp_obj(r, "observations")) {
    cJSON_ArrayForEach(it, xd_json_array(side, "dns")) {
      xd_buf name, why, answers;
      const cJSON *a;
      bool ok = !strcmp(rp_s(it, "rcode"), "NOERROR") &&
                cJSON_GetArraySize(xd_json_array(it, "answers")) > 0;
      xd_buf_init(&name);
      xd_buf_init(&why);
      xd_buf_init(&answers);
      cJSON_ArrayForEach(a, xd_json_array(it, "answers"))
        if(cJSON_IsString(a))
          xd_buf_printf(&answers, "%s%s", answers.len ? " " : "", a->valuestring);
      /* an empty AAAA answer is what an IPv4-only VPC gives: a lookup
       * fails when it errs, or when no A record answers */
      if(!ok && !strcmp(rp_s(it, "rcode"), "NOERROR") &&
         strcmp(rp_s(it, "type"), "A"))
        ok = true;
      xd_buf_printf(&name, "%s: dns %s %s @%s -> %s", side->string,
                    rp_s(it, "type"), rp_s(it, "name"), rp_s(it, "server"),
                    answers.len ? xd_buf_str(&answers) : "(no answer)");
      xd_buf_printf(&why, "%s: %s %s answered %s with no address",
                    rp_s(it, "server"), rp_s(it, "type"), rp_s(it, "name"),
                    rp_s(it, "rcode"));
      probe_case(s, xd_buf_str(&name), ok, xd_buf_str(&why));
      xd_buf_free(&name);
      xd_buf_free(&why);
      xd_buf_free(&answers);
    }
    cJSON_ArrayForEach(it, xd_json_array(side, "tcp")) {
      xd_buf name, why;
      long port = 0;
      xd_json_long(it, "port", &port);
      xd_buf_init(&name);
      xd_buf_init(&why);
      xd_buf_printf(&name, "%s: tcp %s (%s) port %ld", side->string,
                    rp_s(it, "target"), rp_s(it, "ip"), port);
      xd_buf_printf(&why, "%s:%ld is %s (%s)", rp_s(it, "ip"), port,
                    rp_s(it, "state"), rp_s(it, "reason"));
      probe_case(s, xd_buf_str(&name), !strcmp(rp_s(it, "state"), "open"),
                 xd_buf_str(&why));
      xd_buf_free(&name);
      xd_buf_free(&why);
    }
  }
}

xd_rc rp_render_junit(const cJSON *r, const rp_options *o, xd_buf *out,
                      xd_err *e)
{
  suite s[3];
  const char *names[3] = {"paths", "findings", "probes"};
  const char *ts = rp_s(r, "started_at");
  double dur = 0;
  int tests = 0, failures = 0, errors = 0;
  (void)o; (void)e;
  rp_num(r, "duration_ms", &dur);
  dur /= 1000.0;
  memset(s, 0, sizeof(s));
  for(int i = 0; i < 3; i++)
    xd_buf_init(&s[i].body);
  paths(&s[0], r);
  findings(&s[1], r);
  incomplete(&s[1], r);
  probes(&s[2], r);
  for(int i = 0; i < 3; i++) {
    tests += s[i].tests;
    failures += s[i].failures;
    errors += s[i].errors;
  }
  xd_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  xd_buf_printf(out, "<testsuites name=\"xacct-doctor\" tests=\"%d\" "
                "failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n", tests,
                failures, errors, dur);
  for(int i = 0; i < 3; i++) {
    if(s[i].body.failed)
      out->failed = true;
    /* a suite with no testcase is left out: some CI tools reject it */
    if(s[i].tests)
      suite_out(out, names[i], &s[i], ts, i == 0 ? dur : 0);
    xd_buf_free(&s[i].body);
  }
  xd_buf_puts(out, "</testsuites>\n");
  return XD_OK;
}
