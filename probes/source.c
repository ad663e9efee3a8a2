/* probes/source.c: which address of this host the peers see, and whether
 * the raw side of probing (capture) is open to us. Both answer without a
 * packet on the wire. */
#include "source.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CAP_NET_RAW_BIT 13

xd_rc pr_source_address(const char *dst, char *out, size_t n, xd_err *e)
{
  struct sockaddr_storage ss, me;
  socklen_t len, mlen = sizeof(me);
  int fd = -1;
  xd_rc rc = XD_OK;

  memset(&ss, 0, sizeof(ss));
  if(inet_pton(AF_INET, dst, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
    ((struct sockaddr_in *)&ss)->sin_family = AF_INET;
    ((struct sockaddr_in *)&ss)->sin_port = htons(9); /* any port routes */
    len = sizeof(struct sockaddr_in);
  }
  else if(inet_pton(AF_INET6, dst,
                    &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
    ((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
    ((struct sockaddr_in6 *)&ss)->sin6_port = htons(9);
    len = sizeof(struct sockaddr_in6);
  }
  else
    return xd_fail(e, XD_E_INVALID, "source address: '%s' is not an IP "
                   "address", dst);
  fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if(fd < 0) {
    rc = xd_fail(e, XD_E_NET, "source address toward %s: socket: %s", dst,
                 strerror(errno));
    goto done;
  }
  /* a UDP connect only routes: nothing leaves the host */
  if(connect(fd, (struct sockaddr *)&ss, len) != 0) {
    rc = xd_fail(e, XD_E_NET, "source address toward %s: no route (%s)", dst,
                 strerror(errno));
    goto done;
  }
  if(getsockname(fd, (struct sockaddr *)&me, &mlen) != 0) {
    rc = xd_fail(e, XD_E_NET, "source address toward %s: getsockname: %s",
                 dst, strerror(errno));
    goto done;
  }
  if(!inet_ntop(me.ss_family,
                me.ss_family == AF_INET
                    ? (void *)&((struct sockaddr_in *)&me)->sin_addr
                    : (void *)&((struct sockaddr_in6 *)&me)->sin6_addr,
                out, (socklen_t)n))
    rc = xd_fail(e, XD_E_NET, "source address toward %s: %s", dst,
                 strerror(errno));
done:
  if(fd >= 0)
    close(fd);
  return rc;
}

bool pr_raw_permitted(char *why, size_t n)
{
  FILE *f;
  char line[256];
  unsigned long long eff = 0;
  bool have = false;
  if(geteuid() == 0)
    return true;
  f = fopen("/proc/self/status", "r");
  if(f) {
    while(fgets(line, sizeof(line), f))
      if(sscanf(line, "CapEff: %llx", &eff) == 1) {
        have = true;
        break;
      }
    fclose(f);
  }
  if(have && (eff >> CAP_NET_RAW_BIT) & 1ULL)
    return true;
  if(have)
    snprintf(why, n, "uid %lu without CAP_NET_RAW (CapEff %016llx)",
             (unsigned long)geteuid(), eff);
  else
    snprintf(why, n, "uid %lu, and /proc/self/status does not say whether "
             "CAP_NET_RAW is held", (unsigned long)geteuid());
  /* without /proc, trying is the only way to know */
  return !have;
}
