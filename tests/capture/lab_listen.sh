#!/bin/bash
# Live capture between two network namespaces of our own, joined by a veth
# (10.98.0.1 client, 10.98.0.2 server, fd00:98::1/2; these addresses exist
# only inside the namespaces). The server has a listener on 8998, nothing
# on 10000, an nft drop on 8889 and an nft reject (admin-prohibited) on
# 9443. `listen` runs on both ends at once while the client connects:
#   - both captures show the four outcomes, IPv4 and IPv6, named from the
#     client's side;
#   - while listening, the process has no uid 0 and no capability left;
#   - the --pcap-out files open in tshark, whose counts equal ours;
#   - SIGINT ends a listen early with its flows written, exit 0.
# Needs root and ip netns; exits 77 (skipped) otherwise.
#
# usage: lab_listen.sh XACCT_DOCTOR TESTS_DIR
set -u
XD=$1
TD=$2
PY=/usr/bin/python3

[ "$(id -u)" = 0 ] || { echo "needs root: skipped"; exit 77; }
for c in ip nft nc setpriv; do
  command -v $c >/dev/null || { echo "$c is missing: skipped"; exit 77; }
done

ID=$$
S=xdcap-s-$ID
C=xdcap-c-$ID
VS=xdcs$ID
VC=xdcc$ID
T=$(mktemp -d /tmp/xd-capture-lab.XXXXXX)
# --pcap-out is opened after root is given up (as nobody here, there being
# no sudo): the folder must be one that user can write
chmod 1777 "$T"
SRV=""
fails=0

cleanup() {
  [ -n "$SRV" ] && kill "$SRV" 2>/dev/null
  for p in "$T"/*.pid; do
    [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
  done
  # whatever else still runs in the namespaces, by pid, before their names
  # go (the processes would outlive `ip netns del`)
  local ns pids
  for ns in "$S" "$C"; do
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] || continue
    kill $pids 2>/dev/null
    for _ in $(seq 30); do
      pids=$(ip netns pids "$ns" 2>/dev/null)
      [ -n "$pids" ] || break
      sleep 0.05
    done
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
  done
  ip netns del "$S" 2>/dev/null
  ip netns del "$C" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; fails=$((fails + 1)); }

ip netns add "$S" 2>/dev/null || { echo "ip netns does not work here: skipped"; exit 77; }
ip netns add "$C" || exit 1
ip link add "$VS" netns "$S" type veth peer name "$VC" netns "$C" || exit 1
for side in "$S:$VS:2" "$C:$VC:1"; do
  IFS=: read -r ns dev n <<<"$side"
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "10.98.0.$n/24" dev "$dev"
  ip -n "$ns" addr add "fd00:98::$n/64" dev "$dev" nodad
  ip -n "$ns" link set "$dev" up
done
ip netns exec "$S" nft -f - <<'EOF' || exit 1
table inet xdcap {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 8889 drop
    tcp dport 9443 reject with icmpx type admin-prohibited
  }
}
EOF

# the service on 8998, both families
ip netns exec "$S" $PY -c '
import socket
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 8998)); s.listen(16)
while True:
    c, _ = s.accept(); c.close()
' &
SRV=$!
for _ in $(seq 50); do
  ip netns exec "$S" ss -ltn 2>/dev/null | grep -q ':8998 ' && break
  sleep 0.1
done

PORTS=8998,10000,8889,9443
# server end: any interface, stopped by SIGINT; client end: its veth, by
# --duration
ip netns exec "$S" sh -c "echo \$\$ >'$T/s.pid'; exec '$XD' listen --port $PORTS \
  --from 10.98.0.0/24 --from fd00:98::/64 --duration 60 --pcap-out '$T/s.pcap' \
  --format json" >"$T/s.json" 2>"$T/s.err" &
LS=$!
ip netns exec "$C" sh -c "echo \$\$ >'$T/c.pid'; exec '$XD' listen --port $PORTS \
  --interface $VC --side studio --duration 7 --pcap-out '$T/c.pcap' \
  --format json" >"$T/c.json" 2>"$T/c.err" &
LC=$!

# the capture is open once root is gone: wait for that
wait_dropped() {
  local pid
  for _ in $(seq 100); do
    pid=$(cat "$1" 2>/dev/null)
    if [ -n "$pid" ] && [ -r "/proc/$pid/status" ] &&
       awk '/^Uid:/ { exit ($2 == 0) }' "/proc/$pid/status"; then
      echo "$pid"
      return 0
    fi
    sleep 0.05
  done
  return 1
}
PS=$(wait_dropped "$T/s.pid") || bad "server-side listen never dropped root: $(cat "$T/s.err")"
PC=$(wait_dropped "$T/c.pid") || bad "client-side listen never dropped root: $(cat "$T/c.err")"

# (2) what the running process holds
for pid in $PS $PC; do
  st=/proc/$pid/status
  if awk '
      /^Uid:|^Gid:/ { for(i = 2; i <= 5; i++) if($i == 0) bad = bad " " $1 "0" }
      /^CapEff:|^CapPrm:|^CapBnd:|^CapAmb:/ { if($2 != "0000000000000000") bad = bad " " $1 $2 }
      /^NoNewPrivs:/ { nnp = $2 }
      END { if(nnp != 1) bad = bad " NoNewPrivs:" nnp; if(bad != "") { print bad; exit 1 } }
    ' "$st" >"$T/priv.txt"; then
    ok "pid $pid listening: no uid/gid 0, CapEff/CapPrm/CapBnd/CapAmb all 0, NoNewPrivs"
  else
    bad "pid $pid still privileged:$(cat "$T/priv.txt")"
  fi
done

# the client: one connection per outcome and family
ip netns exec "$C" nc -z -w 4 10.98.0.2 8889 >/dev/null 2>&1 &
DROP=$!
ip netns exec "$C" nc -z -w 2 10.98.0.2 8998 || bad "connect to the open port failed"
ip netns exec "$C" nc -z -w 2 10.98.0.2 10000 2>/dev/null && bad "the closed port accepted"
ip netns exec "$C" nc -z -w 2 10.98.0.2 9443 2>/dev/null && bad "the rejected port accepted"
ip netns exec "$C" nc -6 -z -w 2 fd00:98::2 8998 || bad "IPv6 connect to the open port failed"
ip netns exec "$C" nc -6 -z -w 2 fd00:98::2 9443 2>/dev/null && bad "IPv6: the rejected port accepted"
wait "$DROP"
sleep 0.3

kill -INT "$PS" 2>/dev/null
wait "$LS"; rs=$?
wait "$LC"; rc=$?
rm -f "$T/s.pid" "$T/c.pid"
[ "$rs" -eq 0 ] && ok "server-side listen: exit 0 after SIGINT" ||
  bad "server-side listen: exit $rs: $(cat "$T/s.err")"
[ "$rc" -eq 0 ] && ok "client-side listen: exit 0 after --duration" ||
  bad "client-side listen: exit $rc: $(cat "$T/c.err")"

# (1) the flows each end saw
check_flows() {
  $PY - "$1" "$2" "$3" <<'EOF'
import json, sys
path, where, iface = sys.argv[1:4]
d = json.load(open(path))
flows = {f["dst"]: f for f in d["flows"]}
cap = d["capture"]
bad = []
def want(cond, what):
    print(("ok    " if cond else "FAIL  ") + where + ": " + what)
    if not cond:
        bad.append(what)
want(cap["privileges_dropped"] is True, "capture says privileges_dropped")
want(cap["interface"] == iface, "captured on %s (got %s)" % (iface, cap["interface"]))
want(len(d["flows"]) == 6, "six flows (got %d: %s)" % (len(d["flows"]), sorted(flows)))
want(all(f["where"] == where and f["src"].rsplit(":", 1)[0] in
         ("10.98.0.1", "[fd00:98::1]") for f in d["flows"]),
     "every flow named from the client, where: " + where)
def flow(dst):
    return flows.get(dst, {})
for fam, host in (("IPv4", "10.98.0.2"), ("IPv6", "[fd00:98::2]")):
    f = flow(host + ":8998")
    want(f.get("syn") == 1 and f.get("syn_ack") == 1 and f.get("rst") == 0 and
         f.get("icmp") is None, fam + " open: syn 1, syn_ack 1 (%s)" % f)
    f = flow(host + ":9443")
    # Linux gives up at the first ICMPv4 admin-prohibited; over IPv6 it
    # may send the SYN again first
    want(f.get("syn", 0) >= 1 and f.get("syn_ack") == 0 and
         f.get("icmp") == "admin-prohibited" and
         f.get("icmp_from") == host.strip("[]"),
         fam + " rejected: icmp admin-prohibited from the server (%s)" % f)
f = flow("10.98.0.2:10000")
want(f.get("syn") == 1 and f.get("rst") == 1 and f.get("syn_ack") == 0,
     "closed: syn 1, rst 1 (%s)" % f)
f = flow("10.98.0.2:8889")
want(f.get("syn", 0) >= 2 and f.get("syn_ack") == 0 and f.get("rst") == 0 and
     f.get("icmp") is None, "dropped: SYN retransmitted, no answer (%s)" % f)
sys.exit(1 if bad else 0)
EOF
}
check_flows "$T/s.json" emr any || fails=$((fails + 1))
check_flows "$T/c.json" studio "$VC" || fails=$((fails + 1))
$PY -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["capture"].get("interrupted") else 1)' "$T/s.json" &&
  ok "server side: capture says interrupted" || bad "server side: no interrupted mark"

# (3) tshark reads the pcaps, and counts as we do
if command -v tshark >/dev/null; then
  for end in s c; do
    if tshark -r "$T/$end.pcap" >/dev/null 2>"$T/tshark.err"; then
      ok "$end.pcap opens in tshark"
    else
      bad "$end.pcap does not open in tshark: $(cat "$T/tshark.err")"
    fi
    $PY "$TD/capture/tshark_flows.py" "$T/$end.pcap" "$T/$end.json" --port $PORTS ||
      bad "$end.pcap: tshark and xacct-doctor disagree"
  done
else
  echo "tshark is not installed: the pcap comparison is skipped"
fi

echo "$fails failed"
[ "$fails" -eq 0 ]
