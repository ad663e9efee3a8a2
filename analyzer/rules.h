/* analyzer/rules.h (private to analyzer/): the three rule engines a hop
 * rests on, with AWS semantics and nothing else (no findings, no result),
 * so the unit tests can drive them with hand-made model pieces.
 *   security groups (sg.c): stateful, allow-only, any rule of any group;
 *   network ACLs (nacl.c): stateless, lowest rule number first, "*" deny;
 *   route tables (route.c): longest prefix, then static > prefix list >
 *   propagated. */
#ifndef AZ_RULES_H
#define AZ_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "index.h"
#include "model.h"
#include "reach.h"

/* ---- security groups ---- */
typedef struct {
  bool egress;
  int proto;               /* AZ_PROTO_TCP */
  int port;
  const xd_cidr *peer;     /* the other end: an address (/32) or a block */
  const char *const *peer_sgs;
  size_t n_peer_sgs;
  const char *peer_account; /* owner of the peer's groups, or NULL */
  const char *peer_vpc, *own_vpc;
  bool cross_region;       /* the two ends are in different Regions */
  bool peering_active;     /* an active peering joins the two VPCs */
} az_sg_query;

typedef enum {
  AZ_SGREF_NONE,
  AZ_SGREF_WRONG_ACCOUNT,  /* names the peer's group with another UserId */
  AZ_SGREF_CROSS_REGION,   /* group references do not cross Regions */
  AZ_SGREF_UNRESOLVED      /* the reference's peering is not active */
} az_sgref_why;

typedef struct {
  az_verdict v;
  const az_sg *sg;          /* allow: the group and rule that decided */
  const az_sg_rule *rule;
  const az_sg *bad_sg;      /* a group-pair rule that names the peer's */
  const az_sg_rule *bad_rule; /* group but can not match, and why */
  az_sgref_why bad_why;
  const az_sg *partial_sg;  /* a CIDR rule covering only part of the peer */
  const az_sg_rule *partial_rule;
  const char *missing_sg;   /* a group not in the snapshot */
  const char *unknown_pl;   /* a prefix list whose entries are not known */
  size_t n_rules;           /* rules looked at */
} az_sg_result;

/* Evaluate the rules of groups sg_ids for q. */
void az_sg_eval(const az_index *ix, const char *const *sg_ids, size_t n,
                const az_sg_query *q, az_sg_result *out);
/* "tcp 8998 from 111111111111/sg-0abc" (egress: "to"). */
void az_sg_rule_text(const az_sg_rule *r, bool egress, char *out, size_t n);
/* The evidence every "group admits no such traffic" finding ends with: a
 * CIDR rule of r that covers only part of peer, and the Reachability
 * Analyzer code (analyzer/filters.c). */
void az_sg_miss_evidence(az_ctx *c, az_issue *is, const az_sg_result *r,
                         bool egress, const char *peer);
/* Whether a rule's protocol and ports cover (proto, port). */
bool az_sg_rule_covers(const az_sg_rule *r, int proto, int port);

/* ---- network ACLs ---- */
typedef struct {
  int lo, hi;
} az_range;

/* The decision of acl for one packet: the lowest-numbered entry of that
 * direction whose protocol, ports and block apply. An allow entry applies
 * when its block holds the whole peer; a deny entry when it touches any
 * of it (so a verdict holds for every address of a subnet). *rule gets
 * the deciding entry, NULL when none applied (AWS's implicit deny). */
az_verdict az_nacl_decide(const az_nacl *acl, bool egress, int proto,
                          const xd_cidr *peer, int port,
                          const az_nacl_entry **rule);
/* The parts of [lo, hi] that acl allows, in order, into out (at most max);
 * returns how many. */
size_t az_nacl_allowed(const az_nacl *acl, bool egress, int proto,
                       const xd_cidr *peer, int lo, int hi, az_range *out,
                       size_t max);
/* "rule 100 allow tcp 8998 from 10.0.20.0/24" ("rule *" for 32767). */
void az_nacl_entry_text(const az_nacl_entry *en, char *out, size_t n);
/* A free rule number below `below` in that direction (for a fix that must
 * come before a deny), or -1. */
int az_nacl_free_number(const az_nacl *acl, bool egress, int below);

/* ---- route tables ---- */
typedef struct {
  const az_route *route;    /* the route that carries dst, or NULL */
  int prefix;               /* its matching length */
  const char *via_pl;       /* matched through this prefix list, or NULL */
  const char *unknown_pl;   /* a prefix-list route that could not be read */
  const az_route *unknown_route; /* that route (one to want_pcx first) */
  const az_route *want;     /* the longest route to want_pcx holding dst */
  int want_prefix;
  const char *want_pl;
} az_route_match;

/* Longest-prefix match of dst (every address of it) in t. want_pcx, when
 * given, is looked for too, so a caller can tell MORE_SPECIFIC_ROUTE from
 * NO_ROUTE_TO_DESTINATION. */
void az_route_lookup(const az_index *ix, const az_route_table *t,
                     const xd_cidr *dst, const char *want_pcx,
                     az_route_match *out);
/* "2.0.1.0/24 -> pcx-0abc (active)". */
void az_route_text(const az_route *r, const char *via_pl, char *out,
                   size_t n);
/* The route's destination as text (CIDR or prefix list id). */
void az_route_dest_text(const az_route *r, char *out, size_t n);

#endif
