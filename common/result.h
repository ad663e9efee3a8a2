/* common/result.h: the result document (schema xacct-doctor.result/1).
 *
 * The analyzer builds it with the functions below; reports/ read the cJSON
 * tree it wraps (xd_result_json) and nothing else, so a result saved as JSON
 * and loaded again (`report --in`) renders exactly as a fresh one. The JSON
 * shape is fixed by ../shared/contract.md. */
#ifndef XD_RESULT_H
#define XD_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "xd_error.h"

#define XD_RESULT_SCHEMA "xacct-doctor.result/1"

typedef enum {
  XD_SEV_INFO = 0,
  XD_SEV_WARNING = 1,
  XD_SEV_CRITICAL = 2
} xd_severity;

/* The values are the exit codes of the Nagios plugin convention. */
typedef enum {
  XD_STATUS_OK = 0,
  XD_STATUS_WARNING = 1,
  XD_STATUS_CRITICAL = 2,
  XD_STATUS_UNKNOWN = 3
} xd_status;

/* A finding as the analyzer states it; every string is copied. */
typedef struct {
  const char *code;          /* catalogue code, e.g. "SG_INGRESS_MISSING" */
  xd_severity severity;
  const char *resource;      /* the one element to change */
  const char *account;       /* 12 digits, or NULL */
  const char *message;       /* one sentence a person can act on */
  const char *const *evidence;
  size_t n_evidence;
  const char *remediation;   /* a runnable command, or NULL */
} xd_finding;

typedef struct xd_result xd_result;

/* A new result: schema, started_at (now) and meta.version filled in.
 * NULL when out of memory. */
xd_result *xd_result_new(void);
/* Wrap a parsed result document (ownership of root passes to the result);
 * the schema and the types of the contract's fields are checked, and an
 * error names the first field that is wrong. */
xd_rc xd_result_from_json(cJSON *root, const char *label, xd_result **out,
                          xd_err *e);
/* Read and check a result file written by --format json. */
xd_rc xd_result_load(const char *path, xd_result **out, xd_err *e);
/* Free the result and its tree. NULL is fine. */
void xd_result_free(xd_result *r);

/* The tree itself, owned by r: what reports read. */
cJSON *xd_result_json(const xd_result *r);
/* Free-form run metadata ("meta" object): version, snapshot source, sides,
 * loaded summary. Owned by r; callers add members. */
cJSON *xd_result_meta(xd_result *r);

/* Add a finding. A finding with the same code and resource as one already
 * present is merged into it (its evidence appended), so one root cause is
 * one finding. */
xd_rc xd_result_add_finding(xd_result *r, const xd_finding *f);
/* Whether a finding with this code (and resource, unless NULL) exists. */
bool xd_result_has_finding(const xd_result *r, const char *code,
                           const char *resource);

/* Add a path; its verdict starts as "unknown". Returns the path object
 * (owned by r) to which hops are added, or NULL when out of memory. service
 * may be NULL. */
cJSON *xd_result_add_path(xd_result *r, const char *from_side,
                          const char *from_ip, const char *to_side,
                          const char *to_ip, int port, const char *service);
/* Append a hop; verdict is "allow", "deny" or "unknown". */
xd_rc xd_result_path_add_hop(cJSON *path, const char *kind,
                             const char *resource, const char *verdict,
                             const char *detail);
/* Set a path's verdict: "reachable", "blocked" or "unknown". */
void xd_result_path_set_verdict(cJSON *path, const char *verdict);

/* Attach an observations document for a side ("studio" or "emr"); r takes
 * ownership of obs. A second document for the same side is merged into the
 * first array by array. */
xd_rc xd_result_add_observations(xd_result *r, const char *side, cJSON *obs);

/* Mark the result incomplete (interrupted, deadline, internal failure);
 * its status becomes unknown and why is kept in meta.incomplete. */
void xd_result_set_incomplete(xd_result *r, const char *why);

/* Record in meta.not_seen something the run could not evaluate: target
 * (a primary node's address or a cluster id), how many paths to it were
 * left unknown (0 when none could even be built) and why, in words. */
xd_rc xd_result_add_not_seen(xd_result *r, const char *target, int paths,
                             const char *why);

/* Whether packets settled a path: its "observed" record (written by the
 * cross-check) places the break, or shows the handshake complete. A path
 * whose configuration verdict is unknown and that no packet settled is
 * "not seen". */
bool xd_path_settled(const cJSON *path);

/* Compute status from the findings and the paths together, and
 * duration_ms; returns the status:
 *   - the worst finding severity (info counts as ok);
 *   - any blocked path: critical;
 *   - any path not seen (unknown, not settled by packets) or meta.not_seen
 *     entry: never ok; warning when some path was decided, unknown when
 *     none was (and nothing is critical);
 *   - incomplete (meta.incomplete): unknown. */
xd_status xd_result_finish(xd_result *r);
/* The status as stored in the document. */
xd_status xd_result_status(const xd_result *r);

const char *xd_status_name(xd_status s);      /* "ok", ... */
const char *xd_severity_name(xd_severity s);  /* "critical", ... */
/* Parse "ok|warning|critical|unknown"; false otherwise. */
bool xd_status_parse(const char *s, xd_status *out);
bool xd_severity_parse(const char *s, xd_severity *out);

#endif
