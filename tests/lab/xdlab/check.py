"""Check a running lab against its scenario's "expect", with plain tools
run inside the namespaces: nmap (TCP state and reason), nft counters in the
primary node's namespace (what reached it and what it answered), dig, curl.
And the snapshot it wrote: JSON path assertions and comparisons with the
snapshot of another scenario.

The expectation keys (all optional):
  tcp      {port: open|closed|filtered}        nmap -sT from the Studio side
  arrives  {port: true|false}                  a SYN from Studio reached the node
  answers  {port: syn-ack|rst|none}            what the node's stack sent back
  dns      {name: [ip...] | "timeout"}         dig @<Studio VPC DNS>
  dns_system {name: [ip...] | "timeout"}       dig with the Studio namespace's
                                               own resolv.conf (the server its
                                               VPC's DHCP options name)
  http     {label: {url, status, body}}        curl from Studio (status 0: no
                                               HTTP answer at all)
  snapshot {label: {file, path, exists}}       a path into a snapshot file
  snapshot_same_as / snapshot_differs_from: a scenario name
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET

from . import net
from . import scenario as sc
from . import snapshot

OBS_TABLE = "xdlab_obs"


class Report:
    def __init__(self):
        self.failed = 0
        self.passed = 0

    def result(self, ok, what, detail):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print("%-4s %-44s %s" % ("ok" if ok else "FAIL", what, detail),
              flush=True)


def _ns_run(ns, argv, timeout=60):
    return subprocess.run(["ip", "netns", "exec", ns] + argv,
                          capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------ counters

def _counters_up(info, ports):
    """Named counters in the primary node's namespace, at the earliest and
    latest hooks, so they count what a capture on eth0 would see."""
    src = info["studio"]["ip"]
    lines = ["table inet %s {" % OBS_TABLE]
    for p in ports:
        for name in ("syn", "synack", "rst"):
            lines.append("  counter %s_%d { }" % (name, p))
    lines += ["  chain pre {",
              "    type filter hook prerouting priority -400; policy accept;"]
    for p in ports:
        lines.append("    ip saddr %s tcp dport %d tcp flags & (syn|ack) == "
                     "syn counter name \"syn_%d\"" % (src, p, p))
    lines += ["  }", "  chain out {",
              "    type filter hook output priority -400; policy accept;"]
    for p in ports:
        lines.append("    ip daddr %s tcp sport %d tcp flags & (syn|ack) == "
                     "(syn|ack) counter name \"synack_%d\"" % (src, p, p))
        lines.append("    ip daddr %s tcp sport %d tcp flags & rst == rst "
                     "counter name \"rst_%d\"" % (src, p, p))
    lines += ["  }", "}"]
    ns = info["namespaces"]["emr"]
    _ns_run(ns, ["nft", "delete", "table", "inet", OBS_TABLE])
    p = subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", "-"],
                       input="\n".join(lines) + "\n", capture_output=True,
                       text=True)
    if p.returncode != 0:
        raise net.LabError("nft counters: " + p.stderr.strip())


def _counters_read(info):
    ns = info["namespaces"]["emr"]
    p = _ns_run(ns, ["nft", "-j", "list", "counters", "table", "inet",
                     OBS_TABLE])
    out = {}
    if p.returncode == 0:
        for item in json.loads(p.stdout).get("nftables", []):
            c = item.get("counter")
            if c:
                out[c["name"]] = c.get("packets", 0)
    _ns_run(ns, ["nft", "delete", "table", "inet", OBS_TABLE])
    return out


# ---------------------------------------------------------------- nmap

def nmap_scan(info, ports):
    """port -> (state, reason) as nmap -sT sees it from the Studio side."""
    ns = info["namespaces"]["studio"]
    p = _ns_run(ns, ["nmap", "-sT", "-Pn", "-n", "--reason", "-p",
                     ",".join(str(x) for x in ports), "--max-retries", "1",
                     "--initial-rtt-timeout", "250ms",
                     "--max-rtt-timeout", "600ms", "--host-timeout", "30s",
                     "-oX", "-", info["emr"]["ip"]], timeout=60)
    out = {}
    try:
        root = ET.fromstring(p.stdout)
    except ET.ParseError:
        raise net.LabError("nmap: %s" % (p.stderr or p.stdout).strip())
    for port in root.iter("port"):
        st = port.find("state")
        out[int(port.get("portid"))] = (st.get("state"), st.get("reason"))
    return out


# ----------------------------------------------------------------- dns

def dig(info, name, system=False):
    """(rcode, [A answers]) or ("timeout", []): asked of the Studio VPC's
    Amazon resolver, or (system) of the server the namespace's
    resolv.conf names."""
    ns = info["namespaces"]["studio"]
    server = [] if system else ["@" + info["studio"]["dns"]]
    p = _ns_run(ns, ["dig", "+time=1", "+tries=2", "+noall", "+comments",
                     "+answer"] + server + [name, "A"])
    m = re.search(r"status: ([A-Z]+)", p.stdout)
    if not m:
        return "timeout", []
    answers = []
    for line in p.stdout.splitlines():
        f = line.split()
        if len(f) >= 5 and not line.startswith(";") and f[3] == "A":
            answers.append(f[4])
    return m.group(1), sorted(answers)


# ---------------------------------------------------------------- http

def curl(info, url):
    """(status, body): status 0 when no HTTP answer came."""
    ns = info["namespaces"]["studio"]
    with tempfile.NamedTemporaryFile(prefix="xdlab-body-") as body:
        p = _ns_run(ns, ["curl", "-sS", "-k", "--noproxy", "*",
                         "--connect-timeout", "2", "-m", "5", "-o",
                         body.name, "-w", "%{http_code}", url])
        try:
            status = int(p.stdout.strip() or 0)
        except ValueError:
            status = 0
        with open(body.name, errors="replace") as f:
            return status, f.read(4096), p.stderr.strip()


# ------------------------------------------------------------ snapshot

def _split_path(path):
    parts, cur, depth = [], "", 0
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "." and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def _get(obj, dotted):
    for k in dotted.split("."):
        if not isinstance(obj, dict) or k not in obj:
            return None
        obj = obj[k]
    return obj


def _text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def select(doc, path):
    """The nodes a path selects: Key.Key[Field=value][Field.Sub=value]...
    A filter applies to each element of a list, or to an object itself;
    a list with no filter is entered element by element."""
    nodes = [doc]
    for part in _split_path(path):
        m = re.fullmatch(r"([^\[]*)((?:\[[^\]]*\])*)", part)
        key = m.group(1)
        filters = re.findall(r"\[([^\]]*)\]", m.group(2))
        nxt = []
        for n in nodes:
            if key:
                if not isinstance(n, dict) or key not in n:
                    continue
                v = n[key]
            else:
                v = n
            for it in (v if isinstance(v, list) else [v]):
                ok = True
                for f in filters:
                    if f == "*":
                        continue
                    fk, _, fv = f.partition("=")
                    if _get(it, fk) is None or _text(_get(it, fk)) != fv:
                        ok = False
                        break
                if ok:
                    nxt.append(it)
        nodes = nxt
    return nodes


def _tree(root):
    out = {}
    for d, _, files in os.walk(root):
        for fn in files:
            path = os.path.join(d, fn)
            rel = os.path.relpath(path, root)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            try:
                out[rel] = json.loads(text)
            except ValueError:
                out[rel] = text
    return out


def _diff(a, b):
    keys = sorted(set(a) | set(b))
    return [k for k in keys if a.get(k) != b.get(k)]


def check_snapshot(rep, info, exp):
    snap = info["snapshot_dir"]
    for label, a in sorted(exp.get("snapshot", {}).items()):
        path = os.path.join(snap, a["file"])
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as exc:
            rep.result(False, "snapshot %s" % label, "%s: %s" % (a["file"],
                                                                 exc))
            continue
        found = select(doc, a["path"])
        want = a.get("exists", True)
        rep.result(bool(found) == want, "snapshot %s" % label,
                   "%s %s" % ("has" if found else "lacks", a["path"]))
    for key, same in (("snapshot_same_as", True),
                      ("snapshot_differs_from", False)):
        other = exp.get(key)
        if not other:
            continue
        tmp = tempfile.mkdtemp(prefix="xdlab-cmp-")
        try:
            snapshot.write(sc.load(other)["snapshot"],
                           os.path.join(tmp, "s"))
            diff = _diff(_tree(snap), _tree(os.path.join(tmp, "s")))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        ok = (not diff) if same else bool(diff)
        rep.result(ok, "snapshot %s %s" % ("same as" if same else
                                           "differs from", other),
                   ("differs in " + ", ".join(diff[:3])) if diff else
                   "identical")


# ------------------------------------------------------- the product

def product_probe(rep, info, exp, xd, ports):
    """Run `xacct-doctor probe` from the Studio namespace and hold its
    observations to the same expectations."""
    targets = [info["emr"]["ip"]]
    names = [n for n in exp.get("dns", {}) if n == info["emr"]["private_dns"]]
    targets += names
    argv = [xd, "probe", "--side", "studio", "--format", "json",
            "--timeout-ms", "1500",
            "--dns-server", info["studio"]["dns"], "--port",
            ",".join(str(p) for p in ports)]
    for t in targets:
        argv += ["--target", t]
    p = _ns_run(info["namespaces"]["studio"], argv, timeout=120)
    if p.returncode not in (0, 1, 2):
        rep.result(False, "xacct-doctor probe runs",
                   "exit %d: %s" % (p.returncode, p.stderr.strip()[:120]))
        return
    try:
        obs = json.loads(p.stdout)
    except ValueError as exc:
        rep.result(False, "xacct-doctor probe prints observations", str(exc))
        return
    rep.result(obs.get("schema") == "xacct-doctor.observations/1",
               "xacct-doctor probe observations schema",
               str(obs.get("schema")))
    tcp = {}
    for t in obs.get("tcp") or []:
        if t.get("ip") == info["emr"]["ip"]:
            tcp[int(t.get("port", 0))] = (t.get("state"), t.get("reason"))
    for port, want in sorted(exp.get("tcp", {}).items()):
        got = tcp.get(int(port), ("missing", ""))
        rep.result(got[0] == want, "xacct-doctor tcp %s is %s" %
                   (port, want), "probe: %s (%s)" % got)
    dns = {d.get("name"): d for d in obs.get("dns") or []
           if d.get("type", "A") == "A"}
    for name in names:
        want = exp["dns"][name]
        d = dns.get(name)
        if d is None:
            rep.result(False, "xacct-doctor dns %s" % name, "no answer")
        elif want == "timeout":
            rep.result(d.get("rcode") not in ("NOERROR", "NXDOMAIN"),
                       "xacct-doctor dns %s" % name, str(d.get("rcode")))
        else:
            got = sorted(d.get("answers") or [])
            rep.result(got == sorted(want), "xacct-doctor dns %s" % name,
                       "%s %s" % (d.get("rcode"), got))


# ----------------------------------------------------------------- run

def run(prefix, info, scen, xd=None):
    exp = scen["network"].get("expect", {})
    rep = Report()
    ports = sorted({int(p) for k in ("tcp", "arrives", "answers")
                    for p in exp.get(k, {})})
    print("lab check: %s (prefix %s, studio %s -> emr %s)" % (
        scen["name"], prefix, info["studio"]["ip"], info["emr"]["ip"]),
        flush=True)
    if ports:
        _counters_up(info, ports)
        scan = nmap_scan(info, ports)
        counts = _counters_read(info)
        for p in ports:
            state, reason = scan.get(p, ("missing", ""))
            want = exp.get("tcp", {}).get(str(p))
            if want:
                rep.result(state == want, "tcp %d from studio is %s" %
                           (p, want), "nmap: %s (%s)" % (state, reason))
            syn = counts.get("syn_%d" % p, 0)
            want = exp.get("arrives", {}).get(str(p))
            if want is not None:
                rep.result((syn > 0) == want, "tcp %d SYN %s the node" %
                           (p, "reaches" if want else "never reaches"),
                           "%d SYN counted in %s" % (syn,
                                                     info["namespaces"]
                                                     ["emr"]))
            want = exp.get("answers", {}).get(str(p))
            if want is not None:
                sa, rst = counts.get("synack_%d" % p, 0), \
                    counts.get("rst_%d" % p, 0)
                got = "syn-ack" if sa else ("rst" if rst else "none")
                rep.result(got == want, "tcp %d node answers %s" % (p, want),
                           "node sent %d SYN-ACK, %d RST" % (sa, rst))
    for key, system in (("dns", False), ("dns_system", True)):
        for name, want in sorted(exp.get(key, {}).items()):
            rcode, answers = dig(info, name, system)
            if want == "timeout":
                ok = rcode == "timeout"
            else:
                ok = rcode != "timeout" and answers == sorted(want)
            rep.result(ok, "%s %s" % (key.replace("_", " "), name),
                       "%s %s" % (rcode, answers))
    for label, h in sorted(exp.get("http", {}).items()):
        status, body, err = curl(info, h["url"])
        want = h.get("status", 200)
        ok = status == want
        if ok and want and h.get("body"):
            ok = h["body"] in body
        rep.result(ok, "http %s %s" % (label, want),
                   "%d %s" % (status, (body[:60] if status else err[:60])
                              .replace("\n", " ")))
    check_snapshot(rep, info, exp)
    if xd and ports:
        product_probe(rep, info, exp, xd, ports)
    print("lab check: %d passed, %d failed" % (rep.passed, rep.failed),
          flush=True)
    return 1 if rep.failed else 0
