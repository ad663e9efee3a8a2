#!/bin/sh
# docs/emr-bootstrap.sh against a stub `aws` (s3 cp from a local folder):
# passes shellcheck; installs the binary for this machine's architecture
# with cap_net_raw+ep; refuses a binary that does not match SHA256SUMS and
# a SHA256SUMS without its line (nothing installed); starts `listen` on the
# primary node only. Needs root for setcap; exits 77 without it.
#   emr_bootstrap_test.sh SCRIPT XACCT_DOCTOR
set -u
script=${1:?usage: emr_bootstrap_test.sh SCRIPT XACCT_DOCTOR}
bin=${2:?usage}
pass=0 fail=0
ok() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $*"; return 1; fi; }
say() { echo "== $*"; }

[ "$(id -u)" -eq 0 ] || { echo "SKIP: setcap needs root"; exit 77; }
if ! command -v setcap >/dev/null || ! command -v getcap >/dev/null; then
  echo "FAIL: setcap/getcap missing (libcap2-bin)"; exit 1
fi

if command -v shellcheck >/dev/null; then
  say "shellcheck"
  ok shellcheck "$script"
else
  echo "FAIL: shellcheck missing (scripts/deps.d/aws.txt)"; fail=$((fail + 1))
fi

tmp=$(mktemp -d /tmp/xd-emr-boot-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"   # the listen output below is written by nobody
arch=$(uname -m)
s3=$tmp/s3/bucket/xacct-doctor/v1
mkdir -p "$s3" "$tmp/stub"
cp "$bin" "$s3/xacct-doctor-linux-$arch"
echo "fake other arch" >"$s3/xacct-doctor-linux-other"
(cd "$s3" && sha256sum xacct-doctor-linux-* >SHA256SUMS)
# the stub: `aws s3 cp [--only-show-errors] s3://B/K DEST`, from $tmp/s3
cat >"$tmp/stub/aws" <<STUB
#!/bin/sh
echo "\$*" >>"$tmp/aws-calls"
[ "\$1 \$2" = "s3 cp" ] || { echo "stub aws: unexpected \$*" >&2; exit 255; }
shift 2
[ "\$1" = --only-show-errors ] && shift
case \$1 in s3://*) ;; *) echo "stub aws: not an s3 URL: \$1" >&2; exit 1 ;; esac
key=\${1#s3://}
[ -f "$tmp/s3/\$key" ] || { echo "fatal error: An error occurred (404) when calling the HeadObject operation: Key \"\$key\" does not exist" >&2; exit 1; }
cp "$tmp/s3/\$key" "\$2"
STUB
chmod +x "$tmp/stub/aws"
export PATH="$tmp/stub:$PATH"
export XD_INSTALL_DIR="$tmp/bin"
echo '{"isMaster": false, "isRunningResourceManager": false}' >"$tmp/core.json"
echo '{"isMaster": true, "isRunningResourceManager": true}' >"$tmp/primary.json"

say "install on a core node, --listen given: installed, no listen"
XD_EMR_INSTANCE_JSON=$tmp/core.json sh "$script" s3://bucket/xacct-doctor/v1/ \
  --listen 2 --out "$tmp/out-core" >"$tmp/log" 2>&1
ok test $? -eq 0
ok cmp -s "$bin" "$tmp/bin/xacct-doctor"
ok sh -c "getcap '$tmp/bin/xacct-doctor' | grep -q 'cap_net_raw[=+]ep'"
ok grep -q "not the primary node" "$tmp/log"
ok test ! -d "$tmp/out-core"
ok grep -q "s3 cp --only-show-errors s3://bucket/xacct-doctor/v1/xacct-doctor-linux-$arch" "$tmp/aws-calls"
ok sh -c "'$tmp/bin/xacct-doctor' --version | grep -q '^xacct-doctor '"

say "primary node: listen runs in the background and writes observations"
rm -rf "${tmp:?}/bin"
XD_EMR_INSTANCE_JSON=$tmp/primary.json sh "$script" s3://bucket/xacct-doctor/v1 \
  --listen 2 --port 9 --out "$tmp/out" >"$tmp/log" 2>&1
ok test $? -eq 0
ok grep -q "listening for 2 s on ports 9" "$tmp/log"
i=0
while [ $i -lt 60 ] && ! ls "$tmp"/out/listen-*.json >/dev/null 2>&1; do
  sleep 1; i=$((i + 1))
done
ok sh -c "ls '$tmp'/out/listen-*.json >/dev/null 2>&1" || cat "$tmp"/out/listen-*.log
ok sh -c "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '$tmp'/out/listen-*.json"

say "a binary that does not match SHA256SUMS is not installed"
rm -rf "${tmp:?}/bin"
printf 'x' >>"$s3/xacct-doctor-linux-$arch"
sh "$script" s3://bucket/xacct-doctor/v1 >"$tmp/log" 2>&1
ok test $? -ne 0
ok grep -q "does not match" "$tmp/log"
ok test ! -e "$tmp/bin/xacct-doctor"

say "SHA256SUMS without this architecture's line: nothing installed"
grep -v "linux-$arch\$" "$s3/SHA256SUMS" >"$tmp/sums" && cp "$tmp/sums" "$s3/SHA256SUMS"
sh "$script" s3://bucket/xacct-doctor/v1 >"$tmp/log" 2>&1
ok test $? -ne 0
ok grep -q "has no line for xacct-doctor-linux-$arch" "$tmp/log"
ok test ! -e "$tmp/bin/xacct-doctor"

say "not an s3 URL, a bad --listen: usage errors"
sh "$script" /tmp/x >/dev/null 2>&1
ok test $? -eq 2
sh "$script" s3://b/p --listen soon >/dev/null 2>&1
ok test $? -eq 2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
