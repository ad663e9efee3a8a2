#!/usr/bin/env python3
"""The status never contradicts the paths, whatever part of a snapshot is
missing (issue 12). Over the whole fixture corpus, found on disk:

    status_rules.py XACCT_DOCTOR RENDER_STATUS SOURCE_DIR [-j N]

Corpus: every snapshot folder under tests/fixtures/analyzer/*,
tests/fixtures/crosscheck/*/snapshot (with and without its observation
files) and examples/*. A folder is a snapshot when it holds a 12-digit
account folder, so a new fixture or example is covered without a new test.

Each snapshot is analyzed whole and in copies with parts removed, as a
live fetch with less access would leave it:
  emr-ec2        the EMR accounts' ec2-*.json files
  emr-iam        the EMR accounts' IAM file
  list-instances every emr-list-instances--*.json
  studio-iam     the Studio account's IAM file
  discovery-only what the discovery role alone reads: the three EMR removals

Rules asserted on each result:
  1. a blocked path => status critical, and a critical finding naming one of
     its denying hops (its resource, or an id the hop's detail quotes);
  2. a path unknown and not settled by packets => status is not ok;
     status ok => every path reachable or settled by packets;
  3. the exit code is the status's (0 ok, 1 warning, 2 critical, 3 unknown),
     a result is written, and the --quiet Nagios line, the Prometheus
     xacct_doctor_status and the JUnit document (failing exactly when the
     status is not ok) say the same status: checked on every result with
     the renderers themselves (RENDER_STATUS, one process for all), and
     through the program once for each status met; when something was
     not seen (meta.not_seen), the --quiet line says what and why;
  4. without list-instances, a cluster whose MasterPublicDnsName is
     ip-a-b-c-d.<...>.internal keeps its paths, to a.b.c.d, and a finding
     says where the address came from.
"""
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True

EXIT = {"ok": 0, "warning": 1, "critical": 2, "unknown": 3}
ACCOUNT = re.compile(r"^\d{12}$")


def accounts(snap):
    return [d for d in sorted(os.listdir(snap))
            if ACCOUNT.match(d) and os.path.isdir(os.path.join(snap, d))]


def files_of(snap, acct):
    for dirpath, _, files in os.walk(os.path.join(snap, acct)):
        for f in files:
            yield os.path.join(dirpath, f)


def sides(snap):
    """(studio accounts, EMR accounts) by what their files describe; an
    account holding both is the Studio side (its network is Studio's)."""
    studio, emr = set(), set()
    for a in accounts(snap):
        names = [os.path.basename(p) for p in files_of(snap, a)]
        if any(n.startswith("sagemaker-describe-domain--") for n in names):
            studio.add(a)
        elif any(n.startswith("emr-describe-cluster--") for n in names):
            emr.add(a)
    return studio, emr


def corpus(src):
    """[(name, snapshot dir, [observation files])]"""
    out = []
    fx = os.path.join(src, "tests", "fixtures")
    for kind, root in (("analyzer", os.path.join(fx, "analyzer")),
                       ("example", os.path.join(src, "examples"))):
        for name in sorted(os.listdir(root)):
            d = os.path.join(root, name)
            if os.path.isdir(d) and accounts(d):
                out.append(("%s/%s" % (kind, name), d, []))
    xc = os.path.join(fx, "crosscheck")
    for name in sorted(os.listdir(xc)):
        d = os.path.join(xc, name, "snapshot")
        if not os.path.isdir(d) or not accounts(d):
            continue
        obs = sorted(os.path.join(xc, name, f) for f in os.listdir(os.path.join(xc, name))
                     if f.endswith("observations.json"))
        out.append(("crosscheck/%s" % name, d, []))
        if obs:
            out.append(("crosscheck/%s+observations" % name, d, obs))
    return out


def removals(snap):
    studio, emr = sides(snap)

    def emr_ec2(p, a, b):
        return a in emr and b.startswith("ec2-")

    def emr_iam(p, a, b):
        return a in emr and b == "iam-get-account-authorization-details.json"

    def list_instances(p, a, b):
        return b.startswith("emr-list-instances--")

    def studio_iam(p, a, b):
        return a in studio and b == "iam-get-account-authorization-details.json"

    def discovery_only(p, a, b):
        return emr_ec2(p, a, b) or emr_iam(p, a, b) or list_instances(p, a, b)

    return [("emr-ec2", emr_ec2), ("emr-iam", emr_iam),
            ("list-instances", list_instances), ("studio-iam", studio_iam),
            ("discovery-only", discovery_only)]


def copy_without(snap, drop, dest):
    """Copy snap to dest leaving out the files drop() names; the number of
    files left out (0: the variant is the whole snapshot again)."""
    n = 0
    for dirpath, _, files in os.walk(snap):
        rel = os.path.relpath(dirpath, snap)
        acct = rel.split(os.sep)[0]
        os.makedirs(os.path.join(dest, rel), exist_ok=True)
        for f in files:
            if ACCOUNT.match(acct) and drop(os.path.join(dirpath, f), acct, f):
                n += 1
                continue
            shutil.copyfile(os.path.join(dirpath, f), os.path.join(dest, rel, f))
    return n


def settled(path):
    brk = (path.get("observed") or {}).get("break")
    return bool(brk) and brk != "none" and not brk.startswith("unknown")


def run(binary, args):
    p = subprocess.run([binary] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def analyze_args(snap, obs):
    args = ["analyze", "--snapshot", snap]
    for o in obs:
        args += ["--observations", o]
    return args


def check(binary, label, snap, obs, out):
    """Analyze once into out; the broken rules (empty when they hold)."""
    errs = []
    # stdout, not --output: its fsync would make the test wait on the disk
    rc, text, err = run(binary, analyze_args(snap, obs) + ["--format", "json"])
    try:
        res = json.loads(text)
    except ValueError:
        return ["%s: no result (exit %d): %s" % (label, rc, err.strip())]
    with open(out, "w") as f:
        f.write(text)
    status = res.get("status")
    if status not in EXIT:
        return ["%s: status %r" % (label, status)]
    if rc != EXIT[status]:
        errs.append("exit code %d for status %s" % (rc, status))
    findings = res.get("findings", [])
    crit = [f for f in findings if f["severity"] == "critical"]
    for p in res.get("paths", []):
        name = "%s -> %s:%s" % (p["from"]["ip"], p["to"].get("ip") or p["to"].get("name"),
                                p["to"]["port"])
        v = p["verdict"]
        if v == "blocked":
            if status != "critical":
                errs.append("%s blocked, status %s" % (name, status))
            deny = [h for h in p["hops"] if h["verdict"] == "deny"]
            if (p.get("observed") or {}).get("verdict_from") == "traffic":
                # the packets decided a path the configuration could not:
                # no hop denies, and the finding says the verdict is the
                # traffic's, on the cluster or an unseen hop
                unseen = {h["resource"] for h in p["hops"] if h["verdict"] == "unknown"}
                # (or the packets name the node itself: nothing listens,
                # host firewall, on the cluster)
                unseen.add(p["to"].get("cluster"))
                if not any(f["code"] == "TRAFFIC_BLOCKED_CONFIG_UNSEEN" or
                           f["resource"] in unseen for f in crit):
                    errs.append("%s blocked by traffic only, and no critical "
                                "finding says so" % name)
                continue
            if not deny:
                errs.append("%s blocked without a denying hop" % name)
            named = any(f["resource"] and (f["resource"] == h["resource"] or
                                           f["resource"] in (h.get("detail") or ""))
                        for f in crit for h in deny)
            if not named:
                errs.append("%s blocked at %s, and no critical finding names it"
                            % (name, ", ".join("%s %s" % (h["kind"], h["resource"])
                                               for h in deny)))
        elif v == "unknown" and not settled(p) and status == "ok":
            errs.append("%s unknown and not seen, status ok" % name)
    if status == "ok" and (res.get("meta") or {}).get("not_seen"):
        errs.append("status ok with meta.not_seen")
    return ["%s: %s" % (label, e) for e in errs]


PRIVATE_NAME = re.compile(r"^ip-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\."
                          r"(?:ec2|[a-z0-9-]+\.compute)\.internal$")


def named_addresses(snap):
    """{cluster id: address} for clusters whose MasterPublicDnsName is a
    private name that carries the address."""
    out = {}
    for a in accounts(snap):
        for p in files_of(snap, a):
            if not os.path.basename(p).startswith("emr-describe-cluster--"):
                continue
            with open(p) as f:
                cl = json.load(f).get("Cluster", {})
            m = PRIVATE_NAME.match(cl.get("MasterPublicDnsName") or "")
            if m and all(int(x) < 256 for x in m.groups()):
                out[cl.get("Id")] = ".".join(m.groups())
    return out


def address_from_name(whole, variant, label, snap):
    """Rule 4: without list-instances, a cluster whose name carries its
    address keeps its paths, to that address, and the result says so."""
    errs = []
    for cid, ip in named_addresses(snap).items():
        before = [p for p in whole.get("paths", []) if p["to"].get("cluster") == cid]
        after = [p for p in variant.get("paths", []) if p["to"].get("cluster") == cid]
        if not before:
            continue
        if len(after) != len(before) or any(p["to"]["ip"] != ip for p in after):
            errs.append("%s: %d paths to %s, want %d to %s (from its name)"
                        % (label, len(after), cid, len(before), ip))
        if not any(f["code"] == "PRIMARY_NODE_ADDRESS_FROM_NAME" and f["resource"] == cid
                   and any(ip in e for e in f.get("evidence", []))
                   for f in variant.get("findings", [])):
            errs.append("%s: no evidence that %s's address %s comes from its name"
                        % (label, cid, ip))
    return errs


def renders_agree(line, labels):
    """One line of render_status: the Nagios line, Prometheus and JUnit
    say the result's status."""
    path, status, quiet, prom, junit = line.split("\t")
    errs = []
    if not quiet.startswith("XACCT-DOCTOR %s - " % status.upper()):
        errs.append("--quiet says %r" % quiet[:60])
    if int(prom) != EXIT[status]:
        errs.append("prometheus xacct_doctor_status %s" % prom)
    if int(junit) < 0 or (int(junit) == 0) != (status == "ok"):
        errs.append("junit: %s failures and errors" % junit)
    # the headline says what was not seen, and why
    with open(path) as f:
        ns = (json.load(f).get("meta") or {}).get("not_seen") or []
    if ns and not quiet.startswith("XACCT-DOCTOR %s - not seen: %s: %s"
                                   % (status.upper(), ns[0]["target"], ns[0]["why"][:40])):
        errs.append("--quiet does not say what was not seen: %r" % quiet[:120])
    return ["%s: status %s, %s" % (labels[path], status, e) for e in errs]


def cli_agrees(binary, label, snap, obs, status):
    """The program itself: exit code and first line of each rendering."""
    errs = []
    base = analyze_args(snap, obs)
    rc, q, _ = run(binary, base + ["--quiet"])
    if rc != EXIT[status] or not q.startswith("XACCT-DOCTOR %s - " % status.upper()):
        errs.append("--quiet: exit %d, %r" % (rc, q.strip()[:80]))
    rc, prom, _ = run(binary, base + ["--format", "prometheus"])
    m = re.search(r"^xacct_doctor_status (\d+)$", prom, re.M)
    if rc != EXIT[status] or not m or int(m.group(1)) != EXIT[status]:
        errs.append("prometheus: exit %d" % rc)
    rc, junit, _ = run(binary, base + ["--format", "junit"])
    try:
        suites = ET.fromstring(junit)
        failures = int(suites.get("failures", "0")) + int(suites.get("errors", "0"))
    except (ET.ParseError, ValueError):
        failures = None
    if rc != EXIT[status] or failures is None or (failures == 0) != (status == "ok"):
        errs.append("junit: exit %d, %s failures" % (rc, failures))
    return ["%s (program, status %s): %s" % (label, status, e) for e in errs]


def variants(name, snap, obs, tmp, idx):
    """[(label, snapshot, observations, result path)] of one snapshot."""
    out = [(name + " [whole]", snap, obs, os.path.join(tmp, "r%d-whole.json" % idx))]
    for vname, drop in removals(snap):
        dest = os.path.join(tmp, "s%d-%s" % (idx, vname))
        if copy_without(snap, drop, dest):
            out.append(("%s [-%s]" % (name, vname), dest, obs,
                        os.path.join(tmp, "r%d-%s.json" % (idx, vname))))
    return out


def main():
    args = sys.argv[1:]
    jobs = os.cpu_count() or 2
    if "-j" in args:
        i = args.index("-j")
        jobs = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 3:
        print(__doc__)
        return 2
    binary, render, src = (os.path.abspath(a) for a in args)
    cases = corpus(src)
    if len(cases) < 50:
        print("FAIL: only %d snapshots found under %s" % (len(cases), src))
        return 1
    errs = []
    with tempfile.TemporaryDirectory(prefix="xd-inv-") as tmp:
        runs = []
        for i, c in enumerate(cases):
            runs += variants(c[0], c[1], c[2], tmp, i)
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
            for e in ex.map(lambda v: check(binary, *v), runs):
                errs += e
        done = [v for v in runs if os.path.exists(v[3])]
        for v in done:
            if not v[0].endswith(("[-list-instances]", "[-discovery-only]")):
                continue
            idx = os.path.basename(v[3]).split("-")[0][1:]
            wpath = os.path.join(tmp, "r%s-whole.json" % idx)
            if os.path.exists(wpath):
                with open(wpath) as f:
                    whole = json.load(f)
                with open(v[3]) as f:
                    errs += address_from_name(whole, json.load(f), v[0], v[1])
        labels = {v[3]: v[0] for v in done}
        p = subprocess.run([render] + [v[3] for v in done], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=600)
        lines = p.stdout.decode().splitlines()
        if p.returncode != 0 or len(lines) != len(done):
            errs.append("render_status: exit %d, %d of %d results: %s"
                        % (p.returncode, len(lines), len(done), p.stderr.decode()[:400]))
        seen = {}
        for line in lines:
            errs += renders_agree(line, labels)
            status = line.split("\t")[1]
            seen.setdefault(status, line.split("\t")[0])
        # the program's own --quiet, prometheus and junit, once per status
        for status, path in sorted(seen.items()):
            v = next(v for v in done if v[3] == path)
            errs += cli_agrees(binary, v[0], v[1], v[2], status)
    for e in errs:
        print("FAIL: " + e)
    print("%s: %d snapshots, %d analyses (statuses %s), %d broken rules"
          % ("ok" if not errs else "FAIL", len(cases), len(runs),
             ", ".join(sorted(seen)), len(errs)))
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
