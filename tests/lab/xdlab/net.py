"""Build and tear down the lab network: namespaces, veth pairs, routes,
nftables, dnsmasq and the primary node's services.

Topology (P is the prefix):

  P-studio ==eth0/legN== P-studio-router ==pcx== P-emr-router ==legN/eth0== P-emr

Each VPC router namespace has one leg per subnet holding an instance (the
subnet's base+1 address, as the AWS VPC router), the VPC's base+2 and
169.254.169.253 on its loopback where dnsmasq answers, and the peering
link. Nothing is created in the host's namespace: every veth is created
straight into its namespaces, and no namespace has a route toward the host.
"""

import ipaddress
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from . import controlplane as cp
from . import scenario as sc

STATE_ROOT = os.environ.get("XD_LAB_STATE_ROOT", "/run/xd-lab")
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVICES_PY = os.path.join(HERE, "services.py")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") \
    else sys.executable

ROLE_SUFFIX = {"studio": "studio", "emr": "emr",
               "studio-router": "studio-router", "emr-router": "emr-router",
               "cp": "cp"}
PCX_NET = ipaddress.ip_network("169.254.255.0/30")
AMAZON_DNS_ALT = "169.254.169.253"
NFT_TABLE = "xdlab"
HOST_FW_TABLE = "xdlab_hostfw"


class LabError(Exception):
    """The lab could not be built or torn down."""


def log(msg):
    print("lab: " + msg, file=sys.stderr, flush=True)


def ns_name(prefix, role):
    return "%s-%s" % (prefix, ROLE_SUFFIX[role])


def state_dir(prefix):
    return os.path.join(STATE_ROOT, prefix)


def run(argv, check=True, input_text=None, quiet=False):
    """Run a command; raise LabError with its stderr when it fails."""
    p = subprocess.run(argv, input=input_text, capture_output=True,
                       text=True)
    if check and p.returncode != 0:
        raise LabError("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                            (p.stderr or p.stdout).strip()))
    if not quiet and p.returncode != 0:
        log("%s: %s" % (" ".join(argv), p.stderr.strip()))
    return p


def nsexec(ns, argv, **kw):
    return run(["ip", "netns", "exec", ns] + argv, **kw)


def existing_namespaces():
    p = run(["ip", "-j", "netns", "list"], check=False, quiet=True)
    try:
        return {e["name"] for e in json.loads(p.stdout or "[]")}
    except ValueError:
        return set()


# ------------------------------------------------------------------ down

def _netns_inode(ns):
    try:
        return os.stat(os.path.join("/run/netns", ns)).st_ino
    except OSError:
        return None


def _pid_netns_inode(pid):
    try:
        link = os.readlink("/proc/%d/ns/net" % pid)
    except OSError:
        return None
    try:
        return int(link.split("[", 1)[1].rstrip("]"))
    except (IndexError, ValueError):
        return None


def _kill_pids(pids, label):
    """SIGTERM, then SIGKILL what is left after a second."""
    pids = [p for p in pids if p > 1 and p != os.getpid()]
    for p in pids:
        try:
            os.kill(p, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 1.5
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if os.path.exists("/proc/%d" % p) and
                 not _is_zombie(p)]
    for p in alive:
        log("%s: pid %d did not stop, killing" % (label, p))
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _starttime(pid):
    """The kernel's start time of pid (field 22 of /proc/pid/stat): with
    the pid it names one process for good, so a recycled pid is never
    mistaken for ours."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _is_zombie(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def down(prefix):
    """Remove every trace of lab `prefix`: processes, namespaces (with their
    veths, routes and nft tables), /etc/netns files, the state dir. Works
    without the state dir, from the names alone."""
    sdir = state_dir(prefix)
    names = [ns_name(prefix, r) for r in ROLE_SUFFIX]
    inodes = {n: _netns_inode(n) for n in names}
    # processes the lab started, from their pidfiles, checked to still live
    # in one of our namespaces so a recycled pid is never hit
    piddir = os.path.join(sdir, "pids")
    victims = set()
    if os.path.isdir(piddir):
        for fn in os.listdir(piddir):
            try:
                with open(os.path.join(piddir, fn)) as f:
                    fields = f.read().split()
                pid = int(fields[0])
            except (OSError, ValueError, IndexError):
                continue
            if (len(fields) > 1 and _starttime(pid) == fields[1]) or \
                    _pid_netns_inode(pid) in {i for i in inodes.values()
                                              if i}:
                victims.add(pid)
    # and anything else still running inside our namespaces (a test's
    # background capture, say): a namespace lives as long as its processes
    present = existing_namespaces()
    for n in names:
        if n in present:
            p = run(["ip", "netns", "pids", n], check=False, quiet=True)
            victims.update(int(x) for x in p.stdout.split() if x.isdigit())
    if victims:
        _kill_pids(sorted(victims), prefix)
    for n in names:
        if n in present:
            run(["ip", "netns", "delete", n], check=False)
        etc = os.path.join("/etc/netns", n)
        if os.path.isdir(etc):
            shutil.rmtree(etc, ignore_errors=True)
    try:
        os.rmdir("/etc/netns")   # only when no other lab (or user) uses it
    except OSError:
        pass
    if os.path.isdir(sdir):
        shutil.rmtree(sdir, ignore_errors=True)
    left = existing_namespaces() & set(names)
    if left:
        raise LabError("namespaces still present: " + ", ".join(sorted(left)))


# -------------------------------------------------------------------- up

class Plan:
    """Everything about one lab derived from the network world: names,
    interfaces, addresses."""

    def __init__(self, prefix, world):
        self.prefix = prefix
        self.w = world
        self.ns = {r: ns_name(prefix, r) for r in ROLE_SUFFIX}
        self.router_of_vpc = {}
        self.legs = {}    # subnet id -> (router role, leg name)
        for role in sc.ROLES:
            vid = sc.role_vpc(world, role)
            self.router_of_vpc[vid] = role + "-router"
        for vid, rrole in self.router_of_vpc.items():
            n = 0
            for role in sc.ROLES:
                sid = world["instances"][role]["subnet"]
                if world["subnets"][sid]["vpc"] == vid:
                    self.legs[sid] = (rrole, "leg%d" % n)
                    n += 1
        hosts = list(PCX_NET.hosts())
        self.pcx_ip = {"studio-router": str(hosts[0]),
                       "emr-router": str(hosts[1])}

    def inst(self, role):
        return self.w["instances"][role]

    def subnet_of(self, role):
        return self.inst(role)["subnet"]


def _sysctl(ns, settings):
    nsexec(ns, ["sysctl", "-q", "-w"] + ["%s=%s" % kv for kv in settings])


def _ns_setup(plan):
    for role, ns in plan.ns.items():
        if role == "cp" and not cp.enabled(plan.w):
            continue
        run(["ip", "netns", "add", ns])
        run(["ip", "-n", ns, "link", "set", "lo", "up"])
        common = [("net.ipv6.conf.all.disable_ipv6", 1),
                  ("net.ipv6.conf.default.disable_ipv6", 1),
                  ("net.ipv4.conf.all.rp_filter", 0),
                  ("net.ipv4.conf.default.rp_filter", 0)]
        if role.endswith("-router"):
            common += [("net.ipv4.ip_forward", 1),
                       ("net.ipv4.conf.all.send_redirects", 0),
                       ("net.ipv4.conf.default.send_redirects", 0),
                       ("net.ipv4.conf.all.accept_redirects", 0),
                       ("net.ipv4.icmp_ratelimit", 0)]
        else:
            # what a Linux client uses; a scenario about ephemeral ports
            # must not depend on the host's setting
            common += [("net.ipv4.ip_local_port_range", "32768 60999"),
                       ("net.ipv4.conf.all.accept_redirects", 0)]
        _sysctl(ns, common)


def _links(plan):
    w = plan.w
    for role in sc.ROLES:
        inst = plan.inst(role)
        sid = inst["subnet"]
        rrole, leg = plan.legs[sid]
        ins, rns = plan.ns[role], plan.ns[rrole]
        net = ipaddress.ip_network(w["subnets"][sid]["cidr"])
        gw = sc.subnet_router_ip(w, sid)
        run(["ip", "-n", ins, "link", "add", "eth0", "type", "veth", "peer",
             "name", leg, "netns", rns])
        run(["ip", "-n", ins, "addr", "add",
             "%s/%d" % (inst["ip"], net.prefixlen), "dev", "eth0"])
        run(["ip", "-n", rns, "addr", "add",
             "%s/%d" % (gw, net.prefixlen), "dev", leg])
        run(["ip", "-n", ins, "link", "set", "eth0", "up"])
        run(["ip", "-n", rns, "link", "set", leg, "up"])
        run(["ip", "-n", ins, "route", "add", "default", "via", gw])
    sr, er = plan.ns["studio-router"], plan.ns["emr-router"]
    run(["ip", "-n", sr, "link", "add", "pcx", "type", "veth", "peer",
         "name", "pcx", "netns", er])
    for rrole in ("studio-router", "emr-router"):
        rns = plan.ns[rrole]
        run(["ip", "-n", rns, "addr", "add", "%s/%d" % (
            plan.pcx_ip[rrole], PCX_NET.prefixlen), "dev", "pcx"])
        run(["ip", "-n", rns, "link", "set", "pcx", "up"])
        vid = sc.role_vpc(w, rrole[:-len("-router")])
        # the Amazon DNS addresses sit on the router's loopback (this
        # kernel may have no dummy driver); lo addresses are local, so
        # the subnets reach them through the router leg
        for addr in (sc.vpc_dns_ip(w, vid), AMAZON_DNS_ALT):
            run(["ip", "-n", rns, "addr", "add", addr + "/32", "dev", "lo"])


def _route_target_key(target):
    return target if isinstance(target, str) else target["target"]


def route_tables_for_subnets(w):
    """subnet id -> (route table id, implicit) as AWS selects it: the
    explicit association, else the VPC's main table."""
    out = {}
    for sid, s in w["subnets"].items():
        chosen = None
        for rid, rt in sorted(w["route_tables"].items()):
            if sid in rt.get("subnets", []):
                chosen = (rid, False)
                break
        if not chosen:
            for rid, rt in sorted(w["route_tables"].items()):
                if rt["vpc"] == s["vpc"] and rt.get("main"):
                    chosen = (rid, True)
                    break
        out[sid] = chosen
    return out


def _routes(plan):
    """One kernel table per subnet leg holding its route table's routes,
    selected by ingress interface; anything without a route ends in a
    blackhole rule (silent, as AWS drops: no ICMP)."""
    w = plan.w
    rts = route_tables_for_subnets(w)
    pcx = w["peering"]
    for rrole in ("studio-router", "emr-router"):
        rns = plan.ns[rrole]
        legs = [(sid, leg) for sid, (r, leg) in sorted(plan.legs.items())
                if r == rrole]
        other = "emr-router" if rrole == "studio-router" else \
            "studio-router"
        # traffic arriving over the peering reaches the VPC's subnets by
        # the implicit local route, and nothing else (no transit)
        for sid, leg in legs:
            run(["ip", "-n", rns, "route", "add", w["subnets"][sid]["cidr"],
                 "dev", leg, "table", "200"])
        run(["ip", "-n", rns, "rule", "add", "pref", "1900", "iif", "pcx",
             "table", "200"])
        run(["ip", "-n", rns, "rule", "add", "pref", "1901", "iif", "pcx",
             "blackhole"])
        for i, (sid, leg) in enumerate(legs):
            table = str(100 + int(leg[3:]))
            chosen = rts.get(sid)
            if chosen:
                rt = w["route_tables"][chosen[0]]
                for dest, r in rt["routes"].items():
                    target = _route_target_key(r)
                    state = r.get("state", "active") if isinstance(r, dict) \
                        else "active"
                    if state == "blackhole":
                        run(["ip", "-n", rns, "route", "add", "blackhole",
                             dest, "table", table])
                    elif target == "local":
                        # the VPC's own subnets, by their legs; the rest of
                        # the block exists in AWS but not here
                        for sid2, leg2 in legs:
                            if ipaddress.ip_network(
                                    w["subnets"][sid2]["cidr"]).subnet_of(
                                    ipaddress.ip_network(dest)):
                                run(["ip", "-n", rns, "route", "add",
                                     w["subnets"][sid2]["cidr"], "dev",
                                     leg2, "table", table])
                        run(["ip", "-n", rns, "route", "add", "blackhole",
                             dest, "table", table])
                    elif target == pcx["id"]:
                        run(["ip", "-n", rns, "route", "add", dest, "via",
                             plan.pcx_ip[other], "dev", "pcx", "table",
                             table])
                    else:
                        # IGW, NAT, TGW...: nothing of that exists in the
                        # lab, and nothing may leave the machine
                        run(["ip", "-n", rns, "route", "add", "blackhole",
                             dest, "table", table])
            run(["ip", "-n", rns, "rule", "add", "pref", str(1000 + i),
                 "iif", leg, "table", table])
            run(["ip", "-n", rns, "rule", "add", "pref", str(1500 + i),
                 "iif", leg, "blackhole"])


# ---------------------------------------------------------------- nft

def _l4(proto, lo, hi, icmp=False):
    """nft match for a protocol number and a port range (or ICMP type and
    code for protocol 1)."""
    if proto == -1:
        return ""
    if proto == 1:
        parts = ["meta l4proto icmp"]
        if lo is not None and lo != -1:
            parts.append("icmp type %d" % lo)
            if hi is not None and hi != -1:
                parts.append("icmp code %d" % hi)
        return " ".join(parts)
    name = {6: "tcp", 17: "udp"}.get(proto)
    if name is None:
        return "meta l4proto %d" % proto
    if lo is None or lo == -1 or (lo == 0 and hi == 65535):
        return "meta l4proto %s" % name
    rng = str(lo) if lo == hi else "%d-%d" % (lo, hi)
    return "%s dport %s" % (name, rng)


def _addr(field, cidr):
    if ipaddress.ip_network(cidr).prefixlen == 0:
        return ""
    return "ip %s %s" % (field, cidr)


def _nacl_chain(acl, direction, field):
    """A stateless NACL direction: rules in number order, the first match
    decides, and the '*' rule denies."""
    lines = []
    entries = acl.get(direction, {}) if acl else {}
    for num in sorted(entries, key=int):
        e = entries[num]
        proto = sc.protocol_number(e["protocol"], "")
        if proto == 1:
            match = _l4(1, e.get("icmp_type", -1), e.get("icmp_code", -1))
        else:
            match = _l4(proto, e.get("from"), e.get("to", e.get("from")))
        verdict = "return" if e["action"] == "allow" else "drop"
        expr = " ".join(x for x in (_addr(field, e["cidr"]), match) if x)
        lines.append("    %s %s comment \"rule %s\"" % (expr, verdict, num)
                     if expr else "    %s comment \"rule %s\"" %
                     (verdict, num))
    lines.append("    drop comment \"rule *\"")
    return lines


def _group_ips(w, gid):
    return sorted(i["ip"] for i in w["instances"].values()
                  if gid in i.get("security_groups", []))


def _sg_chain(w, inst, direction, field):
    """A stateful security-group direction: replies of tracked flows pass,
    a new flow needs one allowing rule of any of the instance's groups."""
    lines = ["    ct state established,related return"]
    for gid in inst.get("security_groups", []):
        g = w["security_groups"][gid]
        for rname in sorted(g.get(direction, {})):
            r = g[direction][rname]
            proto = sc.protocol_number(r["protocol"], "")
            if proto == 1:
                match = _l4(1, r.get("from", -1), r.get("to", -1))
            else:
                match = _l4(proto, r.get("from"), r.get("to", r.get("from")))
            if "cidr" in r:
                peers = _addr(field, r["cidr"])
            else:
                ips = _group_ips(w, r["group"])
                if not ips:
                    continue
                peers = "ip %s { %s }" % (field, ", ".join(ips))
            expr = " ".join(x for x in (peers, match, "return") if x)
            lines.append("    %s comment \"%s %s\"" % (expr, gid, rname))
    lines.append("    drop")
    return lines


def router_ruleset(plan, rrole):
    w = plan.w
    vid = sc.role_vpc(w, rrole[:-len("-router")])
    legs = [(sid, leg) for sid, (r, leg) in sorted(plan.legs.items())
            if r == rrole]
    acl_of = {}
    for aid, acl in w["network_acls"].items():
        for sid in acl.get("subnets", []):
            acl_of[sid] = acl
    # a subnet with no association uses the VPC's default ACL
    default_acl = next((a for a in w["network_acls"].values()
                        if a["vpc"] == vid and a.get("default")), None)
    dns = [sc.vpc_dns_ip(w, vid), AMAZON_DNS_ALT]
    nets = ", ".join(sc.lab_cidrs(w) + cp.extra_lab_nets(w))
    active = w["peering"]["status"] == "active"
    out = ["table inet %s {" % NFT_TABLE,
           "  set lab_nets { type ipv4_addr; flags interval; "
           "elements = { %s } }" % nets,
           "  chain input {",
           "    type filter hook input priority 0; policy drop;",
           "    iifname \"lo\" accept",
           # the Amazon DNS server is not filtered by groups or ACLs
           "    ip daddr { %s } meta l4proto { udp, tcp } th dport 53 accept"
           % ", ".join(dns),
           "  }",
           "  chain forward {",
           "    type filter hook forward priority 0; policy drop;",
           "    meta nfproto ipv6 drop",
           # nothing ever leaves the lab's address space
           "    ip daddr != @lab_nets drop",
           "    ip saddr != @lab_nets drop",
           "    iifname \"pcx\" jump peering",
           "    oifname \"pcx\" jump peering"]
    chains = ["  chain peering {",
              "    %s comment \"%s %s\"" % ("return" if active else "drop",
                                            w["peering"]["id"],
                                            w["peering"]["status"]),
              "  }"]
    for sid, leg in legs:
        role = next(r for r in sc.ROLES
                    if w["instances"][r]["subnet"] == sid)
        inst = w["instances"][role]
        acl = acl_of.get(sid, default_acl)
        out += ["    iifname \"%s\" jump nacl_out_%s" % (leg, leg),
                "    iifname \"%s\" jump sg_out_%s" % (leg, leg),
                "    oifname \"%s\" jump nacl_in_%s" % (leg, leg),
                "    oifname \"%s\" jump sg_in_%s" % (leg, leg)]
        chains += ["  chain nacl_out_%s {" % leg] + \
            _nacl_chain(acl, "egress", "daddr") + ["  }"]
        chains += ["  chain nacl_in_%s {" % leg] + \
            _nacl_chain(acl, "ingress", "saddr") + ["  }"]
        # a packet from the instance leg not sent by the instance is
        # spoofed; an ENI's source/destination check drops it
        chains += ["  chain sg_out_%s {" % leg,
                   "    ip saddr != %s drop" % inst["ip"]] + \
            _sg_chain(w, inst, "egress", "daddr") + ["  }"]
        chains += ["  chain sg_in_%s {" % leg] + \
            _sg_chain(w, inst, "ingress", "saddr") + ["  }"]
    cp_rules, cp_chains = cp.forward_rules(plan, rrole, _sg_chain)
    out += cp_rules + ["    accept", "  }"] + chains + cp_chains + ["}"]
    return "\n".join(out) + "\n"


def host_firewall_ruleset(inst):
    fw = inst.get("host_firewall") or {}
    drop = sorted(set(fw.get("drop_tcp", [])))
    reject = sorted(set(fw.get("reject_tcp", [])))
    if not drop and not reject:
        return None
    lines = ["table inet %s {" % HOST_FW_TABLE, "  chain input {",
             "    type filter hook input priority 0; policy accept;"]
    if drop:
        lines.append("    tcp dport { %s } drop" %
                     ", ".join(str(p) for p in drop))
    if reject:
        lines.append("    tcp dport { %s } reject with icmpx "
                     "admin-prohibited" % ", ".join(str(p) for p in reject))
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def _nft(plan, sdir):
    for rrole in ("studio-router", "emr-router"):
        text = router_ruleset(plan, rrole)
        path = os.path.join(sdir, "nft-%s.conf" % rrole)
        with open(path, "w") as f:
            f.write(text)
        nsexec(plan.ns[rrole], ["nft", "-f", path])
    text = host_firewall_ruleset(plan.inst("emr"))
    if text:
        path = os.path.join(sdir, "nft-emr-host.conf")
        with open(path, "w") as f:
            f.write(text)
        nsexec(plan.ns["emr"], ["nft", "-f", path])


# ------------------------------------------------------------ processes

def _spawn(plan, sdir, role, name, argv):
    """Start argv in the namespace of role, detached, logging to the state
    dir; record its pid."""
    logf = open(os.path.join(sdir, "logs", name + ".log"), "ab")
    p = subprocess.Popen(["ip", "netns", "exec", plan.ns[role]] + argv,
                         stdin=subprocess.DEVNULL, stdout=logf,
                         stderr=subprocess.STDOUT, start_new_session=True,
                         close_fds=True)
    logf.close()
    with open(os.path.join(sdir, "pids", name + ".pid"), "w") as f:
        f.write("%d %s %s\n" % (p.pid, _starttime(p.pid) or "-",
                                 plan.ns[role]))
    return p


def _wait_listen(plan, role, proto, port, addr, proc, what, sdir):
    deadline = time.monotonic() + 8
    flag = "-Hltnp" if proto == "tcp" else "-Hlunp"
    mine = "pid=%d," % proc.pid
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        p = nsexec(plan.ns[role], ["ss", flag, "sport = :%d" % port],
                   check=False, quiet=True)
        for line in p.stdout.splitlines():
            # the socket must be the process's own, not another listener
            # that happens to hold the port
            if mine in line and (addr is None or
                                 (addr + ":%d" % port) in line):
                return
        time.sleep(0.05)
    logpath = os.path.join(sdir, "logs", what + ".log")
    tail = ""
    try:
        with open(logpath, errors="replace") as f:
            tail = f.read()[-800:]
    except OSError:
        pass
    raise LabError("%s did not start listening on %s/%d in %s: %s" %
                   (what, proto, port, plan.ns[role], tail.strip()))


def _dnsmasq(plan, sdir):
    w = plan.w
    for rrole in ("studio-router", "emr-router"):
        vid = sc.role_vpc(w, rrole[:-len("-router")])
        if not w["vpcs"][vid].get("dns_support", True):
            continue
        name = "dnsmasq-" + rrole
        dns_ip = sc.vpc_dns_ip(w, vid)
        conf = os.path.join(sdir, name + ".conf")
        lines = ["no-resolv", "no-hosts", "no-poll", "bind-interfaces",
                 "listen-address=" + dns_ip,
                 "listen-address=" + AMAZON_DNS_ALT,
                 "user=root", "group=root",
                 "cache-size=0", "log-queries",
                 "log-facility=" + os.path.join(sdir, "logs",
                                                name + "-queries.log"),
                 # names under these zones that we do not know are
                 # NXDOMAIN, as the Amazon resolver answers them
                 "local=/ec2.internal/", "local=/compute.internal/",
                 "local=/amazonaws.com/"]
        answers = dict(sc.dns_answers(w, vid), **cp.dns_answers(w, vid))
        for host, addr in sorted(answers.items()):
            lines.append("host-record=%s,%s" % (host, addr))
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        proc = _spawn(plan, sdir, rrole, name,
                      ["dnsmasq", "--keep-in-foreground",
                       "--conf-file=" + conf])
        _wait_listen(plan, rrole, "udp", 53, dns_ip, proc, name, sdir)


def _cert(plan, sdir):
    w = plan.w
    inst = plan.inst("emr")
    names = [inst.get("private_dns") or sc.private_dns_name(w, inst["ip"])]
    pub = sc.public_dns_name(w, inst)
    if pub:
        names.append(pub)
    san = ",".join(["DNS:" + n for n in names] + ["IP:" + inst["ip"]])
    cert = os.path.join(sdir, "livy.crt")
    key = os.path.join(sdir, "livy.key")
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out",
         cert, "-days", "30", "-subj", "/CN=" + names[0], "-addext",
         "subjectAltName=" + san])
    return cert, key


def _services(plan, sdir):
    svc = sc.services(plan.w)
    started = []
    cert = key = None
    if svc["livy"]["enabled"] and svc["livy"].get("tls"):
        cert, key = _cert(plan, sdir)
    for name in ("livy", "hive", "presto"):
        s = svc[name]
        if not s["enabled"]:
            continue
        argv = [PYTHON, "-B", SERVICES_PY, name, "--port", str(s["port"])]
        if name == "livy" and s.get("tls"):
            argv += ["--tls-cert", cert, "--tls-key", key]
        if name == "hive" and s.get("silent"):
            argv += ["--silent"]
        started.append((name, s["port"], _spawn(plan, sdir, "emr", name,
                                                argv)))
    for name, port, proc in started:
        _wait_listen(plan, "emr", "tcp", port, None, proc, name, sdir)
    return cert


def _resolv(plan):
    w = plan.w
    for role in sc.ROLES:
        d = os.path.join("/etc/netns", plan.ns[role])
        os.makedirs(d, exist_ok=True)
        vid = sc.role_vpc(w, role)
        search = "ec2.internal" if w["region"] == "us-east-1" else \
            "%s.compute.internal" % w["region"]
        with open(os.path.join(d, "resolv.conf"), "w") as f:
            f.write("# xd-lab %s: the DNS server of %s (its DHCP options)\n"
                    "nameserver %s\nsearch %s\n"
                    "options timeout:2 attempts:2\n" %
                    (plan.prefix, vid,
                     cp.resolv_server(w, vid, sc.vpc_dns_ip(w, vid)),
                     search))


def info_doc(plan, scen, snapshot_dir, cert):
    w = plan.w
    svc = sc.services(w)
    emr = plan.inst("emr")
    studio = plan.inst("studio")

    def side(role):
        inst = plan.inst(role)
        sid = inst["subnet"]
        vid = sc.role_vpc(w, role)
        d = {"namespace": plan.ns[role], "interface": "eth0",
             "ip": inst["ip"], "subnet": w["subnets"][sid]["cidr"],
             "subnet_id": sid, "vpc_id": vid,
             "vpc_cidrs": w["vpcs"][vid]["cidrs"],
             "account": w["vpcs"][vid]["account"],
             "gateway": sc.subnet_router_ip(w, sid),
             "dns": sc.vpc_dns_ip(w, vid),
             "private_dns": inst.get("private_dns") or
             sc.private_dns_name(w, inst["ip"]),
             "security_groups": inst.get("security_groups", []),
             "router_namespace": plan.ns[role + "-router"],
             "router_leg": plan.legs[sid][1]}
        if inst.get("public_ip"):
            d["public_ip"] = inst["public_ip"]
            d["public_dns"] = sc.public_dns_name(w, inst)
        return d

    return {
        "schema": "xd-lab.info/1",
        "prefix": plan.prefix,
        "scenario": scen["name"],
        "scenario_file": scen["file"],
        "drift": bool(scen["drift"]),
        "state_dir": state_dir(plan.prefix),
        "snapshot_dir": snapshot_dir,
        "intent": os.path.join(snapshot_dir, "xacct-doctor.json"),
        "namespaces": dict(plan.ns),
        "studio": side("studio"),
        "emr": dict(side("emr"), services={
            n: {"port": s["port"], "running": s["enabled"],
                **({"tls": bool(s.get("tls"))} if n == "livy" else {})}
            for n, s in svc.items()},
            host_firewall=emr.get("host_firewall") or {}),
        "peering": {"id": w["peering"]["id"],
                    "status": w["peering"]["status"],
                    "link": "pcx", "addresses": plan.pcx_ip},
        "dns": {r: sc.dns_answers(w, sc.role_vpc(w, r)) for r in sc.ROLES},
        "ports": w.get("ports", [8998, 10000, 8889]),
        "livy_cert": cert,
        "source_ip": studio["ip"],
    }


def up(prefix, scen, snapshot_dir, write_snapshot):
    """Build lab `prefix` from a loaded scenario (scenario.load). Tears
    down any previous lab of that prefix first; on failure tears down
    what was built and raises LabError."""
    down(prefix)
    w = scen["network"]
    sdir = state_dir(prefix)
    for d in (sdir, os.path.join(sdir, "pids"), os.path.join(sdir, "logs")):
        os.makedirs(d, exist_ok=True)
    plan = Plan(prefix, w)
    try:
        with open(os.path.join(sdir, "scenario.json"), "w") as f:
            json.dump({"name": scen["name"], "file": scen["file"],
                       "world": scen["world"], "drift": scen["drift"],
                       "network": scen["network"],
                       "snapshot": scen["snapshot"]}, f, indent=2)
        write_snapshot(scen["snapshot"], snapshot_dir)
        _ns_setup(plan)
        _links(plan)
        _routes(plan)
        cp.links(plan, run, route_tables_for_subnets)
        _nft(plan, sdir)
        _resolv(plan)
        _dnsmasq(plan, sdir)
        cert = _services(plan, sdir)
        ca = cp.processes(plan, sdir, run, _spawn, _wait_listen, PYTHON,
                          SERVICES_PY)
        info = info_doc(plan, scen, snapshot_dir, cert)
        if ca:
            info["control_plane"] = cp.info(w, ca)
        with open(os.path.join(sdir, "info.json"), "w") as f:
            json.dump(info, f, indent=2)
            f.write("\n")
    except BaseException:
        try:
            down(prefix)
        except LabError as exc:
            log("cleanup after failure: %s" % exc)
        raise
    return info
