#!/bin/bash
# Peers that hold a probe: two accept and never speak (TLS and HTTP must
# end cleanly within the identification budget, not the timeout; on
# HiveServer2's port no HTTP is asked), one sends an endless body (the
# read must stop at 1 MiB). `timeout` turns a hang into a failure.
# Usage: slow_peers.sh XACCT_DOCTOR
BIN="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/netns_env.sh"
xd_env_up || exit 1
# a silent acceptor on a port of no known service too: TLS and HTTP are
# both tried there, side by side, within one identification budget
xd_start silent9000 "$XD_PY" "$HERE/servers.py" silent "$XD_SRV" 9000 || exit 1
f="$XD_WORK/slow.json"
xd_c timeout 30 "$BIN" probe --target "$XD_SRV" --port 10000,8999,9000 \
  --timeout-ms 20000 --identify-ms 1000 --no-capture --format json >"$f"
rc=$?
[ $rc = 0 ] || { echo "FAIL: exit $rc, want 0 (every port is open)"; exit 1; }
$XD_PY "$HERE/check_obs.py" slow "$f" 1000 20000 9000 || exit 1
# and the report says so in words, on the port's TCP line
xd_c timeout 30 "$BIN" probe --target "$XD_SRV" --port 10000 --no-capture \
  --no-color >"$XD_WORK/slow.txt"
grep -q '10000  open .*service not identified in 1 s (hiveserver2 by port)' \
  "$XD_WORK/slow.txt" || { echo "FAIL: the report does not say the service"\
  "was not identified in 1 s:"; cat "$XD_WORK/slow.txt"; exit 1; }
echo "slow_peers: the report says 'service not identified in 1 s'"
