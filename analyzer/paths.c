/* Which paths to evaluate: the Studio ends, the EMR primary nodes, and the
 * ports. Everything the intent leaves out is taken from the snapshot
 * (contract.md, "Intent file"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "findings/verdict.h"
#include "paths/eni_groups.h"
#include "reach.h"

static bool same(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

/* The domain the intent names, else the first in the Studio account, else
 * the first at all. */
static const az_domain *pick_domain(az_ctx *c)
{
  const az_model *m = c->m;
  const az_intent *in = c->in;
  if(in && in->studio.domain_id) {
    const az_domain *d = az_ix_domain(&c->ix, in->studio.domain_id);
    if(d)
      return d;
  }
  for(size_t i = 0; i < m->n_domains; i++)
    if(!in || !in->studio.account || same(m->domains[i].account, in->studio.account))
      return &m->domains[i];
  return NULL;
}

xd_rc az_studio_resolve(az_ctx *c)
{
  az_studio *s = &c->studio;
  const az_intent *in = c->in;
  const az_domain *d = pick_domain(c);
  bool have_in = in && in->present;
  memset(s, 0, sizeof(*s));
  s->domain = d;
  s->account = have_in && in->studio.account ? in->studio.account
               : d                           ? d->account
                                             : NULL;
  s->region = have_in && in->studio.region ? in->studio.region
              : d                          ? d->region
                                           : NULL;
  s->vpc_id = have_in && in->studio.vpc_id ? in->studio.vpc_id
              : d                          ? d->vpc_id
                                           : NULL;
  if(have_in && in->studio.n_subnet_ids) {
    s->subnet_ids = (const char *const *)in->studio.subnet_ids;
    s->n_subnet_ids = in->studio.n_subnet_ids;
  } else if(d) {
    s->subnet_ids = (const char *const *)d->subnet_ids;
    s->n_subnet_ids = d->n_subnet_ids;
  }
  if(!az_identity_resolve(c->m, d, have_in ? in->studio.user_profile : NULL,
                          have_in ? in->studio.space : NULL, &c->a,
                          &s->ident))
    return XD_E_NOMEM;
  if(have_in && in->studio.n_security_group_ids) {
    s->sgs = (const char *const *)in->studio.security_group_ids;
    s->n_sgs = in->studio.n_security_group_ids;
  } else if(d) {
    s->sgs = s->ident.sgs;
    s->n_sgs = s->ident.n_sgs;
    s->sgs_of_identity = s->ident.kind != AZ_IDENT_DOMAIN;
  }
  s->exec_role = s->ident.exec_role;
  /* a VPC named by neither: the VPC of the first Studio subnet */
  if(!s->vpc_id && s->n_subnet_ids) {
    const az_subnet *sn = az_ix_subnet(&c->ix, s->subnet_ids[0]);
    if(sn)
      s->vpc_id = sn->vpc_id;
  }
  if(s->vpc_id)
    s->vpc = az_ix_vpc(&c->ix, s->vpc_id);
  if(s->vpc && !s->account)
    s->account = s->vpc->account;
  if(s->vpc && !s->region)
    s->region = s->vpc->region;
  if(have_in && in->studio.domain_id &&
     !az_ix_domain(&c->ix, in->studio.domain_id)) {
    char file[256];
    snprintf(file, sizeof(file), "sagemaker-describe-domain--%s.json",
             in->studio.domain_id);
    if(!az_file_missing(c, s->account, s->region, file)) {
      az_issue *is = az_issue_get(c, "INTENT_RESOURCE_NOT_FOUND", XD_SEV_WARNING,
                                  in->studio.domain_id, s->account, s->region);
      az_issue_message(c, is,
                       "The intent names SageMaker domain %s, which the "
                       "snapshot does not hold.",
                       in->studio.domain_id);
      az_issue_evidence(c, is, "no %s in the snapshot", file);
    }
  }
  return XD_OK;
}

static bool fill_endpoint_subnet(az_ctx *c, az_endpoint *ep,
                                 const char *subnet_id)
{
  ep->subnet_id = subnet_id;
  ep->subnet = subnet_id ? az_ix_subnet(&c->ix, subnet_id) : NULL;
  if(ep->subnet && !ep->vpc_id)
    ep->vpc_id = ep->subnet->vpc_id;
  return ep->subnet != NULL;
}

static void studio_common(az_ctx *c, az_endpoint *ep)
{
  ep->account = c->studio.account;
  ep->region = c->studio.region;
  ep->vpc_id = c->studio.vpc_id;
  ep->sgs = c->studio.sgs;
  ep->n_sgs = c->studio.n_sgs;
}

/* The Studio subnet holding ip, among the domain's subnets first. */
static const char *subnet_of_ip(az_ctx *c, const xd_ip *ip)
{
  const az_studio *s = &c->studio;
  for(size_t i = 0; i < s->n_subnet_ids; i++) {
    const az_subnet *sn = az_ix_subnet(&c->ix, s->subnet_ids[i]);
    if(sn && xd_cidr_contains_ip(&sn->cidr, ip))
      return sn->id;
  }
  for(size_t i = 0; i < c->m->n_subnets; i++) {
    const az_subnet *sn = &c->m->subnets[i];
    if(same(sn->vpc_id, s->vpc_id) && xd_cidr_contains_ip(&sn->cidr, ip))
      return sn->id;
  }
  return NULL;
}

static bool eni_of_domain(const az_ctx *c, const az_eni *n)
{
  const az_studio *s = &c->studio;
  bool in_subnet = false;
  if(!s->domain || !n->description || !n->private_ip)
    return false;
  for(size_t i = 0; i < s->n_subnet_ids && !in_subnet; i++)
    in_subnet = same(n->subnet_id, s->subnet_ids[i]);
  return in_subnet && strstr(n->description, s->domain->id) != NULL;
}

xd_rc az_studio_sources(az_ctx *c, az_endpoint **out, size_t *n)
{
  const az_studio *s = &c->studio;
  const az_intent *in = c->in;
  size_t cap = s->n_subnet_ids + c->m->n_enis + 1, k = 0;
  bool found = in && in->present && in->studio.source_ip_toward;
  az_endpoint *v;
  *out = NULL;
  *n = 0;
  v = xd_arena_calloc(&c->a, cap, sizeof(*v));
  if(!v)
    return XD_E_NOMEM;
  if(in && in->present && in->studio.source_ip) {
    az_endpoint *ep = &v[k++];
    xd_ip ip;
    const az_eni *eni;
    studio_common(c, ep);
    if(!xd_cidr_parse(in->studio.source_ip, &ep->net) ||
       !xd_ip_parse(in->studio.source_ip, &ip)) {
      k--;
    } else {
      snprintf(ep->label, sizeof(ep->label), "%s", in->studio.source_ip);
      eni = az_ix_eni_ip(&c->ix, s->vpc_id, in->studio.source_ip);
      if(eni) {
        ep->eni_id = eni->id;
        if(!in->studio.n_security_group_ids && !s->sgs_of_identity &&
           eni->n_group_ids) {
          ep->sgs = (const char *const *)eni->group_ids;
          ep->n_sgs = eni->n_group_ids;
        }
        fill_endpoint_subnet(c, ep, eni->subnet_id);
      } else if(!fill_endpoint_subnet(c, ep, subnet_of_ip(c, &ip)) && found) {
        /* this host's own address, in no Studio subnet: the domain's
         * subnets are judged instead (studio/source.c says why) */
        k--;
        found = false;
      } else if(!ep->subnet &&
                !az_file_missing(c, s->account, s->region,
                                 "ec2-describe-subnets.json")) {
        az_issue *is = az_issue_get(c, "INTENT_RESOURCE_NOT_FOUND",
                                    XD_SEV_WARNING, in->studio.source_ip,
                                    s->account, s->region);
        az_issue_message(c, is,
                         "The intent's source_ip %s is in no subnet of the "
                         "Studio VPC %s: the hops that depend on its subnet "
                         "are not known.",
                         in->studio.source_ip, s->vpc_id ? s->vpc_id : "?");
        az_issue_evidence(c, is, "no subnet of %s holds %s",
                          s->vpc_id ? s->vpc_id : "the Studio VPC",
                          in->studio.source_ip);
      }
    }
  }
  /* the domain's own interfaces: one per subnet and set of groups is
   * enough, since every address of it meets the same rules */
  for(size_t i = 0, had = k; !had && i < c->m->n_enis; i++) {
    const az_eni *eni = &c->m->enis[i];
    bool dup = false;
    if(!eni_of_domain(c, eni))
      continue;
    for(size_t j = 0; j < k && !dup; j++)
      dup = same(v[j].subnet_id, eni->subnet_id);
    if(dup)
      continue;
    studio_common(c, &v[k]);
    if(!xd_cidr_parse(eni->private_ip, &v[k].net))
      continue;
    snprintf(v[k].label, sizeof(v[k].label), "%s", eni->private_ip);
    v[k].eni_id = eni->id;
    if(eni->n_group_ids && !s->sgs_of_identity) {
      v[k].sgs = (const char *const *)eni->group_ids;
      v[k].n_sgs = eni->n_group_ids;
    }
    fill_endpoint_subnet(c, &v[k], eni->subnet_id);
    k++;
  }
  /* and every Studio subnet no end above is in, as a whole: a domain's
   * apps may land in any of its subnets, each with its own route table and
   * ACL (an unknown one stays, as an end nothing is known of: its hops say
   * so) */
  for(size_t i = 0; i < s->n_subnet_ids && !found; i++) {
    az_endpoint *ep;
    bool covered = false;
    for(size_t j = 0; j < k && !covered; j++)
      covered = same(v[j].subnet_id, s->subnet_ids[i]);
    if(covered)
      continue;
    ep = &v[k++];
    studio_common(c, ep);
    if(fill_endpoint_subnet(c, ep, s->subnet_ids[i])) {
      ep->net = ep->subnet->cidr;
      xd_cidr_format(&ep->net, ep->label, sizeof(ep->label));
    } else {
      snprintf(ep->label, sizeof(ep->label), "%s", s->subnet_ids[i]);
    }
  }
  *out = v;
  *n = k;
  return XD_OK;
}

static bool intent_wants(const az_ctx *c, const az_cluster *cl)
{
  const az_intent *in = c->in;
  if(!in || !in->present || !in->n_emr)
    return true;
  for(size_t i = 0; i < in->n_emr; i++) {
    const az_intent_emr *e = &in->emr[i];
    if(e->cluster_id ? same(e->cluster_id, cl->id)
                     : (!e->account || same(e->account, cl->account)))
      return true;
  }
  return false;
}

xd_rc az_clusters_selected(az_ctx *c, const az_cluster ***out, size_t *n)
{
  const az_model *m = c->m;
  const az_intent *in = c->in;
  const az_cluster **v = xd_arena_calloc(&c->a, m->n_clusters + 1, sizeof(*v));
  size_t k = 0;
  *out = v;
  *n = 0;
  if(!v)
    return XD_E_NOMEM;
  for(size_t i = 0; i < m->n_clusters; i++)
    if(intent_wants(c, &m->clusters[i]))
      v[k++] = &m->clusters[i];
  /* a cluster the intent names that the snapshot lacks */
  for(size_t i = 0; in && in->present && i < in->n_emr; i++) {
    const az_intent_emr *e = &in->emr[i];
    char file[256];
    az_issue *is;
    if(!e->cluster_id || az_ix_cluster(&c->ix, e->cluster_id))
      continue;
    snprintf(file, sizeof(file), "emr-describe-cluster--%s.json", e->cluster_id);
    if(az_file_missing(c, e->account, e->region, file))
      continue;
    is = az_issue_get(c, "INTENT_RESOURCE_NOT_FOUND", XD_SEV_WARNING,
                      e->cluster_id, e->account, e->region);
    az_issue_message(c, is,
                     "The intent names EMR cluster %s, which the snapshot "
                     "does not hold: nothing can be said of the path to it.",
                     e->cluster_id);
    az_issue_evidence(c, is, "no %s/%s/%s in the snapshot",
                      e->account ? e->account : "?",
                      e->region ? e->region : "?", file);
  }
  *n = k;
  return XD_OK;
}

const az_emr_instance *az_primary_node(const az_cluster *cl)
{
  if(!cl->master_public_dns)
    return NULL;
  for(size_t i = 0; i < cl->n_instances; i++) {
    const az_emr_instance *x = &cl->instances[i];
    if((x->private_dns && !strcasecmp(x->private_dns, cl->master_public_dns)) ||
       (x->public_dns && !strcasecmp(x->public_dns, cl->master_public_dns)))
      return x;
  }
  return NULL;
}

bool az_cluster_endpoint(az_ctx *c, const az_cluster *cl, az_endpoint *out,
                         char *why, size_t n)
{
  const az_emr_instance *pn = az_primary_node(cl);
  const az_eni *eni = NULL;
  const char *ip = pn ? pn->private_ip : NULL;
  const char *dns = cl->master_public_dns;
  char named[48];
  memset(out, 0, sizeof(*out));
  out->account = cl->account;
  out->region = cl->region;
  /* the discovery role can read DescribeCluster but not ListInstances:
   * a private DNS name carries the address itself */
  if(!ip && !cl->instances_known &&
     az_ip_from_private_name(dns, named, sizeof(named)))
    ip = named;
  if(!ip || !xd_cidr_parse(ip, &out->net)) {
    if(!cl->instances_known)
      snprintf(why, n, "the primary node's address is not known: "
               "%s/%s/emr-list-instances--%s.json is missing and "
               "MasterPublicDnsName %s does not carry it", cl->account,
               cl->region, cl->id, dns ? dns : "is not set");
    else
      snprintf(why, n, "no instance in emr-list-instances--%s.json carries "
               "MasterPublicDnsName %s", cl->id, dns ? dns : "(none)");
    return false;
  }
  if(ip == named) {
    az_issue *is = az_issue_get(c, "PRIMARY_NODE_ADDRESS_FROM_NAME",
                                XD_SEV_INFO, cl->id, cl->account, cl->region);
    az_issue_message(c, is,
                     "The primary node's address %s is read from its private "
                     "DNS name %s: the cluster's instances are not in the "
                     "snapshot.", ip, dns);
    az_issue_evidence(c, is, "MasterPublicDnsName %s names address %s", dns,
                      ip);
    az_issue_evidence(c, is, "no %s/%s/emr-list-instances--%s.json in the "
                      "snapshot", cl->account, cl->region, cl->id);
  }
  snprintf(out->label, sizeof(out->label), "%s", ip);
  fill_endpoint_subnet(c, out, cl->subnet_id);
  if(out->vpc_id)
    eni = az_ix_eni_ip(&c->ix, out->vpc_id, ip);
  if(eni) {
    out->eni_id = eni->id;
    if(eni->subnet_id && !same(eni->subnet_id, cl->subnet_id)) {
      out->vpc_id = NULL;
      fill_endpoint_subnet(c, out, eni->subnet_id);
    }
  }
  if(out->vpc_id)
    out->vpc = az_ix_vpc(&c->ix, out->vpc_id);
  /* the ENI's own groups when known, else what the cluster lists */
  out->sgs = az_primary_groups(c, cl, eni, &out->n_sgs);
  if(!out->sgs)
    return false;
  return true;
}

int az_livy_port(const az_cluster *cl)
{
  for(size_t i = 0; i < cl->n_configs; i++) {
    const az_emr_config *cf = &cl->configs[i];
    if(!cf->classification || strcmp(cf->classification, "livy-conf"))
      continue;
    for(size_t k = 0; k < cf->n_props; k++)
      if(cf->props[k].key && !strcmp(cf->props[k].key, "livy.server.port") &&
         cf->props[k].value) {
        char *end;
        long v = strtol(cf->props[k].value, &end, 10);
        if(*end == '\0' && v > 0 && v < 65536)
          return (int)v;
      }
  }
  return 8998;
}

static const char *service_name(int port, int livy)
{
  static const struct {
    int port;
    const char *name;
  } known[] = {{10000, "hiveserver2"}, {10001, "hiveserver2-http"},
               {10002, "hiveserver2-ui"}, {8889, "presto"},
               {9083, "hive-metastore"}, {8088, "yarn-resourcemanager"},
               {20888, "yarn-proxy"}, {18080, "spark-history"},
               {8888, "hue"}, {8890, "zeppelin"}, {9443, "jupyterhub"},
               {8188, "yarn-timeline"}, {88, "kerberos-kdc"},
               {749, "kerberos-admin"}, {464, "kerberos-kpasswd"},
               {389, "ldap"}, {636, "ldaps"}};
  if(port == livy)
    return "livy";
  for(size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
    if(known[i].port == port)
      return known[i].name;
  return NULL;
}

static void add_port(int *ports, const char **services, size_t *k, size_t max,
                     int port, int livy)
{
  for(size_t i = 0; i < *k; i++)
    if(ports[i] == port)
      return;
  if(*k < max) {
    ports[*k] = port;
    services[*k] = service_name(port, livy);
    (*k)++;
  }
}

static bool has_app(const az_cluster *cl, const char *name)
{
  for(size_t i = 0; i < cl->n_apps; i++)
    if(cl->apps[i].name && !strcasecmp(cl->apps[i].name, name))
      return true;
  return false;
}

size_t az_cluster_ports(az_ctx *c, const az_cluster *cl, int *ports,
                        const char **services, size_t max)
{
  const az_intent *in = c->in;
  int livy = az_livy_port(cl);
  size_t k = 0;
  const az_secconf *sc;
  if(in && in->present && in->n_ports) {
    for(size_t i = 0; i < in->n_ports; i++)
      add_port(ports, services, &k, max, in->ports[i], livy);
    /* Livy is what a notebook talks to: its real port is always tested */
    add_port(ports, services, &k, max, livy, livy);
  } else if(!cl->n_apps) {
    /* the applications are not known: every port a notebook may use */
    add_port(ports, services, &k, max, livy, livy);
    add_port(ports, services, &k, max, 10000, livy);
    add_port(ports, services, &k, max, 8889, livy);
  } else {
    /* only what is installed listens: a port of an application the
     * cluster lacks would be a false alarm */
    if(has_app(cl, "Livy"))
      add_port(ports, services, &k, max, livy, livy);
    if(has_app(cl, "Hive"))
      add_port(ports, services, &k, max, 10000, livy);
    if(has_app(cl, "Presto") || has_app(cl, "PrestoSQL") ||
       has_app(cl, "Trino"))
      add_port(ports, services, &k, max, 8889, livy);
    /* none of them: the Studio client still dials Livy's port (and
     * LIVY_NOT_INSTALLED says why nothing answers) */
    if(!k)
      add_port(ports, services, &k, max, livy, livy);
  }
  sc = cl->security_configuration
           ? az_ix_secconf(&c->ix, cl->account, cl->security_configuration)
           : NULL;
  if(sc && sc->kerberos == AZ_YES) {
    add_port(ports, services, &k, max, 88, livy);
    add_port(ports, services, &k, max, 749, livy);
    add_port(ports, services, &k, max, 464, livy);
  }
  return k;
}
