#!/bin/sh
# Install every build and test dependency of xacct-doctor on Debian 12.
# The package lists are in scripts/deps.d/*.txt (one package a line, # for
# comments), so each part of the project names what it needs. Safe to run
# twice: apt-get install skips what is already there.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pkgs=$(cat "$here"/deps.d/*.txt | sed 's/#.*//' | tr -s ' \t' '\n' | sort -u | grep -v '^$')

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
# tshark asks whether non-root users may capture; answer no without a prompt
echo "wireshark-common wireshark-common/install-setuid boolean false" |
  $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
