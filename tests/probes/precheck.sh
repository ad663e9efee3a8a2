#!/bin/bash
# The Studio client's pre-check (pr_plan.precheck_*) and the DNS
# expectations, through the engine's API, as `check` will call it.
# Usage: precheck.sh PLAN_DRIVER
DRV="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/netns_env.sh"
xd_env_up || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pc() {  # name want-exit args... -- check args...
  local name="$1" want="$2"; shift 2
  local args=() f="$XD_WORK/pc-$name.json"
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  xd_c timeout 30 "$DRV" --dns-server "$XD_SRV" --pc-timeout-ms 1000 \
    --timeout-ms 1000 "${args[@]}" >"$f"
  local rc=$?
  [ $rc = "$want" ] || fail "$name: exit $rc, want $want"
  $XD_PY "$HERE/check_obs.py" "$1" "$f" "${@:2}" || fail "$name"
}
# private address filtered on 8443, public one serves HTTPS: public is used
pc private-filtered 0 --private private.xd.test --public public.xd.test \
  --pc-port 8443 -- precheck true public https filtered
# private name reachable, plain HTTP: private is used, http
pc private-ok 0 --private livy.xd.test --public public.xd.test --pc-port 8998 \
  -- precheck true private http open
# private refused, public accepts but serves no HTTPS: the client's message
pc public-not-https 2 --private private.xd.test --public public.xd.test \
  --pc-port 8998 -- precheck false - - closed \
  "Cannot connect to livy service at private.xd.test:8998"
# private name does not resolve, no public name
pc unresolved 2 --private missing.xd.test --pc-port 8998 \
  -- precheck false - - - "Cannot connect to livy service at missing.xd.test:8998"
# the DNS answer is the public address where the private one was expected
pc expect-public 2 --target emr.xd.test --port 8998 --expect-name emr.xd.test \
  --expect-private "$XD_SRV2" --expect-public "$XD_SRV" \
  -- expect emr.xd.test false "peering DNS option"
# the expected name need not be a target: it is resolved all the same
pc expect-ok 0 --target "$XD_SRV" --port 8998 --expect-name private.xd.test \
  --expect-private "$XD_SRV2" --expect-public "$XD_SRV" \
  -- expect private.xd.test true
echo "precheck: $fails failed"
[ $fails = 0 ]
