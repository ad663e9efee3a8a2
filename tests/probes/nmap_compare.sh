#!/bin/bash
# Every state and reason of `probe` against nmap -sT -Pn --reason on the
# same ports, IPv4 and IPv6. Where nmap -sT cannot see the ICMP code (it
# reads only errno: admin-prohibited arrives as EHOSTUNREACH), the reason
# must be the one nmap -sS reads from the ICMP packet. Usage:
# nmap_compare.sh XACCT_DOCTOR
BIN="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/netns_env.sh"
command -v nmap >/dev/null 2>&1 || xd_skip "needs nmap"
xd_env_up || exit 1
PORTS=8998,8443,10000,7000-7008
fails=0
for fam in 4 6; do
  if [ $fam = 4 ]; then ip=$XD_SRV; six=""; else ip=$XD_SRV6; six="-6"; fi
  xd_c timeout 120 "$BIN" probe --target "$ip" --port "$PORTS" --timeout-ms 2000 \
    --no-capture --format json >"$XD_WORK/ours$fam.json"
  [ $? = 2 ] || { echo "FAIL: probe exit status"; fails=$((fails + 1)); }
  # On a veth the ICMP error for the first SYN can arrive while connect()
  # still holds the socket; Linux then keeps it as a soft error and only
  # the SYN retransmitted a second later aborts the connect. nmap -sT sees
  # that one only if it waits longer than a second (probe reads the first
  # from the error queue). A mismatch re-measures nmap (never probe) once.
  for try in 1 2; do
    xd_c timeout 120 nmap $six -n -sT -Pn --reason --min-rtt-timeout 1500ms \
      --max-retries 1 -p "$PORTS" -oX "$XD_WORK/st$fam.xml" "$ip" >/dev/null
    xd_c timeout 120 nmap $six -n -sS -Pn --reason --max-retries 1 \
      -p "$PORTS" -oX "$XD_WORK/ss$fam.xml" "$ip" >/dev/null
    $XD_PY "$HERE/nmap_compare.py" "$XD_WORK/ours$fam.json" "$XD_WORK/st$fam.xml" \
      "$XD_WORK/ss$fam.xml" && break
    [ $try = 1 ] && echo "(mismatch: running nmap again)" || fails=$((fails + 1))
  done
done
echo "nmap_compare: $fails failed"
[ $fails = 0 ]
