/* analyzer/model.h: the VPC world of every account in a snapshot, as the
 * analyzer reasons about it.
 *
 * Everything lives in one arena (az_model.arena) and is freed at once by
 * az_model_free(); no pointer into the model may outlive it. Strings are
 * NUL-terminated and never NULL unless the comment says "or NULL" (absent in
 * the snapshot). Arrays come with their counts. The loader fills this from
 * the AWS CLI JSON of a snapshot folder (analyzer/snapshot.h); nothing here
 * knows about files or the network. */
#ifndef AZ_MODEL_H
#define AZ_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "../common/arena.h"
#include "../common/netaddr.h"

/* A yes/no the snapshot may not answer. */
typedef enum { AZ_UNKNOWN = -1, AZ_NO = 0, AZ_YES = 1 } az_tri;

/* Where a model element came from: the snapshot file, relative to the
 * snapshot folder ("222222222222/us-east-1/ec2-describe-vpcs.json"). */
typedef const char *az_source;

typedef struct {
  char *id;          /* "vpc-..." */
  char *account;     /* the account folder it was read from */
  char *owner;       /* OwnerId, or NULL */
  char *region;
  bool is_default;
  char *state;       /* "available", or NULL */
  xd_cidr *cidrs;    /* IPv4 blocks in state "associated" (primary first) */
  size_t n_cidrs;
  xd_cidr *cidrs6;   /* IPv6 blocks in state "associated" */
  size_t n_cidrs6;
  az_tri dns_support;    /* enableDnsSupport; AZ_UNKNOWN without its file */
  az_tri dns_hostnames;  /* enableDnsHostnames */
  char *dhcp_options_id; /* DhcpOptionsId: "dopt-...", "default", or NULL */
  az_source src;
} az_vpc;

typedef struct {
  char *id;          /* "subnet-..." */
  char *vpc_id;
  char *account, *owner, *region;
  char *az;          /* AvailabilityZone, or NULL */
  xd_cidr cidr;      /* IPv4 block */
  xd_cidr *cidrs6;
  size_t n_cidrs6;
  bool map_public_ip;
  az_source src;
} az_subnet;

typedef enum {
  AZ_RT_LOCAL, AZ_RT_IGW, AZ_RT_EIGW, AZ_RT_NAT, AZ_RT_PCX, AZ_RT_TGW,
  AZ_RT_INSTANCE, AZ_RT_ENI, AZ_RT_VGW, AZ_RT_VPCE, AZ_RT_CARRIER,
  AZ_RT_LOCAL_GW, AZ_RT_CORE_NETWORK, AZ_RT_OTHER
} az_route_target;

typedef enum { AZ_RT_ACTIVE, AZ_RT_BLACKHOLE } az_route_state;

typedef struct {
  bool has_cidr;     /* destination is dest (IPv4 or IPv6) ... */
  xd_cidr dest;
  char *prefix_list; /* ... or a managed prefix list id (or NULL) */
  az_route_target target;
  char *target_id;   /* "local", "pcx-...", "igw-...", ... */
  az_route_state state;
  char *origin;      /* CreateRouteTable, CreateRoute, ..., or NULL */
} az_route;

typedef struct {
  char *id;          /* "rtb-..." */
  char *vpc_id;
  char *account, *owner, *region;
  bool is_main;      /* an association with Main: true */
  char **subnet_ids; /* explicit subnet associations */
  size_t n_subnet_ids;
  az_route *routes;
  size_t n_routes;
  az_source src;
} az_route_table;

/* Protocol numbers as AWS writes them; -1 is "all". */
#define AZ_PROTO_ALL (-1)
#define AZ_PROTO_ICMP 1
#define AZ_PROTO_TCP 6
#define AZ_PROTO_UDP 17
#define AZ_PROTO_ICMPV6 58

typedef enum {
  AZ_PEER_CIDR4, AZ_PEER_CIDR6, AZ_PEER_GROUP, AZ_PEER_PREFIX_LIST
} az_peer_kind;

/* One source (ingress) or destination (egress) of a security group rule.
 * AWS groups several into one IpPermission; the loader flattens them, one
 * az_sg_rule per source, each keeping the permission's protocol and ports. */
typedef struct {
  int proto;         /* AZ_PROTO_ALL, 6, 17, 1, 58 or another number */
  int from_port;     /* -1 when the protocol has no ports (all) */
  int to_port;
  az_peer_kind kind;
  xd_cidr cidr;      /* kind CIDR4/CIDR6 */
  char *group_id;    /* kind GROUP: "sg-..." */
  char *user_id;     /* kind GROUP: the group's account, or NULL */
  char *vpc_id;      /* kind GROUP: or NULL */
  char *peering_id;  /* kind GROUP: VpcPeeringConnectionId, or NULL */
  char *peering_status; /* kind GROUP: PeeringStatus, or NULL */
  char *prefix_list; /* kind PREFIX_LIST: "pl-..." */
  char *description; /* or NULL */
} az_sg_rule;

typedef struct {
  char *id;          /* "sg-..." */
  char *name;
  char *description;
  char *vpc_id;
  char *account, *owner, *region;
  az_sg_rule *ingress;
  size_t n_ingress;
  az_sg_rule *egress;
  size_t n_egress;
  az_source src;
} az_sg;

typedef struct {
  int rule_number;   /* 1..32766, 32767 is the "*" rule */
  bool egress;
  bool allow;
  int proto;         /* AZ_PROTO_ALL or a number */
  xd_cidr cidr;      /* CidrBlock or Ipv6CidrBlock */
  int from_port;     /* -1 when absent (all ports) */
  int to_port;
  int icmp_type, icmp_code; /* -1 when absent */
} az_nacl_entry;

typedef struct {
  char *id;          /* "acl-..." */
  char *vpc_id;
  char *account, *owner, *region;
  bool is_default;
  az_nacl_entry *entries; /* in the file's order; evaluate by rule_number */
  size_t n_entries;
  char **subnet_ids; /* Associations */
  size_t n_subnet_ids;
  az_source src;
} az_nacl;

typedef struct {
  char *owner;       /* OwnerId (account) */
  char *vpc_id;
  char *region;      /* or NULL */
  xd_cidr *cidrs;    /* CidrBlockSet (CidrBlock when the set is absent) */
  size_t n_cidrs;
  xd_cidr *cidrs6;
  size_t n_cidrs6;
  az_tri allow_dns_from_remote; /* PeeringOptions.AllowDnsResolutionFromRemoteVpc */
} az_pcx_side;

typedef struct {
  char *id;          /* "pcx-..." */
  char *account;     /* the account folder it was read from */
  char *region;
  char *status;      /* "active", "pending-acceptance", ... */
  char *status_message; /* or NULL */
  char *expiration;  /* ExpirationTime, or NULL */
  az_pcx_side requester;
  az_pcx_side accepter;
  az_source src;
} az_pcx;

typedef struct {
  char *id;          /* "eni-..." */
  char *account, *owner, *region;
  char *vpc_id, *subnet_id;
  char *private_ip;  /* primary, or NULL */
  char **private_ips;
  size_t n_private_ips;
  char *public_ip;   /* Association.PublicIp, or NULL */
  char **group_ids;
  size_t n_group_ids;
  char *description, *interface_type, *requester_id, *instance_id; /* or NULL */
  char *status;
  az_source src;
} az_eni;

typedef struct {
  char *id;          /* "pl-..." */
  char *name;        /* or NULL */
  char *account, *region;
  char *address_family; /* "IPv4"/"IPv6", or NULL */
  bool entries_known;   /* the get-managed-prefix-list-entries file was read */
  xd_cidr *cidrs;
  size_t n_cidrs;
  az_source src;
} az_prefix_list;

typedef struct {
  char *name;
  char *version;     /* or NULL */
} az_app;

typedef struct {
  char *key, *value;
} az_kv;

/* An EMR configuration classification ("livy-conf") with its properties;
 * nested Configurations are flattened after their parent. */
typedef struct {
  char *classification;
  az_kv *props;
  size_t n_props;
} az_emr_config;

typedef struct {
  char *id;          /* EMR "ci-..." */
  char *ec2_instance_id; /* or NULL */
  char *private_dns, *private_ip, *public_dns, *public_ip; /* or NULL */
  char *state;       /* Status.State, or NULL */
  char *group_id;    /* InstanceGroupId or InstanceFleetId, or NULL */
  char *instance_type; /* or NULL */
} az_emr_instance;

typedef struct {
  char *id;          /* "j-..." */
  char *name;
  char *account, *region;
  char *state;       /* Status.State: WAITING, RUNNING, ... */
  char *state_reason; /* Status.StateChangeReason.Message, or NULL */
  char *master_public_dns; /* MasterPublicDnsName, or NULL */
  char *release_label; /* or NULL */
  az_app *apps;
  size_t n_apps;
  az_emr_config *configs;
  size_t n_configs;
  char *security_configuration; /* name, or NULL */
  char *subnet_id;   /* Ec2InstanceAttributes.Ec2SubnetId, or NULL */
  char *az;          /* Ec2AvailabilityZone, or NULL */
  char *master_sg;   /* EmrManagedMasterSecurityGroup, or NULL */
  char **additional_master_sgs;
  size_t n_additional_master_sgs;
  char *service_access_sg; /* or NULL */
  bool instances_known; /* the emr-list-instances file was read */
  az_emr_instance *instances;
  size_t n_instances;
  az_source src;
} az_cluster;

typedef struct {
  char *name;
  char *account, *region;
  cJSON *config;     /* the SecurityConfiguration document (parsed), or NULL */
  az_tri kerberos;   /* AuthenticationConfiguration.KerberosConfiguration */
  az_source src;
} az_secconf;

typedef struct {
  char *id;          /* "d-..." */
  char *name;        /* or NULL */
  char *account, *region;
  char *status;      /* or NULL */
  char *vpc_id;      /* or NULL */
  char **subnet_ids;
  size_t n_subnet_ids;
  char *app_network_access_type; /* "VpcOnly" | "PublicInternetOnly", or NULL */
  char **security_groups; /* DefaultUserSettings.SecurityGroups */
  size_t n_security_groups;
  char *execution_role;   /* DefaultUserSettings.ExecutionRole, or NULL */
  char **assumable_role_arns; /* ...JupyterLabAppSettings.EmrSettings */
  size_t n_assumable_role_arns;
  char **execution_role_arns;
  size_t n_execution_role_arns;
  /* DefaultSpaceSettings: what shared spaces use */
  char *space_execution_role;  /* or NULL */
  char **space_security_groups;
  size_t n_space_security_groups;
  az_source src;
} az_domain;

/* JupyterLabAppSettings.EmrSettings of a domain or user profile. has is
 * false when the settings do not hold the object at all. */
typedef struct {
  bool has;
  char **assumable_role_arns;
  size_t n_assumable_role_arns;
  char **execution_role_arns;
  size_t n_execution_role_arns;
} az_emr_settings;

/* A user profile (describe-user-profile): its UserSettings override or add
 * to the domain's DefaultUserSettings (see analyzer/studio/identity.h). */
typedef struct {
  char *domain_id, *name;
  char *arn;         /* UserProfileArn, or NULL */
  char *account, *region;
  char *status;      /* or NULL */
  char *execution_role; /* UserSettings.ExecutionRole, or NULL */
  char **security_groups; /* UserSettings.SecurityGroups */
  size_t n_security_groups;
  az_emr_settings emr;   /* UserSettings.JupyterLabAppSettings.EmrSettings */
  az_source src;
} az_user_profile;

/* A space (describe-space). */
typedef struct {
  char *domain_id, *name;
  char *arn;         /* SpaceArn, or NULL */
  char *account, *region;
  char *status;      /* or NULL */
  char *owner;       /* OwnershipSettings.OwnerUserProfileName, or NULL */
  char *sharing_type; /* SpaceSharingSettings.SharingType: Private|Shared, or NULL */
  char *app_type;    /* SpaceSettings.AppType, or NULL */
  az_source src;
} az_space;

typedef struct {
  char *name;
  cJSON *document;   /* the policy document, parsed (URL-decoded) */
} az_policy_doc;

typedef struct {
  char *name, *arn, *path, *role_id;
  char *account;
  cJSON *trust_policy; /* AssumeRolePolicyDocument, parsed, or NULL */
  az_policy_doc *inline_policies; /* RolePolicyList */
  size_t n_inline_policies;
  char **attached_policy_arns; /* AttachedManagedPolicies */
  size_t n_attached_policy_arns;
  char *boundary_arn; /* PermissionsBoundary.PermissionsBoundaryArn, or NULL */
  az_source src;
} az_role;

typedef struct {
  char *arn, *name;
  char *account;
  cJSON *document;   /* the default version's document, parsed, or NULL */
  az_source src;
} az_managed_policy;

/* The role file as copied into the snapshot. It is a user-edited file, so a
 * broken one is a finding, not a load error: the text and parse error are
 * kept for the analyzer to judge. */
typedef struct {
  char *account;     /* the Studio account folder it sits in */
  char *path;        /* snapshot-relative path */
  char *text;        /* the raw contents */
  cJSON *json;       /* parsed, or NULL when it does not parse */
  char *parse_error; /* with line, or NULL */
  az_source src;
} az_rolefile;

/* A file of the layout that the snapshot did not have: the report names it
 * as the file that would have answered. */
typedef struct {
  char *account, *region; /* region NULL for account-level files */
  char *file;        /* snapshot-relative path it would have had */
  char *what;        /* what it would have told, "VPCs", "route tables" */
} az_missing;

/* A call fetch (or docs/collect.sh) made that failed, as fetch-errors.json
 * records it. A refusal (AccessDenied and kin) is evidence: Studio meets
 * the same one when it goes through the discovery role. Fields absent
 * from the file are NULL; code and action are worked out from the AWS
 * CLI's message and call when collect.sh wrote the entry. */
typedef struct {
  char *account, *region; /* where the call went, or NULL */
  char *call;        /* "ec2 DescribeVpcs", "sts AssumeRole", "ec2 describe-vpcs" */
  char *action;      /* the IAM action, "ec2:DescribeVpcs" */
  char *file;        /* the snapshot file it would have written, or NULL */
  char *code;        /* "AccessDenied", "UnauthorizedOperation", ... */
  char *message;     /* fetch's sentence */
  char *aws_message; /* AWS's own text, or NULL */
  char *role;        /* whose access: a role ARN or "profile NAME" */
  char *access;      /* "discovery", "read", "profile", "caller", or NULL */
  char *caller;      /* for AssumeRole: who asked */
  bool optional;     /* a detail only: the file was written without it */
  bool refused;      /* the code says IAM refused it */
  az_source src;
} az_fetch_error;

/* DNS beyond the VPC attributes (issue 19): the DHCP options set a VPC
 * hands out (ec2 describe-dhcp-options) and the Route 53 Resolver rules
 * and their VPC associations (route53resolver list-resolver-rules,
 * list-resolver-rule-associations). */
typedef struct {
  char *id;          /* "dopt-..." */
  char *account, *owner, *region;
  char **servers;    /* domain-name-servers, in the order given */
  size_t n_servers;
  char *domain_name; /* domain-name (may hold several, space-separated), or NULL */
  az_source src;
} az_dhcp_options;

typedef struct {
  char *ip;
  long port;         /* 53 when absent */
} az_target_ip;

typedef struct {
  char *id;          /* "rslvr-rr-..." or "rslvr-autodefined-rr-..." */
  char *name, *domain_name; /* DomainName as AWS prints it ("example.com.") */
  char *rule_type;   /* FORWARD | SYSTEM | RECURSIVE */
  char *status;      /* COMPLETE | DELETING | UPDATING | FAILED, or NULL */
  char *endpoint_id; /* ResolverEndpointId, or NULL */
  char *owner;       /* OwnerId (an account, or "Route 53 Resolver"), or NULL */
  char *share_status; /* or NULL */
  az_target_ip *targets;
  size_t n_targets;
  char *account, *region;
  az_source src;
} az_resolver_rule;

typedef struct {
  char *id;          /* "rslvr-rrassoc-..." */
  char *rule_id, *vpc_id;
  char *status;      /* CREATING | COMPLETE | DELETING | FAILED | OVERRIDDEN */
  char *name;        /* or NULL */
  char *account, *region;
  az_source src;
} az_resolver_assoc;

/* Which of the optional Resolver files an account's Region folder held:
 * without them, forwarding is not known; with them, its absence is. */
typedef struct {
  char *account, *region;
  bool rules, assocs;
} az_resolver_seen;
/* A VPC endpoint (ec2-describe-vpc-endpoints.json). Only an Interface
 * endpoint gives the control plane (STS, EMR) a private way out of a
 * VPC; a Gateway endpoint (S3, DynamoDB) is a route target, no answer for
 * them. The policy is parsed from the PolicyDocument string; NULL when
 * absent, which AWS reads as full access. */
typedef struct {
  char *id;          /* "vpce-..." */
  char *account, *owner, *region;
  char *vpc_id;
  char *type;        /* VpcEndpointType: Interface | Gateway | GatewayLoadBalancer */
  char *service;     /* ServiceName: "com.amazonaws.us-east-1.sts" */
  char *state;       /* State as printed ("available", "pending", ...) */
  cJSON *policy;     /* PolicyDocument, parsed, or NULL */
  az_tri private_dns; /* PrivateDnsEnabled */
  char **subnet_ids, **group_ids, **eni_ids, **rtb_ids, **dns_names;
  size_t n_subnet_ids, n_group_ids, n_eni_ids, n_rtb_ids, n_dns_names;
  az_source src;
} az_vpce;

typedef struct {
  char *id;          /* 12 digits */
  char **regions;
  size_t n_regions;
} az_account;

typedef struct {
  xd_arena arena;
  char *root;        /* the snapshot folder */
  az_account *accounts;       size_t n_accounts;
  az_vpc *vpcs;               size_t n_vpcs;
  az_subnet *subnets;         size_t n_subnets;
  az_route_table *route_tables; size_t n_route_tables;
  az_sg *sgs;                 size_t n_sgs;
  az_nacl *nacls;             size_t n_nacls;
  az_pcx *pcxs;               size_t n_pcxs;
  az_eni *enis;               size_t n_enis;
  az_prefix_list *prefix_lists; size_t n_prefix_lists;
  az_cluster *clusters;       size_t n_clusters;
  az_secconf *secconfs;       size_t n_secconfs;
  az_domain *domains;         size_t n_domains;
  az_user_profile *profiles;  size_t n_profiles;
  az_space *spaces;           size_t n_spaces;
  az_role *roles;             size_t n_roles;
  az_managed_policy *policies; size_t n_policies;
  az_rolefile *rolefiles;     size_t n_rolefiles;
  az_missing *missing;        size_t n_missing;
  az_fetch_error *fetch_errors; size_t n_fetch_errors; /* fetch-errors.json */
  az_dhcp_options *dhcp_options; size_t n_dhcp_options;
  az_resolver_rule *resolver_rules; size_t n_resolver_rules;
  az_resolver_assoc *resolver_assocs; size_t n_resolver_assocs;
  az_resolver_seen *resolver_seen; size_t n_resolver_seen;
  az_vpce *vpces;             size_t n_vpces;
  /* "ACCOUNT/REGION" of every ec2-describe-vpc-endpoints.json read: an
   * endpoint absent from a folder listed here does not exist */
  char **vpce_read;           size_t n_vpce_read;
  /* parsed cJSON trees that the model points into (policy documents,
   * security configurations), freed with the model */
  cJSON **owned_json;         size_t n_owned_json, cap_owned_json;
} az_model;

/* Free everything the model owns (the arena and the parsed documents). */
void az_model_free(az_model *m);

/* Lookups by id across all accounts; NULL when absent. A peering
 * connection appears in both accounts' files: the first one read wins. */
const az_vpc *az_find_vpc(const az_model *m, const char *id);
const az_subnet *az_find_subnet(const az_model *m, const char *id);
const az_sg *az_find_sg(const az_model *m, const char *id);
const az_pcx *az_find_pcx(const az_model *m, const char *id);
const az_cluster *az_find_cluster(const az_model *m, const char *id);
const az_prefix_list *az_find_prefix_list(const az_model *m, const char *id);
const az_role *az_find_role_by_arn(const az_model *m, const char *arn);
const az_managed_policy *az_find_policy(const az_model *m, const char *arn);
const az_domain *az_find_domain(const az_model *m, const char *id);
const az_user_profile *az_find_profile(const az_model *m,
                                       const char *domain_id,
                                       const char *name);
const az_space *az_find_space(const az_model *m, const char *domain_id,
                              const char *name);
const az_secconf *az_find_secconf(const az_model *m, const char *account,
                                  const char *name);
/* The route table a subnet uses: its explicit association, else its VPC's
 * main table; *implicit is set when the main table was taken. NULL when
 * neither is in the snapshot. */
const az_route_table *az_route_table_for_subnet(const az_model *m,
                                                const az_subnet *s,
                                                bool *implicit);
/* The network ACL associated with the subnet, or NULL. */
const az_nacl *az_nacl_for_subnet(const az_model *m, const char *subnet_id);
/* The missing-file record for (account, file name), or NULL when that file
 * was read. file is the bare name ("ec2-describe-route-tables.json"). */
const az_missing *az_find_missing(const az_model *m, const char *account,
                                  const char *region, const char *file);

#endif
