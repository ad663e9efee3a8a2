/* The identifier shapes of awsid.h, after the AWS API references: EC2
 * resource ids are a prefix and 8 (older) or 17 lowercase hex digits, EMR
 * cluster ids "j-" and uppercase letters and digits, IAM names and paths
 * what IAM's CreateRole/CreatePolicy accept, ARNs
 * arn:partition:service:region:account:resource. */
#include "awsid.h"

#include <string.h>

static const struct {
  const char *prefix, *what;
} ec2[] = {
    [AZ_ID_SG] = {"sg-", "a security group id (sg- and 8 or 17 lowercase hex digits)"},
    [AZ_ID_RTB] = {"rtb-", "a route table id (rtb- and 8 or 17 lowercase hex digits)"},
    [AZ_ID_ACL] = {"acl-", "a network ACL id (acl- and 8 or 17 lowercase hex digits)"},
    [AZ_ID_PCX] = {"pcx-", "a VPC peering connection id (pcx- and 8 or 17 lowercase hex digits)"},
    [AZ_ID_VPC] = {"vpc-", "a VPC id (vpc- and 8 or 17 lowercase hex digits)"},
    [AZ_ID_SUBNET] = {"subnet-", "a subnet id (subnet- and 8 or 17 lowercase hex digits)"},
    [AZ_ID_ENI] = {"eni-", "a network interface id (eni- and 8 or 17 lowercase hex digits)"},
    [AZ_ID_VPCE] = {"vpce-", "a VPC endpoint id (vpce- and 8 or 17 lowercase hex digits)"},
    [AZ_ID_DOPT] = {"dopt-", "a DHCP options set id (dopt- and 8 or 17 lowercase hex digits)"},
    [AZ_ID_PL] = {"pl-", "a prefix list id (pl- and 8 or 17 lowercase hex digits)"},
    [AZ_ID_INSTANCE] = {"i-", "an EC2 instance id (i- and 8 or 17 lowercase hex digits)"},
};
#define N_EC2 (sizeof(ec2) / sizeof(ec2[0]))

static bool in(char c, const char *lo_hi_pairs)
{
  for(const char *p = lo_hi_pairs; p[0] && p[1]; p += 2)
    if(c >= p[0] && c <= p[1])
      return true;
  return false;
}

/* s[0..n) all in the ranges, and n within lo..hi. */
static bool run(const char *s, size_t n, size_t lo, size_t hi,
                const char *ranges)
{
  if(n < lo || n > hi)
    return false;
  for(size_t i = 0; i < n; i++)
    if(!in(s[i], ranges))
      return false;
  return true;
}

#define HEX "09af"
#define UPPER_ALNUM "09AZ"
#define LOWER_ALNUM "09az"
#define PRINTABLE "!~" /* 0x21..0x7e: no space, no control character */

static bool iam_name(const char *s, size_t n, size_t max)
{
  if(n < 1 || n > max)
    return false;
  for(size_t i = 0; i < n; i++)
    if(!in(s[i], "09azAZ") && !strchr("+=,.@_-", s[i]))
      return false;
  return true;
}

static bool iam_path(const char *s, size_t n)
{
  if(n < 1 || n > 512 || s[0] != '/' || s[n - 1] != '/')
    return false;
  return n == 1 || run(s + 1, n - 2, 1, 510, PRINTABLE);
}

static bool region(const char *s, size_t n)
{
  /* two letters, one or more -word parts, then -digits */
  size_t i = 0, parts = 0;
  if(n < 6 || n > 32 || !run(s, 2, 2, 2, "az"))
    return false;
  i = 2;
  while(i < n) {
    size_t k;
    if(s[i] != '-')
      return false;
    for(k = ++i; k < n && in(s[k], "az09"); k++)
      ;
    if(k == i)
      return false;
    parts++;
    if(k == n)
      return parts >= 2 && run(s + i, k - i, 1, 3, "09");
    if(!run(s + i, k - i, 1, 20, "az"))
      return false;
    i = k;
  }
  return false;
}

/* The six fields of an ARN; false when it is not one. */
typedef struct {
  const char *part, *svc, *reg, *acct, *res;
  size_t n_part, n_svc, n_reg, n_acct, n_res;
} arn_parts;

static bool arn_split(const char *s, arn_parts *a)
{
  const char *f[5];
  size_t n = strlen(s);
  if(strncmp(s, "arn:", 4) || n > 2048)
    return false;
  f[0] = s + 4;
  for(int i = 1; i < 5; i++) {
    const char *c = strchr(f[i - 1], ':');
    if(!c)
      return false;
    f[i] = c + 1;
  }
  a->part = f[0], a->n_part = (size_t)(f[1] - f[0] - 1);
  a->svc = f[1], a->n_svc = (size_t)(f[2] - f[1] - 1);
  a->reg = f[2], a->n_reg = (size_t)(f[3] - f[2] - 1);
  a->acct = f[3], a->n_acct = (size_t)(f[4] - f[3] - 1);
  a->res = f[4], a->n_res = strlen(f[4]);
  return !strncmp(a->part, "aws", 3) &&
         run(a->part, a->n_part, 3, 32, LOWER_ALNUM "--") &&
         run(a->svc, a->n_svc, 1, 64, LOWER_ALNUM "--") &&
         (a->n_reg == 0 || region(a->reg, a->n_reg)) &&
         (a->n_acct == 0 || run(a->acct, a->n_acct, 12, 12, "09") ||
          (a->n_acct == 3 && !strncmp(a->acct, "aws", 3))) &&
         run(a->res, a->n_res, 1, 2048, PRINTABLE);
}

/* arn:P:iam::ACCOUNT:<type>/path/NAME */
static bool iam_arn(const char *s, const char *type, size_t max_name,
                    bool aws_owned)
{
  arn_parts a;
  size_t tl = strlen(type);
  const char *slash;
  if(!arn_split(s, &a) || a.n_svc != 3 || strncmp(a.svc, "iam", 3) ||
     a.n_reg != 0 || (a.n_acct != 12 && !aws_owned) || a.n_acct == 0 ||
     strncmp(a.res, type, tl) || a.res[tl] != '/')
    return false;
  slash = strrchr(a.res, '/');
  return iam_path(a.res + tl, (size_t)(slash - (a.res + tl)) + 1) &&
         iam_name(slash + 1, strlen(slash + 1), max_name);
}

/* Resolver's ids: one of the prefixes and 17 hex digits, or (auto) the
 * autodefined prefix and lowercase words joined by '-'
 * ("rslvr-autodefined-assoc-vpc-0a1b2c3d4e5f60718-internet-resolver"). */
static bool resolver_id(const char *s, size_t n, const char *p1,
                        const char *p2, const char *autodef)
{
  size_t l1 = strlen(p1), l2 = p2 ? strlen(p2) : 0, la;
  if(!strncmp(s, p1, l1))
    return run(s + l1, n - l1, 17, 17, HEX);
  if(p2 && !strncmp(s, p2, l2))
    return run(s + l2, n - l2, 17, 17, HEX);
  la = autodef ? strlen(autodef) : 0;
  return autodef && !strncmp(s, autodef, la) &&
         run(s + la, n - la, 1, 100, LOWER_ALNUM "--") && s[n - 1] != '-';
}

bool az_id_ok(az_id_kind kind, const char *s)
{
  size_t n;
  if(!s)
    return false;
  n = strlen(s);
  if((size_t)kind < N_EC2 && ec2[kind].prefix) {
    size_t pl = strlen(ec2[kind].prefix);
    return !strncmp(s, ec2[kind].prefix, pl) &&
           (n - pl == 8 || n - pl == 17) && run(s + pl, n - pl, 8, 17, HEX);
  }
  switch(kind) {
  case AZ_ID_CLUSTER:
    return !strncmp(s, "j-", 2) && run(s + 2, n - 2, 1, 64, UPPER_ALNUM);
  case AZ_ID_ACCOUNT:
    return run(s, n, 12, 12, "09");
  case AZ_ID_REGION:
    return region(s, n);
  case AZ_ID_DOMAIN:
    return !strncmp(s, "d-", 2) && run(s + 2, n - 2, 1, 63, LOWER_ALNUM);
  case AZ_ID_ROLE_NAME:
    return iam_name(s, n, 64);
  case AZ_ID_POLICY_NAME:
    return iam_name(s, n, 128);
  case AZ_ID_IAM_PATH:
    return iam_path(s, n);
  case AZ_ID_ARN: {
    arn_parts a;
    return arn_split(s, &a);
  }
  case AZ_ID_ROLE_ARN:
    return iam_arn(s, "role", 64, false);
  case AZ_ID_POLICY_ARN:
    return iam_arn(s, "policy", 128, true);
  case AZ_ID_RESOLVER_RULE:
    return resolver_id(s, n, "rslvr-rr-", NULL, "rslvr-autodefined-rr-");
  case AZ_ID_RESOLVER_ASSOC:
    return resolver_id(s, n, "rslvr-rrassoc-", NULL,
                       "rslvr-autodefined-assoc-");
  case AZ_ID_RESOLVER_ENDPOINT:
    return resolver_id(s, n, "rslvr-in-", "rslvr-out-", NULL);
  default:
    return false;
  }
}

const char *az_id_what(az_id_kind kind)
{
  static const char *const other[] = {
      [AZ_ID_CLUSTER] = "an EMR cluster id (j- and uppercase letters or "
                        "digits)",
      [AZ_ID_ACCOUNT] = "a 12-digit AWS account id",
      [AZ_ID_REGION] = "an AWS Region name (like us-east-1)",
      [AZ_ID_DOMAIN] = "a SageMaker domain id (d- and lowercase letters or "
                       "digits)",
      [AZ_ID_ROLE_NAME] = "an IAM role name (1 to 64 of A-Z a-z 0-9 "
                          "+=,.@_-)",
      [AZ_ID_POLICY_NAME] = "an IAM policy name (1 to 128 of A-Z a-z 0-9 "
                            "+=,.@_-)",
      [AZ_ID_IAM_PATH] = "an IAM path (\"/\", or printable characters "
                         "between slashes)",
      [AZ_ID_ARN] = "an ARN (arn:partition:service:region:account:"
                    "resource)",
      [AZ_ID_ROLE_ARN] = "an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
      [AZ_ID_POLICY_ARN] = "an IAM policy ARN (arn:aws:iam::ACCOUNT:"
                           "policy/NAME)",
      [AZ_ID_RESOLVER_RULE] = "a Route 53 Resolver rule id (rslvr-rr- and "
                              "17 lowercase hex digits)",
      [AZ_ID_RESOLVER_ASSOC] = "a Route 53 Resolver rule association id "
                               "(rslvr-rrassoc- and 17 lowercase hex "
                               "digits)",
      [AZ_ID_RESOLVER_ENDPOINT] = "a Route 53 Resolver endpoint id "
                                  "(rslvr-in- or rslvr-out- and 17 "
                                  "lowercase hex digits)",
  };
  if((size_t)kind < N_EC2 && ec2[kind].prefix)
    return ec2[kind].what;
  if((size_t)kind < sizeof(other) / sizeof(other[0]) && other[kind])
    return other[kind];
  return "an AWS identifier";
}
