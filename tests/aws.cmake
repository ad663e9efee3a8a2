# tests/aws.cmake: the AWS client (label aws). Everything talks to
# 127.0.0.1 only (IMDS is disabled or pointed there, the container endpoint
# is a FULL_URI there). botocore (Debian's python3-botocore, run by
# /usr/bin/python3) is the reference for signatures and for the JSON the
# AWS CLI prints. The loopback tests also carry the label "unit" so the
# sanitizer pass of scripts/test.sh runs the C client under ASan/UBSan.
set(XD_AWS_PY /usr/bin/python3)

xd_unit_test(test_aws_unit SOURCES ${XD_TEST_DIR}/aws/test_aws_unit.c
             LIBS xd_aws LABELS aws)

foreach(tool aws_sign_tool aws_xml_tool aws_creds_tool)
  add_executable(${tool} ${XD_TEST_DIR}/aws/${tool}.c)
  target_link_libraries(${tool} PRIVATE xd_aws xd_common)
endforeach()
# the two batch tools share their stdin/stdout frame
foreach(tool aws_sign_tool aws_xml_tool)
  target_sources(${tool} PRIVATE ${XD_TEST_DIR}/aws/tool_io.c)
endforeach()

# (1) SigV4 against botocore's signer on generated requests
add_test(NAME aws_sigv4_vs_botocore
  COMMAND ${XD_AWS_PY} ${XD_TEST_DIR}/aws/sigv4_vs_botocore.py
          --tool $<TARGET_FILE:aws_sign_tool> --cases 600)
# XML answers -> the CLI's JSON, against botocore's parsers, every member
add_test(NAME aws_xml_vs_botocore
  COMMAND ${XD_AWS_PY} ${XD_TEST_DIR}/aws/xml_vs_botocore.py
          --tool $<TARGET_FILE:aws_xml_tool>)
# (3) the credential chain, Region and endpoints
add_test(NAME aws_creds_chain
  COMMAND ${XD_AWS_PY} ${XD_TEST_DIR}/aws/creds_chain.py
          --tool $<TARGET_FILE:aws_creds_tool>)
set_tests_properties(aws_sigv4_vs_botocore aws_xml_vs_botocore aws_creds_chain
  PROPERTIES LABELS "aws;unit" TIMEOUT 300)

# (2) and (4): fetch against the loopback AWS that checks every signature
foreach(scenario discovery intent failures secrets)
  add_test(NAME aws_fetch_${scenario}
    COMMAND ${XD_AWS_PY} ${XD_TEST_DIR}/aws/fetch_e2e.py
            --xd ${XD_BIN} ${scenario})
  set_tests_properties(aws_fetch_${scenario} PROPERTIES
    LABELS "aws;unit" TIMEOUT 300)
endforeach()

# issue 20: calls side by side: the same snapshot as one at a time, byte
# for byte, whatever the order of answers; botocore's standard retries
foreach(scenario identical retries)
  add_test(NAME aws_fetch_concurrent_${scenario}
    COMMAND ${XD_AWS_PY} ${XD_TEST_DIR}/aws/fetch_concurrent.py
            --xd ${XD_BIN} ${scenario})
  set_tests_properties(aws_fetch_concurrent_${scenario} PROPERTIES
    LABELS "aws;unit" TIMEOUT 300)
endforeach()

# The fetch benchmark (figures only, label bench): 0 and 200 ms per answer,
# one call at a time beside 16 in flight
add_test(NAME bench_fetch
  COMMAND ${XD_AWS_PY} ${XD_TEST_DIR}/bench/bench_fetch.py ${XD_BIN} 3)
set_tests_properties(bench_fetch PROPERTIES LABELS "bench" TIMEOUT 900)

# issue 15: read access per account and refusals as findings, against the
# loopback AWS that enforces IAM (fakeiam.py); fetch, then analyze/check
foreach(scenario discovery-only read-role assume-refused placeholders
                 traffic-only merge fake-strict)
  add_test(NAME aws_access_${scenario}
    COMMAND ${XD_AWS_PY} ${XD_TEST_DIR}/aws/access_e2e.py
            --xd ${XD_BIN} ${scenario})
  set_tests_properties(aws_access_${scenario} PROPERTIES
    LABELS "aws;unit" TIMEOUT 300)
endforeach()

# docs/collect.sh: syntax (and shellcheck when installed), then, when the
# AWS CLI is installed, the same snapshot as fetch from the loopback AWS
add_test(NAME aws_collect_syntax
  COMMAND sh -c "bash -n \"$0\" && if command -v shellcheck >/dev/null 2>&1; then shellcheck \"$0\"; else echo 'shellcheck not installed: syntax only'; fi"
          ${XD_SOURCE_DIR}/docs/collect.sh)
add_test(NAME aws_collect_vs_fetch
  COMMAND ${XD_AWS_PY} ${XD_TEST_DIR}/aws/collect_e2e.py --xd ${XD_BIN}
          --script ${XD_SOURCE_DIR}/docs/collect.sh)
set_tests_properties(aws_collect_syntax aws_collect_vs_fetch PROPERTIES
  LABELS "aws" TIMEOUT 900 SKIP_RETURN_CODE 77)

# The AWS parsers are fuzzed by tests/fuzz (fuzz_aws_xml, fuzz_aws_json,
# fuzz_policy), seeded from the fixtures by tests/fuzz/make_corpus.py.

# Issue 13 item 4: a free()/realloc() hook scans every block our code
# releases for the secrets it read (see the file's comment).
xd_unit_test(aws_wipe SOURCES ${XD_TEST_DIR}/aws/test_wipe.c
             LIBS xd_aws LABELS aws)
target_link_options(aws_wipe PRIVATE "-Wl,--wrap=free,--wrap=realloc")

# issue 20 item 2: an organisation (1 Studio + 22 EMR accounts, one whose
# read role refuses, one answering 500): the 20 others are written whole,
# analyze names both
add_test(NAME aws_fetch_org
  COMMAND ${XD_AWS_PY} ${XD_TEST_DIR}/aws/org_e2e.py --xd ${XD_BIN})
set_tests_properties(aws_fetch_org PROPERTIES LABELS "aws" TIMEOUT 600)
