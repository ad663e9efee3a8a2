/* probes/source.h: the local address this host sends from toward a peer,
 * as the kernel's routing picks it. */
#ifndef PR_SOURCE_H
#define PR_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/xd_error.h"

/* The local address (text, in out of size n) the kernel would use for a
 * packet to dst (an IPv4 or IPv6 address): a UDP socket is connected,
 * which routes without sending anything, and asked for its name.
 * XD_E_NET naming dst when there is no route; XD_E_INVALID when dst is
 * not an address. */
xd_rc pr_source_address(const char *dst, char *out, size_t n, xd_err *e);

/* Whether this process may open raw sockets or capture (root, or
 * CAP_NET_RAW in its effective set, from /proc/self/status CapEff);
 * when not, why says so in a few words. */
bool pr_raw_permitted(char *why, size_t n);

#endif
