/* Per-subnet verdicts of the paths to one cluster; see subnets.h. */
#include <string.h>

#include "subnets.h"

static const char *str_at(const cJSON *o, const char *a, const char *b)
{
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
  x = x ? cJSON_GetObjectItemCaseSensitive(x, b) : NULL;
  return cJSON_IsString(x) ? x->valuestring : NULL;
}

static const char *member(const cJSON *o, const char *k)
{
  const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
  return v ? v : "?";
}

/* The first denying hop of path p, as evidence. */
static void deny_hop(az_ctx *c, az_issue *is, const cJSON *p)
{
  const cJSON *h;
  cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(p, "hops")) {
    if(!strcmp(member(h, "verdict"), "deny")) {
      az_issue_evidence(c, is, "port %d: %s %s: %s",
                        (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
                            cJSON_GetObjectItemCaseSensitive(p, "to"), "port")),
                        member(h, "kind"), member(h, "resource"),
                        member(h, "detail"));
      return;
    }
  }
}

/* Whether path p leads from Studio subnet sub to cluster id (the
 * cluster first: most paths of an organisation lead elsewhere). */
static bool path_of(const cJSON *p, const char *sub, const char *id)
{
  const char *to = str_at(p, "to", "cluster"), *from;
  if(!to || strcmp(to, id))
    return false;
  from = str_at(p, "from", "subnet");
  return from && !strcmp(from, sub);
}

void az_subnets_report(az_ctx *c, const az_cluster *cl)
{
  const az_studio *s = &c->studio;
  const cJSON *paths = cJSON_GetObjectItemCaseSensitive(
      xd_result_json(c->r), "paths"), *p;
  size_t n_ok = 0, n_bad = 0;
  if(s->n_subnet_ids < 2)
    return;
  /* a subnet passes when every path from it to cl is reachable */
  for(size_t i = 0; i < s->n_subnet_ids; i++) {
    bool any = false, bad = false;
    cJSON_ArrayForEach(p, paths) {
      if(!path_of(p, s->subnet_ids[i], cl->id))
        continue;
      any = true;
      bad = bad || !strcmp(member(p, "verdict"), "blocked");
    }
    if(any && bad)
      n_bad++;
    else if(any && !bad)
      n_ok++;
  }
  if(!n_ok || !n_bad)
    return;
  for(size_t i = 0; i < s->n_subnet_ids; i++) {
    const cJSON *first = NULL;
    az_issue *is;
    cJSON_ArrayForEach(p, paths) {
      if(path_of(p, s->subnet_ids[i], cl->id) &&
         !strcmp(member(p, "verdict"), "blocked")) {
        first = p;
        break;
      }
    }
    if(!first)
      continue;
    is = az_issue_get(c, "STUDIO_SUBNET_BLOCKED", XD_SEV_WARNING,
                      s->subnet_ids[i], s->account, s->region);
    az_issue_message(c, is,
                     "Studio apps that land in subnet %s cannot reach cluster "
                     "%s, while apps in %zu other subnet(s) of the domain can: "
                     "it works for some users and not for others.",
                     s->subnet_ids[i], cl->id, n_ok);
    deny_hop(c, is, first);
  }
}
