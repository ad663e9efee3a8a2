#!/bin/sh
# Install xacct-doctor on an EMR node: as a bootstrap action (every node,
# before applications start) or as an EMR step (script-runner.jar, primary
# node). Amazon Linux 2 and 2023, x86_64 and Graviton (aarch64).
#
#   emr-bootstrap.sh s3://BUCKET/PREFIX [--listen SECONDS] [--port LIST]
#                    [--out DIR]
#
# 1. copies xacct-doctor-linux-<arch> (arch from uname -m) and SHA256SUMS
#    from s3://BUCKET/PREFIX (what scripts/build-static.sh wrote to dist/),
# 2. checks the binary against SHA256SUMS (a mismatch installs nothing),
# 3. installs it as /usr/local/bin/xacct-doctor with cap_net_raw+ep, so
#    `xacct-doctor listen` captures without root (it drops the capability
#    once the capture is open),
# 4. with --listen SECONDS, and on the primary node only, starts `listen`
#    in the background for that long (bootstrap must not wait for it) and
#    writes the observations to DIR (default /var/log/xacct-doctor).
#
# Bootstrap actions run as the hadoop user with sudo; a step runs as root.
# Overrides for tests: XD_INSTALL_DIR, XD_EMR_INSTANCE_JSON, AWS (the aws
# command).
set -eu

usage() {
  echo "usage: emr-bootstrap.sh s3://BUCKET/PREFIX [--listen SECONDS] [--port LIST] [--out DIR]" >&2
  exit 2
}

[ $# -ge 1 ] || usage
src=${1%/}
shift
case $src in s3://?*) ;; *) usage ;; esac
listen=
ports=8998,10000,8889
out=/var/log/xacct-doctor
while [ $# -gt 0 ]; do
  case $1 in
    --listen) [ $# -ge 2 ] || usage; listen=$2; shift 2 ;;
    --port) [ $# -ge 2 ] || usage; ports=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    *) usage ;;
  esac
done
case $listen in
  '') ;;
  *[!0-9]*|0) echo "emr-bootstrap: --listen takes a number of seconds" >&2; exit 2 ;;
esac

aws=${AWS:-aws}
bindir=${XD_INSTALL_DIR:-/usr/local/bin}
info=${XD_EMR_INSTANCE_JSON:-/mnt/var/lib/info/instance.json}
if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi

case $(uname -m) in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) echo "emr-bootstrap: no xacct-doctor build for $(uname -m)" >&2; exit 1 ;;
esac
file=xacct-doctor-linux-$arch

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$aws" s3 cp --only-show-errors "$src/SHA256SUMS" "$tmp/SHA256SUMS"
"$aws" s3 cp --only-show-errors "$src/$file" "$tmp/$file"

# only this binary's line; sha256sum -c fails on a mismatch or no line
grep "  $file\$" "$tmp/SHA256SUMS" >"$tmp/want" || {
  echo "emr-bootstrap: $src/SHA256SUMS has no line for $file" >&2
  exit 1
}
if ! (cd "$tmp" && sha256sum -c --quiet want); then
  echo "emr-bootstrap: $file does not match $src/SHA256SUMS; nothing installed" >&2
  exit 1
fi

$SUDO install -d -m 0755 "$bindir"
$SUDO install -m 0755 "$tmp/$file" "$bindir/xacct-doctor"
# capture without root; the program drops the capability after opening it
$SUDO setcap cap_net_raw+ep "$bindir/xacct-doctor"
echo "emr-bootstrap: installed $bindir/xacct-doctor ($arch, cap_net_raw+ep)"
"$bindir/xacct-doctor" --version | head -1

[ -n "$listen" ] || exit 0
# instance.json says "isMaster": true on the primary node only
if ! grep -Eq '"isMaster"[[:space:]]*:[[:space:]]*true' "$info" 2>/dev/null; then
  echo "emr-bootstrap: not the primary node ($info): listen not started"
  exit 0
fi
# Run as root (an EMR step), the program drops to nobody once the capture
# is open, so nobody must be able to write the observations; run as hadoop
# with the file capability, it stays hadoop.
if [ "$(id -u)" -eq 0 ]; then owner=nobody; else owner=$(id -u); fi
$SUDO install -d -m 0755 -o "$owner" "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
# in the background: a bootstrap action that waited would hold the cluster
nohup "$bindir/xacct-doctor" listen --duration "$listen" --port "$ports" \
  --format json --output "$out/listen-$stamp.json" \
  >"$out/listen-$stamp.log" 2>&1 </dev/null &
echo "emr-bootstrap: listening for $listen s on ports $ports (pid $!): $out/listen-$stamp.json"
