/* The command-line builder every remediation goes through
 * (analyzer/findings/cmdline.h) and the identifier shapes it and the
 * loader check (analyzer/awsid.h). Quoting is compared with what Python's
 * shlex.quote writes for the same words (with its '"'"' for a quote
 * written '\'' as POSIX sh reads the same). */
#include <string.h>

#include "analyzer/awsid.h"
#include "analyzer/findings/cmdline.h"
#include "check.h"

/* The line for the single word w. */
static void one_word(const char *w, const char *want)
{
  az_cmd c;
  az_cmd_init(&c);
  az_cmd_arg(&c, w);
  CHECK_STR(az_cmd_line(&c), want);
  az_cmd_free(&c);
}

static void test_quoting(void)
{
  /* shlex.quote: unquoted when all of [A-Za-z0-9_@%+=:,./-] */
  one_word("sg-0123456789abcdef0", "sg-0123456789abcdef0");
  one_word("IpProtocol=tcp,FromPort=8998,ToPort=8998",
           "IpProtocol=tcp,FromPort=8998,ToPort=8998");
  one_word("a%b@c+d", "a%b@c+d");
  one_word("", "''");
  one_word("two words", "'two words'");
  one_word("$(touch /tmp/x)", "'$(touch /tmp/x)'");
  one_word("`id`", "'`id`'");
  one_word("a;b|c&d", "'a;b|c&d'");
  one_word("it's", "'it'\\''s'");
  one_word("'", "''\\'''");
  one_word("\"$HOME\"", "'\"$HOME\"'");
  one_word("{\"Value\":true}", "'{\"Value\":true}'");
  one_word("caf\xc3\xa9", "'caf\xc3\xa9'"); /* not ASCII: quoted, as shlex */
  one_word("*", "'*'");
  one_word("~root", "'~root'");
  one_word("[a]", "'[a]'");
  one_word("a\\b", "'a\\b'");
  one_word("#x", "'#x'");
}

static void test_refusals(void)
{
  az_cmd c;
  static const char *const bad[] = {"a\nb", "tab\there", "esc\x1b[2J",
                                    "cr\r", "del\x7f"};
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    az_cmd_init(&c);
    az_cmd_args(&c, "aws", "emr", "create-cluster", "--name", bad[i], NULL);
    CHECK(az_cmd_line(&c) == NULL);
    CHECK_CONTAINS(az_cmd_why(&c), "control character");
    /* the reason is one clean line itself */
    CHECK(az_cmd_why(&c) && !strpbrk(az_cmd_why(&c), "\n\r\t\x1b\x7f"));
    az_cmd_free(&c);
  }
  /* an id of the wrong shape refuses the command, naming it */
  az_cmd_init(&c);
  az_cmd_args(&c, "aws", "ec2", "create-route", "--route-table-id", NULL);
  az_cmd_id(&c, AZ_ID_RTB, "rtb-0abc$(id)");
  az_cmd_arg(&c, "--more");
  CHECK(az_cmd_line(&c) == NULL);
  CHECK_CONTAINS(az_cmd_why(&c), "\"rtb-0abc$(id)\" is not a route table id");
  az_cmd_free(&c);
  /* a value that is not known */
  az_cmd_init(&c);
  az_cmd_args(&c, "aws", "iam", "create-role", "--role-name", NULL);
  az_cmd_arg(&c, NULL);
  CHECK(az_cmd_line(&c) == NULL);
  CHECK(az_cmd_why(&c) != NULL);
  az_cmd_free(&c);
  /* check-only: appends nothing, refuses on a bad shape */
  az_cmd_init(&c);
  az_cmd_arg(&c, "aws");
  az_cmd_check(&c, AZ_ID_ACCOUNT, "222222222222");
  CHECK_STR(az_cmd_line(&c), "aws");
  az_cmd_check(&c, AZ_ID_ACCOUNT, "22222222222x");
  CHECK(az_cmd_line(&c) == NULL);
  az_cmd_free(&c);
  /* empty: nothing to give */
  az_cmd_init(&c);
  CHECK(az_cmd_line(&c) == NULL);
  CHECK(az_cmd_why(&c) == NULL);
  az_cmd_free(&c);
}

static void test_structure(void)
{
  az_cmd c, q;
  az_cmd_init(&c);
  az_cmd_args(&c, "mkdir", "-p", "/d", NULL);
  az_cmd_and(&c);
  az_cmd_args(&c, "mv", "--", "/a b", "/d/f", NULL);
  CHECK_STR(az_cmd_line(&c), "mkdir -p /d && mv -- '/a b' /d/f");
  az_cmd_free(&c);

  az_cmd_init(&c);
  az_cmd_args(&c, "printf", "%s\\n", "{\"a\":\"it's\"}", NULL);
  az_cmd_to_file(&c, "/home/u/x y.json");
  CHECK_STR(az_cmd_line(&c),
            "printf '%s\\n' '{\"a\":\"it'\\''s\"}' > '/home/u/x y.json'");
  az_cmd_free(&c);

  az_cmd_init(&c);
  az_cmd_init(&q);
  az_cmd_args(&q, "aws", "ec2", "describe-vpcs", "--query", "A[?B==`\"x\"`]",
              NULL);
  az_cmd_args(&c, "aws", "ec2", "disassociate-vpc-cidr-block",
              "--association-id", NULL);
  az_cmd_output_of(&c, &q);
  az_cmd_region(&c, "us-east-1");
  CHECK_STR(az_cmd_line(&c),
            "aws ec2 disassociate-vpc-cidr-block --association-id "
            "\"$(aws ec2 describe-vpcs --query 'A[?B==`\"x\"`]')\" "
            "--region us-east-1");
  az_cmd_free(&q);
  /* a refused inner command refuses the outer one */
  az_cmd_init(&q);
  az_cmd_arg(&q, "bad\n");
  az_cmd_output_of(&c, &q);
  CHECK(az_cmd_line(&c) == NULL);
  az_cmd_free(&q);
  az_cmd_free(&c);

  /* free text that looks like an option stays the option's value */
  az_cmd_init(&c);
  az_cmd_opt(&c, "--name", "-x y");
  az_cmd_opt(&c, "--release-label", "emr-7.1.0");
  CHECK_STR(az_cmd_line(&c), "'--name=-x y' --release-label emr-7.1.0");
  az_cmd_region(&c, "us-east-1;id");
  CHECK(az_cmd_line(&c) == NULL);
  az_cmd_free(&c);

  az_cmd_init(&c);
  az_cmd_argf(&c, "From=%d,To=%d", 1024, 65535);
  CHECK_STR(az_cmd_line(&c), "From=1024,To=65535");
  az_cmd_free(&c);
}

static void test_shapes(void)
{
  static const struct {
    az_id_kind k;
    const char *v;
    bool ok;
  } t[] = {
      {AZ_ID_SG, "sg-0123456789abcdef0", true},
      {AZ_ID_SG, "sg-01234567", true},
      {AZ_ID_SG, "sg-0123456", false},
      {AZ_ID_SG, "sg-0123456789abcdef", false},     /* 16 */
      {AZ_ID_SG, "sg-0123456789ABCDEF0", false},    /* upper case */
      {AZ_ID_SG, "sg-0123456789abcdef0 ", false},
      {AZ_ID_SG, "sg-01234567$(id)", false},
      {AZ_ID_SG, "rtb-0123456789abcdef0", false},
      {AZ_ID_RTB, "rtb-0123456789abcdef0", true},
      {AZ_ID_ACL, "acl-0123abcd", true},
      {AZ_ID_PCX, "pcx-0123456789abcdef0", true},
      {AZ_ID_VPC, "vpc-0123456789abcdef0", true},
      {AZ_ID_VPC, "vpc-0123456789abcdef0\n", false},
      {AZ_ID_SUBNET, "subnet-0123456789abcdef0", true},
      {AZ_ID_ENI, "eni-0123456789abcdef0", true},
      {AZ_ID_VPCE, "vpce-0123456789abcdef0", true},
      {AZ_ID_DOPT, "dopt-0123abcd", true},
      {AZ_ID_PL, "pl-63a5400a", true},
      {AZ_ID_INSTANCE, "i-0123456789abcdef0", true},
      {AZ_ID_CLUSTER, "j-1ABCDEFGHIJK1", true},
      {AZ_ID_CLUSTER, "j-1abcdefghijk1", false},
      {AZ_ID_CLUSTER, "j-", false},
      {AZ_ID_CLUSTER, "j-ABC;id", false},
      {AZ_ID_ACCOUNT, "111111111111", true},
      {AZ_ID_ACCOUNT, "11111111111", false},
      {AZ_ID_ACCOUNT, "11111111111a", false},
      {AZ_ID_REGION, "us-east-1", true},
      {AZ_ID_REGION, "us-gov-west-1", true},
      {AZ_ID_REGION, "ap-southeast-3", true},
      {AZ_ID_REGION, "us-east", false},
      {AZ_ID_REGION, "us-east-1;", false},
      {AZ_ID_REGION, "US-EAST-1", false},
      {AZ_ID_DOMAIN, "d-abcdefghij12", true},
      {AZ_ID_DOMAIN, "d-ABC", false},
      {AZ_ID_ROLE_NAME, "emr-discovery_role+=,.@", true},
      {AZ_ID_ROLE_NAME, "a b", false},
      {AZ_ID_ROLE_NAME, "x$(id)", false},
      {AZ_ID_ROLE_NAME, "", false},
      {AZ_ID_ROLE_NAME,
       "a1234567890123456789012345678901234567890123456789012345678901234",
       false}, /* 65 */
      {AZ_ID_POLICY_NAME, "AmazonEMRReadOnly", true},
      {AZ_ID_IAM_PATH, "/", true},
      {AZ_ID_IAM_PATH, "/service-role/", true},
      {AZ_ID_IAM_PATH, "/$(x)/", true}, /* IAM allows it: quoting must hold */
      {AZ_ID_IAM_PATH, "/a b/", false},
      {AZ_ID_IAM_PATH, "//", false},
      {AZ_ID_IAM_PATH, "service-role/", false},
      {AZ_ID_ARN, "arn:aws:elasticmapreduce:us-east-1:222222222222:cluster/j-1",
       true},
      {AZ_ID_ARN, "arn:aws:s3:::bucket", true},
      {AZ_ID_ARN, "arn:aws:s3:::", false},
      {AZ_ID_ARN, "arn:aws:s3:::a b", false},
      {AZ_ID_ARN, "arn:evil:s3:::a", false},
      {AZ_ID_ROLE_ARN, "arn:aws:iam::222222222222:role/emr-discovery", true},
      {AZ_ID_ROLE_ARN, "arn:aws-cn:iam::222222222222:role/p/q/NAME", true},
      {AZ_ID_ROLE_ARN, "arn:aws:iam::222222222222:role/$(x)/NAME", true},
      {AZ_ID_ROLE_ARN, "arn:aws:iam::222222222222:role/NA;ME", false},
      {AZ_ID_ROLE_ARN, "arn:aws:iam::222222222222:user/NAME", false},
      {AZ_ID_ROLE_ARN, "arn:aws:iam::aws:role/NAME", false},
      {AZ_ID_ROLE_ARN, "arn:aws:iam:us-east-1:222222222222:role/NAME", false},
      {AZ_ID_ROLE_ARN, "arn:aws:iam::222222222222:role/", false},
      {AZ_ID_POLICY_ARN, "arn:aws:iam::aws:policy/AmazonEMRReadOnly", true},
      {AZ_ID_POLICY_ARN, "arn:aws:iam::222222222222:policy/x/y", true},
      {AZ_ID_POLICY_ARN, "arn:aws:iam::222222222222:policy/y z", false},
  };
  for(size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    if(az_id_ok(t[i].k, t[i].v) != t[i].ok)
      fprintf(stderr, "shape %d of \"%s\": want %s\n", (int)t[i].k, t[i].v,
                      t[i].ok ? "ok" : "refused");
    CHECK(az_id_ok(t[i].k, t[i].v) == t[i].ok);
  }
  CHECK(!az_id_ok(AZ_ID_SG, NULL));
  for(int k = 0; k < AZ_ID_KINDS; k++)
    CHECK(az_id_what((az_id_kind)k) && *az_id_what((az_id_kind)k));
}

int main(void)
{
  test_quoting();
  test_refusals();
  test_structure();
  test_shapes();
  return CHECK_DONE();
}
