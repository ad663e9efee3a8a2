/* tests/unit/test_loader.c: the snapshot loader against examples/healthy
 * (every kind of element, with concrete values), examples/broken (the two
 * faults are really in the files) and the error fixtures of
 * tests/fixtures/loader/ (each names file and line). Folders built at run
 * time are in test_loader_cases.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/snapshot.h"
#include "check.h"
#include "common/jsonutil.h"
#include "loader_test_util.h"

#define STUDIO "111111111111"
#define EMR "222222222222"
#define R "us-east-1"
#define STUDIO_VPC "vpc-0a1b2c3d4e5f60718"
#define STUDIO_SUBNET "subnet-0b2c3d4e5f6071829"
#define STUDIO_SG "sg-0b5c6d7e8f9011223"
#define EMR_VPC "vpc-02e4f6a8b0c2d4e6f"
#define EMR_SUBNET "subnet-03f5a7b9c1d3e5f70"
#define EMR_MASTER_SG "sg-0b1d25e7f90b13c58"
#define EMR_STUDIO_SG "sg-0e4058102c3e46f8b"
#define PCX "pcx-0f90112233445566a"
#define CLUSTER "j-3KQ7ZP1XW5R2B"
#define DOMAIN "d-7kq2xw9mzp4a"
#define ROLE_ARN "arn:aws:iam::222222222222:role/SageMakerStudioEmrDiscoveryRole"
#define POLICY_ARN "arn:aws:iam::222222222222:policy/SageMakerStudioEmrDiscoveryPolicy"
#define EXEC_ROLE_ARN "arn:aws:iam::111111111111:role/service-role/" \
                      "AmazonSageMaker-ExecutionRole-20240502T101112"

static char src_dir[2048], fix_dir[4096];

static const char *jstr(const cJSON *j, const char *k1, const char *k2)
{
  const cJSON *v = xd_json_path(j, k1, k2, NULL);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Statement[0] of a policy document */
static const cJSON *stmt0(const cJSON *doc)
{
  return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "Statement"),
                            0);
}

static void test_healthy_network(const az_model *m)
{
  const az_vpc *v = az_find_vpc(m, STUDIO_VPC), *ev = az_find_vpc(m, EMR_VPC);
  const az_subnet *s = az_find_subnet(m, STUDIO_SUBNET);
  const az_subnet *es = az_find_subnet(m, EMR_SUBNET);
  const az_route_table *t;
  const az_route *r;
  bool implicit = true;

  CHECK_INT(m->n_accounts, 2);
  CHECK_STR(m->accounts[0].id, STUDIO);
  CHECK_STR(m->accounts[1].id, EMR);
  CHECK_INT(m->accounts[1].n_regions, 1);
  CHECK_STR(m->accounts[1].regions[0], R);

  /* VPCs and their DNS attributes */
  CHECK(v != NULL && ev != NULL);
  if(!v || !ev)
    return;
  CHECK_INT(v->n_cidrs, 1);
  CHECK(cidr_is(&v->cidrs[0], "10.0.0.0/16"));
  CHECK(cidr_is(&ev->cidrs[0], "2.0.0.0/16"));
  CHECK_INT(v->dns_support, AZ_YES);
  CHECK_INT(v->dns_hostnames, AZ_YES);
  CHECK_INT(ev->dns_support, AZ_YES);
  CHECK_STR(v->account, STUDIO);
  CHECK_STR(v->owner, STUDIO);
  CHECK_STR(v->region, R);
  CHECK_STR(v->state, "available");
  CHECK_STR(v->src, STUDIO "/" R "/ec2-describe-vpcs.json");

  /* subnets */
  CHECK(s != NULL && es != NULL);
  if(!s || !es)
    return;
  CHECK(cidr_is(&s->cidr, "10.0.20.0/24"));
  CHECK(cidr_is(&es->cidr, "2.0.1.0/24"));
  CHECK_STR(s->vpc_id, STUDIO_VPC);
  CHECK_STR(s->az, "us-east-1a");
  CHECK(!s->map_public_ip);

  /* route tables: explicit association, targets, state */
  t = az_route_table_for_subnet(m, s, &implicit);
  CHECK(t != NULL);
  CHECK(!implicit);
  if(t) {
    CHECK_STR(t->id, "rtb-0718293a4b5c6d7e8");
    CHECK(!t->is_main);
    CHECK_INT(t->n_routes, 4);
    r = find_route(t, "2.0.1.0/24");
    CHECK(r && r->target == AZ_RT_PCX && !strcmp(r->target_id, PCX));
    CHECK(r && r->state == AZ_RT_ACTIVE);
    CHECK(r && r->origin && !strcmp(r->origin, "CreateRoute"));
    r = find_route(t, "10.0.0.0/16");
    CHECK(r && r->target == AZ_RT_LOCAL && !strcmp(r->target_id, "local"));
    r = find_route(t, "0.0.0.0/0");
    CHECK(r && r->target == AZ_RT_NAT &&
          !strcmp(r->target_id, "nat-0e5f60718293a4b5c"));
    r = find_route(t, "pl-63a5400a");
    CHECK(r && !r->has_cidr && r->target == AZ_RT_VPCE);
  }
  t = az_route_table_for_subnet(m, es, &implicit);
  CHECK(t && find_route(t, "10.0.20.0/24") &&
        find_route(t, "10.0.20.0/24")->target == AZ_RT_PCX);
  {
    /* a subnet with no association of its own uses the main table */
    az_subnet lone = *es;
    lone.id = "subnet-0ffffffffffffffff";
    t = az_route_table_for_subnet(m, &lone, &implicit);
    CHECK(t && t->is_main && implicit);
    CHECK(t && !strcmp(t->id, "rtb-07d9e1f3a5b7c9d14"));
  }
  r = find_route(az_route_table_for_subnet(m, az_find_subnet(m,
                 "subnet-0c3d4e5f607182930"), NULL), "0.0.0.0/0");
  CHECK(r && r->target == AZ_RT_IGW);

  /* network ACLs */
  {
    const az_nacl *a = az_nacl_for_subnet(m, EMR_SUBNET);
    CHECK(a != NULL);
    if(a) {
      CHECK_STR(a->id, "acl-0f5169213d4f5709c");
      CHECK(a->is_default);
      CHECK_INT(a->n_entries, 4);
      CHECK_INT(a->entries[0].rule_number, 100);
      CHECK(a->entries[0].egress && a->entries[0].allow);
      CHECK_INT(a->entries[0].proto, AZ_PROTO_ALL);
      CHECK(cidr_is(&a->entries[0].cidr, "0.0.0.0/0"));
      CHECK_INT(a->entries[0].from_port, -1);
      CHECK_INT(a->entries[1].rule_number, 32767);
      CHECK(!a->entries[1].allow);
      CHECK(!a->entries[2].egress);
      CHECK_INT(a->n_subnet_ids, 2);
    }
  }

  /* peering, read from both accounts; the first read wins */
  {
    const az_pcx *p = az_find_pcx(m, PCX);
    CHECK_INT(m->n_pcxs, 2);
    CHECK(p != NULL);
    if(p) {
      CHECK_STR(p->account, STUDIO);
      CHECK_STR(p->status, "active");
      CHECK_STR(p->status_message, "Active");
      CHECK(p->expiration == NULL);
      CHECK_STR(p->requester.owner, STUDIO);
      CHECK_STR(p->requester.vpc_id, STUDIO_VPC);
      CHECK_INT(p->requester.n_cidrs, 1);
      CHECK(cidr_is(&p->requester.cidrs[0], "10.0.0.0/16"));
      CHECK_INT(p->requester.allow_dns_from_remote, AZ_NO);
      CHECK_STR(p->accepter.owner, EMR);
      CHECK_STR(p->accepter.vpc_id, EMR_VPC);
      CHECK_STR(p->accepter.region, R);
      CHECK(cidr_is(&p->accepter.cidrs[0], "2.0.0.0/16"));
      CHECK_INT(p->accepter.allow_dns_from_remote, AZ_YES);
    }
  }
}

static void test_healthy_groups(const az_model *m)
{
  const az_sg *g = az_find_sg(m, EMR_STUDIO_SG), *mg = az_find_sg(m, EMR_MASTER_SG);
  const az_sg *sg = az_find_sg(m, STUDIO_SG);
  CHECK_INT(m->n_sgs, 7);
  CHECK(g && mg && sg);
  if(!g || !mg || !sg)
    return;
  /* three permissions of one source each: flattened to three rules */
  CHECK_STR(g->name, "emr-primary-from-studio");
  CHECK_STR(g->vpc_id, EMR_VPC);
  CHECK_INT(g->n_ingress, 3);
  CHECK_INT(g->ingress[0].proto, AZ_PROTO_TCP);
  CHECK_INT(g->ingress[0].from_port, 8998);
  CHECK_INT(g->ingress[0].to_port, 8998);
  CHECK_INT(g->ingress[0].kind, AZ_PEER_GROUP);
  CHECK_STR(g->ingress[0].group_id, STUDIO_SG);
  CHECK_STR(g->ingress[0].user_id, STUDIO);
  CHECK_STR(g->ingress[0].vpc_id, STUDIO_VPC);
  CHECK_STR(g->ingress[0].peering_id, PCX);
  CHECK_STR(g->ingress[0].peering_status, "active");
  CHECK_STR(g->ingress[0].description, "Studio Livy");
  CHECK_INT(g->ingress[1].from_port, 10000);
  CHECK_INT(g->ingress[2].from_port, 8889);
  CHECK_INT(g->n_egress, 1);
  CHECK_INT(g->egress[0].proto, AZ_PROTO_ALL);
  CHECK_INT(g->egress[0].from_port, -1);
  CHECK_INT(g->egress[0].kind, AZ_PEER_CIDR4);
  CHECK(cidr_is(&g->egress[0].cidr, "0.0.0.0/0"));
  /* tcp, udp and icmp each from two groups, and 8443 from one: 7 */
  CHECK_INT(mg->n_ingress, 7);
  CHECK_INT(mg->ingress[0].proto, AZ_PROTO_TCP);
  CHECK_INT(mg->ingress[0].from_port, 0);
  CHECK_INT(mg->ingress[0].to_port, 65535);
  CHECK_STR(mg->ingress[0].group_id, EMR_MASTER_SG);
  CHECK_STR(mg->ingress[1].group_id, "sg-0c2e36f80a1c24d69");
  CHECK_INT(mg->ingress[2].proto, AZ_PROTO_UDP);
  CHECK_INT(mg->ingress[4].proto, AZ_PROTO_ICMP);
  CHECK_INT(mg->ingress[4].from_port, -1);
  CHECK_INT(mg->ingress[6].from_port, 8443);
  CHECK_STR(mg->ingress[6].user_id, EMR);
  CHECK(mg->ingress[6].peering_id == NULL);
  CHECK_INT(sg->n_ingress, 1);
  CHECK_STR(sg->ingress[0].group_id, STUDIO_SG);

  /* network interfaces */
  CHECK_INT(m->n_enis, 3);
  for(size_t i = 0; i < m->n_enis; i++) {
    const az_eni *n = &m->enis[i];
    if(strcmp(n->id, "eni-0a9b8c7d6e5f40312"))
      continue;
    CHECK_STR(n->private_ip, "2.0.1.10");
    CHECK_INT(n->n_group_ids, 2);
    CHECK_STR(n->group_ids[1], EMR_STUDIO_SG);
    CHECK_STR(n->instance_id, "i-0f1e2d3c4b5a69788");
    CHECK_STR(n->subnet_id, EMR_SUBNET);
  }

  /* managed prefix list and its entries */
  {
    const az_prefix_list *p = az_find_prefix_list(m, "pl-63a5400a");
    CHECK(p != NULL);
    if(p) {
      CHECK(p->entries_known);
      CHECK_INT(p->n_cidrs, 8);
      CHECK_STR(p->name, "com.amazonaws.us-east-1.s3");
      CHECK_STR(p->address_family, "IPv4");
      CHECK(cidr_is(&p->cidrs[0], "16.182.0.0/16"));
    }
  }
}

static void test_healthy_emr(const az_model *m)
{
  const az_cluster *c = az_find_cluster(m, CLUSTER);
  const az_secconf *sc;
  const az_domain *d = az_find_domain(m, DOMAIN);
  CHECK(c != NULL);
  if(c) {
    CHECK_STR(c->account, EMR);
    CHECK_STR(c->name, "analytics-spark");
    CHECK_STR(c->state, "WAITING");
    CHECK_STR(c->state_reason, "Cluster ready to run steps.");
    CHECK_STR(c->master_public_dns, "ip-2-0-1-10.ec2.internal");
    CHECK_STR(c->release_label, "emr-6.15.0");
    CHECK_STR(c->subnet_id, EMR_SUBNET);
    CHECK_STR(c->az, "us-east-1a");
    CHECK_STR(c->master_sg, EMR_MASTER_SG);
    CHECK_INT(c->n_additional_master_sgs, 1);
    CHECK_STR(c->additional_master_sgs[0], EMR_STUDIO_SG);
    CHECK_STR(c->service_access_sg, "sg-0d3f47091b2d35e7a");
    CHECK_STR(c->security_configuration, "emr-studio-at-rest-encryption");
    CHECK_INT(c->n_apps, 5);
    CHECK_STR(c->apps[2].name, "Livy");
    CHECK_STR(c->apps[2].version, "0.7.1");
    /* nested configurations follow their parent */
    CHECK_INT(c->n_configs, 4);
    CHECK_STR(c->configs[0].classification, "livy-conf");
    CHECK_INT(c->configs[0].n_props, 2);
    CHECK_STR(c->configs[0].props[0].key, "livy.server.session.timeout");
    CHECK_STR(c->configs[0].props[0].value, "2h");
    CHECK_STR(c->configs[2].classification, "hadoop-env");
    CHECK_STR(c->configs[3].classification, "export");
    CHECK_STR(c->configs[3].props[0].key, "JAVA_HOME");
    CHECK(c->instances_known);
    CHECK_INT(c->n_instances, 3);
    if(c->n_instances == 3) {
      CHECK_STR(c->instances[0].id, "ci-01AB23CD45EF6");
      CHECK_STR(c->instances[0].ec2_instance_id, "i-0f1e2d3c4b5a69788");
      CHECK_STR(c->instances[0].private_dns, "ip-2-0-1-10.ec2.internal");
      CHECK_STR(c->instances[0].private_ip, "2.0.1.10");
      CHECK(c->instances[0].public_dns == NULL); /* "" in the file */
      CHECK(c->instances[0].public_ip == NULL);
      CHECK_STR(c->instances[0].state, "RUNNING");
      CHECK_STR(c->instances[0].group_id, "ig-1A2B3C4D5E6F7");
      CHECK_STR(c->instances[0].instance_type, "m5.xlarge");
      CHECK_STR(c->instances[2].private_ip, "2.0.1.12");
    }
  }
  sc = az_find_secconf(m, EMR, "emr-studio-at-rest-encryption");
  CHECK(sc != NULL);
  if(sc) {
    CHECK_INT(sc->kerberos, AZ_NO);
    CHECK(xd_json_path(sc->config, "EncryptionConfiguration",
                       "EnableAtRestEncryption", NULL) != NULL);
  }
  CHECK(az_find_secconf(m, STUDIO, "emr-studio-at-rest-encryption") == NULL);

  CHECK(d != NULL);
  if(d) {
    CHECK_STR(d->account, STUDIO);
    CHECK_STR(d->name, "data-science");
    CHECK_STR(d->status, "InService");
    CHECK_STR(d->vpc_id, STUDIO_VPC);
    CHECK_INT(d->n_subnet_ids, 1);
    CHECK_STR(d->subnet_ids[0], STUDIO_SUBNET);
    CHECK_STR(d->app_network_access_type, "VpcOnly");
    CHECK_INT(d->n_security_groups, 1);
    CHECK_STR(d->security_groups[0], STUDIO_SG);
    CHECK_STR(d->execution_role, EXEC_ROLE_ARN);
    CHECK_INT(d->n_assumable_role_arns, 1);
    CHECK_STR(d->assumable_role_arns[0], ROLE_ARN);
    CHECK_INT(d->n_execution_role_arns, 0);
  }
}

static void test_healthy_iam(const az_model *m)
{
  const az_role *r = az_find_role_by_arn(m, ROLE_ARN);
  const az_role *x = az_find_role_by_arn(m, EXEC_ROLE_ARN);
  const az_managed_policy *p = az_find_policy(m, POLICY_ARN);
  const az_rolefile *rf = m->n_rolefiles ? &m->rolefiles[0] : NULL;
  CHECK_INT(m->n_roles, 2);
  CHECK(r && x && p && rf);
  if(!r || !x || !p || !rf)
    return;
  /* the CLI's shape: documents as objects */
  CHECK_STR(r->name, "SageMakerStudioEmrDiscoveryRole");
  CHECK_STR(r->account, EMR);
  CHECK_STR(r->path, "/");
  CHECK_STR(jstr(stmt0(r->trust_policy), "Principal", "AWS"),
            "arn:aws:iam::111111111111:root");
  CHECK_STR(jstr(stmt0(r->trust_policy), "Action", NULL), "sts:AssumeRole");
  CHECK_INT(r->n_attached_policy_arns, 1);
  CHECK_STR(r->attached_policy_arns[0], POLICY_ARN);
  CHECK(p->document != NULL);
  CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
                                   stmt0(p->document), "Resource"), 0)
                ->valuestring,
            "arn:aws:elasticmapreduce:us-east-1:222222222222:cluster/*");
  /* the raw API's shape: URL-encoded documents, decoded */
  CHECK_STR(x->path, "/service-role/");
  CHECK_STR(jstr(stmt0(x->trust_policy), "Principal", "Service"),
            "sagemaker.amazonaws.com");
  CHECK_INT(x->n_inline_policies, 1);
  CHECK_STR(x->inline_policies[0].name, "AssumeEmrDiscoveryRole");
  CHECK_STR(jstr(stmt0(x->inline_policies[0].document), "Resource", NULL),
            ROLE_ARN);
  /* the role file */
  CHECK_INT(m->n_rolefiles, 1);
  CHECK_STR(rf->account, STUDIO);
  CHECK_STR(rf->path, STUDIO "/studio-emr-discovery-iam-role-arns.json");
  CHECK(rf->parse_error == NULL);
  CHECK_STR(xd_json_str(rf->json, EMR), ROLE_ARN);
  CHECK_CONTAINS(rf->text, ROLE_ARN);
}

static void test_examples(void)
{
  char path[4200];
  az_model m;
  xd_err e = {0};
  snprintf(path, sizeof(path), "%s/examples/healthy", src_dir);
  CHECK_INT(az_snapshot_load(path, &m, &e), XD_OK);
  if(e.msg[0])
    fprintf(stderr, "  %s\n", e.msg);
  if(e.rc != XD_OK)
    return;
  /* the example predates issue 19's DHCP options file: in each account,
   * it is the one file missing */
  CHECK_INT(m.n_missing, 2);
  for(size_t i = 0; i < m.n_missing; i++)
    CHECK(strstr(m.missing[i].file, "/us-east-1/ec2-describe-dhcp-options.json"));
  CHECK_INT(m.n_vpcs, 2);
  CHECK_INT(m.n_subnets, 4);
  CHECK_INT(m.n_route_tables, 6);
  CHECK_INT(m.n_nacls, 2);
  CHECK_INT(m.n_clusters, 1);
  CHECK_INT(m.n_domains, 1);
  CHECK_INT(m.n_policies, 1);
  test_healthy_network(&m);
  test_healthy_groups(&m);
  test_healthy_emr(&m);
  test_healthy_iam(&m);
  az_model_free(&m);

  /* the broken example holds its two faults */
  snprintf(path, sizeof(path), "%s/examples/broken", src_dir);
  CHECK_INT(az_snapshot_load(path, &m, &e), XD_OK);
  if(e.rc == XD_OK) {
    const az_route_table *t = az_route_table_for_subnet(
        &m, az_find_subnet(&m, EMR_SUBNET), NULL);
    const az_sg *g = az_find_sg(&m, EMR_STUDIO_SG);
    CHECK(t && find_route(t, "10.0.20.0/24") == NULL);
    CHECK(t && find_route(t, "0.0.0.0/0") != NULL);
    CHECK(g && g->n_ingress == 2);
    for(size_t i = 0; g && i < g->n_ingress; i++)
      CHECK(g->ingress[i].from_port != 8998);
    az_model_free(&m);
  }
}

/* ---- error fixtures ---- */

static void expect_error(const char *fixture, xd_rc rc, const char *file,
                         const char *line, const char *field)
{
  char path[4200];
  az_model m;
  xd_err e = {0};
  snprintf(path, sizeof(path), "%s/loader/%s", fix_dir, fixture);
  CHECK_INT(az_snapshot_load(path, &m, &e), rc);
  CHECK_CONTAINS(e.msg, path);
  CHECK_CONTAINS(e.msg, file);
  if(line)
    CHECK_CONTAINS(e.msg, line);
  if(field)
    CHECK_CONTAINS(e.msg, field);
  /* a failed load leaves nothing behind */
  CHECK(m.n_vpcs == 0 && m.arena.head == NULL && m.owned_json == NULL);
}

static void test_error_fixtures(void)
{
  expect_error("invalid-json", XD_E_PARSE, "ec2-describe-vpcs.json",
               "line 5", "invalid JSON");
  expect_error("wrong-key", XD_E_PARSE, "ec2-describe-route-tables.json",
               "line 1", "\"RouteTables\"");
  expect_error("truncated", XD_E_PARSE, "ec2-describe-security-groups.json",
               "line 8", "truncated");
  expect_error("wrong-type", XD_E_PARSE, "ec2-describe-vpcs.json", "line 2",
               "Vpcs: expected an array");
  expect_error("bad-cidr", XD_E_INVALID, "ec2-describe-security-groups.json",
               "line 25",
               "SecurityGroups[1].IpPermissions[0].IpRanges[1].CidrIp: "
               "\"300.1.2.3/33\"");
  expect_error("bad-port", XD_E_INVALID, "ec2-describe-security-groups.json",
               "line 8", "SecurityGroups[0].IpPermissions[0].FromPort: 70000");
  expect_error("bad-rule-number", XD_E_INVALID,
               "ec2-describe-network-acls.json", "line 22",
               "NetworkAcls[0].Entries[1].RuleNumber: -5");
  expect_error("bad-subnet-cidr", XD_E_INVALID, "ec2-describe-subnets.json",
               "line 5", "Subnets[0].CidrBlock: \"10.0.20/24\"");
  expect_error("bad-policy", XD_E_PARSE,
               "iam-get-account-authorization-details.json", "line 10",
               "RoleDetailList[0].AssumeRolePolicyDocument: malformed URL");
  expect_error("bad-secconf", XD_E_PARSE,
               "emr-describe-security-configuration--kerberos-conf.json",
               "line 3", "SecurityConfiguration: ");
}

int main(void)
{
  const char *sd = getenv("XD_SOURCE_DIR"), *fd = getenv("XD_FIXTURES");
  snprintf(src_dir, sizeof(src_dir), "%s", sd ? sd : ".");
  if(fd)
    snprintf(fix_dir, sizeof(fix_dir), "%s", fd);
  else
    snprintf(fix_dir, sizeof(fix_dir), "%s/tests/fixtures", src_dir);
  test_examples();
  test_error_fixtures();
  return CHECK_DONE();
}
