# tests/valgrind.cmake: memcheck (label valgrind, not run with the others:
# scripts/test.sh runs `ctest -L valgrind` on its own). Every C unit test
# (a test labelled unit that runs a program of this build) is run again
# under valgrind, found by walking the tests the other tests/*.cmake files
# declared (this file is included last), so a new unit test is covered
# without a change here; the fuzz replays run their regression inputs; and
# the program runs `analyze` on examples/broken in every format, `report
# --in` on a saved result, and `listen --read` on each fixture capture.
# Any memcheck error or definite leak fails the test. valgrind and ASan do
# not mix: none of this exists in a sanitizer build.
find_program(XD_VALGRIND valgrind)
if(XD_VALGRIND AND NOT XD_SANITIZE AND NOT XD_FUZZ)
  set(XD_VG ${XD_VALGRIND} -q --vgdb=no --error-exitcode=99 --leak-check=full
            --errors-for-leak-kinds=definite --show-leak-kinds=definite
            --track-origins=yes --num-callers=30)

  get_property(_all DIRECTORY PROPERTY TESTS)
  foreach(t ${_all})
    get_test_property(${t} LABELS _labels)
    if(NOT _labels OR NOT "unit" IN_LIST _labels OR NOT TARGET ${t})
      continue()
    endif()
    get_target_property(_type ${t} TYPE)
    if(NOT _type STREQUAL "EXECUTABLE")
      continue()
    endif()
    if(t MATCHES "^fuzzreg_")
      # the regression inputs only: the seed corpus under valgrind would
      # take many minutes
      string(REGEX REPLACE "^fuzzreg_" "" _name ${t})
      if(NOT EXISTS ${XD_TEST_DIR}/fuzz/regress/${_name})
        continue()
      endif()
      add_test(NAME valgrind_${t}
               COMMAND ${XD_VG} $<TARGET_FILE:${t}>
                       ${XD_TEST_DIR}/fuzz/regress/${_name})
    else()
      add_test(NAME valgrind_${t} COMMAND ${XD_VG} $<TARGET_FILE:${t}>)
    endif()
    get_test_property(${t} ENVIRONMENT _env)
    get_test_property(${t} SKIP_RETURN_CODE _skip)
    get_test_property(${t} WORKING_DIRECTORY _wd)
    set_tests_properties(valgrind_${t} PROPERTIES LABELS "valgrind"
                         TIMEOUT 900)
    if(_env)
      set_tests_properties(valgrind_${t} PROPERTIES ENVIRONMENT "${_env}")
    endif()
    if(_skip)
      set_tests_properties(valgrind_${t} PROPERTIES SKIP_RETURN_CODE ${_skip})
    endif()
    if(_wd)
      set_tests_properties(valgrind_${t} PROPERTIES WORKING_DIRECTORY ${_wd})
    endif()
  endforeach()

  # The program: exit 0, 1 or 2 is a result; 99 is memcheck's verdict.
  set(_vgrun "\"$@\" >/dev/null; rc=$?; echo \"exit $rc\"; [ $rc -le 2 ]")
  foreach(fmt text json html prometheus junit)
    add_test(NAME valgrind_analyze_broken_${fmt}
             COMMAND sh -c "${_vgrun}" valgrind ${XD_VG} ${XD_BIN} analyze
                     --snapshot ${XD_SOURCE_DIR}/examples/broken --format ${fmt})
    set_tests_properties(valgrind_analyze_broken_${fmt} PROPERTIES
                         LABELS "valgrind" TIMEOUT 600)
  endforeach()
  add_test(NAME valgrind_report_sample
           COMMAND sh -c "${_vgrun}" valgrind ${XD_VG} ${XD_BIN} report
                   --in ${XD_TEST_DIR}/reports/sample.json --format html)
  set_tests_properties(valgrind_report_sample PROPERTIES LABELS "valgrind"
                       TIMEOUT 600)
  file(GLOB _pcaps ${XD_TEST_DIR}/fixtures/pcap/*.pcap)
  foreach(p ${_pcaps})
    get_filename_component(_n ${p} NAME_WE)
    add_test(NAME valgrind_listen_${_n}
             COMMAND sh -c "${_vgrun}" valgrind ${XD_VG} ${XD_BIN} listen
                     --read ${p} --format json)
    set_tests_properties(valgrind_listen_${_n} PROPERTIES LABELS "valgrind"
                         TIMEOUT 600)
  endforeach()
endif()
