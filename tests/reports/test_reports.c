/* Unit tests of the renderers: escaping, and what each format must hold
 * for the sample results in this folder (hand-made, so they do not depend
 * on the analyzer). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/jsonutil.h"
#include "sample_load.h"
#include "reports/escape.h"
#include "reports/report.h"


static char *render(const cJSON *r, rp_format f, bool color, bool quiet,
                    bool verbose)
{
  xd_buf out;
  xd_err e = {0};
  rp_options o = {color, quiet, verbose};
  xd_buf_init(&out);
  if(rp_render(r, f, &o, &out, &e) != XD_OK) {
    fprintf(stderr, "render: %s\n", e.msg);
    xd_buf_free(&out);
    return NULL;
  }
  return xd_buf_steal(&out);
}

static int count(const char *hay, const char *needle)
{
  int n = 0;
  for(const char *p = hay ? strstr(hay, needle) : NULL; p;
      p = strstr(p + 1, needle))
    n++;
  return n;
}

static void test_escape(void)
{
  xd_buf b;
  xd_buf_init(&b);
  rp_html_escape(&b, "<script>alert(1)</script>");
  CHECK_STR(xd_buf_str(&b), "&lt;script&gt;alert(1)&lt;/script&gt;");
  xd_buf_reset(&b);
  rp_html_escape(&b, "\"><img src=x onerror=alert(1)> & 'x'");
  CHECK_STR(xd_buf_str(&b), "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; "
            "&amp; &#39;x&#39;");
  xd_buf_reset(&b);
  rp_html_escape(&b, "a\x1b[31mb\x01");
  CHECK_STR(xd_buf_str(&b), "a\xEF\xBF\xBD[31mb\xEF\xBF\xBD");
  xd_buf_reset(&b);
  /* cut at 3 characters: whole UTF-8 sequences only */
  rp_html_escape_max(&b, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3);
  CHECK_STR(xd_buf_str(&b), "\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\xA6");
  xd_buf_reset(&b);
  rp_html_escape_max(&b, "<<<", 2);
  CHECK_STR(xd_buf_str(&b), "&lt;&lt;\xE2\x80\xA6");
  xd_buf_reset(&b);
  rp_xml_escape(&b, "a<b>&\"'\n\x02");
  CHECK_STR(xd_buf_str(&b), "a&lt;b&gt;&amp;&quot;&apos;&#10;\xEF\xBF\xBD");
  xd_buf_reset(&b);
  rp_xml_escape_text(&b, "l1\nl2\x0b");
  CHECK_STR(xd_buf_str(&b), "l1\nl2\xEF\xBF\xBD");
  xd_buf_reset(&b);
  rp_prom_label_escape(&b, "a\"b\\c\nd");
  CHECK_STR(xd_buf_str(&b), "a\\\"b\\\\c\\nd");
  xd_buf_reset(&b);
  rp_text_safe(&b, "ok\x1b]0;x\x07 \xC2\x9B" "1m");
  CHECK_STR(xd_buf_str(&b), "ok?]0;x? ?1m");
  CHECK_INT(rp_utf8_len("a\xC3\xA9\xE2\x86\x92"), 3);
  xd_buf_free(&b);
}

/* What no HTML made from the hostile result may contain: markup from the
 * data. Its escaped form must be there instead (so the text was shown). */
static void test_html_hostile(const cJSON *hostile)
{
  char *html = render(hostile, RP_HTML, false, false, false);
  CHECK(html != NULL);
  if(!html)
    return;
  CHECK(!strstr(html, "<script"));
  CHECK(!strstr(html, "<img"));
  CHECK(!strstr(html, "<svg onload"));
  CHECK(!strstr(html, "\"><img"));
  CHECK(!strstr(html, "'><svg"));
  CHECK(!strstr(html, "\x1b"));
  CHECK_CONTAINS(html, "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK_CONTAINS(html, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  CHECK_CONTAINS(html, "&#39;&gt;&lt;svg onload=alert(1)&gt;&amp;amp;");
  /* each place the payloads were planted shows them escaped */
  CHECK(count(html, "&lt;script&gt;alert(1)&lt;/script&gt;") >= 8);
  CHECK(count(html, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") >= 8);
  free(html);
}

static void test_html_structure(const cJSON *sample)
{
  char *html = render(sample, RP_HTML, true, false, false);
  CHECK(html != NULL);
  if(!html)
    return;
  CHECK(!strncmp(html, "<!DOCTYPE html>", 15));
  CHECK_CONTAINS(html, "<meta http-equiv=\"Content-Security-Policy\" content="
                 "\"default-src 'none'; style-src 'unsafe-inline'; img-src "
                 "data:\">");
  CHECK_CONTAINS(html, "<header class=\"banner st-critical\"");
  CHECK_CONTAINS(html, "<h1>CRITICAL</h1>");
  CHECK_CONTAINS(html, "Notebook shows: <code>Cannot connect to livy service "
                 "at ip-2-0-1-10.ec2.internal:8998</code>");
  CHECK_CONTAINS(html, "request: Studio &rarr; EMR");
  CHECK_CONTAINS(html, "response: EMR &rarr; Studio");
  CHECK_CONTAINS(html, "@media print");
  CHECK_INT(count(html, "<svg class=\"hops\""), 6);   /* one per path */
  CHECK_INT(count(html, "<svg class=\"timeline\""), 1);
  /* the deciding hops: four blocked paths, each with one red box */
  CHECK_INT(count(html, "stroke=\"#b3261e\" stroke-width=\"4\""), 4);
  CHECK_INT(count(html, "\xE2\x9C\x97 stopped at "), 4);
  CHECK_CONTAINS(html, "no rule of sg-0emrmaster2222 or sg-0emradd2222");
  CHECK_CONTAINS(html, "<pre class=\"fix\"><code>aws ec2 "
                 "authorize-security-group-ingress");
  CHECK_CONTAINS(html, "id=\"changes\"");
  CHECK_CONTAINS(html, "rule: tcp 8998 from 111111111111/sg-0studio1111aaaa");
  CHECK_CONTAINS(html, "expires in 20 days");
  CHECK_CONTAINS(html, "no-response");
  CHECK_CONTAINS(html, "not seen on this side");
  CHECK_CONTAINS(html, "/srv/support/case-4711/snapshot");
  CHECK(!strstr(html, "<script"));
  CHECK(!strstr(html, "src=\"http"));
  CHECK(!strstr(html, "href=\"http"));
  CHECK(!strstr(html, "href=\"//"));
  CHECK(!strstr(html, "url("));
  CHECK(!strstr(html, "@import"));
  CHECK(!strstr(html, "\x1b"));   /* color is for terminals only */
  free(html);
}

static void test_text(const cJSON *sample, const cJSON *hostile)
{
  char *plain = render(sample, RP_TEXT, false, false, false);
  char *colour = render(sample, RP_TEXT, true, false, false);
  char *verbose = render(sample, RP_TEXT, false, false, true);
  char *quiet = render(sample, RP_TEXT, true, true, false);
  char *bad = render(hostile, RP_TEXT, false, false, true);
  CHECK(plain && colour && verbose && quiet && bad);
  if(!plain || !colour || !verbose || !quiet || !bad)
    goto done;
  CHECK(!strchr(plain, '\x1b'));
  CHECK(strstr(colour, "\x1b[") != NULL);
  CHECK_CONTAINS(plain, "xacct-doctor: CRITICAL - 2 critical, 1 warning, 1 "
                 "info; 2/6 paths reachable");
  CHECK_CONTAINS(plain, "security-group-ingress  sg-0emrmaster2222    DENY");
  CHECK_CONTAINS(plain, "<- here");
  /* the notebook's own words, and the hops as request and response lanes */
  CHECK_CONTAINS(plain, "notebook shows: \"Cannot connect to livy service at "
                 "ip-2-0-1-10.ec2.internal:8998\" (SG_INGRESS_MISSING)");
  CHECK_CONTAINS(plain, "     request: Studio -> EMR\n");
  CHECK_CONTAINS(plain, "     response: EMR -> Studio\n");
  CHECK_CONTAINS(plain, "Changes since the last run");
  CHECK_CONTAINS(plain, "was: rule: tcp 8998 from 111111111111/sg-0studio1111aaaa");
  CHECK_CONTAINS(plain, "fix:\n      aws ec2 create-route --region us-east-1 "
                 "--route-table-id rtb-0studio1111aaaa");
  /* reachable paths are in the list but not in detail, unless verbose */
  CHECK(!strstr(plain, "2.0.1.10:10000 (hiveserver2): reachable"));
  CHECK_CONTAINS(verbose, "2.0.1.10:10000 (hiveserver2): reachable");
  CHECK_CONTAINS(verbose, "file absent from the snapshot");
  CHECK(!strstr(plain, "file absent from the snapshot"));
  CHECK_STR(quiet, "XACCT-DOCTOR CRITICAL - 2 critical, 1 warning; 2/6 paths "
            "reachable | paths_reachable=2;;;0;6 findings_critical=2 "
            "findings_warning=1 duration_ms=1234ms\n");
  CHECK(!strchr(bad, '\x1b'));
  CHECK(!strchr(bad, '\x07'));
  CHECK_CONTAINS(bad, "?[31mred?[0m and ? ctl");
done:
  free(plain);
  free(colour);
  free(verbose);
  free(quiet);
  free(bad);
}

static void test_prometheus(const cJSON *sample)
{
  char *p = render(sample, RP_PROMETHEUS, false, false, false);
  cJSON *dup = cJSON_Duplicate(sample, true);
  char *d = NULL;
  CHECK(p != NULL);
  if(!p)
    goto done;
  CHECK_CONTAINS(p, "# TYPE xacct_doctor_path_reachable gauge\n");
  CHECK_CONTAINS(p, "xacct_doctor_path_reachable{from=\"10.0.20.15\",to=\""
                 "2.0.1.10\",port=\"8998\",service=\"livy\"} 0\n");
  CHECK_CONTAINS(p, "xacct_doctor_path_reachable{from=\"10.0.20.15\",to=\""
                 "2.0.1.10\",port=\"10000\",service=\"hiveserver2\"} 1\n");
  CHECK_CONTAINS(p, "xacct_doctor_findings{severity=\"critical\",code=\""
                 "SG_INGRESS_MISSING\"} 1\n");
  CHECK_CONTAINS(p, "xacct_doctor_last_run_timestamp_seconds 1795926367.000\n");
  CHECK_CONTAINS(p, "xacct_doctor_run_success 1\n");
  CHECK_CONTAINS(p, "xacct_doctor_status 2\n");
  CHECK_CONTAINS(p, "phase=\"tls\"} 0.0061\n");
  CHECK_CONTAINS(p, "port=\"8998\"} 5\n");   /* 5000 ms as seconds */
  /* no sample carries a timestamp: after the labels comes one value */
  {
    int lines = 0, bad = 0;
    for(const char *l = p; *l; ) {
      const char *end = strchr(l, '\n'), *rest;
      if(!end)
        break;
      if(*l != '#') {
        int spaces = 0;
        rest = memchr(l, '}', (size_t)(end - l));
        for(rest = rest ? rest + 1 : l; rest < end; rest++)
          spaces += *rest == ' ';
        bad += spaces != 1;
        lines++;
      }
      l = end + 1;
    }
    CHECK(lines > 30);
    CHECK_INT(bad, 0);
  }
  /* a path listed twice is one series */
  cJSON_AddItemToArray((cJSON *)xd_json_array(dup, "paths"),
                       cJSON_Duplicate(cJSON_GetArrayItem(
                         xd_json_array(dup, "paths"), 0), true));
  d = render(dup, RP_PROMETHEUS, false, false, false);
  CHECK_INT(count(d, "xacct_doctor_path_reachable{from=\"10.0.20.15\",to=\""
                  "2.0.1.10\",port=\"8998\""), 1);
done:
  free(p);
  free(d);
  cJSON_Delete(dup);
}

static void test_junit(const cJSON *sample)
{
  char *x = render(sample, RP_JUNIT, false, false, false);
  CHECK(x != NULL);
  if(!x)
    return;
  CHECK(!strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39));
  CHECK_CONTAINS(x, "<testsuites name=\"xacct-doctor\" tests=\"16\" "
                 "failures=\"10\" errors=\"0\"");
  CHECK_CONTAINS(x, "<testsuite name=\"paths\" tests=\"6\" failures=\"4\"");
  CHECK_CONTAINS(x, "name=\"studio 10.0.20.15 -&gt; emr 2.0.1.10:8998 (livy)\"");
  CHECK_CONTAINS(x, "type=\"blocked\"");
  CHECK_CONTAINS(x, "fix: aws ec2 authorize-security-group-ingress");
  CHECK_CONTAINS(x, "<testsuite name=\"findings\" tests=\"4\" failures=\"3\"");
  CHECK_CONTAINS(x, "<system-out>SNAPSHOT_FILE_MISSING");
  free(x);
}

/* The least a result can be: every renderer copes. */
static void test_minimal(void)
{
  cJSON *r = cJSON_Parse("{\"schema\":\"xacct-doctor.result/1\","
                         "\"status\":\"unknown\",\"findings\":[],"
                         "\"meta\":{\"incomplete\":\"deadline | passed\"}}");
  for(int f = 0; f < 5; f++) {
    char *s = render(r, (rp_format)f, false, false, false);
    CHECK(s != NULL && *s);
    if(f == RP_PROMETHEUS)
      CHECK_CONTAINS(s, "xacct_doctor_run_success 0\n");
    free(s);
  }
  {
    char *q = render(r, RP_TEXT, false, true, false);
    CHECK_STR(q, "XACCT-DOCTOR UNKNOWN - incomplete: deadline / passed; 0 "
              "critical, 0 warning; 0/0 paths reachable | paths_reachable=0;;;"
              "0;0 findings_critical=0 findings_warning=0 duration_ms=0ms\n");
    free(q);
  }
  cJSON_Delete(r);
}

/* Every value of the sample replaced in turn by a value of another type
 * (a hand-edited or hostile result): every renderer must still produce
 * output, without crashing (this test runs under ASan/UBSan in CI). */
static int walk(cJSON *root, cJSON *node, int *seen)
{
  int bad = 0;
  cJSON *child;
  for(child = node->child; child; child = child->next) {
    cJSON *save = cJSON_Duplicate(child, true), *repl;
    int k = (*seen)++;
    switch(k % 5) {
    case 0: repl = cJSON_CreateNumber(-1e300); break;
    case 1: repl = cJSON_CreateString("\xE2\x80\xAE<x>"); break;
    case 2: repl = cJSON_CreateNull(); break;
    case 3: repl = cJSON_CreateObject(); break;
    default: repl = cJSON_CreateArray(); break;
    }
    /* an object member keeps its name, as it would in a parsed file */
    if(child->string && !(repl->string = strdup(child->string)))
      return bad + 1;
    cJSON_ReplaceItemViaPointer(node, child, repl);
    for(int f = 0; f < 5; f++) {
      char *out = render(root, (rp_format)f, f == 0, false, true);
      bad += out == NULL;
      free(out);
    }
    /* put the original back and go on inside it */
    cJSON_ReplaceItemViaPointer(node, repl, save);
    child = save;
    bad += walk(root, child, seen);
  }
  return bad;
}

static void test_type_confusion(const cJSON *sample)
{
  cJSON *copy = cJSON_Duplicate(sample, true);
  int seen = 0;
  CHECK_INT(walk(copy, copy, &seen), 0);
  CHECK(seen > 400);
  CHECK(cJSON_Compare(copy, sample, true));   /* walked and restored */
  cJSON_Delete(copy);
}

/* Issue 12: a run that could not see its paths says UNKNOWN, what was not
 * seen and why, in every format; an unknown path that packets settled is
 * not an error; an empty AAAA answer (IPv4-only VPC) does not fail JUnit. */
static void test_not_seen(void)
{
  cJSON *r = cJSON_Parse(
      "{\"schema\":\"xacct-doctor.result/1\",\"status\":\"unknown\","
      "\"findings\":[{\"code\":\"PATH_NOT_SEEN\",\"severity\":\"warning\","
      "\"resource\":\"j-3KQ7ZP1XW5R2B\",\"message\":\"m\"}],"
      "\"paths\":[{\"from\":{\"side\":\"studio\",\"ip\":\"10.0.20.15\"},"
      "\"to\":{\"side\":\"emr\",\"ip\":\"2.0.1.10\",\"port\":8998},"
      "\"verdict\":\"unknown\",\"hops\":[]},"
      "{\"from\":{\"side\":\"studio\",\"ip\":\"10.0.20.15\"},"
      "\"to\":{\"side\":\"emr\",\"ip\":\"2.0.1.10\",\"port\":10000},"
      "\"verdict\":\"unknown\",\"hops\":[],"
      "\"observed\":{\"break\":\"none: the handshake completed\"}}],"
      "\"observations\":{\"studio\":{\"dns\":[{\"name\":\"n\",\"type\":\"AAAA\","
      "\"rcode\":\"NOERROR\",\"answers\":[]}]}},"
      "\"meta\":{\"not_seen\":[{\"target\":\"2.0.1.10\",\"paths\":1,"
      "\"why\":\"a | b\"}]}}");
  char *t, *q, *p, *j, *h;
  CHECK(r != NULL);
  if(!r)
    return;
  h = render(r, RP_HTML, false, false, false);
  /* the support engineer's page says it too, escaped like all the rest */
  CHECK_CONTAINS(h, "<p class=\"not-seen\">Not seen: 2.0.1.10 (1 path): "
                 "a | b</p>");
  free(h);
  t = render(r, RP_TEXT, false, false, false);
  q = render(r, RP_TEXT, false, true, false);
  p = render(r, RP_PROMETHEUS, false, false, false);
  j = render(r, RP_JUNIT, false, false, false);
  CHECK_CONTAINS(t, "xacct-doctor: UNKNOWN - 0 critical, 1 warning, 0 info; "
                 "0/2 paths reachable, 1 not seen\n");
  CHECK_CONTAINS(t, "  not seen: 2.0.1.10 (1 path): a | b\n");
  CHECK(q && !strncmp(q, "XACCT-DOCTOR UNKNOWN - not seen: 2.0.1.10: a / b; "
                      "0 critical, 1 warning;", 70));
  CHECK_CONTAINS(p, "xacct_doctor_status 3\n");
  /* it ran to the end: the status says what it could not decide */
  CHECK_CONTAINS(p, "xacct_doctor_run_success 1\n");
  /* the unseen path is an error, the settled one and the AAAA pass */
  CHECK_CONTAINS(j, "failures=\"1\" errors=\"1\"");
  CHECK_INT(count(j, "type=\"unknown\""), 1);
  CHECK_INT(count(j, "type=\"probe\""), 0);
  free(t);
  free(q);
  free(p);
  free(j);
  /* an incomplete run has no finding to say so: JUnit errs all the same */
  cJSON_DeleteItemFromObject(r, "findings");
  cJSON_DeleteItemFromObject(r, "paths");
  cJSON_DeleteItemFromObject(cJSON_GetObjectItem(r, "meta"), "not_seen");
  cJSON_AddStringToObject(cJSON_GetObjectItem(r, "meta"), "incomplete", "x");
  j = render(r, RP_JUNIT, false, false, false);
  CHECK_CONTAINS(j, "type=\"incomplete\"");
  CHECK_CONTAINS(j, "failures=\"0\" errors=\"1\"");
  free(j);
  cJSON_Delete(r);
}

/* The sample's port 10000 as the probe identifies it, rendered in HTML. */
static char *html_10000(const cJSON *sample, const char *by, bool silent)
{
  cJSON *r = cJSON_Duplicate(sample, true);
  cJSON *side, *t;
  char *html;
  bool set = false;
  cJSON_ArrayForEach(side, cJSON_GetObjectItemCaseSensitive(r,
                                                            "observations"))
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(side, "tcp")) {
      long port = 0;
      if(set || !xd_json_long(t, "port", &port) || port != 10000)
        continue;
      cJSON_AddNumberToObject(t, "identify_ms", 1000);
      cJSON_AddStringToObject(t, "service", "hiveserver2");
      cJSON_AddStringToObject(t, "identified_by", by);
      cJSON_AddBoolToObject(t, "silent", silent);
      set = true;
    }
  CHECK(set);
  html = render(r, RP_HTML, false, false, false);
  cJSON_Delete(r);
  return html;
}

/* An open port whose peer said nothing within the identification budget:
 * the TCP table says so, with the service its port number suggests. */
static void test_html_unidentified(const cJSON *sample)
{
  char *html = html_10000(sample, "port", true);
  CHECK_CONTAINS(html, "<th>service</th>");
  CHECK_CONTAINS(html, "not identified in 1 s <span class=\"muted\">"
                 "(hiveserver2 by port)</span>");
  free(html);
}

/* HiveServer2's binary transport answered the probe's Thrift SASL START. */
static void test_html_thrift_sasl(const cJSON *sample)
{
  char *html = html_10000(sample, "thrift-sasl", false);
  CHECK_CONTAINS(html, "<td>HiveServer2 (Thrift SASL) answered</td>");
  CHECK(!strstr(html, "not identified in 1 s"));
  free(html);
}

/* The line under a path says which service answered on the open port, or
 * that it stayed silent, in the text and HTML reports alike; a service
 * name from the observations is escaped in HTML like everything else. */
static void test_observed_service(void)
{
  cJSON *r = cJSON_Parse(
      "{\"schema\":\"xacct-doctor.result/1\",\"status\":\"ok\","
      "\"findings\":[],\"paths\":["
      "{\"from\":{\"side\":\"studio\",\"ip\":\"10.0.20.15\"},"
      "\"to\":{\"side\":\"emr\",\"ip\":\"2.0.1.10\",\"port\":8998},"
      "\"verdict\":\"reachable\",\"hops\":[],\"observed\":{"
      "\"tcp_state\":\"open\",\"tcp_reason\":\"syn-ack\","
      "\"identify_ms\":1000,\"service\":\"livy<b>\","
      "\"identified_by\":\"response\",\"silent\":false}},"
      "{\"from\":{\"side\":\"studio\",\"ip\":\"10.0.20.15\"},"
      "\"to\":{\"side\":\"emr\",\"ip\":\"2.0.1.10\",\"port\":10000},"
      "\"verdict\":\"reachable\",\"hops\":[],\"observed\":{"
      "\"tcp_state\":\"open\",\"tcp_reason\":\"syn-ack\","
      "\"identify_ms\":1000,\"service\":\"hiveserver2\","
      "\"identified_by\":\"thrift-sasl\",\"silent\":false}},"
      "{\"from\":{\"side\":\"studio\",\"ip\":\"10.0.20.15\"},"
      "\"to\":{\"side\":\"emr\",\"ip\":\"2.0.1.10\",\"port\":8889},"
      "\"verdict\":\"reachable\",\"hops\":[],\"observed\":{"
      "\"tcp_state\":\"open\",\"tcp_reason\":\"syn-ack\","
      "\"identify_ms\":1000,\"service\":\"presto\","
      "\"identified_by\":\"port\",\"silent\":true}}]}");
  char *t, *h;
  CHECK(r != NULL);
  if(!r)
    return;
  /* (a reachable path's details are in the text report with --verbose) */
  t = render(r, RP_TEXT, false, false, true);
  h = render(r, RP_HTML, false, false, false);
  CHECK_CONTAINS(t, "Studio probe open (syn-ack), livy<b> answered");
  CHECK_CONTAINS(t, "Studio probe open (syn-ack), HiveServer2 (Thrift SASL) "
                 "answered");
  CHECK_CONTAINS(t, "Studio probe open (syn-ack), service not identified in "
                 "1 s (presto by port)");
  CHECK_CONTAINS(h, "livy&lt;b&gt; answered");
  CHECK(!strstr(h, "livy<b>"));
  CHECK_CONTAINS(h, "service not identified in 1 s (presto by port)");
  free(t);
  free(h);
  cJSON_Delete(r);
}

int main(void)
{
  cJSON *sample = load("sample.json"), *hostile = load("hostile.json");
  CHECK(sample && hostile);
  test_escape();
  if(sample && hostile) {
    test_html_hostile(hostile);
    test_html_structure(sample);
    test_html_unidentified(sample);
    test_html_thrift_sasl(sample);
    test_text(sample, hostile);
    test_prometheus(sample);
    test_junit(sample);
    test_type_confusion(sample);
  }
  test_minimal();
  test_not_seen();
  test_observed_service();
  cJSON_Delete(sample);
  cJSON_Delete(hostile);
  return CHECK_DONE();
}
