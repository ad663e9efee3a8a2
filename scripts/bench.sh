#!/bin/sh
# The benchmarks: they print figures (ours beside nmap, dig and tshark in
# the same run) and assert nothing. Release build in build-bench/; the
# probe and capture benchmarks need root for their network namespaces.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
XD_BUILD_DIR="$top/build-bench" "$top/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release
ctest --test-dir "$top/build-bench" -L bench --output-on-failure -V "$@"
