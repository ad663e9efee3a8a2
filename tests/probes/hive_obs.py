#!/usr/bin/python3
"""Checks the observations hive_sasl.sh made of four servers on port
10000 (issue 20 item 4). Usage: hive_obs.py OBSERVATIONS.json"""
import json
import sys

FAILS = []


def expect(ok, what):
    if not ok:
        FAILS.append(what)


def entry(doc, sec, ip):
    for e in doc.get(sec, []):
        if e.get("ip") == ip and e.get("port") == 10000:
            return e
    return None


def main():
    with open(sys.argv[1]) as f:
        doc = json.load(f)

    # the strict stand-in: a BAD frame names our mechanism
    t = entry(doc, "tcp", "10.99.0.2")
    k = (t or {}).get("thrift_sasl") or {}
    expect(t and t["state"] == "open" and t.get("service") == "hiveserver2"
           and t.get("identified_by") == "thrift-sasl"
           and t.get("silent") is False,
           "plain HS2: identified by thrift-sasl %r" % t)
    expect(k.get("outcome") == "answered" and k.get("status") == "BAD" and
           k.get("message") == "Unsupported mechanism type "
           "XACCT-DOCTOR-PROBE", "plain HS2: the BAD frame %r" % k)
    # identified well inside the budget: the answer came, not the timer
    # (the outcome says which; no clock is read here)
    tls = entry(doc, "tls", "10.99.0.2")
    expect(tls is None or tls.get("handshake") in ("not-tls", "closed"),
           "plain HS2: a ClientHello gets no handshake %r" % tls)
    h = entry(doc, "http", "10.99.0.2")
    expect(h and h.get("attempts") == [] and h.get("status") is None,
           "plain HS2: no HTTP asked %r" % h)

    # the SSL stand-in: TLS answers, the clear START does not
    t = entry(doc, "tcp", "10.99.0.4")
    k = (t or {}).get("thrift_sasl") or {}
    tls = entry(doc, "tls", "10.99.0.4")
    expect(tls and tls.get("handshake") == "ok" and tls.get("speaks_tls"),
           "SSL HS2: the handshake succeeds %r" % tls)
    # closed when the server dropped our bytes first, cancelled when the
    # handshake finished first: never an answer in clear
    expect(k.get("outcome") in ("closed", "cancelled"),
           "SSL HS2: SASL in clear is not answered %r" % k)
    expect(t and t.get("silent") is False and
           t.get("identified_by") != "thrift-sasl",
           "SSL HS2: answered, not by SASL %r" % t)

    # something else on 10000
    t = entry(doc, "tcp", "10.99.0.5")
    k = (t or {}).get("thrift_sasl") or {}
    expect(k.get("outcome") == "other" and
           k.get("first_bytes", "").startswith("5353482d") and
           k.get("bytes", 0) > 0 and "status" not in k,
           "an SSH banner is answered something else %r" % k)
    expect(t and t.get("silent") is False and
           t.get("identified_by") != "thrift-sasl",
           "an SSH banner is not HiveServer2 %r" % t)

    # the silent stand-in: nothing to any probe within the budget
    t = entry(doc, "tcp", "10.99.0.6")
    k = (t or {}).get("thrift_sasl") or {}
    expect(k.get("outcome") == "timeout" and "first_bytes" not in k,
           "silent: SASL times out %r" % k)
    expect(t and t.get("silent") is True and t.get("identify_ms") == 1000 and
           t.get("service") == "hiveserver2" and
           t.get("identified_by") == "port",
           "silent: not identified, hiveserver2 by port %r" % t)
    tls = entry(doc, "tls", "10.99.0.6")
    expect(tls and tls.get("handshake") == "timeout",
           "silent: TLS times out %r" % tls)

    for f in FAILS:
        print("FAIL:", f)
    if FAILS:
        sys.exit(1)
    print("hive_obs: 4 peers on 10000 told apart")


if __name__ == "__main__":
    main()
