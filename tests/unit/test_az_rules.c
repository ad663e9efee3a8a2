/* The analyzer's rule engines with AWS semantics, on hand-made pieces of a
 * model: network ACL order and ranges, security group matching (CIDR,
 * ports, group pairs across accounts and Regions, prefix lists), route
 * longest-prefix match and priority, IAM policy and trust evaluation. */
#include <stdlib.h>
#include <string.h>

#include "analyzer/iam.h"
#include "analyzer/index.h"
#include "analyzer/findings/verdict.h"
#include "analyzer/rules.h"
#include "check.h"
#include "json_text.h"
#include "common/jsonutil.h"

static xd_cidr C(const char *s)
{
  xd_cidr c;
  memset(&c, 0, sizeof(c));
  if(!xd_cidr_parse(s, &c))
    fprintf(stderr, "bad CIDR in test: %s\n", s);
  return c;
}

static az_nacl_entry E(int num, bool egress, bool allow, int proto,
                       const char *cidr, int from, int to)
{
  az_nacl_entry e;
  memset(&e, 0, sizeof(e));
  e.rule_number = num;
  e.egress = egress;
  e.allow = allow;
  e.proto = proto;
  e.cidr = C(cidr);
  e.from_port = from;
  e.to_port = to;
  e.icmp_type = e.icmp_code = -1;
  return e;
}

static void test_nacl(void)
{
  /* in file order the allow comes first; rule numbers decide, not order */
  az_nacl_entry en[] = {
      E(100, false, true, AZ_PROTO_ALL, "0.0.0.0/0", -1, -1),
      E(50, false, false, AZ_PROTO_ALL, "10.0.0.0/16", -1, -1),
      E(32767, false, false, AZ_PROTO_ALL, "0.0.0.0/0", -1, -1),
      E(100, true, true, AZ_PROTO_TCP, "10.0.20.0/24", 32768, 65535),
      E(90, true, true, AZ_PROTO_TCP, "10.0.20.0/24", 1024, 2000),
      E(32767, true, false, AZ_PROTO_ALL, "0.0.0.0/0", -1, -1)};
  az_nacl acl;
  const az_nacl_entry *rule = NULL;
  xd_cidr one = C("10.0.20.15/32"), other = C("192.168.1.1/32");
  xd_cidr subnet = C("10.0.20.0/24"), wide = C("10.0.0.0/8");
  az_range r[8];
  size_t n;
  memset(&acl, 0, sizeof(acl));
  acl.id = "acl-1";
  acl.entries = en;
  acl.n_entries = sizeof(en) / sizeof(en[0]);

  CHECK_INT(az_nacl_decide(&acl, false, AZ_PROTO_TCP, &one, 8998, &rule), AZ_V_DENY);
  CHECK(rule && rule->rule_number == 50);
  CHECK_INT(az_nacl_decide(&acl, false, AZ_PROTO_TCP, &other, 8998, &rule), AZ_V_ALLOW);
  CHECK(rule && rule->rule_number == 100);
  /* egress: tcp only to the Studio block; 8998 is no ephemeral port */
  CHECK_INT(az_nacl_decide(&acl, true, AZ_PROTO_TCP, &one, 8998, &rule), AZ_V_DENY);
  CHECK(rule && rule->rule_number == 32767);
  CHECK_INT(az_nacl_decide(&acl, true, AZ_PROTO_TCP, &one, 40000, &rule), AZ_V_ALLOW);
  CHECK_INT(az_nacl_decide(&acl, true, AZ_PROTO_UDP, &one, 40000, &rule), AZ_V_DENY);
  /* an allow must hold the whole peer: 10.0.0.0/8 is wider than the rule */
  CHECK_INT(az_nacl_decide(&acl, true, AZ_PROTO_TCP, &wide, 40000, &rule), AZ_V_DENY);
  CHECK_INT(az_nacl_decide(&acl, true, AZ_PROTO_TCP, &subnet, 40000, &rule), AZ_V_ALLOW);

  n = az_nacl_allowed(&acl, true, AZ_PROTO_TCP, &one, 1024, 65535, r, 8);
  CHECK_INT(n, 2);
  CHECK(n == 2 && r[0].lo == 1024 && r[0].hi == 2000);
  CHECK(n == 2 && r[1].lo == 32768 && r[1].hi == 65535);
  n = az_nacl_allowed(&acl, false, AZ_PROTO_TCP, &one, 1024, 65535, r, 8);
  CHECK_INT(n, 0);
  n = az_nacl_allowed(&acl, false, AZ_PROTO_TCP, &other, 1024, 65535, r, 8);
  CHECK(n == 1 && r[0].lo == 1024 && r[0].hi == 65535);

  /* a deny that touches part of a subnet blocks the subnet */
  {
    az_nacl_entry e2[] = {E(10, false, false, AZ_PROTO_ALL, "10.0.20.128/25", -1, -1),
                          E(20, false, true, AZ_PROTO_ALL, "0.0.0.0/0", -1, -1)};
    az_nacl a2 = acl;
    a2.entries = e2;
    a2.n_entries = 2;
    CHECK_INT(az_nacl_decide(&a2, false, AZ_PROTO_TCP, &subnet, 8998, &rule), AZ_V_DENY);
    CHECK_INT(az_nacl_decide(&a2, false, AZ_PROTO_TCP, &one, 8998, &rule), AZ_V_ALLOW);
    CHECK_INT(az_nacl_free_number(&a2, false, 10), 9);
    CHECK_INT(az_nacl_free_number(&a2, false, 32767), 30);
  }
  {
    char t[160];
    az_nacl_entry x = E(32767, false, false, AZ_PROTO_ALL, "0.0.0.0/0", -1, -1);
    az_nacl_entry_text(&x, t, sizeof(t));
    CHECK_STR(t, "rule * deny all traffic from 0.0.0.0/0");
    x = E(100, true, true, AZ_PROTO_TCP, "10.0.20.0/24", 1024, 65535);
    az_nacl_entry_text(&x, t, sizeof(t));
    CHECK_STR(t, "rule 100 allow tcp 1024-65535 to 10.0.20.0/24");
  }
}

static az_sg_rule R(int proto, int from, int to, az_peer_kind kind,
                    const char *what, const char *user)
{
  az_sg_rule r;
  memset(&r, 0, sizeof(r));
  r.proto = proto;
  r.from_port = from;
  r.to_port = to;
  r.kind = kind;
  if(kind == AZ_PEER_CIDR4)
    r.cidr = C(what);
  else if(kind == AZ_PEER_GROUP) {
    r.group_id = (char *)what;
    r.user_id = (char *)user;
  } else
    r.prefix_list = (char *)what;
  return r;
}

static void test_sg(void)
{
  az_sg_rule in_master[] = {
      R(AZ_PROTO_TCP, 8998, 8998, AZ_PEER_GROUP, "sg-studio", "111111111111"),
      R(AZ_PROTO_TCP, 10000, 10000, AZ_PEER_GROUP, "sg-studio", "333333333333"),
      R(AZ_PROTO_TCP, 8000, 9000, AZ_PEER_CIDR4, "10.0.20.0/25", NULL),
      R(AZ_PROTO_TCP, 18080, 18080, AZ_PEER_PREFIX_LIST, "pl-known", NULL),
      R(AZ_PROTO_TCP, 20888, 20888, AZ_PEER_PREFIX_LIST, "pl-unknown", NULL)};
  az_sg_rule out_all[] = {R(AZ_PROTO_ALL, -1, -1, AZ_PEER_CIDR4, "0.0.0.0/0", NULL)};
  xd_cidr plc[] = {C("10.0.20.0/24")};
  az_sg sgs[2];
  az_prefix_list pls[2];
  az_model m;
  az_index ix;
  xd_err e;
  az_sg_query q;
  az_sg_result r;
  xd_cidr src = C("10.0.20.15/32"), subnet = C("10.0.20.0/24");
  xd_cidr src_hi = C("10.0.20.200/32");
  const char *studio[] = {"sg-studio"};
  const char *master[] = {"sg-master", "sg-gone"};

  memset(sgs, 0, sizeof(sgs));
  memset(pls, 0, sizeof(pls));
  memset(&m, 0, sizeof(m));
  sgs[0].id = "sg-master";
  sgs[0].ingress = in_master;
  sgs[0].n_ingress = sizeof(in_master) / sizeof(in_master[0]);
  sgs[1].id = "sg-studio";
  sgs[1].egress = out_all;
  sgs[1].n_egress = 1;
  pls[0].id = "pl-known";
  pls[0].entries_known = true;
  pls[0].cidrs = plc;
  pls[0].n_cidrs = 1;
  pls[1].id = "pl-unknown";
  m.sgs = sgs;
  m.n_sgs = 2;
  m.prefix_lists = pls;
  m.n_prefix_lists = 2;
  CHECK_INT(az_index_build(&ix, &m, &e), XD_OK);

  memset(&q, 0, sizeof(q));
  q.proto = AZ_PROTO_TCP;
  q.peer = &src;
  q.peer_sgs = studio;
  q.n_peer_sgs = 1;
  q.peer_account = "111111111111";
  q.peer_vpc = "vpc-studio";
  q.own_vpc = "vpc-emr";
  q.peering_active = true;

  q.port = 8998;
  az_sg_eval(&ix, master, 1, &q, &r);
  CHECK_INT(r.v, AZ_V_ALLOW);
  CHECK(r.rule == &in_master[0]);
  /* 10000 names the Studio group with another account: never matches */
  q.port = 10000;
  az_sg_eval(&ix, master, 1, &q, &r);
  CHECK_INT(r.v, AZ_V_DENY);
  CHECK_INT(r.bad_why, AZ_SGREF_WRONG_ACCOUNT);
  CHECK(r.bad_rule == &in_master[1]);
  /* the same reference across Regions, or without an active peering (from
   * an address the CIDR rule does not hold) */
  q.port = 8998;
  q.peer = &src_hi;
  q.cross_region = true;
  az_sg_eval(&ix, master, 1, &q, &r);
  CHECK(r.v == AZ_V_DENY && r.bad_why == AZ_SGREF_CROSS_REGION);
  q.cross_region = false;
  q.peering_active = false;
  az_sg_eval(&ix, master, 1, &q, &r);
  CHECK(r.v == AZ_V_DENY && r.bad_why == AZ_SGREF_UNRESOLVED);
  q.peering_active = true;
  az_sg_eval(&ix, master, 1, &q, &r);
  CHECK_INT(r.v, AZ_V_ALLOW);
  q.peer = &src;
  /* a port range by CIDR: the address is inside, the subnet only half */
  q.port = 8889;
  az_sg_eval(&ix, master, 1, &q, &r);
  CHECK_INT(r.v, AZ_V_ALLOW);
  q.peer = &subnet;
  az_sg_eval(&ix, master, 1, &q, &r);
  CHECK_INT(r.v, AZ_V_DENY);
  CHECK(r.partial_rule == &in_master[2]);
  q.peer = &src;
  /* prefix lists: known entries decide, unknown ones leave it unknown */
  q.port = 18080;
  az_sg_eval(&ix, master, 1, &q, &r);
  CHECK_INT(r.v, AZ_V_ALLOW);
  q.port = 20888;
  az_sg_eval(&ix, master, 1, &q, &r);
  CHECK_INT(r.v, AZ_V_UNKNOWN);
  CHECK_STR(r.unknown_pl, "pl-unknown");
  /* a group the snapshot lacks makes a deny unknown, not a guess */
  q.port = 9999;
  az_sg_eval(&ix, master, 2, &q, &r);
  CHECK_INT(r.v, AZ_V_UNKNOWN);
  CHECK_STR(r.missing_sg, "sg-gone");
  /* protocol -1 covers every port */
  q.egress = true;
  q.port = 8998;
  az_sg_eval(&ix, studio, 1, &q, &r);
  CHECK_INT(r.v, AZ_V_ALLOW);
  {
    char t[128];
    az_sg_rule_text(&in_master[1], false, t, sizeof(t));
    CHECK_STR(t, "tcp 10000 from 333333333333/sg-studio");
    az_sg_rule_text(&out_all[0], true, t, sizeof(t));
    CHECK_STR(t, "all traffic to 0.0.0.0/0");
  }
  az_index_free(&ix);
}

static az_route RT(const char *dest, az_route_target t, const char *id,
                   az_route_state st)
{
  az_route r;
  memset(&r, 0, sizeof(r));
  if(!strncmp(dest, "pl-", 3))
    r.prefix_list = (char *)dest;
  else {
    r.has_cidr = true;
    r.dest = C(dest);
  }
  r.target = t;
  r.target_id = (char *)id;
  r.state = st;
  return r;
}

static void test_route(void)
{
  az_route routes[] = {
      RT("10.0.0.0/16", AZ_RT_LOCAL, "local", AZ_RT_ACTIVE),
      RT("0.0.0.0/0", AZ_RT_NAT, "nat-1", AZ_RT_ACTIVE),
      RT("2.0.0.0/16", AZ_RT_PCX, "pcx-1", AZ_RT_ACTIVE),
      RT("2.0.1.0/25", AZ_RT_NAT, "nat-1", AZ_RT_ACTIVE),
      RT("pl-a", AZ_RT_PCX, "pcx-2", AZ_RT_ACTIVE),
      RT("3.0.0.0/24", AZ_RT_PCX, "pcx-1", AZ_RT_ACTIVE),
      RT("4.0.0.0/24", AZ_RT_PCX, "pcx-old", AZ_RT_BLACKHOLE),
      RT("pl-b", AZ_RT_PCX, "pcx-1", AZ_RT_ACTIVE)};
  xd_cidr pla[] = {C("3.0.0.0/24")};
  az_prefix_list pls[2];
  az_route_table t;
  az_model m;
  az_index ix;
  xd_err e;
  az_route_match mt;
  xd_cidr d1 = C("2.0.1.10/32"), d2 = C("2.0.2.10/32"), d3 = C("3.0.0.5/32");
  xd_cidr d4 = C("4.0.0.9/32"), d5 = C("10.0.20.15/32");
  memset(pls, 0, sizeof(pls));
  memset(&m, 0, sizeof(m));
  memset(&t, 0, sizeof(t));
  pls[0].id = "pl-a";
  pls[0].entries_known = true;
  pls[0].cidrs = pla;
  pls[0].n_cidrs = 1;
  pls[1].id = "pl-b";
  m.prefix_lists = pls;
  m.n_prefix_lists = 2;
  CHECK_INT(az_index_build(&ix, &m, &e), XD_OK);
  t.id = "rtb-1";
  t.routes = routes;
  t.n_routes = sizeof(routes) / sizeof(routes[0]);

  /* the /25 to the NAT wins over the /16 to the peering */
  az_route_lookup(&ix, &t, &d1, "pcx-1", &mt);
  CHECK(mt.route == &routes[3]);
  CHECK(mt.want == &routes[2] && mt.want_prefix == 16);
  CHECK_STR(mt.unknown_pl, "pl-b");
  az_route_lookup(&ix, &t, &d2, "pcx-1", &mt);
  CHECK(mt.route == &routes[2]);
  /* same length: the CIDR route beats the prefix-list route */
  az_route_lookup(&ix, &t, &d3, "pcx-1", &mt);
  CHECK(mt.route == &routes[5]);
  CHECK(mt.via_pl == NULL);
  az_route_lookup(&ix, &t, &d4, "pcx-1", &mt);
  CHECK(mt.route == &routes[6] && mt.route->state == AZ_RT_BLACKHOLE);
  CHECK(mt.want == NULL);
  az_route_lookup(&ix, &t, &d5, NULL, &mt);
  CHECK(mt.route == &routes[0]);
  {
    char txt[128];
    az_route_text(&routes[2], NULL, txt, sizeof(txt));
    CHECK_STR(txt, "route 2.0.0.0/16 -> pcx-1 (active)");
  }
  az_index_free(&ix);
}

static void test_iam(void)
{
  const char *carn = "arn:aws:elasticmapreduce:us-east-1:222222222222:cluster/j-ABC";
  az_iam_subst sb = {"us-east-1", "222222222222"};
  az_iam_hit h;
  cJSON *pol = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ElasticMapReduce:Describe*\","
                 "\"Resource\":\"arn:aws:elasticmapreduce:*:222222222222:cluster/*\"},"
                 "{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\"],\"Resource\":\"*\"},"
                 "{\"Effect\":\"Deny\",\"Action\":\"elasticmapreduce:TerminateJobFlows\",\"Resource\":\"*\"}]}");
  cJSON *ph = J("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"elasticmapreduce:ListInstanceGroups\"],"
                "\"Resource\":\"arn:aws:elasticmapreduce:<region>:<account-id>:cluster/*\"}}");
  cJSON *nr = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                "\"NotResource\":\"arn:aws:iam::*:role/admin-*\"}]}");
  cJSON *trust = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":["
                   "\"arn:aws:iam::111111111111:root\",\"444444444444\"]},"
                   "\"Action\":\"sts:AssumeRole\"},"
                   "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                   "\"arn:aws:iam::555555555555:role/studio-exec\"},\"Action\":\"sts:*\","
                   "\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"x\"}}},"
                   "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\","
                   "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}");
  cJSON *svc = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                 "\"sagemaker.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");

  CHECK(az_iam_wild("elasticmapreduce:Describe*", "ElasticMapReduce:DescribeCluster", true));
  CHECK(!az_iam_wild("elasticmapreduce:Describe*", "ElasticMapReduce:DescribeCluster", false));
  CHECK(az_iam_wild("arn:aws:s3:::b?cket/*", "arn:aws:s3:::bucket/a/b", false));
  CHECK(!az_iam_wild("a*b", "acbx", false));
  CHECK(az_iam_wild("*", "", false));

  CHECK_INT(az_iam_eval(pol, "elasticmapreduce:DescribeCluster", carn, NULL, &h), AZ_IAM_ALLOW);
  /* NotAction grants everything else, on every resource */
  CHECK_INT(az_iam_eval(pol, "servicecatalog:SearchProducts", "*", NULL, &h), AZ_IAM_ALLOW);
  CHECK_INT(az_iam_eval(pol, "iam:PassRole", "*", NULL, &h), AZ_IAM_NONE);
  /* an explicit Deny wins over the NotAction grant */
  CHECK_INT(az_iam_eval(pol, "elasticmapreduce:TerminateJobFlows", carn, NULL, &h), AZ_IAM_DENY);

  CHECK_INT(az_iam_eval(ph, "elasticmapreduce:ListInstanceGroups", carn, NULL, &h), AZ_IAM_NONE);
  memset(&h, 0, sizeof(h));
  CHECK_INT(az_iam_eval(ph, "elasticmapreduce:ListInstanceGroups", carn, &sb, &h), AZ_IAM_ALLOW);
  CHECK(h.placeholder);
  CHECK(az_iam_has_placeholder(ph, NULL));
  CHECK(!az_iam_has_placeholder(pol, NULL));

  CHECK_INT(az_iam_eval(nr, "sts:AssumeRole", "arn:aws:iam::2:role/emr", NULL, &h), AZ_IAM_ALLOW);
  CHECK_INT(az_iam_eval(nr, "sts:AssumeRole", "arn:aws:iam::2:role/admin-x", NULL, &h), AZ_IAM_NONE);

  /* the deny applies to every principal (its condition is not evaluated) */
  CHECK_INT(az_iam_trust(trust, "111111111111", NULL, &h), AZ_IAM_DENY);
  {
    cJSON *t2 = J("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":["
                  "\"arn:aws:iam::111111111111:root\",\"444444444444\"]},"
                  "\"Action\":\"sts:AssumeRole\"},"
                  "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                  "\"arn:aws:iam::555555555555:role/studio-exec\"},\"Action\":\"sts:*\","
                  "\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"x\"}}}]}");
    CHECK_INT(az_iam_trust(t2, "111111111111", NULL, &h), AZ_IAM_ALLOW);
    CHECK_INT(az_iam_trust(t2, "444444444444", NULL, &h), AZ_IAM_ALLOW);
    memset(&h, 0, sizeof(h));
    CHECK_INT(az_iam_trust(t2, "555555555555",
                           "arn:aws:iam::555555555555:role/studio-exec", &h),
              AZ_IAM_ALLOW);
    CHECK(h.conditional);
    CHECK_INT(az_iam_trust(t2, "666666666666", NULL, &h), AZ_IAM_NONE);
    cJSON_Delete(t2);
  }
  CHECK_INT(az_iam_trust(svc, "111111111111", NULL, &h), AZ_IAM_NONE);
  cJSON_Delete(pol);
  cJSON_Delete(ph);
  cJSON_Delete(nr);
  cJSON_Delete(trust);
  cJSON_Delete(svc);
}

/* Issue 12: the primary node's address from its private DNS name, when the
 * discovery role could not list the instances. */
static void test_private_name(void)
{
  char ip[48];
  CHECK(az_ip_from_private_name("ip-2-0-1-10.ec2.internal", ip, sizeof(ip)));
  CHECK_STR(ip, "2.0.1.10");
  CHECK(az_ip_from_private_name("ip-10-20-30-40.eu-west-1.compute.internal",
                                ip, sizeof(ip)));
  CHECK_STR(ip, "10.20.30.40");
  CHECK(!az_ip_from_private_name("ip-10-0-1-256.ec2.internal", ip, sizeof(ip)));
  CHECK(!az_ip_from_private_name("ip-10-0-1.ec2.internal", ip, sizeof(ip)));
  CHECK(!az_ip_from_private_name("ip-10-0-1-5.example.com", ip, sizeof(ip)));
  CHECK(!az_ip_from_private_name("ip-10-0-1-5.compute.internal", ip, sizeof(ip)));
  CHECK(!az_ip_from_private_name("ip-10-0-1-0005.ec2.internal", ip, sizeof(ip)));
  CHECK(!az_ip_from_private_name("ec2-3-4-5-6.compute-1.amazonaws.com", ip,
                                 sizeof(ip)));
  CHECK(!az_ip_from_private_name("emr.corp.example", ip, sizeof(ip)));
  CHECK(!az_ip_from_private_name(NULL, ip, sizeof(ip)));
}

int main(void)
{
  test_private_name();
  test_nacl();
  test_sg();
  test_route();
  test_iam();
  return CHECK_DONE();
}
