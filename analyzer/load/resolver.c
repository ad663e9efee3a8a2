/* analyzer/load/resolver.c: the optional Route 53 Resolver files,
 * route53resolver-list-resolver-rules.json (ResolverRules) and
 * route53resolver-list-resolver-rule-associations.json
 * (ResolverRuleAssociations), as the AWS CLI prints them. They are
 * optional in the layout (an account without Resolver rules may not grant
 * the calls), so an absent one is not a "file missing" finding; which of
 * them a folder held is kept (az_resolver_seen), because "no rule
 * forwards this name" can only be said from a file that was read.
 *
 * The list holds Resolver's own rules as well: the "Internet Resolver"
 * (Id rslvr-autodefined-rr-internet-resolver, DomainName ".", RuleType
 * RECURSIVE, OwnerId "Route 53 Resolver"), so OwnerId is not always an
 * account. The association's VPC key is "VPCId", as the API spells it. */
#include <stdio.h>
#include <string.h>

#include "../snapshot_priv.h"

#define RULES_FILE "route53resolver-list-resolver-rules.json"
#define ASSOCS_FILE "route53resolver-list-resolver-rule-associations.json"

static const char *const rule_types[] = {"FORWARD", "SYSTEM", "RECURSIVE",
                                         NULL};

static bool one_of(const char *v, const char *const *set)
{
  for(size_t i = 0; set[i]; i++)
    if(!strcmp(v, set[i]))
      return true;
  return false;
}

static xd_rc read_target(az_ld *L, const cJSON *it, void *ctx)
{
  az_resolver_rule *r = ctx;
  az_target_ip *t = &r->targets[r->n_targets];
  bool present;
  xd_rc rc;
  t->port = 53;
  if((rc = ld_ip(L, it, "Ip", &t->ip)) ||
     (rc = ld_long(L, it, "Port", 0, 65535, "a port", &present, &t->port)))
    return rc;
  /* an IPv6 target (Ipv6) has no Ip: nothing a VPC's IPv4 name needs */
  if(t->ip)
    r->n_targets++;
  return XD_OK;
}

static xd_rc read_rule(az_ld *L, const cJSON *it, void *ctx)
{
  az_resolver_rule *r = LD_SLOT(L, L->m->resolver_rules,
                                L->m->n_resolver_rules, L->cap_rrules);
  const cJSON *targets;
  xd_rc rc;
  (void)ctx;
  if(!r)
    return ld_nomem(L);
  r->account = (char *)L->account;
  r->region = (char *)L->region;
  r->src = L->rel;
  if((rc = ld_id(L, it, "Id", AZ_ID_RESOLVER_RULE, true, &r->id)) ||
     (rc = ld_str(L, it, "Name", false, &r->name)) ||
     (rc = ld_str(L, it, "DomainName", true, &r->domain_name)) ||
     (rc = ld_str(L, it, "RuleType", true, &r->rule_type)) ||
     (rc = ld_str(L, it, "Status", false, &r->status)) ||
     (rc = ld_id(L, it, "ResolverEndpointId", AZ_ID_RESOLVER_ENDPOINT, false,
                 &r->endpoint_id)) ||
     (rc = ld_str(L, it, "OwnerId", false, &r->owner)) ||
     (rc = ld_str(L, it, "ShareStatus", false, &r->share_status)) ||
     (rc = ld_array(L, it, "TargetIps", &targets)))
    return rc;
  if(!one_of(r->rule_type, rule_types))
    return ld_bad_value(L, "RuleType", r->rule_type,
                        "FORWARD, SYSTEM or RECURSIVE");
  if(!*r->domain_name)
    return ld_fail(L, XD_E_INVALID, "DomainName", "is empty");
  if(targets && !(r->targets = ld_calloc_for(L, targets,
                                              sizeof(az_target_ip))))
    return ld_nomem(L);
  return ld_each(L, targets, "TargetIps", read_target, r);
}

static xd_rc read_assoc(az_ld *L, const cJSON *it, void *ctx)
{
  az_resolver_assoc *a = LD_SLOT(L, L->m->resolver_assocs,
                                 L->m->n_resolver_assocs, L->cap_rassocs);
  xd_rc rc;
  (void)ctx;
  if(!a)
    return ld_nomem(L);
  a->account = (char *)L->account;
  a->region = (char *)L->region;
  a->src = L->rel;
  if((rc = ld_id(L, it, "Id", AZ_ID_RESOLVER_ASSOC, true, &a->id)) ||
     (rc = ld_id(L, it, "ResolverRuleId", AZ_ID_RESOLVER_RULE, true,
                 &a->rule_id)) ||
     (rc = ld_id(L, it, "VPCId", AZ_ID_VPC, true, &a->vpc_id)) ||
     (rc = ld_str(L, it, "Status", false, &a->status)) ||
     (rc = ld_str(L, it, "Name", false, &a->name)))
    return rc;
  return XD_OK;
}

xd_rc ld_load_resolver(az_ld *L)
{
  const char *rules = ld_rel(L, L->region, RULES_FILE);
  const char *assocs = ld_rel(L, L->region, ASSOCS_FILE);
  az_resolver_seen *seen;
  xd_rc rc;
  if(!rules || !assocs)
    return ld_nomem(L);
  seen = LD_SLOT(L, L->m->resolver_seen, L->m->n_resolver_seen, L->cap_rseen);
  if(!seen)
    return ld_nomem(L);
  seen->account = (char *)L->account;
  seen->region = (char *)L->region;
  /* present and loaded (an error stops the whole load): read, even when
   * its list is empty */
  seen->rules = ld_exists(L, rules);
  seen->assocs = ld_exists(L, assocs);
  if((rc = ld_load_list(L, RULES_FILE, "ResolverRules", NULL, read_rule,
                        NULL)) ||
     (rc = ld_load_list(L, ASSOCS_FILE, "ResolverRuleAssociations", NULL,
                        read_assoc, NULL)))
    return rc;
  return XD_OK;
}
