#!/usr/bin/python3
"""Check xacct-doctor's flows against tshark's reading of the same pcap.

usage: tshark_flows.py PCAP OBSERVATIONS.json [--port LIST] [--from CIDR]...

tshark decodes the file (its own dissectors, not ours); this script counts,
per TCP flow named from the client's side, the SYNs, SYN-ACKs, resets from
the server and from the client, and the ICMP unreachable that quotes it,
with first and last timestamps; then compares with the "flows" of the
observations. Exit 0 when they agree, 1 when not (the differences are
printed), 77 when tshark is not installed.
"""
import argparse
import datetime
import ipaddress
import json
import shutil
import subprocess
import sys

SYN, RST, ACK = 0x02, 0x04, 0x10
FIELDS = ["frame.time_epoch", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "tcp.srcport", "tcp.dstport", "tcp.flags", "icmp.type", "icmp.code",
          "icmpv6.type", "icmpv6.code"]
# ICMP destination-unreachable codes in nmap's words (contract.md).
ICMP4 = {0: "net-unreach", 6: "net-unreach", 11: "net-unreach",
         1: "host-unreach", 5: "host-unreach", 7: "host-unreach",
         8: "host-unreach", 12: "host-unreach", 14: "host-unreach",
         2: "proto-unreach", 3: "port-unreach",
         9: "admin-prohibited", 10: "admin-prohibited",
         13: "admin-prohibited", 15: "admin-prohibited"}
ICMP6 = {0: "net-unreach", 1: "admin-prohibited", 5: "admin-prohibited",
         6: "admin-prohibited", 2: "host-unreach", 3: "host-unreach",
         4: "port-unreach"}


def parse_ports(s):
    out = set()
    for item in s.split(","):
        if "-" in item:
            a, b = item.split("-")
            out.update(range(int(a), int(b) + 1))
        else:
            out.add(int(item))
    return out


def iso(epoch):
    sec, _, frac = epoch.partition(".")
    us = int((frac + "000000")[:6])
    t = datetime.datetime.fromtimestamp(int(sec), datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % us


def end(ip, port):
    a = ipaddress.ip_address(ip)
    return ("[%s]:%d" if a.version == 6 else "%s:%d") % (a.compressed, port)


def tshark_rows(pcap):
    cmd = ["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "separator=|",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        sys.exit("tshark failed on %s: %s" % (pcap, r.stderr.strip()))
    for line in r.stdout.splitlines():
        yield dict(zip(FIELDS, line.split("|")))


def last(v):
    return v.split(",")[-1] if v else ""


class Flows:
    def __init__(self, ports, peers):
        self.ports, self.peers = ports, peers
        self.by_pair = {}
        self.order = []

    def kept(self, src, sp, dst, dp):
        if self.ports and sp not in self.ports and dp not in self.ports:
            return False
        if not self.peers:
            return True
        return any(ipaddress.ip_address(a) in n for a in (src, dst)
                   for n in self.peers if ipaddress.ip_address(a).version ==
                   n.version)

    def get(self, src, sp, dst, dp, flags):
        key = frozenset([(src, sp), (dst, dp)])
        f = self.by_pair.get(key)
        if f is None:
            if flags is not None and flags & SYN:
                client_is_src = not flags & ACK
            else:
                sk, dk = sp in self.ports, dp in self.ports
                client_is_src = dk if sk != dk else sp >= dp
            c, s = ((src, sp), (dst, dp)) if client_is_src else \
                ((dst, dp), (src, sp))
            f = {"client": c, "server": s, "syn": 0, "syn_ack": 0, "rst": 0,
                 "client_rst": 0, "icmp": None, "first": None, "last": None}
            self.by_pair[key] = f
            self.order.append(f)
        return f, f["client"] == (src, sp)

    @staticmethod
    def touch(f, t):
        if f["first"] is None or t < f["first"]:
            f["first"] = t
        if f["last"] is None or t > f["last"]:
            f["last"] = t

    def feed(self, row):
        t = row["frame.time_epoch"]
        t = (int(t.split(".")[0]), int((t.split(".")[1] + "000000")[:6]),
             t)
        v4 = bool(row["ip.src"])
        src = last(row["ip.src"] if v4 else row["ipv6.src"])
        dst = last(row["ip.dst"] if v4 else row["ipv6.dst"])
        if not row["tcp.srcport"] or not src:
            return
        sp, dp = int(last(row["tcp.srcport"])), int(last(row["tcp.dstport"]))
        flags = int(last(row["tcp.flags"]), 16) if row["tcp.flags"] else None
        itype = row["icmp.type"] if v4 else row["icmpv6.type"]
        if itype:
            code = int((row["icmp.code"] if v4 else row["icmpv6.code"])
                       .split(",")[0])
            itype = int(itype.split(",")[0])
            word = (ICMP4 if v4 else ICMP6).get(code) if \
                itype == (3 if v4 else 1) else None
            if word is None or not self.kept(src, sp, dst, dp):
                return
            f, _ = self.get(src, sp, dst, dp, flags)
            f["icmp"] = word
            self.touch(f, t)
            return
        if flags is None or not flags & (SYN | RST) or \
                not self.kept(src, sp, dst, dp):
            return
        f, from_client = self.get(src, sp, dst, dp, flags)
        if flags & SYN:
            f["syn_ack" if flags & ACK else "syn"] += 1
        if flags & RST:
            f["client_rst" if from_client else "rst"] += 1
        self.touch(f, t)

    def result(self):
        out = []
        for f in self.order:
            out.append({"src": end(*f["client"]), "dst": end(*f["server"]),
                        "syn": f["syn"], "syn_ack": f["syn_ack"],
                        "rst": f["rst"], "client_rst": f["client_rst"],
                        "icmp": f["icmp"], "first": iso(f["first"][2]),
                        "last": iso(f["last"][2])})
        return out


KEYS = ["src", "dst", "syn", "syn_ack", "rst", "client_rst", "icmp", "first",
        "last"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pcap")
    ap.add_argument("observations")
    ap.add_argument("--port", default="8998,10000,8889")
    ap.add_argument("--from", dest="peers", action="append", default=[])
    a = ap.parse_args()
    if not shutil.which("tshark"):
        print("tshark is not installed: skipped")
        return 77
    fl = Flows(parse_ports(a.port),
               [ipaddress.ip_network(p, strict=False) for p in a.peers])
    for row in tshark_rows(a.pcap):
        fl.feed(row)
    want = {(f["src"], f["dst"]): f for f in fl.result()}
    with open(a.observations, encoding="utf-8") as fh:
        got = {(f["src"], f["dst"]): {k: f.get(k) for k in KEYS}
               for f in json.load(fh)["flows"]}
    bad = 0
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            bad += 1
            print("flow %s -> %s differs:\n  tshark: %s\n  ours:   %s" %
                  (k[0], k[1], json.dumps(want.get(k)), json.dumps(got.get(k))))
    print("%d flows from tshark, %d from xacct-doctor, %d differ" %
          (len(want), len(got), bad))
    return 1 if bad or not want else 0


if __name__ == "__main__":
    sys.exit(main())
