/* The packets' side of the control plane and of DNS (crosscheck.h).
 *
 * The break is placed as analyzer/crosscheck.c places it for Livy, in the
 * order a call from Studio meets it: the name gives no address, it gives a
 * public address where the configuration expects the interface endpoint's
 * private one (or where nothing carries traffic to a public one), nothing
 * answers the SYN, a reset answers it, the TLS handshake or the
 * certificate fails. Where the configuration already names the element
 * that breaks the path, the packets' evidence is added to that finding;
 * where it says the path is blocked and the handshake completes, or the
 * reverse, the "config vs traffic" findings of crosscheck.c are used. */
#include "crosscheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../common/jsonutil.h"
#include "../../common/netaddr.h"
#include "../crosscheck.h"
#include "../findings/cmdline.h"

#define CP_MAX 16

typedef enum {
  CP_NONE,        /* nothing observed about this name */
  CP_OK,          /* TCP open, TLS handshake and certificate good */
  CP_NO_ADDRESS,  /* the name gave no address */
  CP_PUBLIC,      /* a public address where a private one is expected */
  CP_FILTERED,    /* no answer to the SYN */
  CP_RESET,       /* a reset answered it */
  CP_TLS          /* the handshake or the certificate failed */
} cp_break;

/* What the configuration expects the name to give: the interface
 * endpoint's private address (the path goes through one), a public one
 * (through a NAT or internet gateway), or not known (no path). */
typedef enum { CP_EXPECT_UNKNOWN, CP_EXPECT_PRIVATE, CP_EXPECT_PUBLIC } cp_expect;

typedef struct {
  const char *name;
  const cJSON *dns;             /* the A answer, or NULL */
  const cJSON *tcp[CP_MAX];
  size_t n_tcp;
  const cJSON *tls[CP_MAX];
  size_t n_tls;
} cp_seen;

/* What the findings share: the Studio VPC and account, the result. */
typedef struct {
  const az_model *m;
  const az_vpc *vpc;
  const char *account;
  xd_result *r;
} cp_ctx;

static bool str_is(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

static bool is_cp(const cJSON *it)
{
  return str_is(xd_json_str(it, "role"), "control-plane");
}

/* Documents of the Studio side (a probe run there, or check's own). */
static bool studio_doc(const cJSON *doc)
{
  const char *side = xd_json_str(doc, "side");
  return !side || !strcmp(side, "studio");
}

static bool is_a(const cJSON *d)
{
  const char *t = xd_json_str(d, "type");
  return !t || !strcmp(t, "A");
}

bool az_cp_is_vpc_resolver(const az_vpc *vpc, const char *ip)
{
  xd_ip a, b;
  if(!ip || !xd_ip_parse(ip, &a))
    return false;   /* "10.0.0.2:5353" (not port 53), "/etc/hosts" */
  if((xd_ip_parse("169.254.169.253", &b) && xd_ip_equal(&a, &b)) ||
     (xd_ip_parse("fd00:ec2::253", &b) && xd_ip_equal(&a, &b)))
    return true;
  return vpc && vpc->n_cidrs && xd_cidr_nth(&vpc->cidrs[0], 2, &b) &&
         xd_ip_equal(&a, &b);
}

/* Private: inside the Studio VPC's blocks or RFC 1918 / RFC 6598. An
 * interface endpoint's address is in Studio's VPC; a regional public
 * endpoint's is not. */
static bool private_ip(const az_vpc *vpc, const char *s)
{
  static const char *const priv[] = {"10.0.0.0/8", "172.16.0.0/12",
                                     "192.168.0.0/16", "100.64.0.0/10",
                                     "fc00::/7"};
  xd_ip ip;
  xd_cidr c;
  if(!s || !xd_ip_parse(s, &ip))
    return false;
  for(size_t i = 0; vpc && i < vpc->n_cidrs; i++)
    if(xd_cidr_contains_ip(&vpc->cidrs[i], &ip))
      return true;
  for(size_t i = 0; i < sizeof(priv) / sizeof(priv[0]); i++)
    if(xd_cidr_parse(priv[i], &c) && xd_cidr_contains_ip(&c, &ip))
      return true;
  return false;
}

/* The control-plane names probed, in order, each once. */
static size_t cp_names(cJSON *const *obs, size_t n_obs, const char **out,
                       size_t max)
{
  static const char *const keys[] = {"dns", "name", "tcp", "target"};
  size_t n = 0;
  for(size_t i = 0; i < n_obs; i++) {
    if(!studio_doc(obs[i]))
      continue;
    for(size_t k = 0; k < 4; k += 2) {
      const cJSON *it;
      cJSON_ArrayForEach(it, xd_json_array(obs[i], keys[k])) {
        const char *name = xd_json_str(it, keys[k + 1]);
        bool dup = false;
        if(!is_cp(it) || !name)
          continue;
        for(size_t j = 0; j < n; j++)
          dup |= !strcasecmp(out[j], name);
        if(!dup && n < max)
          out[n++] = name;
      }
    }
  }
  return n;
}

static void gather(cJSON *const *obs, size_t n_obs, const char *name,
                   cp_seen *s)
{
  memset(s, 0, sizeof(*s));
  s->name = name;
  for(size_t i = 0; i < n_obs; i++) {
    const cJSON *it;
    if(!studio_doc(obs[i]))
      continue;
    cJSON_ArrayForEach(it, xd_json_array(obs[i], "dns"))
      if(is_cp(it) && is_a(it) &&
         !strcasecmp(xd_json_str(it, "name") ? xd_json_str(it, "name") : "",
                     name))
        s->dns = it;
    cJSON_ArrayForEach(it, xd_json_array(obs[i], "tcp"))
      if(is_cp(it) && s->n_tcp < CP_MAX && xd_json_str(it, "target") &&
         !strcasecmp(xd_json_str(it, "target"), name))
        s->tcp[s->n_tcp++] = it;
    cJSON_ArrayForEach(it, xd_json_array(obs[i], "tls"))
      if(is_cp(it) && s->n_tls < CP_MAX && xd_json_str(it, "target") &&
         !strcasecmp(xd_json_str(it, "target"), name))
        s->tls[s->n_tls++] = it;
  }
}

static const cJSON *tls_of(const cp_seen *s, const cJSON *tcp)
{
  for(size_t i = 0; i < s->n_tls; i++)
    if(str_is(xd_json_str(s->tls[i], "ip"), xd_json_str(tcp, "ip")))
      return s->tls[i];
  return NULL;
}

static bool tls_good(const cJSON *t)
{
  bool match = true;
  if(!t || !str_is(xd_json_str(t, "handshake"), "ok") ||
     !str_is(xd_json_str(t, "verify"), "ok"))
    return false;
  xd_json_bool(t, "hostname_match", &match);
  return match;
}

static bool answers_public(const cp_ctx *c, const cp_seen *s)
{
  const cJSON *a;
  size_t n = 0;
  cJSON_ArrayForEach(a, xd_json_array(s->dns, "answers")) {
    if(!cJSON_IsString(a) || private_ip(c->vpc, a->valuestring))
      return false;
    n++;
  }
  return n > 0;
}

static bool resolved(const cJSON *d)
{
  return str_is(xd_json_str(d, "rcode"), "NOERROR") &&
         cJSON_GetArraySize(xd_json_array(d, "answers")) > 0;
}

/* Where the packets break; *tcp and *tls are the entries that tell. */
static cp_break place(const cp_ctx *c, const cp_seen *s, cp_expect want,
                      const cJSON **tcp, const cJSON **tls)
{
  bool closed = false, filtered = false;
  *tcp = *tls = NULL;
  if(!s->dns && !s->n_tcp)
    return CP_NONE;
  for(size_t i = 0; i < s->n_tcp; i++) {
    const char *st = xd_json_str(s->tcp[i], "state");
    if(str_is(st, "open")) {
      const cJSON *t = tls_of(s, s->tcp[i]);
      if(tls_good(t)) {
        *tcp = s->tcp[i];
        *tls = t;
        return CP_OK;
      }
      /* an address whose TLS failed tells more than one not judged */
      if(t || !*tls) {
        *tcp = s->tcp[i];
        *tls = t;
      }
    }
    else if(str_is(st, "closed") || str_is(st, "filtered")) {
      closed |= str_is(st, "closed");
      filtered |= str_is(st, "filtered");
      if(!*tcp)
        *tcp = s->tcp[i];
    }
  }
  if(*tls)
    return CP_TLS;
  if(*tcp && str_is(xd_json_str(*tcp, "state"), "open"))
    return CP_OK;   /* connected; no TLS probe ran (or finished) to judge */
  if(!s->n_tcp)
    return s->dns && !resolved(s->dns) ? CP_NO_ADDRESS : CP_NONE;
  if(answers_public(c, s) &&
     (want == CP_EXPECT_PRIVATE || (want == CP_EXPECT_UNKNOWN && !closed)))
    return CP_PUBLIC;
  if(closed)
    return CP_RESET;
  return filtered ? CP_FILTERED : CP_NONE;
}

/* "from 10.0.0.2, the VPC resolver of vpc-..." and the like. */
static void server_text(const cp_ctx *c, const char *server, char *out,
                        size_t n)
{
  if(!server)
    snprintf(out, n, "from an unknown server");
  else if(!c->vpc)
    snprintf(out, n, "from %s", server);
  else if(az_cp_is_vpc_resolver(c->vpc, server))
    snprintf(out, n, "from %s, the Amazon resolver of %s", server, c->vpc->id);
  else
    snprintf(out, n, "from %s, which is not the Amazon resolver of %s (VPC "
             "base + 2 or 169.254.169.253)", server, c->vpc->id);
}

static void dns_text(const cp_ctx *c, const cp_seen *s, char *out, size_t n)
{
  const cJSON *a;
  char list[256] = "", srv[200];
  size_t l = 0;
  double ms = 0;
  if(!s->dns) {
    snprintf(out, n, "DNS: %s was not resolved by the probe", s->name);
    return;
  }
  cJSON_ArrayForEach(a, xd_json_array(s->dns, "answers"))
    if(cJSON_IsString(a) && l < sizeof(list))
      l += (size_t)snprintf(list + l, sizeof(list) - l, "%s%s (%s)",
                            l ? ", " : "", a->valuestring,
                            private_ip(c->vpc, a->valuestring) ? "private"
                                                               : "public");
  server_text(c, xd_json_str(s->dns, "server"), srv, sizeof(srv));
  if(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(s->dns, "ms")))
    ms = cJSON_GetObjectItemCaseSensitive(s->dns, "ms")->valuedouble;
  snprintf(out, n, "DNS: %s -> %s, %s %s, in %.1f ms", s->name,
           l ? list : "no address",
           xd_json_str(s->dns, "rcode") ? xd_json_str(s->dns, "rcode") : "?",
           srv, ms);
}

static void tcp_text(const cJSON *tcp, const cJSON *tls, char *out, size_t n)
{
  long port = 443;
  const cJSON *ms = cJSON_GetObjectItemCaseSensitive(tcp, "ms");
  size_t l;
  xd_json_long(tcp, "port", &port);
  l = (size_t)snprintf(out, n, "TCP %s:%ld %s (%s) in %.1f ms",
                       xd_json_str(tcp, "ip") ? xd_json_str(tcp, "ip") : "?",
                       port, xd_json_str(tcp, "state") ?
                       xd_json_str(tcp, "state") : "?",
                       xd_json_str(tcp, "reason") ?
                       xd_json_str(tcp, "reason") : "?",
                       cJSON_IsNumber(ms) ? ms->valuedouble : 0.0);
  if(tls && l < n) {
    const cJSON *tms = cJSON_GetObjectItemCaseSensitive(tls, "ms");
    bool match = true;
    xd_json_bool(tls, "hostname_match", &match);
    snprintf(out + l, n - l, "; TLS handshake %s%s%s, certificate %s%s in "
             "%.1f ms", xd_json_str(tls, "handshake") ?
             xd_json_str(tls, "handshake") : "?",
             xd_json_str(tls, "version") ? " " : "",
             xd_json_str(tls, "version") ? xd_json_str(tls, "version") : "",
             xd_json_str(tls, "verify") ? xd_json_str(tls, "verify") :
             "not verified", match ? "" : ", name does not match",
             cJSON_IsNumber(tms) ? tms->valuedouble : 0.0);
  }
}

/* ---- the control-plane paths of the result --------------------------- */

static bool path_is_for(const cJSON *p, const char *name)
{
  const cJSON *to = xd_json_object(p, "to");
  const char *tn = xd_json_str(to, "name");
  long port = 0;
  return str_is(xd_json_str(to, "side"), "control-plane") && tn &&
         !strcasecmp(tn, name) && xd_json_long(to, "port", &port) &&
         port == 443;
}

static const cJSON *hop_of_kind(const cJSON *p, const char *kind)
{
  const cJSON *h;
  cJSON_ArrayForEach(h, xd_json_array(p, "hops"))
    if(str_is(xd_json_str(h, "kind"), kind))
      return h;
  return NULL;
}

static const cJSON *first_deny(const cJSON *p)
{
  const cJSON *h;
  cJSON_ArrayForEach(h, xd_json_array(p, "hops"))
    if(str_is(xd_json_str(h, "verdict"), "deny"))
      return h;
  return NULL;
}

/* The one element a packet-side finding names: the interface endpoint
 * on the path, else the hop that denies, else the Studio VPC. */
static const char *culprit(const cp_ctx *c, const cJSON *p, const char *name)
{
  const cJSON *h = p ? hop_of_kind(p, "vpc-endpoint") : NULL;
  const char *res = h ? xd_json_str(h, "resource") : NULL;
  if(!res && p && (h = first_deny(p)))
    res = xd_json_str(h, "resource");
  if(!res && c->vpc)
    res = c->vpc->id;
  return res ? res : name;
}

static const char *const break_word[] = {
  "nothing observed", "none: the connection and TLS were made",
  "DNS: no address", "DNS: a public address", "no answer to the SYN",
  "reset", "TLS"
};

static void annotate(const cp_ctx *c, cJSON *p, const cp_seen *s, cp_break b,
                     const cJSON *tcp, const cJSON *tls)
{
  cJSON *o = cJSON_CreateObject(), *ans;
  const char *srv = s->dns ? xd_json_str(s->dns, "server") : NULL;
  const cJSON *a;
  if(!o)
    return;
  if(s->dns) {
    xd_json_add_str(o, "dns_rcode", xd_json_str(s->dns, "rcode"));
    if((ans = cJSON_AddArrayToObject(o, "dns_answers")))
      cJSON_ArrayForEach(a, xd_json_array(s->dns, "answers"))
        if(cJSON_IsString(a))
          cJSON_AddItemToArray(ans, cJSON_CreateString(a->valuestring));
    xd_json_add_str(o, "dns_server", srv);
    if(c->vpc && srv)
      cJSON_AddBoolToObject(o, "dns_server_is_vpc_resolver",
                            az_cp_is_vpc_resolver(c->vpc, srv));
  }
  if(tcp) {
    xd_json_add_str(o, "tcp_state", xd_json_str(tcp, "state"));
    xd_json_add_str(o, "tcp_reason", xd_json_str(tcp, "reason"));
  }
  if(tls) {
    xd_json_add_str(o, "tls_handshake", xd_json_str(tls, "handshake"));
    xd_json_add_str(o, "tls_verify", xd_json_str(tls, "verify"));
  }
  cJSON_AddStringToObject(o, "break", break_word[b]);
  cJSON_DeleteItemFromObjectCaseSensitive(p, "observed");
  cJSON_AddItemToObject(p, "observed", o);
}

/* ---- findings ---------------------------------------------------------- */

static xd_rc packet_finding(const cp_ctx *c, const cJSON *p,
                            const cp_seen *s, cp_break b, const char *ev1,
                            const char *ev2)
{
  const char *res = culprit(c, p, s->name);
  const char *code = NULL;
  char msg[768];
  az_cmd fix;
  xd_rc rc;
  az_cmd_init(&fix);
  switch(b) {
  case CP_NO_ADDRESS:
    code = "DNS_ANSWER_NO_ADDRESS";
    snprintf(msg, sizeof(msg), "%s gives no address from the Studio side: "
             "Studio cannot call the API behind it, so discovery fails "
             "(\"Unable to assume role\", no clusters listed).", s->name);
    break;
  case CP_PUBLIC:
    code = "DNS_ANSWER_CONTROL_PLANE_PUBLIC";
    snprintf(msg, sizeof(msg), "%s resolves to a public address from the "
             "Studio side and that address does not answer: without a NAT "
             "route the name must resolve to the VPC's interface endpoint "
             "(an endpoint for the service with private DNS enabled, "
             "resolved by the VPC's own resolver).", s->name);
    if(!strncmp(res, "vpce-", 5)) {
      az_cmd_args(&fix, "aws", "ec2", "modify-vpc-endpoint",
                  "--vpc-endpoint-id", NULL);
      az_cmd_id(&fix, AZ_ID_VPCE, res);
      az_cmd_arg(&fix, "--private-dns-enabled");
      if(c->vpc)
        az_cmd_region(&fix, c->vpc->region);
    }
    break;
  case CP_FILTERED:
    code = "CONTROL_PLANE_PROBE_FILTERED";
    snprintf(msg, sizeof(msg), "Nothing answers %s on 443 from the Studio "
             "side: the SYN is dropped on the way (a route, a security "
             "group or network ACL, the endpoint's group) and Studio's API "
             "calls time out.", s->name);
    break;
  case CP_RESET:
    code = "CONTROL_PLANE_PROBE_RESET";
    snprintf(msg, sizeof(msg), "%s refuses the connection on 443 from the "
             "Studio side (a reset): what answers at that address is not "
             "the AWS endpoint, or a firewall rejects the call.", s->name);
    break;
  case CP_TLS:
    code = "CONTROL_PLANE_PROBE_TLS";
    snprintf(msg, sizeof(msg), "The TLS handshake with %s fails or its "
             "certificate does not verify against the CA bundle AWS calls "
             "use: the SDK in Studio refuses the connection (a TLS-"
             "inspecting proxy or firewall, or the wrong host behind the "
             "name).", s->name);
    break;
  default:
    az_cmd_free(&fix);
    return XD_OK;
  }
  rc = az_xc_add(c->r, code, XD_SEV_CRITICAL, res, c->account, msg, ev1, ev2,
                 az_cmd_line(&fix) ? &fix : NULL);
  az_cmd_free(&fix);
  return rc;
}

static xd_rc judge_path(const cp_ctx *c, cJSON *p, const cp_seen *s)
{
  const char *verdict = xd_json_str(p, "verdict");
  bool cfg_blocked = str_is(verdict, "blocked");
  bool cfg_ok = str_is(verdict, "reachable");
  bool cfg_unknown = !cfg_blocked && !cfg_ok;
  cp_expect want = hop_of_kind(p, "vpc-endpoint") ? CP_EXPECT_PRIVATE
                                                   : CP_EXPECT_PUBLIC;
  const cJSON *tcp, *tls, *deny = first_deny(p);
  cp_break b = place(c, s, want, &tcp, &tls);
  char ev1[600], ev2[600], msg[600];
  xd_rc rc = XD_OK;

  if(b == CP_NONE)
    return XD_OK;
  dns_text(c, s, ev1, sizeof(ev1));
  ev2[0] = '\0';
  if(tcp)
    tcp_text(tcp, tls, ev2, sizeof(ev2));
  if(b == CP_OK) {
    if(cfg_blocked) {
      const char *res = deny ? xd_json_str(deny, "resource") : NULL;
      az_cmd fix;
      snprintf(msg, sizeof(msg), "The configuration says %s:443 is blocked"
               "%s%s, but the handshake completed: the snapshot is stale or "
               "incomplete.", s->name, res ? " at " : "", res ? res : "");
      az_cmd_init(&fix);
      az_cmd_args(&fix, "xacct-doctor", "fetch", "--out", "NEW_SNAPSHOT",
                  NULL);
      rc = az_xc_add(c->r, "CONFIG_BLOCKS_TRAFFIC_PASSES", XD_SEV_WARNING,
                     res && *res ? res : s->name, c->account, msg, ev2, ev1,
                     &fix);
      az_cmd_free(&fix);
    }
  }
  else if(cfg_blocked) {
    const char *res = deny ? xd_json_str(deny, "resource") : NULL;
    bool said = az_xc_confirm(c->r, res, ev1);
    if(ev2[0])
      said |= az_xc_confirm(c->r, res, ev2);
    if(!said)
      rc = packet_finding(c, p, s, b, ev1, ev2[0] ? ev2 : NULL);
  }
  else if(cfg_ok && b == CP_FILTERED) {
    snprintf(msg, sizeof(msg), "The configuration allows %s:443, but the "
             "connection times out: the snapshot is stale, or an element it "
             "does not show (a firewall appliance, a proxy) drops it.",
             s->name);
    rc = az_xc_add(c->r, "CONFIG_ALLOWS_TRAFFIC_DIES", XD_SEV_CRITICAL,
                   culprit(c, p, s->name), c->account, msg, ev2, ev1, NULL);
  }
  else
    rc = packet_finding(c, p, s, b, ev1, ev2[0] ? ev2 : NULL);
  if(cfg_unknown)
    xd_result_path_set_verdict(p, b == CP_OK ? "reachable" : "blocked");
  annotate(c, p, s, b, tcp, tls);
  if(cfg_unknown)
    cJSON_AddStringToObject((cJSON *)xd_json_object(p, "observed"),
                            "verdict_from", "traffic");
  return rc;
}

static xd_rc check_name(const cp_ctx *c, cJSON *const *obs, size_t n_obs,
                        const char *name)
{
  cp_seen s;
  cJSON *p;
  bool any = false;
  gather(obs, n_obs, name, &s);
  cJSON_ArrayForEach(p, (cJSON *)xd_json_array(xd_result_json(c->r),
                                               "paths")) {
    xd_rc rc;
    if(!path_is_for(p, name))
      continue;
    any = true;
    if((rc = judge_path(c, p, &s)) != XD_OK)
      return rc;
  }
  if(!any) {
    /* no configuration-side path (the endpoints file is missing, or the
     * Studio side is not known): the packets alone place the break */
    const cJSON *tcp, *tls;
    cp_break b = place(c, &s, CP_EXPECT_UNKNOWN, &tcp, &tls);
    char ev1[600], ev2[600];
    if(b == CP_NONE || b == CP_OK)
      return XD_OK;
    dns_text(c, &s, ev1, sizeof(ev1));
    ev2[0] = '\0';
    if(tcp)
      tcp_text(tcp, tls, ev2, sizeof(ev2));
    return packet_finding(c, NULL, &s, b, ev1, ev2[0] ? ev2 : NULL);
  }
  return XD_OK;
}

/* ---- which server answered, and a primary node name with no address --- */

static bool critical_with_prefix(xd_result *r, const char *prefix,
                                 const char *evidence)
{
  cJSON *f;
  bool found = false;
  cJSON_ArrayForEach(f, xd_json_array(xd_result_json(r), "findings")) {
    const char *code = xd_json_str(f, "code");
    if(!code || strncmp(code, prefix, strlen(prefix)) ||
       !str_is(xd_json_str(f, "severity"), "critical"))
      continue;
    found = true;
    az_xc_confirm(r, xd_json_str(f, "resource"), evidence);
  }
  return found;
}

static const az_cluster *cluster_named(const az_model *m, const char *name)
{
  for(size_t i = 0; name && i < m->n_clusters; i++) {
    const az_cluster *cl = &m->clusters[i];
    if(cl->master_public_dns && !strcasecmp(cl->master_public_dns, name))
      return cl;
    for(size_t k = 0; k < cl->n_instances; k++)
      if((cl->instances[k].private_dns &&
          !strcasecmp(cl->instances[k].private_dns, name)) ||
         (cl->instances[k].public_dns &&
          !strcasecmp(cl->instances[k].public_dns, name)))
        return cl;
  }
  return NULL;
}


static xd_rc node_name(const cp_ctx *c, const cJSON *d)
{
  const char *name = xd_json_str(d, "name");
  const char *srv = xd_json_str(d, "server");
  const az_cluster *cl = cluster_named(c->m, name);
  bool vpc_resolver = az_cp_is_vpc_resolver(c->vpc, srv);
  char ev[600], where[200], msg[768];
  if(!cl || resolved(d))
    return XD_OK;
  server_text(c, srv, where, sizeof(where));
  snprintf(ev, sizeof(ev), "DNS from Studio: %s -> no address (%s) %s", name,
           xd_json_str(d, "rcode") ? xd_json_str(d, "rcode") : "?", where);
  /* the configuration finding that explains it is the one element to
   * change: the DNS servers Studio's VPC hands out, else the peering */
  if(c->vpc && srv && !vpc_resolver) {
    if(critical_with_prefix(c->r, "DNS_CUSTOM_SERVERS_", ev))
      return XD_OK;
    snprintf(msg, sizeof(msg), "%s does not resolve from the Studio side: "
             "the server that answered (%s) is not the VPC's Amazon "
             "resolver, so the peering's DNS resolution does not apply. The "
             "DNS servers of the VPC's DHCP options must forward the AWS "
             "internal names (ec2.internal, compute.internal) to the VPC "
             "resolver (a Route 53 Resolver rule), or the VPC must use "
             "AmazonProvidedDNS.", name, srv);
    /* the packets settle what the configuration could only call unseen:
     * the options set that names those servers is the element to change */
    return az_xc_add(c->r, "DNS_ANSWER_NO_ADDRESS", XD_SEV_CRITICAL,
                     c->vpc->dhcp_options_id &&
                             !strncmp(c->vpc->dhcp_options_id, "dopt-", 5)
                         ? c->vpc->dhcp_options_id
                         : c->vpc->id,
                     c->account, msg, ev, NULL, NULL);
  }
  if(critical_with_prefix(c->r, "PEERING_", ev))
    return XD_OK;
  snprintf(msg, sizeof(msg), "%s does not resolve from the Studio side, so "
           "the client cannot find the primary node (\"Cannot connect to "
           "livy service\").", name);
  return az_xc_add(c->r, "DNS_ANSWER_NO_ADDRESS", XD_SEV_CRITICAL, cl->id,
                   cl->account, msg, ev, NULL, NULL);
}

static xd_rc resolvers(const cp_ctx *c, cJSON *const *obs, size_t n_obs)
{
  for(size_t i = 0; i < n_obs; i++) {
    const cJSON *d;
    if(!studio_doc(obs[i]))
      continue;
    cJSON_ArrayForEach(d, xd_json_array(obs[i], "dns")) {
      const char *srv = xd_json_str(d, "server");
      xd_ip ip;
      xd_rc rc;
      if(!is_a(d))
        continue;
      if(!is_cp(d) && (rc = node_name(c, d)) != XD_OK)
        return rc;
      if(c->vpc && srv && xd_ip_parse(srv, &ip) &&
         !az_cp_is_vpc_resolver(c->vpc, srv)) {
        char ev[600], msg[512];
        snprintf(msg, sizeof(msg), "Studio's names were resolved by %s, not "
                 "by the Amazon resolver of %s: answers depend on what that "
                 "server knows and forwards (interface endpoints' private "
                 "names, the peering's DNS resolution).", srv, c->vpc->id);
        snprintf(ev, sizeof(ev), "%s -> %s answered by %s",
                 xd_json_str(d, "name") ? xd_json_str(d, "name") : "?",
                 xd_json_str(d, "rcode") ? xd_json_str(d, "rcode") : "?",
                 srv);
        if((rc = az_xc_add(c->r, "DNS_ANSWER_NOT_VPC_RESOLVER", XD_SEV_INFO,
                           c->vpc->id, c->account, msg, ev, NULL, NULL)) !=
           XD_OK)
          return rc;
      }
    }
  }
  return XD_OK;
}

xd_rc az_cp_crosscheck(const az_model *m, const az_vpc *studio_vpc,
                       const char *account, cJSON *const *obs, size_t n_obs,
                       xd_result *r, xd_err *e)
{
  const char *names[CP_MAX];
  size_t n;
  cp_ctx c;
  c.m = m;
  c.vpc = studio_vpc;
  c.account = account;
  c.r = r;
  n = cp_names(obs, n_obs, names, CP_MAX);
  for(size_t i = 0; i < n; i++)
    if(check_name(&c, obs, n_obs, names[i]) != XD_OK)
      return xd_fail(e, XD_E_NOMEM, "out of memory");
  if(resolvers(&c, obs, n_obs) != XD_OK)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  return XD_OK;
}
