# tests/static.cmake: the release binaries of dist/ (label static).
# test_static_support: the CA-bundle search and the /etc/passwd lookup the
# static build uses instead of NSS (also a unit test, so ASan runs it).
xd_unit_test(test_static_support SOURCES ${XD_TEST_DIR}/static/test_static_support.c
             LIBS xd_aws xd_probes LABELS static)

# The release binaries in an empty chroot (tests/static/chroot_test.py).
# scripts/test.sh runs scripts/build-static.sh first; a binary that is
# missing then fails the test, it is not skipped. Only a run without root
# (no chroot, no mounts) is reported as skipped.
set(XD_DIST_DIR ${XD_SOURCE_DIR}/dist CACHE PATH "where build-static.sh writes")
foreach(arch x86_64 aarch64)
  add_test(NAME static_chroot_${arch}
           COMMAND /usr/bin/python3 ${XD_TEST_DIR}/static/chroot_test.py ${arch}
                   ${XD_DIST_DIR}/xacct-doctor-linux-${arch} ${XD_SOURCE_DIR})
  set_tests_properties(static_chroot_${arch} PROPERTIES LABELS "static"
                       SKIP_RETURN_CODE 77 TIMEOUT 900 RESOURCE_LOCK static_chroot)
endforeach()

# docs/emr-bootstrap.sh against a stub aws (s3 cp from a folder), with this
# build's binary: checksum check, setcap, listen on the primary node only.
add_test(NAME static_emr_bootstrap
         COMMAND sh ${XD_TEST_DIR}/static/emr_bootstrap_test.sh
                 ${XD_SOURCE_DIR}/docs/emr-bootstrap.sh ${XD_BIN})
set_tests_properties(static_emr_bootstrap PROPERTIES LABELS "static"
                     SKIP_RETURN_CODE 77 TIMEOUT 300)
