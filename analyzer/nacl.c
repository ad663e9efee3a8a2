#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static int by_number(const void *a, const void *b)
{
  const az_nacl_entry *x = *(const az_nacl_entry *const *)a;
  const az_nacl_entry *y = *(const az_nacl_entry *const *)b;
  return (x->rule_number > y->rule_number) - (x->rule_number < y->rule_number);
}

/* The entries of one direction in evaluation order; malloc'ed (NULL with
 * *n 0 when there are none or memory ran out: the caller then sees only
 * the implicit deny, which is what AWS does with an empty ACL). */
static const az_nacl_entry **sorted(const az_nacl *acl, bool egress,
                                    size_t *n)
{
  const az_nacl_entry **v = malloc((acl->n_entries + 1) * sizeof(*v));
  *n = 0;
  if(!v)
    return NULL;
  for(size_t i = 0; i < acl->n_entries; i++)
    if(acl->entries[i].egress == egress)
      v[(*n)++] = &acl->entries[i];
  qsort(v, *n, sizeof(*v), by_number);
  return v;
}

static bool applies(const az_nacl_entry *en, int proto, const xd_cidr *peer)
{
  if(en->proto != AZ_PROTO_ALL && en->proto != proto)
    return false;
  /* an allow must hold every address of the peer; a deny that touches any
   * of them already blocks part of it */
  return en->allow ? xd_cidr_contains(&en->cidr, peer)
                   : xd_cidr_overlaps(&en->cidr, peer);
}

static void entry_ports(const az_nacl_entry *en, int *lo, int *hi)
{
  if(en->proto == AZ_PROTO_ALL || en->from_port < 0) {
    *lo = 0;
    *hi = 65535;
  } else {
    *lo = en->from_port;
    *hi = en->to_port;
  }
}

az_verdict az_nacl_decide(const az_nacl *acl, bool egress, int proto,
                          const xd_cidr *peer, int port,
                          const az_nacl_entry **rule)
{
  size_t n;
  const az_nacl_entry **v = sorted(acl, egress, &n);
  az_verdict res = AZ_V_DENY;
  *rule = NULL;
  for(size_t i = 0; i < n; i++) {
    int lo, hi;
    if(!applies(v[i], proto, peer))
      continue;
    entry_ports(v[i], &lo, &hi);
    if(port < lo || port > hi)
      continue;
    *rule = v[i];
    res = v[i]->allow ? AZ_V_ALLOW : AZ_V_DENY;
    break;
  }
  free(v);
  return res;
}

size_t az_nacl_allowed(const az_nacl *acl, bool egress, int proto,
                       const xd_cidr *peer, int lo, int hi, az_range *out,
                       size_t max)
{
  /* `rest` is what no entry has decided yet; each entry in rule order
   * takes its share of it. 40 entries can cut it into at most 41 parts. */
  az_range rest[128], next[128];
  size_t nrest = 1, nout = 0, n;
  const az_nacl_entry **v = sorted(acl, egress, &n);
  rest[0].lo = lo;
  rest[0].hi = hi;
  for(size_t i = 0; i < n && nrest; i++) {
    int elo, ehi;
    size_t nn = 0;
    if(!applies(v[i], proto, peer))
      continue;
    entry_ports(v[i], &elo, &ehi);
    for(size_t k = 0; k < nrest; k++) {
      az_range r = rest[k];
      int ilo = r.lo > elo ? r.lo : elo, ihi = r.hi < ehi ? r.hi : ehi;
      if(ilo > ihi) {
        if(nn < 128)
          next[nn++] = r;
        continue;
      }
      if(v[i]->allow && nout < max)
        out[nout++] = (az_range){ilo, ihi};
      if(r.lo < ilo && nn < 128)
        next[nn++] = (az_range){r.lo, ilo - 1};
      if(ihi < r.hi && nn < 128)
        next[nn++] = (az_range){ihi + 1, r.hi};
    }
    memcpy(rest, next, nn * sizeof(*rest));
    nrest = nn;
  }
  free(v);
  /* merge adjacent pieces, in port order */
  for(size_t i = 1; i < nout; i++)
    for(size_t k = i; k > 0 && out[k - 1].lo > out[k].lo; k--) {
      az_range t = out[k];
      out[k] = out[k - 1];
      out[k - 1] = t;
    }
  if(nout > 1) {
    size_t w = 0;
    for(size_t i = 1; i < nout; i++) {
      if(out[i].lo <= out[w].hi + 1) {
        if(out[i].hi > out[w].hi)
          out[w].hi = out[i].hi;
      } else
        out[++w] = out[i];
    }
    nout = w + 1;
  }
  return nout;
}

void az_nacl_entry_text(const az_nacl_entry *en, char *out, size_t n)
{
  char num[16], pp[48], cb[XD_CIDR_STRLEN];
  if(en->rule_number >= 32767)
    snprintf(num, sizeof(num), "*");
  else
    snprintf(num, sizeof(num), "%d", en->rule_number);
  if(en->proto == AZ_PROTO_ALL)
    snprintf(pp, sizeof(pp), "all traffic");
  else if(en->from_port < 0 || (en->from_port == 0 && en->to_port == 65535))
    snprintf(pp, sizeof(pp), "%s all ports",
             en->proto == AZ_PROTO_TCP ? "tcp"
             : en->proto == AZ_PROTO_UDP ? "udp" : "proto");
  else if(en->from_port == en->to_port)
    snprintf(pp, sizeof(pp), "%s %d",
             en->proto == AZ_PROTO_TCP ? "tcp" : "udp", en->from_port);
  else
    snprintf(pp, sizeof(pp), "%s %d-%d",
             en->proto == AZ_PROTO_TCP ? "tcp" : "udp", en->from_port,
             en->to_port);
  xd_cidr_format(&en->cidr, cb, sizeof(cb));
  snprintf(out, n, "rule %s %s %s %s %s", num, en->allow ? "allow" : "deny",
           pp, en->egress ? "to" : "from", cb);
}

int az_nacl_free_number(const az_nacl *acl, bool egress, int below)
{
  if(below >= 32767) {
    /* nothing but "*" decided: any free number works, and the next round
     * ten after the highest entry reads as an admin would pick it */
    int top = 0;
    for(size_t i = 0; i < acl->n_entries; i++)
      if(acl->entries[i].egress == egress &&
         acl->entries[i].rule_number < 32767 &&
         acl->entries[i].rule_number > top)
        top = acl->entries[i].rule_number;
    if(top + 10 - top % 10 < 32767)
      return top + 10 - top % 10;
  }
  for(int cand = below - 1; cand >= 1; cand--) {
    bool used = false;
    for(size_t i = 0; i < acl->n_entries && !used; i++)
      used = acl->entries[i].egress == egress &&
             acl->entries[i].rule_number == cand;
    if(!used)
      return cand;
  }
  return -1;
}
