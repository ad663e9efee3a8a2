/* common/netaddr.h: IPv4/IPv6 addresses and CIDR blocks, the arithmetic the
 * route, security group and ACL evaluation rests on. Parsing is strict:
 * "300.1.2.3/33" is rejected, not wrapped. */
#ifndef XD_NETADDR_H
#define XD_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  int family;      /* 4 or 6; 0 for "none" */
  uint8_t b[16];   /* network byte order; IPv4 uses b[0..3] */
} xd_ip;

typedef struct {
  xd_ip addr;      /* the network address, host bits cleared */
  int prefix;      /* 0..32 or 0..128 */
} xd_cidr;

/* Longest text form, with room for "/128". */
#define XD_CIDR_STRLEN 64

/* Parse a dotted IPv4 or an IPv6 address; false when it is not one. */
bool xd_ip_parse(const char *s, xd_ip *out);
/* Parse "a.b.c.d/n" or "x::/n". A bare address is a /32 or /128. Host bits
 * are cleared (AWS does the same on input). false on any malformed part. */
bool xd_cidr_parse(const char *s, xd_cidr *out);
/* Write the text form into out (size n); returns out. */
char *xd_ip_format(const xd_ip *ip, char *out, size_t n);
char *xd_cidr_format(const xd_cidr *c, char *out, size_t n);
/* Whether two addresses are the same. */
bool xd_ip_equal(const xd_ip *a, const xd_ip *b);
/* Whether ip lies inside c (false across families). */
bool xd_cidr_contains_ip(const xd_cidr *c, const xd_ip *ip);
/* Whether inner lies entirely inside outer. */
bool xd_cidr_contains(const xd_cidr *outer, const xd_cidr *inner);
/* Whether the two blocks share any address. */
bool xd_cidr_overlaps(const xd_cidr *a, const xd_cidr *b);
/* The n-th address of the block (n=2 is the Amazon DNS server at base+2);
 * false when the block has fewer addresses. */
bool xd_cidr_nth(const xd_cidr *c, uint64_t n, xd_ip *out);
/* The number of addresses in an IPv4 block, or UINT64_MAX for huge v6. */
uint64_t xd_cidr_size(const xd_cidr *c);

#endif
