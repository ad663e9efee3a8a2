# The loader area: the snapshot loader (analyzer/snapshot*.c, model.c),
# the bundled examples, and the common pieces the loader rests on
# (netaddr, portlist, UTF-8 and JSON errors, atomic files, buf, arena).
#   ctest -L loader            everything below but the benchmark
#   ctest -R bench_loader -V   the load-time figures (label bench)
xd_unit_test(test_netaddr SOURCES ${XD_TEST_DIR}/unit/test_netaddr.c
             LABELS loader)
xd_unit_test(test_common SOURCES ${XD_TEST_DIR}/unit/test_common.c
             LABELS loader)
# the log's redaction table and control-character filter (issue 13)
xd_unit_test(test_log SOURCES ${XD_TEST_DIR}/unit/test_log.c LABELS loader)
xd_unit_test(test_loader SOURCES ${XD_TEST_DIR}/unit/test_loader.c
             LIBS xd_analyzer LABELS loader)
xd_unit_test(test_loader_cases SOURCES ${XD_TEST_DIR}/unit/test_loader_cases.c
             LIBS xd_analyzer LABELS loader)
# issue 19's DNS files: DHCP options sets, Route 53 Resolver rules
xd_unit_test(test_loader_dns SOURCES ${XD_TEST_DIR}/unit/test_loader_dns.c
             LIBS xd_analyzer LABELS loader)

# The program itself: exit status 3, stderr naming file and line, nothing
# on stdout, no --output file on error; the result document on success.
add_test(NAME loader_cli
         COMMAND sh ${XD_TEST_DIR}/loader/cli_errors.sh ${XD_BIN} ${XD_SOURCE_DIR})
set_tests_properties(loader_cli PROPERTIES LABELS "loader")

add_executable(bench_loader ${XD_TEST_DIR}/bench/bench_loader.c)
target_link_libraries(bench_loader PRIVATE xd_analyzer xd_common)
add_test(NAME bench_loader COMMAND bench_loader)
set_tests_properties(bench_loader PROPERTIES LABELS "bench")

# The loader's fuzz harness (tests/loader/fuzz_snapshot.c) is built and run
# by tests/fuzz.cmake, with the others (label fuzz).
