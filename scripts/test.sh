#!/bin/sh
# The README's second command: every test. Builds (normal and sanitizer
# builds), then runs ctest: unit, loader, analyzer, reports, aws, probes,
# capture, lab and static tests (the lab, probe, capture and chroot cases
# need root and network namespaces; without them they report "skipped";
# the static release binaries of dist/ are built first), then the unit
# tests again under AddressSanitizer + UBSan, and the fuzz harnesses for a
# bounded time. Benchmarks (label bench) are separate: scripts/bench.sh.
# The last step, whether the tests passed or not, compares the process list
# with a snapshot taken before the first: any process the suite started and
# left running (a server a test did not stop) fails the run, by name.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

# the test tools first: the process snapshot below needs python3
"$top/scripts/deps.sh" test

# every process the suite starts inherits this mark, even one whose parent
# is gone; scripts/leftovers.py looks for it after the last test
XD_TEST_RUN="$$.$(date +%s%N)"
export XD_TEST_RUN
procs=$(mktemp /tmp/xd-procs.XXXXXX)
python3 "$top/scripts/leftovers.py" snapshot "$procs"
finish() {
  rc=$?
  trap - EXIT
  echo "== processes left running by the suite"
  python3 "$top/scripts/leftovers.py" check "$procs" --mark "$XD_TEST_RUN" \
    --tree "$top" || rc=1
  rm -f "$procs"
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM


echo "== build"
XD_BUILD_DIR="$top/build" "$top/scripts/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== static release binaries (dist/; libraries cached in \${XD_STATIC_DIR:-~/.cache/xacct-doctor/static})"
sh "$top/scripts/build-static.sh"
echo "== tests"
ctest --test-dir "$top/build" --output-on-failure -j"$jobs" -LE 'bench|fuzz|valgrind'

echo "== sanitizer build (address, undefined) and unit tests"
XD_BUILD_DIR="$top/build-asan" "$top/scripts/build.sh" -DCMAKE_BUILD_TYPE=Debug -DXD_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$top/build-asan" --output-on-failure -j"$jobs" -L 'unit|hostile' -LE 'bench|fuzz|valgrind|lab'

if [ -d "$top/tests/fuzz" ] && ls "$top"/tests/fuzz/*.c >/dev/null 2>&1 && command -v clang >/dev/null 2>&1; then
  echo "== fuzz harnesses (bounded: ${XD_FUZZ_SECONDS:-60} s each)"
  XD_BUILD_DIR="$top/build-fuzz" CC=clang "$top/scripts/build.sh" -DCMAKE_BUILD_TYPE=Debug -DXD_FUZZ=ON -DXD_SANITIZE=ON
  ctest --test-dir "$top/build-fuzz" --output-on-failure -L fuzz
fi

if ctest --test-dir "$top/build" -N -L valgrind 2>/dev/null | grep -q 'Total Tests: [1-9]'; then
  echo "== valgrind memcheck"
  ctest --test-dir "$top/build" --output-on-failure -L valgrind
fi
echo "== all tests passed"
