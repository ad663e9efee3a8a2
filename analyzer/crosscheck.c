#include "crosscheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/jsonutil.h"
#include "../common/netaddr.h"
#include "findings/cmdline.h"

/* What the packets say about one path, gathered from every document. */
typedef struct {
  const cJSON *tcp;        /* the Studio side's probe of ip:port, or NULL */
  long studio_syn, studio_syn_ack, studio_rst;
  bool studio_flow;        /* the Studio side captured this flow */
  long emr_syn, emr_syn_ack, emr_rst;
  bool emr_flow;           /* the EMR side captured this flow */
  bool emr_listened;       /* an EMR capture covered this port at all */
  const char *icmp;        /* an ICMP error seen on either side */
} az_seen;

/* Split "ip:port" or "[v6]:port" into its parts. */
static bool split_endpoint(const char *s, char *ip, size_t n, long *port)
{
  const char *colon;
  char *end;
  size_t len;
  if(!s)
    return false;
  if(s[0] == '[') {
    const char *close = strchr(s, ']');
    if(!close || close[1] != ':')
      return false;
    len = (size_t)(close - s - 1);
    colon = close + 1;
    s++;
  }
  else {
    colon = strrchr(s, ':');
    if(!colon)
      return false;
    len = (size_t)(colon - s);
  }
  if(len == 0 || len >= n)
    return false;
  memcpy(ip, s, len);
  ip[len] = '\0';
  *port = strtol(colon + 1, &end, 10);
  return *end == '\0';
}

static bool same_ip(const char *a, const char *b)
{
  xd_ip x, y;
  if(!a || !b)
    return false;
  if(xd_ip_parse(a, &x) && xd_ip_parse(b, &y))
    return xd_ip_equal(&x, &y);
  return !strcmp(a, b);
}

static long num(const cJSON *o, const char *k)
{
  long v = 0;
  xd_json_long(o, k, &v);
  return v;
}

/* Whether a listen document watched this port (its capture filter named
 * it, or it recorded any flow to it). */
static bool covers_port(const cJSON *doc, long port)
{
  const cJSON *cap = xd_json_object(doc, "capture"), *p;
  const cJSON *ports = cap ? xd_json_array(cap, "ports") : NULL;
  if(!ports)
    return cap != NULL;   /* a capture without a port list saw everything */
  cJSON_ArrayForEach(p, ports)
    if(cJSON_IsNumber(p) && (long)p->valuedouble == port)
      return true;
  return false;
}

static void gather(cJSON *const *obs, size_t n_obs, const char *src_ip,
                   const char *dst_ip, long port, az_seen *s)
{
  memset(s, 0, sizeof(*s));
  for(size_t i = 0; i < n_obs; i++) {
    const char *side = xd_json_str(obs[i], "side");
    bool emr = side && !strcmp(side, "emr");
    const cJSON *it;
    if(emr && xd_json_object(obs[i], "capture") && covers_port(obs[i], port))
      s->emr_listened = true;
    if(!emr) {
      cJSON_ArrayForEach(it, xd_json_array(obs[i], "tcp")) {
        long p = 0;
        const char *role = xd_json_str(it, "role");
        /* the control plane's probes are controlplane/crosscheck.c's */
        if(role && !strcmp(role, "control-plane"))
          continue;
        if(xd_json_long(it, "port", &p) && p == port &&
           same_ip(xd_json_str(it, "ip"), dst_ip))
          s->tcp = it;
      }
    }
    cJSON_ArrayForEach(it, xd_json_array(obs[i], "flows")) {
      char sip[64], dip[64];
      long sport = 0, dport = 0;
      const char *icmp;
      if(!split_endpoint(xd_json_str(it, "dst"), dip, sizeof(dip), &dport) ||
         dport != port || !same_ip(dip, dst_ip))
        continue;
      /* a flow from another Studio host is not this path's */
      if(src_ip && split_endpoint(xd_json_str(it, "src"), sip, sizeof(sip),
                                  &sport) && !same_ip(sip, src_ip))
        continue;
      icmp = xd_json_str(it, "icmp");
      if(icmp)
        s->icmp = icmp;
      if(emr) {
        s->emr_flow = true;
        s->emr_syn += num(it, "syn");
        s->emr_syn_ack += num(it, "syn_ack");
        s->emr_rst += num(it, "rst");
      }
      else {
        s->studio_flow = true;
        s->studio_syn += num(it, "syn");
        s->studio_syn_ack += num(it, "syn_ack");
        s->studio_rst += num(it, "rst");
      }
    }
  }
}

/* Hops that carry the answer back to Studio. The analyzer marks them with
 * "direction": "return"; older results only say so in the kind. */
static bool is_return_hop(const cJSON *h)
{
  const char *dir = xd_json_str(h, "direction");
  const char *kind = xd_json_str(h, "kind");
  if(dir)
    return !strcmp(dir, "return");
  return kind && strstr(kind, "return");
}

/* The first hop that denies, or NULL; with dir ("forward" or "return"),
 * the first that denies in that direction. */
static const cJSON *deny_hop(const cJSON *path, const char *dir)
{
  const cJSON *h;
  cJSON_ArrayForEach(h, xd_json_array(path, "hops")) {
    const char *v = xd_json_str(h, "verdict");
    if(!v || strcmp(v, "deny"))
      continue;
    if(!dir || (!strcmp(dir, "return")) == is_return_hop(h))
      return h;
  }
  return NULL;
}

/* Append evidence to every finding about resource; true when one exists. */
static bool confirm(xd_result *r, const char *resource, const char *evidence)
{
  cJSON *f;
  bool found = false;
  if(!resource || !*resource)
    return false;
  cJSON_ArrayForEach(f, xd_json_array(xd_result_json(r), "findings")) {
    const char *res = xd_json_str(f, "resource");
    cJSON *ev = (cJSON *)xd_json_array(f, "evidence");
    if(res && !strcmp(res, resource) && ev) {
      const cJSON *x;
      bool dup = false;
      cJSON_ArrayForEach(x, ev)
        dup |= cJSON_IsString(x) && !strcmp(x->valuestring, evidence);
      if(!dup)
        cJSON_AddItemToArray(ev, cJSON_CreateString(evidence));
      found = true;
    }
  }
  return found;
}

/* Append evidence to the critical findings whose code starts with
 * prefix, other than the DNS option's own (that one is handled by the
 * caller); true when there was one. */
static bool confirm_code_prefix(xd_result *r, const char *prefix,
                                const char *evidence)
{
  cJSON *f;
  bool found = false;
  cJSON_ArrayForEach(f, xd_json_array(xd_result_json(r), "findings")) {
    const char *code = xd_json_str(f, "code");
    const char *sev = xd_json_str(f, "severity");
    if(!code || strncmp(code, prefix, strlen(prefix)) || !sev ||
       strcmp(sev, "critical") ||
       !strcmp(code, "PEERING_DNS_RESOLUTION_DISABLED"))
      continue;
    found = true;
    confirm(r, xd_json_str(f, "resource"), evidence);
  }
  return found;
}

/* The cluster whose primary node has this private address. */
static const az_cluster *cluster_of(const az_model *m, const char *ip)
{
  for(size_t i = 0; i < m->n_clusters; i++)
    for(size_t k = 0; k < m->clusters[i].n_instances; k++)
      if(same_ip(m->clusters[i].instances[k].private_ip, ip))
        return &m->clusters[i];
  return NULL;
}

static const char *instance_of(const az_model *m, const char *ip)
{
  for(size_t i = 0; i < m->n_clusters; i++)
    for(size_t k = 0; k < m->clusters[i].n_instances; k++)
      if(same_ip(m->clusters[i].instances[k].private_ip, ip))
        return m->clusters[i].instances[k].ec2_instance_id;
  return NULL;
}

static xd_rc add(xd_result *r, const char *code, xd_severity sev,
                 const char *resource, const char *account, const char *msg,
                 const char *ev1, const char *ev2, const az_cmd *fix)
{
  const char *ev[3];
  char why[320];
  size_t n = 0;
  xd_finding f = {0};
  if(ev1)
    ev[n++] = ev1;
  if(ev2)
    ev[n++] = ev2;
  if(fix && !az_cmd_line(fix) && az_cmd_why(fix)) {
    snprintf(why, sizeof(why), "no fix command is given: %s", az_cmd_why(fix));
    ev[n++] = why;
  }
  f.code = code;
  f.severity = sev;
  f.resource = resource;
  f.account = account;
  f.message = msg;
  f.evidence = ev;
  f.n_evidence = n;
  f.remediation = fix ? az_cmd_line(fix) : NULL;
  return xd_result_add_finding(r, &f);
}

/* aws ssm send-command on the primary node (inst, or a placeholder),
 * up to --parameters, whose value the caller appends. */
static void ssm_cmd(az_cmd *c, const char *inst)
{
  az_cmd_args(c, "aws", "ssm", "send-command", "--instance-ids", NULL);
  if(inst)
    az_cmd_id(c, AZ_ID_INSTANCE, inst);
  else
    az_cmd_arg(c, "PRIMARY_INSTANCE_ID");
  az_cmd_args(c, "--document-name", "AWS-RunShellScript", "--parameters",
              NULL);
}

/* What identifying the open port's service gave (the probe's TCP entry:
 * service, identified_by, silent, identify_ms), so that the path's line
 * says "livy answered" or "service not identified in 1 s" beside the
 * handshake. Only what the entry has is copied. */
static void identified(cJSON *o, const cJSON *tcp)
{
  const cJSON *ms = cJSON_GetObjectItemCaseSensitive(tcp, "identify_ms");
  bool silent = false;
  if(!cJSON_IsNumber(ms))
    return;
  cJSON_AddNumberToObject(o, "identify_ms", ms->valuedouble);
  if(xd_json_str(tcp, "service"))
    cJSON_AddStringToObject(o, "service", xd_json_str(tcp, "service"));
  if(xd_json_str(tcp, "identified_by"))
    cJSON_AddStringToObject(o, "identified_by",
                            xd_json_str(tcp, "identified_by"));
  if(xd_json_bool(tcp, "silent", &silent))
    cJSON_AddBoolToObject(o, "silent", silent);
}

/* Record on the path what was seen, so every report can show it. */
static void annotate(cJSON *path, const az_seen *s, const char *where)
{
  cJSON *o = cJSON_CreateObject();
  if(!o)
    return;
  if(s->tcp) {
    cJSON_AddStringToObject(o, "tcp_state", xd_json_str(s->tcp, "state"));
    cJSON_AddStringToObject(o, "tcp_reason", xd_json_str(s->tcp, "reason"));
    identified(o, s->tcp);
  }
  if(s->studio_flow) {
    cJSON_AddNumberToObject(o, "studio_syn", (double)s->studio_syn);
    cJSON_AddNumberToObject(o, "studio_syn_ack", (double)s->studio_syn_ack);
    cJSON_AddNumberToObject(o, "studio_rst", (double)s->studio_rst);
  }
  if(s->emr_flow || s->emr_listened) {
    cJSON_AddNumberToObject(o, "emr_syn", (double)s->emr_syn);
    cJSON_AddNumberToObject(o, "emr_syn_ack", (double)s->emr_syn_ack);
    cJSON_AddNumberToObject(o, "emr_rst", (double)s->emr_rst);
  }
  if(s->icmp)
    cJSON_AddStringToObject(o, "icmp", s->icmp);
  cJSON_AddStringToObject(o, "break", where);
  cJSON_DeleteItemFromObjectCaseSensitive(path, "observed");
  cJSON_AddItemToObject(path, "observed", o);
}

/* The packets say the path is blocked and the configuration could not say
 * where (an account it could not read): one finding for it, with the ways
 * to see the element. */
static void unseen(xd_result *r, const char *dst, long port, const char *res,
                   const char *acct, const char *ev, const char *lost)
{
  char msg[768];
  /* no command can read an account we were refused: the way forward is
   * advice, so it goes in the message, not in the remediation */
  snprintf(msg, sizeof(msg),
           "The connection to %s:%ld is lost %s, and the configuration "
           "could not say which element drops it: this verdict comes from "
           "the traffic only. Read the EMR account's configuration "
           "(emr[].read_role_arn, --account-profile, or docs/collect.sh) and "
           "analyze again, or run `xacct-doctor listen` on the primary node "
           "to place the break.", dst, port, lost);
  add(r, "TRAFFIC_BLOCKED_CONFIG_UNSEEN", XD_SEV_CRITICAL, res, acct, msg, ev,
      "the configuration of the EMR side was not read (see "
      "ACCOUNT_CONFIG_UNREADABLE or SNAPSHOT_FILE_MISSING)", NULL);
}

static xd_rc check_path(const az_model *m, cJSON *const *obs, size_t n_obs,
                        cJSON *path, xd_result *r)
{
  const cJSON *from = xd_json_object(path, "from");
  const cJSON *to = xd_json_object(path, "to");
  const char *src = xd_json_str(from, "ip"), *dst = xd_json_str(to, "ip");
  const char *verdict = xd_json_str(path, "verdict");
  const cJSON *deny = deny_hop(path, NULL);
  const az_cluster *cl;
  const char *inst, *acct = NULL, *cres;
  const char *state = NULL, *reason = NULL;
  long port = 0;
  az_seen s;
  char msg[512], ev[512], where[200];
  az_cmd fix;
  bool reached, answered, got_back, refused, open;
  bool cfg_blocked = verdict && !strcmp(verdict, "blocked");
  bool cfg_ok = verdict && !strcmp(verdict, "reachable");
  /* the configuration could not decide (an account it could not read):
   * the packets do, and the path says so */
  bool cfg_unknown = !verdict || !strcmp(verdict, "unknown");
  const char *by_traffic = NULL;

  if(!dst || !xd_json_long(to, "port", &port))
    return XD_OK;
  if(xd_json_str(to, "side") && !strcmp(xd_json_str(to, "side"),
                                        "control-plane"))
    return XD_OK;   /* controlplane/crosscheck.c */
  gather(obs, n_obs, src, dst, port, &s);
  if(!s.tcp && !s.studio_flow && !s.emr_flow && !s.emr_listened)
    return XD_OK;   /* nothing observed about this path */
  cl = cluster_of(m, dst);
  inst = instance_of(m, dst);
  az_cmd_init(&fix);
  acct = cl ? cl->account : NULL;
  cres = cl ? cl->id : dst;
  if(s.tcp) {
    state = xd_json_str(s.tcp, "state");
    reason = xd_json_str(s.tcp, "reason");
  }
  open = (state && !strcmp(state, "open")) || s.studio_syn_ack > 0;
  refused = (state && !strcmp(state, "closed")) || s.emr_rst > 0 ||
            s.studio_rst > 0;
  reached = s.emr_syn > 0;
  answered = s.emr_syn_ack > 0;
  got_back = s.studio_syn_ack > 0 || open;
  snprintf(where, sizeof(where), "none");

  if(open) {
    snprintf(where, sizeof(where), "none: the handshake completed");
    by_traffic = "reachable";
    if(cfg_blocked) {
      const char *res = deny ? xd_json_str(deny, "resource") : NULL;
      snprintf(msg, sizeof(msg),
               "The configuration says %s:%ld is blocked%s%s, but the "
               "handshake completed: the snapshot is stale or incomplete.",
               dst, port, res ? " at " : "", res ? res : "");
      snprintf(ev, sizeof(ev), "observed: %s:%ld %s (%s)", dst, port,
               state ? state : "open", reason ? reason : "syn-ack");
      az_cmd_args(&fix, "xacct-doctor", "fetch", "--out", "NEW_SNAPSHOT",
                  NULL);
      add(r, "CONFIG_BLOCKS_TRAFFIC_PASSES", XD_SEV_WARNING,
          res && *res ? res : dst, acct, msg, ev,
          deny ? xd_json_str(deny, "detail") : NULL, &fix);
    }
  }
  else if(refused) {
    snprintf(where, sizeof(where), "primary node: nothing listens");
    by_traffic = "blocked";
    snprintf(msg, sizeof(msg),
             "Nothing listens on %s:%ld: the packets reach the primary node, "
             "which answers with a reset. Is the application installed and "
             "running?", dst, port);
    snprintf(ev, sizeof(ev), "observed: %s:%ld %s (%s), %ld RST from the "
             "server", dst, port, state ? state : "closed",
             reason ? reason : "reset", s.emr_rst + s.studio_rst);
    ssm_cmd(&fix, inst);
    az_cmd_argf(&fix, "commands=[\"sudo ss -ltnp | grep :%ld\",\"sudo "
                      "systemctl status livy-server hive-server2 "
                      "presto-server --no-pager\"]", port);
    add(r, "SERVICE_NOT_LISTENING", XD_SEV_CRITICAL, cres, acct, msg, ev, NULL,
        &fix);
  }
  else if(s.emr_listened && reached && !answered) {
    snprintf(where, sizeof(where), "primary node: SYN arrived, no answer");
    by_traffic = "blocked";
    snprintf(msg, sizeof(msg),
             "SYNs reach the primary node on port %ld and nothing answers: a "
             "host firewall on %s drops them (or the listen queue is full).",
             port, dst);
    snprintf(ev, sizeof(ev), "EMR-side capture: %ld SYN arrived, 0 SYN-ACK, "
             "0 RST left", s.emr_syn);
    ssm_cmd(&fix, inst);
    az_cmd_arg(&fix, "commands=[\"sudo nft list ruleset\",\"sudo iptables "
                     "-S\"]");
    add(r, "HOST_FIREWALL_DROPS", XD_SEV_CRITICAL, cres, acct, msg, ev, NULL,
        &fix);
  }
  else if(s.emr_listened && reached && answered && !got_back) {
    const cJSON *rh = deny_hop(path, "return");
    const char *res = rh ? xd_json_str(rh, "resource") : NULL;
    snprintf(where, sizeof(where), "return path");
    by_traffic = "blocked";
    snprintf(ev, sizeof(ev), "EMR-side capture: %ld SYN arrived, %ld SYN-ACK "
             "left; Studio side: no SYN-ACK arrived", s.emr_syn, s.emr_syn_ack);
    if(cfg_unknown)
      unseen(r, dst, port, cres, acct, ev, "on the way back to Studio");
    else if(!confirm(r, res, ev)) {
      snprintf(msg, sizeof(msg),
               "The answer from %s:%ld is lost on the way back to Studio, "
               "where the configuration allows it: the snapshot is stale, or "
               "an element it does not show drops the return traffic.",
               dst, port);
      add(r, "CONFIG_ALLOWS_TRAFFIC_DIES", XD_SEV_CRITICAL, cres, acct, msg,
          ev, "the break is on the return path: EMR route table, EMR NACL "
          "outbound or Studio NACL inbound", NULL);
    }
  }
  else if(s.emr_listened && !reached) {
    const cJSON *fh = deny_hop(path, "forward");
    const char *res = fh ? xd_json_str(fh, "resource") : NULL;
    snprintf(where, sizeof(where), "before the primary node");
    by_traffic = "blocked";
    snprintf(ev, sizeof(ev), "Studio side: %s:%ld %s%s%s; EMR-side capture: "
             "no SYN arrived", dst, port, state ? state : "no answer",
             reason ? " " : "", reason ? reason : "");
    if(cfg_unknown)
      unseen(r, dst, port, cres, acct, ev, "before it reaches the primary "
             "node");
    else if(cfg_blocked && fh)
      confirm(r, res, ev);
    else {
      snprintf(msg, sizeof(msg),
               "The configuration allows %s:%ld, but the SYN never reached the "
               "primary node: the snapshot is stale, or an element it does not "
               "show drops it.", dst, port);
      add(r, "CONFIG_ALLOWS_TRAFFIC_DIES", XD_SEV_CRITICAL, cres, acct, msg,
          ev, "the break is before the EMR host: Studio egress, the peering, "
          "or EMR NACL / security group ingress", NULL);
    }
  }
  else if(state && !strcmp(state, "filtered")) {
    /* only the Studio side observed: the configuration has to place it */
    const char *res = deny ? xd_json_str(deny, "resource") : NULL;
    snprintf(where, sizeof(where), "unknown: no EMR-side capture");
    by_traffic = "blocked";
    snprintf(ev, sizeof(ev), "observed from Studio: %s:%ld filtered (%s)", dst,
             port, reason ? reason : "no-response");
    if(cfg_unknown)
      unseen(r, dst, port, cres, acct, ev, "somewhere (no EMR-side capture "
             "places it)");
    else if(cfg_blocked)
      confirm(r, res, ev);
    else if(cfg_ok) {
      snprintf(msg, sizeof(msg),
               "The configuration allows %s:%ld, but the connection times "
               "out: a host firewall on the primary node, a stale snapshot, or "
               "an element the snapshot does not show. Run `xacct-doctor "
               "listen` on the primary node to place the break.", dst, port);
      add(r, "CONFIG_ALLOWS_TRAFFIC_DIES", XD_SEV_CRITICAL, cres, acct, msg,
          ev, NULL, NULL);
    }
  }
  if(cfg_unknown && by_traffic) {
    size_t l = strlen(where);
    snprintf(where + l, sizeof(where) - l, " (verdict from traffic only: "
             "the configuration could not decide)");
    xd_result_path_set_verdict(path, by_traffic);
  }
  annotate(path, &s, where);
  if(cfg_unknown && by_traffic)
    cJSON_AddStringToObject((cJSON *)xd_json_object(path, "observed"),
                            "verdict_from", "traffic");
  az_cmd_free(&fix);
  return XD_OK;
}

/* A DNS answer that gives the public address of a primary node whose private
 * address was expected is the signature of the peering DNS option. */
static xd_rc check_dns(const az_model *m, cJSON *const *obs, size_t n_obs,
                       xd_result *r)
{
  for(size_t i = 0; i < n_obs; i++) {
    const cJSON *d;
    cJSON_ArrayForEach(d, xd_json_array(obs[i], "dns")) {
      const char *name = xd_json_str(d, "name");
      const cJSON *a;
      for(size_t c = 0; name && c < m->n_clusters; c++) {
        const az_cluster *cl = &m->clusters[c];
        if(!cl->master_public_dns || strcasecmp(cl->master_public_dns, name))
          continue;
        for(size_t k = 0; k < cl->n_instances; k++) {
          const az_emr_instance *in = &cl->instances[k];
          cJSON_ArrayForEach(a, xd_json_array(d, "answers")) {
            char ev[512], msg[512];
            if(!cJSON_IsString(a) || !in->public_ip ||
               !same_ip(a->valuestring, in->public_ip))
              continue;
            snprintf(ev, sizeof(ev), "DNS from %s: %s resolved to the public "
                     "address %s, not the private %s",
                     xd_json_str(obs[i], "side"), name, a->valuestring,
                     in->private_ip ? in->private_ip : "address");
            /* the configuration finding that explains it, if any, is the
             * one element to change: the peering's own state (no DNS
             * crosses a peering that is not active), then its DNS option */
            if(confirm_code_prefix(r, "PEERING_", ev))
              continue;
            if(!xd_result_has_finding(r, "PEERING_DNS_RESOLUTION_DISABLED",
                                      NULL)) {
              snprintf(msg, sizeof(msg),
                       "%s resolves to its public address from the Studio "
                       "side: DNS resolution over the peering is off.", name);
              add(r, "DNS_ANSWER_PUBLIC", XD_SEV_CRITICAL, cl->id, cl->account,
                  msg, ev, NULL, NULL);
            }
            else {
              cJSON *f;
              cJSON_ArrayForEach(f, xd_json_array(xd_result_json(r),
                                                  "findings")) {
                const char *code = xd_json_str(f, "code");
                if(code && !strcmp(code, "PEERING_DNS_RESOLUTION_DISABLED"))
                  cJSON_AddItemToArray((cJSON *)xd_json_array(f, "evidence"),
                                       cJSON_CreateString(ev));
              }
            }
          }
        }
      }
    }
  }
  return XD_OK;
}

xd_rc az_crosscheck(const az_model *m, cJSON *const *obs, size_t n_obs,
                    xd_result *r, xd_err *e)
{
  cJSON *p;
  if(!n_obs)
    return XD_OK;
  cJSON_ArrayForEach(p, (cJSON *)xd_json_array(xd_result_json(r), "paths"))
    if(check_path(m, obs, n_obs, p, r) != XD_OK)
      return xd_fail(e, XD_E_NOMEM, "out of memory");
  return check_dns(m, obs, n_obs, r);
}

xd_rc az_xc_add(xd_result *r, const char *code, xd_severity sev,
                const char *resource, const char *account, const char *msg,
                const char *ev1, const char *ev2, const az_cmd *fix)
{
  return add(r, code, sev, resource, account, msg, ev1, ev2, fix);
}

bool az_xc_confirm(xd_result *r, const char *resource, const char *evidence)
{
  return confirm(r, resource, evidence);
}
