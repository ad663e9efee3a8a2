/* Which way Studio's API calls leave its VPC, and the control-plane paths
 * that follow it (controlplane.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../common/jsonutil.h"
#include "../rules.h"
#include "controlplane.h"

#define VPCE_FILE "ec2-describe-vpc-endpoints.json"

/* The way out of the source's subnet to public addresses. */
typedef enum { CP_NAT_YES, CP_NAT_NO, CP_NAT_UNKNOWN } cp_nat;

typedef struct {
  cp_nat nat;
  const az_route_table *rtb; /* the source subnet's table, or NULL */
  char detail[320];          /* the route hop's detail */
} cp_way;

/* The usable, the defective and a gateway endpoint of the service. */
typedef struct {
  const az_vpce *usable;     /* Interface, available, private DNS on */
  const az_vpce *defect;     /* Interface, but not usable */
  const az_vpce *gateway;    /* a Gateway endpoint of the VPC (S3), for
                                the evidence */
  bool known;                /* the endpoints file of the VPC was read */
} cp_endpoints;

static bool same(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

static bool vpce_read(const az_ctx *c, const char *account, const char *region)
{
  char where[200];
  snprintf(where, sizeof(where), "%s/%s", account ? account : "",
           region ? region : "");
  for(size_t i = 0; i < c->m->n_vpce_read; i++)
    if(!strcmp(c->m->vpce_read[i], where))
      return true;
  return false;
}

static bool is_interface(const az_vpce *e)
{
  return !strcasecmp(e->type, "Interface");
}

static bool available(const az_vpce *e)
{
  return !strcasecmp(e->state, "available");
}

static void find_endpoints(az_ctx *c, const az_endpoint *src,
                           const cp_target *t, cp_endpoints *out)
{
  memset(out, 0, sizeof(*out));
  out->known = vpce_read(c, src->account, src->region);
  for(size_t i = 0; i < c->m->n_vpces; i++) {
    const az_vpce *e = &c->m->vpces[i];
    if(!same(e->vpc_id, src->vpc_id))
      continue;
    if(!strcasecmp(e->type, "Gateway")) {
      if(!out->gateway)
        out->gateway = e;
      continue;
    }
    if(!is_interface(e) || strcmp(e->service, t->service))
      continue;
    /* AWS lets one endpoint per service take the private name; a second
     * one has private DNS off */
    if(available(e) && e->private_dns == AZ_YES) {
      if(!out->usable)
        out->usable = e;
    } else if(!out->defect || (e->private_dns == AZ_YES &&
                               out->defect->private_dns != AZ_YES)) {
      out->defect = e;
    }
  }
}

/* Whether a route to public addresses leaves through a NAT gateway. In a
 * VpcOnly domain SageMaker gives Studio's interfaces no public address,
 * and an internet gateway forwards only traffic from addresses with one:
 * a route to an igw- alone does not take Studio to the internet. */
static void way_out(az_ctx *c, const az_endpoint *src, cp_way *w)
{
  az_route_match mt;
  xd_cidr any;
  bool implicit = false;
  char rt[160];
  memset(w, 0, sizeof(*w));
  w->nat = CP_NAT_UNKNOWN;
  if(!src->subnet) {
    az_unknown_detail(c, src->account, src->region,
                      "ec2-describe-subnets.json", "the subnet", w->detail,
                      sizeof(w->detail));
    return;
  }
  w->rtb = az_ix_rtb_for_subnet(&c->ix, src->subnet, &implicit);
  if(!w->rtb) {
    az_unknown_detail(c, src->account, src->region,
                      "ec2-describe-route-tables.json", "the route table",
                      w->detail, sizeof(w->detail));
    return;
  }
  xd_cidr_parse("0.0.0.0/0", &any);
  az_route_lookup(&c->ix, w->rtb, &any, NULL, &mt);
  if(!mt.route) {
    if(mt.unknown_pl) {
      az_fmt(w->detail, sizeof(w->detail),
             "not known: entries of %s (route by prefix list)", mt.unknown_pl);
      return;
    }
    w->nat = CP_NAT_NO;
    az_fmt(w->detail, sizeof(w->detail), "%s: no route to the internet "
           "(0.0.0.0/0)%s", w->rtb->id, implicit ? " [main table]" : "");
    return;
  }
  az_route_text(mt.route, mt.via_pl, rt, sizeof(rt));
  if(mt.route->target == AZ_RT_NAT && mt.route->state == AZ_RT_ACTIVE) {
    w->nat = CP_NAT_YES;
    az_fmt(w->detail, sizeof(w->detail), "%s: %s: the public endpoint "
           "through the NAT gateway", w->rtb->id, rt);
    return;
  }
  w->nat = CP_NAT_NO;
  if(mt.route->target == AZ_RT_IGW && mt.route->state == AZ_RT_ACTIVE)
    az_fmt(w->detail, sizeof(w->detail), "%s: %s, but Studio's interfaces "
           "have no public address in a VpcOnly domain: an internet gateway "
           "does not carry their traffic (a NAT gateway does)", w->rtb->id,
           rt);
  else
    az_fmt(w->detail, sizeof(w->detail), "%s: %s does not reach the "
           "internet", w->rtb->id, rt);
}

/* ---- findings ---- */

/* One subnet of Studio's per AZ: an endpoint takes at most one per AZ. */
static size_t subnets_one_per_az(az_ctx *c, const char **out, size_t max)
{
  const az_studio *s = &c->studio;
  size_t k = 0;
  for(size_t i = 0; i < s->n_subnet_ids && k < max; i++) {
    const az_subnet *sn = az_ix_subnet(&c->ix, s->subnet_ids[i]);
    bool dup = false;
    for(size_t j = 0; j < k && sn && sn->az; j++) {
      const az_subnet *o = az_ix_subnet(&c->ix, out[j]);
      dup = dup || (o && o->az && !strcmp(o->az, sn->az));
    }
    if(!dup)
      out[k++] = s->subnet_ids[i];
  }
  return k;
}

/* args: 0 the VPC, 1 Studio's first group, 2 region; extra: the service
 * names ("com.amazonaws.REGION.sts") the VPC lacks a way to. */
static void finish_no_route(void *vc, az_issue *is)
{
  az_ctx *c = vc;
  const char *subs[16];
  size_t n = subnets_one_per_az(c, subs, 16);
  char list[256] = "";
  size_t len = 0;
  az_cmd b;
  for(size_t i = 0; i < is->n_extra && len < sizeof(list); i++)
    len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
                            i ? " and " : "", is->extra[i]);
  az_issue_message(c, is,
                   "Studio's VPC %s has no way to the control plane (%s): no "
                   "route to a NAT gateway and no interface endpoint, so "
                   "discovery (sts:AssumeRole, EMR ListClusters) fails.",
                   is->resource, list);
  az_cmd_init(&b);
  if(!is->arg[1])
    az_cmd_refuse(&b, "Studio's security groups are not known");
  if(!n)
    az_cmd_refuse(&b, "Studio's subnets are not known");
  /* the endpoint gets Studio's own group, which then admits 443 from
   * itself: no new group to create and name */
  az_cmd_args(&b, "aws", "ec2", "authorize-security-group-ingress",
              "--group-id", NULL);
  az_cmd_id(&b, AZ_ID_SG, is->arg[1]);
  az_cmd_args(&b, "--protocol", "tcp", "--port", "443", "--source-group",
              NULL);
  az_cmd_id(&b, AZ_ID_SG, is->arg[1]);
  az_cmd_region(&b, is->arg[2]);
  for(size_t i = 0; i < is->n_extra; i++) {
    az_cmd_and(&b);
    az_cmd_args(&b, "aws", "ec2", "create-vpc-endpoint", "--vpc-id", NULL);
    az_cmd_id(&b, AZ_ID_VPC, is->resource);
    az_cmd_args(&b, "--vpc-endpoint-type", "Interface", "--service-name",
                is->extra[i], "--subnet-ids", NULL);
    for(size_t k = 0; k < n; k++)
      az_cmd_id(&b, AZ_ID_SUBNET, subs[k]);
    az_cmd_arg(&b, "--security-group-ids");
    az_cmd_id(&b, AZ_ID_SG, is->arg[1]);
    az_cmd_arg(&b, "--private-dns-enabled");
    az_cmd_region(&b, is->arg[2]);
  }
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

static void no_route(az_ctx *c, const az_endpoint *src, const cp_target *t,
                     const cp_way *w, const cp_endpoints *eps)
{
  az_issue *is = az_issue_get(c, "CONTROL_PLANE_NO_ROUTE", XD_SEV_CRITICAL,
                              src->vpc_id, src->account, src->region);
  if(!is)
    return;
  is->finish = finish_no_route;
  az_issue_arg(c, is, 0, src->vpc_id);
  az_issue_arg(c, is, 1, src->n_sgs ? src->sgs[0] : NULL);
  az_issue_arg(c, is, 2, src->region);
  az_issue_extra(c, is, t->service);
  az_issue_evidence(c, is, "%s", w->detail);
  az_issue_evidence(c, is, "no interface endpoint for %s in %s (%s/%s/%s)",
                    t->service, src->vpc_id, src->account, src->region,
                    VPCE_FILE);
  if(eps->gateway)
    az_issue_evidence(c, is, "%s is a gateway endpoint (%s): it carries "
                      "only that service, not STS or EMR",
                      eps->gateway->id, eps->gateway->service);
  az_issue_evidence(c, is, "Reachability Analyzer: NO_ROUTE_TO_DESTINATION");
}

static void not_known(az_ctx *c, const az_endpoint *src, const cp_way *w)
{
  char file[300];
  az_issue *is;
  snprintf(file, sizeof(file), "%s/%s/%s", src->account, src->region,
           VPCE_FILE);
  is = az_issue_get(c, "CONTROL_PLANE_NOT_KNOWN", XD_SEV_INFO, file,
                    src->account, src->region);
  az_issue_message(c, is,
                   "Whether Studio reaches STS and EMR is not known: %s is "
                   "not in the snapshot and no route to a NAT gateway was "
                   "seen.", file);
  az_issue_evidence(c, is, "%s", w->detail);
  az_issue_evidence(c, is, "file absent from the snapshot: %s", file);
}

/* ---- the path ---- */

static cJSON *new_path(az_ctx *c, const az_endpoint *src, const cp_target *t,
                       const char *ip)
{
  cJSON *path = xd_result_add_path(c->r, "studio", src->label,
                                   "control-plane", ip, 443, t->svc);
  cJSON *to, *from;
  if(!path) {
    c->nomem = true;
    return NULL;
  }
  to = cJSON_GetObjectItemCaseSensitive(path, "to");
  from = cJSON_GetObjectItemCaseSensitive(path, "from");
  if(!ip)
    cJSON_DeleteItemFromObjectCaseSensitive(to, "ip");
  xd_json_add_str(to, "name", t->name);
  xd_json_add_str(from, "account", src->account);
  if(src->subnet_id)
    xd_json_add_str(from, "subnet", src->subnet_id);
  if(src->eni_id)
    xd_json_add_str(from, "eni", src->eni_id);
  return path;
}

static void set_leg(az_leg *leg, const char *kind, const char *res,
                    az_verdict v, const char *detail)
{
  memset(leg, 0, sizeof(*leg));
  leg->kind = kind;
  leg->v = v;
  snprintf(leg->res, sizeof(leg->res), "%s", res ? res : "");
  snprintf(leg->detail, sizeof(leg->detail), "%s", detail);
}

static void finish_path(cJSON *path, az_verdict worst)
{
  xd_result_path_set_verdict(path, worst == AZ_V_ALLOW  ? "reachable"
                                   : worst == AZ_V_DENY ? "blocked"
                                                        : "unknown");
}

/* Studio's group and ACL towards dst (an endpoint's ENI, or the internet
 * as 0.0.0.0/0): ACLs only filter what crosses a subnet's edge. */
static void studio_side(az_ctx *c, const az_endpoint *src,
                        const az_endpoint *dst, cJSON *path,
                        az_verdict *worst)
{
  static const az_pair same_vpc = {.state = AZ_PAIR_SAME_VPC};
  az_leg leg;
  az_sg_leg(c, src, dst, &same_vpc, 443, true, &leg);
  az_leg_emit(path, &leg, worst, false);
  if(same(src->subnet_id, dst->subnet_id))
    return;
  az_nacl_leg(c, src, dst, 443, true, &leg);
  az_leg_emit(path, &leg, worst, false);
  az_nacl_return_leg(c, src, dst, false, &leg);
  az_leg_emit(path, &leg, worst, true);
}

static void endpoint_path(az_ctx *c, const az_endpoint *src,
                          const cp_target *t, const az_vpce *e,
                          const az_cluster *const *cls, size_t n_cl)
{
  az_endpoint dst;
  bool same_az;
  char ip[64] = "";
  az_verdict worst = AZ_V_ALLOW;
  az_leg leg;
  cJSON *path;
  cp_endpoint_end(c, e, src, &dst, &same_az);
  if(dst.eni_id)
    snprintf(ip, sizeof(ip), "%s", dst.label);
  if(!(path = new_path(c, src, t, ip[0] ? ip : NULL)))
    return;
  xd_json_add_str(cJSON_GetObjectItemCaseSensitive(path, "to"), "endpoint",
                  e->id);
  studio_side(c, src, &dst, path, &worst);
  set_leg(&leg, "route", e->id, AZ_V_ALLOW, "");
  az_fmt(leg.detail, sizeof(leg.detail), "private DNS of %s gives %s the "
         "addresses of %s in %s: local to the VPC", e->id, t->name,
         dst.label, e->vpc_id);
  az_leg_emit(path, &leg, &worst, false);
  cp_endpoint_az_leg(c, e, src, &dst, same_az, &leg);
  az_leg_emit(path, &leg, &worst, false);
  if(dst.subnet_id && !same(src->subnet_id, dst.subnet_id)) {
    az_nacl_leg(c, &dst, src, 443, false, &leg);
    az_leg_emit(path, &leg, &worst, false);
    az_nacl_return_leg(c, &dst, src, true, &leg);
    az_leg_emit(path, &leg, &worst, true);
  }
  cp_endpoint_sg_leg(c, e, src, &leg);
  az_leg_emit(path, &leg, &worst, false);
  cp_policy_leg(c, e, t, cls, n_cl, &leg);
  az_leg_emit(path, &leg, &worst, false);
  finish_path(path, worst);
}

/* The public name: through the NAT, or nowhere. */
static void public_path(az_ctx *c, const az_endpoint *src, const cp_target *t,
                        const cp_way *w, const cp_endpoints *eps)
{
  az_endpoint net;
  az_verdict worst = AZ_V_ALLOW;
  az_leg leg;
  cJSON *path = new_path(c, src, t, NULL);
  if(!path)
    return;
  /* the public endpoint's addresses are AWS's to change: a rule or entry
   * must hold them all */
  memset(&net, 0, sizeof(net));
  xd_cidr_parse("0.0.0.0/0", &net.net);
  az_fmt(net.label, sizeof(net.label), "%s (public)", t->name);
  net.account = src->account;
  net.region = src->region;
  studio_side(c, src, &net, path, &worst);
  if(eps->defect && w->nat != CP_NAT_YES) {
    cp_endpoint_defect_leg(c, eps->defect, src, t, w->nat == CP_NAT_UNKNOWN,
                           w->rtb ? w->rtb->id : NULL, &leg);
    az_leg_emit(path, &leg, &worst, false);
    finish_path(path, worst);
    return;
  }
  set_leg(&leg, "route", w->rtb ? w->rtb->id : src->subnet_id,
          w->nat == CP_NAT_YES ? AZ_V_ALLOW
          : w->nat == CP_NAT_NO ? AZ_V_DENY : AZ_V_UNKNOWN, w->detail);
  if(w->nat == CP_NAT_NO) {
    size_t l = strlen(leg.detail);
    az_fmt(leg.detail + l, sizeof(leg.detail) - l,
           "; no interface endpoint for %s in %s", t->service, src->vpc_id);
    no_route(c, src, t, w, eps);
  } else if(w->nat == CP_NAT_YES && !eps->known) {
    size_t l = strlen(leg.detail);
    az_fmt(leg.detail + l, sizeof(leg.detail) - l, " (%s is not in the "
           "snapshot: an interface endpoint with private DNS would take "
           "the name instead)", VPCE_FILE);
  }
  az_leg_emit(path, &leg, &worst, false);
  finish_path(path, worst);
}

static void one_path(az_ctx *c, const az_endpoint *src, const cp_target *t,
                     const az_cluster *const *cls, size_t n_cl)
{
  const az_domain *d = c->studio.domain;
  cp_endpoints eps;
  cp_way w;
  if(d && d->app_network_access_type &&
     !strcasecmp(d->app_network_access_type, "PublicInternetOnly")) {
    /* the app's internet traffic leaves through SageMaker's own VPC, not
     * Studio's: reachable by design */
    az_verdict worst = AZ_V_ALLOW;
    az_leg leg;
    cJSON *path = new_path(c, src, t, NULL);
    if(!path)
      return;
    set_leg(&leg, "route", d->id, AZ_V_ALLOW,
            "AppNetworkAccessType PublicInternetOnly: the call leaves "
            "through SageMaker's internet access, not Studio's VPC");
    az_leg_emit(path, &leg, &worst, false);
    finish_path(path, worst);
    return;
  }
  find_endpoints(c, src, t, &eps);
  way_out(c, src, &w);
  if(eps.usable) {
    endpoint_path(c, src, t, eps.usable, cls, n_cl);
    return;
  }
  /* no endpoint file and no NAT seen: nothing to say of the path but
   * that; an older snapshot lacks the file, and a guess either way
   * would be a false alarm or a false OK */
  if(!eps.known && !eps.defect && w.nat != CP_NAT_YES) {
    not_known(c, src, &w);
    return;
  }
  public_path(c, src, t, &w, &eps);
}

xd_rc az_controlplane_paths(az_ctx *c, const az_endpoint *srcs, size_t n_src,
                            const az_cluster *const *cls, size_t n_cl)
{
  cp_target t[2] = {{"sts", "sts", "", ""},
                    {"emr-api", "elasticmapreduce", "", ""}};
  const char *region = c->studio.region;
  if(!region || !c->studio.vpc_id)
    return XD_OK; /* no Studio VPC: STUDIO_SIDE_UNKNOWN says so */
  for(size_t k = 0; k < 2; k++) {
    snprintf(t[k].name, sizeof(t[k].name), "%s.%s.amazonaws.com",
             t[k].suffix, region);
    snprintf(t[k].service, sizeof(t[k].service), "com.amazonaws.%s.%s",
             region, t[k].suffix);
    for(size_t i = 0; i < n_src; i++)
      one_path(c, &srcs[i], &t[k], cls, n_cl);
  }
  return c->nomem ? XD_E_NOMEM : XD_OK;
}
