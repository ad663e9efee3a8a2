/* common/portlist.h: port lists as users write them ("8998,10000,8889",
 * "1-1024", or both mixed). */
#ifndef XD_PORTLIST_H
#define XD_PORTLIST_H

#include <stddef.h>

#include "xd_error.h"

/* The most ports one list may name (every TCP port). */
#define XD_MAX_PORTS 65535

/* Parse s into a malloc'ed array of distinct ports 1..65535 in the order
 * first named (*ports, *n). An empty item, a port out of range or a range
 * that runs backwards is an error naming the item. */
xd_rc xd_portlist_parse(const char *s, int **ports, size_t *n, xd_err *e);

#endif
