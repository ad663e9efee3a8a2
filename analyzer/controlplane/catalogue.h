/* analyzer/controlplane/catalogue.h: the catalogue entries of the
 * control-plane codes, included inside the entries[] table of
 * analyzer/catalogue.c (that file is the one table; this keeps it under
 * the house's file length). Nothing else includes it. */
  {"CONTROL_PLANE_NO_ROUTE", XD_SEV_CRITICAL, "control-plane",
   "Studio's VPC has no way to the STS or EMR API",
   "Discovery is API calls the Studio app makes through Studio's VPC in a "
   "VpcOnly domain: sts:AssumeRole, then EMR ListClusters and "
   "DescribeCluster. The subnet's route table sends public addresses to no "
   "NAT gateway, and the VPC has no interface endpoint for the service, so "
   "the calls time out: the notebook lists no cluster or says \"Unable to "
   "assume role\", however well the peering is set up. A gateway endpoint "
   "(S3) carries only its own service; a route to an internet gateway does "
   "not help Studio's interfaces, which have no public address.",
   "ec2-describe-route-tables.json: no active 0.0.0.0/0 route to a nat- in "
   "the Studio subnet's table; ec2-describe-vpc-endpoints.json: no "
   "Interface endpoint for com.amazonaws.<region>.sts or "
   ".elasticmapreduce in Studio's VPC.",
   "Create interface endpoints with private DNS in Studio's subnets, with a "
   "group that admits 443 from Studio (the finding's command uses Studio's "
   "own group): `aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface "
   "--service-name com.amazonaws.<region>.sts --subnet-ids ... "
   "--security-group-ids ... --private-dns-enabled`; or route 0.0.0.0/0 "
   "to a NAT gateway."},
  {"CONTROL_PLANE_NOT_KNOWN", XD_SEV_INFO, "control-plane",
   "Whether Studio reaches the STS and EMR APIs is not known",
   "The snapshot has no ec2-describe-vpc-endpoints.json for Studio's "
   "account and Region, and the Studio subnet's route table sends no "
   "traffic to a NAT gateway: whether an interface endpoint takes the "
   "calls cannot be told. No control-plane path is claimed either way (a "
   "snapshot taken before the file existed stays as it was).",
   "ec2-describe-vpc-endpoints.json is absent and no active 0.0.0.0/0 "
   "route to a nat- was seen.",
   "Add the file: `aws ec2 describe-vpc-endpoints --output json > "
   "ec2-describe-vpc-endpoints.json` in Studio's account and Region "
   "(`xacct-doctor fetch` and docs/collect.sh write it)."},
  {"VPCE_NOT_AVAILABLE", XD_SEV_CRITICAL, "control-plane",
   "The STS or EMR interface endpoint is not available",
   "Studio's VPC has an interface endpoint for the service, but its state "
   "is pending, failed, rejected, deleting or deleted, and no NAT gateway "
   "carries the public name instead: the calls have nowhere to go.",
   "ec2-describe-vpc-endpoints.json: State is not \"available\".",
   "A failed or deleted endpoint is made again (the finding's `aws ec2 "
   "create-vpc-endpoint` names its subnets and groups); a pending one "
   "becomes available within minutes."},
  {"VPCE_PRIVATE_DNS_OFF", XD_SEV_CRITICAL, "control-plane",
   "The STS or EMR interface endpoint has private DNS off",
   "Without private DNS, sts.<region>.amazonaws.com and "
   "elasticmapreduce.<region>.amazonaws.com still resolve to public "
   "addresses, which Studio's VPC cannot reach without a NAT gateway: the "
   "Studio client calls the regional names, not the endpoint's own.",
   "ec2-describe-vpc-endpoints.json: PrivateDnsEnabled false on the "
   "service's Interface endpoint, and no active 0.0.0.0/0 route to a nat-.",
   "`aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-... "
   "--private-dns-enabled` (the VPC needs enableDnsSupport and "
   "enableDnsHostnames)."},
  {"VPCE_NO_SUBNET_IN_AZ", XD_SEV_WARNING, "control-plane",
   "The interface endpoint has no ENI in Studio's Availability Zone",
   "Private DNS gives every ENI of the endpoint, and routing inside a VPC "
   "crosses AZs, so calls from an AZ without one still work, across AZs "
   "(charged, and lost when the endpoint's AZ is). Critical when the "
   "endpoint has no subnet at all: the name then has no address.",
   "ec2-describe-vpc-endpoints.json: none of SubnetIds is in the "
   "AvailabilityZone of Studio's subnet (ec2-describe-subnets.json).",
   "`aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-... "
   "--add-subnet-ids subnet-...` with Studio's subnet."},
  {"VPCE_SG_BLOCKS_443", XD_SEV_CRITICAL, "control-plane",
   "The interface endpoint's security group does not admit 443 from Studio",
   "An interface endpoint is an ENI with security groups. None of its "
   "rules admits TCP 443 from Studio's groups or addresses (a common "
   "case: the group admits only the on-premises range), so the API calls "
   "time out.",
   "ec2-describe-vpc-endpoints.json Groups, evaluated as inbound rules "
   "(ec2-describe-security-groups.json) for TCP 443 from Studio's source.",
   "`aws ec2 authorize-security-group-ingress --group-id sg-... "
   "--protocol tcp --port 443 --source-group <Studio's group>`."},
  {"VPCE_POLICY_DENIES", XD_SEV_CRITICAL, "control-plane",
   "The interface endpoint's policy refuses a discovery call",
   "A VPC endpoint policy is a resource policy on every call through the "
   "endpoint. It does not allow sts:AssumeRole of the EMR account's "
   "discovery role by Studio's execution role, or the EMR calls "
   "(ListClusters, DescribeCluster, ListInstances) by that role's session "
   "(a common case: it allows only the Studio account's own roles). AWS "
   "answers AccessDenied, and the notebook shows \"Unable to assume role\" "
   "or no cluster.",
   "PolicyDocument of the endpoint, evaluated with Principal, Action, "
   "Resource and the Conditions that can be evaluated; a condition that "
   "cannot be (aws:PrincipalOrgID ...) leaves the hop unknown, not OK.",
   "`aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-... "
   "--policy-document '...'` with a statement that allows the call (the "
   "finding gives the whole document); an explicit Deny must be narrowed."},
