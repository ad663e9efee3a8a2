# tests/fuzz.cmake: the fuzz harnesses of every parser of outside input
# (docs/fuzzing.md). Two ways to build each harness tests/fuzz/fuzz_NAME.c:
#
#  - with -DXD_FUZZ=ON and CC=clang: fuzz_NAME, a libFuzzer program with
#    ASan and UBSan, linked against copies of the rooms' libraries built
#    with coverage (-fsanitize=fuzzer-no-link). ctest -L fuzz runs each one
#    for XD_FUZZ_SECONDS (60 by default) from seeds built out of the
#    fixtures by tests/fuzz/make_corpus.py into the build tree; a crash,
#    leak, timeout or sanitizer report fails the test.
#  - always: fuzzreg_NAME, the same harness with tests/fuzz/driver.c as
#    main(), which replays tests/fuzz/regress/NAME/ (every crash the
#    fuzzers found, kept once fixed) and the seeds. Labels unit and
#    regress, so the sanitizer pass of scripts/test.sh replays them.
#
# The loader's harness (tests/loader/fuzz_snapshot.c) and the capture
# tracker's (tests/capture/fuzz_tracker.c) are registered here as well, as
# snapshot and tracker.
set(XD_FUZZ_SRC ${XD_TEST_DIR}/fuzz)
set(XD_FUZZ_WORK ${CMAKE_CURRENT_BINARY_DIR}/fuzz)
find_package(Python3 COMPONENTS Interpreter QUIET)

# name|harness source|extra sources|rooms it needs besides reports and
# common (fuzz_util.c renders results)
set(XD_FUZZ_LIST
  "snapshot|${XD_TEST_DIR}/loader/fuzz_snapshot.c||analyzer"
  "tracker|${XD_TEST_DIR}/capture/fuzz_tracker.c||probes"
  "intent|${XD_FUZZ_SRC}/fuzz_intent.c||analyzer"
  "analyze|${XD_FUZZ_SRC}/fuzz_analyze.c|${XD_FUZZ_SRC}/fuzz_base.c|analyzer"
  "policy|${XD_FUZZ_SRC}/fuzz_policy.c|${XD_FUZZ_SRC}/fuzz_base.c|analyzer"
  "observations|${XD_FUZZ_SRC}/fuzz_observations.c|${XD_FUZZ_SRC}/fuzz_base.c|analyzer"
  "result|${XD_FUZZ_SRC}/fuzz_result.c||"
  "aws_xml|${XD_FUZZ_SRC}/fuzz_aws_xml.c||aws"
  "aws_json|${XD_FUZZ_SRC}/fuzz_aws_json.c|${XD_FUZZ_SRC}/fuzz_base.c|analyzer,aws"
  "http|${XD_FUZZ_SRC}/fuzz_http.c||probes"
  "thrift|${XD_FUZZ_SRC}/fuzz_thrift.c||probes"
  "json_arena|${XD_FUZZ_SRC}/fuzz_json_arena.c||")

set(XD_FUZZ_DEFS
  XD_FUZZ_EXAMPLE="${XD_SOURCE_DIR}/examples/healthy"
  XD_FUZZ_FILES="${XD_FUZZ_SRC}/analyze_files.txt")

# The seeds and dictionaries, made at test time from the fixtures as they
# are now (the program adds results and observations of its own).
if(Python3_Interpreter_FOUND)
  add_test(NAME fuzz_seeds
           COMMAND ${Python3_EXECUTABLE} ${XD_FUZZ_SRC}/make_corpus.py
                   --source ${XD_SOURCE_DIR} --out ${XD_FUZZ_WORK}
                   --bin ${XD_BIN})
  set_tests_properties(fuzz_seeds PROPERTIES LABELS "unit;regress"
                       FIXTURES_SETUP xd_fuzz_seeds TIMEOUT 300)
endif()

function(xd_fuzz_target out name src extra libs)
  add_executable(${out} ${src} ${extra} ${XD_FUZZ_SRC}/fuzz_util.c ${ARGN})
  target_include_directories(${out} PRIVATE ${XD_SOURCE_DIR} ${XD_FUZZ_SRC})
  target_compile_definitions(${out} PRIVATE ${XD_FUZZ_DEFS})
  target_link_libraries(${out} PRIVATE ${libs})
endfunction()

foreach(entry ${XD_FUZZ_LIST})
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 name)
  list(GET parts 1 src)
  list(GET parts 2 extra)
  list(GET parts 3 rooms)
  string(REPLACE "," ";" rooms "${rooms}")
  set(regress ${XD_FUZZ_SRC}/regress/${name})
  set(replay "")
  if(EXISTS ${regress})
    set(replay ${regress})
  endif()

  # the replay, in every build
  set(libs "")
  foreach(room ${rooms} reports common)
    list(APPEND libs xd_${room})
  endforeach()
  xd_fuzz_target(fuzzreg_${name} ${name} ${src} "${extra}" "${libs}"
                 ${XD_FUZZ_SRC}/driver.c)
  add_test(NAME fuzzreg_${name}
           COMMAND fuzzreg_${name} ${replay} ${XD_FUZZ_WORK}/seeds-${name})
  set_tests_properties(fuzzreg_${name} PROPERTIES
    LABELS "unit;regress" FIXTURES_REQUIRED xd_fuzz_seeds TIMEOUT 300)
  list(APPEND XD_FUZZREG_TESTS "fuzzreg_${name}|${replay}")
endforeach()
set(XD_FUZZREG_TESTS ${XD_FUZZREG_TESTS})

if(XD_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(WARNING "XD_FUZZ needs clang (CC=clang): no fuzz harnesses built")
  else()
    # The rooms again, with coverage for the fuzzer, the sanitizers, and
    # nothing else changed: same sources, same dependencies.
    set(_cov -fsanitize=fuzzer-no-link,address,undefined
             -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
    foreach(room common analyzer reports probes aws)
      get_target_property(_srcs xd_${room} SOURCES)
      add_library(xdfz_${room} STATIC ${_srcs})
      target_include_directories(xdfz_${room} PUBLIC ${XD_SOURCE_DIR}
                                 ${CMAKE_BINARY_DIR}/generated)
      target_compile_options(xdfz_${room} PRIVATE ${_cov})
    endforeach()
    target_link_libraries(xdfz_common PUBLIC PkgConfig::CJSON m)
    target_link_libraries(xdfz_analyzer PUBLIC xdfz_common)
    target_link_libraries(xdfz_reports PUBLIC xdfz_common)
    target_link_libraries(xdfz_probes PUBLIC xdfz_common PkgConfig::CARES
                          PkgConfig::CURL PkgConfig::SSL PkgConfig::PCAP)
    target_link_libraries(xdfz_aws PUBLIC xdfz_common PkgConfig::CURL
                          PkgConfig::SSL PkgConfig::EXPAT)

    foreach(entry ${XD_FUZZ_LIST})
      string(REPLACE "|" ";" parts "${entry}")
      list(GET parts 0 name)
      list(GET parts 1 src)
      list(GET parts 2 extra)
      list(GET parts 3 rooms)
      string(REPLACE "," ";" rooms "${rooms}")
      set(libs "")
      foreach(room ${rooms} reports common)
        list(APPEND libs xdfz_${room})
      endforeach()
      xd_fuzz_target(fuzz_${name} ${name} ${src} "${extra}" "${libs}")
      target_compile_options(fuzz_${name} PRIVATE
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer -g)
      target_link_options(fuzz_${name} PRIVATE
        -fsanitize=fuzzer,address,undefined)
      set(_seeds ${XD_FUZZ_WORK}/seeds-${name})
      if(name STREQUAL "snapshot")
        list(APPEND _seeds ${XD_TEST_DIR}/loader/fuzz-seeds)
      endif()
      if(EXISTS ${XD_FUZZ_SRC}/regress/${name})
        list(APPEND _seeds ${XD_FUZZ_SRC}/regress/${name})
      endif()
      add_test(NAME fuzz_${name}
               COMMAND sh ${XD_FUZZ_SRC}/run_fuzz.sh $<TARGET_FILE:fuzz_${name}>
                       ${name} ${XD_FUZZ_WORK} ${_seeds})
      # bounded by XD_FUZZ_SECONDS; the timeout is only a backstop
      set_tests_properties(fuzz_${name} PROPERTIES LABELS "fuzz"
        FIXTURES_REQUIRED xd_fuzz_seeds TIMEOUT 1800 RUN_SERIAL TRUE)
    endforeach()
  endif()
endif()

# Reads past a (text, length) input, caught in every build: each input ends
# where an inaccessible page begins (the over-reads the fuzzers found).
xd_unit_test(regress_bounds SOURCES ${XD_FUZZ_SRC}/test_bounds.c
             LIBS xd_aws xd_probes LABELS regress)
target_include_directories(regress_bounds PRIVATE ${XD_SOURCE_DIR})
