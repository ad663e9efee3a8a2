# The analyzer (issue 3): rule engines, the front door on fixtures, the
# fixture corpus through the real program, and the finding catalogue
# against docs/findings.md. Labels: unit;analyzer. The benchmark is label
# bench (not run by default).
find_package(Python3 COMPONENTS Interpreter QUIET)
set(XD_AZ_FIXTURES ${XD_TEST_DIR}/fixtures/analyzer)

xd_unit_test(analyzer_rules SOURCES ${XD_TEST_DIR}/unit/test_az_rules.c
             LIBS xd_analyzer LABELS analyzer)
xd_unit_test(analyzer_front_door SOURCES ${XD_TEST_DIR}/unit/test_az_analyze.c
             LIBS xd_analyzer LABELS analyzer)
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

  add_test(NAME analyzer_bench
           COMMAND ${XD_TEST_DIR}/bench/bench_analyzer.sh ${XD_BIN})
  set_tests_properties(analyzer_bench PROPERTIES LABELS "bench" TIMEOUT 900)
endif()
