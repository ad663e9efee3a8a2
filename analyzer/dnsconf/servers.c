/* analyzer/dnsconf/servers.c: Studio's VPC hands out DNS servers that are
 * not the VPC resolver (domain.md, "DNS that is not AmazonProvidedDNS").
 *
 * Which server answers. A client (glibc, systemd-resolved) asks the
 * servers in the order DHCP lists them and moves on only when one does
 * not answer: an NXDOMAIN or a public address from the first is final. So
 * the first listed server decides. A set whose first server is
 * AmazonProvidedDNS (or the VPC's base + 2, or 169.254.169.253) is the VPC
 * resolver, with company servers as fallbacks only: nothing to say here.
 *
 * What the rules can tell. The primary node's name (ip-2-0-1-10.ec2.internal)
 * gives its private address only from a VPC resolver that the peering's
 * DNS option lets see the EMR VPC. Company servers give it only by
 * forwarding the name back into AWS (a conditional forwarder to an
 * inbound Resolver endpoint of Studio's VPC), which is configured on the
 * servers and shown by no AWS API. Route 53 Resolver rules are not that
 * forwarding either: a rule associated with a VPC steers the queries that
 * reach that VPC's resolver. What a FORWARD rule associated with Studio's
 * VPC and covering the name does show is that the company set up
 * forwarding for this very name between its servers and the VPC resolver:
 * the name may resolve, and whether it does is only "not known"
 * (DNS_CUSTOM_SERVERS_FORWARDED, info). With the rule files read and no
 * such rule, nothing in the configuration forwards the name: the company
 * servers look it up on the internet, where an ec2.internal name does not
 * exist and a public name gives the public address
 * (DNS_CUSTOM_SERVERS_NO_FORWARD, critical). Without the rule files the
 * answer depends on what cannot be seen (DNS_CUSTOM_SERVERS_UNSEEN,
 * warning). A first server that is a public resolver (8.8.8.8, 1.1.1.1,
 * ...) can never forward to a VPC: critical whatever the rules say. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dnsconf.h"

/* Public resolvers: they answer from the internet only. */
static const char *const public_resolvers[] = {
  "8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112",
  "208.67.222.222", "208.67.220.220", "4.2.2.1", "4.2.2.2", NULL};

static bool is_public_resolver(const char *s)
{
  for(size_t i = 0; public_resolvers[i]; i++)
    if(!strcmp(s, public_resolvers[i]))
      return true;
  return false;
}

const az_dhcp_options *az_dhcp_of(const az_model *m, const az_vpc *vpc)
{
  if(!vpc || !vpc->dhcp_options_id ||
     !strcmp(vpc->dhcp_options_id, "default"))
    return NULL;
  for(size_t i = 0; i < m->n_dhcp_options; i++) {
    const az_dhcp_options *d = &m->dhcp_options[i];
    /* a set belongs to the VPC's account and Region (it is not shared) */
    if(!strcmp(d->id, vpc->dhcp_options_id) &&
       !strcmp(d->account, vpc->account) &&
       (!vpc->region || !d->region || !strcmp(d->region, vpc->region)))
      return d;
  }
  return NULL;
}

bool az_dns_is_vpc_resolver(const char *s, const az_vpc *vpc)
{
  xd_ip ip, base2;
  if(!strcmp(s, "AmazonProvidedDNS"))
    return true;
  if(!xd_ip_parse(s, &ip))
    return false;
  if(!strcmp(s, "169.254.169.253") || !strcasecmp(s, "fd00:ec2::253"))
    return true;
  return vpc && vpc->n_cidrs && xd_cidr_nth(&vpc->cidrs[0], 2, &base2) &&
         xd_ip_equal(&ip, &base2);
}

/* Whether Resolver rule domain dom ("example.com.", "." for all) covers
 * name: the same name, or a parent of it, label by label. */
static bool covers(const char *dom, const char *name)
{
  size_t dl = strlen(dom), nl = strlen(name);
  while(dl && dom[dl - 1] == '.')
    dl--;
  while(nl && name[nl - 1] == '.')
    nl--;
  if(!dl)
    return true;
  if(dl > nl || strncasecmp(name + nl - dl, dom, dl))
    return false;
  return dl == nl || name[nl - dl - 1] == '.';
}

static bool active(const char *status)
{
  return !status || !strcmp(status, "COMPLETE");
}

static size_t dom_len(const char *dom)
{
  size_t n = strlen(dom);
  while(n && dom[n - 1] == '.')
    n--;
  return n;
}

/* The FORWARD rules covering name: *fw, the most specific one associated
 * (and in force) with vpc_id; *loose, one that is not associated with it
 * (it exists, shared or not, but the VPC does not use it). NULL when
 * none. The VPC's associations are found through a map: an organisation
 * may hold thousands of rules and associations. */
static void covering_rules(az_ctx *c, const char *vpc_id, const char *name,
                           const az_resolver_rule **fw,
                           const az_resolver_rule **loose)
{
  const az_model *m = c->m;
  az_hmap used;
  *fw = *loose = NULL;
  memset(&used, 0, sizeof(used));
  for(size_t k = 0; k < m->n_resolver_assocs; k++) {
    const az_resolver_assoc *a = &m->resolver_assocs[k];
    if(!strcmp(a->vpc_id, vpc_id) &&
       az_hmap_put(&used, a->rule_id, (void *)a, active(a->status)) !=
           XD_OK) {
      c->nomem = true;
      goto done;
    }
  }
  for(size_t i = 0; i < m->n_resolver_rules; i++) {
    const az_resolver_rule *r = &m->resolver_rules[i];
    const az_resolver_assoc *a;
    if(strcmp(r->rule_type, "FORWARD") || !active(r->status) ||
       !covers(r->domain_name, name))
      continue;
    a = az_hmap_get(&used, r->id);
    if(a && active(a->status)) {
      if(!*fw || dom_len(r->domain_name) > dom_len((*fw)->domain_name))
        *fw = r;
    }
    else if(!a && !*loose && dom_len(r->domain_name))
      *loose = r;
  }
done:
  az_hmap_free(&used);
}

static bool rules_seen(const az_model *m, const char *account,
                       const char *region)
{
  for(size_t i = 0; i < m->n_resolver_seen; i++) {
    const az_resolver_seen *s = &m->resolver_seen[i];
    if(!strcmp(s->account, account) && region && s->region &&
       !strcmp(s->region, region))
      return s->rules && s->assocs;
  }
  return false;
}

/* "10.50.0.2, 10.50.0.3" */
static const char *server_list(az_ctx *c, const az_dhcp_options *d)
{
  xd_buf b;
  const char *out;
  xd_buf_init(&b);
  for(size_t i = 0; i < d->n_servers && i < 8; i++)
    xd_buf_printf(&b, "%s%s", i ? ", " : "", d->servers[i]);
  out = az_strf(c, "%s", xd_buf_str(&b));
  xd_buf_free(&b);
  return out;
}

bool az_dns_custom_domain(const char *dom)
{
  const char *p = dom;
  if(!dom)
    return false;
  while(*p) {
    size_t n;
    p += strspn(p, " ");
    n = strcspn(p, " ");
    /* ec2.internal (us-east-1), REGION.compute.internal elsewhere */
    if(n && !(n == 12 && !strncasecmp(p, "ec2.internal", 12)) &&
       !(n > 17 && !strncasecmp(p + n - 17, ".compute.internal", 17)))
      return true;
    p += n;
  }
  return false;
}

void az_dnsconf_remedy(az_ctx *c, az_issue *is, const az_vpc *v,
                       bool aws_domain)
{
  const char *use = NULL;
  az_cmd b;
  for(size_t i = 0; i < c->m->n_dhcp_options && !use; i++) {
    const az_dhcp_options *d = &c->m->dhcp_options[i];
    if(!strcmp(d->account, v->account) && d->region && v->region &&
       !strcmp(d->region, v->region) && d->n_servers &&
       az_dns_is_vpc_resolver(d->servers[0], v) &&
       (!aws_domain || !az_dns_custom_domain(d->domain_name)))
      use = d->id;
  }
  az_cmd_init(&b);
  az_cmd_args(&b, "aws", "ec2", "associate-dhcp-options", "--dhcp-options-id",
              NULL);
  if(use)
    az_cmd_id(&b, AZ_ID_DOPT, use);
  else
    az_cmd_arg(&b, "default");
  az_cmd_arg(&b, "--vpc-id");
  az_cmd_id(&b, AZ_ID_VPC, v->id);
  az_cmd_region(&b, v->region);
  az_issue_remedy(c, is, &b);
  az_cmd_free(&b);
}

static void servers_evidence(az_ctx *c, az_issue *is,
                             const az_dhcp_options *d, const char *servers)
{
  az_issue_evidence(c, is, "%s domain-name-servers = %s (the first answers)",
                    d->id, servers);
}

/* What the name gives from the internet: the public address when it is
 * the node's public name, else nothing. */
static void internet_answer(const az_cluster *cl, const char *name,
                            const char **to, const char **addr)
{
  const az_emr_instance *pn = az_primary_node(cl);
  if(pn && pn->public_dns && pn->public_ip && *pn->public_ip &&
     !strcasecmp(pn->public_dns, name)) {
    *to = "public";
    *addr = pn->public_ip;
  } else {
    *to = "none";
    *addr = NULL;
  }
}

void az_dnsconf_servers(az_ctx *c, const az_cluster *cl, bool other_cause,
                        const char **to, const char **addr)
{
  const az_vpc *v = c->studio.vpc;
  const az_dhcp_options *d = az_dhcp_of(c->m, v);
  const az_emr_instance *pn = az_primary_node(cl);
  const char *name = pn && pn->private_dns ? pn->private_dns
                                           : cl->master_public_dns;
  const char *first, *servers, *dom;
  const az_resolver_rule *fw = NULL, *loose = NULL;
  bool seen, public;
  xd_severity sev;
  az_issue *is;
  if(!d || !d->n_servers || !name || !v->account)
    return;
  first = d->servers[0];
  if(az_dns_is_vpc_resolver(first, v))
    return;
  if(!(servers = server_list(c, d)))
    return; /* out of memory: c->nomem says so */
  /* the domain the name's zone is: ec2.internal for ip-...ec2.internal */
  dom = strchr(name, '.') ? strchr(name, '.') + 1 : name;
  public = is_public_resolver(first);
  seen = rules_seen(c->m, v->account, v->region);
  if(!public && seen)
    covering_rules(c, v->id, name, &fw, &loose);
  if(fw) {
    is = az_issue_get(c, "DNS_CUSTOM_SERVERS_FORWARDED", XD_SEV_INFO, d->id,
                      v->account, v->region);
    az_issue_message(c, is,
                     "Studio's VPC %s hands out DNS servers %s (%s), not the "
                     "VPC resolver; Route 53 Resolver rule %s, associated "
                     "with it, forwards %s, which takes in %s: the company "
                     "set up DNS forwarding that covers this name. "
                     "Rules steer the VPC resolver, not the company servers: "
                     "%s gives %s only if %s sends it on to the VPC "
                     "resolver (an inbound Resolver endpoint in %s). Not "
                     "known from the configuration; a DNS probe from Studio "
                     "shows the answer.",
                     v->id, servers, d->id, fw->id, fw->domain_name, name,
                     name, pn && pn->private_ip ? pn->private_ip
                                                : "the private address",
                     first, v->id);
    servers_evidence(c, is, d, servers);
    az_issue_evidence(c, is, "rule %s (%s) %s -> %zu target(s), associated "
                      "with %s", fw->id, fw->rule_type, fw->domain_name,
                      fw->n_targets, v->id);
    if(!other_cause) {
      *to = "unknown";
      *addr = NULL;
    }
    return;
  }
  if(!public && !seen) {
    is = az_issue_get(c, "DNS_CUSTOM_SERVERS_UNSEEN", XD_SEV_WARNING, d->id,
                      v->account, v->region);
    az_issue_message(c, is,
                     "Studio's VPC %s hands out DNS servers %s (%s), not the "
                     "VPC resolver: %s gives the primary node's private "
                     "address only if %s forwards %s to the VPC resolver "
                     "(an inbound Resolver endpoint in %s), which no AWS "
                     "configuration shows, and the snapshot holds no Route "
                     "53 Resolver rules to tell. Otherwise it gives the "
                     "public address or nothing.",
                     v->id, servers, d->id, name, first, dom, v->id);
    servers_evidence(c, is, d, servers);
    az_issue_evidence(c, is, "no route53resolver-list-resolver-rules.json and "
                      "route53resolver-list-resolver-rule-associations.json "
                      "for %s/%s", v->account, v->region ? v->region : "?");
    az_dnsconf_remedy(c, is, v, false);
    if(!other_cause) {
      *to = "unknown";
      *addr = NULL;
    }
    return;
  }
  sev = other_cause ? XD_SEV_WARNING : XD_SEV_CRITICAL;
  is = az_issue_get(c, "DNS_CUSTOM_SERVERS_NO_FORWARD", sev, d->id,
                    v->account, v->region);
  if(public)
    az_issue_message(c, is,
                     "Studio's VPC %s hands out DNS servers %s (%s) and the "
                     "first, %s, is a public resolver: it answers %s from the "
                     "internet, never with the primary node's private "
                     "address. Use the VPC resolver (AmazonProvidedDNS).",
                     v->id, servers, d->id, first, name);
  else
    az_issue_message(c, is,
                     "Studio's VPC %s hands out DNS servers %s (%s), not the "
                     "VPC resolver, and no Route 53 Resolver rule associated "
                     "with %s forwards %s: nothing in the configuration sends "
                     "%s to a resolver that sees the EMR VPC, so %s looks it "
                     "up on the internet, where it gives the public address "
                     "or nothing.",
                     v->id, servers, d->id, v->id, dom, name, first);
  servers_evidence(c, is, d, servers);
  if(!public)
    az_issue_evidence(c, is, "%zu Resolver rule(s), none FORWARD for %s and "
                      "associated with %s", c->m->n_resolver_rules, dom,
                      v->id);
  if(loose)
    az_issue_evidence(c, is, "rule %s forwards %s but is not associated with "
                      "%s", loose->id, loose->domain_name, v->id);
  if(other_cause)
    az_issue_evidence(c, is, "a second obstacle: the finding that already "
                      "stops %s from resolving privately comes first", name);
  az_dnsconf_remedy(c, is, v, false);
  if(!other_cause)
    internet_answer(cl, name, to, addr);
}
