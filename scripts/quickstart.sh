#!/bin/sh
# The README's first command: install what is needed, build, and run the
# main job on the bundled example (the broken two-account setup).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh" build
"$top/scripts/build.sh"
echo
echo "== xacct-doctor analyze --snapshot examples/broken"
set +e
"$top/build/xacct-doctor" analyze --snapshot "$top/examples/broken"
status=$?
set -e
echo
case $status in
  0) echo "exit status 0: OK" ;;
  1) echo "exit status 1: WARNING" ;;
  2) echo "exit status 2: CRITICAL (the example is broken on purpose; see examples/README.md)" ;;
  *) echo "exit status $status: UNKNOWN (the run itself failed)"; exit 1 ;;
esac
echo "Next: build/xacct-doctor analyze --snapshot examples/healthy, or xacct-doctor --help"
