#!/usr/bin/python3
"""`listen --read` on the committed fixture pcaps, without privilege.

usage: fixture_test.py XACCT_DOCTOR FIXTURE_DIR GEN_PCAP EXPECTED.json

Each link type's file must give exactly the expected flows; the text
table must name them; --pcap-out must write the packets that made them;
--side must set "where"; and the generator must still write the
committed bytes (so the fixture can be regenerated and reviewed).
"""
import json
import os
import subprocess
import sys
import tempfile

LINKTYPES = {"en10mb": "EN10MB", "sll": "LINUX_SLL", "sll2": "LINUX_SLL2",
             "raw": "RAW", "null": "NULL"}
FROM = ["--from", "10.0.20.0/24", "--from", "fd00:20::/64"]
KEYS = ["src", "dst", "syn", "syn_ack", "rst", "client_rst", "icmp",
        "icmp_from", "first", "last"]
failures = 0


def check(cond, what):
    global failures
    if cond:
        print("ok    " + what)
    else:
        failures += 1
        print("FAIL  " + what)


def unprivileged():
    """Run as nobody when we are root: --read must need no privilege."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def run(args):
    r = subprocess.run(unprivileged() + args, capture_output=True, text=True,
                       check=False)
    return r.returncode, r.stdout, r.stderr


def main():
    xd, fxdir, gen, expected_path = sys.argv[1:5]
    with open(expected_path, encoding="utf-8") as fh:
        expected = json.load(fh)["flows"]
    tmp = tempfile.mkdtemp(prefix="xd-capture-")
    os.chmod(tmp, 0o777)

    for lt, name in LINKTYPES.items():
        path = os.path.join(fxdir, "pcap", "handshakes-%s.pcap" % lt)
        rc, out, err = run([xd, "listen", "--read", path, "--format", "json"]
                           + FROM)
        check(rc == 0, "%s: exit 0 (got %d: %s)" % (lt, rc, err.strip()))
        if rc != 0:
            continue
        doc = json.loads(out)
        got = [{k: f.get(k) for k in KEYS} for f in doc["flows"]]
        check(got == expected, "%s: the expected %d flows" %
              (lt, len(expected)))
        if got != expected:
            for g, w in zip(got, expected):
                if g != w:
                    print("   got  %s\n   want %s" % (json.dumps(g),
                                                       json.dumps(w)))
            print("   (%d flows, %d expected)" % (len(got), len(expected)))
        cap = doc.get("capture", {})
        check(doc["schema"] == "xacct-doctor.observations/1" and
              doc["side"] == "emr", "%s: an emr observations document" % lt)
        check(all(f.get("where") == "emr" for f in doc["flows"]),
              "%s: every flow says where: emr" % lt)
        check(cap.get("linktype") == name and cap.get("file") == path and
              cap.get("truncated") is False,
              "%s: capture names link type %s and the file" % (lt, name))
        check(cap.get("privileges_dropped") is True,
              "%s: privileges_dropped is true" % lt)

    en = os.path.join(fxdir, "pcap", "handshakes-en10mb.pcap")
    rc, out, err = run([xd, "listen", "--read", en] + FROM)
    check(rc == 0 and "10.0.20.15:40003" in out and
          "SYN retransmitted" in out and "admin-prohibited" in out and
          "[fd00:20::15]:40007" in out and "11 flows." in out,
          "text table names the flows")

    rc, out, err = run([xd, "listen", "--read", en, "--side", "studio",
                        "--format", "json"] + FROM)
    doc = json.loads(out) if rc == 0 else {"flows": [{}]}
    check(doc.get("side") == "studio" and
          all(f.get("where") == "studio" for f in doc["flows"]),
          "--side studio: side and where say studio")

    # --pcap-out keeps the packets that made the flows, and reads back
    # to the same flows
    pc = os.path.join(tmp, "kept.pcap")
    rc, out, err = run([xd, "listen", "--read", en, "--pcap-out", pc,
                        "--format", "json"] + FROM)
    first = json.loads(out)["flows"] if rc == 0 else None
    rc2, out2, err = run([xd, "listen", "--read", pc, "--format", "json"] +
                         FROM)
    again = json.loads(out2) if rc2 == 0 else {"flows": None, "capture": {}}
    check(rc == 0 and rc2 == 0 and again["flows"] == first,
          "--pcap-out reads back to the same flows")
    check(again["capture"].get("packets") == 23,
          "--pcap-out holds the 23 packets that counted (got %s)" %
          again["capture"].get("packets"))

    # --max-flows bounds the table: the first flows are kept whole, and
    # both outputs say that others were dropped
    rc, out, err = run([xd, "listen", "--read", en, "--max-flows", "3",
                        "--format", "json"] + FROM)
    doc = json.loads(out) if rc == 0 else {"flows": [], "capture": {}}
    got = [{k: f.get(k) for k in KEYS} for f in doc["flows"]]
    cap = doc["capture"]
    check(rc == 0 and got == expected[:3] and cap.get("max_flows") == 3 and
          cap.get("flows_tracked") == 3 and cap.get("flows_dropped", 0) > 0,
          "--max-flows 3: the first 3 flows, and flows_dropped says the "
          "rest were not counted (%s)" % {k: cap.get(k) for k in
                                         ("max_flows", "flows_tracked",
                                          "flows_dropped")})
    rc, out, err = run([xd, "listen", "--read", en, "--max-flows", "3"] +
                       FROM)
    check(rc == 0 and "flows dropped: only the first 3 flows are tracked"
          in out and "3 flows." in out,
          "--max-flows 3: the text says flows were dropped")
    rc, out, err = run([xd, "listen", "--read", en, "--format", "json"] +
                       FROM)
    check(rc == 0 and json.loads(out)["capture"].get("flows_dropped") == 0,
          "without a bound hit, flows_dropped is 0")
    # --output is written whole, then renamed into place
    op = os.path.join(tmp, "obs.json")
    rc, out, err = run([xd, "listen", "--read", en, "--format", "json",
                        "--output", op] + FROM)
    with open(op, encoding="utf-8") as fh:
        check(rc == 0 and out == "" and
              len(json.load(fh)["flows"]) == len(expected) and
              [f for f in os.listdir(tmp) if ".tmp." in f] == [],
              "--output: the whole document, no temporary file left")

    # the generator still writes the committed fixtures
    for lt in LINKTYPES:
        mine = os.path.join(tmp, "gen-%s.pcap" % lt)
        subprocess.run([gen, "--fixture", "--linktype", lt, "-o", mine],
                       check=True, capture_output=True)
        with open(mine, "rb") as a, \
                open(os.path.join(fxdir, "pcap", "handshakes-%s.pcap" % lt),
                     "rb") as b:
            check(a.read() == b.read(),
                  "gen_pcap --fixture --linktype %s writes the committed "
                  "file" % lt)

    subprocess.run(["rm", "-rf", tmp], check=False)
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
