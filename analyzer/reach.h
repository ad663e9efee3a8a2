/* analyzer/reach.h (private to analyzer/): the state of one analysis and
 * the pieces the analyzer's files share. Nothing outside analyzer/ may
 * include it; the front door is analyze.h.
 *
 * Flow (analyze.c): resolve the Studio side and the clusters (paths.c),
 * check each cluster (cluster.c), the role file and IAM (rolefile.c,
 * iam.c), the peering between each pair of VPCs (peering.c) and DNS
 * (dns.c), then evaluate every path hop by hop (reach.c, with sg.c,
 * nacl.c, route.c). Faults are gathered as issues (findings.c), one per
 * code and resource whatever the number of ports and paths that meet it,
 * and written to the result at the end. */
#ifndef AZ_REACH_H
#define AZ_REACH_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/arena.h"
#include "../common/buf.h"
#include "../common/result.h"
#include "findings/cmdline.h"
#include "index.h"
#include "intent.h"
#include "model.h"
#include "studio/identity.h"

typedef enum { AZ_V_ALLOW, AZ_V_DENY, AZ_V_UNKNOWN } az_verdict;

/* The canonical place of the role file on a Studio (Classic) host. */
#define AZ_ROLE_FILE_PATH                                                   \
  "/home/sagemaker-user/.cross-account-configuration-DO_NOT_DELETE/"       \
  "emr-discovery-iam-role-arns-DO_NOT_DELETE.json"

/* A pending finding; see findings.c. */
typedef struct az_issue az_issue;
typedef void (*az_issue_finish_fn)(void *ctx, az_issue *is);

struct az_issue {
  const char *code;
  xd_severity sev;
  char *resource, *account, *region;
  char *arg[6];          /* code-specific values the finisher needs */
  int ports[32];
  size_t n_ports;
  char **evidence;
  size_t n_evidence, cap_evidence;
  bool egress;           /* for the filter finishers: which direction */
  int number;            /* a rule number the fix must come before */
  char **extra;          /* code-specific list (rules to revoke) */
  size_t n_extra, cap_extra;
  char *message, *remediation;
  az_issue_finish_fn finish; /* builds message/remediation from the ports */
};

/* One end of a path. */
typedef struct {
  char label[64];        /* as the path shows it: "10.0.20.15" or a CIDR */
  xd_cidr net;           /* a /32 for an address, or the subnet's block */
  const char *account, *region;
  const char *vpc_id;
  const az_vpc *vpc;     /* or NULL when not in the snapshot */
  const char *subnet_id;
  const az_subnet *subnet;
  const char *const *sgs;
  size_t n_sgs;
  const char *eni_id;    /* or NULL */
} az_endpoint;

typedef enum {
  AZ_PAIR_OK,            /* an active peering joins the two VPCs */
  AZ_PAIR_SAME_VPC,      /* no peering needed */
  AZ_PAIR_MISSING,
  AZ_PAIR_PENDING,
  AZ_PAIR_PROVISIONING,
  AZ_PAIR_INACTIVE,      /* rejected, expired, failed, deleting, deleted */
  AZ_PAIR_OVERLAP,       /* overlapping CIDRs: peering can not work */
  AZ_PAIR_UNKNOWN        /* the snapshot can not tell */
} az_pair_state;

/* The link between the Studio VPC and one EMR VPC. */
typedef struct {
  az_pair_state state;
  const az_pcx *pcx;     /* or NULL */
  const az_pcx_side *studio_side, *emr_side; /* sides of pcx, or NULL */
  char detail[256];      /* the peering hop's detail */
} az_pair;

/* The Studio side as resolved from the intent and the snapshot. */
typedef struct {
  const char *account, *region;
  const az_domain *domain;   /* or NULL */
  const char *vpc_id;
  const az_vpc *vpc;
  const char *const *subnet_ids;
  size_t n_subnet_ids;
  const char *const *sgs;
  size_t n_sgs;
  const char *exec_role;     /* or NULL */
  az_identity ident;         /* the identity diagnosed (studio/identity.h) */
  bool sgs_of_identity;      /* sgs are the identity's (not the intent's
                                nor a domain-wide default): they beat the
                                groups a shared interface shows */
} az_studio;

typedef struct {
  const az_model *m;
  const az_intent *in;
  xd_result *r;
  az_index ix;
  xd_arena a;                /* strings living as long as the analysis */
  az_studio studio;
  az_issue *issues;
  size_t n_issues, cap_issues;
  az_hmap issue_ix;          /* "code|resource" -> index + 1 */
  bool nomem;                /* an allocation failed somewhere */
  bool rolefile_broken;      /* a role-file finding is the root cause of
                                whatever the file fails to name */
  cJSON *meta_dns;           /* meta.dns: what each primary node name resolves to */
} az_ctx;

/* ---- findings.c ---- */
/* The issue for (code, resource), created on first use; severity only
 * rises. NULL when out of memory (ctx->nomem set). */
az_issue *az_issue_get(az_ctx *c, const char *code, xd_severity sev,
                       const char *resource, const char *account,
                       const char *region);
void az_issue_port(az_issue *is, int port);
void az_issue_evidence(az_ctx *c, az_issue *is, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Set the message / remediation unless already set (the first cause
 * met names it). */
void az_issue_message(az_ctx *c, az_issue *is, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The remediation is the line cmd built (findings/cmdline.h); a command
 * the builder refused is left out, and the evidence says why. */
void az_issue_remedy(az_ctx *c, az_issue *is, const az_cmd *cmd);
void az_issue_arg(az_ctx *c, az_issue *is, int i, const char *v);
/* Add s to the issue's extra list unless it is there. */
void az_issue_extra(az_ctx *c, az_issue *is, const char *s);
/* Write every issue into the result, in the order they were raised. */
xd_rc az_issues_flush(az_ctx *c, xd_err *e);
/* snprintf for hop details and messages, where cutting a long id list
 * short is acceptable (kept out of line so the compiler does not flag
 * every possible truncation). */
void az_fmt(char *out, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* printf into the analysis arena; NULL when out of memory. */
char *az_strf(az_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* s as a JSON string literal, quotes included, in the arena; NULL when out
 * of memory. For every value pasted into a policy document: an IAM path may
 * hold '"' and '\\'. */
char *az_json_str(az_ctx *c, const char *s);
/* Whether the snapshot lacks file (bare name) for account/region. */
bool az_file_missing(const az_ctx *c, const char *account, const char *region,
                     const char *file);
/* "not known: ACCOUNT/REGION/FILE is missing" or "not in the snapshot". */
void az_unknown_detail(const az_ctx *c, const char *account,
                       const char *region, const char *file, const char *what,
                       char *out, size_t n);

/* ---- paths.c ---- */
xd_rc az_studio_resolve(az_ctx *c);
/* The Studio ends of the paths: the intent's source_ip, else the domain's
 * ENIs (one per subnet), and every Studio subnet neither is in, as a whole
 * (apps may land in any of the domain's subnets). *out is arena memory. */
xd_rc az_studio_sources(az_ctx *c, az_endpoint **out, size_t *n);
/* The clusters to analyze (intent's, else every cluster). */
xd_rc az_clusters_selected(az_ctx *c, const az_cluster ***out, size_t *n);
/* The primary node as the Studio client finds it (MasterPublicDnsName
 * against ListInstances), or NULL. */
const az_emr_instance *az_primary_node(const az_cluster *cl);
/* The EMR end of the paths to cl's primary node; false (with a hop-less
 * reason in why) when it can not be placed. */
bool az_cluster_endpoint(az_ctx *c, const az_cluster *cl, az_endpoint *out,
                         char *why, size_t n);
/* The ports to test for cl and their service names: the intent's ports
 * (plus Livy's), else those of the applications installed (Livy's, 10000
 * with Hive, 8889 with Presto/Trino; all three when the applications are
 * not known), plus 88, 749 and 464 with a Kerberos security
 * configuration. */
size_t az_cluster_ports(az_ctx *c, const az_cluster *cl, int *ports,
                        const char **services, size_t max);
/* The Livy port of cl (livy-conf livy.server.port, else 8998). */
int az_livy_port(const az_cluster *cl);

/* ---- cluster.c ---- */
/* State, Livy, Region; false when the cluster has no primary node to
 * reach (then no path is evaluated: one root cause, one finding). */
bool az_cluster_check(az_ctx *c, const az_cluster *cl);
/* Studio-wide checks: AppNetworkAccessType. */
void az_studio_check(az_ctx *c);

/* ---- studio/check.c ---- */
/* Say which identity was diagnosed and what applies to it, what of it the
 * snapshot lacks, and (with none named) which profiles and spaces differ
 * from the domain's defaults. */
void az_identity_check(az_ctx *c);
/* With no role file, the applicable EmrSettings.AssumableRoleArns that
 * name no role of cl's account: raise the finding naming the profile or
 * the domain to update; false when that is not the case. */
bool az_identity_assumable_missing(az_ctx *c, const az_cluster *cl);
/* ---- discovery.c ---- */
/* When caller_role (an ARN, with or without path) is the diagnosed
 * identity's execution role and its identity policies do not allow
 * sts:AssumeRole on arn: raise IAM_STUDIO_ASSUME_MISSING on it and say
 * true (a refused AssumeRole then needs no finding of its own). */
bool az_exec_assume_missing(az_ctx *c, const char *caller_role,
                            const char *arn);
/* ---- studio/source.c ---- */
/* Inside Studio (the intent's source_ip_toward): which subnet and ENI of
 * the domain hold this host's address, or a warning that none does. */
void az_studio_source_check(az_ctx *c);
/* ---- notebook.c ---- */
/* meta.notebook: the message the notebook shows for the first critical
 * finding that stops it (or that it connects), read from the result. */
void az_notebook_say(az_ctx *c, const az_cluster *const *cls, size_t n_cl);

/* ---- studio/runtime.c ---- */
/* What the discovery role r needs beyond discovery for cl: runtime roles
 * (GetClusterSessionCredentials, each runtime role trusting r) and the
 * cluster's security configuration (DescribeSecurityConfiguration). */
void az_runtime_check(az_ctx *c, const az_cluster *cl, const az_role *r);

/* ---- peering.c ---- */
/* Fill dst->vpc_id, when the EMR side's files do not give it, from the
 * peering Studio's account lists to the cluster's account. */
void az_pair_peer_vpc(az_ctx *c, const az_endpoint *src, az_endpoint *dst);
void az_pair_resolve(az_ctx *c, const az_endpoint *src, const az_endpoint *dst,
                     az_pair *p);
/* Raise the pair's root-cause finding, once per peering. */
void az_pair_report(az_ctx *c, const az_endpoint *src, const az_endpoint *dst,
                    const az_pair *p);
/* Whether the peering is what blocks (dependent findings are then held). */
bool az_pair_blocked(const az_pair *p);

/* ---- dns.c ---- */
/* DNS for cl's primary node name from the Studio VPC; adds meta.dns and
 * returns the "dns" object to attach to each path (owned by caller). */
cJSON *az_dns_check(az_ctx *c, const az_cluster *cl, const az_endpoint *dst,
                    const az_pair *p);

/* ---- rolefile.c / iam.c ---- */
void az_rolefile_check(az_ctx *c);
/* The role ARN Studio assumes for account: the role file's, else the
 * applied identity's EmrSettings.AssumableRoleArns; the intent's only when
 * neither is in the snapshot. NULL when none names it; *from names where
 * it came from. */
const char *az_role_for_account(az_ctx *c, const char *account,
                                const char **from);
/* The role the intent believes Studio assumes in account, or NULL. */
const char *az_intent_role(const az_ctx *c, const char *account);
/* When the role Studio really uses for cl's account (real, read from
 * `from`) is not the intent's, say so (ROLE_DIFFERS_FROM_INTENT). */
void az_role_divergence(az_ctx *c, const az_cluster *cl, const char *real,
                        const char *from);
/* Append the command that points what Studio reads (`from`: "the role
 * file" or the domain's EmrSettings) at arn for account. */
void az_role_repoint_cmd(az_ctx *c, const char *from, const char *account,
                         const char *arn, az_cmd *b);
/* Append the command that writes the role file with account -> arn added. */
void az_rolefile_add_cmd(az_ctx *c, const char *account, const char *arn,
                         az_cmd *cmd);
/* The assumable role for cl's account: exists, trusts Studio, grants the
 * discovery actions on cl (discovery.c). */
void az_iam_check_cluster(az_ctx *c, const az_cluster *cl);

/* ---- findings/refusals.c ---- */
/* The calls refused while the snapshot was taken (fetch-errors.json):
 * DISCOVERY_ASSUME_REFUSED and DISCOVERY_CALL_REFUSED (what Studio meets
 * through the discovery role), ACCOUNT_CONFIG_UNREADABLE (one per account
 * and access, for reads only xacct-doctor needs). */
void az_refusals_check(az_ctx *c);
/* Whether the absent files of account are said by a refusal finding
 * already (then they are not listed one by one). */
bool az_refusals_hide_missing(const az_model *m, const char *account);
/* A role of account that already trusts the Studio account (the likely
 * entry for a role file that lacks it), or NULL. */
const char *az_candidate_role(az_ctx *c, const char *account);

/* ---- reach.c ---- */
/* Evaluate every port from src to dst and add the paths. */
xd_rc az_eval_paths(az_ctx *c, const az_endpoint *src, const az_endpoint *dst,
                    const az_cluster *cl, const az_pair *p,
                    const cJSON *dns);

#endif
