#!/bin/sh
# Install the dependencies of xacct-doctor on Debian 12.
#   deps.sh build   what building and running need: scripts/deps.d/base.txt
#                   (scripts/quickstart.sh)
#   deps.sh [test]  that and every test tool: every scripts/deps.d/*.txt
#                   (scripts/test.sh, CI)
# One package a line, # for comments, so each part of the project names what
# it needs; a name ending in :arm64 is a multiarch package (the static
# aarch64 build), for which the arm64 architecture is added. Safe to run
# twice: apt-get install skips what is already there.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case ${1:-test} in
  build) lists=$here/deps.d/base.txt ;;
  test) lists=$(ls "$here"/deps.d/*.txt) ;;
  *) echo "usage: deps.sh [build|test]" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086
pkgs=$(cat $lists | sed 's/#.*//' | tr -s ' \t' '\n' | sort -u | grep -v '^$')

if [ "$(id -u)" -eq 0 ]; then
  SUDO=
elif command -v sudo >/dev/null 2>&1; then
  SUDO=sudo
else
  echo "deps.sh: run as root (or install sudo)" >&2
  exit 1
fi

missing=
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "deps.sh: every dependency is installed"
  exit 0
fi
echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
case $missing in
  *:arm64*)
    dpkg --print-foreign-architectures | grep -qx arm64 ||
      $SUDO dpkg --add-architecture arm64 ;;
esac
# tshark asks whether non-root users may capture; answer no without a prompt
echo "wireshark-common wireshark-common/install-setuid boolean false" |
  $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
