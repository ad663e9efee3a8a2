/* reports/util.h: what every renderer reads the same way from a result:
 * the counts for a summary, a path's name, its deciding hop, and times.
 * Private to reports/. Nothing here computes a diagnosis; it only reads
 * what the analyzer wrote. */
#ifndef RP_UTIL_H
#define RP_UTIL_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "../common/buf.h"

typedef struct {
  int critical, warning, info;         /* findings by severity */
  int paths, reachable, blocked, unknown;
} rp_counts;

/* Count the findings by severity and the paths by verdict. */
void rp_count(const cJSON *result, rp_counts *c);

/* An open port's identification when HiveServer2's binary transport
 * answered the probe's Thrift SASL START (identified_by "thrift-sasl"). */
#define RP_THRIFT_SASL_ANSWERED "HiveServer2 (Thrift SASL) answered"

/* The string at key, or "" when absent (renderers print it as is). */
const char *rp_s(const cJSON *obj, const char *key);
/* The string at key, or NULL when absent or empty. */
const char *rp_s_opt(const cJSON *obj, const char *key);

/* The status in capitals ("CRITICAL"); "UNKNOWN" for anything else. */
const char *rp_status_upper(const char *status);

/* Append a path's name, unescaped: "studio 10.0.20.15 -> emr
 * 2.0.1.10:8998 (livy)"; arrow is the separator to use. */
void rp_path_name(xd_buf *out, const cJSON *path, const char *arrow);
/* The port of a path's destination, or -1. */
long rp_path_port(const cJSON *path);
/* A path's far end as reports name it: a control-plane end by its name
 * ("sts.us-east-1.amazonaws.com"), whose address is only an endpoint's
 * when known; any other by its address. "" when neither is there. */
const char *rp_path_end(const cJSON *to);

/* The hop that decided a path that is not reachable: the first "deny", else
 * (for an unknown verdict) the first "unknown"; NULL for a reachable path
 * or when no hop says. */
const cJSON *rp_deciding_hop(const cJSON *path);
/* The hops of path as two lanes, each in the order the packet meets them
 * (domain.md): the request (Studio egress, NACL out, Studio route,
 * peering, EMR NACL in, EMR ingress) and the response (EMR NACL out, EMR
 * route, peering, Studio NACL in). A return-traffic hop (its detail says
 * "return") and the second route table belong to the response; the
 * peering to both. idx[] get each hop's 1-based place in the path's list.
 * At most max per lane. */
typedef struct {
  const cJSON *hop[32];
  int idx[32];
  size_t n;
} rp_lane;
void rp_hop_lanes(const cJSON *path, rp_lane *request, rp_lane *response);

/* Seconds since the epoch of an ISO 8601 UTC time with optional fraction
 * ("2026-11-29T04:26:07.123Z"); false when s is not one. */
bool rp_time_parse(const char *s, double *out);

/* The object at key, or NULL when absent or not an object (xd_json_object
 * also answers arrays; members iterated by name need an object). */
const cJSON *rp_obj(const cJSON *obj, const char *key);

/* A number member as double; false when absent or not a number. */
bool rp_num(const cJSON *obj, const char *key, double *out);

/* What the packets showed on a path (the cross-check's "observed"), as
 * one plain sentence appended to out; false (nothing appended) when the
 * path carries no observation. Not escaped: the caller escapes. */
bool rp_observed_text(xd_buf *out, const cJSON *path);

/* qsort order of two (first, second, position) keys: by the strings, then
 * by position, so sorting keeps document order among equals. */
int rp_key_cmp(const char *a1, const char *a2, size_t ap, const char *b1,
               const char *b2, size_t bp);

#endif
