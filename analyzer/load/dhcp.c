/* analyzer/load/dhcp.c: ec2-describe-dhcp-options.json, the DNS servers
 * and domain name each VPC hands out (the VPC names its set in
 * DhcpOptionsId). Only two options matter to the diagnosis:
 * domain-name-servers (who answers the primary node's name) and
 * domain-name (what the nodes' host names end with); the others (ntp,
 * netbios) are read for their shape and left. Each value is one
 * {"Value": ...} object, as the AWS CLI prints it; AWS also accepts the
 * servers of one option as one comma-separated value, which is split
 * here so that the order of servers is the order a client tries them. */
#include <stdio.h>
#include <string.h>

#include "../snapshot_priv.h"

#define DHCP_FILE "ec2-describe-dhcp-options.json"

/* Append the comma-separated servers in v to d->servers (room for
 * max entries). */
static xd_rc add_servers(az_ld *L, az_dhcp_options *d, const char *v,
                         size_t max)
{
  while(*v) {
    size_t n;
    v += strspn(v, " ,");
    n = strcspn(v, ",");
    while(n && v[n - 1] == ' ')
      n--;
    if(n) {
      xd_ip ip;
      char *s;
      if(d->n_servers == max)
        return ld_fail(L, XD_E_INVALID, "Value",
                       "more DNS servers than a DHCP options set holds");
      s = xd_arena_alloc(&L->m->arena, n + 1);
      if(!s)
        return ld_nomem(L);
      memcpy(s, v, n);
      s[n] = '\0';
      /* what EC2 accepts: the keyword or addresses */
      if(strcmp(s, "AmazonProvidedDNS") && !xd_ip_parse(s, &ip))
        return ld_bad_value(L, "Value", s,
                            "AmazonProvidedDNS or an IP address");
      d->servers[d->n_servers++] = s;
    }
    v += n;
    v += strspn(v, " ");
  }
  return XD_OK;
}

/* One option being read: the set and the option's Key. */
typedef struct {
  az_dhcp_options *d;
  const char *key;
} dhcp_conf;

static xd_rc read_value(az_ld *L, const cJSON *it, void *ctx)
{
  dhcp_conf *dc = ctx;
  char *v = NULL;
  xd_rc rc = ld_str(L, it, "Value", true, &v);
  if(rc != XD_OK)
    return rc;
  if(!strcmp(dc->key, "domain-name-servers"))
    return add_servers(L, dc->d, v, 16); /* AWS allows four */
  if(!strcmp(dc->key, "domain-name") && !dc->d->domain_name)
    dc->d->domain_name = v;
  return XD_OK;
}

static xd_rc read_conf(az_ld *L, const cJSON *it, void *ctx)
{
  dhcp_conf dc;
  const cJSON *vals;
  char *key = NULL;
  xd_rc rc;
  if((rc = ld_str(L, it, "Key", true, &key)) ||
     (rc = ld_array(L, it, "Values", &vals)))
    return rc;
  dc.d = ctx;
  dc.key = key;
  return ld_each(L, vals, "Values", read_value, &dc);
}

static xd_rc read_dopt(az_ld *L, const cJSON *it, void *ctx)
{
  az_dhcp_options *d = LD_SLOT(L, L->m->dhcp_options, L->m->n_dhcp_options,
                               L->cap_dhcp);
  const cJSON *confs;
  xd_rc rc;
  (void)ctx;
  if(!d)
    return ld_nomem(L);
  d->account = (char *)L->account;
  d->region = (char *)L->region;
  d->src = L->rel;
  if((rc = ld_id(L, it, "DhcpOptionsId", AZ_ID_DOPT, true, &d->id)) ||
     (rc = ld_id(L, it, "OwnerId", AZ_ID_ACCOUNT, false, &d->owner)) ||
     (rc = ld_array(L, it, "DhcpConfigurations", &confs)))
    return rc;
  if(!d->owner)
    d->owner = d->account;
  d->servers = xd_arena_calloc(&L->m->arena, 17, sizeof(char *));
  if(!d->servers)
    return ld_nomem(L);
  return ld_each(L, confs, "DhcpConfigurations", read_conf, d);
}

xd_rc ld_load_dhcp(az_ld *L)
{
  /* only a folder with VPCs has options sets to tell about */
  bool vpcs = L->m->n_vpcs > L->region_vpc0;
  return ld_load_list(L, DHCP_FILE, "DhcpOptions",
                      vpcs ? "the DNS servers and domain name its VPCs hand "
                             "out (DHCP options)"
                           : NULL,
                      read_dopt, NULL);
}
