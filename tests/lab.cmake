# The network-namespace lab (tests/lab/README.md). Every concrete scenario
# in tests/lab/scenarios/ is a case lab_<scenario>: bring it up, check it
# with plain tools against its "expect", check that its snapshot loads,
# tear it down. The cases need root and `ip netns`; without them they are
# skipped (77). They share the resource lock "lab", so that a run never
# has two of them building namespaces at once; other areas' tests that
# use the lab should take the same lock.
file(GLOB XD_LAB_SCENARIO_FILES CONFIGURE_DEPENDS
     ${XD_TEST_DIR}/lab/scenarios/*.json)
list(SORT XD_LAB_SCENARIO_FILES)
foreach(f ${XD_LAB_SCENARIO_FILES})
  get_filename_component(s ${f} NAME_WE)
  file(READ ${f} _body)
  string(REGEX MATCH "\"abstract\"[ \t\r\n]*:[ \t\r\n]*true" _abstract "${_body}")
  if(_abstract)
    continue()
  endif()
  add_test(NAME lab_${s}
           COMMAND ${XD_TEST_DIR}/lab/run-case --bin ${XD_BIN} ${s})
  set_tests_properties(lab_${s} PROPERTIES
    LABELS "lab" SKIP_RETURN_CODE 77 RESOURCE_LOCK lab TIMEOUT 180)
endforeach()

# up twice, exec, info, no way out of the lab, down leaves nothing
add_test(NAME lab_lifecycle COMMAND ${XD_TEST_DIR}/lab/test-lifecycle)
set_tests_properties(lab_lifecycle PROPERTIES
  LABELS "lab" SKIP_RETURN_CODE 77 RESOURCE_LOCK lab TIMEOUT 180)

# every scenario's snapshot, without the network (no root needed)
add_test(NAME lab_snapshots
         COMMAND ${XD_TEST_DIR}/lab/test-snapshots --bin ${XD_BIN})
set_tests_properties(lab_snapshots PROPERTIES LABELS "lab" TIMEOUT 180)

# the demo runs through and leaves no namespace behind
add_test(NAME lab_demo COMMAND ${XD_TEST_DIR}/lab/test-demo ${XD_BIN})
set_tests_properties(lab_demo PROPERTIES
  LABELS "lab" SKIP_RETURN_CODE 77 RESOURCE_LOCK lab TIMEOUT 240)

# --timeout and SIGINT/SIGTERM end a check cleanly with a partial result
add_test(NAME lab_interrupt COMMAND ${XD_TEST_DIR}/lab/test-interrupt ${XD_BIN})
set_tests_properties(lab_interrupt PROPERTIES
  LABELS "lab" SKIP_RETURN_CODE 77 RESOURCE_LOCK lab TIMEOUT 180)

# memcheck on a lab run: listen, check, analyze and every report format
add_test(NAME lab_valgrind COMMAND ${XD_TEST_DIR}/lab/test-valgrind ${XD_BIN})
set_tests_properties(lab_valgrind PROPERTIES
  LABELS "lab;valgrind" SKIP_RETURN_CODE 77 RESOURCE_LOCK lab TIMEOUT 400)

# `check` with no arguments in a lab Studio space, as uid 1000: metadata at
# /opt/ml/metadata, container credentials at 169.254.170.2 in the Studio
# namespace, the loopback AWS answering from the lab's snapshot; a private
# space (OK), the shared space (blocked at the EMR group), a profile role
# that may not assume the discovery role
add_test(NAME lab_studio_space
         COMMAND ${XD_TEST_DIR}/lab/test-studio-space ${XD_BIN})
set_tests_properties(lab_studio_space PROPERTIES
  LABELS "lab" SKIP_RETURN_CODE 77 RESOURCE_LOCK lab TIMEOUT 400)

# Issue 20's first row: a whole check of a healthy lab (label bench:
# prints figures, not run by default).
add_test(NAME bench_lab_check
         COMMAND /usr/bin/python3 ${XD_TEST_DIR}/bench/bench_lab_check.py
                 ${XD_BIN} 5)
set_tests_properties(bench_lab_check PROPERTIES LABELS "bench" TIMEOUT 600
                     SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)
