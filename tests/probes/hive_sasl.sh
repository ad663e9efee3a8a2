#!/bin/bash
# HiveServer2's binary port 10000 is identified by what fits it, a Thrift
# SASL START (issue 20 item 4), beside a TLS handshake, on four real
# servers in the server namespace, all on port 10000:
#   10.99.0.2  the lab's stand-in, as strict as TSaslServerTransport:
#              BAD "Unsupported mechanism type XACCT-DOCTOR-PROBE"
#   10.99.0.4  the same inside TLS (hive.server2.use.SSL=true): the
#              handshake succeeds, the clear SASL START gets no answer
#   10.99.0.5  something else on 10000 (an SSH banner): "answered
#              something else", no crash
#   10.99.0.6  the stand-in's --silent mode: not identified in 1 s
# The probe's text output says so on the port's TCP line.
# Usage: hive_sasl.sh XACCT_DOCTOR
BIN="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"
SERVICES="$HERE/../lab/services.py"
. "$HERE/netns_env.sh"
xd_net_up || exit 1
for a in 10.99.0.4 10.99.0.5 10.99.0.6; do
  xd_s ip addr add "$a/24" dev v1 || exit 1
done
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=hive.xd.test" \
  -addext "subjectAltName=DNS:hive.xd.test,IP:10.99.0.4" \
  -keyout "$XD_WORK/key.pem" -out "$XD_WORK/cert.pem" >/dev/null 2>&1 || exit 1
chmod 644 "$XD_WORK/key.pem" "$XD_WORK/cert.pem"
xd_start hive "$XD_PY" -B "$SERVICES" hive --port 10000 --addr "$XD_SRV" || exit 1
xd_start hive-tls "$XD_PY" -B "$SERVICES" hive --port 10000 --addr 10.99.0.4 \
  --tls-cert "$XD_WORK/cert.pem" --tls-key "$XD_WORK/key.pem" || exit 1
xd_start babble "$XD_PY" "$HERE/servers.py" babble 10.99.0.5 10000 || exit 1
xd_start hive-silent "$XD_PY" -B "$SERVICES" hive --silent --port 10000 \
  --addr 10.99.0.6 || exit 1

f="$XD_WORK/hive.json"
xd_c timeout 30 "$BIN" probe --target "$XD_SRV" --target 10.99.0.4 \
  --target 10.99.0.5 --target 10.99.0.6 --port 10000 --identify-ms 1000 \
  --no-capture --format json >"$f"
rc=$?
[ $rc = 0 ] || { echo "FAIL: exit $rc, want 0 (every port is open)"; cat "$f"; exit 1; }
$XD_PY "$HERE/hive_obs.py" "$f" || exit 1

# the words on each port's TCP line
t="$XD_WORK/hive.txt"
xd_c timeout 30 "$BIN" probe --target "$XD_SRV" --target 10.99.0.6 \
  --port 10000 --identify-ms 1000 --no-capture --no-color >"$t"
grep -q "^  $XD_SRV .*10000  open .*HiveServer2 (Thrift SASL) answered" "$t" ||
  { echo "FAIL: the report does not say HiveServer2 answered:"; cat "$t"; exit 1; }
grep -q '^  10.99.0.6 .*10000  open .*service not identified in 1 s (hiveserver2 by port)' \
  "$t" || { echo "FAIL: the silent peer is not 'not identified in 1 s':"
  cat "$t"; exit 1; }
# the stand-in logged the mechanism it refused: the START reached it
grep -q "mechanism 'XACCT-DOCTOR-PROBE': BAD" "$XD_WORK/hive.log" ||
  { echo "FAIL: the stand-in never saw our START:"; cat "$XD_WORK/hive.log"; exit 1; }
echo "hive_sasl: Thrift SASL identifies HiveServer2; TLS, something else and silence are told apart"
