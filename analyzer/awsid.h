/* analyzer/awsid.h: the shapes of the AWS identifiers the analyzer reads.
 * A snapshot or intent is outside input that ends up in commands people
 * paste into a shell, so an identifier that does not look like one AWS
 * issues is bad input (the loader refuses it, exit 3), never something to
 * quote and carry along. Free text (names, tags, descriptions) has no
 * shape and is not checked here; the command builder quotes it. */
#ifndef AZ_AWSID_H
#define AZ_AWSID_H

#include <stdbool.h>

typedef enum {
  AZ_ID_SG,          /* sg-   + 8 or 17 lowercase hex digits */
  AZ_ID_RTB,         /* rtb-  ... */
  AZ_ID_ACL,         /* acl- */
  AZ_ID_PCX,         /* pcx- */
  AZ_ID_VPC,         /* vpc- */
  AZ_ID_SUBNET,      /* subnet- */
  AZ_ID_ENI,         /* eni- */
  AZ_ID_VPCE,        /* vpce- */
  AZ_ID_DOPT,        /* dopt- */
  AZ_ID_PL,          /* pl- */
  AZ_ID_INSTANCE,    /* i- */
  AZ_ID_CLUSTER,     /* j- + 1 to 64 uppercase letters and digits */
  AZ_ID_ACCOUNT,     /* 12 digits */
  AZ_ID_REGION,      /* us-east-1, cn-north-1, us-gov-west-1 ... */
  AZ_ID_DOMAIN,      /* d- + 1 to 63 lowercase letters and digits */
  AZ_ID_ROLE_NAME,   /* IAM: [A-Za-z0-9+=,.@_-]{1,64} */
  AZ_ID_POLICY_NAME, /* IAM: [A-Za-z0-9+=,.@_-]{1,128} */
  AZ_ID_IAM_PATH,    /* IAM: "/" or "/" [\x21-\x7e]+ "/", at most 512 */
  AZ_ID_ARN,         /* arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE */
  AZ_ID_ROLE_ARN,    /* arn:PARTITION:iam::ACCOUNT:role PATH NAME */
  AZ_ID_POLICY_ARN,  /* arn:PARTITION:iam::ACCOUNT|aws:policy PATH NAME */
  /* Route 53 Resolver: a prefix and 17 lowercase hex digits, or the
   * rules and associations Resolver defines itself
   * ("rslvr-autodefined-rr-internet-resolver") */
  AZ_ID_RESOLVER_RULE,     /* rslvr-rr- | rslvr-autodefined-rr- */
  AZ_ID_RESOLVER_ASSOC,    /* rslvr-rrassoc- | rslvr-autodefined-assoc- */
  AZ_ID_RESOLVER_ENDPOINT, /* rslvr-in- | rslvr-out- */
  AZ_ID_KINDS
} az_id_kind;

/* Whether s (may be NULL: false) has the shape of kind. */
bool az_id_ok(az_id_kind kind, const char *s);

/* What an identifier of kind looks like, to complete "is not ...":
 * "a security group id (sg- and 8 or 17 hex digits)". */
const char *az_id_what(az_id_kind kind);

#endif
