/* analyzer/intent.h: what the admin meant to set up (xacct-doctor.json, the
 * --config file). Every field is optional; what is left out is taken from
 * the snapshot (see ../shared/contract.md). */
#ifndef AZ_INTENT_H
#define AZ_INTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/xd_error.h"

typedef struct {
  char *account, *region, *cluster_id, *role_arn; /* each may be NULL */
  char *read_role_arn, *profile; /* how fetch reads the account, or NULL */
} az_intent_emr;

typedef struct {
  bool present;      /* a file was read */
  char *path;        /* where it was read from, or NULL */
  struct {
    char *account, *region, *domain_id, *vpc_id, *source_ip;
    char *role_arns_file;
    char *profile;     /* the AWS profile fetch reads Studio's account with */
    char *user_profile, *space; /* the Studio identity, or NULL */
    /* source_ip is the local address the kernel picked toward this
     * address (a primary node), as `check` finds it inside Studio; NULL
     * when source_ip was given by hand */
    char *source_ip_toward;
    char **subnet_ids;         size_t n_subnet_ids;
    char **security_group_ids; size_t n_security_group_ids;
  } studio;
  az_intent_emr *emr;
  size_t n_emr;
  int *ports;        /* NULL when not given */
  size_t n_ports;
} az_intent;

/* Read and check an intent file. Errors name the file and the field
 * ("studio.account: must be 12 digits"). On success *out is filled and must
 * be released with az_intent_free(). */
xd_rc az_intent_load(const char *path, az_intent *out, xd_err *e);
/* Release what az_intent_load() allocated; the struct is zeroed. */
void az_intent_free(az_intent *in);
/* Whether s is a 12-digit AWS account id. */
bool az_is_account_id(const char *s);

#endif
