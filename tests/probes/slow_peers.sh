#!/bin/bash
# Peers that hold a probe: one accepts and never speaks (the TLS and HTTP
# probes must time out cleanly), one sends an endless body (the read must
# stop at 1 MiB). `timeout` turns a hang into a failure.
# Usage: slow_peers.sh XACCT_DOCTOR
BIN="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/netns_env.sh"
xd_env_up || exit 1
f="$XD_WORK/slow.json"
xd_c timeout 30 "$BIN" probe --target "$XD_SRV" --port 10000,8999 \
  --timeout-ms 1000 --no-capture --format json >"$f"
rc=$?
[ $rc = 0 ] || { echo "FAIL: exit $rc, want 0 (both ports are open)"; exit 1; }
$XD_PY "$HERE/check_obs.py" slow "$f" 1000
