# The analyzer (issue 3): rule engines, the front door on fixtures, the
# fixture corpus through the real program, and the finding catalogue
# against docs/findings.md. Labels: unit;analyzer. The benchmark is label
# bench (not run by default).
find_package(Python3 COMPONENTS Interpreter QUIET)
set(XD_AZ_FIXTURES ${XD_TEST_DIR}/fixtures/analyzer)

xd_unit_test(analyzer_rules SOURCES ${XD_TEST_DIR}/unit/test_az_rules.c
             LIBS xd_analyzer LABELS analyzer)
# IAM conditions, boundaries and the trust's principals (issue 18)
xd_unit_test(analyzer_iam_cond SOURCES ${XD_TEST_DIR}/unit/test_az_iam_cond.c
             LIBS xd_analyzer LABELS analyzer)
xd_unit_test(analyzer_front_door SOURCES ${XD_TEST_DIR}/unit/test_az_analyze.c
             LIBS xd_analyzer LABELS analyzer)
# the one command-line builder of every remediation, and the id shapes
xd_unit_test(analyzer_cmdline SOURCES ${XD_TEST_DIR}/unit/test_cmdline.c
             LIBS xd_analyzer LABELS analyzer)
# the control plane's cross-check against control-plane paths (issue 19)
xd_unit_test(analyzer_cp_crosscheck
             SOURCES ${XD_TEST_DIR}/unit/test_cp_crosscheck.c
             LIBS xd_analyzer LABELS "analyzer;crosscheck")
# also the generator of docs/findings.md (--write)
xd_unit_test(analyzer_findings_doc SOURCES ${XD_TEST_DIR}/unit/test_findings_doc.c
             LIBS xd_analyzer LABELS analyzer)

if(Python3_Interpreter_FOUND)
  # one test per snapshot folder: status, exit code, culprit resource and
  # code, number of criticals, paths, remediation
  file(GLOB _az_fixtures LIST_DIRECTORIES true ${XD_AZ_FIXTURES}/*)
  foreach(_dir ${_az_fixtures})
    if(EXISTS ${_dir}/expect.json)
      get_filename_component(_name ${_dir} NAME)
      add_test(NAME analyzer_fixture_${_name}
               COMMAND ${Python3_EXECUTABLE} ${XD_AZ_FIXTURES}/check.py
                       ${XD_BIN} ${_dir})
      set_tests_properties(analyzer_fixture_${_name} PROPERTIES
                           LABELS "unit;analyzer" TIMEOUT 60)
    endif()
  endforeach()
  add_test(NAME analyzer_fixtures_distinct_ids
           COMMAND ${Python3_EXECUTABLE} ${XD_AZ_FIXTURES}/check.py
                   --distinct-ids ${XD_AZ_FIXTURES})
  add_test(NAME analyzer_fixtures_generated
           COMMAND ${Python3_EXECUTABLE} ${XD_AZ_FIXTURES}/gen.py --check)
  set_tests_properties(analyzer_fixtures_distinct_ids analyzer_fixtures_generated
                       PROPERTIES LABELS "unit;analyzer")
  # check inside a Studio space: its metadata file is the intent (issue 17)
  add_test(NAME analyzer_studio_metadata
           COMMAND ${Python3_EXECUTABLE} ${XD_TEST_DIR}/unit/studio_metadata.py
                   ${XD_BIN} ${XD_AZ_FIXTURES})
  set_tests_properties(analyzer_studio_metadata PROPERTIES LABELS "unit;analyzer"
                       TIMEOUT 120)

  # issue 12: the status never contradicts the paths, on every snapshot of
  # the corpus (fixtures, cross-check cases, examples; found on disk) whole
  # and with the EMR accounts' EC2 and IAM files, the list-instances files
  # or the Studio account's IAM file removed
  add_executable(render_status ${XD_TEST_DIR}/invariants/render_status.c)
  target_include_directories(render_status PRIVATE ${XD_SOURCE_DIR})
  target_link_libraries(render_status PRIVATE xd_reports xd_common)
  add_test(NAME analyzer_status_invariants
           COMMAND ${Python3_EXECUTABLE} ${XD_TEST_DIR}/invariants/status_rules.py
                   ${XD_BIN} $<TARGET_FILE:render_status> ${XD_SOURCE_DIR})
  set_tests_properties(analyzer_status_invariants PROPERTIES
                       LABELS "unit;analyzer" TIMEOUT 600)

  add_test(NAME analyzer_bench
           COMMAND ${XD_TEST_DIR}/bench/bench_analyzer.sh ${XD_BIN})
  set_tests_properties(analyzer_bench PROPERTIES LABELS "bench" TIMEOUT 900)
endif()
