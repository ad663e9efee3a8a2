# The loader area: the snapshot loader (analyzer/snapshot*.c, model.c),
# the bundled examples, and the common pieces the loader rests on
# (netaddr, portlist, UTF-8 and JSON errors, atomic files, buf, arena).
#   ctest -L loader            everything below but the benchmark
#   ctest -R bench_loader -V   the load-time figures (label bench)
xd_unit_test(test_netaddr SOURCES ${XD_TEST_DIR}/unit/test_netaddr.c
             LABELS loader)
xd_unit_test(test_common SOURCES ${XD_TEST_DIR}/unit/test_common.c
             LABELS loader)
xd_unit_test(test_loader SOURCES ${XD_TEST_DIR}/unit/test_loader.c
             LIBS xd_analyzer LABELS loader)
xd_unit_test(test_loader_cases SOURCES ${XD_TEST_DIR}/unit/test_loader_cases.c
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

if(XD_FUZZ)
  # the loader's sources compiled into the harness, so that the fuzzer's
  # coverage reaches them
  file(GLOB XD_LOADER_SRC ${XD_SOURCE_DIR}/analyzer/snapshot*.c)
  add_executable(fuzz_snapshot ${XD_TEST_DIR}/loader/fuzz_snapshot.c
                 ${XD_LOADER_SRC} ${XD_SOURCE_DIR}/analyzer/model.c
                 ${XD_SOURCE_DIR}/analyzer/intent.c)
  target_include_directories(fuzz_snapshot PRIVATE ${XD_SOURCE_DIR})
  target_compile_options(fuzz_snapshot PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_snapshot PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(fuzz_snapshot PRIVATE xd_common)
  # bounded by XD_FUZZ_SECONDS (60 by default); new inputs go to the build
  # tree, the committed seeds (the healthy example's files) stay as they are
  add_test(NAME fuzz_snapshot
           COMMAND sh -c "mkdir -p corpus-snapshot && exec \"$0\" -max_total_time=\${XD_FUZZ_SECONDS:-60} -rss_limit_mb=2048 -dict=${XD_TEST_DIR}/loader/snapshot.dict corpus-snapshot ${XD_TEST_DIR}/loader/fuzz-seeds"
                   $<TARGET_FILE:fuzz_snapshot>
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(fuzz_snapshot PROPERTIES LABELS "fuzz" TIMEOUT 900)
endif()
