/* probes/precheck.c: the Studio client's own pre-check, reproduced
 * (domain.md, "What the Studio client actually does"): a plain TCP
 * connect with a 5 s timeout to the primary node's private DNS name on
 * the Livy port; on failure the same to the public name, which must then
 * serve HTTPS. Either way the scheme is https when a TLS handshake to the
 * port succeeds, http otherwise. The client opens an IPv4 socket, so the
 * first A answer is the address tried. The observation says which name
 * the client would have used and the message it would have shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "pr_internal.h"

typedef struct {
  int idx;
  const char *kind;       /* "private" or "public" */
  const char *name;
  bool tried, have_ip;
  char ipstr[PR_IPSTR];
  pr_conn conn;
  bool conn_started, tls_started;
  pr_tls tls;
  char note[256];
} pc_side;

struct pr_precheck {
  int port;
  double timeout_ms;
  pc_side side[2];
  bool finished, ok;
  const char *would_use;
  const char *scheme;
  char url[400];
  char message[400];
  char detail[400];
};

static void try_side(pr_session *s, int i);

static void conclude(pr_session *s, bool ok, int used)
{
  pr_precheck *pc = s->pc;
  pc->finished = true;
  pc->ok = ok;
  if(ok) {
    const pc_side *sd = &pc->side[used];
    pc->would_use = sd->kind;
    snprintf(pc->url, sizeof(pc->url), "%s://%s:%d", pc->scheme, sd->name,
             pc->port);
    return;
  }
  /* either side may be unnamed; gcc -O3 proves a path where both are */
  const char *name = pc->side[0].name ? pc->side[0].name : pc->side[1].name;
  snprintf(pc->message, sizeof(pc->message),
           "Cannot connect to livy service at %s:%d", name ? name : "?",
           pc->port);
}

static void tls_done(pr_session *s, pr_tls *t)
{
  pc_side *sd = t->ud;
  pr_precheck *pc = s->pc;
  bool https = t->handshake && !strcmp(t->handshake, "ok");
  if(sd->idx == 0) {
    pc->scheme = https ? "https" : "http";
    conclude(s, true, 0);
    return;
  }
  if(https) {
    pc->scheme = "https";
    conclude(s, true, 1);
    return;
  }
  snprintf(sd->note, sizeof(sd->note), "accepts TCP but does not serve "
           "HTTPS (TLS handshake: %s)", t->handshake ? t->handshake : "?");
  snprintf(pc->detail, sizeof(pc->detail), "the public name %s:%d %s",
           sd->name, pc->port, sd->note);
  conclude(s, false, -1);
}

static void conn_done(pr_session *s, pr_conn *c)
{
  pc_side *sd = c->ud;
  pr_precheck *pc = s->pc;
  if(c->state && !strcmp(c->state, "open")) {
    sd->tls.ip = c->ip;
    sd->tls.port = pc->port;
    sd->tls.sni = pr_is_ip_literal(sd->name, NULL) ? NULL : sd->name;
    sd->tls.timeout_ms = s->timeout_ms;
    sd->tls.done = tls_done;
    sd->tls.ud = sd;
    sd->tls_started = true;
    pr_tls_submit(s, &sd->tls);
    return;
  }
  snprintf(sd->note, sizeof(sd->note), "TCP connect: %s (%s) after %.0f ms",
           c->state ? c->state : "?", c->reason ? c->reason : "?", c->ms);
  try_side(s, sd->idx + 1);
}

static void try_side(pr_session *s, int i)
{
  pr_precheck *pc = s->pc;
  pc_side *sd;
  pr_name *rec;
  xd_ip ip;
  if(i >= 2) {
    const pc_side *pub = &pc->side[1];
    if(pub->name && pub->note[0] && !pc->detail[0])
      snprintf(pc->detail, sizeof(pc->detail), "public name %s: %s",
               pub->name, pub->note);
    else if(!pc->detail[0] && pc->side[0].name)
      snprintf(pc->detail, sizeof(pc->detail), "private name %s: %s",
               pc->side[0].name, pc->side[0].note);
    conclude(s, false, -1);
    return;
  }
  sd = &pc->side[i];
  if(!sd->name) {
    try_side(s, i + 1);
    return;
  }
  sd->tried = true;
  if(pr_is_ip_literal(sd->name, &ip))
    sd->have_ip = ip.family == 4;
  else if((rec = pr_session_name(s, sd->name)) && rec->a.n_addrs) {
    ip = rec->a.addrs[0];
    sd->have_ip = true;
  }
  if(!sd->have_ip) {
    rec = pr_session_name(s, sd->name);
    snprintf(sd->note, sizeof(sd->note), "the name has no IPv4 address "
             "(A: %s)", rec && rec->a.done ? rec->a.rcode : "not asked");
    try_side(s, i + 1);
    return;
  }
  pr_ip_str(&ip, sd->ipstr, sizeof(sd->ipstr));
  sd->conn.ip = ip;
  sd->conn.port = pc->port;
  sd->conn.timeout_ms = pc->timeout_ms;
  sd->conn.done = conn_done;
  sd->conn.ud = sd;
  sd->conn_started = true;
  pr_tcp_submit(s, &sd->conn);
}

xd_rc pr_precheck_start(pr_session *s, xd_err *e)
{
  const pr_plan *p = s->plan;
  pr_precheck *pc = calloc(1, sizeof(*pc));
  if(!pc)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  pc->port = p->precheck_port > 0 ? p->precheck_port : 8998;
  pc->timeout_ms = p->precheck_timeout_ms > 0 ? (double)p->precheck_timeout_ms
                                              : (double)PR_PRECHECK_TIMEOUT_MS;
  pc->side[0].idx = 0;
  pc->side[0].kind = "private";
  pc->side[0].name = p->precheck_private_dns;
  pc->side[1].idx = 1;
  pc->side[1].kind = "public";
  pc->side[1].name = p->precheck_public_dns;
  s->pc = pc;
  try_side(s, 0);
  return XD_OK;
}

void pr_precheck_free(pr_session *s)
{
  if(!s->pc)
    return;
  for(int i = 0; i < 2; i++)
    pr_tls_clear(&s->pc->side[i].tls);
  free(s->pc);
  s->pc = NULL;
}

static cJSON *side_json(const pc_side *sd)
{
  cJSON *o = cJSON_CreateObject();
  const pr_conn *c = &sd->conn;
  if(!o)
    return NULL;
  cJSON_AddStringToObject(o, "kind", sd->kind);
  xd_json_add_str(o, "name", sd->name);
  xd_json_add_str(o, "ip", sd->have_ip ? sd->ipstr : NULL);
  if(sd->conn_started && c->finished) {
    cJSON_AddStringToObject(o, "state", c->state);
    cJSON_AddStringToObject(o, "reason", c->reason);
    cJSON_AddNumberToObject(o, "ms", pr_round_ms(c->ms));
  }
  if(sd->tls_started && sd->tls.finished) {
    cJSON_AddBoolToObject(o, "tls", sd->tls.handshake &&
                                        !strcmp(sd->tls.handshake, "ok"));
    cJSON_AddStringToObject(o, "tls_handshake", sd->tls.handshake);
  }
  if(sd->note[0])
    cJSON_AddStringToObject(o, "note", sd->note);
  return o;
}

cJSON *pr_precheck_json(const pr_session *s)
{
  const pr_precheck *pc = s->pc;
  cJSON *o, *steps;
  if(!pc)
    return NULL;
  o = cJSON_CreateObject();
  if(!o)
    return NULL;
  cJSON_AddNumberToObject(o, "port", pc->port);
  cJSON_AddNumberToObject(o, "timeout_ms", pc->timeout_ms);
  cJSON_AddBoolToObject(o, "ok", pc->ok);
  xd_json_add_str(o, "would_use", pc->would_use);
  xd_json_add_str(o, "scheme", pc->scheme);
  xd_json_add_str(o, "url", pc->url[0] ? pc->url : NULL);
  xd_json_add_str(o, "message", pc->message[0] ? pc->message : NULL);
  xd_json_add_str(o, "detail", pc->detail[0] ? pc->detail : NULL);
  if(!pc->finished)
    cJSON_AddBoolToObject(o, "incomplete", true);
  steps = cJSON_AddArrayToObject(o, "steps");
  for(int i = 0; steps && i < 2; i++)
    if(pc->side[i].tried)
      cJSON_AddItemToArray(steps, side_json(&pc->side[i]));
  return o;
}
