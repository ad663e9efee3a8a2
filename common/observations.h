/* common/observations.h: the observations document
 * (schema xacct-doctor.observations/1, ../shared/contract.md). probes/
 * writes it, analyzer/ reads it; both go through these checks so the
 * schema is defined in one place. The document stays a cJSON tree: it is
 * the contract's JSON, and both sides read it by field name. */
#ifndef XD_OBSERVATIONS_H
#define XD_OBSERVATIONS_H

#include <cjson/cJSON.h>

#include "xd_error.h"

#define XD_OBS_SCHEMA "xacct-doctor.observations/1"

/* A new empty document for side ("studio" or "emr") and host: schema,
 * side, host, interfaces [], and empty dns/tcp/tls/http/flows arrays.
 * NULL when out of memory. */
cJSON *xd_obs_new(const char *side, const char *host);

/* Check a parsed document: schema, side, and that each of dns, tcp, tls,
 * http and flows (when present) is an array of objects whose contract
 * fields have the contract's types; a tcp state must be open, closed or
 * filtered. The error names label and the field ("tcp[3].port"). */
xd_rc xd_obs_check(const cJSON *doc, const char *label, xd_err *e);

/* Read, parse and check an observations file; *out is the document. */
xd_rc xd_obs_load(const char *path, cJSON **out, xd_err *e);

#endif
