#!/bin/bash
# Benchmark of the probe engine (label bench; prints figures, asserts
# nothing about speed). In its own pair of namespaces (tests/probes/
# netns_env.sh), one host with 1,000 ports: a third open (a listener that
# accepts and closes), a third closed, a third dropped by nftables.
#
#   1. `xacct-doctor probe` against nmap -sT -T4 and -T5, each pair with the
#      same per-probe timeout (nmap's --max-rtt-timeout for that template:
#      1250 ms and 300 ms; and -T4 at the 1 s of issue 20's anchor), wall
#      and CPU time and peak RSS, and whether every port got the same state.
#   2. A silent peer (accepts, never speaks): what identifying it costs.
#   3. 1,000 names (A and AAAA each) through dnsmasq: `probe` against a
#      loop of dig, and dig -f (one process) for reference.
#
# Usage: bench_probe.sh XACCT_DOCTOR [RUNS]   (BENCH_NAMES=0 skips part 3)
BIN="$1"
RUNS="${2:-3}"
HERE="$(cd "$(dirname "$0")/../probes" && pwd)"
. "$HERE/netns_env.sh"
command -v nmap >/dev/null 2>&1 || xd_skip "needs nmap"
command -v dig >/dev/null 2>&1 || xd_skip "needs dig"
xd_net_up || exit 1

FIRST=20001
N=1000
THIRD=$((N / 3))
OPEN_LAST=$((FIRST + THIRD - 1))
CLOSED_LAST=$((OPEN_LAST + THIRD))
LAST=$((FIRST + N - 1))
xd_s nft -f - <<EOF || exit 1
table inet xdbench {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport $((CLOSED_LAST + 1))-$LAST drop
  }
}
EOF
xd_start listen "$XD_PY" "$HERE/servers.py" listen "$XD_SRV" "$FIRST" "$THIRD" || exit 1
for i in $(seq 1 $N); do echo "$XD_SRV n$i.xd.test"; done >"$XD_WORK/hosts"
xd_dnsmasq --addn-hosts="$XD_WORK/hosts" || exit 1

# timed CMD...: runs CMD in the client namespace; prints "wall cpu rss"
# (s, s, MiB of the largest process: a fresh python per run, so
# RUSAGE_CHILDREN is this command's)
timed() {
  $XD_PY - "$@" <<'PY'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.monotonic() - t0
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print("%.3f %.3f %.1f" % (wall, cpu, after.ru_maxrss / 1024))
PY
}

# median of RUNS runs of CMD: prints "wall cpu rss"
median() {
  local f="$XD_WORK/runs"
  : >"$f"
  for _ in $(seq 1 "$RUNS"); do
    timed ip netns exec "$XD_NS_C" "$@" >>"$f"
  done
  sort -n "$f" | awk '{w[NR]=$1; c[NR]=$2; r[NR]=$3} END {m=int((NR+1)/2); print w[m], c[m], r[m]}'
}

states_ours() {
  $XD_PY -c 'import json,sys
for t in json.load(open(sys.argv[1]))["tcp"]: print(t["port"], t["state"])' "$1" | sort
}
states_nmap() {
  # nmap folds the ports of one state into <extraports>; its
  # <extrareasons ports="a-b,c"> names them
  $XD_PY -c 'import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
for p in r.iter("port"): print(p.get("portid"), p.find("state").get("state"))
for x in r.iter("extraports"):
    for rs in x.iter("extrareasons"):
        for part in rs.get("ports", "").split(","):
            if not part: continue
            a, _, b = part.partition("-")
            for n in range(int(a), int(b or a) + 1): print(n, x.get("state"))
' "$1" | sort
}
ratio() { awk -v w="$1" -v t="$2" 'BEGIN { printf "%.2f", w / (t / 1000) }'; }
count_states() { awk '{n[$2]++} END {for (s in n) printf "%s=%d ", s, n[s]}'; }

echo "== 1,000 ports on $XD_SRV: $THIRD open ($FIRST-$OPEN_LAST), $THIRD closed, $((N - 2 * THIRD)) dropped; median of $RUNS runs"
printf "%-44s %9s %9s %8s %10s  %s\n" "command" "wall s" "cpu s" "RSS MiB" "wall/tmo" "states"
for pair in "T4 1250" "T4 1000" "T5 300"; do
  set -- $pair
  tmpl=$1 tmo=$2
  ours="$XD_WORK/ours-$tmpl.json"
  xd_c "$BIN" probe --target "$XD_SRV" --port "$FIRST-$LAST" --timeout-ms "$tmo" \
    --concurrency 1000 --no-capture --format json 2>/dev/null >"$ours"
  # (stdout, not --output: probe gives up root, and $XD_WORK is root's)
  read -r w c r < <(median "$BIN" probe --target "$XD_SRV" --port "$FIRST-$LAST" \
    --timeout-ms "$tmo" --concurrency 1000 --no-capture --format json)
  printf "%-44s %9s %9s %8s %10s  %s\n" "probe --timeout-ms $tmo --concurrency 1000" \
    "$w" "$c" "$r" "$(ratio "$w" "$tmo")" "$(states_ours "$ours" | count_states)"
  if [ "$tmo" = 1250 ]; then
    # the default concurrency (1024): every port in one round
    read -r w c r < <(median "$BIN" probe --target "$XD_SRV" --port "$FIRST-$LAST" \
      --timeout-ms "$tmo" --no-capture --format json)
    printf "%-44s %9s %9s %8s %10s\n" "probe --timeout-ms $tmo (default concurrency)" \
      "$w" "$c" "$r" "$(ratio "$w" "$tmo")"
  fi
  nx="$XD_WORK/nmap-$tmpl.xml"
  xd_c nmap -n -sT -Pn -$tmpl --max-rtt-timeout "${tmo}ms" -p "$FIRST-$LAST" \
    -oX "$nx" "$XD_SRV" >/dev/null
  read -r w c r < <(median nmap -n -sT -Pn -$tmpl --max-rtt-timeout "${tmo}ms" \
    -p "$FIRST-$LAST" -oX /dev/null "$XD_SRV")
  printf "%-44s %9s %9s %8s %10s  %s\n" "nmap -sT -$tmpl --max-rtt-timeout ${tmo}ms" \
    "$w" "$c" "$r" "$(ratio "$w" "$tmo")" "$(states_nmap "$nx" | count_states)"
  if diff <(states_ours "$ours") <(states_nmap "$nx") >"$XD_WORK/diff"; then
    echo "   identical states on all $N ports"
  else
    echo "   DIFFERENT states on $(grep -c '^<' "$XD_WORK/diff") ports"
  fi
done

echo
echo "== a peer that accepts and never speaks (HiveServer2's port 10000, and 9000), 5 s timeout; median of $RUNS runs"
echo "   (when TLS and then HTTP each waited the timeout, this took 10 s; now both run within one identification budget)"
xd_start silent "$XD_PY" "$HERE/servers.py" silent "$XD_SRV" 10000 9000 || exit 1
for p in 10000 9000; do
  read -r w c r < <(median "$BIN" probe --target "$XD_SRV" --port $p \
    --timeout-ms 5000 --no-capture --format json)
  printf "%-44s %9s %9s %8s\n" "probe --port $p --timeout-ms 5000" "$w" "$c" "$r"
done

# the loop of 1,000 dig processes takes minutes on a loaded machine
[ "${BENCH_NAMES:-1}" = 0 ] && exit 0
echo
echo "== 1,000 names (A and AAAA each) through dnsmasq at $XD_SRV; median of $RUNS runs"
args=()
for i in $(seq 1 $N); do args+=(--target "n$i.xd.test"); done
read -r w c r < <(median "$BIN" probe "${args[@]}" --dns-server "$XD_SRV" --port 7000 \
  --timeout-ms 2000 --concurrency 1000 --no-capture --format json)
printf "%-44s %9s %9s   (also 1,000 connects to a closed port)\n" \
  "probe, 1,000 --target" "$w" "$c"
cat >"$XD_WORK/digloop.sh" <<EOF
for i in \$(seq 1 $N); do dig +short +time=2 +tries=1 @$XD_SRV n\$i.xd.test A n\$i.xd.test AAAA >/dev/null; done
EOF
read -r w c r < <(median bash "$XD_WORK/digloop.sh")
printf "%-44s %9s %9s\n" "loop of dig (one per name, A+AAAA)" "$w" "$c"
for i in $(seq 1 $N); do echo "n$i.xd.test A"; echo "n$i.xd.test AAAA"; done >"$XD_WORK/batch"
read -r w c r < <(median dig +short +time=2 +tries=1 @"$XD_SRV" -f "$XD_WORK/batch")
printf "%-44s %9s %9s\n" "dig -f (one process, 2,000 queries)" "$w" "$c"
exit 0
