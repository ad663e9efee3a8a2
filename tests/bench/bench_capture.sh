#!/bin/bash
# Handshake extraction from a large capture: xacct-doctor listen --read
# against tshark with an equivalent display filter, wall time and peak
# memory side by side. Prints figures only.
#
# usage: bench_capture.sh XACCT_DOCTOR GEN_PCAP [PACKETS]
#   BENCH_VERIFY=1 also checks our flows against tshark's on the big file;
#   BENCH_HUGE=N also reads an N-packet capture (20000000: 3 GiB).
set -u
XD=$1
GEN=$2
N=${3:-1000000}
PORTS=8998,10000,8889
T=$(mktemp -d /tmp/xd-bench-capture.XXXXXX)
trap 'rm -rf "$T"' EXIT
# listen --read gives up root before it opens the file: nobody must read it
chmod 755 "$T"

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

"$GEN" --packets "$N" --seed 7 -o "$T/big.pcap" 2>"$T/gen.err" || { cat "$T/gen.err"; exit 1; }
size=$(stat -c %s "$T/big.pcap")
echo "capture: $N packets, $((size / 1048576)) MiB (Ethernet; open, closed, filtered, ICMP-rejected handshakes, data and noise)"

# warm the page cache so both read from memory
cat "$T/big.pcap" >/dev/null

# run CMD... with stdout to $OUT; prints "wall_ms max_rss_kib" of that one
# process (a fresh python per run: RUSAGE_CHILDREN is then that child's)
measure() {
  /usr/bin/python3 - "$@" <<'PY'
import os, resource, subprocess, sys, time
t0 = time.monotonic()
with open(os.environ["OUT"], "wb") as f:
    rc = subprocess.run(sys.argv[1:], stdout=f, stderr=subprocess.DEVNULL).returncode
wall = (time.monotonic() - t0) * 1000
if rc != 0:
    sys.exit(rc)
print("%d %d" % (wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
PY
}

best="" rss=""
for run in 1 2 3; do
  read -r d r < <(OUT="$T/ours.json" measure "$XD" listen --read "$T/big.pcap" \
    --port $PORTS --format json) || exit 1
  if [ -z "$best" ] || [ "$d" -lt "$best" ]; then best=$d; fi
  if [ -z "$rss" ] || [ "$r" -gt "$rss" ]; then rss=$r; fi
done
flows=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["flows"]), "flows,", d["capture"]["kept"], "packets kept")' "$T/ours.json")
printf "%-34s %9s %12s  %s\n" "command" "wall ms" "max RSS MiB" "result"
printf "%-34s %9s %12s  %s\n" "xacct-doctor listen --read" "$best" \
  "$((rss / 1024))" "$flows; best of 3, $(( N * 1000 / (best > 0 ? best : 1) )) packets/s"

if ! command -v tshark >/dev/null; then
  echo "tshark: not installed, no comparison"
  exit 0
fi
FILTER='((tcp.port==8998 || tcp.port==10000 || tcp.port==8889) && (tcp.flags.syn==1 || tcp.flags.reset==1)) || icmp.type==3 || icmpv6.type==1'
read -r td trss < <(OUT="$T/tshark.txt" measure tshark -n -r "$T/big.pcap" \
  -Y "$FILTER" -T fields -e frame.number) || { echo "tshark failed"; exit 1; }
printf "%-34s %9s %12s  %s\n" "tshark -r -Y (equivalent filter)" "$td" \
  "$((trss / 1024))" "$(wc -l <"$T/tshark.txt") packets matched"
/usr/bin/python3 -c "import sys; print('speed-up: %.1fx tshark; memory: %.2fx tshark' % (int(sys.argv[1]) / max(int(sys.argv[2]), 1), int(sys.argv[3]) / max(int(sys.argv[4]), 1)))" "$td" "$best" "$rss" "$trss"
echo "(filter: $FILTER)"

# a capture larger than memory wants: BENCH_HUGE=20000000 (3 GiB) shows
# that listen streams it with the flow table as its only memory
if [ -n "${BENCH_HUGE:-}" ]; then
  "$GEN" --packets "$BENCH_HUGE" --seed 11 -o "$T/huge.pcap" 2>/dev/null || exit 1
  read -r d r < <(OUT="$T/huge.json" measure "$XD" listen --read "$T/huge.pcap" \
    --port $PORTS --format json) || exit 1
  printf "%-34s %9s %12s  %s\n" "listen --read, $((BENCH_HUGE / 1000000))M packets, $(( $(stat -c %s "$T/huge.pcap") / 1048576 )) MiB" \
    "$d" "$((r / 1024))" "$(/usr/bin/python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["capture"]; print(c["flows_tracked"], "flows (the bound),", c["flows_dropped"], "packets of further flows dropped")' "$T/huge.json")"
  rm -f "$T/huge.pcap"
fi

if [ "${BENCH_VERIFY:-0}" = 1 ]; then
  /usr/bin/python3 "$(dirname "$0")/../capture/tshark_flows.py" "$T/big.pcap" "$T/ours.json" --port $PORTS | tail -1
fi
exit 0
