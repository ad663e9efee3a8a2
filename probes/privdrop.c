/* Dropping root and every capability once the capture is open, after
 * mtr and tcpdump -Z: the part of the program that reads packets from the
 * network and files from customers never runs with privilege. Done with
 * prctl and the raw capset call, so no libcap is needed. */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/log.h"
#include "capture.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

#define NOBODY_ID 65534

typedef struct {
  unsigned long uid[4];  /* real, effective, saved, filesystem */
  uint64_t cap_eff, cap_prm, cap_bnd, cap_amb;
  bool have_uid, have_eff, have_prm;
} proc_status;

static bool read_status(proc_status *st)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  memset(st, 0, sizeof(*st));
  if(!f)
    return false;
  while(fgets(line, sizeof(line), f)) {
    unsigned long long v;
    if(!strncmp(line, "Uid:", 4))
      st->have_uid = sscanf(line + 4, "%lu %lu %lu %lu", &st->uid[0],
                            &st->uid[1], &st->uid[2], &st->uid[3]) == 4;
    else if(sscanf(line, "CapEff: %llx", &v) == 1) {
      st->cap_eff = v;
      st->have_eff = true;
    }
    else if(sscanf(line, "CapPrm: %llx", &v) == 1) {
      st->cap_prm = v;
      st->have_prm = true;
    }
    else if(sscanf(line, "CapBnd: %llx", &v) == 1)
      st->cap_bnd = v;
    else if(sscanf(line, "CapAmb: %llx", &v) == 1)
      st->cap_amb = v;
  }
  fclose(f);
  return st->have_uid && st->have_eff && st->have_prm;
}

bool pr_privileges_dropped(void)
{
  proc_status st;
  if(!read_status(&st))
    return false;
  for(int i = 0; i < 4; i++)
    if(st.uid[i] == 0)
      return false;
  return st.cap_eff == 0 && st.cap_prm == 0 && st.cap_amb == 0;
}

/* A positive id from the environment (sudo's SUDO_UID/SUDO_GID). */
static bool env_id(const char *name, unsigned long *out)
{
  const char *s = getenv(name);
  char *end;
  unsigned long v;
  if(!s || !*s)
    return false;
  errno = 0;
  v = strtoul(s, &end, 10);
  if(errno || *end || v == 0 || v >= 0xFFFFFFFFul)
    return false;
  *out = v;
  return true;
}

/* A decimal id field of a passwd line: positive, below (uid_t)-1. */
static bool id_field(const char *s, size_t n, unsigned long *out)
{
  unsigned long v = 0;
  if(n == 0 || n > 10)
    return false;
  for(size_t i = 0; i < n; i++) {
    if(s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (unsigned long)(s[i] - '0');
  }
  if(v == 0 || v >= 0xFFFFFFFFul)
    return false;
  *out = v;
  return true;
}

/* The uid and gid of user name in a passwd(5) file, read directly rather
 * than with getpwnam: the static build has no NSS (and needs none to read
 * one file), and a root-owned local "nobody" is what tcpdump -Z means. */
bool pr_passwd_ids(const char *path, const char *name, unsigned long *uid,
                   unsigned long *gid)
{
  FILE *f = fopen(path, "r");
  char line[1024];
  size_t nl = strlen(name);
  bool found = false;
  if(!f)
    return false;
  while(!found && fgets(line, sizeof(line), f)) {
    /* name:password:uid:gid:... */
    const char *fld[4];
    size_t len[4];
    const char *p = line;
    int k;
    for(k = 0; k < 4; k++) {
      fld[k] = p;
      len[k] = strcspn(p, ":\n");
      if(p[len[k]] != ':')
        break;
      p += len[k] + 1;
    }
    if(k < 3 || len[0] != nl || strncmp(fld[0], name, nl))
      continue;
    if(k == 3)
      len[3] = strcspn(fld[3], ":\n");
    found = id_field(fld[2], len[2], uid) && id_field(fld[3], len[3], gid);
  }
  fclose(f);
  return found;
}

/* Whom to become: the user who ran sudo (so files stay theirs), else
 * nobody from /etc/passwd, else (an empty chroot, a minimal container) the
 * customary 65534:65534. Which one is logged. */
static void target_ids(uid_t *uid, gid_t *gid)
{
  unsigned long u, g;
  if(env_id("SUDO_UID", &u) && env_id("SUDO_GID", &g)) {
    xd_log_info("dropping root to uid %lu gid %lu (SUDO_UID/SUDO_GID)", u, g);
  }
  else if(pr_passwd_ids("/etc/passwd", "nobody", &u, &g)) {
    xd_log_info("dropping root to uid %lu gid %lu (nobody in /etc/passwd)",
                u, g);
  }
  else {
    u = g = NOBODY_ID;
    xd_log_warn("no user nobody in /etc/passwd: dropping root to the "
                "numeric uid %lu gid %lu", u, g);
  }
  *uid = (uid_t)u;
  *gid = (gid_t)g;
}

static int last_cap(void)
{
  FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
  int n = 63;
  if(f) {
    if(fscanf(f, "%d", &n) != 1 || n < 0 || n > 63)
      n = 63;
    fclose(f);
  }
  return n;
}

static int capset_zero(void)
{
  struct __user_cap_header_struct h;
  struct __user_cap_data_struct d[2];
  memset(&h, 0, sizeof(h));
  memset(d, 0, sizeof(d));
  h.version = _LINUX_CAPABILITY_VERSION_3;
  h.pid = 0;
  return (int)syscall(SYS_capset, &h, d);
}

xd_rc pr_drop_privileges(xd_err *e)
{
  proc_status st;
  bool root = geteuid() == 0 || getuid() == 0;
  uid_t uid;
  gid_t gid;

  if(!read_status(&st))
    return xd_fail(e, XD_E_IO, "dropping privileges: /proc/self/status "
                   "could not be read");
  if(st.cap_bnd) {
    /* the bounding set can only shrink with CAP_SETPCAP: without it (a
     * plain user) there is nothing a later exec could gain anyway, since
     * no_new_privs is set below */
    int n = last_cap();
    for(int cap = 0; cap <= n; cap++)
      if(prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL &&
         errno != EPERM)
        return xd_fail(e, XD_E_PERM, "dropping privileges: PR_CAPBSET_DROP "
                       "%d: %s", cap, strerror(errno));
  }
  if(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 &&
     errno != EINVAL)
    return xd_fail(e, XD_E_PERM, "dropping privileges: clearing ambient "
                   "capabilities: %s", strerror(errno));
  if(root) {
    target_ids(&uid, &gid);
    /* uids last: changing them is what takes away the right to change
     * groups */
    if(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0)
      return xd_fail(e, XD_E_PERM, "dropping privileges: PR_SET_KEEPCAPS: %s",
                     strerror(errno));
    if(setgroups(0, NULL) != 0)
      return xd_fail(e, XD_E_PERM, "dropping privileges: setgroups: %s",
                     strerror(errno));
    if(setresgid(gid, gid, gid) != 0)
      return xd_fail(e, XD_E_PERM, "dropping privileges: setresgid(%lu): %s",
                     (unsigned long)gid, strerror(errno));
    if(setresuid(uid, uid, uid) != 0)
      return xd_fail(e, XD_E_PERM, "dropping privileges: setresuid(%lu): %s",
                     (unsigned long)uid, strerror(errno));
  }
  /* a non-root user with file capabilities (setcap cap_net_raw+ep) keeps
   * them across the uid change above only when there is none: clear them */
  if(capset_zero() != 0)
    return xd_fail(e, XD_E_PERM, "dropping privileges: capset: %s",
                   strerror(errno));
  if(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return xd_fail(e, XD_E_PERM, "dropping privileges: PR_SET_NO_NEW_PRIVS: "
                   "%s", strerror(errno));
  /* believe the kernel, not the calls: a uid of 0 left anywhere or a
   * capability still held means the drop failed */
  if(!pr_privileges_dropped()) {
    if(!read_status(&st))
      return xd_fail(e, XD_E_PERM, "dropping privileges: could not verify");
    return xd_fail(e, XD_E_PERM, "dropping privileges did not take: uid %lu "
                   "%lu %lu %lu, CapEff %016llx, CapPrm %016llx", st.uid[0],
                   st.uid[1], st.uid[2], st.uid[3],
                   (unsigned long long)st.cap_eff,
                   (unsigned long long)st.cap_prm);
  }
  return XD_OK;
}

bool pr_has_privilege(void)
{
  struct __user_cap_header_struct h;
  struct __user_cap_data_struct d[2];
  if(getuid() == 0 || geteuid() == 0)
    return true;
  memset(&h, 0, sizeof(h));
  memset(d, 0, sizeof(d));
  h.version = _LINUX_CAPABILITY_VERSION_3;
  /* capget needs no /proc: an unreadable answer counts as privileged, so
   * the drop runs and says what went wrong */
  if(syscall(SYS_capget, &h, d) != 0)
    return true;
  return d[0].permitted || d[1].permitted || d[0].effective || d[1].effective;
}
