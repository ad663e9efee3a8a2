#include <stdio.h>

#include "../common/jsonutil.h"
#include "analyze.h"
#include "reach.h"

xd_rc az_summarize(const az_model *m, xd_result *r, xd_err *e)
{
  cJSON *meta = xd_result_meta(r), *loaded, *accts;
  cJSON_DeleteItemFromObjectCaseSensitive(meta, "loaded");
  cJSON_DeleteItemFromObjectCaseSensitive(meta, "accounts");
  loaded = cJSON_AddObjectToObject(meta, "loaded");
  accts = cJSON_AddArrayToObject(meta, "accounts");
  if(!loaded || !accts)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  if(m->root)
    cJSON_AddStringToObject(meta, "snapshot", m->root);
#define COUNT(name, n) cJSON_AddNumberToObject(loaded, name, (double)(n))
  COUNT("accounts", m->n_accounts);
  COUNT("vpcs", m->n_vpcs);
  COUNT("subnets", m->n_subnets);
  COUNT("route_tables", m->n_route_tables);
  COUNT("security_groups", m->n_sgs);
  COUNT("network_acls", m->n_nacls);
  COUNT("peerings", m->n_pcxs);
  COUNT("network_interfaces", m->n_enis);
  COUNT("prefix_lists", m->n_prefix_lists);
  COUNT("clusters", m->n_clusters);
  COUNT("security_configurations", m->n_secconfs);
  COUNT("domains", m->n_domains);
  COUNT("roles", m->n_roles);
  COUNT("policies", m->n_policies);
  COUNT("role_files", m->n_rolefiles);
  COUNT("dhcp_options", m->n_dhcp_options);
  COUNT("resolver_rules", m->n_resolver_rules);
#undef COUNT
  for(size_t i = 0; i < m->n_accounts; i++) {
    cJSON *a = cJSON_CreateObject(), *regs;
    if(!a)
      return xd_fail(e, XD_E_NOMEM, "out of memory");
    cJSON_AddItemToArray(accts, a);
    cJSON_AddStringToObject(a, "id", m->accounts[i].id);
    regs = cJSON_AddArrayToObject(a, "regions");
    for(size_t k = 0; regs && k < m->accounts[i].n_regions; k++)
      cJSON_AddItemToArray(regs, cJSON_CreateString(m->accounts[i].regions[k]));
  }
  for(size_t i = 0; i < m->n_missing; i++) {
    const az_missing *ms = &m->missing[i];
    char msg[512], ev[600];
    const char *evp = ev;
    xd_finding f = {0};
    /* ACCOUNT_CONFIG_UNREADABLE says it once for the whole account */
    if(az_refusals_hide_missing(m, ms->account))
      continue;
    snprintf(msg, sizeof(msg), "Not known: %s of account %s%s%s (no %s).",
             ms->what, ms->account, ms->region ? " in " : "",
             ms->region ? ms->region : "", ms->file);
    snprintf(ev, sizeof(ev), "file absent from the snapshot: %s", ms->file);
    f.code = "SNAPSHOT_FILE_MISSING";
    f.severity = XD_SEV_INFO;
    f.resource = ms->file;
    f.account = ms->account;
    f.message = msg;
    f.evidence = &evp;
    f.n_evidence = 1;
    f.remediation = NULL;
    if(xd_result_add_finding(r, &f) != XD_OK)
      return xd_fail(e, XD_E_NOMEM, "out of memory");
  }
  return XD_OK;
}
