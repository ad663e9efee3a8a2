# The probe engine and `probe` (issue 5). Label probes. The tests that
# build their own pair of network namespaces with real servers also carry
# lab: they need root and ip netns and exit 77 (skipped) without them.

xd_unit_test(probes_unit SOURCES ${XD_TEST_DIR}/probes/unit_probe.c
             LIBS xd_probes xd_reports LABELS probes)
target_include_directories(probes_unit PRIVATE ${XD_SOURCE_DIR})

# pr_run with the plan fields only `check` fills in (pre-check, DNS
# expectations).
add_executable(probes_plan_driver ${XD_TEST_DIR}/probes/plan_driver.c)
target_include_directories(probes_plan_driver PRIVATE ${XD_SOURCE_DIR})
target_link_libraries(probes_plan_driver PRIVATE xd_probes xd_common)

foreach(t probe_lab nmap_compare dns_edge slow_peers hive_sasl)
  add_test(NAME probes_${t}
           COMMAND bash ${XD_TEST_DIR}/probes/${t}.sh ${XD_BIN})
  set_tests_properties(probes_${t} PROPERTIES LABELS "probes;lab"
                       SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()
add_test(NAME probes_precheck
         COMMAND bash ${XD_TEST_DIR}/probes/precheck.sh
                 $<TARGET_FILE:probes_plan_driver>)
set_tests_properties(probes_precheck PROPERTIES LABELS "probes;lab"
                     SKIP_RETURN_CODE 77 TIMEOUT 300)

# Prints figures only (label bench, not run by default).
add_test(NAME bench_probe
         COMMAND bash ${XD_TEST_DIR}/bench/bench_probe.sh ${XD_BIN})
set_tests_properties(bench_probe PROPERTIES LABELS "bench" TIMEOUT 1800
                     SKIP_RETURN_CODE 77)

# Issue 13 item 9: a loopback server's non-UTF-8 header bytes cannot make
# our own observations unloadable (loopback only; runs as root or not).
add_test(NAME probes_utf8_observations
         COMMAND /usr/bin/python3 ${XD_TEST_DIR}/probes/utf8_obs.py
                 ${XD_BIN} ${XD_SOURCE_DIR})
set_tests_properties(probes_utf8_observations PROPERTIES LABELS "probes"
                     TIMEOUT 120)

# issue 19 item 4: probe --control-plane's Region and marked entries, and
# the options' commands, with no network (unshare -n; skipped parts
# without root)
add_test(NAME probes_control_plane_cli
         COMMAND /usr/bin/python3 ${XD_TEST_DIR}/probes/control_plane_cli.py
                 ${XD_BIN})
set_tests_properties(probes_control_plane_cli PROPERTIES LABELS "probes"
                     TIMEOUT 120)
