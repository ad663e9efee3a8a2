# Packages: .deb for the Debian-based SageMaker Studio images, .rpm for
# Amazon Linux on the EMR primary node. From a build folder:
#   cpack -G DEB      cpack -G RPM   (needs rpmbuild: Debian package "rpm")
# Both install under /usr, with the man page, the finding catalogue, the
# support guide and the cron/systemd examples under /usr/share/doc.

install(FILES docs/support-guide.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        OPTIONAL)
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/docs/cron)
  install(DIRECTORY docs/cron/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/cron)
endif()

set(CPACK_PACKAGE_NAME "xacct-doctor")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "xacct-doctor maintainers")
set(CPACK_PACKAGE_CONTACT "xacct-doctor maintainers <maintainers@users.noreply.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Find what breaks the path from SageMaker Studio to EMR across AWS accounts")
set(CPACK_PACKAGE_DESCRIPTION
"xacct-doctor reads the configuration of the SageMaker Studio account and
the EMR accounts (live, or from a snapshot folder of AWS CLI output), probes
the path from both sides (DNS, TCP, TLS, HTTP, packet capture), and names
the single route, security group rule, network ACL rule, peering option or
IAM role that is wrong, with the AWS CLI command that fixes it. Reports in
text, JSON, HTML, Prometheus and JUnit; exit status for cron and Nagios.")
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
  set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
endif()
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_GENERATOR "")

find_program(XD_RPMBUILD rpmbuild)
if(XD_RPMBUILD)
  set(CPACK_GENERATOR "DEB;RPM")
else()
  set(CPACK_GENERATOR "DEB")
endif()

# Debian: the library dependencies come from dpkg-shlibdeps (libpcap0.8,
# libcurl4, libssl3, libc-ares2, libcjson1, libexpat1 on Debian 12).
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# libcap2-bin gives setcap, to let a non-root user capture (listen)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libcap2-bin, awscli")

# RPM: the dependencies come from rpm's automatic requirement finder
# (libpcap, libcurl, openssl-libs, c-ares, cjson, expat on Amazon Linux).
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "MIT")
set(CPACK_RPM_PACKAGE_GROUP "Applications/System")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_AUTOPROV OFF)
set(CPACK_RPM_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
# directories that belong to the filesystem package, not to us
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/share/man /usr/share/man/man1 /usr/share/doc)

include(CPack)
