#!/bin/bash
# listen's bad input: a missing or garbage pcap, bad options, an --output
# its dropped privileges cannot write, and a live capture without
# permission. Each must exit 3 with a message naming what is wrong and
# write nothing to stdout; a pcap cut short is read up to the cut.
#
# usage: errors_test.sh XACCT_DOCTOR FIXTURE_DIR
set -u
XD=$1
FX=$2/pcap/handshakes-en10mb.pcap
T=$(mktemp -d /tmp/xd-capture-err.XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
fails=0

ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; fails=$((fails + 1)); }

# expect_fail NAME NEEDLE COMMAND...: exit 3, NEEDLE on stderr, no stdout
expect_fail() {
  local name=$1 needle=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -eq 3 ] && grep -qF -- "$needle" "$T/err" && [ ! -s "$T/out" ]; then
    ok "$name: exit 3, names '$needle'"
  else
    bad "$name: exit $rc, stderr: $(head -c 300 "$T/err"), stdout $(wc -c <"$T/out") bytes"
  fi
}

expect_fail "missing pcap" "/nonexistent/capture.pcap" \
  "$XD" listen --read /nonexistent/capture.pcap
printf 'this is not a capture file at all\n%.0s' 1 2 3 >"$T/garbage.pcap"
expect_fail "garbage pcap" "$T/garbage.pcap" "$XD" listen --read "$T/garbage.pcap"
: >"$T/empty.pcap"
expect_fail "empty pcap" "$T/empty.pcap" "$XD" listen --read "$T/empty.pcap"
expect_fail "a folder" "$T" "$XD" listen --read "$T"
expect_fail "bad --from" "--from" "$XD" listen --read "$FX" --from 10.0.0.300/8
expect_fail "bad --port" "--port" "$XD" listen --read "$FX" --port 0
expect_fail "bad --format" "--format" "$XD" listen --read "$FX" --format html
expect_fail "bad --side" "--side" "$XD" listen --read "$FX" --side middle

# cut inside the last record: the flows before the cut, and a warning
size=$(stat -c %s "$FX")
head -c $((size - 7)) "$FX" >"$T/cut.pcap"
if "$XD" listen --read "$T/cut.pcap" --format json >"$T/cut.json" 2>"$T/err" &&
   /usr/bin/python3 - "$T/cut.json" <<'EOF' && grep -qF "$T/cut.pcap" "$T/err"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["capture"]
assert c["truncated"] is True and c["error"], c
assert 5 <= len(d["flows"]) <= 12, len(d["flows"])
EOF
then ok "pcap cut short: exit 0, truncated: true, warning names the file"
else bad "pcap cut short: $(cat "$T/err")"
fi

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  # root drops to nobody: an --output folder only root can write is
  # refused before any packet is read, and nothing is left there
  mkdir -m 700 "$T/rootonly"
  expect_fail "--output not writable after the drop" "not writable" \
    "$XD" listen --read "$FX" --output "$T/rootonly/obs.json"
  if [ -z "$(ls -A "$T/rootonly")" ]; then ok "nothing left in the folder"
  else bad "files left: $(ls -A "$T/rootonly")"; fi
  mkdir -m 1777 "$T/shared"
  if "$XD" listen --read "$FX" --format json --output "$T/shared/obs.json" &&
     /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/shared/obs.json"
  then ok "--output written by the unprivileged process"
  else bad "--output in a writable folder"; fi
  # without permission to capture: exit 3 and say what is needed
  expect_fail "live capture without permission" "CAP_NET_RAW" \
    setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
    "$XD" listen --duration 1 --interface lo
elif [ "$(id -u)" != 0 ]; then
  expect_fail "live capture without permission" "CAP_NET_RAW" \
    "$XD" listen --duration 1 --interface lo
fi

echo "$fails failed"
[ "$fails" -eq 0 ]
