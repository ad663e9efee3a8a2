/* What to capture and where: the BPF filter text and the interface the
 * kernel routes a target through. Kept apart from capture.c so that file
 * holds only what touches the capture handle. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/jsonutil.h"
#include "capture.h"

/* Past this many port ranges or peers the filter would be long and slow
 * to compile; the kernel then keeps a little more and the tracker, which
 * applies the same test, drops the rest. */
#define MAX_FILTER_RANGES 32
#define MAX_FILTER_PEERS 32

typedef struct {
  int lo, hi;
} range;

static int cmp_int(const void *a, const void *b)
{
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* The ports as sorted, merged ranges; 0 when they are too many. */
static size_t port_ranges(const int *ports, size_t n, range *out)
{
  int *s;
  size_t k = 0;
  if(!n)
    return 0;
  s = malloc(n * sizeof(*s));
  if(!s)
    return 0;
  memcpy(s, ports, n * sizeof(*s));
  qsort(s, n, sizeof(*s), cmp_int);
  for(size_t i = 0; i < n; i++) {
    if(k && s[i] <= out[k - 1].hi + 1) {
      if(s[i] > out[k - 1].hi)
        out[k - 1].hi = s[i];
      continue;
    }
    if(k == MAX_FILTER_RANGES) {
      k = 0;
      break;
    }
    out[k].lo = out[k].hi = s[i];
    k++;
  }
  free(s);
  return k;
}

/* "(X = 8998 or (X >= 1 and X <= 1024))" for one quoted port field X. */
static void quoted_ports(xd_buf *b, const char *x, const range *r, size_t n)
{
  xd_buf_putc(b, '(');
  for(size_t i = 0; i < n; i++) {
    if(i)
      xd_buf_puts(b, " or ");
    if(r[i].lo == r[i].hi)
      xd_buf_printf(b, "%s = %d", x, r[i].lo);
    else
      xd_buf_printf(b, "(%s >= %d and %s <= %d)", x, r[i].lo, x, r[i].hi);
  }
  xd_buf_putc(b, ')');
}

char *pr_capture_filter_text(const pr_capture_config *c)
{
  range r[MAX_FILTER_RANGES];
  size_t nr = port_ranges(c->ports, c->n_ports, r);
  xd_buf b;
  static const char *const q4[] = {
    "icmp[8 + ((icmp[8] & 0xf) << 2):2]", "icmp[10 + ((icmp[8] & 0xf) << 2):2]"};
  static const char *const q6[] = {"icmp6[48:2]", "icmp6[50:2]"};

  xd_buf_init(&b);
  /* only the packets that tell how a handshake went: on a busy Livy
   * server the data packets would be almost all of the traffic. libpcap's
   * tcp[] reaches IPv4 only (on IPv6 it matches nothing), so the IPv6
   * flags byte is read at its place behind a plain 40-byte header. */
  xd_buf_puts(&b, "(((ip and tcp[tcpflags] & (tcp-syn|tcp-rst) != 0) or "
              "(ip6 and ip6[6] = 6 and ip6[53] & 0x06 != 0))");
  if(nr) {
    xd_buf_puts(&b, " and (");
    for(size_t i = 0; i < nr; i++) {
      if(i)
        xd_buf_puts(&b, " or ");
      if(r[i].lo == r[i].hi)
        xd_buf_printf(&b, "port %d", r[i].lo);
      else
        xd_buf_printf(&b, "portrange %d-%d", r[i].lo, r[i].hi);
    }
    xd_buf_putc(&b, ')');
  }
  if(c->n_peers && c->n_peers <= MAX_FILTER_PEERS) {
    xd_buf_puts(&b, " and (");
    for(size_t i = 0; i < c->n_peers; i++) {
      char s[XD_CIDR_STRLEN];
      xd_buf_printf(&b, "%snet %s", i ? " or " : "",
                    xd_cidr_format(&c->peers[i], s, sizeof(s)));
    }
    xd_buf_putc(&b, ')');
  }
  /* an ICMP error comes from the far host or from any router on the way,
   * so its outer addresses say nothing: the quoted header decides (its
   * peers are checked by the tracker) */
  xd_buf_puts(&b, ") or (icmp and icmp[0] = 3 and icmp[17] = 6");
  if(nr) {
    xd_buf_puts(&b, " and (");
    quoted_ports(&b, q4[0], r, nr);
    xd_buf_puts(&b, " or ");
    quoted_ports(&b, q4[1], r, nr);
    xd_buf_putc(&b, ')');
  }
  xd_buf_puts(&b, ") or (icmp6 and icmp6[0] = 1 and icmp6[14] = 6");
  if(nr) {
    xd_buf_puts(&b, " and (");
    quoted_ports(&b, q6[0], r, nr);
    xd_buf_puts(&b, " or ");
    quoted_ports(&b, q6[1], r, nr);
    xd_buf_putc(&b, ')');
  }
  xd_buf_putc(&b, ')');
  if(b.failed) {
    xd_buf_free(&b);
    return NULL;
  }
  return xd_buf_steal(&b);
}

static bool sockaddr_ip(const struct sockaddr *sa, xd_ip *ip)
{
  memset(ip, 0, sizeof(*ip));
  if(!sa)
    return false;
  if(sa->sa_family == AF_INET) {
    const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)sa;
    ip->family = 4;
    memcpy(ip->b, &s4->sin_addr, 4);
    return true;
  }
  if(sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *s6 =
        (const struct sockaddr_in6 *)(const void *)sa;
    ip->family = 6;
    memcpy(ip->b, &s6->sin6_addr, 16);
    return true;
  }
  return false;
}

xd_rc pr_route_interface(const xd_ip *dst, char *ifname, size_t n, xd_err *e)
{
  struct sockaddr_storage ss;
  socklen_t sl;
  struct ifaddrs *ifs = NULL;
  xd_ip local;
  char txt[XD_CIDR_STRLEN];
  int fd = -1;
  xd_rc rc = XD_E_NOTFOUND;

  memset(&ss, 0, sizeof(ss));
  xd_ip_format(dst, txt, sizeof(txt));
  if(dst->family == 4) {
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    s4->sin_family = AF_INET;
    s4->sin_port = htons(9);
    memcpy(&s4->sin_addr, dst->b, 4);
    sl = sizeof(*s4);
  }
  else {
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(9);
    memcpy(&s6->sin6_addr, dst->b, 16);
    sl = sizeof(*s6);
  }
  /* connecting a UDP socket asks the kernel for the route and sends
   * nothing */
  fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if(fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) != 0) {
    rc = xd_fail(e, XD_E_NET, "no route to %s", txt);
    goto done;
  }
  sl = sizeof(ss);
  if(getsockname(fd, (struct sockaddr *)&ss, &sl) != 0 ||
     !sockaddr_ip((struct sockaddr *)&ss, &local)) {
    rc = xd_fail(e, XD_E_NET, "no source address toward %s", txt);
    goto done;
  }
  if(getifaddrs(&ifs) != 0) {
    rc = xd_fail(e, XD_E_NET, "getifaddrs failed");
    goto done;
  }
  for(struct ifaddrs *i = ifs; i; i = i->ifa_next) {
    xd_ip a;
    if(sockaddr_ip(i->ifa_addr, &a) && xd_ip_equal(&a, &local) && i->ifa_name) {
      size_t len = strlen(i->ifa_name);
      if(len >= n)
        break;
      memcpy(ifname, i->ifa_name, len + 1);
      rc = XD_OK;
      goto done;
    }
  }
  xd_ip_format(&local, txt, sizeof(txt));
  rc = xd_fail(e, XD_E_NOTFOUND, "no interface holds the source address %s",
               txt);
done:
  if(fd >= 0)
    close(fd);
  if(ifs)
    freeifaddrs(ifs);
  return rc;
}

static int prefix_len(const struct sockaddr *mask)
{
  xd_ip m;
  int bits = 0;
  if(!sockaddr_ip(mask, &m))
    return -1;
  for(int i = 0; i < (m.family == 4 ? 4 : 16); i++)
    for(int j = 7; j >= 0; j--)
      bits += (m.b[i] >> j) & 1;
  return bits;
}

xd_rc pr_local_addresses(cJSON *arr, xd_err *e)
{
  struct ifaddrs *ifs = NULL;
  if(getifaddrs(&ifs) != 0)
    return xd_fail(e, XD_E_NET, "getifaddrs failed");
  for(struct ifaddrs *i = ifs; i; i = i->ifa_next) {
    xd_ip a;
    char s[XD_CIDR_STRLEN], t[XD_CIDR_STRLEN + 16];
    int p;
    if(!(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK) ||
       !sockaddr_ip(i->ifa_addr, &a))
      continue;
    /* link-local addresses are on every interface and route nowhere */
    if(a.family == 6 && a.b[0] == 0xfe && (a.b[1] & 0xc0) == 0x80)
      continue;
    p = prefix_len(i->ifa_netmask);
    xd_ip_format(&a, s, sizeof(s));
    if(p >= 0)
      snprintf(t, sizeof(t), "%s/%d", s, p);
    else
      snprintf(t, sizeof(t), "%s", s);
    if(!cJSON_AddItemToArray(arr, cJSON_CreateString(t))) {
      freeifaddrs(ifs);
      return xd_fail(e, XD_E_NOMEM, "out of memory");
    }
  }
  freeifaddrs(ifs);
  return XD_OK;
}
