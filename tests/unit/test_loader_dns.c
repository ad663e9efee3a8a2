/* tests/unit/test_loader_dns.c: the loaders of issue 19's DNS files,
 * ec2-describe-dhcp-options.json and the two Route 53 Resolver files, on
 * folders built at run time in the AWS CLI's shape: what the model holds
 * (servers in order, comma lists split, Resolver's own rules and their
 * "Route 53 Resolver" owner, the VPC's DhcpOptionsId), which files were
 * seen, and bad input refused naming file, line and field. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzer/snapshot.h"
#include "check.h"
#include "loader_test_util.h"

#define ACCT "111111111111"
#define DIR_R ACCT "/us-east-1/"
#define VPC "vpc-0a1b2c3d4e5f60718"
#define DOPT "dopt-0123456789abcdef0"
#define RULE "rslvr-rr-0123456789abcdef0"

static char tmp_root[256];

static void put(const char *snap, const char *rel, const char *data)
{
  char path[4200], dir[4200];
  FILE *f;
  snprintf(path, sizeof(path), "%s/%s", snap, rel);
  snprintf(dir, sizeof(dir), "%s", path);
  for(char *p = dir + 1; *p; p++)
    if(*p == '/') {
      *p = '\0';
      mkdir(dir, 0755);
      *p = '/';
    }
  *strrchr(dir, '/') = '\0';
  mkdir(dir, 0755);
  f = fopen(path, "wb");
  if(!f) {
    fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
    return;
  }
  fputs(data, f);
  fclose(f);
}

static const char *fresh(const char *name)
{
  static char path[512];
  snprintf(path, sizeof(path), "%s/%s", tmp_root, name);
  rm_rf(path);
  mkdir(path, 0755);
  put(path, DIR_R "ec2-describe-vpcs.json",
      "{\"Vpcs\": [{\"VpcId\": \"" VPC "\", \"CidrBlock\": \"10.0.0.0/16\",\n"
      "  \"DhcpOptionsId\": \"" DOPT "\", \"OwnerId\": \"" ACCT "\"}]}\n");
  return path;
}

static const char *dhcp_ok =
  "{\n  \"DhcpOptions\": [\n    {\n      \"DhcpConfigurations\": [\n"
  "        {\"Key\": \"domain-name\", \"Values\": [{\"Value\": \"corp.example.com\"}]},\n"
  "        {\"Key\": \"domain-name-servers\",\n"
  "         \"Values\": [{\"Value\": \"10.50.0.2, 10.50.0.3\"}, {\"Value\": \"AmazonProvidedDNS\"}]},\n"
  "        {\"Key\": \"ntp-servers\", \"Values\": [{\"Value\": \"169.254.169.123\"}]}\n"
  "      ],\n      \"DhcpOptionsId\": \"" DOPT "\",\n"
  "      \"OwnerId\": \"" ACCT "\", \"Tags\": []\n    }\n  ]\n}\n";

static const char *rules_ok =
  "{\"ResolverRules\": [\n"
  " {\"Id\": \"rslvr-autodefined-rr-internet-resolver\", \"CreatorRequestId\": \"\",\n"
  "  \"DomainName\": \".\", \"Status\": \"COMPLETE\", \"RuleType\": \"RECURSIVE\",\n"
  "  \"Name\": \"Internet Resolver\", \"OwnerId\": \"Route 53 Resolver\",\n"
  "  \"ShareStatus\": \"NOT_SHARED\"},\n"
  " {\"Id\": \"" RULE "\", \"DomainName\": \"ec2.internal.\",\n"
  "  \"Status\": \"COMPLETE\", \"RuleType\": \"FORWARD\", \"Name\": \"aws-names\",\n"
  "  \"TargetIps\": [{\"Ip\": \"10.50.0.2\", \"Port\": 53}, {\"Ip\": \"10.50.0.3\"}],\n"
  "  \"ResolverEndpointId\": \"rslvr-out-0123456789abcdef0\",\n"
  "  \"OwnerId\": \"" ACCT "\", \"ShareStatus\": \"SHARED_BY_ME\"}]}\n";

static const char *assocs_ok =
  "{\"ResolverRuleAssociations\": [\n"
  " {\"Id\": \"rslvr-autodefined-assoc-" VPC "-internet-resolver\",\n"
  "  \"ResolverRuleId\": \"rslvr-autodefined-rr-internet-resolver\",\n"
  "  \"Name\": \"System Rule Association\", \"VPCId\": \"" VPC "\",\n"
  "  \"Status\": \"COMPLETE\", \"StatusMessage\": \"\"},\n"
  " {\"Id\": \"rslvr-rrassoc-0123456789abcdef0\", \"ResolverRuleId\": \"" RULE "\",\n"
  "  \"VPCId\": \"" VPC "\", \"Status\": \"COMPLETE\"}]}\n";

static void test_good(void)
{
  const char *s = fresh("good");
  az_model m;
  xd_err e = {0};
  put(s, DIR_R "ec2-describe-dhcp-options.json", dhcp_ok);
  put(s, DIR_R "route53resolver-list-resolver-rules.json", rules_ok);
  put(s, DIR_R "route53resolver-list-resolver-rule-associations.json",
      assocs_ok);
  CHECK_INT(az_snapshot_load(s, &m, &e), XD_OK);
  if(e.rc != XD_OK) {
    fprintf(stderr, "  %s\n", e.msg);
    return;
  }
  CHECK_STR(m.vpcs[0].dhcp_options_id, DOPT);
  CHECK_INT(m.n_dhcp_options, 1);
  CHECK_STR(m.dhcp_options[0].domain_name, "corp.example.com");
  /* one comma-separated value is three servers' worth with the next */
  CHECK_INT(m.dhcp_options[0].n_servers, 3);
  CHECK_STR(m.dhcp_options[0].servers[0], "10.50.0.2");
  CHECK_STR(m.dhcp_options[0].servers[1], "10.50.0.3");
  CHECK_STR(m.dhcp_options[0].servers[2], "AmazonProvidedDNS");
  CHECK_INT(m.n_resolver_rules, 2);
  CHECK_STR(m.resolver_rules[0].owner, "Route 53 Resolver");
  CHECK_STR(m.resolver_rules[1].domain_name, "ec2.internal.");
  CHECK_INT(m.resolver_rules[1].n_targets, 2);
  CHECK_INT(m.resolver_rules[1].targets[1].port, 53);
  CHECK_INT(m.n_resolver_assocs, 2);
  CHECK_STR(m.resolver_assocs[1].vpc_id, VPC);
  CHECK_STR(m.resolver_assocs[1].rule_id, RULE);
  CHECK_INT(m.n_resolver_seen, 1);
  CHECK(m.resolver_seen[0].rules && m.resolver_seen[0].assocs);
  /* the Resolver files are optional: only the DHCP file is ever missing */
  for(size_t i = 0; i < m.n_missing; i++)
    CHECK(!strstr(m.missing[i].file, "dhcp") &&
          !strstr(m.missing[i].file, "route53resolver"));
  az_model_free(&m);
}

static void test_absent(void)
{
  const char *s = fresh("absent");
  bool dhcp_missing = false;
  az_model m;
  xd_err e = {0};
  CHECK_INT(az_snapshot_load(s, &m, &e), XD_OK);
  if(e.rc != XD_OK)
    return;
  for(size_t i = 0; i < m.n_missing; i++) {
    CHECK(!strstr(m.missing[i].file, "route53resolver"));
    if(strstr(m.missing[i].file, DIR_R "ec2-describe-dhcp-options.json"))
      dhcp_missing = true;
  }
  CHECK(dhcp_missing);
  CHECK_INT(m.n_resolver_seen, 1);
  CHECK(!m.resolver_seen[0].rules && !m.resolver_seen[0].assocs);
  az_model_free(&m);
}

/* file rel holding text is refused, the message naming each of want[]. */
static void refused(const char *name, const char *rel, const char *text,
                    const char *const *want)
{
  const char *s = fresh(name);
  az_model m;
  xd_err e = {0};
  put(s, rel, text);
  CHECK(az_snapshot_load(s, &m, &e) != XD_OK);
  CHECK_CONTAINS(e.msg, rel);
  for(size_t i = 0; want[i]; i++)
    CHECK_CONTAINS(e.msg, want[i]);
}

static void test_refused(void)
{
  static const char *const w1[] = {"line 2", "DhcpOptions[0].DhcpOptionsId",
                                   "dopt-", NULL};
  static const char *const w2[] = {"line 3", "DhcpConfigurations[0]."
                                   "Values[1].Value", "AmazonProvidedDNS or "
                                   "an IP address", NULL};
  static const char *const w3[] = {"ResolverRules[0].Id", "rslvr-rr-", NULL};
  static const char *const w4[] = {"line 2", "ResolverRules[0].RuleType",
                                   "FORWARD, SYSTEM or RECURSIVE", NULL};
  static const char *const w5[] = {"ResolverRuleAssociations[0].VPCId",
                                   "a VPC id", NULL};
  static const char *const w6[] = {"ResolverRules[0].TargetIps[0].Port",
                                   NULL};
  static const char *const w7[] = {"line 1", "\"ResolverRules\"", NULL};
  refused("bad-dopt-id", DIR_R "ec2-describe-dhcp-options.json",
          "{\"DhcpOptions\": [\n {\"DhcpOptionsId\": \"dopt-$(id)\"}]}\n", w1);
  refused("bad-server", DIR_R "ec2-describe-dhcp-options.json",
          "{\"DhcpOptions\": [{\"DhcpOptionsId\": \"" DOPT "\",\n"
          " \"DhcpConfigurations\": [{\"Key\": \"domain-name-servers\",\n"
          "  \"Values\": [{\"Value\": \"10.0.0.2\"}, {\"Value\": \"dns.corp; rm\"}]}]}]}\n",
          w2);
  refused("bad-rule-id", DIR_R "route53resolver-list-resolver-rules.json",
          "{\"ResolverRules\": [{\"Id\": \"rr-1\", \"DomainName\": \".\","
          " \"RuleType\": \"FORWARD\"}]}\n", w3);
  refused("bad-rule-type", DIR_R "route53resolver-list-resolver-rules.json",
          "{\"ResolverRules\": [{\"Id\": \"" RULE "\", \"DomainName\": \"a.\",\n"
          " \"RuleType\": \"forward-all\"}]}\n", w4);
  refused("bad-assoc-vpc",
          DIR_R "route53resolver-list-resolver-rule-associations.json",
          "{\"ResolverRuleAssociations\": [{\"Id\": \"rslvr-rrassoc-0123456789abcdef0\","
          " \"ResolverRuleId\": \"" RULE "\", \"VPCId\": \"vpc-xyz\"}]}\n", w5);
  refused("bad-port", DIR_R "route53resolver-list-resolver-rules.json",
          "{\"ResolverRules\": [{\"Id\": \"" RULE "\", \"DomainName\": \"a.\","
          " \"RuleType\": \"FORWARD\", \"TargetIps\": [{\"Ip\": \"10.0.0.2\","
          " \"Port\": 70000}]}]}\n", w6);
  refused("wrong-key", DIR_R "route53resolver-list-resolver-rules.json",
          "{\"ResolverEndpoints\": []}\n", w7);
}

int main(void)
{
  if(!make_tmp_root(tmp_root, sizeof(tmp_root), "xd-loader-dns"))
    return 1;
  test_good();
  test_absent();
  test_refused();
  rm_rf(tmp_root);
  return CHECK_DONE();
}
