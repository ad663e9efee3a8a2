/* The control plane's cross-check (analyzer/controlplane/crosscheck.c)
 * against control-plane paths as the configuration side writes them
 * ("to": {"side": "control-plane", "name", "port": 443, "service"}): the
 * packets confirm a configuration finding, or disagree with it by the
 * crosscheck conventions, or decide a path the configuration could not.
 * The lab cases (tests/lab/scenarios/control-plane-*.json) run the same
 * end to end; these pin the path-matching rules on hand-made results. */
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/controlplane/crosscheck.h"
#include "../../common/jsonutil.h"
#include "check.h"

#define STS "sts.us-east-1.amazonaws.com"
#define EMR "elasticmapreduce.us-east-1.amazonaws.com"
#define VPCE_STS "vpce-0c1d2e3f405162738"
#define VPCE_EMR "vpce-0d2e3f40516273849"
#define SG_VPCE "sg-0a7b8c9d0e1f20314"
#define VPC "vpc-0a1b2c3d4e5f60718"

/* sts: a public answer and no answer on 443; emr-api: the endpoint's
 * private address, open, TLS and certificate good; a primary node name
 * that the VPC resolver does not know. */
static const char *const OBS =
  "{\"schema\":\"xacct-doctor.observations/1\",\"side\":\"studio\","
  "\"dns\":["
  "{\"name\":\"" STS "\",\"server\":\"10.0.0.2\",\"type\":\"A\","
  "\"rcode\":\"NOERROR\",\"answers\":[\"203.0.113.10\"],\"ms\":2.5,"
  "\"role\":\"control-plane\",\"service\":\"sts\"},"
  "{\"name\":\"" EMR "\",\"server\":\"10.0.0.2\",\"type\":\"A\","
  "\"rcode\":\"NOERROR\",\"answers\":[\"10.0.20.51\"],\"ms\":1.5,"
  "\"role\":\"control-plane\",\"service\":\"emr-api\"},"
  "{\"name\":\"ip-2-0-1-10.ec2.internal\",\"server\":\"10.0.0.2\","
  "\"type\":\"A\",\"rcode\":\"NXDOMAIN\",\"answers\":[],\"ms\":1.0}],"
  "\"tcp\":["
  "{\"target\":\"" STS "\",\"ip\":\"203.0.113.10\",\"port\":443,"
  "\"state\":\"filtered\",\"reason\":\"no-response\",\"ms\":1500,"
  "\"role\":\"control-plane\",\"service\":\"sts\"},"
  "{\"target\":\"" EMR "\",\"ip\":\"10.0.20.51\",\"port\":443,"
  "\"state\":\"open\",\"reason\":\"syn-ack\",\"ms\":0.5,"
  "\"role\":\"control-plane\",\"service\":\"emr-api\"}],"
  "\"tls\":["
  "{\"target\":\"" EMR "\",\"ip\":\"10.0.20.51\",\"port\":443,"
  "\"handshake\":\"ok\",\"version\":\"TLSv1.3\",\"verify\":\"ok\","
  "\"hostname_match\":true,\"ms\":3.0,\"role\":\"control-plane\"}]}";

static cJSON *cp_path(xd_result *r, const char *name, const char *service,
                      const char *verdict)
{
  cJSON *p = xd_result_add_path(r, "studio", "10.0.20.15", "control-plane",
                                NULL, 443, service);
  cJSON_AddStringToObject((cJSON *)xd_json_object(p, "to"), "name", name);
  xd_result_path_set_verdict(p, verdict);
  return p;
}

static const cJSON *finding(const xd_result *r, const char *code,
                            const char *res)
{
  const cJSON *f;
  cJSON_ArrayForEach(f, xd_json_array(xd_result_json(r), "findings"))
    if(!strcmp(xd_json_str(f, "code"), code) &&
       (!res || !strcmp(xd_json_str(f, "resource"), res)))
      return f;
  return NULL;
}

static bool has_evidence(const cJSON *f, const char *part)
{
  const cJSON *e;
  cJSON_ArrayForEach(e, xd_json_array(f, "evidence"))
    if(cJSON_IsString(e) && strstr(e->valuestring, part))
      return true;
  return false;
}

static void add_critical(xd_result *r, const char *code, const char *res)
{
  const char *ev[] = {"from the configuration"};
  xd_finding f = {0};
  f.code = code;
  f.severity = XD_SEV_CRITICAL;
  f.resource = res;
  f.message = "configuration finding";
  f.evidence = ev;
  f.n_evidence = 1;
  CHECK(xd_result_add_finding(r, &f) == XD_OK);
}

static void setup(az_model *m, az_vpc *vpc, az_cluster *cl,
                  az_emr_instance *in)
{
  static xd_cidr cidr;
  memset(m, 0, sizeof(*m));
  memset(vpc, 0, sizeof(*vpc));
  memset(cl, 0, sizeof(*cl));
  memset(in, 0, sizeof(*in));
  xd_cidr_parse("10.0.0.0/16", &cidr);
  vpc->id = (char *)VPC;
  vpc->region = (char *)"us-east-1";
  vpc->cidrs = &cidr;
  vpc->n_cidrs = 1;
  in->private_dns = (char *)"ip-2-0-1-10.ec2.internal";
  in->private_ip = (char *)"2.0.1.10";
  cl->id = (char *)"j-3KQ7ZP1XW5R2B";
  cl->account = (char *)"222222222222";
  cl->master_public_dns = (char *)"ip-2-0-1-10.ec2.internal";
  cl->instances = in;
  cl->n_instances = 1;
  m->clusters = cl;
  m->n_clusters = 1;
}

/* The configuration says both paths are blocked: at the sts endpoint
 * (private DNS off, with its finding) and at the emr endpoint's group
 * (with no finding of its own). */
static void config_blocked(cJSON *obs, const az_model *m, const az_vpc *vpc)
{
  xd_result *r = xd_result_new();
  cJSON *p = cp_path(r, STS, "sts", "blocked"), *q;
  xd_err e = {0};
  const cJSON *f;
  xd_result_path_add_hop(p, "vpc-endpoint", VPCE_STS, "deny",
                         "private DNS off");
  q = cp_path(r, EMR, "emr-api", "blocked");
  xd_result_path_add_hop(q, "vpc-endpoint", VPCE_EMR, "allow", "available");
  xd_result_path_add_hop(q, "vpc-endpoint-security-group", SG_VPCE, "deny",
                         "no rule admits 443");
  add_critical(r, "VPCE_PRIVATE_DNS_OFF", VPCE_STS);
  add_critical(r, "PEERING_DNS_RESOLUTION_DISABLED", "pcx-0f90112233445566a");
  CHECK(az_cp_crosscheck(m, vpc, "111111111111", &obs, 1, r, &e) == XD_OK);
  /* the packets confirm the configuration's finding, no second critical */
  f = finding(r, "VPCE_PRIVATE_DNS_OFF", VPCE_STS);
  CHECK(f && has_evidence(f, "203.0.113.10 (public)"));
  CHECK(f && has_evidence(f, "filtered (no-response)"));
  CHECK(!finding(r, "DNS_ANSWER_CONTROL_PLANE_PUBLIC", NULL));
  CHECK_STR(xd_json_str(xd_json_object(p, "observed"), "break"),
            "DNS: a public address");
  CHECK_STR(xd_json_str(p, "verdict"), "blocked");
  /* blocked by the configuration, yet the handshake completed: stale */
  f = finding(r, "CONFIG_BLOCKS_TRAFFIC_PASSES", SG_VPCE);
  CHECK(f && !strcmp(xd_json_str(f, "severity"), "warning"));
  CHECK(f && has_evidence(f, "TLS handshake ok"));
  /* the node name the VPC resolver does not know: the peering's finding
   * carries the evidence */
  f = finding(r, "PEERING_DNS_RESOLUTION_DISABLED", NULL);
  CHECK(f && has_evidence(f, "ip-2-0-1-10.ec2.internal -> no address"));
  CHECK(!finding(r, "DNS_ANSWER_NO_ADDRESS", NULL));
  xd_result_free(r);
}

/* The configuration says reachable (sts through the endpoint) and could
 * not decide emr-api: the packets disagree on one, decide the other. */
static void config_reachable(cJSON *obs, const az_model *m,
                             const az_vpc *vpc)
{
  xd_result *r = xd_result_new();
  cJSON *p = cp_path(r, STS, "sts", "reachable"), *q;
  xd_err e = {0};
  const cJSON *f;
  xd_result_path_add_hop(p, "vpc-endpoint", VPCE_STS, "allow",
                         "private DNS on");
  q = cp_path(r, EMR, "emr-api", "unknown");
  xd_result_path_add_hop(q, "vpc-endpoint", VPCE_EMR, "unknown", "");
  CHECK(az_cp_crosscheck(m, vpc, "111111111111", &obs, 1, r, &e) == XD_OK);
  /* private DNS expected, a public answer: the packet-side code, on the
   * endpoint, with the command that turns private DNS on */
  f = finding(r, "DNS_ANSWER_CONTROL_PLANE_PUBLIC", VPCE_STS);
  CHECK(f && !strcmp(xd_json_str(f, "severity"), "critical"));
  CHECK(f && xd_json_str(f, "remediation") &&
        strstr(xd_json_str(f, "remediation"), "modify-vpc-endpoint "
               "--vpc-endpoint-id " VPCE_STS " --private-dns-enabled"));
  CHECK(f && has_evidence(f, "from 10.0.0.2, the Amazon resolver of " VPC));
  /* the traffic decides what the configuration could not */
  CHECK_STR(xd_json_str(q, "verdict"), "reachable");
  CHECK_STR(xd_json_str(xd_json_object(q, "observed"), "verdict_from"),
            "traffic");
  /* no peering finding: the node name gives no address, named on the
   * cluster */
  f = finding(r, "DNS_ANSWER_NO_ADDRESS", "j-3KQ7ZP1XW5R2B");
  CHECK(f != NULL);
  CHECK(!finding(r, "DNS_ANSWER_NOT_VPC_RESOLVER", NULL));
  xd_result_free(r);
}

/* A company server answered: said once as info, and a name with no
 * address names the VPC whose DHCP options hand that server out. */
static void company_server(const az_model *m, const az_vpc *vpc)
{
  static const char *const obs_text =
    "{\"side\":\"studio\",\"dns\":["
    "{\"name\":\"ip-2-0-1-10.ec2.internal\",\"server\":\"10.0.5.10\","
    "\"type\":\"A\",\"rcode\":\"NXDOMAIN\",\"answers\":[]},"
    "{\"name\":\"" STS "\",\"server\":\"10.0.5.10\",\"type\":\"A\","
    "\"rcode\":\"NOERROR\",\"answers\":[\"203.0.113.10\"],"
    "\"role\":\"control-plane\"}],"
    "\"tcp\":[{\"target\":\"" STS "\",\"ip\":\"203.0.113.10\",\"port\":443,"
    "\"state\":\"closed\",\"reason\":\"conn-refused\","
    "\"role\":\"control-plane\"}]}";
  cJSON *obs = cJSON_Parse(obs_text);
  xd_result *r = xd_result_new();
  xd_err e = {0};
  const cJSON *f;
  CHECK(az_cp_crosscheck(m, vpc, "111111111111", &obs, 1, r, &e) == XD_OK);
  f = finding(r, "DNS_ANSWER_NO_ADDRESS", VPC);
  CHECK(f && has_evidence(f, "from 10.0.5.10, which is not the Amazon "
                             "resolver"));
  f = finding(r, "DNS_ANSWER_NOT_VPC_RESOLVER", VPC);
  CHECK(f && !strcmp(xd_json_str(f, "severity"), "info"));
  /* no path: the packets alone; a reset is a reset, not a DNS matter */
  CHECK(finding(r, "CONTROL_PLANE_PROBE_RESET", VPC) != NULL);
  xd_result_free(r);
  /* a DHCP-options finding of the configuration takes the evidence */
  r = xd_result_new();
  add_critical(r, "DNS_CUSTOM_SERVERS_NO_FORWARD", "dopt-0b7c8d9e0f1a2b3c4");
  CHECK(az_cp_crosscheck(m, vpc, "111111111111", &obs, 1, r, &e) == XD_OK);
  CHECK(!finding(r, "DNS_ANSWER_NO_ADDRESS", NULL));
  f = finding(r, "DNS_CUSTOM_SERVERS_NO_FORWARD", NULL);
  CHECK(f && has_evidence(f, "10.0.5.10"));
  xd_result_free(r);
  cJSON_Delete(obs);
}

/* Connected, and no TLS probe finished (a budget cut it short): the
 * connection is what the packets say, not a TLS failure. A TLS failure on
 * one address outweighs an unjudged one on another. */
static void no_tls_judged(const az_model *m, const az_vpc *vpc)
{
  static const char *const obs_text =
    "{\"side\":\"studio\",\"dns\":[{\"name\":\"" STS "\",\"server\":"
    "\"10.0.0.2\",\"type\":\"A\",\"rcode\":\"NOERROR\",\"answers\":"
    "[\"10.0.20.50\",\"10.0.21.50\"],\"role\":\"control-plane\"}],"
    "\"tcp\":[{\"target\":\"" STS "\",\"ip\":\"10.0.20.50\",\"port\":443,"
    "\"state\":\"open\",\"reason\":\"syn-ack\",\"role\":\"control-plane\"},"
    "{\"target\":\"" EMR "\",\"ip\":\"10.0.20.51\",\"port\":443,"
    "\"state\":\"open\",\"reason\":\"syn-ack\",\"role\":\"control-plane\"},"
    "{\"target\":\"" EMR "\",\"ip\":\"10.0.21.51\",\"port\":443,"
    "\"state\":\"open\",\"reason\":\"syn-ack\",\"role\":\"control-plane\"}],"
    "\"tls\":[{\"target\":\"" EMR "\",\"ip\":\"10.0.21.51\",\"port\":443,"
    "\"handshake\":\"ok\",\"verify\":\"certificate has expired\","
    "\"role\":\"control-plane\"}]}";
  cJSON *obs = cJSON_Parse(obs_text);
  xd_result *r = xd_result_new();
  cJSON *p = cp_path(r, STS, "sts", "unknown");
  xd_err e = {0};
  CHECK(az_cp_crosscheck(m, vpc, "111111111111", &obs, 1, r, &e) == XD_OK);
  CHECK_STR(xd_json_str(p, "verdict"), "reachable");
  CHECK(!finding(r, "CONTROL_PLANE_PROBE_TLS", NULL) ||
        strstr(xd_json_str(finding(r, "CONTROL_PLANE_PROBE_TLS", NULL),
                           "message"), EMR));
  CHECK(has_evidence(finding(r, "CONTROL_PLANE_PROBE_TLS", VPC),
                     "certificate has expired"));
  xd_result_free(r);
  cJSON_Delete(obs);
}

int main(void)
{
  az_model m;
  az_vpc vpc;
  az_cluster cl;
  az_emr_instance in;
  cJSON *obs = cJSON_Parse(OBS);
  CHECK(obs != NULL);
  setup(&m, &vpc, &cl, &in);
  CHECK(az_cp_is_vpc_resolver(&vpc, "10.0.0.2"));
  CHECK(az_cp_is_vpc_resolver(&vpc, "169.254.169.253"));
  CHECK(az_cp_is_vpc_resolver(NULL, "169.254.169.253"));
  CHECK(!az_cp_is_vpc_resolver(&vpc, "10.0.5.10"));
  CHECK(!az_cp_is_vpc_resolver(&vpc, "10.0.0.2:5353"));
  CHECK(!az_cp_is_vpc_resolver(&vpc, "/etc/hosts"));
  config_blocked(obs, &m, &vpc);
  config_reachable(obs, &m, &vpc);
  company_server(&m, &vpc);
  no_tls_judged(&m, &vpc);
  cJSON_Delete(obs);
  return CHECK_DONE();
}
