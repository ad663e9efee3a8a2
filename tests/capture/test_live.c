/* The background capture as `probe` uses it, on loopback only: open (the
 * interface found by route lookup), drop privileges, start, make one
 * connection that is answered and one that is refused, stop, read the
 * flows. Exits 77 (skipped) without permission to capture. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "common/jsonutil.h"
#include "common/observations.h"
#include "probes/capture.h"

static int listener(int *port, bool keep)
{
  struct sockaddr_in a;
  socklen_t al = sizeof(a);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if(fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
     getsockname(fd, (struct sockaddr *)&a, &al) != 0 ||
     (keep && listen(fd, 4) != 0))
    return -1;
  *port = ntohs(a.sin_port);
  if(!keep) {
    close(fd);
    return 0;
  }
  return fd;
}

/* Connect to 127.0.0.1:port; 0 when answered, else the errno. */
static int try_connect(int port)
{
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM, 0), rc;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  rc = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 ? 0 : errno;
  close(fd);
  return rc;
}

static const cJSON *flow_to(const cJSON *flows, int port)
{
  const cJSON *f;
  char dst[32];
  snprintf(dst, sizeof(dst), "127.0.0.1:%d", port);
  cJSON_ArrayForEach(f, flows)
    if(xd_json_str(f, "dst") && !strcmp(xd_json_str(f, "dst"), dst))
      return f;
  return NULL;
}

int main(void)
{
  int open_port = 0, closed_port = 0, lfd, ports[2];
  xd_cidr peer;
  pr_capture_config cfg;
  pr_capture *c = NULL;
  xd_err e = {0};
  xd_rc rc;
  cJSON *obs;
  const cJSON *f, *cap;
  long v;
  bool dropped;

  lfd = listener(&open_port, true);
  if(lfd < 0 || listener(&closed_port, false) != 0) {
    fprintf(stderr, "no loopback sockets\n");
    return 1;
  }
  ports[0] = open_port;
  ports[1] = closed_port;
  CHECK(xd_cidr_parse("127.0.0.1", &peer));
  memset(&cfg, 0, sizeof(cfg));
  cfg.ports = ports;
  cfg.n_ports = 2;
  cfg.peers = &peer;
  cfg.n_peers = 1;
  cfg.side = "studio";
  rc = pr_capture_open(&cfg, &c, &e);
  if(rc == XD_E_PERM) {
    printf("no permission to capture (%s): skipped\n", e.msg);
    return 77;
  }
  CHECK(rc == XD_OK);
  if(rc != XD_OK) {
    fprintf(stderr, "%s\n", e.msg);
    return CHECK_DONE();
  }
  CHECK(pr_drop_privileges(&e) == XD_OK);
  CHECK(pr_privileges_dropped());
  CHECK(pr_capture_start(c, &e) == XD_OK);

  CHECK_INT(try_connect(open_port), 0);
  CHECK_INT(try_connect(closed_port), ECONNREFUSED);
  pr_capture_stop(c, 300);

  obs = xd_obs_new("studio", "test");
  CHECK(pr_capture_flows(c, obs, &e) == XD_OK);
  CHECK(xd_obs_check(obs, "live", &e) == XD_OK);
  cap = xd_json_object(obs, "capture");
  CHECK_STR(xd_json_str(cap, "interface"), "lo");
  CHECK(xd_json_bool(cap, "privileges_dropped", &dropped) && dropped);
  f = flow_to(xd_json_array(obs, "flows"), open_port);
  CHECK(f != NULL);
  CHECK(xd_json_long(f, "syn", &v) && v == 1);
  CHECK(xd_json_long(f, "syn_ack", &v) && v == 1);
  CHECK(xd_json_long(f, "rst", &v) && v == 0);
  CHECK_CONTAINS(xd_json_str(f, "src"), "127.0.0.1:");
  f = flow_to(xd_json_array(obs, "flows"), closed_port);
  CHECK(f != NULL);
  CHECK(xd_json_long(f, "syn", &v) && v == 1);
  CHECK(xd_json_long(f, "rst", &v) && v == 1);
  CHECK(xd_json_long(f, "syn_ack", &v) && v == 0);
  CHECK_STR(xd_json_str(f, "where"), "studio");
  if(check_failed) {
    char *s = xd_json_print(obs, true);
    fputs(s ? s : "", stderr);
    free(s);
  }
  cJSON_Delete(obs);
  pr_capture_close(c);
  close(lfd);
  return CHECK_DONE();
}
