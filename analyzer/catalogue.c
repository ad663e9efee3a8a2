#include "catalogue.h"

#include <strings.h>

/* Every code the analyzer emits, in the order of the setup steps of
 * domain.md; docs/findings.md is generated from this table (see
 * tests/analyzer.cmake, analyzer_findings_doc) and a test fails when a code
 * is missing there. Severity is the usual one; a finding may be milder
 * (the entry says when). */
static const az_catalogue_entry entries[] = {
  {"SNAPSHOT_FILE_MISSING", XD_SEV_INFO, "snapshot",
   "A snapshot file that would have answered a question is absent",
   "The snapshot folder does not hold one of the files of the layout, "
   "so whatever that file would have told is not known. Nothing is "
   "guessed in its place: the hops that needed it say \"unknown\".",
   "The loader records every file of the layout that is absent for an "
   "account and Region it found.",
   "Run `xacct-doctor fetch --out DIR` again, or the AWS CLI command "
   "named in the finding (docs/collect.sh runs them all)."},
  {"STUDIO_SIDE_UNKNOWN", XD_SEV_INFO, "intent",
   "The Studio side is not known",
   "Neither a SageMaker domain in the snapshot nor the intent's studio "
   "section says where Studio runs, so no path can be evaluated.",
   "No sagemaker-describe-domain--*.json was read and the intent names "
   "no Studio account, VPC or subnet.",
   "Add the domain's file (`aws sagemaker describe-domain --domain-id "
   "d-...`) or a studio section to xacct-doctor.json."},
  {"NO_EMR_CLUSTER", XD_SEV_WARNING, "intent",
   "The snapshot holds no EMR cluster",
   "There is no cluster for Studio to connect to, so nothing but the "
   "Studio side can be checked.",
   "No emr-describe-cluster--*.json was read in any account.",
   "Fetch the EMR accounts too (`xacct-doctor fetch`), or check that "
   "the cluster exists: `aws emr list-clusters --active`."},
  {"INTENT_RESOURCE_NOT_FOUND", XD_SEV_WARNING, "intent",
   "The intent names something the snapshot does not hold",
   "xacct-doctor.json names a cluster or domain that the snapshot does "
   "not describe, although the account's files were read: the intent "
   "is stale or the id is mistyped.",
   "An id of the intent is looked up among the loaded clusters and "
   "domains.",
   "Correct the id in xacct-doctor.json, or fetch the snapshot again."},
  {"CLUSTER_NOT_RUNNING", XD_SEV_CRITICAL, "cluster",
   "The EMR cluster is not running",
   "The cluster's state is TERMINATING, TERMINATED or "
   "TERMINATED_WITH_ERRORS: there is no primary node, so Studio has "
   "nothing to connect to. No path is evaluated for it (one root "
   "cause, one finding).",
   "emr-describe-cluster--<id>.json Cluster.Status.State is neither "
   "WAITING nor RUNNING.",
   "Point Studio at a running cluster (`aws emr list-clusters "
   "--active`) or launch a new one."},
  {"CLUSTER_STARTING", XD_SEV_WARNING, "cluster",
   "The EMR cluster is still starting",
   "The cluster is STARTING or BOOTSTRAPPING; Studio can connect once "
   "it is WAITING or RUNNING.",
   "Cluster.Status.State is STARTING or BOOTSTRAPPING.",
   "Wait: `aws emr wait cluster-running --cluster-id j-...`."},
  {"LIVY_NOT_INSTALLED", XD_SEV_CRITICAL, "cluster",
   "Livy is not among the cluster's applications",
   "Spark notebooks in Studio talk to the cluster through Livy (port "
   "8998 unless livy-conf sets livy.server.port). Without it the "
   "notebook cannot start a Spark session.",
   "Cluster.Applications has no entry named Livy.",
   "Applications cannot be added to a running cluster: launch one with "
   "`--applications Name=Spark Name=Livy` (the finding gives the "
   "command with the cluster's release, subnet and groups)."},
  {"PRIMARY_NODE_NOT_FOUND", XD_SEV_WARNING, "cluster",
   "No instance carries the cluster's MasterPublicDnsName",
   "Studio finds the primary node by matching MasterPublicDnsName "
   "against the private or public DNS names of the cluster's "
   "instances. None matches, so the primary node's address is not "
   "known and no path can be evaluated.",
   "emr-list-instances--<id>.json was read but no instance's "
   "PrivateDnsName or PublicDnsName equals MasterPublicDnsName.",
   "Fetch the instances again (`aws emr list-instances --cluster-id "
   "j-... --instance-group-types MASTER`)."},
  /* issue 12: the status never contradicts the paths */
  {"PRIMARY_NODE_ADDRESS_FROM_NAME", XD_SEV_INFO, "cluster",
   "The primary node's address is read from its private DNS name",
   "The cluster's instances are not in the snapshot (the discovery role "
   "may call DescribeCluster but not ListInstances), but its "
   "MasterPublicDnsName is a private name that carries the address "
   "(ip-a-b-c-d.ec2.internal, ip-a-b-c-d.<region>.compute.internal). "
   "The paths are evaluated to that address, with the cluster's subnet "
   "and master security groups from DescribeCluster.",
   "emr-list-instances--<id>.json is absent and MasterPublicDnsName has "
   "the form ip-a-b-c-d.<...>.internal.",
   "Nothing to fix. To see the instances too: `aws emr list-instances "
   "--cluster-id j-... --instance-group-types MASTER`."},
  {"PATH_BLOCKED", XD_SEV_CRITICAL, "paths",
   "A path is blocked at a hop that no other finding explains",
   "A hop that is known denies the traffic, so the notebook cannot "
   "connect, whatever the hops that are not known would say. This "
   "finding stands when no more specific one (a missing route, a "
   "missing rule) could be raised, for instance because the other side "
   "of the path is not in the snapshot: a blocked path is never left "
   "without a critical finding.",
   "A path's verdict is blocked and no critical finding names one of "
   "its denying hops.",
   "Change the element the finding names so that it allows the "
   "traffic (the hop's detail says which rule or route decided); "
   "fetch the other account too for a precise diagnosis."},
  {"PATH_NOT_SEEN", XD_SEV_WARNING, "paths",
   "Paths could not be evaluated and no packet settled them",
   "Part of the path (usually the EMR account's network, which the "
   "discovery role cannot read) is not in the snapshot and no probe or "
   "capture says what happens to the traffic. The run can then not say "
   "OK: the status is WARNING when other paths were decided and "
   "UNKNOWN (exit status 3) when none was.",
   "A path's verdict is unknown and its observations (if any) do not "
   "place the break; or a cluster's primary node has no known address. "
   "The evidence lists the hops that were not known and why.",
   "Give the run what it lacks: fetch the EMR account with credentials "
   "that can read its EC2 and IAM configuration (or run "
   "docs/collect.sh there), or run `xacct-doctor check` in Studio "
   "and `xacct-doctor listen` on the primary node so that packets "
   "settle the path."},
  {"REGION_MISMATCH", XD_SEV_CRITICAL, "studio",
   "The cluster is in another Region than Studio",
   "Studio lists and connects to EMR clusters of its own Region only.",
   "The cluster's Region (its snapshot folder) differs from the Studio "
   "domain's.",
   "Use a cluster in Studio's Region (`aws emr list-clusters --active "
   "--region <studio-region>`)."},
  {"STUDIO_PUBLIC_INTERNET_ONLY", XD_SEV_CRITICAL, "studio",
   "The Studio domain does not use its VPC",
   "With AppNetworkAccessType PublicInternetOnly, Studio's traffic "
   "leaves through a SageMaker-managed VPC, not the domain's VPC, so "
   "it never crosses the peering; a primary node in a private subnet "
   "cannot be reached (warning when the node has a public address).",
   "sagemaker-describe-domain--<id>.json AppNetworkAccessType is "
   "PublicInternetOnly.",
   "`aws sagemaker update-domain --domain-id d-... "
   "--app-network-access-type VpcOnly` (only while no app is running)."},
  /* The Studio identity (user profile, space): analyzer/studio/. */
  {"STUDIO_IDENTITY", XD_SEV_INFO, "studio",
   "Which Studio identity was diagnosed, and what applies to it",
   "Two users of one domain can see different results: a private space "
   "uses its owner's execution role (else the domain's), the domain's "
   "security groups plus the profile's, and the profile's "
   "EmrSettings.AssumableRoleArns (else the domain's); a shared space "
   "uses the domain's DefaultSpaceSettings. The finding lists the role, "
   "groups and roles the diagnosis used, and the setting each came from.",
   "The intent's studio.space / studio.user_profile (or the space's own "
   "metadata inside Studio) against sagemaker-describe-space--<domain>--"
   "<space>.json, sagemaker-describe-user-profile--<domain>--<profile>.json "
   "and the domain's file.",
   "Nothing to fix; when a finding names one of these settings, change it "
   "with `aws sagemaker update-user-profile` (the profile) or `aws "
   "sagemaker update-domain` (DefaultUserSettings, DefaultSpaceSettings)."},
  {"STUDIO_IDENTITY_NOT_FOUND", XD_SEV_WARNING, "studio",
   "The named user profile or space is not in the snapshot",
   "The intent (or the space's metadata) names a user profile or space "
   "whose describe file the snapshot lacks, so the domain's defaults are "
   "diagnosed in its place; that user's own role or groups may give "
   "another result.",
   "No sagemaker-describe-user-profile--<domain>--<name>.json or "
   "sagemaker-describe-space--<domain>--<name>.json in the Studio "
   "account's Region folder.",
   "`xacct-doctor fetch` with the name in the intent, or check the name "
   "(`aws sagemaker list-user-profiles --domain-id d-...`, "
   "`list-spaces`)."},
  {"STUDIO_IDENTITIES_DIFFER", XD_SEV_INFO, "studio",
   "Some user profiles or spaces differ from the domain's defaults",
   "No identity was named, so the domain's defaults were diagnosed; the "
   "listed profiles and spaces use another execution role, other security "
   "groups or their own assumable roles, and their users may see another "
   "result.",
   "Each user profile and space in the snapshot is resolved as its user "
   "would see it and compared with the domain's defaults.",
   "Run again with `studio.user_profile` or `studio.space` in the intent "
   "(inside a Studio space, `xacct-doctor check` does this by itself)."},
  {"STUDIO_SOURCE_ADDRESS", XD_SEV_INFO, "studio",
   "The address diagnosed inside Studio", "The domain's subnet and ENI that "
   "hold the address the kernel picks toward the primary node (check, run "
   "in a space): only that subnet's route table, ACL and groups are judged.",
   "studio.source_ip (toward source_ip_toward) against subnets and ENIs.",
   "Nothing to fix."},
  {"STUDIO_SOURCE_OUTSIDE_DOMAIN", XD_SEV_WARNING, "studio",
   "This host's address is in no subnet of the domain", "Its packets leave "
   "from where the configuration does not describe, so the domain's subnets "
   "are judged instead.", "studio.source_ip against the domain's SubnetIds.",
   "Run check inside a space of the domain, or give studio.source_ip."},
  {"STUDIO_ASSUMABLE_ROLE_MISSING", XD_SEV_CRITICAL, "studio",
   "EmrSettings name no role in the cluster's account",
   "JupyterLab lists the clusters of the accounts whose roles are in "
   "EmrSettings.AssumableRoleArns: the user profile's list when it has "
   "one (it replaces the domain's, it does not add to it), else the "
   "domain's. The cluster's account is in neither that applies, so the "
   "cluster is not listed.",
   "No role file in the snapshot, and no ARN of the cluster's account in "
   "the applicable AssumableRoleArns.",
   "Add the role to the setting that applies: `aws sagemaker "
   "update-user-profile --domain-id d-... --user-profile-name NAME "
   "--user-settings '{\"JupyterLabAppSettings\":{\"EmrSettings\":"
   "{\"AssumableRoleArns\":[...]}}}'` or `aws sagemaker update-domain "
   "--domain-id d-... --default-user-settings '...'`."},
  {"IAM_RUNTIME_PERMISSION_MISSING", XD_SEV_CRITICAL, "studio",
   "The discovery role lacks a call the connection needs",
   "Beyond discovery, the analytics extension calls, through the role it "
   "assumed, elasticmapreduce:GetClusterSessionCredentials on the cluster "
   "when EmrSettings.ExecutionRoleArns name runtime roles, and "
   "elasticmapreduce:DescribeSecurityConfiguration when the cluster has a "
   "security configuration. Refused, the notebook cannot connect.",
   "The discovery role's policies are evaluated for those actions (the "
   "cluster's ARN, and * for DescribeSecurityConfiguration).",
   "`aws iam put-role-policy --role-name NAME --policy-name "
   "xacct-doctor-emr-runtime --policy-document '...'` with the action."},
  {"IAM_RUNTIME_TRUST_MISSING", XD_SEV_CRITICAL, "studio",
   "A runtime role does not trust the discovery role",
   "EMR hands out a runtime role's session only to a caller the runtime "
   "role trusts: each role of EmrSettings.ExecutionRoleArns in the "
   "cluster's account must let the discovery role call sts:AssumeRole "
   "(and sts:SetSourceIdentity).",
   "The runtime role's trust policy (EMR account's IAM file) is evaluated "
   "for sts:AssumeRole by the discovery role.",
   "`aws iam update-assume-role-policy --role-name RUNTIME --policy-document "
   "'...'` adding the discovery role as principal."},
  {"PEERING_MISSING", XD_SEV_CRITICAL, "peering",
   "No peering connection joins the two VPCs",
   "Nothing connects the Studio VPC and the EMR VPC. Routes and group "
   "references depending on it are not reported separately. "
   "Reachability Analyzer: DISCONNECTED_VPCS.",
   "No entry of ec2-describe-vpc-peering-connections.json (in either "
   "account) has the two VPCs as requester and accepter.",
   "`aws ec2 create-vpc-peering-connection --vpc-id <studio-vpc> "
   "--peer-vpc-id <emr-vpc> --peer-owner-id <emr-account> "
   "--peer-region <region>`, then accept it in the EMR account."},
  {"PEERING_PENDING_ACCEPTANCE", XD_SEV_CRITICAL, "peering",
   "The peering connection waits for the accepter",
   "The request was made but the other account has not accepted it (it "
   "expires after 7 days). No route, group reference or DNS option can "
   "use it until then; those are not reported separately.",
   "The peering's Status.Code is pending-acceptance.",
   "In the accepter account: `aws ec2 accept-vpc-peering-connection "
   "--vpc-peering-connection-id pcx-...`."},
  {"PEERING_PROVISIONING", XD_SEV_WARNING, "peering",
   "The peering connection is still being set up",
   "The peering is initiating-request or provisioning: a transient "
   "state.",
   "The peering's Status.Code is initiating-request or provisioning.",
   "Check again in a minute: `aws ec2 describe-vpc-peering-connections "
   "--vpc-peering-connection-ids pcx-...`."},
  {"PEERING_NOT_ACTIVE", XD_SEV_CRITICAL, "peering",
   "The peering connection is gone or refused",
   "The peering is rejected, expired, failed, deleting or deleted and "
   "carries no traffic; routes to it are blackholes. Those routes are "
   "not reported separately.",
   "The peering's Status.Code is one of rejected, expired, failed, "
   "deleting, deleted.",
   "Request a new peering (`aws ec2 create-vpc-peering-connection "
   "...`), accept it, and point the routes at it."},
  {"PEERING_CIDR_OVERLAP", XD_SEV_CRITICAL, "peering",
   "The two VPCs have overlapping CIDR blocks",
   "Peered VPCs may not overlap, primary or secondary blocks: AWS "
   "fails the request, and a local route would win anyway. The "
   "resource is the VPC to re-address (the one whose overlapping block "
   "is secondary, else the EMR VPC).",
   "The IPv4 blocks of the two VPCs (ec2-describe-vpcs.json, or the "
   "peering's CidrBlockSet) overlap.",
   "Disassociate an overlapping secondary block (`aws ec2 "
   "disassociate-vpc-cidr-block ...`, given when it applies) or move "
   "the cluster to a VPC that does not overlap."},
  {"PEERING_ADDRESS_OUTSIDE_VPC_CIDR", XD_SEV_CRITICAL, "peering",
   "An end is outside the CIDRs the peering carries",
   "A peering carries only addresses of the two VPCs' associated "
   "blocks. Reachability Analyzer: PCX_REQUIRES_ADDRESS_IN_VPC_CIDR.",
   "The primary node's or the Studio end's address is in none of the "
   "blocks of its side of the peering.",
   "Place the end in a subnet of the peered VPC's blocks."},
  {"PEERING_DNS_RESOLUTION_DISABLED", XD_SEV_CRITICAL, "dns",
   "DNS resolution from the remote VPC is off on the EMR side",
   "Without AllowDnsResolutionFromRemoteVpc on the EMR VPC's side of "
   "the peering, the primary node's name resolves from Studio to its "
   "public address, or to nothing in a private subnet, so \"Cannot "
   "connect to livy service at ip-...\" follows. Setting it on the "
   "Studio side does not help.",
   "PeeringOptions.AllowDnsResolutionFromRemoteVpc is false on the "
   "side (requester or accepter) whose VpcId is the EMR VPC.",
   "In the account owning that side: `aws ec2 "
   "modify-vpc-peering-connection-options --vpc-peering-connection-id "
   "pcx-... --accepter-peering-connection-options "
   "AllowDnsResolutionFromRemoteVpc=true` (or --requester-...)."},
  {"VPC_DNS_SUPPORT_DISABLED", XD_SEV_CRITICAL, "dns",
   "enableDnsSupport is off in a VPC",
   "Without the Amazon DNS server the VPC cannot resolve the primary "
   "node's name, and DNS over peering does not work.",
   "ec2-describe-vpc-attribute--<vpc>--enableDnsSupport.json says "
   "false.",
   "`aws ec2 modify-vpc-attribute --vpc-id vpc-... "
   "--enable-dns-support \"{\\\"Value\\\":true}\"`."},
  {"VPC_DNS_HOSTNAMES_DISABLED", XD_SEV_CRITICAL, "dns",
   "enableDnsHostnames is off in a VPC",
   "DNS resolution over a peering needs DNS hostnames on both VPCs; "
   "EMR needs them too.",
   "ec2-describe-vpc-attribute--<vpc>--enableDnsHostnames.json says "
   "false.",
   "`aws ec2 modify-vpc-attribute --vpc-id vpc-... "
   "--enable-dns-hostnames \"{\\\"Value\\\":true}\"`."},
  {"ROUTE_MISSING", XD_SEV_CRITICAL, "routes",
   "No route through the peering",
   "The subnet's route table (its explicit association, or the VPC's "
   "main table) has no route carrying the other end's address to the "
   "peering; the packet is dropped or leaves by another gateway. "
   "Reachability Analyzer: NO_ROUTE_TO_DESTINATION.",
   "Longest-prefix match of the address over the table's CIDR and "
   "prefix-list routes finds nothing, or finds a route to another "
   "target with no peering route behind it.",
   "`aws ec2 create-route --route-table-id rtb-... "
   "--destination-cidr-block <other subnet> "
   "--vpc-peering-connection-id pcx-...`."},
  {"ROUTE_MORE_SPECIFIC", XD_SEV_CRITICAL, "routes",
   "A more specific route takes the traffic away from the peering",
   "The table has a route to the peering, but a longer prefix (to a "
   "NAT gateway, internet gateway, transit gateway...) wins the "
   "longest-prefix match. Reachability Analyzer: MORE_SPECIFIC_ROUTE.",
   "The best match for the address is not the peering, while a shorter "
   "route to the peering also holds it.",
   "Point the more specific route at the peering (`aws ec2 "
   "replace-route ...`) when it covers the peer VPC, else add a route "
   "at least as specific to the peering."},
  {"ROUTE_BLACKHOLE", XD_SEV_CRITICAL, "routes",
   "The route's target no longer exists",
   "The matching route points at a peering (or other target) that is "
   "gone: its state is blackhole and packets are dropped. Reachability "
   "Analyzer: BAD_STATE_ROUTE.",
   "The best matching route has State blackhole.",
   "`aws ec2 replace-route --route-table-id rtb-... "
   "--destination-cidr-block ... --vpc-peering-connection-id <active "
   "pcx>`."},
  {"ROUTE_WRONG_PEERING", XD_SEV_CRITICAL, "routes",
   "The route points at another peering",
   "The matching route goes to a peering connection other than the one "
   "joining the Studio VPC and the EMR VPC.",
   "The best matching route's target is a pcx- different from the "
   "pair's active peering.",
   "`aws ec2 replace-route --route-table-id rtb-... "
   "--destination-cidr-block ... --vpc-peering-connection-id <right "
   "pcx>`."},
  {"SG_EGRESS_MISSING", XD_SEV_CRITICAL, "security-groups",
   "The Studio security groups do not allow the traffic out",
   "No egress rule of the Studio end's security groups allows TCP to "
   "the primary node on the port. Reachability Analyzer: "
   "ENI_SG_RULES_MISMATCH.",
   "Every egress rule (CIDR, group pair, prefix list; port ranges; "
   "protocol -1) of the groups is evaluated against the primary node's "
   "address and groups.",
   "`aws ec2 authorize-security-group-egress --group-id sg-... "
   "--ip-permissions "
   "'IpProtocol=tcp,FromPort=8998,ToPort=8998,IpRanges=[{CidrIp=<emr "
   "subnet>}]'`."},
  {"SG_INGRESS_MISSING", XD_SEV_CRITICAL, "security-groups",
   "The primary node's security groups do not allow the traffic in",
   "Neither the EMR-managed master group nor the additional master "
   "groups allow inbound TCP from the Studio end on the port (Livy, "
   "HiveServer2, Presto, Kerberos...). Security groups are stateful: "
   "no rule is needed for the answer. Reachability Analyzer: "
   "ENI_SG_RULES_MISMATCH.",
   "Every ingress rule of the master groups is evaluated against the "
   "Studio end: CIDR rules must hold every address of it, group pairs "
   "must name a Studio group with the right account.",
   "`aws ec2 authorize-security-group-ingress --group-id sg-... "
   "--ip-permissions "
   "'IpProtocol=tcp,FromPort=8998,ToPort=8998,UserIdGroupPairs=[{UserId=<studio "
   "account>,GroupId=sg-...}]'` (the Studio subnet's CIDR across "
   "Regions)."},
  {"SG_REFERENCE_WRONG_ACCOUNT", XD_SEV_CRITICAL, "security-groups",
   "A group reference names the right group with the wrong account",
   "Across accounts a group is referenced as account/sg-id. The rule "
   "names the Studio group with another UserId, so it never matches.",
   "A group-pair rule's GroupId is one of the peer's groups but its "
   "UserId is not the peer's account.",
   "Revoke the rule and authorize it again with UserId=<the group's "
   "account> (the finding gives both commands)."},
  {"SG_REFERENCE_CROSS_REGION", XD_SEV_CRITICAL, "security-groups",
   "A group reference crosses Regions",
   "Security group references work only in the same Region; across "
   "Regions the rule never matches.",
   "A group-pair rule names a peer group while the two ends are in "
   "different Regions.",
   "Allow the peer's CIDR block instead (`aws ec2 "
   "authorize-security-group-ingress ... IpRanges=[{CidrIp=...}]`)."},
  {"SG_REFERENCE_UNRESOLVED", XD_SEV_CRITICAL, "security-groups",
   "A group reference across a peering does not resolve",
   "The rule references a group of the peer VPC, but the peering it "
   "relies on is not active (PeeringStatus), so the reference is "
   "stale. Reachability Analyzer: UNKNOWN_PEERED_SGS.",
   "A group-pair rule names a peer group in another VPC with no active "
   "peering, or its PeeringStatus is not active.",
   "Fix the peering, or allow the peer's CIDR block instead."},
  {"NACL_OUTBOUND_DENY", XD_SEV_CRITICAL, "nacl",
   "The Studio subnet's network ACL denies the traffic out",
   "Network ACLs are evaluated by rule number, lowest first, and end "
   "with the * deny. The rule that decides for TCP to the primary node "
   "on the port denies it. Reachability Analyzer: "
   "SUBNET_ACL_RESTRICTION.",
   "The outbound entries of the ACL associated with the Studio subnet, "
   "in rule-number order.",
   "`aws ec2 create-network-acl-entry --network-acl-id acl-... "
   "--egress --rule-number <below the deny> --protocol tcp "
   "--port-range From=8998,To=8998 --cidr-block <emr subnet> "
   "--rule-action allow`."},
  {"NACL_INBOUND_DENY", XD_SEV_CRITICAL, "nacl",
   "The EMR subnet's network ACL denies the traffic in",
   "The deciding inbound rule of the primary node's subnet ACL denies "
   "TCP from the Studio end on the port. Reachability Analyzer: "
   "SUBNET_ACL_RESTRICTION.",
   "The inbound entries of the ACL associated with the EMR subnet, in "
   "rule-number order; an allow must hold the whole Studio block, a "
   "deny touching any of it counts.",
   "`aws ec2 create-network-acl-entry --network-acl-id acl-... "
   "--ingress --rule-number <below the deny> --protocol tcp "
   "--port-range From=8998,To=8998 --cidr-block <studio subnet> "
   "--rule-action allow`."},
  {"NACL_RETURN_BLOCKED", XD_SEV_CRITICAL, "nacl",
   "A network ACL blocks the return traffic",
   "ACLs are stateless: the answer from the primary node to the "
   "client's ephemeral port (Linux 32768-60999; 1024-65535 covers "
   "every client) must pass the EMR subnet's ACL outbound and the "
   "Studio subnet's ACL inbound. None of the Linux range passes.",
   "The ACL's entries are evaluated over the whole port range "
   "1024-65535 for the other end's block.",
   "`aws ec2 create-network-acl-entry --network-acl-id acl-... "
   "--ingress|--egress --rule-number <below the deny> --protocol tcp "
   "--port-range From=1024,To=65535 --cidr-block <other subnet> "
   "--rule-action allow`."},
  {"NACL_EPHEMERAL_PARTIAL", XD_SEV_WARNING, "nacl",
   "A network ACL passes only part of the ephemeral range",
   "The return traffic passes for some client ports only, but the whole "
   "Linux range 32768-60999 among them: Linux clients (Studio) work, "
   "others may not. The finding names the ports that pass. When part of "
   "the Linux range is blocked, it is NACL_RETURN_PARTIAL.",
   "As for NACL_RETURN_BLOCKED; some of the range passes.",
   "Allow 1024-65535 from the other subnet before the rule that blocks "
   "(the finding gives the command)."},
  {"ROLE_FILE_INVALID", XD_SEV_CRITICAL, "role-file",
   "The role file is not a JSON object",
   "Studio reads the role file as a JSON object mapping account ids to "
   "role ARNs; a file that does not parse, or is not an object, makes "
   "Studio discover no cross-account cluster.",
   "The copy of the file in the snapshot "
   "(studio-emr-discovery-iam-role-arns.json) is parsed; the parse "
   "error names the line.",
   "Rewrite it as `{\"222222222222\": "
   "\"arn:aws:iam::222222222222:role/NAME\"}`; since the lifecycle "
   "configuration rewrites it at every start, fix the lifecycle "
   "configuration too."},
  {"ROLE_FILE_BAD_KEY", XD_SEV_CRITICAL, "role-file",
   "A key of the role file is not a 12-digit account id",
   "Each key must be the EMR account id, exactly 12 digits.",
   "Every key of the object is checked.",
   "Write the file again with the account ids as keys (the finding "
   "gives a corrected file)."},
  {"ROLE_FILE_BAD_ARN", XD_SEV_CRITICAL, "role-file",
   "A value of the role file is not an IAM role ARN",
   "Each value must be a role ARN, arn:aws:iam::<account>:role/<name>.",
   "Every value is checked.",
   "Write the file again with the role ARNs (the finding gives a "
   "corrected file)."},
  {"ROLE_FILE_ACCOUNT_MISMATCH", XD_SEV_CRITICAL, "role-file",
   "A role ARN's account differs from its key",
   "The role named for an account must belong to that account; Studio "
   "would assume a role elsewhere and see no cluster.",
   "The account field of each ARN is compared with its key.",
   "Key each ARN by its own account (the finding gives a corrected "
   "file)."},
  {"ROLE_FILE_TOO_MANY", XD_SEV_CRITICAL, "role-file",
   "The role file names more than five accounts",
   "Studio takes at most five EMR accounts.",
   "The object's members are counted.",
   "Keep at most five accounts (the finding gives a file with the "
   "first five valid ones)."},
  {"ROLE_FILE_WRONG_PATH", XD_SEV_CRITICAL, "role-file",
   "The role file is not where Studio reads it",
   "Studio reads exactly "
   "/home/sagemaker-user/.cross-account-configuration-DO_NOT_DELETE/emr-discovery-iam-role-arns-DO_NOT_DELETE.json; "
   "a file anywhere else, or with other case, is ignored.",
   "The intent's studio.role_arns_file is compared with that path.",
   "Move the file (`mv`), and correct the lifecycle configuration that "
   "writes it."},
  {"ROLE_FILE_ACCOUNT_MISSING", XD_SEV_CRITICAL, "role-file",
   "Studio is not told which role to assume for an EMR account",
   "The cluster's account is in neither the role file nor the domain's "
   "EmrSettings.AssumableRoleArns, so Studio does not list its "
   "clusters.",
   "The account is looked up in the intent, the role file and the "
   "domain settings.",
   "Add the account and its role to the role file (the finding gives "
   "the file when a role that trusts Studio exists), or to "
   "AssumableRoleArns."},
  {"IAM_ROLE_NOT_FOUND", XD_SEV_CRITICAL, "iam",
   "The role Studio is told to assume does not exist",
   "The ARN in the role file, domain settings or intent names no role "
   "of the EMR account.",
   "The ARN is looked up in the EMR account's "
   "iam-get-account-authorization-details.json.",
   "`aws iam create-role --role-name NAME "
   "--assume-role-policy-document ...` (trusting the Studio account), "
   "then attach the discovery policy."},
  {"IAM_TRUST_MISSING", XD_SEV_CRITICAL, "iam",
   "The role does not trust the Studio account",
   "Its trust policy lets neither the Studio account "
   "(arn:aws:iam::<studio>:root) nor the Studio execution role call "
   "sts:AssumeRole, or denies it: the AssumeRole call fails with "
   "AccessDenied.",
   "The AssumeRolePolicyDocument's statements are evaluated for "
   "sts:AssumeRole by the Studio account's principals "
   "(Action/NotAction wildcards, explicit Deny; conditions are not "
   "evaluated).",
   "`aws iam update-assume-role-policy --role-name NAME "
   "--policy-document '<the current document plus the Studio "
   "statement>'` (given in full)."},
  {"IAM_PERMISSION_MISSING", XD_SEV_CRITICAL, "iam",
   "The role lacks discovery permissions",
   "The role must allow elasticmapreduce:DescribeCluster, "
   "ListInstanceGroups, CreatePersistentAppUI, "
   "DescribePersistentAppUI, GetPersistentAppUIPresignedURL and "
   "GetOnClusterAppUIPresignedURL on the cluster's ARN, and "
   "ListClusters and servicecatalog:SearchProducts on *. Only the "
   "PersistentAppUI actions (the Spark UI link) or SearchProducts "
   "(cluster templates) missing is a warning: discovery and the "
   "connection still work.",
   "Each action is evaluated on the cluster's ARN (Region and account "
   "of the cluster) against every inline and attached policy: "
   "Action/NotAction and Resource/NotResource wildcards, explicit Deny "
   "over Allow.",
   "`aws iam put-role-policy --role-name NAME --policy-name "
   "xacct-doctor-emr-discovery --policy-document '...'` with the "
   "missing actions (given in full)."},
  {"IAM_POLICY_PLACEHOLDER", XD_SEV_CRITICAL, "iam",
   "A policy still holds the <region>/<account-id> placeholders",
   "The published example policy keeps literal <region> and "
   "<account-id> in its Resource; copied as is, it grants nothing on "
   "any cluster (critical when that is why an action is missing, "
   "warning otherwise).",
   "A statement's Resource contains the literal text, and it would "
   "grant the action once filled in with the cluster's Region and "
   "account.",
   "The same policy with the placeholders filled in (`aws iam "
   "put-role-policy ...` or `aws iam create-policy-version ... "
   "--set-as-default`, given in full)."},
  {"IAM_EXPLICIT_DENY", XD_SEV_CRITICAL, "iam",
   "A policy explicitly denies a discovery action",
   "An explicit Deny overrides every Allow, whatever policy grants it.",
   "Every statement with Effect Deny that applies to the action and "
   "the cluster's ARN.",
   "Remove or narrow the denying statement (the finding names the "
   "policy and gives `aws iam delete-role-policy` / "
   "`detach-role-policy`)."},
  {"IAM_STUDIO_ASSUME_MISSING", XD_SEV_CRITICAL, "iam",
   "The Studio execution role may not assume the role",
   "The Studio execution role needs sts:AssumeRole on the EMR "
   "account's role.",
   "The execution role's policies (Studio account's IAM file) are "
   "evaluated for sts:AssumeRole on the role's ARN.",
   "`aws iam put-role-policy --role-name <execution role> "
   "--policy-name xacct-doctor-assume-emr-discovery --policy-document "
   "'...'`."},
  {"IAM_CONDITION_NOT_EVALUATED", XD_SEV_INFO, "iam",
   "A grant or a Deny depends on a condition the snapshot cannot tell",
   "Conditions on what a snapshot knows of Studio's calls are evaluated "
   "(aws:PrincipalAccount, aws:PrincipalArn, aws:RequestedRegion, "
   "aws:SourceAccount, aws:SecureTransport, sts:RoleSessionName = "
   "SageMakerStudioUser, sts:ExternalId: none), with the String, Arn, "
   "Bool and Null operators, ...IfExists and ForAnyValue/ForAllValues. A "
   "condition on another key (aws:PrincipalOrgID, aws:SourceIp, tags, "
   "MFA) or with another operator is not known: an Allow under it is "
   "taken to apply and a Deny under it is not counted, so it never "
   "decides a verdict by itself.",
   "The deciding statement, or a Deny set aside, has a Condition on a key "
   "or with an operator that cannot be evaluated offline.",
   "Check the condition holds for Studio's calls (organization, source "
   "address, tags, MFA...)."},
  {"IAM_POLICY_NOT_KNOWN", XD_SEV_INFO, "iam",
   "An attached policy's document is not in the snapshot",
   "The role has an attached policy the snapshot has no document for; "
   "whether it grants what is missing is not known, so nothing is "
   "claimed.",
   "An AttachedManagedPolicies ARN is not among the snapshot's "
   "Policies.",
   "Fetch IAM again with `aws iam get-account-authorization-details` "
   "(without a filter)."},
  /* Calls AWS refused while the snapshot was taken (fetch-errors.json):
   * analyzer/findings/refusals.c. */
  {"DISCOVERY_ASSUME_REFUSED", XD_SEV_CRITICAL, "iam",
   "AWS refused to let Studio's identity assume the discovery role",
   "sts:AssumeRole of the EMR account's discovery role was refused with "
   "Studio's credentials: Studio meets the same refusal (\"Unable to "
   "assume role\") and lists no cluster of that account. The finding says "
   "which explanation the snapshot supports: the role does not exist "
   "(known only when that account's IAM was read), its trust policy names "
   "neither Studio's account nor its execution role, or the caller's "
   "identity policy lacks sts:AssumeRole on it (Studio account's IAM). "
   "When the visible policies allow the call, a service control policy, "
   "permissions boundary or session policy (not in any snapshot) denies "
   "it.",
   "fetch-errors.json holds an AccessDenied for sts AssumeRole with "
   "\"access\": \"discovery\"; AWS's message is quoted as evidence.",
   "The command for the supported explanation: `aws iam create-role`, "
   "`aws iam update-assume-role-policy` (trust naming Studio's account) or "
   "`aws iam put-role-policy` on the execution role."},
  {"DISCOVERY_CALL_REFUSED", XD_SEV_CRITICAL, "iam",
   "The discovery role may not read the cluster",
   "AWS refused DescribeCluster, ListInstanceGroups or ListClusters "
   "through the discovery role: Studio assumes the role but cannot read "
   "the cluster (\"Unable to get Emr Cluster(Id: ...) details\"). A policy "
   "that still holds the <region>/<account-id> placeholders of the "
   "published example is the usual cause, and is named when the role's "
   "policies are in the snapshot.",
   "fetch-errors.json holds a refusal of one of those actions made with "
   "the discovery role (\"access\": \"discovery\").",
   "`aws iam put-role-policy` on the role with the discovery actions on "
   "arn:aws:elasticmapreduce:REGION:ACCOUNT:cluster/* (given in full)."},
  {"ACCOUNT_CONFIG_UNREADABLE", XD_SEV_WARNING, "snapshot",
   "The network configuration of an account is not readable",
   "The access used to read an account (its read role, profile, or the "
   "discovery role, which usually holds no ec2:Describe* or IAM "
   "permission) was refused the EC2 or IAM calls only xacct-doctor needs. "
   "The account's side of each path is not seen; one warning per account "
   "lists every refused action instead of one \"not known\" per file.",
   "fetch-errors.json holds refusals of calls other than the discovery "
   "calls, for the account.",
   "Create the xacct-doctor-read role in that account, trusted by the "
   "Studio account, with docs/iam/xacct-doctor-read-policy.json, and set "
   "emr[].read_role_arn; or fetch that account with --account-profile "
   "ACCOUNT=PROFILE, or run docs/collect.sh there, into the same folder."},
  {"TRAFFIC_BLOCKED_CONFIG_UNSEEN", XD_SEV_CRITICAL, "crosscheck",
   "The traffic is blocked where the configuration could not be read",
   "The configuration could not decide the path (an account's network was "
   "not readable), so the packets decide it: the probe timed out, or the "
   "EMR-side capture places the loss, and the path is blocked. Which "
   "element drops it is not known; the verdict comes from traffic only.",
   "A path whose configuration verdict is unknown, and a Studio-side probe "
   "(filtered) or captures that show the handshake did not complete.",
   "Read the EMR account's configuration (the read role, a profile, or "
   "docs/collect.sh) and analyze again; `xacct-doctor listen` on the "
   "primary node places the break."},
  /* From the cross-check of observations (probes, captures) against the
   * configuration: analyzer/crosscheck.c. */
  {"SERVICE_NOT_LISTENING", XD_SEV_CRITICAL, "service",
   "Nothing listens on the port of the primary node",
   "The packets reach the primary node, which answers the SYN with a reset: "
   "the network is fine, but the application (Livy, HiveServer2, Presto) is "
   "not installed, not running, or listens on another port. Studio shows "
   "\"Cannot connect to livy service\" at once rather than after a timeout.",
   "The Studio-side probe reports the port closed (conn-refused), or a "
   "capture on either side saw a RST from the server.",
   "Check the application on the primary node (the finding's command runs "
   "`ss -ltnp` and `systemctl status` there through SSM); restart it, or "
   "create a cluster with the application installed."},
  {"HOST_FIREWALL_DROPS", XD_SEV_CRITICAL, "service",
   "SYNs reach the primary node and nothing answers",
   "The configuration lets the traffic through and the EMR-side capture sees "
   "the SYNs arrive, but no SYN-ACK and no RST leave: a host firewall "
   "(iptables, nftables, firewalld) on the primary node drops them, or the "
   "application's listen queue is full.",
   "`xacct-doctor listen` on the primary node counted SYNs of the flow and "
   "no SYN-ACK or RST from the server.",
   "Inspect the host's rules (the finding's command lists them through SSM) "
   "and allow the port from the Studio subnet."},
  {"CONFIG_ALLOWS_TRAFFIC_DIES", XD_SEV_CRITICAL, "crosscheck",
   "The configuration allows the path, but the traffic dies",
   "Every route, rule and option in the snapshot lets the connection "
   "through, yet the probe times out. Something the snapshot does not "
   "show drops it (a host firewall, a rule changed after the snapshot was "
   "taken, a firewall appliance), or the snapshot is stale.",
   "A Studio-side probe of a path the configuration calls reachable was "
   "filtered; with an EMR-side capture the evidence says whether the SYN "
   "arrived (then the break is on the return path) or not.",
   "Take a fresh snapshot (`xacct-doctor fetch`) and analyze again; run "
   "`xacct-doctor listen` on the primary node to place the break."},
  {"CONFIG_BLOCKS_TRAFFIC_PASSES", XD_SEV_WARNING, "crosscheck",
   "The configuration blocks the path, but the traffic passes",
   "The snapshot says an element blocks the connection, yet the handshake "
   "completed: the snapshot is stale or incomplete, and its other findings "
   "should be read with care.",
   "A probe or capture saw the SYN-ACK of a path that the configuration "
   "calls blocked; the evidence names the hop that was expected to block.",
   "Take a fresh snapshot (`xacct-doctor fetch --out DIR`) and analyze it."},
  {"DNS_ANSWER_PUBLIC", XD_SEV_CRITICAL, "dns",
   "The primary node's name resolved to its public address",
   "From the Studio side, MasterPublicDnsName resolved to the public address "
   "of the primary node, so the client connects to an address the peering "
   "does not carry: DNS resolution over the peering is off.",
   "A DNS observation for the cluster's MasterPublicDnsName returned the "
   "instance's public IP (from emr-list-instances).",
   "Enable AllowDnsResolutionFromRemoteVpc on the EMR VPC's side of the "
   "peering: `aws ec2 modify-vpc-peering-connection-options "
   "--vpc-peering-connection-id pcx-... --accepter-peering-connection-options "
   "AllowDnsResolutionFromRemoteVpc=true` (or --requester-..., whichever side "
   "is the EMR VPC)."},
  /* issue 18: AWS semantics */
#include "findings/catalogue_semantics.inc"
#include "findings/catalogue_dns.inc"
  /* issue 19 item 4: the packets' side of the control plane and DNS
   * (a table of its own: this file is at its size limit) */
#include "controlplane/probe_codes.inc"
  /* issue 19: the control plane (STS and EMR APIs from Studio) */
#include "controlplane/catalogue.h"
};

const az_catalogue_entry *az_catalogue_all(size_t *n)
{
  *n = sizeof(entries) / sizeof(entries[0]);
  return entries;
}

const az_catalogue_entry *az_catalogue_find(const char *code)
{
  size_t n;
  const az_catalogue_entry *all = az_catalogue_all(&n);
  for(size_t i = 0; code && i < n; i++)
    if(!strcasecmp(all[i].code, code))
      return &all[i];
  return NULL;
}
