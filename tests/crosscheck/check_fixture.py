#!/usr/bin/env python3
"""Replay a cross-check offline: a snapshot and observations captured from
both sides of a lab scenario (tests/fixtures/crosscheck/<case>/), analyzed
with `xacct-doctor analyze --observations ...`, and held to what the
packets mean. No root and no network: the observations are files.

  check_fixture.py XACCT_DOCTOR CASE_DIR STATUS CODE RESOURCE [EVIDENCE] [--snapshot OTHER_CASE]
EVIDENCE, when given, is a substring one of the finding's evidence lines
must contain. --snapshot replays the observations against another case's
snapshot (a stale configuration)."""
import json
import os
import subprocess
import sys

EXIT = {"ok": 0, "warning": 1, "critical": 2}


def main():
    args = sys.argv[1:]
    snap_case = None
    if "--snapshot" in args:
        i = args.index("--snapshot")
        snap_case = args[i + 1]
        del args[i:i + 2]
    xd, case, status, code, resource = args[:5]
    evidence = args[5] if len(args) > 5 else None
    snap = os.path.join(os.path.dirname(case), snap_case, "snapshot") \
        if snap_case else os.path.join(case, "snapshot")
    cmd = [xd, "analyze", "--snapshot", snap,
           "--observations", os.path.join(case, "studio-observations.json"),
           "--observations", os.path.join(case, "emr-observations.json"),
           "--format", "json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    fails = []
    try:
        r = json.loads(p.stdout)
    except ValueError:
        print("FAIL: no JSON result; stderr: " + p.stderr)
        return 1
    if r["status"] != status or p.returncode != EXIT[status]:
        fails.append(f"status {r['status']} exit {p.returncode}, want {status}")
    if code != "-":
        # RESOURCE may name several elements (a,b): one root cause in each,
        # as two endpoints that share a fault
        resources = resource.split(",")
        match = []
        for res in resources:
            m = [f for f in r["findings"]
                 if f["code"] == code and f["resource"] == res]
            if not m:
                fails.append(f"no finding {code} on {res}; have " +
                             str([(f["code"], f["resource"]) for f in r["findings"]]))
            match += m
        # one root cause, one critical: a critical culprit stands alone
        others = [f["code"] for f in r["findings"] if f["severity"] == "critical"
                  and not (f["code"] == code and f["resource"] in resources)]
        if match and match[0]["severity"] == "critical" and others:
            fails.append(f"one root cause, one critical: also {others}")
        if match and evidence and not any(evidence in e for e in match[0]["evidence"]):
            fails.append(f"{code}: no evidence line contains {evidence!r}: "
                         f"{match[0]['evidence']}")
    else:
        crit = [f["code"] for f in r["findings"] if f["severity"] != "info"]
        if crit:
            fails.append(f"want no finding, have {crit}")
    # every path the packets spoke about says where it broke
    observed = [p for p in r["paths"] if "observed" in p]
    if not observed:
        fails.append("no path carries what was observed")
    # a saved result carries both sides' observations: given back as
    # --observations, it must replay to the same diagnosis
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".json") as t:
        t.write(p.stdout)
        t.flush()
        again = subprocess.run([xd, "analyze", "--snapshot", snap,
                                "--observations", t.name, "--format", "json"],
                               capture_output=True, text=True)
        try:
            r2 = json.loads(again.stdout)
            key = lambda d: sorted((f["code"], f["resource"]) for f in d["findings"])
            if key(r2) != key(r) or again.returncode != p.returncode:
                fails.append("replaying the saved result as --observations "
                             f"gives {key(r2)}, not {key(r)}")
        except ValueError:
            fails.append("replaying the saved result failed: " + again.stderr)
    for f in fails:
        print("FAIL: " + f)
    if not fails:
        print(f"ok: {os.path.basename(case)}: {status} {code} {resource}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
