/* probes/http.c: which service answers on an open port, with libcurl's
 * multi interface on the engine's loop (the socket and timer callbacks
 * hand curl's sockets to epoll).
 *
 * One port gets a few GETs in turn, the likeliest for its number first,
 * until one identifies the service: Livy (/sessions answers a JSON object
 * with "sessions"), Presto or Trino (/v1/info, "nodeVersion"), YARN
 * (/ws/v1/cluster/info, "clusterInfo"), the Spark history server
 * (/api/v1/applications, a JSON array). A transport failure stops the
 * series: the port does not speak HTTP. 401 and 403 stop it too: the
 * service is there and wants credentials. The certificate is not checked
 * here (the TLS probe reports it); every request opens its own connection
 * so each one's phases are whole, as blackbox_exporter reports them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <curl/curl.h>

#include "../common/timeutil.h"
#include "pr_internal.h"
#include "xd_version.h"

static const struct {
  const char *path;
  const char *service;
} paths[] = {
  {"/sessions", "livy"},
  {"/v1/info", "presto"},
  {"/ws/v1/cluster/info", "yarn"},
  {"/api/v1/applications", "spark-history"},
};
#define N_PATHS 4

/* Ports of the EMR primary node (domain.md). http: whether the service
 * speaks HTTP, so a failed GET does not contradict the guess. */
static const struct {
  int port;
  const char *service;
  bool http;
  int first_path;   /* index into paths, or -1 */
} known[] = {
  {8998, "livy", true, 0},
  {8889, "presto", true, 1},
  {8088, "yarn", true, 2},
  {18080, "spark-history", true, 3},
  {10000, "hiveserver2", false, -1},
  {10001, "hiveserver2-http", true, -1},
  {10002, "hiveserver2-webui", true, -1},
  {9083, "hive-metastore", false, -1},
  {20888, "yarn-proxy", true, -1},
  {8188, "yarn-timeline", true, -1},
  {8888, "hue", true, -1},
  {8890, "zeppelin", true, -1},
  {9443, "jupyterhub", true, -1},
  {88, "kerberos-kdc", false, -1},
  {749, "kerberos-admin", false, -1},
  {464, "kpasswd", false, -1},
  {389, "ldap", false, -1},
  {636, "ldaps", false, -1},
};
#define N_KNOWN (sizeof(known) / sizeof(known[0]))

const char *pr_http_port_service(int port)
{
  for(size_t i = 0; i < N_KNOWN; i++)
    if(known[i].port == port)
      return known[i].service;
  return NULL;
}

static int known_idx(int port)
{
  for(size_t i = 0; i < N_KNOWN; i++)
    if(known[i].port == port)
      return (int)i;
  return -1;
}

int pr_http_port_speaks_http(int port)
{
  int k = known_idx(port);
  return k < 0 ? -1 : known[k].http;
}

const char *pr_http_identify(int path_idx, long status, const char *body,
                             size_t len, char **version)
{
  cJSON *j;
  const char *svc = NULL;
  if(status < 200 || status > 299 || !body || !len || path_idx < 0 ||
     path_idx >= N_PATHS)
    return NULL;
  j = cJSON_ParseWithLength(body, len);
  if(!j)
    return NULL;
  switch(path_idx) {
  case 0:
    if(cJSON_IsObject(j) &&
       cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "sessions")))
      svc = "livy";
    break;
  case 1: {
    const cJSON *nv = cJSON_GetObjectItemCaseSensitive(j, "nodeVersion");
    if(cJSON_IsObject(j) && cJSON_IsObject(nv)) {
      const cJSON *v = cJSON_GetObjectItemCaseSensitive(nv, "version");
      svc = "presto";
      if(version && cJSON_IsString(v))
        *version = strdup(v->valuestring);
    }
    break;
  }
  case 2:
    if(cJSON_IsObject(j) &&
       cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "clusterInfo")))
      svc = "yarn";
    break;
  case 3:
    /* an empty list is what a fresh history server answers */
    if(cJSON_IsArray(j)) {
      const cJSON *first = cJSON_GetArrayItem(j, 0);
      if(!first || (cJSON_IsObject(first) &&
                    cJSON_GetObjectItemCaseSensitive(first, "id")))
        svc = "spark-history";
    }
    break;
  }
  cJSON_Delete(j);
  return svc;
}

/* ---- curl on the loop ------------------------------------------------ */

static void check_done(pr_session *s);

static void on_timer(void *ud)
{
  pr_session *s = ud;
  curl_multi_socket_action(s->curlm, CURL_SOCKET_TIMEOUT, 0, &s->curl_running);
  check_done(s);
}

static int timer_cb(CURLM *m, long timeout_ms, void *ud)
{
  pr_session *s = ud;
  (void)m;
  if(timeout_ms < 0)
    pr_timer_disarm(&s->loop, &s->curl_timer);
  else
    pr_timer_arm(&s->loop, &s->curl_timer, xd_now_ms() + (double)timeout_ms);
  return 0;
}

static void on_io(void *ud, int fd, uint32_t ev)
{
  pr_session *s = ud;
  int flags = 0;
  if(ev & EPOLLIN)
    flags |= CURL_CSELECT_IN;
  if(ev & EPOLLOUT)
    flags |= CURL_CSELECT_OUT;
  if(ev & (EPOLLERR | EPOLLHUP))
    flags |= CURL_CSELECT_ERR;
  curl_multi_socket_action(s->curlm, fd, flags, &s->curl_running);
  check_done(s);
}

static int sock_cb(CURL *easy, curl_socket_t fd, int what, void *ud, void *sp)
{
  pr_session *s = ud;
  uint32_t ev = 0;
  (void)easy;
  (void)sp;
  if(what == CURL_POLL_REMOVE) {
    pr_loop_unwatch(&s->loop, fd);
    return 0;
  }
  if(what == CURL_POLL_IN || what == CURL_POLL_INOUT)
    ev |= EPOLLIN;
  if(what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
    ev |= EPOLLOUT;
  if(pr_loop_watch(&s->loop, fd, ev, on_io, s) != XD_OK)
    pr_session_fail(s, XD_E_NET, "epoll_ctl failed for an HTTP socket");
  return 0;
}

xd_rc pr_http_init(pr_session *s, xd_err *e)
{
  CURLM *m;
  if(s->curlm)
    return XD_OK;
  if(curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return xd_fail(e, XD_E_NET, "libcurl: global initialisation failed");
  m = curl_multi_init();
  if(!m)
    return xd_fail(e, XD_E_NOMEM, "libcurl: cannot create a multi handle");
  curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, sock_cb);
  curl_multi_setopt(m, CURLMOPT_SOCKETDATA, s);
  curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, timer_cb);
  curl_multi_setopt(m, CURLMOPT_TIMERDATA, s);
  curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, s->concurrency);
  s->curl_timer.fn = on_timer;
  s->curl_timer.ud = s;
  s->curlm = m;
  return XD_OK;
}

static size_t write_cb(char *p, size_t size, size_t n, void *ud)
{
  pr_http *h = ud;
  size_t len = size * n, room = PR_HTTP_MAX_BODY - h->body.len;
  if(len > room) {
    xd_buf_append(&h->body, p, room);
    h->truncated = true;
    return 0;   /* enough: curl stops with CURLE_WRITE_ERROR */
  }
  xd_buf_append(&h->body, p, len);
  return len;
}

static void finish(pr_session *s, pr_http *h)
{
  int k = known_idx(h->port);
  if(!h->service && h->status == 0 && k >= 0 && !known[k].http) {
    /* open TCP, no HTTP: all we have is the port number */
    h->service = known[k].service;
    h->identified_by = "port";
  }
  xd_buf_free(&h->body);
  h->finished = true;
  if(h->done)
    h->done(s, h);
  s->outstanding--;
}

static bool start_attempt(pr_session *s, pr_http *h);

static double us_ms(curl_off_t us)
{
  return (double)us / 1000.0;
}

static void attempt_done(pr_session *s, pr_http *h, CURL *easy, CURLcode res)
{
  long status = 0;
  curl_off_t nl = 0, co = 0, ap = 0, st = 0, tot = 0;
  const char *ct = NULL;
  int pidx = h->order[h->next];
  cJSON *att = cJSON_CreateObject();
  bool transport_failed;
  char *url = NULL;

  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &nl);
  curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &co);
  curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &ap);
  curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &st);
  curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &tot);
  curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &ct);
  curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &url);

  transport_failed = res != CURLE_OK && !(res == CURLE_WRITE_ERROR &&
                                          h->truncated);
  if(att) {
    cJSON_AddStringToObject(att, "path", paths[pidx].path);
    if(status)
      cJSON_AddNumberToObject(att, "status", (double)status);
    else
      cJSON_AddNullToObject(att, "status");
    cJSON_AddNumberToObject(att, "ms", pr_round_ms(us_ms(tot)));
    if(h->truncated)
      cJSON_AddBoolToObject(att, "truncated", true);
    if(transport_failed)
      cJSON_AddStringToObject(att, "error", h->errbuf[0]
                                                ? h->errbuf
                                                : curl_easy_strerror(res));
    cJSON_AddItemToArray(h->attempts, att);
  }
  /* a later path that fails (the budget ran out, the server went away)
   * says nothing new about a port that has already answered HTTP: the
   * answer that was had stays the result */
  if(!(transport_failed && h->status > 0)) {
    h->status = status;
    free(h->url);
    h->url = url ? strdup(url) : NULL;
    free(h->content_type);
    h->content_type = ct ? strdup(ct) : NULL;
    h->phases[0] = h->dns_ms >= 0 ? h->dns_ms : us_ms(nl);
    h->phases[1] = co > nl ? us_ms(co - nl) : 0;
    h->phases[2] = ap > co ? us_ms(ap - co) : 0;
    h->phases[3] = st > (ap > co ? ap : co) ? us_ms(st - (ap > co ? ap : co))
                                            : 0;
    h->phases[4] = us_ms(tot);
    h->body_bytes = h->body.len;
    h->body_truncated = h->truncated;
    free(h->error);
    h->error = NULL;
    if(transport_failed)
      h->error = strdup(h->errbuf[0] ? h->errbuf : curl_easy_strerror(res));
  }
  curl_multi_remove_handle(s->curlm, easy);
  curl_easy_cleanup(easy);
  h->easy = NULL;
  curl_slist_free_all(h->headers);
  curl_slist_free_all(h->connect_to);
  h->headers = h->connect_to = NULL;

  if(transport_failed) {
    finish(s, h);
    return;
  }
  free(h->version);
  h->version = NULL;
  h->service = pr_http_identify(pidx, status, h->body.data, h->body.len,
                                &h->version);
  if(h->service) {
    h->identified_by = "response";
    finish(s, h);
    return;
  }
  /* 401/403: the service is there and wants credentials. A body past the
   * limit cannot be identified, and the next path would only read another
   * megabyte. Either way all that is left is the port number. */
  if(status == 401 || status == 403 || status == 407 || h->truncated) {
    int k = known_idx(h->port);
    h->auth_required = status == 401 || status == 403 || status == 407;
    if(k >= 0 && known[k].http) {
      h->service = known[k].service;
      h->identified_by = "port";
    }
    finish(s, h);
    return;
  }
  h->next++;
  if(h->next >= h->n_order || !start_attempt(s, h))
    finish(s, h);
}

static void check_done(pr_session *s)
{
  CURLMsg *m;
  int left;
  while((m = curl_multi_info_read(s->curlm, &left))) {
    char *priv = NULL;
    if(m->msg != CURLMSG_DONE)
      continue;
    curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
    if(priv)
      attempt_done(s, (pr_http *)(void *)priv, m->easy_handle,
                   m->data.result);
  }
}

static bool start_attempt(pr_session *s, pr_http *h)
{
  double now = xd_now_ms(), left = h->budget_ms - (now - h->t_start);
  char ip[PR_IPSTR], host[300], url[600], ua[64], ct[400];
  const char *path = paths[h->order[h->next]].path;
  CURL *c;
  struct curl_slist *hd = NULL, *ctl = NULL;

  if(h->until_ms > 0 && h->until_ms - now < left)
    left = h->until_ms - now;
  if(left < 1)
    return false;
  xd_buf_reset(&h->body);
  h->truncated = false;
  pr_ip_str(&h->ip, ip, sizeof(ip));
  if(h->host)
    snprintf(host, sizeof(host), "%s", h->host);
  else if(h->ip.family == 6)
    snprintf(host, sizeof(host), "[%s]", ip);
  else
    snprintf(host, sizeof(host), "%s", ip);
  snprintf(url, sizeof(url), "%s://%s:%d%s", h->https ? "https" : "http", host,
           h->port, path);
  c = curl_easy_init();
  if(!c)
    return false;
  hd = curl_slist_append(NULL, "Accept: application/json");
  if(h->host) {
    /* the URL keeps the name (Host header, SNI); the connection goes to
     * the address being probed */
    snprintf(ct, sizeof(ct), h->ip.family == 6 ? "%s:%d:[%s]:%d"
                                                : "%s:%d:%s:%d",
             h->host, h->port, ip, h->port);
    ctl = curl_slist_append(NULL, ct);
  }
  snprintf(ua, sizeof(ua), "xacct-doctor/%s", XD_VERSION);
  h->errbuf[0] = 0;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PRIVATE, (char *)h);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)left);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)left);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_CIPHER_LIST, "ALL:@SECLEVEL=0");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
  if(ctl)
    curl_easy_setopt(c, CURLOPT_CONNECT_TO, ctl);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
  h->easy = c;
  h->headers = hd;
  h->connect_to = ctl;
  if(curl_multi_add_handle(s->curlm, c) != CURLM_OK) {
    curl_easy_cleanup(c);
    curl_slist_free_all(hd);
    curl_slist_free_all(ctl);
    h->easy = h->headers = h->connect_to = NULL;
    return false;
  }
  return true;
}

void pr_http_submit(pr_session *s, pr_http *h)
{
  int k = known_idx(h->port), first = k >= 0 ? known[k].first_path : -1;
  h->sess = s;
  h->n_order = 0;
  h->next = 0;
  if(first >= 0)
    h->order[h->n_order++] = first;
  for(int i = 0; i < N_PATHS; i++)
    if(i != first)
      h->order[h->n_order++] = i;
  xd_buf_init(&h->body);
  h->attempts = cJSON_CreateArray();
  h->t_start = xd_now_ms();
  h->budget_ms = pr_session_budget(s, h->budget_ms);
  s->outstanding++;
  if(!h->attempts || !start_attempt(s, h)) {
    if(!h->error)
      h->error = strdup("the request could not be started");
    finish(s, h);
  }
}

void pr_http_not_asked(pr_session *s, pr_http *h)
{
  int k = known_idx(h->port);
  char msg[160];
  h->sess = s;
  h->attempts = cJSON_CreateArray();
  h->phases[0] = h->dns_ms >= 0 ? h->dns_ms : 0;
  if(k >= 0) {
    h->service = known[k].service;
    h->identified_by = "port";
  }
  snprintf(msg, sizeof(msg), "not asked: %s on port %d does not speak HTTP",
           k >= 0 ? known[k].service : "the service", h->port);
  h->error = strdup(msg);
  h->finished = true;
}

void pr_http_cancel(pr_session *s, pr_http *h)
{
  if(h->easy) {
    curl_multi_remove_handle(s->curlm, h->easy);
    curl_easy_cleanup(h->easy);
    h->easy = NULL;
  }
  curl_slist_free_all(h->headers);
  curl_slist_free_all(h->connect_to);
  h->headers = h->connect_to = NULL;
  if(!h->error)
    h->error = strdup("cancelled before it finished");
}

void pr_http_clear(pr_http *h)
{
  if(h->easy) {
    CURLM *m = h->sess ? h->sess->curlm : NULL;
    if(m)
      curl_multi_remove_handle(m, h->easy);
    curl_easy_cleanup(h->easy);
    h->easy = NULL;
  }
  curl_slist_free_all(h->headers);
  curl_slist_free_all(h->connect_to);
  h->headers = h->connect_to = NULL;
  xd_buf_free(&h->body);
  free(h->url);
  free(h->version);
  free(h->content_type);
  free(h->error);
  cJSON_Delete(h->attempts);
  h->url = h->version = h->content_type = h->error = NULL;
  h->attempts = NULL;
}

void pr_http_free_multi(pr_session *s)
{
  if(s->curlm) {
    curl_multi_cleanup(s->curlm);
    s->curlm = NULL;
    curl_global_cleanup();
  }
  if(s->loop_ok)
    pr_timer_disarm(&s->loop, &s->curl_timer);
}
