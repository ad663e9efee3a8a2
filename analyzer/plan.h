/* analyzer/plan.h: what `check` should probe, read from the model: each
 * selected cluster's primary node (names and addresses, as the Studio
 * client finds it) and the ports the analysis tests. The probe plan and
 * the paths come from the same functions, so the packets are sent to
 * exactly the ends the configuration is judged on. */
#ifndef AZ_PLAN_H
#define AZ_PLAN_H

#include <stddef.h>

#include "../common/xd_error.h"
#include "intent.h"
#include "model.h"

#define AZ_PLAN_MAX_PORTS 32

typedef struct {
  char *cluster_id, *account;
  char *name;          /* MasterPublicDnsName, or NULL */
  char *private_dns, *private_ip, *public_dns, *public_ip; /* or NULL */
  int ports[AZ_PLAN_MAX_PORTS];
  size_t n_ports;
  int livy_port;
} az_probe_target;

/* The targets for the clusters the intent selects (all when it names
 * none) that have a primary node. *out is a malloc'ed array of *n entries,
 * released with az_plan_free(). */
xd_rc az_plan_probes(const az_model *m, const az_intent *intent,
                     az_probe_target **out, size_t *n, xd_err *e);
/* Release what az_plan_probes() returned. */
void az_plan_free(az_probe_target *t, size_t n);

#endif
