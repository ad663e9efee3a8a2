/* analyzer/studio/source.c: the address `check` runs from, inside Studio.
 * There the intent's source_ip is not typed by anyone: it is the local
 * address the kernel picks toward a primary node (source_ip_toward). The
 * diagnosis is of that address, so the report says which subnet and ENI
 * of the domain hold it; an address in no subnet of the domain means the
 * packets do not leave from where the configuration is judged, which is
 * worth a warning on its own. */
#include <stdio.h>
#include <string.h>

#include "../../common/netaddr.h"
#include "../reach.h"

static bool same(const char *a, const char *b)
{
  return a && b && !strcmp(a, b);
}

/* The subnet of the Studio VPC holding ip (the domain's first). */
static const az_subnet *subnet_holding(az_ctx *c, const xd_ip *ip)
{
  const az_studio *s = &c->studio;
  for(size_t i = 0; i < s->n_subnet_ids; i++) {
    const az_subnet *sn = az_ix_subnet(&c->ix, s->subnet_ids[i]);
    if(sn && xd_cidr_contains_ip(&sn->cidr, ip))
      return sn;
  }
  for(size_t i = 0; i < c->m->n_subnets; i++) {
    const az_subnet *sn = &c->m->subnets[i];
    if(same(sn->vpc_id, s->vpc_id) && xd_cidr_contains_ip(&sn->cidr, ip))
      return sn;
  }
  return NULL;
}

static bool of_domain(const az_studio *s, const char *subnet_id)
{
  for(size_t i = 0; i < s->n_subnet_ids; i++)
    if(same(s->subnet_ids[i], subnet_id))
      return true;
  return false;
}

/* Evidence: "the domain's subnets: subnet-a (10.0.20.0/24), ...". */
static void domain_subnets(az_ctx *c, az_issue *is)
{
  const az_studio *s = &c->studio;
  xd_buf b;
  xd_buf_init(&b);
  for(size_t i = 0; i < s->n_subnet_ids; i++) {
    const az_subnet *sn = az_ix_subnet(&c->ix, s->subnet_ids[i]);
    char cidr[64] = "?";
    if(sn)
      xd_cidr_format(&sn->cidr, cidr, sizeof(cidr));
    xd_buf_printf(&b, "%s%s (%s)", i ? ", " : "", s->subnet_ids[i], cidr);
  }
  if(!s->n_subnet_ids)
    xd_buf_printf(&b, "none known");
  az_issue_evidence(c, is, "the domain's subnets: %s", xd_buf_str(&b));
  xd_buf_free(&b);
}

static void say_eni(az_ctx *c, az_issue *is, const az_eni *eni,
                    const char *src)
{
  const az_studio *s = &c->studio;
  xd_buf b;
  if(!eni) {
    if(az_file_missing(c, s->account, s->region,
                       "ec2-describe-network-interfaces.json"))
      az_issue_evidence(c, is, "which ENI holds %s is not known: "
                        "ec2-describe-network-interfaces.json is not in the "
                        "snapshot", src);
    else
      az_issue_evidence(c, is, "no ENI of ec2-describe-network-interfaces"
                        ".json holds %s", src);
    return;
  }
  xd_buf_init(&b);
  for(size_t i = 0; i < eni->n_group_ids; i++)
    xd_buf_printf(&b, "%s%s", i ? ", " : "", eni->group_ids[i]);
  az_issue_evidence(c, is, "ENI %s holds %s (groups %s%s%s)", eni->id, src,
                    eni->n_group_ids ? xd_buf_str(&b) : "none",
                    eni->description ? "; " : "",
                    eni->description ? eni->description : "");
  xd_buf_free(&b);
}

void az_studio_source_check(az_ctx *c)
{
  const az_studio *s = &c->studio;
  const az_intent *in = c->in;
  const char *src, *toward, *dom;
  const az_eni *eni;
  const az_subnet *sn = NULL;
  az_issue *is;
  char cidr[64];
  xd_ip ip;

  if(!in || !in->present || !in->studio.source_ip_toward ||
     !in->studio.source_ip || !s->vpc_id)
    return;
  src = in->studio.source_ip;
  toward = in->studio.source_ip_toward;
  dom = s->domain ? s->domain->id : "of the intent";
  if(!xd_ip_parse(src, &ip))
    return;
  eni = az_ix_eni_ip(&c->ix, s->vpc_id, src);
  if(eni && eni->subnet_id)
    sn = az_ix_subnet(&c->ix, eni->subnet_id);
  if(!sn)
    sn = subnet_holding(c, &ip);
  if(!sn && az_file_missing(c, s->account, s->region,
                            "ec2-describe-subnets.json"))
    return; /* the subnets are not known: SNAPSHOT_FILE_MISSING says so */
  if(sn)
    xd_cidr_format(&sn->cidr, cidr, sizeof(cidr));
  if(!sn || !of_domain(s, sn->id)) {
    is = az_issue_get(c, "STUDIO_SOURCE_OUTSIDE_DOMAIN", XD_SEV_WARNING, src,
                      s->account, s->region);
    if(!sn)
      az_issue_message(c, is,
                       "This host's address %s (the one the kernel picks "
                       "toward %s) is in no subnet of the Studio VPC %s: its "
                       "packets do not leave from domain %s's subnets, so the "
                       "paths below are judged from those subnets and the "
                       "probes may not agree with them.",
                       src, toward, s->vpc_id, dom);
    else
      az_issue_message(c, is,
                       "This host's address %s (the one the kernel picks "
                       "toward %s) is in subnet %s of the Studio VPC, which is "
                       "not one of domain %s's subnets: Studio apps of the "
                       "domain do not run there, so the diagnosis of that "
                       "subnet may not be the one its users see.",
                       src, toward, sn->id, dom);
    domain_subnets(c, is);
    if(!sn) {
      az_issue_evidence(c, is, "the local address of the route toward %s is "
                        "%s", toward, src);
      az_issue_evidence(c, is, "run inside a space of domain %s, or give "
                        "studio.source_ip in an intent (--config)", dom);
      return;
    }
  }
  else {
    is = az_issue_get(c, "STUDIO_SOURCE_ADDRESS", XD_SEV_INFO,
                      eni ? eni->id : sn->id, s->account, s->region);
    az_issue_message(c, is,
                     "Diagnosed from this host's own address %s, the one the "
                     "kernel picks toward %s: subnet %s (%s) of domain %s%s%s.",
                     src, toward, sn->id, cidr, dom, eni ? ", ENI " : "",
                     eni ? eni->id : "");
  }
  az_issue_evidence(c, is, "the local address of the route toward %s is %s",
                    toward, src);
  az_issue_evidence(c, is, "%s is in subnet %s (%s)", src, sn->id, cidr);
  say_eni(c, is, eni, src);
}
