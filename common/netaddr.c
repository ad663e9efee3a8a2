#include "netaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool xd_ip_parse(const char *s, xd_ip *out)
{
  xd_ip ip;
  memset(&ip, 0, sizeof(ip));
  if(!s)
    return false;
  if(inet_pton(AF_INET, s, ip.b) == 1)
    ip.family = 4;
  else if(inet_pton(AF_INET6, s, ip.b) == 1)
    ip.family = 6;
  else
    return false;
  *out = ip;
  return true;
}

static void clear_host_bits(xd_cidr *c)
{
  int bytes = c->addr.family == 4 ? 4 : 16;
  for(int i = 0; i < bytes; i++) {
    int bit = i * 8;
    if(bit >= c->prefix)
      c->addr.b[i] = 0;
    else if(bit + 8 > c->prefix)
      c->addr.b[i] &= (uint8_t)(0xff << (8 - (c->prefix - bit)));
  }
}

bool xd_cidr_parse(const char *s, xd_cidr *out)
{
  char tmp[XD_CIDR_STRLEN];
  const char *slash;
  size_t n;
  xd_cidr c;
  if(!s)
    return false;
  slash = strchr(s, '/');
  n = slash ? (size_t)(slash - s) : strlen(s);
  if(n == 0 || n >= sizeof(tmp))
    return false;
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  memset(&c, 0, sizeof(c));
  if(!xd_ip_parse(tmp, &c.addr))
    return false;
  if(slash) {
    const char *p = slash + 1;
    char *end;
    long v;
    if(*p < '0' || *p > '9' || strlen(p) > 3)
      return false;
    errno = 0;
    v = strtol(p, &end, 10);
    if(errno || *end || v < 0 || v > (c.addr.family == 4 ? 32 : 128))
      return false;
    c.prefix = (int)v;
  }
  else
    c.prefix = c.addr.family == 4 ? 32 : 128;
  clear_host_bits(&c);
  *out = c;
  return true;
}

char *xd_ip_format(const xd_ip *ip, char *out, size_t n)
{
  if(!n)
    return out;
  out[0] = '\0';
  if(ip->family == 4 || ip->family == 6)
    inet_ntop(ip->family == 4 ? AF_INET : AF_INET6, ip->b, out, (socklen_t)n);
  return out;
}

char *xd_cidr_format(const xd_cidr *c, char *out, size_t n)
{
  char a[INET6_ADDRSTRLEN];
  xd_ip_format(&c->addr, a, sizeof(a));
  snprintf(out, n, "%s/%d", a, c->prefix);
  return out;
}

bool xd_ip_equal(const xd_ip *a, const xd_ip *b)
{
  int bytes = a->family == 4 ? 4 : 16;
  return a->family == b->family && !memcmp(a->b, b->b, (size_t)bytes);
}

static bool prefix_match(const uint8_t *net, const uint8_t *x, int prefix)
{
  int full = prefix / 8, rest = prefix % 8;
  if(memcmp(net, x, (size_t)full))
    return false;
  if(rest) {
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    if((net[full] & mask) != (x[full] & mask))
      return false;
  }
  return true;
}

bool xd_cidr_contains_ip(const xd_cidr *c, const xd_ip *ip)
{
  if(c->addr.family != ip->family)
    return false;
  return prefix_match(c->addr.b, ip->b, c->prefix);
}

bool xd_cidr_contains(const xd_cidr *outer, const xd_cidr *inner)
{
  if(outer->addr.family != inner->addr.family || inner->prefix < outer->prefix)
    return false;
  return prefix_match(outer->addr.b, inner->addr.b, outer->prefix);
}

bool xd_cidr_overlaps(const xd_cidr *a, const xd_cidr *b)
{
  return xd_cidr_contains(a, b) || xd_cidr_contains(b, a);
}

uint64_t xd_cidr_size(const xd_cidr *c)
{
  int host = (c->addr.family == 4 ? 32 : 128) - c->prefix;
  if(host >= 64)
    return UINT64_MAX;
  return (uint64_t)1 << host;
}

bool xd_cidr_nth(const xd_cidr *c, uint64_t n, xd_ip *out)
{
  int bytes = c->addr.family == 4 ? 4 : 16;
  uint64_t carry = n;
  if(n >= xd_cidr_size(c))
    return false;
  *out = c->addr;
  for(int i = bytes - 1; i >= 0 && carry; i--) {
    uint64_t v = out->b[i] + (carry & 0xff);
    out->b[i] = (uint8_t)v;
    carry = (carry >> 8) + (v >> 8);
  }
  return true;
}
