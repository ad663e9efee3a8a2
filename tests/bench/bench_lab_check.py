#!/usr/bin/python3
"""Benchmark: a whole `check` of a healthy lab (issue 20's first row).

    bench_lab_check.py XACCT_DOCTOR [RUNS]

Brings up the lab scenario control-plane-endpoints (healthy, STS and EMR
reached through interface endpoints whose stand-in answers HTTPS, so that
the control-plane probes have something to talk to), then runs `check
--snapshot` in the Studio namespace RUNS times and prints the wall time of
each and the best, beside the issue's anchor (10.5 s before the probe
phases overlapped) and its limit (1.5 s). It prints figures and asserts
only that each run said "ok" (a figure of a failing run would mean
nothing). Needs root (namespaces); exit 77 otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "..", "lab", "lab")
SCENARIO = "control-plane-endpoints"


def lab(*args):
    return subprocess.run([LAB] + list(args), capture_output=True, text=True)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    xd = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if os.geteuid() != 0:
        print("SKIP: the lab needs root")
        return 77
    prefix = "xdb%d" % os.getpid()
    up = lab("up", SCENARIO, "--prefix", prefix)
    if up.returncode != 0:
        print("lab up failed: " + up.stderr[-600:])
        return 1
    bad = 0
    times = []
    try:
        info = json.loads(lab("info", "--prefix", prefix).stdout)
        snap = info["snapshot_dir"]
        env = dict(os.environ, AWS_CA_BUNDLE=info["control_plane"]["ca"])
        out = tempfile.mkdtemp(prefix="xd-bench-check-")
        os.chmod(out, 0o777)   # check drops root to nobody
        for i in range(runs):
            res = os.path.join(out, "r%d.json" % i)
            t0 = time.monotonic()
            p = subprocess.run([LAB, "exec", "studio", "--prefix", prefix, "--",
                                xd, "check", "--snapshot", snap, "--format",
                                "json", "--output", res],
                               capture_output=True, text=True, env=env)
            dt = time.monotonic() - t0
            status = "?"
            try:
                with open(res) as f:
                    status = json.load(f)["status"]
            except (OSError, ValueError, KeyError):
                pass
            print("run %d: %.2f s, status %s (exit %d)" % (i + 1, dt, status,
                                                          p.returncode))
            if status != "ok":
                bad += 1
                print(p.stderr[-800:])
            times.append(dt)
    finally:
        lab("down", "--prefix", prefix)
    if times:
        print("check of a healthy lab (%s, control plane included): best "
              "%.2f s, median %.2f s of %d | anchor (issue 20, before): "
              "10.5 s | limit: 1.5 s" % (SCENARIO, min(times),
                                         sorted(times)[len(times) // 2],
                                         len(times)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
