/* tests/loader/fuzz_snapshot.c: libFuzzer harness for the snapshot loader,
 * the parser of the outside input a customer sends. The first byte picks
 * which file of the layout the rest becomes; the loader then reads the
 * folder. Any crash, leak, hang or sanitizer report is a bug; an error
 * return is the expected answer to most inputs. Built with -DXD_FUZZ=ON
 * (clang), run by ctest -L fuzz for a bounded time. */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/snapshot.h"

static const char *const files[] = {
  "222222222222/us-east-1/ec2-describe-vpcs.json",
  "222222222222/us-east-1/ec2-describe-vpc-attribute--vpc-1--enableDnsSupport.json",
  "222222222222/us-east-1/ec2-describe-subnets.json",
  "222222222222/us-east-1/ec2-describe-route-tables.json",
  "222222222222/us-east-1/ec2-describe-security-groups.json",
  "222222222222/us-east-1/ec2-describe-network-acls.json",
  "222222222222/us-east-1/ec2-describe-vpc-peering-connections.json",
  "222222222222/us-east-1/ec2-describe-network-interfaces.json",
  "222222222222/us-east-1/ec2-describe-managed-prefix-lists.json",
  "222222222222/us-east-1/ec2-get-managed-prefix-list-entries--pl-1.json",
  "222222222222/us-east-1/emr-describe-cluster--j-1.json",
  "222222222222/us-east-1/emr-list-instances--j-1.json",
  "222222222222/us-east-1/emr-describe-security-configuration--s.json",
  "222222222222/us-east-1/sagemaker-describe-domain--d-1.json",
  "222222222222/iam-get-account-authorization-details.json",
  "222222222222/studio-emr-discovery-iam-role-arns.json",
};
#define N_FILES (sizeof(files) / sizeof(files[0]))
/* A first byte '@' picks fetch-errors.json at the top of the folder; the
 * others keep picking files[] by byte % N_FILES, so corpora keep their
 * meaning. */
#define FETCH_ERRORS_BYTE '@'
/* Issue 19's DNS files, picked by first bytes DNS_BYTE + i (files[] keeps
 * its length, so old corpora keep their meaning). */
static const char *const files_dns[] = {
  "222222222222/us-east-1/ec2-describe-dhcp-options.json",
  "222222222222/us-east-1/route53resolver-list-resolver-rules.json",
  "222222222222/us-east-1/route53resolver-list-resolver-rule-associations.json",
};
#define DNS_BYTE 0xD0
#define N_DNS (sizeof(files_dns) / sizeof(files_dns[0]))
/* '#' picks the VPC endpoints file (issue 19), for the same reason. */
#define VPCE_BYTE '#'
#define VPCE_FILE "222222222222/us-east-1/ec2-describe-vpc-endpoints.json"

static char root[256];

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(p);
}

/* libFuzzer ends with exit(): leave no folder behind */
static void cleanup(void)
{
  nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int setup(void)
{
  char dir[512];
  const char *tmp = getenv("TMPDIR");
  snprintf(root, sizeof(root), "%s/xd-fuzz-snapshot-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  if(!mkdtemp(root))
    return -1;
  atexit(cleanup);
  snprintf(dir, sizeof(dir), "%s/222222222222", root);
  mkdir(dir, 0755);
  snprintf(dir, sizeof(dir), "%s/222222222222/us-east-1", root);
  return mkdir(dir, 0755);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static int ready;
  char path[512];
  FILE *f;
  az_model m;
  xd_err e = {0};
  if(!ready) {
    if(setup() != 0)
      abort();
    ready = 1;
  }
  if(size < 1)
    return 0;
  snprintf(path, sizeof(path), "%s/%s", root,
           data[0] == FETCH_ERRORS_BYTE ? "fetch-errors.json"
           : data[0] == VPCE_BYTE ? VPCE_FILE
           : data[0] >= DNS_BYTE && data[0] < DNS_BYTE + N_DNS
               ? files_dns[data[0] - DNS_BYTE]
               : files[data[0] % N_FILES]);
  f = fopen(path, "wb");
  if(!f)
    abort();
  fwrite(data + 1, 1, size - 1, f);
  fclose(f);
  if(az_snapshot_load(root, &m, &e) == XD_OK)
    az_model_free(&m);
  else if(!e.msg[0])
    abort(); /* every error must say something */
  unlink(path);
  return 0;
}
