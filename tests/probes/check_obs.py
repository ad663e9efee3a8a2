#!/usr/bin/python3
"""Assertions on the observations `probe` writes, one function per test
case: check_obs.py CASE FILE [ARGS...]. Prints every failed expectation
and exits 1 if there was one, so one run shows all that is wrong."""
import json
import re
import sys

FAILS = []
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def expect(cond, what):
    if not cond:
        FAILS.append(what)


def tcp(doc, ip, port):
    for t in doc["tcp"]:
        if t["ip"] == ip and t["port"] == port:
            return t
    return None


def by(doc, sec, ip, port):
    for t in doc[sec]:
        if t["ip"] == ip and t["port"] == port:
            return t
    return None


def dns(doc, name, typ):
    for d in doc["dns"]:
        if d["name"] == name and d["type"] == typ:
            return d
    return None


def contract_types(doc):
    """The contract's fields with the contract's types."""
    expect(doc.get("schema") == "xacct-doctor.observations/1", "schema")
    expect(doc.get("side") in ("studio", "emr"), "side")
    for k in ("interfaces", "dns", "tcp", "tls", "http", "flows"):
        expect(isinstance(doc.get(k), list), "%s is an array" % k)
    for d in doc["dns"]:
        expect(isinstance(d["name"], str) and isinstance(d["rcode"], str)
               and isinstance(d["answers"], list)
               and isinstance(d["ms"], (int, float)), "dns entry %r" % d)
    for t in doc["tcp"]:
        expect(t["state"] in ("open", "closed", "filtered"), "tcp state %r" % t)
        expect(isinstance(t["reason"], str) and isinstance(t["port"], int)
               and isinstance(t["ms"], (int, float)), "tcp entry %r" % t)
    for t in doc["tls"]:
        expect(isinstance(t["ip"], str) and isinstance(t["port"], int),
               "tls entry %r" % t)
    for h in doc["http"]:
        expect(isinstance(h["url"], str), "http url %r" % h)
        expect(h["status"] is None or isinstance(h["status"], int),
               "http status %r" % h)
        ph = h.get("phases", {})
        for k in ("dns", "connect", "tls", "first_byte", "total"):
            expect(isinstance(ph.get(k), (int, float)), "phase %s in %r" % (k, h))


V4 = {  # port: (state, reason, icmp type/code or None)
    8998: ("open", "syn-ack", None), 8889: ("open", "syn-ack", None),
    8401: ("open", "syn-ack", None), 8999: ("open", "syn-ack", None),
    8443: ("open", "syn-ack", None), 10000: ("open", "syn-ack", None),
    8100: ("open", "syn-ack", None), 8088: ("open", "syn-ack", None),
    18080: ("open", "syn-ack", None),
    7000: ("closed", "conn-refused", None),
    7001: ("filtered", "no-response", None),
    7002: ("filtered", "admin-prohibited", (3, 13)),
    7003: ("filtered", "host-unreach", (3, 1)),
    7004: ("filtered", "net-unreach", (3, 0)),
    7005: ("filtered", "proto-unreach", (3, 2)),
    7006: ("closed", "conn-refused", (3, 3)),
    7007: ("closed", "conn-refused", None),
    7008: ("filtered", "admin-prohibited", (3, 10)),
}
V6 = {
    8998: ("open", "syn-ack", None), 7000: ("closed", "conn-refused", None),
    7001: ("filtered", "no-response", None),
    7002: ("filtered", "admin-prohibited", (1, 1)),
    7003: ("filtered", "host-unreach", (1, 3)),
    7004: ("filtered", "net-unreach", (1, 0)),
    7006: ("closed", "conn-refused", (1, 4)),
}


def case_full(doc, timeout_ms, identify_ms):
    timeout_ms = float(timeout_ms)
    identify_ms = float(identify_ms)
    contract_types(doc)
    d = dns(doc, "livy.xd.test", "A")
    expect(d and d["rcode"] == "NOERROR" and d["answers"] == ["10.99.0.2"]
           and d["server"] == "10.99.0.2", "livy A answer %r" % d)
    d = dns(doc, "livy.xd.test", "AAAA")
    expect(d and d["rcode"] == "NOERROR" and d["answers"] == ["fd00:99::2"],
           "livy AAAA answer %r" % d)
    for t in ("A", "AAAA"):
        d = dns(doc, "missing.xd.test", t)
        expect(d and d["rcode"] == "NXDOMAIN" and d["answers"] == [],
               "missing %s: %r" % (t, d))
    tg = {t["target"]: t for t in doc["targets"]}
    expect(tg.get("missing.xd.test", {}).get("resolved") is False,
           "missing.xd.test marked unresolved")
    expect(tg.get("livy.xd.test", {}).get("addresses") ==
           ["10.99.0.2", "fd00:99::2"], "livy.xd.test addresses")
    for ip, table in (("10.99.0.2", V4), ("fd00:99::2", V6)):
        for port, (state, reason, icmp) in table.items():
            t = tcp(doc, ip, port)
            if t is None:
                FAILS.append("no tcp entry for %s:%d (every resolved address "
                             "must be probed)" % (ip, port))
                continue
            expect(t["target"] == "livy.xd.test", "target name kept %r" % t)
            expect((t["state"], t["reason"]) == (state, reason),
                   "%s:%d is %s/%s, want %s/%s" % (ip, port, t["state"],
                                                   t["reason"], state, reason))
            if icmp:
                got = t.get("icmp") or {}
                expect((got.get("type"), got.get("code")) == icmp and
                       got.get("from") == ip,
                       "%s:%d icmp %r, want %r from %s" % (ip, port, got,
                                                          icmp, ip))
            else:
                expect(t.get("icmp") is None, "%s:%d no icmp %r" % (ip, port, t))
            if state == "open":
                expect(t.get("src", "").startswith("10.99.0.1:") or
                       t.get("src", "").startswith("[fd00:99::1]:"),
                       "source address of %s:%d: %r" % (ip, port, t.get("src")))
            if reason == "no-response":
                expect(timeout_ms * 0.95 <= t["ms"] <= timeout_ms * 3,
                       "filtered port waited its timeout: %r" % t)
    # TLS
    t = by(doc, "tls", "10.99.0.2", 8443)
    expect(t is not None, "tls entry for 8443")
    if t:
        expect(t["speaks_tls"] is True and t["handshake"] == "ok",
               "8443 speaks TLS %r" % t)
        expect(t["version"] in ("TLSv1.3", "TLSv1.2"), "version %r" % t)
        expect(t["cipher"], "cipher %r" % t)
        expect(t["subject"] == "CN=livy.xd.test" and
               t["issuer"] == "CN=livy.xd.test", "subject/issuer %r" % t)
        expect(sorted(t["sans"]) == ["10.99.0.2", "livy.xd.test"],
               "sans %r" % t["sans"])
        expect(bool(t["not_after"] and ISO.match(t["not_after"])),
               "not_after ISO 8601 %r" % t["not_after"])
        expect(t["verify"] == "self-signed certificate" and
               t["verify_code"] == 18, "verify %r" % t)
        expect(t["hostname"] == "livy.xd.test" and t["hostname_match"] is True,
               "hostname check %r" % t)
    t = by(doc, "tls", "10.99.0.2", 8998)
    expect(t and t["speaks_tls"] is False and t["handshake"] == "not-tls",
           "8998 does not speak TLS %r" % t)
    t = by(doc, "tls", "10.99.0.2", 10000)
    expect(t and t["speaks_tls"] is False and t["handshake"] == "timeout",
           "silent 10000 times out cleanly %r" % t)
    if t:
        expect(identify_ms * 0.95 <= t["ms"] <= identify_ms * 3,
               "TLS timeout took the identification budget %r" % t)
    # the TCP entries say what identification gave, for the report
    t = tcp(doc, "10.99.0.2", 8998)
    expect(t and t.get("service") == "livy" and
           t.get("identified_by") == "response" and t.get("silent") is False
           and t.get("identify_ms") == identify_ms,
           "8998 identified as livy on its TCP entry %r" % t)
    t = tcp(doc, "10.99.0.2", 10000)
    expect(t and t.get("silent") is True and t.get("service") == "hiveserver2"
           and t.get("identified_by") == "port",
           "silent 10000: not identified, hiveserver2 by port %r" % t)
    t = tcp(doc, "10.99.0.2", 8100)
    expect(t and t.get("silent") is False,
           "a peer that closes at once is not silent %r" % t)
    t = tcp(doc, "10.99.0.2", 7000)
    expect(t and "identify_ms" not in t, "no identification of a closed port")
    t = by(doc, "tls", "10.99.0.2", 8100)
    expect(t and t["speaks_tls"] is False and t["handshake"] == "closed",
           "a peer that closes at once: no TLS %r" % t)
    h = by(doc, "http", "10.99.0.2", 8100)
    expect(h and h["status"] is None and h["reachable"] is False and
           h.get("error") and len(h["attempts"]) == 1,
           "no HTTP from a peer that closes at once %r" % h)
    for port in (7000, 7001, 7002):
        expect(by(doc, "tls", "10.99.0.2", port) is None,
               "no TLS probe on non-open port %d" % port)
    # HTTP
    h = by(doc, "http", "10.99.0.2", 8998)
    expect(h and h["service"] == "livy" and h["status"] == 200 and
           h["identified_by"] == "response" and
           h["url"] == "http://livy.xd.test:8998/sessions", "livy %r" % h)
    h = by(doc, "http", "10.99.0.2", 8889)
    expect(h and h["service"] == "presto" and h.get("version") == "0.287-test",
           "presto %r" % h)
    h = by(doc, "http", "10.99.0.2", 8088)
    expect(h and h["service"] == "yarn" and h["identified_by"] == "response"
           and len(h["attempts"]) == 1, "YARN, asked first on 8088 %r" % h)
    h = by(doc, "http", "10.99.0.2", 18080)
    expect(h and h["service"] == "spark-history" and
           h["url"].endswith("/api/v1/applications"), "Spark history %r" % h)
    h = by(doc, "http", "10.99.0.2", 8401)
    expect(h and h["status"] == 401 and h["auth_required"] is True and
           h["reachable"] is True, "401 means reachable, auth required %r" % h)
    h = by(doc, "http", "10.99.0.2", 8999)
    expect(h and h["truncated"] is True and h["body_bytes"] == 1048576,
           "endless body bounded at 1 MiB %r" % h)
    h = by(doc, "http", "10.99.0.2", 8443)
    expect(h and h["scheme"] == "https" and h["url"].startswith("https://"),
           "https after a TLS handshake %r" % h)
    h = by(doc, "http", "10.99.0.2", 10000)
    expect(h and h["service"] == "hiveserver2" and h["identified_by"] == "port"
           and h["status"] is None and h["attempts"] == [] and
           "not asked" in (h.get("error") or ""),
           "hiveserver2 guessed by port, no HTTP asked of binary Thrift %r" % h)
    h = by(doc, "http", "fd00:99::2", 8998)
    expect(h and h["service"] == "livy", "livy over IPv6 %r" % h)
    for h in doc["http"]:
        ph = h["phases"]
        expect(ph["total"] + 0.02 >= ph["connect"] + ph["tls"] + ph["first_byte"]
               - 0.05, "phases add up %r" % h)
    expect(doc["flows"] == [], "flows left to the capture")


def case_allopen(doc):
    contract_types(doc)
    expect(len(doc["tcp"]) == 2 and all(t["state"] == "open" for t in doc["tcp"]),
           "all open %r" % doc["tcp"])


def case_dns(doc, want_rcode, note=""):
    for t in ("A", "AAAA"):
        d = dns(doc, "livy.xd.test", t)
        expect(d and d["rcode"] == want_rcode, "%s rcode %r, want %s" %
               (t, d, want_rcode))
        if d and note:
            expect(note in d.get("error", ""), "%s error %r lacks %r" %
                   (t, d.get("error"), note))
    expect(doc["tcp"] == [], "nothing probed without an address")
    expect(doc["targets"][0]["resolved"] is False, "unresolved")


def case_slow(doc, identify_ms, timeout_ms, silent_port):
    """A silent peer costs the identification budget, not the timeout:
    the run uses a timeout far longer than the budget, so even a loaded
    machine cannot blur one into the other."""
    identify_ms = float(identify_ms)
    timeout_ms = float(timeout_ms)
    silent_port = int(silent_port)

    def within_budget(ms):
        return identify_ms * 0.95 <= ms < timeout_ms / 2
    # HiveServer2's port: TLS only, within the identification budget
    t = by(doc, "tls", "10.99.0.2", 10000)
    expect(t and t["handshake"] == "timeout" and t["speaks_tls"] is False,
           "TLS on a silent peer times out %r" % t)
    if t:
        expect(within_budget(t["ms"]),
               "TLS ended by the identification budget %r" % t)
    h = by(doc, "http", "10.99.0.2", 10000)
    expect(h and h["status"] is None and h["attempts"] == [],
           "no HTTP asked of HiveServer2's binary Thrift %r" % h)
    # a silent peer on a port of no known service: TLS and HTTP both run,
    # side by side, and both end with the one budget
    t = by(doc, "tls", "10.99.0.2", silent_port)
    expect(t and t["handshake"] == "timeout" and t["speaks_tls"] is False,
           "TLS on a silent %d times out %r" % (silent_port, t))
    if t:
        expect(within_budget(t["ms"]),
               "TLS ended by the identification budget %r" % t)
    h = by(doc, "http", "10.99.0.2", silent_port)
    expect(h and h["status"] is None and "timed out" in (h.get("error") or ""),
           "HTTP on a silent peer times out %r" % h)
    if h:
        expect(within_budget(h["phases"]["total"]),
               "HTTP ended by the identification budget %r" % h)
    for port in (10000, silent_port):
        t = tcp(doc, "10.99.0.2", port)
        expect(t and t.get("silent") is True and
               t.get("identify_ms") == identify_ms,
               "the TCP entry of %d says silent within %g ms %r" %
               (port, identify_ms, t))
    h = by(doc, "http", "10.99.0.2", 8999)
    expect(h and h["truncated"] is True and h["body_bytes"] == 1048576,
           "endless body bounded %r" % h)
    if h:
        expect(len(h["attempts"]) == 1 and h["attempts"][0].get("truncated"),
               "no more paths read after a body over 1 MiB %r" % h["attempts"])


def case_precheck(doc, ok, would_use, scheme, first_state, message=""):
    pc = doc.get("precheck")
    expect(pc is not None, "precheck present")
    if not pc:
        return
    expect(pc["ok"] is (ok == "true"), "ok %r" % pc)
    expect(pc["would_use"] == (None if would_use == "-" else would_use),
           "would_use %r" % pc)
    expect(pc["scheme"] == (None if scheme == "-" else scheme), "scheme %r" % pc)
    st = pc["steps"][0]
    expect(st.get("state", "-") == first_state, "first step %r" % st)
    if message:
        expect(pc["message"] == message, "message %r, want %r" %
               (pc["message"], message))
    else:
        expect(pc["message"] is None, "no message on success %r" % pc)


def case_expect(doc, name, matches, hint=""):
    d = dns(doc, name, "A")
    expect(d is not None, "A entry for %s" % name)
    if d:
        expect(d.get("matches") is (matches == "true"), "matches %r" % d)
        if hint:
            expect(hint in d.get("hint", ""), "hint %r lacks %r" %
                   (d.get("hint"), hint))


def main():
    case, path = sys.argv[1], sys.argv[2]
    with open(path) as f:
        doc = json.load(f)
    globals()["case_" + case](doc, *sys.argv[3:])
    for f in FAILS:
        print("FAIL:", f)
    print("%s: %d failed" % (case, len(FAILS)))
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
