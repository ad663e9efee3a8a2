/* tests/probes/unit_probe.c: the parts of the probe engine that need no
 * network: input checks, nmap's state and reason for every ICMP message
 * and errno, service identification, the exit status of a document, and
 * its text rendering. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/jsonutil.h"
#include "probes/pr_internal.h"
#include "reports/obs_text.h"

static void targets(void)
{
  static const char *const good[] = {"ip-2-0-1-10.ec2.internal", "livy",
    "emr.xd.test.", "10.0.0.1", "::1", "fd00:99::2", "[fd00:99::2]",
    "a_b.example", "x1.y2"};
  static const char *const bad[] = {"", "http://livy:8998", "livy:8998",
    "10.0.0.300", "-a.example", "a-.example", "a..b", "a b", "[10.0.0.1]",
    "1.2.3", "host/path", "[::1"};
  char long_label[80];
  xd_err e = {0};
  for(size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
    CHECK_INT(pr_check_target(good[i], &e), XD_OK);
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    CHECK_INT(pr_check_target(bad[i], &e), XD_E_USAGE);
    CHECK_CONTAINS(e.msg, "--target");
  }
  memset(long_label, 'a', 64);
  memcpy(long_label + 64, ".example", 9);
  CHECK_INT(pr_check_target(long_label, &e), XD_E_USAGE);
}

static void dns_servers(void)
{
  xd_ip ip;
  int port = 0;
  xd_err e = {0};
  CHECK_INT(pr_parse_dns_server("10.0.0.2", &ip, &port, &e), XD_OK);
  CHECK_INT(port, 53);
  CHECK_INT(ip.family, 4);
  CHECK_INT(pr_parse_dns_server("10.0.0.2:5353", &ip, &port, &e), XD_OK);
  CHECK_INT(port, 5353);
  CHECK_INT(pr_parse_dns_server("fd00::2", &ip, &port, &e), XD_OK);
  CHECK_INT(port, 53);
  CHECK_INT(ip.family, 6);
  CHECK_INT(pr_parse_dns_server("[fd00::2]:54", &ip, &port, &e), XD_OK);
  CHECK_INT(port, 54);
  CHECK_INT(pr_parse_dns_server("[fd00::2]", &ip, &port, &e), XD_OK);
  CHECK_INT(port, 53);
  CHECK_INT(pr_parse_dns_server("dns.example", &ip, &port, &e), XD_E_USAGE);
  CHECK_CONTAINS(e.msg, "--dns-server");
  CHECK_INT(pr_parse_dns_server("10.0.0.2:0", &ip, &port, &e), XD_E_USAGE);
  CHECK_INT(pr_parse_dns_server("10.0.0.2:65536", &ip, &port, &e), XD_E_USAGE);
  CHECK_INT(pr_parse_dns_server("10.0.0.2:", &ip, &port, &e), XD_E_USAGE);
  CHECK_INT(pr_parse_dns_server("[fd00::2", &ip, &port, &e), XD_E_USAGE);
  CHECK_INT(pr_parse_dns_server("[fd00::2]x", &ip, &port, &e), XD_E_USAGE);
  CHECK_INT(pr_parse_dns_server("", &ip, &port, &e), XD_E_USAGE);
}

static void classify(void)
{
  static const struct {
    int fam, type, code;
    const char *state, *reason;
  } icmp[] = {
    {4, 3, 0, "filtered", "net-unreach"}, {4, 3, 1, "filtered", "host-unreach"},
    {4, 3, 2, "filtered", "proto-unreach"}, {4, 3, 3, "closed", "conn-refused"},
    {4, 3, 9, "filtered", "admin-prohibited"},
    {4, 3, 10, "filtered", "admin-prohibited"},
    {4, 3, 13, "filtered", "admin-prohibited"},
    {4, 3, 6, "filtered", "net-unreach"}, {4, 3, 7, "filtered", "host-unreach"},
    {4, 3, 8, "filtered", "dest-unreach"}, {4, 11, 0, "filtered", "time-exceeded"},
    {6, 1, 0, "filtered", "net-unreach"}, {6, 1, 1, "filtered", "admin-prohibited"},
    {6, 1, 3, "filtered", "host-unreach"}, {6, 1, 4, "closed", "conn-refused"},
    {6, 1, 5, "filtered", "admin-prohibited"}, {6, 3, 0, "filtered", "time-exceeded"},
  };
  static const struct {
    int err;
    const char *state, *reason;
  } errs[] = {
    {0, "open", "syn-ack"}, {ECONNREFUSED, "closed", "conn-refused"},
    {ETIMEDOUT, "filtered", "no-response"}, {EHOSTUNREACH, "filtered", "host-unreach"},
    {ENETUNREACH, "filtered", "net-unreach"}, {EACCES, "filtered", "admin-prohibited"},
    {ENOPROTOOPT, "filtered", "proto-unreach"},
  };
  const char *st, *re;
  for(size_t i = 0; i < sizeof(icmp) / sizeof(icmp[0]); i++) {
    /* the errno the kernel pairs with the message must not matter */
    pr_tcp_classify(icmp[i].fam, true, icmp[i].type, icmp[i].code, EHOSTUNREACH,
                    &st, &re);
    CHECK_STR(st, icmp[i].state);
    CHECK_STR(re, icmp[i].reason);
  }
  for(size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
    pr_tcp_classify(4, false, 0, 0, errs[i].err, &st, &re);
    CHECK_STR(st, errs[i].state);
    CHECK_STR(re, errs[i].reason);
  }
}

static void identify(void)
{
  char *v = NULL;
  const char *livy = "{\"from\":0,\"total\":0,\"sessions\":[]}";
  const char *presto = "{\"nodeVersion\":{\"version\":\"0.287\"},"
                       "\"coordinator\":true}";
  const char *yarn = "{\"clusterInfo\":{\"id\":1}}";
  CHECK_STR(pr_http_identify(0, 200, livy, strlen(livy), NULL), "livy");
  CHECK(pr_http_identify(0, 404, livy, strlen(livy), NULL) == NULL);
  CHECK(pr_http_identify(1, 200, livy, strlen(livy), NULL) == NULL);
  CHECK_STR(pr_http_identify(1, 200, presto, strlen(presto), &v), "presto");
  CHECK_STR(v, "0.287");
  free(v);
  CHECK_STR(pr_http_identify(2, 200, yarn, strlen(yarn), NULL), "yarn");
  CHECK_STR(pr_http_identify(3, 200, "[]", 2, NULL), "spark-history");
  CHECK_STR(pr_http_identify(3, 200, "[{\"id\":\"app-1\"}]", 16, NULL),
            "spark-history");
  CHECK(pr_http_identify(3, 200, "[1,2]", 5, NULL) == NULL);
  CHECK(pr_http_identify(0, 200, "<html>", 6, NULL) == NULL);
  /* a body cut off at the limit is not JSON, and not a guess */
  CHECK(pr_http_identify(0, 200, livy, 10, NULL) == NULL);
  CHECK_STR(pr_http_port_service(10000), "hiveserver2");
  CHECK_STR(pr_http_port_service(8998), "livy");
  CHECK(pr_http_port_service(1) == NULL);
}

static cJSON *doc(const char *json)
{
  cJSON *d = cJSON_Parse(json);
  CHECK(d != NULL);
  return d;
}

static void status(void)
{
  cJSON *d;
  d = doc("{\"tcp\":[{\"state\":\"open\"}],\"dns\":[{\"rcode\":\"NOERROR\"}]}");
  CHECK_INT(pr_obs_status(d), 0);
  cJSON_Delete(d);
  d = doc("{\"tcp\":[{\"state\":\"open\"},{\"state\":\"filtered\"}]}");
  CHECK_INT(pr_obs_status(d), 2);
  cJSON_Delete(d);
  d = doc("{\"tcp\":[{\"state\":\"open\"}],\"dns\":[{\"rcode\":\"timeout\"}]}");
  CHECK_INT(pr_obs_status(d), 2);
  cJSON_Delete(d);
  d = doc("{\"tcp\":[],\"targets\":[{\"resolved\":false}]}");
  CHECK_INT(pr_obs_status(d), 2);
  cJSON_Delete(d);
  d = doc("{\"tcp\":[{\"state\":\"open\"}],\"dns\":[{\"rcode\":\"NOERROR\","
          "\"matches\":false}]}");
  CHECK_INT(pr_obs_status(d), 2);
  cJSON_Delete(d);
  d = doc("{\"tcp\":[{\"state\":\"open\"}],\"precheck\":{\"ok\":false}}");
  CHECK_INT(pr_obs_status(d), 2);
  cJSON_Delete(d);
  d = doc("{\"tcp\":[{\"state\":\"open\"}],\"incomplete\":\"deadline\"}");
  CHECK_INT(pr_obs_status(d), 3);
  cJSON_Delete(d);
  d = doc("{\"tcp\":[]}");
  CHECK_INT(pr_obs_status(d), 2);
  cJSON_Delete(d);
}

static void text(void)
{
  cJSON *d = doc(
    "{\"schema\":\"xacct-doctor.observations/1\",\"side\":\"studio\","
    "\"host\":\"h1\",\"interfaces\":[],"
    "\"dns\":[{\"name\":\"emr.test\",\"server\":\"10.0.0.2\",\"type\":\"A\","
    "\"rcode\":\"NOERROR\",\"answers\":[\"2.0.1.10\"],\"ms\":1.5,"
    "\"expected\":\"10.0.1.10\",\"matches\":false,\"hint\":\"peering DNS option\"}],"
    "\"tcp\":[{\"target\":\"emr.test\",\"ip\":\"2.0.1.10\",\"port\":8998,"
    "\"state\":\"filtered\",\"reason\":\"admin-prohibited\",\"ms\":0.4,"
    "\"icmp\":{\"type\":3,\"code\":13,\"from\":\"2.0.1.1\"}}],"
    "\"tls\":[{\"ip\":\"2.0.1.10\",\"port\":8443,\"speaks_tls\":true,"
    "\"handshake\":\"ok\",\"version\":\"TLSv1.3\",\"cipher\":\"X\","
    "\"subject\":\"CN=evil\\u001b[31m\",\"issuer\":\"CN=ca\","
    "\"not_after\":\"2027-01-01T00:00:00Z\",\"days_left\":30,\"verify\":\"ok\","
    "\"hostname\":\"emr.test\",\"hostname_match\":true}],"
    "\"http\":[],\"flows\":[],"
    "\"targets\":[{\"target\":\"emr.test\",\"resolved\":true}],"
    "\"precheck\":{\"port\":8998,\"timeout_ms\":5000,\"ok\":false,"
    "\"message\":\"Cannot connect to livy service at ip-2-0-1-10.ec2.internal:8998\","
    "\"steps\":[{\"kind\":\"private\",\"name\":\"ip-2-0-1-10.ec2.internal\","
    "\"ip\":\"2.0.1.10\",\"state\":\"filtered\",\"reason\":\"no-response\","
    "\"ms\":5000}]}}");
  xd_buf b;
  xd_err e = {0};
  xd_buf_init(&b);
  CHECK_INT(rp_render_obs_text(d, NULL, &b, &e), XD_OK);
  CHECK_CONTAINS(xd_buf_str(&b), "1 target, 0 open, 0 closed, 1 filtered");
  CHECK_CONTAINS(xd_buf_str(&b), "admin-prohibited");
  CHECK_CONTAINS(xd_buf_str(&b), "ICMP 3/13 from 2.0.1.1");
  CHECK_CONTAINS(xd_buf_str(&b), "does not match (peering DNS option)");
  CHECK_CONTAINS(xd_buf_str(&b), "the client would show: Cannot connect to "
                 "livy service at ip-2-0-1-10.ec2.internal:8998");
  /* a certificate subject from the network cannot drive the terminal */
  CHECK(strchr(xd_buf_str(&b), '\033') == NULL);
  CHECK_CONTAINS(xd_buf_str(&b), "CN=evil?[31m");
  xd_buf_free(&b);
  cJSON_Delete(d);
}

/* HiveServer2's answer is read from the network: every length and every
 * cut of a frame is judged from the bytes actually there. */
static void sasl_frames(void)
{
  static const unsigned char bad[] = "\x03\x00\x00\x00\x05hello";
  unsigned char big[5 + PR_SASL_MAX + 1];
  pr_sasl_frame f;
  size_t n = sizeof(bad) - 1;
  memset(&f, 0, sizeof(f));
  CHECK_INT(pr_sasl_parse(bad, n, &f), 1);
  CHECK_INT(f.status, PR_SASL_BAD);
  CHECK_INT((int)f.len, 5);
  CHECK(!memcmp(f.payload, "hello", 5));
  CHECK_STR(pr_sasl_status_name(f.status), "BAD");
  /* every cut short of the whole frame asks for more, never reads on */
  for(size_t i = 0; i < n; i++)
    CHECK_INT(pr_sasl_parse(bad, i, &f), 0);
  /* bytes after the frame are not ours to judge */
  memset(big, 0, sizeof(big));
  memcpy(big, bad, n);
  CHECK_INT(pr_sasl_parse(big, n + 3, &f), 1);
  /* no status byte: a TLS record, an SSH banner, a zero */
  CHECK_INT(pr_sasl_parse((const unsigned char *)"\x16\x03\x01", 3, &f), -1);
  CHECK_INT(pr_sasl_parse((const unsigned char *)"SSH-2.0", 7, &f), -1);
  CHECK_INT(pr_sasl_parse((const unsigned char *)"\x00", 1, &f), -1);
  CHECK_INT(pr_sasl_parse((const unsigned char *)"\x06", 1, &f), -1);
  /* an empty payload is a frame; a length over the cap is not ours */
  CHECK_INT(pr_sasl_parse((const unsigned char *)"\x05\0\0\0\0", 5, &f), 1);
  CHECK_INT((int)f.len, 0);
  big[0] = PR_SASL_ERROR;
  big[1] = 0;
  big[2] = 0;
  big[3] = (unsigned char)((PR_SASL_MAX + 1) >> 8);
  big[4] = (unsigned char)((PR_SASL_MAX + 1) & 0xff);
  CHECK_INT(pr_sasl_parse(big, sizeof(big), &f), -1);
  big[3] = (unsigned char)(PR_SASL_MAX >> 8);
  big[4] = (unsigned char)(PR_SASL_MAX & 0xff);
  CHECK_INT(pr_sasl_parse(big, sizeof(big), &f), 1);
  CHECK_INT((int)f.len, PR_SASL_MAX);
  CHECK_INT(pr_sasl_parse((const unsigned char *)"\x04\xff\xff\xff\xff", 5,
                          &f), -1);
  CHECK_STR(pr_sasl_status_name(0), "?");
}

/* The probe's text says which probe identified HiveServer2's port, and
 * a silent one keeps its words. */
static void sasl_text(void)
{
  cJSON *d = doc(
    "{\"schema\":\"xacct-doctor.observations/1\",\"side\":\"studio\","
    "\"host\":\"h1\",\"interfaces\":[],\"dns\":[],\"tls\":[],\"http\":[],"
    "\"flows\":[],\"tcp\":[{\"target\":\"emr.test\",\"ip\":\"2.0.1.10\","
    "\"port\":10000,\"state\":\"open\",\"reason\":\"syn-ack\",\"ms\":0.4,"
    "\"icmp\":null,\"identify_ms\":1000,\"service\":\"hiveserver2\","
    "\"identified_by\":\"thrift-sasl\",\"silent\":false,\"thrift_sasl\":"
    "{\"outcome\":\"answered\",\"status\":\"BAD\",\"message\":\"x\","
    "\"ms\":1}},{\"target\":\"emr.test\",\"ip\":\"2.0.1.11\","
    "\"port\":10000,\"state\":\"open\",\"reason\":\"syn-ack\",\"ms\":0.4,"
    "\"icmp\":null,\"identify_ms\":1000,\"service\":\"hiveserver2\","
    "\"identified_by\":\"port\",\"silent\":true,\"thrift_sasl\":"
    "{\"outcome\":\"timeout\",\"ms\":1000}}]}");
  xd_buf b;
  xd_err e = {0};
  xd_buf_init(&b);
  CHECK_INT(rp_render_obs_text(d, NULL, &b, &e), XD_OK);
  CHECK_CONTAINS(xd_buf_str(&b), "2.0.1.10  10000  open");
  CHECK_CONTAINS(xd_buf_str(&b), "HiveServer2 (Thrift SASL) answered\n");
  CHECK_CONTAINS(xd_buf_str(&b), "service not identified in 1 s (hiveserver2 "
                 "by port)\n");
  xd_buf_free(&b);
  cJSON_Delete(d);
}

int main(void)
{
  targets();
  dns_servers();
  classify();
  identify();
  status();
  text();
  sasl_frames();
  sasl_text();
  return CHECK_DONE();
}
