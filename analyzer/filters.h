/* analyzer/filters.h (private to analyzer/): the hops of a path, as reach.c
 * assembles them. A leg is one hop before it is written into a path. */
#ifndef AZ_FILTERS_H
#define AZ_FILTERS_H

#include "reach.h"
#include "rules.h"

typedef struct {
  const char *kind;  /* hop kind; NULL for "no hop" */
  char res[96];      /* the resource that decided */
  az_verdict v;
  char detail[320];
} az_leg;

/* Append a hop to path and fold its verdict into *worst. */
void az_hop(cJSON *path, const char *kind, const char *res, az_verdict v,
            const char *detail, az_verdict *worst);
/* The block a rule or route for an end should name (its subnet). */
void az_end_block(const az_endpoint *ep, char *out, size_t n);

/* The security groups of `own` for TCP `port`: egress towards peer (own is
 * the Studio end) or ingress from peer (own is the primary node). */
void az_sg_leg(az_ctx *c, const az_endpoint *own, const az_endpoint *peer,
               const az_pair *p, int port, bool egress, az_leg *leg);
/* Fill leg when the groups' result r allows (the rule that decided) or
 * is not known (what is missing; account/region: the groups' side);
 * false, leg untouched, when r denies and the caller must say why. */
bool az_sg_leg_settled(az_ctx *c, const az_sg_result *r, bool egress,
                       const char *account, const char *region, az_leg *leg);
/* Append leg to path as a hop (none when leg->kind is NULL), marked as
 * carrying the answer back (ret) or the request, and fold its verdict
 * into *worst. */
void az_leg_emit(cJSON *path, const az_leg *leg, az_verdict *worst, bool ret);
/* The network ACL of own's subnet for the forward packet on `port`. */
void az_nacl_leg(az_ctx *c, const az_endpoint *own, const az_endpoint *peer,
                 int port, bool egress, az_leg *leg);
/* The network ACL of own's subnet for the return traffic: to the client's
 * ephemeral ports (egress false: own is the client; true: own is the
 * server answering). */
void az_nacl_return_leg(az_ctx *c, const az_endpoint *own,
                        const az_endpoint *peer, bool egress, az_leg *leg);

#endif
