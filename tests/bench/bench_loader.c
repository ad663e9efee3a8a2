/* tests/bench/bench_loader.c: how long loading a large snapshot takes.
 * Writes a snapshot folder with 100,000 security group rules (1,000 groups
 * of 100 sources), 2,000 route tables of 10 routes, 2,000 subnets and
 * network ACLs, then loads it a few times and PRINTS the figures (label
 * bench: a figure to watch, not an assertion that can flake on a busy CI
 * machine). Usage: bench_loader [scale], scale 1 by default. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzer/snapshot.h"
#include "common/timeutil.h"

static char root[256];

static FILE *open_file(const char *rel)
{
  char path[512];
  snprintf(path, sizeof(path), "%s/%s", root, rel);
  return fopen(path, "w");
}

static void write_sgs(int groups, int perms, int per)
{
  FILE *f = open_file("222222222222/us-east-1/ec2-describe-security-groups.json");
  if(!f)
    return;
  fputs("{\"SecurityGroups\": [\n", f);
  for(int g = 0; g < groups; g++) {
    fprintf(f, "%s{\"GroupId\": \"sg-%017x\", \"GroupName\": \"g%d\", "
            "\"VpcId\": \"vpc-0000000000000000a\", \"OwnerId\": \"222222222222\", "
            "\"IpPermissionsEgress\": [{\"IpProtocol\": \"-1\", \"IpRanges\": "
            "[{\"CidrIp\": \"0.0.0.0/0\"}]}],\n \"IpPermissions\": [",
            g ? ",\n" : "", g, g);
    for(int p = 0; p < perms; p++) {
      fprintf(f, "%s{\"IpProtocol\": \"tcp\", \"FromPort\": %d, \"ToPort\": %d, "
              "\"IpRanges\": [", p ? "," : "", 1000 + p, 1000 + p);
      for(int s = 0; s < per - 1; s++)
        fprintf(f, "%s{\"CidrIp\": \"10.%d.%d.0/24\", \"Description\": \"r\"}",
                s ? "," : "", g % 256, s);
      fprintf(f, "], \"UserIdGroupPairs\": [{\"GroupId\": \"sg-%017x\", "
              "\"UserId\": \"111111111111\"}]}", p);
    }
    fputs("]}", f);
  }
  fputs("\n]}\n", f);
  fclose(f);
}

static void write_rtbs(int n, int routes)
{
  FILE *f = open_file("222222222222/us-east-1/ec2-describe-route-tables.json");
  FILE *s = open_file("222222222222/us-east-1/ec2-describe-subnets.json");
  FILE *a = open_file("222222222222/us-east-1/ec2-describe-network-acls.json");
  if(!f || !s || !a)
    goto done;
  fputs("{\"RouteTables\": [\n", f);
  fputs("{\"Subnets\": [\n", s);
  fputs("{\"NetworkAcls\": [\n", a);
  for(int t = 0; t < n; t++) {
    fprintf(f, "%s{\"RouteTableId\": \"rtb-%017x\", \"VpcId\": \"vpc-0000000000000000a\", "
            "\"Associations\": [{\"Main\": %s, \"SubnetId\": \"subnet-%017x\"}], "
            "\"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/8\", \"GatewayId\": \"local\"}",
            t ? ",\n" : "", t, t ? "false" : "true", t);
    for(int r = 1; r < routes; r++)
      fprintf(f, ",{\"DestinationCidrBlock\": \"172.%d.%d.0/24\", "
              "\"VpcPeeringConnectionId\": \"pcx-%017x\", \"State\": \"active\"}",
              16 + r % 16, t % 256, r);
    fputs("]}", f);
    fprintf(s, "%s{\"SubnetId\": \"subnet-%017x\", \"VpcId\": \"vpc-0000000000000000a\", "
            "\"CidrBlock\": \"10.%d.%d.0/24\"}", t ? ",\n" : "", t, t / 256, t % 256);
    fprintf(a, "%s{\"NetworkAclId\": \"acl-%017x\", \"VpcId\": \"vpc-0000000000000000a\", "
            "\"Associations\": [{\"SubnetId\": \"subnet-%017x\"}], \"Entries\": ["
            "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", "
            "\"Egress\": false, \"CidrBlock\": \"0.0.0.0/0\"},"
            "{\"RuleNumber\": 32767, \"Protocol\": \"-1\", \"RuleAction\": \"deny\", "
            "\"Egress\": false, \"CidrBlock\": \"0.0.0.0/0\"}]}", t ? ",\n" : "", t, t);
  }
  fputs("\n]}\n", f);
  fputs("\n]}\n", s);
  fputs("\n]}\n", a);
done:
  if(f)
    fclose(f);
  if(s)
    fclose(s);
  if(a)
    fclose(a);
}

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(p);
}

int main(int argc, char **argv)
{
  int scale = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 1;
  const char *tmp = getenv("TMPDIR");
  char dir[512];
  double best = 1e18, total = 0;
  size_t rules = 0, bytes = 0;
  int runs = 5, rc = 0;
  if(scale < 1)
    scale = 1;
  snprintf(root, sizeof(root), "%s/xd-bench-loader-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  if(!mkdtemp(root)) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(dir, sizeof(dir), "%s/222222222222", root);
  mkdir(dir, 0755);
  snprintf(dir, sizeof(dir), "%s/222222222222/us-east-1", root);
  mkdir(dir, 0755);
  write_sgs(1000 * scale, 10, 10);
  write_rtbs(2000 * scale, 10);
  for(int i = 0; i < runs; i++) {
    az_model m;
    xd_err e = {0};
    double t0 = xd_now_ms(), dt;
    if(az_snapshot_load(root, &m, &e) != XD_OK) {
      fprintf(stderr, "bench_loader: %s\n", e.msg);
      rc = 1;
      break;
    }
    dt = xd_now_ms() - t0;
    total += dt;
    if(dt < best)
      best = dt;
    rules = 0;
    for(size_t g = 0; g < m.n_sgs; g++)
      rules += m.sgs[g].n_ingress + m.sgs[g].n_egress;
    bytes = m.arena.total;
    if(i == 0)
      printf("loaded: %zu security groups, %zu rules, %zu route tables, "
             "%zu subnets, %zu network ACLs\n", m.n_sgs, rules,
             m.n_route_tables, m.n_subnets, m.n_nacls);
    az_model_free(&m);
  }
  if(!rc)
    printf("bench_loader: best %.1f ms, mean %.1f ms over %d loads; model "
           "%.1f MiB in the arena\n", best, total / runs, runs,
           (double)bytes / (1024.0 * 1024.0));
  nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
  return rc;
}
