# Reports and operations (issue 8): the renderers, cron support (lock,
# history, "what changed"), the man page and the packages. Label: reports.
# Tests that need an outside tool (promtool, chromium, rpmbuild) report
# "skipped" (exit 77) where it is missing; scripts/deps.d/reports.txt
# installs them.

xd_unit_test(reports_render SOURCES ${XD_TEST_DIR}/reports/test_reports.c
             LIBS xd_reports LABELS reports)
target_include_directories(reports_render PRIVATE ${XD_SOURCE_DIR})

# cli/cron.c is part of the program, not of a library: compiled in here.
xd_unit_test(reports_cron SOURCES ${XD_TEST_DIR}/reports/test_cron.c
             ${XD_SOURCE_DIR}/cli/cron.c LIBS xd_common LABELS reports)
target_include_directories(reports_cron PRIVATE ${XD_SOURCE_DIR})

foreach(case formats quiet color html promtool junit browser lock history man
             package)
  add_test(NAME reports_cli_${case}
           COMMAND bash ${XD_TEST_DIR}/reports/cli_test.sh ${case} ${XD_BIN}
                   ${XD_SOURCE_DIR} ${CMAKE_BINARY_DIR})
  set_tests_properties(reports_cli_${case} PROPERTIES
    LABELS "reports" SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()
# cpack runs the install step into the build tree: keep it apart from a
# parallel ctest that might be rebuilding nothing, but reading the same tree
set_tests_properties(reports_cli_package PROPERTIES LABELS "reports;package"
                     RUN_SERIAL TRUE)

# Issue 13 item 6: HTML flow grouping and Prometheus de-duplication grow
# linearly (n log n). Correctness bounded here; figures under label bench.
add_test(NAME reports_scaling
         COMMAND /usr/bin/python3 ${XD_TEST_DIR}/bench/bench_reports.py
                 ${XD_BIN} ${XD_TEST_DIR}/reports/sample.json --check)
set_tests_properties(reports_scaling PROPERTIES LABELS "reports" TIMEOUT 300)
add_test(NAME bench_reports
         COMMAND /usr/bin/python3 ${XD_TEST_DIR}/bench/bench_reports.py
                 ${XD_BIN} ${XD_TEST_DIR}/reports/sample.json --bench)
set_tests_properties(bench_reports PROPERTIES LABELS "bench" TIMEOUT 3600)
