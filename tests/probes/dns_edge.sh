#!/bin/bash
# DNS that misbehaves: a server that never answers, one that answers
# garbage, one whose answer is cut off, a port where nothing listens, a
# SERVFAIL and a REFUSED (handed over, not retried elsewhere). Each
# must end in a clear rcode, within the timeout (`timeout` guards against a
# hang), and count as CRITICAL (2). Usage: dns_edge.sh XACCT_DOCTOR
BIN="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/netns_env.sh"
xd_env_up || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
run() {  # server want-rcode note
  local f="$XD_WORK/dns-$1.json"
  xd_c timeout 20 "$BIN" probe --target livy.xd.test --dns-server "$1" \
    --port 8998 --timeout-ms 900 --no-capture --format json >"$f"
  local rc=$?
  [ $rc = 2 ] || fail "$1: exit $rc, want 2 (124 means it hung)"
  $XD_PY "$HERE/check_obs.py" dns "$f" "$2" "$3" || fail "$1"
}
run "$XD_SRV:5353" timeout "no answer within"
run "$XD_SRV:5354" timeout "could not be used"
run "$XD_SRV:5355" malformed "could not be parsed"
run "$XD_SRV:5399" conn-refused "port unreachable"
run "$XD_SRV:5356" SERVFAIL ""
run "$XD_SRV:5357" REFUSED ""
echo "dns_edge: $fails failed"
[ $fails = 0 ]
