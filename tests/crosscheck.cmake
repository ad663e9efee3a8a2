# The cross-check of observations against the configuration, replayed
# offline from observations captured in the lab (tests/fixtures/crosscheck:
# each case is a lab scenario's snapshot plus what `check` saw from Studio
# and `listen` saw on the primary node). The live version of the same runs
# in the lab cases (tests/lab/diagnose).
set(_xc ${XD_TEST_DIR}/fixtures/crosscheck)
set(_j j-3KQ7ZP1XW5R2B)
function(xd_crosscheck name)
  add_test(NAME crosscheck_${name}
           COMMAND python3 ${XD_TEST_DIR}/crosscheck/check_fixture.py ${XD_BIN} ${ARGN})
  set_tests_properties(crosscheck_${name} PROPERTIES LABELS "analyzer;crosscheck")
endfunction()
xd_crosscheck(healthy ${_xc}/healthy ok - -)
xd_crosscheck(host_firewall ${_xc}/host-firewall critical HOST_FIREWALL_DROPS ${_j}
              "SYN arrived, 0 SYN-ACK")
xd_crosscheck(nothing_listens ${_xc}/livy-not-running critical SERVICE_NOT_LISTENING ${_j}
              "RST from the server")
xd_crosscheck(return_path ${_xc}/route-missing-emr critical ROUTE_MISSING rtb-08eaf2b4c6d8e0f25
              "SYN-ACK left; Studio side: no SYN-ACK arrived")
xd_crosscheck(syn_never_arrives ${_xc}/sg-missing-8998 critical SG_INGRESS_MISSING sg-0e4058102c3e46f8b
              "EMR-side capture: no SYN arrived")
xd_crosscheck(stale_allows ${_xc}/stale-snapshot critical CONFIG_ALLOWS_TRAFFIC_DIES ${_j}
              "no SYN arrived")
xd_crosscheck(dns_public ${_xc}/dns-option-off critical PEERING_DNS_RESOLUTION_DISABLED pcx-0f90112233445566a
              "resolved to the public address")
# healthy traffic against a snapshot that says 8998 is blocked: stale
xd_crosscheck(stale_blocks ${_xc}/healthy critical CONFIG_BLOCKS_TRAFFIC_PASSES sg-0e4058102c3e46f8b
              "open (syn-ack)" --snapshot sg-missing-8998)
# a pending peering also stops DNS over it: one root cause, one critical,
# with the public DNS answer as its evidence
xd_crosscheck(dns_behind_pending_peering ${_xc}/peering-pending critical
              PEERING_PENDING_ACCEPTANCE pcx-0f90112233445566a "resolved to the public address")
# issue 19 item 4: the control plane from the packets' side (the lab's
# control-plane scenarios; check also probes sts/elasticmapreduce on 443)
set(_svpc vpc-0a1b2c3d4e5f60718)
xd_crosscheck(control_plane_healthy ${_xc}/control-plane-endpoints ok - -)
# the same endpoints probed without the lab's CA: the certificate does not
# verify, as the SDK in Studio would refuse it
xd_crosscheck(control_plane_tls ${_xc}/control-plane-tls critical
              CONTROL_PLANE_PROBE_TLS vpce-0c1d2e3f405162738,vpce-0d2e3f40516273849 "unable to get local issuer certificate")
# the configuration names the endpoint, and the packets confirm it
xd_crosscheck(control_plane_public ${_xc}/control-plane-private-dns-off critical
              VPCE_PRIVATE_DNS_OFF vpce-0c1d2e3f405162738,vpce-0d2e3f40516273849 "203.0.113.10 (public)")
# company DNS servers that do not forward: the answer names the server
xd_crosscheck(dns_company_servers ${_xc}/dns-company-servers critical
              DNS_ANSWER_NO_ADDRESS dopt-0b7c8d9e0f1a2b3c4 "from 10.0.5.10, which is not the Amazon resolver")
