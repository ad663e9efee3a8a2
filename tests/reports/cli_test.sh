#!/bin/bash
# cli_test.sh CASE BIN SOURCE_DIR [BUILD_DIR]
# Drives the real program on the sample results of this folder. Each CASE
# is one ctest test; exit 77 means "skipped" (a tool is missing).
set -u
case_=$1 bin=$2 src=$3 build=${4:-}
here=$src/tests/reports
sample=$here/sample.json hostile=$here/hostile.json
tmp=$(mktemp -d /tmp/xd-reports.XXXXXX)
lockfd_open=0
cleanup() {
  if [ "$lockfd_open" = 1 ]; then exec 9>&-; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect STATUS DESCRIPTION -- COMMAND...
expect() {
  local want=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" = "$want" ]; then ok "$what (exit $got)"
  else bad "$what: exit $got, want $want"; sed 's/^/  stderr: /' "$tmp/err" | head -5; fi
}

case $case_ in
formats)
  # every format through `report --in`, to stdout and to --output
  for f in text json html prometheus junit; do
    expect 2 "report --format $f (critical sample)" -- "$bin" report --in "$sample" --format "$f"
    [ -s "$tmp/out" ] && ok "$f: output" || bad "$f: no output"
    expect 2 "report --format $f -o FILE" -- "$bin" report --in "$sample" --format "$f" -o "$tmp/r.$f"
    [ -s "$tmp/r.$f" ] && [ ! -s "$tmp/out" ] && ok "$f: written to the file only" || bad "$f: --output"
    cmp -s "$tmp/r.$f" <("$bin" report --in "$sample" --format "$f" 2>/dev/null) \
      && ok "$f: file and stdout agree" || bad "$f: file differs from stdout"
  done
  # what the packets showed on a path is in the text and the HTML
  "$bin" report --in "$sample" --format text --no-color 2>/dev/null |
    grep -q 'packets: Studio probe filtered (no-response).*EMR capture 3 SYN arrived, 6 SYN-ACK and 0 RST left; break: return path' \
    && ok "text: observed packets" || bad "text: observed packets missing"
  "$bin" report --in "$sample" --format html 2>/dev/null |
    grep -q '<p class="observed">packets: .*break: return path</p>' \
    && ok "html: observed packets" || bad "html: observed packets missing"
  # the JSON round-trips: rendering it again gives the same text
  "$bin" report --in "$tmp/r.json" --format text --no-color > "$tmp/again.txt" 2>/dev/null
  "$bin" report --in "$sample" --format text --no-color > "$tmp/first.txt" 2>/dev/null
  cmp -s "$tmp/again.txt" "$tmp/first.txt" && ok "json round trip" || bad "json round trip"
  # bad input: exit 3, a message naming the file, no output file
  printf '{"schema": "xacct-doctor.result/1", "status": "ok",\n "findings": [' > "$tmp/trunc.json"
  expect 3 "truncated result" -- "$bin" report --in "$tmp/trunc.json" --format html -o "$tmp/none.html"
  grep -q "trunc.json" "$tmp/err" && ok "error names the file" || bad "error does not name the file"
  [ ! -e "$tmp/none.html" ] && ok "no partial output" || bad "output file left behind"
  ls "$tmp" | grep -q '\.tmp' && bad "temporary file left" || ok "no temporary file"
  ;;
quiet)
  line=$("$bin" report --in "$sample" --quiet)
  rc=$?
  want='XACCT-DOCTOR CRITICAL - 2 critical, 1 warning; 2/6 paths reachable | paths_reachable=2;;;0;6 findings_critical=2 findings_warning=1 duration_ms=1234ms'
  [ "$rc" = 2 ] && ok "quiet exit 2" || bad "quiet exit $rc"
  [ "$line" = "$want" ] && ok "nagios line" || bad "nagios line: '$line'"
  [ "$("$bin" report --in "$sample" --quiet | wc -l)" = 1 ] && ok "one line" || bad "more than one line"
  # perfdata: label=value[UOM];warn;crit;min;max, as Nagios parses it
  perf=${line#*| }
  for kv in $perf; do
    echo "$kv" | grep -Eq "^[a-z_]+=[0-9.]+(ms|s|%)?(;[0-9.]*){0,4}$" \
      && ok "perfdata $kv" || bad "perfdata '$kv'"
  done
  ;;
color)
  command -v script >/dev/null || exit 77
  # a terminal: colour; NO_COLOR or --no-color: none; a pipe: none
  script -qec "'$bin' report --in '$sample'" /dev/null > "$tmp/tty" 2>&1
  grep -q $'\e\[' "$tmp/tty" && ok "colour on a terminal" || bad "no colour on a terminal"
  NO_COLOR=1 script -qec "'$bin' report --in '$sample'" /dev/null > "$tmp/nc" 2>&1
  grep -q $'\e\[' "$tmp/nc" && bad "colour despite NO_COLOR" || ok "NO_COLOR respected"
  script -qec "'$bin' report --in '$sample' --no-color" /dev/null > "$tmp/nc2" 2>&1
  grep -q $'\e\[' "$tmp/nc2" && bad "colour despite --no-color" || ok "--no-color respected"
  "$bin" report --in "$sample" > "$tmp/pipe" 2>&1
  grep -q $'\e\[' "$tmp/pipe" && bad "colour into a pipe" || ok "no colour into a pipe"
  grep -q "xacct-doctor: CRITICAL" "$tmp/nc" && ok "text readable" || bad "text missing"
  # outside strings cannot reach the terminal as escapes
  script -qec "'$bin' report --in '$hostile' --verbose" /dev/null > "$tmp/h" 2>&1
  grep -q $'\e\]0;pwned' "$tmp/h" && bad "escape sequence from data reached the terminal" || ok "data escapes neutralised"
  ;;
html)
  "$bin" report --in "$sample" --format html -o "$tmp/s.html"
  python3 "$here/check_html.py" "$tmp/s.html" 6 4 && ok "sample html" || bad "sample html"
  "$bin" report --in "$hostile" --format html -o "$tmp/h.html"
  python3 "$here/check_html.py" "$tmp/h.html" 6 4 && ok "hostile html" || bad "hostile html"
  for s in '<script>alert(1)</script>' '"><img src=x onerror=alert(1)>' "'><svg onload=alert(1)>"; do
    grep -qF "$s" "$tmp/h.html" && bad "unescaped in html: $s" || ok "escaped: $s"
  done
  if command -v xmllint >/dev/null; then
    # libxml2's HTML parser knows HTML4 only: an HTML5 or SVG element name is
    # "invalid" to it; any other complaint (unclosed or misnested tags, bad
    # entities) is ours
    xmllint --html --noout "$tmp/s.html" 2>&1 | grep 'parser error' | grep -v 'Tag [a-z]* invalid' > "$tmp/lint"
    [ -s "$tmp/lint" ] && { bad "xmllint --html"; head "$tmp/lint"; } || ok "xmllint --html: well nested"
  fi
  ;;
promtool)
  command -v promtool >/dev/null || { echo "promtool missing (Debian package prometheus)"; exit 77; }
  for f in "$sample" "$hostile" "$here/history-blocked.json"; do
    "$bin" report --in "$f" --format prometheus -o "$tmp/m.prom"
    promtool check metrics < "$tmp/m.prom" > "$tmp/pt" 2>&1 \
      && ok "promtool: $(basename "$f")" || { bad "promtool: $(basename "$f")"; cat "$tmp/pt"; }
    [ -s "$tmp/pt" ] && { bad "promtool lint output for $(basename "$f")"; cat "$tmp/pt"; }
    grep -q '^xacct_doctor_path_reachable{' "$tmp/m.prom" && ok "path metric" || bad "no path metric"
  done
  ;;
junit)
  command -v xmllint >/dev/null || exit 77
  for f in "$sample" "$hostile" "$here/history-reachable.json"; do
    "$bin" report --in "$f" --format junit -o "$tmp/j.xml"
    xmllint --noout "$tmp/j.xml" && ok "xmllint: $(basename "$f")" || bad "xmllint: $(basename "$f")"
  done
  "$bin" report --in "$sample" --format junit -o "$tmp/j.xml"
  n=$(xmllint --xpath 'count(//testcase)' "$tmp/j.xml")
  nf=$(xmllint --xpath 'count(//testcase/failure)' "$tmp/j.xml")
  [ "$n" = 16 ] && [ "$nf" = 10 ] && ok "16 testcases, 10 failures" || bad "testcases $n failures $nf"
  xmllint --xpath 'string(//testsuite[@name="paths"]/testcase[1]/failure)' "$tmp/j.xml" | grep -q 'authorize-security-group-ingress' \
    && ok "failure carries the fix" || bad "failure without the finding"
  ;;
browser)
  chromium=$(command -v chromium || true)
  [ -x "$chromium" ] || { echo "chromium missing (Debian package chromium)"; exit 77; }
  for f in sample hostile; do
    "$bin" report --in "$here/$f.json" --format html -o "$tmp/$f.html"
    mkdir -p "$tmp/profile-$f"
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
      --no-first-run --disable-background-networking --disable-component-update \
      --disable-sync --user-data-dir="$tmp/profile-$f" --enable-logging=stderr --v=0 \
      --screenshot="$tmp/$f.png" --window-size=1280,2000 "file://$tmp/$f.html" \
      > "$tmp/chrome-$f.out" 2> "$tmp/chrome-$f.err"
    rc=$?
    [ "$rc" = 0 ] && ok "$f: chromium exit 0" || bad "$f: chromium exit $rc"
    [ -s "$tmp/$f.png" ] && [ "$(stat -c %s "$tmp/$f.png")" -gt 20000 ] \
      && ok "$f: screenshot $(stat -c %s "$tmp/$f.png") bytes" || bad "$f: no screenshot"
    if grep -E "Refused to|Content.Security.Policy|net::ERR_|CONSOLE|Uncaught|console" "$tmp/chrome-$f.err" | grep -v 'dbus\|gpu\|Fontconfig' > "$tmp/blocked"; then
      bad "$f: blocked request or console message"; head -5 "$tmp/blocked"
    else
      ok "$f: no console error, nothing blocked"
    fi
    [ -n "${XD_KEEP_SCREENSHOTS:-}" ] && cp "$tmp/$f.png" "$XD_KEEP_SCREENSHOTS/$f.png"
  done
  # the detector works: the same page with a script slipped in is caught
  # (the CSP blocks it; chromium says so on the console log)
  sed 's|<main>|<main><script>document.title="ran"</script>|' "$tmp/sample.html" > "$tmp/injected.html"
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$tmp/profile-inj" --enable-logging=stderr --v=0 \
    --screenshot="$tmp/inj.png" --window-size=1280,800 "file://$tmp/injected.html" \
    > /dev/null 2> "$tmp/chrome-inj.err"
  grep -q "Content Security Policy" "$tmp/chrome-inj.err" && ok "an injected script is reported as blocked" \
    || bad "CSP violation not detected in the control page"
  # the page was rendered: the DOM chromium built holds the diagrams
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$tmp/profile-dom" --dump-dom \
    "file://$tmp/sample.html" > "$tmp/dom.html" 2>/dev/null
  [ "$(grep -o '<svg class="hops"' "$tmp/dom.html" | wc -l)" = 6 ] && ok "dom: 6 diagrams" || bad "dom: diagrams missing"
  grep -q '<h1>CRITICAL</h1>' "$tmp/dom.html" && ok "dom: banner" || bad "dom: banner missing"
  ;;
lock)
  command -v flock >/dev/null || exit 77
  lock=$tmp/run.lock
  exec 9>"$lock"; lockfd_open=1
  flock -n 9 || { bad "could not take the lock for the test"; exit 1; }
  expect 3 "second run while the lock is held" -- "$bin" analyze --snapshot "$tmp/nosnap" --lock "$lock"
  grep -q "holds the lock $lock" "$tmp/err" && ok "message names the lock" || bad "message: $(cat "$tmp/err")"
  # the default lock, taken only with --history
  export XDG_RUNTIME_DIR=$tmp
  exec 8>"$tmp/xacct-doctor.lock"; flock -n 8
  expect 3 "--history takes the default lock" -- "$bin" analyze --snapshot "$tmp/nosnap" --history "$tmp/h"
  grep -q "holds the lock $tmp/xacct-doctor.lock" "$tmp/err" && ok "default lock in XDG_RUNTIME_DIR" || bad "default lock: $(cat "$tmp/err")"
  "$bin" analyze --snapshot "$tmp/nosnap" > /dev/null 2> "$tmp/err"
  grep -q "holds the lock" "$tmp/err" && bad "lock without --lock/--history" || ok "no lock without --lock/--history"
  exec 8>&-
  flock -u 9; exec 9>&-; lockfd_open=0
  "$bin" analyze --snapshot "$tmp/nosnap" --lock "$lock" > /dev/null 2> "$tmp/err"
  grep -q "holds the lock" "$tmp/err" && bad "lock still refused after release" || ok "runs once the lock is free"
  ;;
history)
  # end to end on the examples: a healthy run kept, then the broken one
  # (same ids, the EMR route back to Studio replaced and a rule removed)
  healthy=$src/examples/healthy broken=$src/examples/broken
  [ -d "$healthy" ] && [ -d "$broken" ] || { echo "examples/healthy or examples/broken missing"; exit 77; }
  export XDG_RUNTIME_DIR=$tmp
  h=$tmp/history
  expect 0 "healthy run kept" -- "$bin" analyze --snapshot "$healthy" --history "$h" --format json
  expect 2 "broken run" -- "$bin" analyze --snapshot "$broken" --history "$h" --format json -o "$tmp/broken.json"
  [ "$(ls "$h" | grep -c '^result-.*\.json$')" = 2 ] && ok "two results kept" || bad "history: $(ls "$h")"
  python3 - "$tmp/broken.json" <<'PY' && ok "changes name the route table" || bad "changes"
import json, sys
r = json.load(open(sys.argv[1]))
ch = r.get("changes", [])
rt = [c for c in ch if c["hop_kind"] == "route-table" and c["path"]["to"]["port"] == 8998]
assert rt, ch
c = rt[0]
assert "10.0.20.0/24 -> pcx-" in c["before"], c
assert c["after"] and "10.0.20.0/24 -> pcx-" not in c["after"], c
assert c["since"] and c["since"] <= r["started_at"], c
print("change:", c["resource"], "was", repr(c["before"]), "now", repr(c["after"]))
PY
  "$bin" report --in "$tmp/broken.json" --no-color > "$tmp/broken.txt"
  grep -q "Changes since the last run in which each path was reachable" "$tmp/broken.txt" \
    && grep -q "was: route 10.0.20.0/24 -> pcx-" "$tmp/broken.txt" \
    && ok "text shows what changed" || bad "text lacks the changes"
  "$bin" report --in "$tmp/broken.json" --format html -o "$tmp/broken.html"
  grep -q 'id="changes"' "$tmp/broken.html" && grep -q "route 10.0.20.0/24 -&gt; pcx-" "$tmp/broken.html" \
    && ok "html shows what changed" || bad "html lacks the changes"
  # retention through the program
  for i in 1 2 3; do "$bin" analyze --snapshot "$healthy" --history "$h" --history-keep 2 > /dev/null; done
  [ "$(ls "$h" | grep -c '^result-')" = 2 ] && ok "--history-keep 2" || bad "retention: $(ls "$h" | wc -l) files"
  ;;
man)
  command -v groff >/dev/null || exit 77
  page=$src/docs/xacct-doctor.1
  groff -man -Tutf8 -ww -z "$page" 2> "$tmp/warn"
  [ -s "$tmp/warn" ] && { bad "groff warnings"; cat "$tmp/warn"; } || ok "groff -man -ww: no warning"
  MANWIDTH=80 groff -man -Tutf8 "$page" 2>/dev/null | col -b > "$tmp/page.txt" 2>/dev/null || \
    groff -man -Tascii "$page" > "$tmp/page.txt"
  for w in NAME SYNOPSIS COMMANDS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES \
           --history-keep --lock --format --no-color NO_COLOR AWS_PROFILE \
           check analyze probe listen fetch report explain --read --pcap-out; do
    grep -q -- "$w" "$tmp/page.txt" && ok "man: $w" || bad "man page lacks $w"
  done
  # every option the program parses is documented
  for opt in $(grep -o '{"[a-z-]*", [0-9a-z'"'"']*, \(true\|false\)' "$src/cli/args.c" | sed 's/{"\([a-z-]*\)".*/\1/'); do
    grep -q -- "--$opt" "$tmp/page.txt" && ok "man: --$opt" || bad "man page lacks --$opt"
  done
  if command -v man >/dev/null; then
    MANWIDTH=80 man -l "$page" > /dev/null 2> "$tmp/manerr"
    [ -s "$tmp/manerr" ] && { bad "man -l"; cat "$tmp/manerr"; } || ok "man -l"
  fi
  ;;
package)
  command -v cpack >/dev/null || exit 77
  [ -n "$build" ] && [ -f "$build/CPackConfig.cmake" ] || { echo "no CPackConfig.cmake in $build"; exit 77; }
  cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/pkg" > "$tmp/cpack-deb.log" 2>&1 \
    && ok "cpack -G DEB" || { bad "cpack -G DEB"; tail -20 "$tmp/cpack-deb.log"; }
  deb=$(ls "$tmp"/pkg/*.deb 2>/dev/null | head -1)
  if [ -n "$deb" ]; then
    dpkg-deb -c "$deb" > "$tmp/deb.list"
    for p in ./usr/bin/xacct-doctor ./usr/share/man/man1/xacct-doctor.1 \
             ./usr/share/doc/xacct-doctor/cron/xacct-doctor.timer ./usr/share/doc/xacct-doctor/support-guide.md; do
      grep -q " $p" "$tmp/deb.list" && ok "deb holds $p" || bad "deb lacks $p"
    done
    dpkg-deb -f "$deb" Depends | grep -q libpcap && ok "deb depends on libpcap" || bad "deb Depends: $(dpkg-deb -f "$deb" Depends)"
  else
    bad "no .deb produced"
  fi
  if command -v rpmbuild >/dev/null; then
    cpack --config "$build/CPackConfig.cmake" -G RPM -B "$tmp/pkg" > "$tmp/cpack-rpm.log" 2>&1 \
      && ok "cpack -G RPM" || { bad "cpack -G RPM"; tail -20 "$tmp/cpack-rpm.log"; }
    rpmf=$(ls "$tmp"/pkg/*.rpm 2>/dev/null | head -1)
    if [ -n "$rpmf" ]; then
      rpm -qlp "$rpmf" 2>/dev/null > "$tmp/rpm.list"
      grep -q '^/usr/bin/xacct-doctor$' "$tmp/rpm.list" && ok "rpm holds the program" || bad "rpm lacks the program"
      grep -q 'man1/xacct-doctor.1' "$tmp/rpm.list" && ok "rpm holds the man page" || bad "rpm lacks the man page"
      rpm -qRp "$rpmf" 2>/dev/null | grep -q 'libpcap' && ok "rpm requires libpcap" || bad "rpm requires: $(rpm -qRp "$rpmf" 2>/dev/null | tr '\n' ' ')"
    else
      bad "no .rpm produced"
    fi
  else
    echo "rpmbuild missing (Debian package rpm): .rpm not tested"
  fi
  ;;
*)
  echo "unknown case $case_"; exit 2 ;;
esac
echo "$fails failed"
[ "$fails" = 0 ]
