/* tests/unit/test_loader_cases.c: the snapshot loader on folders built at
 * run time: invalid UTF-8, a directory where a file belongs, symlinks out
 * of (and inside) the snapshot, absent files and what refers to them, a
 * broken role file, and shapes the examples do not hold (IPv6, prefix
 * lists in rules, other route targets, a pending peering, Kerberos). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/snapshot.h"
#include "check.h"
#include "common/jsonutil.h"
#include "loader_test_util.h"

#define STUDIO "111111111111"
#define EMR "222222222222"
#define R "us-east-1"

static char tmp_root[256];

static void mkdirs(const char *path)
{
  char tmp[4200];
  snprintf(tmp, sizeof(tmp), "%s", path);
  for(char *p = tmp + 1; *p; p++) {
    if(*p == '/') {
      *p = '\0';
      mkdir(tmp, 0755);
      *p = '/';
    }
  }
  mkdir(tmp, 0755);
}

/* Write len bytes (len -1: a string) to snap/rel, making the folders. */
static void put(const char *snap, const char *rel, const char *data, long len)
{
  char path[4200], dir[4200];
  FILE *f;
  snprintf(path, sizeof(path), "%s/%s", snap, rel);
  snprintf(dir, sizeof(dir), "%s", path);
  *strrchr(dir, '/') = '\0';
  mkdirs(dir);
  f = fopen(path, "wb");
  if(!f) {
    fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
    return;
  }
  fwrite(data, 1, len < 0 ? strlen(data) : (size_t)len, f);
  fclose(f);
}

/* A fresh snapshot folder under the test's temporary root. */
static const char *fresh(const char *name)
{
  static char path[512];
  snprintf(path, sizeof(path), "%s/%s", tmp_root, name);
  rm_rf(path);
  mkdirs(path);
  return path;
}

static xd_rc load(const char *dir, az_model *m, xd_err *e)
{
  xd_rc rc;
  memset(e, 0, sizeof(*e));
  rc = az_snapshot_load(dir, m, e);
  if(rc != XD_OK)
    fprintf(stderr, "  (load: %s)\n", e->msg);
  return rc;
}

static void test_runtime_errors(void)
{
  const char *s;
  char target[512];
  az_model m;
  xd_err e;

  /* invalid UTF-8 on line 3 */
  s = fresh("utf8");
  put(s, STUDIO "/" R "/ec2-describe-subnets.json",
      "{\n  \"Subnets\": [\n    {\"SubnetId\": \"subnet-\xff\"}\n  ]\n}\n", -1);
  CHECK_INT(az_snapshot_load(s, &m, &e), XD_E_PARSE);
  CHECK_CONTAINS(e.msg, "ec2-describe-subnets.json");
  CHECK_CONTAINS(e.msg, "line 3");
  CHECK_CONTAINS(e.msg, "invalid UTF-8");

  /* a directory where a file belongs */
  s = fresh("dir");
  snprintf(target, sizeof(target), "%s/" STUDIO "/" R "/ec2-describe-vpcs.json", s);
  mkdirs(target);
  CHECK_INT(az_snapshot_load(s, &m, &e), XD_E_IO);
  CHECK_CONTAINS(e.msg, "ec2-describe-vpcs.json");
  CHECK_CONTAINS(e.msg, "directory");

  /* a symlink that leads out of the snapshot is refused... */
  s = fresh("link-out");
  put(tmp_root, "outside/secret.json", "{\"Vpcs\": []}\n", -1);
  snprintf(target, sizeof(target), "%s/" STUDIO "/" R, s);
  mkdirs(target);
  snprintf(target, sizeof(target), "%s/" STUDIO "/" R "/ec2-describe-vpcs.json", s);
  {
    char to[512];
    snprintf(to, sizeof(to), "%s/outside/secret.json", tmp_root);
    CHECK(symlink(to, target) == 0);
  }
  CHECK_INT(az_snapshot_load(s, &m, &e), XD_E_IO);
  CHECK_CONTAINS(e.msg, "ec2-describe-vpcs.json");
  CHECK_CONTAINS(e.msg, "out of the snapshot");

  /* ... as is an account folder that is a symlink out of it ... */
  s = fresh("link-out-account");
  {
    char to[512];
    snprintf(to, sizeof(to), "%s/outside", tmp_root);
    snprintf(target, sizeof(target), "%s/" EMR, s);
    CHECK(symlink(to, target) == 0);
  }
  CHECK_INT(az_snapshot_load(s, &m, &e), XD_E_IO);
  CHECK_CONTAINS(e.msg, "out of the snapshot");

  /* ... but a symlink inside the snapshot is fine */
  s = fresh("link-in");
  put(s, "shared/vpcs.json",
      "{\"Vpcs\": [{\"VpcId\": \"vpc-0a1b2c3d4e5f60718\", "
      "\"CidrBlock\": \"10.0.0.0/16\"}]}\n", -1);
  snprintf(target, sizeof(target), "%s/" STUDIO "/" R, s);
  mkdirs(target);
  snprintf(target, sizeof(target), "%s/" STUDIO "/" R "/ec2-describe-vpcs.json", s);
  CHECK(symlink("../../shared/vpcs.json", target) == 0);
  CHECK_INT(load(s, &m, &e), XD_OK);
  if(e.rc == XD_OK) {
    CHECK_INT(m.n_vpcs, 1);
    az_model_free(&m);
  }

  /* a policy document whose URL-decoded text is not JSON */
  s = fresh("bad-decoded");
  put(s, EMR "/iam-get-account-authorization-details.json",
      "{\"RoleDetailList\": [{\"RoleName\": \"r\", \"Arn\": \"arn:aws:iam::222222222222:role/r\",\n"
      "  \"AssumeRolePolicyDocument\": \"%7B%22Version%22%3A\"}]}\n", -1);
  CHECK_INT(az_snapshot_load(s, &m, &e), XD_E_PARSE);
  CHECK_CONTAINS(e.msg, "line 2");
  CHECK_CONTAINS(e.msg, "RoleDetailList[0].AssumeRolePolicyDocument");
  CHECK_CONTAINS(e.msg, "URL-decoded");

  /* not a folder at all */
  CHECK_INT(az_snapshot_load("/nonexistent/snapshot", &m, &e), XD_E_IO);
  CHECK_CONTAINS(e.msg, "/nonexistent/snapshot");
}

static void test_absent_files(void)
{
  const char *s;
  const az_missing *ms;
  az_model m;
  xd_err e;

  /* an empty snapshot: nothing known, nothing wrong */
  s = fresh("empty");
  CHECK_INT(load(s, &m, &e), XD_OK);
  CHECK_INT(m.n_accounts, 0);
  CHECK_INT(m.n_missing, 0);
  az_model_free(&m);

  /* folders that are not accounts or regions are ignored */
  s = fresh("ignored");
  put(s, "notes/readme.txt", "not an account\n", -1);
  put(s, "12345/us-east-1/ec2-describe-vpcs.json", "garbage", -1);
  put(s, STUDIO "/tmp/ec2-describe-vpcs.json", "garbage", -1);
  put(s, STUDIO "/us-east-1.bak/ec2-describe-vpcs.json", "garbage", -1);
  put(s, "xacct-doctor.json", "not read by the loader", -1);
  CHECK_INT(load(s, &m, &e), XD_OK);
  CHECK_INT(m.n_accounts, 1);
  CHECK_INT(m.n_accounts ? m.accounts[0].n_regions : 99, 0);
  /* only the account-level IAM file is missing (no domain: no role file) */
  CHECK_INT(m.n_missing, 1);
  ms = az_find_missing(&m, STUDIO, NULL,
                       "iam-get-account-authorization-details.json");
  CHECK(ms != NULL);
  CHECK(ms && ms->region == NULL);
  CHECK_STR(ms ? ms->file : NULL,
            STUDIO "/iam-get-account-authorization-details.json");
  az_model_free(&m);

  /* an empty region folder: each EC2 file of the layout is missing */
  s = fresh("empty-region");
  {
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/" EMR "/" R, s);
    mkdirs(dir);
  }
  CHECK_INT(load(s, &m, &e), XD_OK);
  CHECK_INT(m.n_missing, 7);
  ms = az_find_missing(&m, EMR, R, "ec2-describe-route-tables.json");
  CHECK(ms != NULL);
  CHECK_STR(ms ? ms->file : NULL, EMR "/" R "/ec2-describe-route-tables.json");
  CHECK_STR(ms ? ms->what : NULL, "route tables");
  CHECK_STR(ms ? ms->region : NULL, R);
  CHECK(az_find_missing(&m, EMR, R, "ec2-describe-vpcs.json") != NULL);
  CHECK(az_find_missing(&m, EMR, R, "ec2-describe-vpc-peering-connections.json"));
  /* optional files are not missing when nothing refers to them */
  CHECK(!az_find_missing(&m, EMR, R, "ec2-describe-network-interfaces.json"));
  CHECK(!az_find_missing(&m, EMR, R, "ec2-describe-managed-prefix-lists.json"));
  az_model_free(&m);

  /* files that something refers to */
  s = fresh("referred");
  put(s, EMR "/" R "/ec2-describe-vpcs.json",
      "{\"Vpcs\": [{\"VpcId\": \"vpc-02e4f6a8b0c2d4e6f\", \"CidrBlock\": \"2.0.0.0/16\"}]}", -1);
  put(s, EMR "/" R "/ec2-describe-route-tables.json",
      "{\"RouteTables\": [{\"RouteTableId\": \"rtb-00000001\", \"VpcId\": \"vpc-02e4f6a8b0c2d4e6f\",\n"
      " \"Routes\": [{\"DestinationPrefixListId\": \"pl-0123456789abcdef0\", \"GatewayId\": \"vpce-1\"},\n"
      "  {\"DestinationCidrBlock\": \"10.9.0.0/16\", \"InstanceId\": \"i-00000001\", \"State\": \"blackhole\"}]}]}", -1);
  put(s, EMR "/" R "/emr-describe-cluster--j-ABCDEFGHIJKLM.json",
      "{\"Cluster\": {\"Id\": \"j-ABCDEFGHIJKLM\", \"SecurityConfiguration\": \"kerb\"}}", -1);
  put(s, STUDIO "/" R "/sagemaker-describe-domain--d-abcdefghijkl.json",
      "{\"DomainId\": \"d-abcdefghijkl\"}", -1);
  CHECK_INT(load(s, &m, &e), XD_OK);
  CHECK_INT(m.n_vpcs, 1);
  CHECK_INT(m.n_vpcs ? m.vpcs[0].dns_support : 0, AZ_UNKNOWN);
  ms = az_find_missing(&m, EMR, R,
                       "ec2-describe-vpc-attribute--vpc-02e4f6a8b0c2d4e6f--enableDnsSupport.json");
  CHECK(ms && strstr(ms->what, "vpc-02e4f6a8b0c2d4e6f"));
  CHECK(az_find_missing(&m, EMR, R, "ec2-describe-vpc-attribute--vpc-02e4f6a8b0c2d4e6f--enableDnsHostnames.json"));
  CHECK(az_find_missing(&m, EMR, R, "ec2-describe-network-interfaces.json"));
  CHECK(az_find_missing(&m, EMR, R, "ec2-describe-managed-prefix-lists.json"));
  CHECK(az_find_missing(&m, EMR, R, "ec2-get-managed-prefix-list-entries--pl-0123456789abcdef0.json"));
  CHECK(az_find_missing(&m, EMR, R, "emr-list-instances--j-ABCDEFGHIJKLM.json"));
  CHECK(az_find_missing(&m, EMR, R, "emr-describe-security-configuration--kerb.json"));
  CHECK(az_find_missing(&m, STUDIO, NULL, "studio-emr-discovery-iam-role-arns.json"));
  CHECK(!az_find_missing(&m, EMR, NULL, "studio-emr-discovery-iam-role-arns.json"));
  CHECK(m.n_clusters == 1 && !m.clusters[0].instances_known);
  CHECK(m.n_clusters == 1 && !strcmp(m.clusters[0].state, "UNKNOWN"));
  CHECK(m.n_route_tables == 1 && m.route_tables[0].routes[1].state == AZ_RT_BLACKHOLE);
  CHECK(m.n_route_tables == 1 && m.route_tables[0].routes[1].target == AZ_RT_INSTANCE);
  az_model_free(&m);

  /* a broken role file is kept for the analyzer, not a load error */
  s = fresh("rolefile");
  put(s, STUDIO "/studio-emr-discovery-iam-role-arns.json",
      "{\n  \"222222222222\": \"arn:aws:iam::222222222222:role/x\",\n", -1);
  CHECK_INT(load(s, &m, &e), XD_OK);
  CHECK_INT(m.n_rolefiles, 1);
  if(m.n_rolefiles) {
    CHECK(m.rolefiles[0].json == NULL);
    CHECK_CONTAINS(m.rolefiles[0].parse_error, "line 2");
    CHECK_CONTAINS(m.rolefiles[0].parse_error, "studio-emr-discovery-iam-role-arns.json");
    CHECK_CONTAINS(m.rolefiles[0].text, "role/x");
  }
  az_model_free(&m);
  s = fresh("rolefile-utf8");
  put(s, STUDIO "/studio-emr-discovery-iam-role-arns.json", "{\"a\xc3\": 1}", -1);
  CHECK_INT(load(s, &m, &e), XD_OK);
  if(m.n_rolefiles) {
    CHECK_CONTAINS(m.rolefiles[0].parse_error, "invalid UTF-8");
    CHECK(xd_utf8_valid(m.rolefiles[0].text, strlen(m.rolefiles[0].text), NULL));
  }
  az_model_free(&m);
}

/* shapes the examples do not hold: IPv6, prefix lists in rules, other
 * protocols and targets, secondary CIDRs, a pending peering, Kerberos */
static void test_variants(void)
{
  const char *s = fresh("variants");
  az_model m;
  xd_err e;
  put(s, EMR "/" R "/ec2-describe-vpcs.json",
      "{\"Vpcs\": [{\"VpcId\": \"vpc-00000001\", \"CidrBlock\": \"2.0.0.0/16\",\n"
      " \"CidrBlockAssociationSet\": [\n"
      "  {\"CidrBlock\": \"2.0.0.0/16\", \"CidrBlockState\": {\"State\": \"associated\"}},\n"
      "  {\"CidrBlock\": \"100.64.0.0/16\", \"CidrBlockState\": {\"State\": \"associated\"}},\n"
      "  {\"CidrBlock\": \"100.65.0.0/16\", \"CidrBlockState\": {\"State\": \"disassociated\"}}],\n"
      " \"Ipv6CidrBlockAssociationSet\": [{\"Ipv6CidrBlock\": \"2600:1f18:1:100::/56\",\n"
      "   \"Ipv6CidrBlockState\": {\"State\": \"associated\"}}]}]}\n", -1);
  put(s, EMR "/" R "/ec2-describe-route-tables.json",
      "{\"RouteTables\": [{\"RouteTableId\": \"rtb-00000001\", \"VpcId\": \"vpc-00000001\",\n"
      " \"Associations\": [{\"Main\": false, \"SubnetId\": \"subnet-0000000a\",\n"
      "   \"AssociationState\": {\"State\": \"disassociated\"}},\n"
      "  {\"Main\": false, \"SubnetId\": \"subnet-0000000b\"}],\n"
      " \"Routes\": [\n"
      "  {\"DestinationIpv6CidrBlock\": \"::/0\", \"EgressOnlyInternetGatewayId\": \"eigw-1\"},\n"
      "  {\"DestinationCidrBlock\": \"172.16.0.0/12\", \"TransitGatewayId\": \"tgw-1\"},\n"
      "  {\"DestinationCidrBlock\": \"192.168.0.0/16\", \"CoreNetworkArn\": \"arn:aws:networkmanager::111111111111:core-network/c\"},\n"
      "  {\"DestinationCidrBlock\": \"198.51.100.0/24\", \"NetworkInterfaceId\": \"eni-00000001\"},\n"
      "  {\"DestinationCidrBlock\": \"203.0.113.0/24\", \"GatewayId\": \"vgw-1\", \"Origin\": \"EnableVgwRoutePropagation\"}]}]}\n", -1);
  put(s, EMR "/" R "/ec2-describe-security-groups.json",
      "{\"SecurityGroups\": [{\"GroupId\": \"sg-00000001\", \"IpPermissions\": [\n"
      "  {\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443,\n"
      "   \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}],\n"
      "   \"PrefixListIds\": [{\"PrefixListId\": \"pl-00000abc\", \"Description\": \"corp\"}]},\n"
      "  {\"IpProtocol\": \"50\", \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]},\n"
      "  {\"IpProtocol\": \"icmpv6\", \"FromPort\": 128, \"ToPort\": -1,\n"
      "   \"IpRanges\": [], \"Ipv6Ranges\": [{\"CidrIpv6\": \"2600:1f18::/32\"}]}],\n"
      " \"IpPermissionsEgress\": []}]}\n", -1);
  put(s, EMR "/" R "/ec2-describe-network-acls.json",
      "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-00000001\", \"VpcId\": \"vpc-00000001\", \"Entries\": [\n"
      "  {\"RuleNumber\": 101, \"Protocol\": \"58\", \"RuleAction\": \"allow\", \"Egress\": false,\n"
      "   \"Ipv6CidrBlock\": \"::/0\", \"IcmpTypeCode\": {\"Type\": -1, \"Code\": -1}},\n"
      "  {\"RuleNumber\": 110, \"Protocol\": \"6\", \"RuleAction\": \"deny\", \"Egress\": true,\n"
      "   \"CidrBlock\": \"10.0.20.0/24\", \"PortRange\": {\"From\": 1024, \"To\": 65535}}]}]}\n", -1);
  put(s, EMR "/" R "/ec2-describe-vpc-peering-connections.json",
      "{\"VpcPeeringConnections\": [{\"VpcPeeringConnectionId\": \"pcx-00000001\",\n"
      " \"ExpirationTime\": \"2024-05-09T10:00:00+00:00\",\n"
      " \"Status\": {\"Code\": \"pending-acceptance\", \"Message\": \"Pending Acceptance by 222222222222\"},\n"
      " \"RequesterVpcInfo\": {\"OwnerId\": \"111111111111\", \"VpcId\": \"vpc-00000000\", \"CidrBlock\": \"10.0.0.0/16\"},\n"
      " \"AccepterVpcInfo\": {\"OwnerId\": \"222222222222\", \"VpcId\": \"vpc-00000001\", \"Region\": \"us-east-1\"}}]}\n", -1);
  put(s, EMR "/" R "/emr-describe-security-configuration--kerb.json",
      "{\"Name\": \"kerb\", \"SecurityConfiguration\": \"{\\\"AuthenticationConfiguration\\\": "
      "{\\\"KerberosConfiguration\\\": {\\\"Provider\\\": \\\"ClusterDedicatedKdc\\\"}}}\"}\n", -1);
  put(s, EMR "/iam-get-account-authorization-details.json",
      "{\"RoleDetailList\": [{\"RoleName\": \"r\", \"Arn\": \"arn:aws:iam::222222222222:role/r\",\n"
      "  \"AssumeRolePolicyDocument\": \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": []}\"}],\n"
      " \"Policies\": [{\"Arn\": \"arn:aws:iam::222222222222:policy/p\", \"DefaultVersionId\": \"v2\",\n"
      "  \"PolicyVersionList\": [{\"VersionId\": \"v1\", \"IsDefaultVersion\": false, \"Document\": {\"Version\": \"old\"}},\n"
      "   {\"VersionId\": \"v2\", \"IsDefaultVersion\": true, \"Document\": \"%7B%22Version%22%3A%22new%22%7D\"}]}]}\n", -1);
  CHECK_INT(load(s, &m, &e), XD_OK);
  if(e.rc != XD_OK)
    return;
  {
    const az_vpc *v = az_find_vpc(&m, "vpc-00000001");
    CHECK(v && v->n_cidrs == 2 && v->n_cidrs6 == 1);
    CHECK(v && cidr_is(&v->cidrs[1], "100.64.0.0/16"));
    CHECK(v && cidr_is(&v->cidrs6[0], "2600:1f18:1:100::/56"));
  }
  {
    const az_route_table *t = &m.route_tables[0];
    CHECK_INT(t->n_subnet_ids, 1);
    CHECK_STR(t->subnet_ids[0], "subnet-0000000b");
    CHECK(find_route(t, "::/0") && find_route(t, "::/0")->target == AZ_RT_EIGW);
    CHECK(find_route(t, "172.16.0.0/12")->target == AZ_RT_TGW);
    CHECK(find_route(t, "192.168.0.0/16")->target == AZ_RT_CORE_NETWORK);
    CHECK(find_route(t, "198.51.100.0/24")->target == AZ_RT_ENI);
    CHECK(find_route(t, "203.0.113.0/24")->target == AZ_RT_VGW);
    CHECK_STR(find_route(t, "203.0.113.0/24")->origin, "EnableVgwRoutePropagation");
  }
  {
    const az_sg *g = az_find_sg(&m, "sg-00000001");
    CHECK(g && g->n_ingress == 4);
    if(g && g->n_ingress == 4) {
      CHECK_INT(g->ingress[0].kind, AZ_PEER_CIDR6);
      CHECK(cidr_is(&g->ingress[0].cidr, "::/0"));
      CHECK_INT(g->ingress[1].kind, AZ_PEER_PREFIX_LIST);
      CHECK_STR(g->ingress[1].prefix_list, "pl-00000abc");
      CHECK_INT(g->ingress[1].from_port, 443);
      CHECK_INT(g->ingress[2].proto, 50);
      CHECK_INT(g->ingress[2].from_port, -1);
      CHECK_INT(g->ingress[2].kind, AZ_PEER_CIDR4);
      CHECK_INT(g->ingress[3].proto, AZ_PROTO_ICMPV6);
      CHECK_INT(g->ingress[3].from_port, 128);
      CHECK_INT(g->ingress[3].to_port, -1);
      CHECK_INT(g->ingress[3].kind, AZ_PEER_CIDR6);
    }
    CHECK_STR(g ? g->name : NULL, "");
    CHECK(az_find_missing(&m, EMR, R, "ec2-get-managed-prefix-list-entries--pl-00000abc.json"));
  }
  {
    const az_nacl *a = &m.nacls[0];
    CHECK_INT(a->entries[0].proto, AZ_PROTO_ICMPV6);
    CHECK(cidr_is(&a->entries[0].cidr, "::/0"));
    CHECK_INT(a->entries[0].icmp_type, -1);
    CHECK_INT(a->entries[1].proto, AZ_PROTO_TCP);
    CHECK(a->entries[1].egress && !a->entries[1].allow);
    CHECK_INT(a->entries[1].from_port, 1024);
    CHECK_INT(a->entries[1].to_port, 65535);
  }
  {
    const az_pcx *p = az_find_pcx(&m, "pcx-00000001");
    CHECK(p != NULL);
    if(p) {
      CHECK_STR(p->status, "pending-acceptance");
      CHECK_STR(p->expiration, "2024-05-09T10:00:00+00:00");
      CHECK_INT(p->accepter.n_cidrs, 0);
      CHECK_INT(p->accepter.allow_dns_from_remote, AZ_UNKNOWN);
      CHECK(cidr_is(&p->requester.cidrs[0], "10.0.0.0/16"));
    }
  }
  CHECK(az_find_secconf(&m, EMR, "kerb") &&
        az_find_secconf(&m, EMR, "kerb")->kerberos == AZ_YES);
  CHECK(m.n_roles == 1 && m.roles[0].trust_policy &&
        xd_json_str(m.roles[0].trust_policy, "Version") &&
        !strcmp(xd_json_str(m.roles[0].trust_policy, "Version"), "2012-10-17"));
  CHECK(m.n_policies == 1 && m.policies[0].document &&
        !strcmp(xd_json_str(m.policies[0].document, "Version"), "new"));
  az_model_free(&m);
}

/* ec2-describe-vpc-endpoints.json (issue 19): every field the control
 * plane reads, the folders where it was read, and a policy that is not
 * JSON named by file, line and field. */
static void test_vpc_endpoints(void)
{
  static const char file[] = STUDIO "/" R "/ec2-describe-vpc-endpoints.json";
  const char *s = fresh("vpce");
  az_model m;
  xd_err e;
  put(s, file,
      "{\"VpcEndpoints\": [\n"
      " {\"VpcEndpointId\": \"vpce-0a1b2c3d4e5f60718\", \"VpcEndpointType\": \"Interface\",\n"
      "  \"VpcId\": \"vpc-0a1b2c3d4e5f60718\", \"ServiceName\": \"com.amazonaws.us-east-1.sts\",\n"
      "  \"State\": \"available\", \"PrivateDnsEnabled\": true,\n"
      "  \"PolicyDocument\": \"{\\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\"}]}\",\n"
      "  \"SubnetIds\": [\"subnet-0a1b2c3d4e5f60718\"], \"RouteTableIds\": [],\n"
      "  \"Groups\": [{\"GroupId\": \"sg-0a1b2c3d4e5f60718\", \"GroupName\": \"x\"}],\n"
      "  \"NetworkInterfaceIds\": [\"eni-0a1b2c3d4e5f60718\"],\n"
      "  \"DnsEntries\": [{\"DnsName\": \"vpce-0a1b2c3d4e5f60718-x.sts.us-east-1.vpce.amazonaws.com\"}],\n"
      "  \"OwnerId\": \"111111111111\"},\n"
      " {\"VpcEndpointId\": \"vpce-0a1b2c3d\", \"VpcEndpointType\": \"Gateway\",\n"
      "  \"VpcId\": \"vpc-0a1b2c3d4e5f60718\", \"ServiceName\": \"com.amazonaws.us-east-1.s3\",\n"
      "  \"State\": \"available\", \"RouteTableIds\": [\"rtb-0a1b2c3d\"]}]}\n", -1);
  CHECK_INT(load(s, &m, &e), XD_OK);
  if(e.rc == XD_OK) {
    CHECK_INT(m.n_vpces, 2);
    CHECK_INT(m.n_vpce_read, 1);
    if(m.n_vpces == 2 && m.n_vpce_read == 1) {
      const az_vpce *v = &m.vpces[0];
      CHECK_STR(m.vpce_read[0], STUDIO "/" R);
      CHECK_STR(v->type, "Interface");
      CHECK_STR(v->state, "available");
      CHECK_INT(v->private_dns, AZ_YES);
      CHECK(v->policy && cJSON_IsArray(cJSON_GetObjectItem(v->policy, "Statement")));
      CHECK(v->n_subnet_ids == 1 && v->n_group_ids == 1 && v->n_eni_ids == 1 &&
            v->n_dns_names == 1);
      CHECK_STR(v->group_ids[0], "sg-0a1b2c3d4e5f60718");
      CHECK_STR(m.vpces[1].type, "Gateway");
      CHECK(m.vpces[1].policy == NULL && m.vpces[1].n_rtb_ids == 1);
      CHECK_INT(m.vpces[1].private_dns, AZ_UNKNOWN);
    }
    az_model_free(&m);
  }
  /* a policy that is not JSON: bad input, file, line and field named */
  s = fresh("vpce-bad-policy");
  put(s, file,
      "{\"VpcEndpoints\": [\n"
      " {\"VpcEndpointId\": \"vpce-0a1b2c3d\", \"ServiceName\": \"x\",\n"
      "  \"PolicyDocument\": \"{\\\"Statement\\\": [\"}]}\n", -1);
  CHECK_INT(az_snapshot_load(s, &m, &e), XD_E_PARSE);
  CHECK_CONTAINS(e.msg, "ec2-describe-vpc-endpoints.json");
  CHECK_CONTAINS(e.msg, "line 3");
  CHECK_CONTAINS(e.msg, "VpcEndpoints[0].PolicyDocument");
  /* an endpoint id of another shape */
  s = fresh("vpce-bad-id");
  put(s, file, "{\"VpcEndpoints\": [{\"VpcEndpointId\": \"vpce-xyz\", "
      "\"ServiceName\": \"x\"}]}\n", -1);
  CHECK_INT(az_snapshot_load(s, &m, &e), XD_E_INVALID);
  CHECK_CONTAINS(e.msg, "VpcEndpoints[0].VpcEndpointId");
  /* no file: nothing read, nothing recorded as missing */
  s = fresh("vpce-none");
  put(s, STUDIO "/" R "/ec2-describe-vpcs.json", "{\"Vpcs\": []}\n", -1);
  CHECK_INT(load(s, &m, &e), XD_OK);
  if(e.rc == XD_OK) {
    CHECK_INT(m.n_vpce_read, 0);
    CHECK(!az_find_missing(&m, STUDIO, R, "ec2-describe-vpc-endpoints.json"));
    az_model_free(&m);
  }
}

int main(void)
{
  if(!make_tmp_root(tmp_root, sizeof(tmp_root), "xd-loader"))
    return 1;
  test_runtime_errors();
  test_absent_files();
  test_variants();
  test_vpc_endpoints();
  rm_rf(tmp_root);
  return CHECK_DONE();
}
