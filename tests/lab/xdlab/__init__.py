"""The lab's library: scenario (load and compose scenario files), net
(build and tear down the namespaces), snapshot (write the AWS CLI JSON),
check (hold a running lab to a scenario's expectations). The program is
../lab; see ../README.md."""
