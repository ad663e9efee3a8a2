#!/usr/bin/python3
"""Compare probe's TCP observations with nmap's XML (-sT, and -sS for the
ICMP codes -sT cannot see). Usage: nmap_compare.py OURS.json ST.xml SS.xml"""
import json
import sys
import xml.etree.ElementTree as ET

# IPv4 ICMP 3/9, 3/10, 3/13 reach a connect() as ENETUNREACH/EHOSTUNREACH,
# so nmap -sT says net-unreach or host-unreach; nmap -sS reads the code
# (net-prohibited, host-prohibited, admin-prohibited). probe reads it too
# and says admin-prohibited, the contract's one word for all three.
PROHIBITED = {"net-prohibited": 9, "host-prohibited": 10,
              "admin-prohibited": 13}


def nmap_ports(path):
    out = {}
    for p in ET.parse(path).getroot().iter("port"):
        st = p.find("state")
        out[int(p.get("portid"))] = (st.get("state"), st.get("reason"))
    return out


def main():
    ours = json.load(open(sys.argv[1]))
    st, ss = nmap_ports(sys.argv[2]), nmap_ports(sys.argv[3])
    fails = 0
    seen = set()
    print("%6s  %-27s %-27s %-27s" % ("PORT", "probe", "nmap -sT", "nmap -sS"))
    for t in ours["tcp"]:
        port = t["port"]
        seen.add(port)
        mine = (t["state"], t["reason"])
        theirs = st.get(port)
        raw = ss.get(port, ("?", "?"))
        icmp = t.get("icmp") or {}
        ok = theirs is not None and mine[0] == theirs[0]
        want = theirs[1] if theirs else None
        if raw[1] in PROHIBITED:
            want = "admin-prohibited"
            if ":" not in t["ip"]:
                ok = ok and (icmp.get("type"), icmp.get("code")) == \
                    (3, PROHIBITED[raw[1]])
        ok = ok and mine[1] == want
        print("%6d  %-27s %-27s %-27s %s" % (port, "/".join(mine),
              "/".join(theirs or ("-", "-")), "/".join(raw),
              "ok" if ok else "MISMATCH"))
        if not ok:
            fails += 1
    for port in st:
        if port not in seen:
            print("port %d: nmap has it, probe does not" % port)
            fails += 1
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
