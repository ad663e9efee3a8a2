#!/bin/bash
# Handshake extraction from a large capture: xacct-doctor listen --read
# against tshark with an equivalent display filter. Prints figures only.
#
# usage: bench_capture.sh XACCT_DOCTOR GEN_PCAP [PACKETS]
#   BENCH_VERIFY=1 also checks our flows against tshark's on the big file.
set -u
XD=$1
GEN=$2
N=${3:-1000000}
PORTS=8998,10000,8889
T=$(mktemp -d /tmp/xd-bench-capture.XXXXXX)
trap 'rm -rf "$T"' EXIT

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

"$GEN" --packets "$N" --seed 7 -o "$T/big.pcap" 2>"$T/gen.err" || { cat "$T/gen.err"; exit 1; }
size=$(stat -c %s "$T/big.pcap")
echo "capture: $N packets, $((size / 1048576)) MiB (Ethernet; open, closed, filtered, ICMP-rejected handshakes, data and noise)"

# warm the page cache so both read from memory
cat "$T/big.pcap" >/dev/null

best=""
for run in 1 2 3; do
  t0=$(now)
  "$XD" listen --read "$T/big.pcap" --port $PORTS --format json >"$T/ours.json" || exit 1
  t1=$(now)
  d=$(ms "$t0" "$t1")
  if [ -z "$best" ] || [ "$d" -lt "$best" ]; then best=$d; fi
done
flows=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["flows"]), d["capture"]["kept"])' "$T/ours.json")
echo "xacct-doctor listen --read: ${best} ms (best of 3), $(( N * 1000 / (best > 0 ? best : 1) )) packets/s; flows and packets kept: $flows"

if ! command -v tshark >/dev/null; then
  echo "tshark: not installed, no comparison"
  exit 0
fi
FILTER='((tcp.port==8998 || tcp.port==10000 || tcp.port==8889) && (tcp.flags.syn==1 || tcp.flags.reset==1)) || icmp.type==3 || icmpv6.type==1'
t0=$(now)
tshark -n -r "$T/big.pcap" -Y "$FILTER" -T fields -e frame.number >"$T/tshark.txt" 2>"$T/tshark.err" ||
  { echo "tshark failed: $(grep -v 'Running as user' "$T/tshark.err")"; exit 1; }
t1=$(now)
td=$(ms "$t0" "$t1")
echo "tshark -r -Y '$FILTER': ${td} ms, $(wc -l <"$T/tshark.txt") packets matched"
/usr/bin/python3 -c "import sys; print('speed-up: %.1fx tshark' % (int(sys.argv[1]) / max(int(sys.argv[2]), 1)))" "$td" "$best"

if [ "${BENCH_VERIFY:-0}" = 1 ]; then
  /usr/bin/python3 "$(dirname "$0")/../capture/tshark_flows.py" "$T/big.pcap" "$T/ours.json" --port $PORTS | tail -1
fi
exit 0
