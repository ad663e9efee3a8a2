# tests/hostile.cmake: hostile input against the real program (label
# hostile): truncated, 100 MB, deeply nested, invalid UTF-8 and empty
# files, folders and FIFOs where files belong, symbolic links out of the
# snapshot; CIDRs like 300.1.2.3/33, ports and rule numbers out of range,
# a million rules, loops of security-group references. Every case is made
# at test time in a temporary folder (tests/hostile/hostile.py says what
# each must do). Set XD_HARDEN_BIN to a sanitizer build's xacct-doctor to
# run every case against it as well (hostile_shell, the shell payloads,
# runs against XD_BIN, the sanitizer build's own in its ctest):
#   XD_HARDEN_BIN=build-asan/xacct-doctor ctest -L hostile
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND)
  foreach(group files values)
    add_test(NAME hostile_${group}
             COMMAND ${Python3_EXECUTABLE} ${XD_TEST_DIR}/hostile/hostile.py
                     --bin ${XD_BIN} --source ${XD_SOURCE_DIR} --group ${group})
    set_tests_properties(hostile_${group} PROPERTIES LABELS "hostile"
                         TIMEOUT 1200)
  endforeach()
  # every fixture and example poisoned with shell payloads: ids refused
  # (exit 3), free text quoted in every remediation of every format, each
  # remediation run under a shell whose PATH holds only recording stubs
  # and a canary (tests/hostile/poison.py)
  add_test(NAME hostile_shell
           COMMAND ${Python3_EXECUTABLE} ${XD_TEST_DIR}/hostile/poison.py
                   --bin ${XD_BIN} --source ${XD_SOURCE_DIR})
  set_tests_properties(hostile_shell PROPERTIES LABELS "hostile" TIMEOUT 1200)
endif()
