#!/usr/bin/env python3
"""`probe --control-plane` and `check --no-control-plane` at the command
line (issue 19 item 4), without the network: the Region comes from
--region, AWS_REGION or the intent, a bad one is named (exit 3), and in a
network namespace with nothing but loopback the probe still writes its
entries, marked "role": "control-plane", and fails (exit 2) instead of
sending anything anywhere. The lab cases (tests/lab/scenarios/
control-plane-*.json) probe real listeners.

  control_plane_cli.py XACCT_DOCTOR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

XD = sys.argv[1]
fails = 0


def check(ok, what):
    global fails
    print("%-4s %s" % ("ok" if ok else "FAIL", what), flush=True)
    if not ok:
        fails += 1


def run(args, env_extra=None, netns=False):
    env = {k: v for k, v in os.environ.items()
           if k not in ("AWS_REGION", "AWS_DEFAULT_REGION")}
    env.update(env_extra or {})
    cmd = [XD] + args
    if netns:
        cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"',
               "sh"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, env=env,
                          timeout=60)


p = run(["probe", "--control-plane", "--no-capture"])
check(p.returncode == 3 and "--region" in p.stderr,
      "no Region: exit 3 naming --region (%d: %s)" % (p.returncode,
                                                      p.stderr.strip()))
p = run(["probe", "--control-plane", "--no-capture", "--region", "us east"])
check(p.returncode == 3 and "'us east'" in p.stderr,
      "a bad Region is named (%d: %s)" % (p.returncode, p.stderr.strip()))
p = run(["probe", "--no-control-plane", "--target", "x"])
check(p.returncode == 3, "--no-control-plane is check's, not probe's")
p = run(["check", "--control-plane", "--no-probe"])
check(p.returncode == 3, "--control-plane is probe's, not check's")
p = run(["probe", "--no-capture"])
check(p.returncode == 3 and "--control-plane" in p.stderr,
      "probe with neither --target nor --control-plane says both")

tmp = tempfile.mkdtemp(prefix="xd-cp-cli-")
try:
    os.chmod(tmp, 0o755)
    intent = os.path.join(tmp, "xacct-doctor.json")
    with open(intent, "w") as f:
        json.dump({"studio": {"account": "111111111111",
                              "region": "eu-west-1"}}, f)
    os.chmod(intent, 0o644)
    if os.geteuid() != 0 or not shutil.which("unshare"):
        print("skip: the probes without a network need root (unshare -n)")
    else:
        for label, args, env, region in (
                ("--region", ["--region", "us-east-2"], None, "us-east-2"),
                ("AWS_REGION", [], {"AWS_REGION": "ap-southeast-2"},
                 "ap-southeast-2"),
                ("the intent", ["--config", intent], None, "eu-west-1")):
            p = run(["probe", "--control-plane", "--no-capture", "--format",
                     "json", "--timeout-ms", "300"] + args, env, netns=True)
            try:
                obs = json.loads(p.stdout)
            except ValueError:
                obs = {}
            dns = [d for d in obs.get("dns", [])
                   if d.get("role") == "control-plane"]
            names = sorted({d.get("name") for d in dns})
            want = sorted(["sts.%s.amazonaws.com" % region,
                           "elasticmapreduce.%s.amazonaws.com" % region])
            check(p.returncode == 2 and names == want,
                  "Region from %s: %s, exit %d" % (label, names,
                                                   p.returncode))
            check(sorted({d.get("service") for d in dns}) ==
                  ["emr-api", "sts"] and
                  all(d.get("rcode") != "NOERROR" for d in dns),
                  "entries marked with their service, no answer without "
                  "a network (%s)" % [(d.get("service"), d.get("rcode"))
                                      for d in dns])
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("%d failed" % fails)
sys.exit(1 if fails else 0)
