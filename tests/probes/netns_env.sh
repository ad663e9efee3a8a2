# tests/probes/netns_env.sh: a two-namespace world for the probe tests,
# sourced by each test script. A client namespace and a server namespace
# joined by one veth pair; every address lives only inside them:
#
#   client  10.99.0.1/24  fd00:99::1/64
#   server  10.99.0.2/24  fd00:99::2/64   (services)
#           10.99.0.3/24                  ("private" address, 8443 dropped)
#
# Server side: dnsmasq on 10.99.0.2:53 with the xd.test zone, Livy-like,
# Presto-like, 401 and endless-body HTTP servers, an openssl s_server with a
# self-signed certificate, a silent acceptor on 10000, one that closes at
# once on 8100, and nftables rules
# that drop or reject (with each ICMP type) ports 7001-7008. Port 7000 is
# closed. Each script gets its own namespaces (names carry the PID), so
# tests may run in parallel; xd_env_down removes everything it made and is
# installed as the EXIT trap.
#
# Needs root, ip netns, nft, dnsmasq, openssl, python3: without them the
# calling test exits 77 (skipped).

XD_PY=/usr/bin/python3
XD_NS_C="xdpc$$"
XD_NS_S="xdps$$"
XD_SRV=10.99.0.2
XD_SRV2=10.99.0.3
XD_SRV6=fd00:99::2
XD_CLI=10.99.0.1
XD_WORK=""
XD_PIDS=""
XD_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

xd_skip() {
  echo "SKIP: $*"
  exit 77
}

xd_env_check() {
  [ "$(id -u)" = 0 ] || xd_skip "needs root (ip netns)"
  for t in ip nft dnsmasq openssl dig ss; do
    command -v "$t" >/dev/null 2>&1 || xd_skip "needs $t"
  done
  [ -x "$XD_PY" ] || xd_skip "needs $XD_PY"
  ip netns add "xdchk$$" 2>/dev/null || xd_skip "cannot create a network namespace"
  ip netns del "xdchk$$"
}

# Run a command in the client / server namespace.
xd_c() { ip netns exec "$XD_NS_C" "$@"; }
xd_s() { ip netns exec "$XD_NS_S" "$@"; }

# Start a server in the server namespace in the background; wait until it
# says it is ready (READY_FILE) or, for others, until its port listens.
# The background job execs ip, and ip execs the server, so $! is the
# server's own pid (a shell function run with & would leave $! naming a
# subshell, and killing that leaves the server running).
xd_start() {
  local name="$1"; shift
  local ready="$XD_WORK/$name.ready"
  READY_FILE="$ready" exec ip netns exec "$XD_NS_S" "$@" \
    >"$XD_WORK/$name.log" 2>&1 &
  XD_PIDS="$XD_PIDS $!"
  for _ in $(seq 1 100); do
    [ -e "$ready" ] && return 0
    sleep 0.05
  done
  echo "server $name did not start:"; cat "$XD_WORK/$name.log"
  return 1
}

xd_wait_tcp() {  # addr port
  for _ in $(seq 1 100); do
    xd_s ss -Hltn "sport = :$2" 2>/dev/null | grep -q . && return 0
    sleep 0.05
  done
  echo "nothing listens on $1:$2"; return 1
}

# Stop every process still inside namespace $1 by its pid (ip netns pids
# names exactly the processes in it, whoever started them): TERM, then KILL
# what is left after a second and a half. A namespace's name disappears
# with `ip netns del`, its processes do not.
xd_ns_kill() {
  local ns="$1" pids p
  ip netns list 2>/dev/null | grep -q "^$ns\( \|$\)" || return 0
  pids=$(ip netns pids "$ns" 2>/dev/null)
  [ -n "$pids" ] || return 0
  kill $pids 2>/dev/null
  for _ in $(seq 1 30); do
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] || return 0
    sleep 0.05
  done
  for p in $pids; do
    echo "xd_env_down: pid $p in $ns did not stop on TERM, killing" >&2
  done
  kill -KILL $pids 2>/dev/null
}

xd_env_down() {
  local rc=$?
  for p in $XD_PIDS; do
    kill "$p" 2>/dev/null
  done
  # dnsmasq says its own pid in its pid file
  if [ -n "$XD_WORK" ] && [ -s "$XD_WORK/dnsmasq.pid" ]; then
    kill "$(cat "$XD_WORK/dnsmasq.pid" 2>/dev/null)" 2>/dev/null
  fi
  for p in $XD_PIDS; do
    wait "$p" 2>/dev/null
  done
  # anything else left in the namespaces (a server a test started itself)
  xd_ns_kill "$XD_NS_S"
  xd_ns_kill "$XD_NS_C"
  ip netns del "$XD_NS_C" 2>/dev/null
  ip netns del "$XD_NS_S" 2>/dev/null
  [ -n "$XD_WORK" ] && rm -rf "$XD_WORK"
  return $rc
}

xd_nft_rules() {
  cat <<EOF
table inet xdtest {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 7001 drop
    meta nfproto ipv4 tcp dport 7002 reject with icmp type admin-prohibited
    meta nfproto ipv6 tcp dport 7002 reject with icmpv6 type admin-prohibited
    meta nfproto ipv4 tcp dport 7003 reject with icmp type host-unreachable
    meta nfproto ipv6 tcp dport 7003 reject with icmpv6 type addr-unreachable
    meta nfproto ipv4 tcp dport 7004 reject with icmp type net-unreachable
    meta nfproto ipv6 tcp dport 7004 reject with icmpv6 type no-route
    meta nfproto ipv4 tcp dport 7005 reject with icmp type prot-unreachable
    meta nfproto ipv4 tcp dport 7006 reject with icmp type port-unreachable
    meta nfproto ipv6 tcp dport 7006 reject with icmpv6 type port-unreachable
    tcp dport 7007 reject with tcp reset
    meta nfproto ipv4 tcp dport 7008 reject with icmp type host-prohibited
    ip daddr $XD_SRV2 tcp dport 8443 drop
  }
}
EOF
}

# Build the namespaces only (no servers); the benchmark adds its own.
xd_net_up() {
  xd_env_check
  XD_WORK="$(mktemp -d /tmp/xdprobe.XXXXXX)"
  chmod 755 "$XD_WORK"
  trap xd_env_down EXIT
  trap 'exit 130' INT TERM
  ip netns add "$XD_NS_C" && ip netns add "$XD_NS_S" || return 1
  xd_c ip link set lo up
  xd_s ip link set lo up
  # no duplicate address detection: while a link-local address is
  # tentative, neighbour discovery stalls the first IPv6 packets for a
  # second, and a test would read that as a timeout
  for ns in "$XD_NS_C" "$XD_NS_S"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
  done
  # made inside the client namespace: no interface ever appears outside
  xd_c ip link add v0 type veth peer name v1 netns "$XD_NS_S" || return 1
  xd_c ip addr add "$XD_CLI/24" dev v0
  xd_c ip addr add fd00:99::1/64 dev v0 nodad
  xd_s ip addr add "$XD_SRV/24" dev v1
  xd_s ip addr add "$XD_SRV2/24" dev v1
  xd_s ip addr add "$XD_SRV6/64" dev v1 nodad
  xd_c ip link set v0 up
  xd_s ip link set v1 up
  # every reject must produce its ICMP message: no type is rate limited,
  # neither per peer nor by the global token bucket a burst can empty
  xd_s sysctl -qw net.ipv4.icmp_ratelimit=0
  xd_s sysctl -qw net.ipv4.icmp_ratemask=0
  xd_s sysctl -qw net.ipv6.icmp.ratelimit=0
  xd_s sysctl -qw net.ipv6.icmp.ratemask=
  xd_s sysctl -qw net.ipv4.icmp_msgs_per_sec=100000
  xd_s sysctl -qw net.ipv4.icmp_msgs_burst=100000
  for _ in $(seq 1 100); do
    if xd_c ip link show v0 | grep -q "state UP" &&
       xd_s ip link show v1 | grep -q "state UP" &&
       [ -z "$(xd_c ip -6 addr show tentative)$(xd_s ip -6 addr show tentative)" ]; then
      return 0
    fi
    sleep 0.05
  done
  echo "the veth link did not come up"; return 1
}

xd_dnsmasq() {  # extra dnsmasq arguments...
  exec ip netns exec "$XD_NS_S" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv \
    --no-hosts --bind-interfaces --listen-address="$XD_SRV" --port=53 \
    --user=root --pid-file="$XD_WORK/dnsmasq.pid" --local=/xd.test/ \
    --host-record=livy.xd.test,"$XD_SRV","$XD_SRV6" \
    --host-record=v4only.xd.test,"$XD_SRV" \
    --host-record=public.xd.test,"$XD_SRV" \
    --host-record=private.xd.test,"$XD_SRV2" \
    --host-record=emr.xd.test,"$XD_SRV" \
    "$@" >"$XD_WORK/dnsmasq.log" 2>&1 &
  XD_PIDS="$XD_PIDS $!"
  for _ in $(seq 1 100); do
    xd_c dig +time=1 +tries=1 @"$XD_SRV" livy.xd.test A +short 2>/dev/null \
      | grep -q . && return 0
    sleep 0.05
  done
  echo "dnsmasq did not start:"; cat "$XD_WORK/dnsmasq.log"; return 1
}

# The whole world: namespaces, rules, every server.
xd_env_up() {
  xd_net_up || return 1
  xd_nft_rules | xd_s nft -f - || return 1
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=livy.xd.test" \
    -addext "subjectAltName=DNS:livy.xd.test,IP:$XD_SRV" \
    -keyout "$XD_WORK/key.pem" -out "$XD_WORK/cert.pem" >/dev/null 2>&1 || return 1
  xd_dnsmasq || return 1
  xd_start http "$XD_PY" "$XD_HERE/servers.py" http "$XD_SRV" || return 1
  xd_start http6 "$XD_PY" "$XD_HERE/servers.py" http "$XD_SRV6" || return 1
  xd_start silent "$XD_PY" "$XD_HERE/servers.py" silent "$XD_SRV" 10000 || return 1
  xd_start closer "$XD_PY" "$XD_HERE/servers.py" listen "$XD_SRV" 8100 1 || return 1
  xd_start dns-silent "$XD_PY" "$XD_HERE/servers.py" dns "$XD_SRV" 5353 silent || return 1
  xd_start dns-garbage "$XD_PY" "$XD_HERE/servers.py" dns "$XD_SRV" 5354 garbage || return 1
  xd_start dns-malformed "$XD_PY" "$XD_HERE/servers.py" dns "$XD_SRV" 5355 malformed || return 1
  xd_start dns-servfail "$XD_PY" "$XD_HERE/servers.py" dns "$XD_SRV" 5356 servfail || return 1
  xd_start dns-refused "$XD_PY" "$XD_HERE/servers.py" dns "$XD_SRV" 5357 refused || return 1
  # s_server listens on every address of the namespace: 10.99.0.3 reaches
  # it only through the nftables drop above
  exec ip netns exec "$XD_NS_S" openssl s_server -quiet -accept 8443 -cert "$XD_WORK/cert.pem" \
    -key "$XD_WORK/key.pem" -www >"$XD_WORK/s_server.log" 2>&1 </dev/null &
  XD_PIDS="$XD_PIDS $!"
  xd_wait_tcp "$XD_SRV" 8443 || return 1
  return 0
}
