#!/bin/sh
# tests/fuzz/run_fuzz.sh HARNESS NAME WORKDIR [SEED_DIR...]
# One bounded libFuzzer run, as ctest -L fuzz does it: new inputs go to
# WORKDIR/corpus-NAME (kept between runs, never committed), crashes to
# WORKDIR/artifacts-NAME/. XD_FUZZ_SECONDS (60) bounds the run; any crash,
# leak, timeout (10 s per input) or sanitizer report fails it.
set -u
bin=$1 name=$2 work=$3
shift 3
secs=${XD_FUZZ_SECONDS:-60}
mkdir -p "$work/corpus-$name" "$work/artifacts-$name" || exit 2
dict=
[ -f "$work/$name.dict" ] && dict="-dict=$work/$name.dict"
seeds=
for d in "$@"; do
  [ -d "$d" ] && seeds="$seeds $d"
done
# abort_on_error: a report ends the run at once with a crash file;
# detect_leaks: a leak per input is a finding too
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
# shellcheck disable=SC2086
"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts-$name/" $dict \
  "$work/corpus-$name" $seeds
rc=$?
if [ $rc -ne 0 ]; then
  echo "fuzz_$name: FAILED (exit $rc). The input that did it is in" \
       "$work/artifacts-$name/; replay it with: $bin FILE" >&2
  echo "Once fixed, add it to tests/fuzz/regress/$name/ (docs/fuzzing.md)." >&2
fi
exit $rc
