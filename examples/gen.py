#!/usr/bin/env python3
"""Write examples/healthy and examples/broken: the seed two-account setup
(SageMaker Studio in 111111111111, EMR in 222222222222, us-east-1) as the
AWS CLI prints it, one file per call (the snapshot layout of
docs/../shared/contract.md).

Run it from anywhere:  python3 examples/gen.py
The generated JSON files are committed; this script is how they were made
and how to change them consistently. When botocore is installed (Debian:
python3-botocore) every file is checked against the output shape of its API
operation, so a misspelt or misplaced field fails here, not in a test.
"""
import json
import os
import shutil
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))

STUDIO, EMR = "111111111111", "222222222222"
REGION = "us-east-1"

# Realistic resource ids: prefix + 17 hex digits.
ID = {
    "studio_vpc": "vpc-0a1b2c3d4e5f60718",
    "studio_subnet": "subnet-0b2c3d4e5f6071829",
    "studio_pub_subnet": "subnet-0c3d4e5f607182930",
    "studio_igw": "igw-0d4e5f60718293a4b",
    "studio_nat": "nat-0e5f60718293a4b5c",
    "studio_rtb_main": "rtb-0f60718293a4b5c6d",
    "studio_rtb_private": "rtb-0718293a4b5c6d7e8",
    "studio_rtb_public": "rtb-08293a4b5c6d7e8f9",
    "studio_vpce_s3": "vpce-093a4b5c6d7e8f901",
    "studio_sg_default": "sg-0a4b5c6d7e8f90112",
    "studio_sg": "sg-0b5c6d7e8f9011223",
    "studio_acl": "acl-0c6d7e8f901122334",
    "studio_eni_app": "eni-0d7e8f90112233445",
    "studio_eni_nat": "eni-0e8f9011223344556",
    "pcx": "pcx-0f90112233445566a",
    "emr_vpc": "vpc-02e4f6a8b0c2d4e6f",
    "emr_subnet": "subnet-03f5a7b9c1d3e5f70",
    "emr_pub_subnet": "subnet-04a6b8c0d2e4f6a81",
    "emr_igw": "igw-05b7c9d1e3f5a7b92",
    "emr_nat": "nat-06c8d0e2f4a6b8c03",
    "emr_rtb_main": "rtb-07d9e1f3a5b7c9d14",
    "emr_rtb_private": "rtb-08eaf2b4c6d8e0f25",
    "emr_rtb_public": "rtb-09fb03c5d7e9f1a36",
    "emr_sg_default": "sg-0a0c14d6e8fa02b47",
    "emr_sg_master": "sg-0b1d25e7f90b13c58",
    "emr_sg_slave": "sg-0c2e36f80a1c24d69",
    "emr_sg_service": "sg-0d3f47091b2d35e7a",
    "emr_sg_studio_access": "sg-0e4058102c3e46f8b",
    "emr_acl": "acl-0f5169213d4f5709c",
    "emr_eni_primary": "eni-0a9b8c7d6e5f40312",
    "emr_i_primary": "i-0f1e2d3c4b5a69788",
    "emr_i_core1": "i-0e2d3c4b5a6978801",
    "emr_i_core2": "i-0d3c4b5a697880112",
}
CLUSTER = "j-3KQ7ZP1XW5R2B"
DOMAIN = "d-7kq2xw9mzp4a"
S3_PL = "pl-63a5400a"  # the real id of com.amazonaws.us-east-1.s3
SECCONF = "emr-studio-at-rest-encryption"
ROLE_NAME = "SageMakerStudioEmrDiscoveryRole"
ROLE_ARN = f"arn:aws:iam::{EMR}:role/{ROLE_NAME}"
POLICY_ARN = f"arn:aws:iam::{EMR}:policy/SageMakerStudioEmrDiscoveryPolicy"
EXEC_ROLE_NAME = "AmazonSageMaker-ExecutionRole-20240502T101112"
EXEC_ROLE_ARN = f"arn:aws:iam::{STUDIO}:role/service-role/{EXEC_ROLE_NAME}"
PRIMARY_IP, PRIMARY_DNS = "2.0.1.10", "ip-2-0-1-10.ec2.internal"
STUDIO_IP = "10.0.20.15"

for k, v in ID.items():
    hexpart = v.split("-", 1)[1]
    assert len(hexpart) == 17 and all(c in "0123456789abcdef" for c in hexpart), k


# ---------------------------------------------------------------- EC2 ----

def vpc(vid, owner, cidr):
    assoc = "vpc-cidr-assoc-" + vid[4:]
    return {
        "CidrBlock": cidr, "DhcpOptionsId": "dopt-0" + vid[5:21],
        "State": "available", "VpcId": vid, "OwnerId": owner,
        "InstanceTenancy": "default",
        "CidrBlockAssociationSet": [{
            "AssociationId": assoc, "CidrBlock": cidr,
            "CidrBlockState": {"State": "associated"}}],
        "IsDefault": False,
        "Tags": [{"Key": "Name", "Value": "studio" if owner == STUDIO else "emr"}],
    }


def vpc_attr(vid, attr, value):
    key = attr[0].upper() + attr[1:]
    return {"VpcId": vid, key: {"Value": value}}


def subnet(sid, vid, owner, cidr, az, name, public=False):
    return {
        "AvailabilityZone": az, "AvailabilityZoneId": "use1-az" + ("4" if az.endswith("a") else "6"),
        "AvailableIpAddressCount": 250, "CidrBlock": cidr,
        "DefaultForAz": False, "MapPublicIpOnLaunch": public, "State": "available",
        "SubnetId": sid, "VpcId": vid, "OwnerId": owner,
        "AssignIpv6AddressOnCreation": False, "Ipv6CidrBlockAssociationSet": [],
        "Tags": [{"Key": "Name", "Value": name}],
        "SubnetArn": f"arn:aws:ec2:{REGION}:{owner}:subnet/{sid}",
        "EnableDns64": False, "Ipv6Native": False,
        "PrivateDnsNameOptionsOnLaunch": {
            "HostnameType": "ip-name", "EnableResourceNameDnsARecord": False,
            "EnableResourceNameDnsAAAARecord": False},
    }


def route(dest, **target):
    r = {}
    if dest.startswith("pl-"):
        r["DestinationPrefixListId"] = dest
    else:
        r["DestinationCidrBlock"] = dest
    r.update(target)
    r.setdefault("Origin", "CreateRoute")
    r.setdefault("State", "active")
    return r


def local(cidr):
    return route(cidr, GatewayId="local", Origin="CreateRouteTable")


def rtb(rid, vid, owner, routes, subnets=(), main=False, name=None):
    assocs = []
    n = 0
    if main:
        assocs.append({"Main": True, "RouteTableAssociationId": "rtbassoc-0" + rid[5:13] + "%08x" % n,
                       "RouteTableId": rid, "AssociationState": {"State": "associated"}})
    for s in subnets:
        n += 1
        assocs.append({"Main": False, "RouteTableAssociationId": "rtbassoc-0" + rid[5:13] + "%08x" % n,
                       "RouteTableId": rid, "SubnetId": s,
                       "AssociationState": {"State": "associated"}})
    return {"Associations": assocs, "PropagatingVgws": [], "RouteTableId": rid,
            "Routes": routes, "Tags": [{"Key": "Name", "Value": name}] if name else [],
            "VpcId": vid, "OwnerId": owner}


def perm(proto, ports=None, cidrs=(), groups=(), prefix_lists=(), desc=None):
    p = {"IpProtocol": proto, "IpRanges": [], "Ipv6Ranges": [],
         "PrefixListIds": [], "UserIdGroupPairs": []}
    if ports is not None:
        p["FromPort"], p["ToPort"] = ports
    for c in cidrs:
        p["IpRanges"].append({"CidrIp": c, **({"Description": desc} if desc else {})})
    for g in groups:
        p["UserIdGroupPairs"].append({**g, **({"Description": desc} if desc else {})})
    for pl in prefix_lists:
        p["PrefixListIds"].append({"PrefixListId": pl})
    return p


def group_ref(gid, owner):
    return {"GroupId": gid, "UserId": owner}


def sg(gid, name, desc, vid, owner, ingress, egress):
    return {"Description": desc, "GroupName": name, "IpPermissions": ingress,
            "OwnerId": owner, "GroupId": gid, "IpPermissionsEgress": egress,
            "VpcId": vid}


ALL_OUT = [perm("-1", cidrs=["0.0.0.0/0"])]


def default_nacl(aid, vid, owner, subnets):
    entries = []
    for egress in (True, False):
        entries.append({"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1",
                        "RuleAction": "allow", "RuleNumber": 100})
        entries.append({"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1",
                        "RuleAction": "deny", "RuleNumber": 32767})
    return {"Associations": [{"NetworkAclAssociationId": "aclassoc-0" + s[8:24],
                              "NetworkAclId": aid, "SubnetId": s} for s in subnets],
            "Entries": entries, "IsDefault": True, "NetworkAclId": aid,
            "Tags": [], "VpcId": vid, "OwnerId": owner}


def pcx(dns_on_emr_side=True):
    def side(owner, vid, cidr, dns):
        return {"CidrBlock": cidr, "CidrBlockSet": [{"CidrBlock": cidr}],
                "OwnerId": owner,
                "PeeringOptions": {"AllowDnsResolutionFromRemoteVpc": dns,
                                   "AllowEgressFromLocalClassicLinkToRemoteVpc": False,
                                   "AllowEgressFromLocalVpcToRemoteClassicLink": False},
                "VpcId": vid, "Region": REGION}
    return {"VpcPeeringConnections": [{
        "AccepterVpcInfo": side(EMR, ID["emr_vpc"], "2.0.0.0/16", dns_on_emr_side),
        "RequesterVpcInfo": side(STUDIO, ID["studio_vpc"], "10.0.0.0/16", False),
        "Status": {"Code": "active", "Message": "Active"},
        "Tags": [{"Key": "Name", "Value": "studio-to-emr"}],
        "VpcPeeringConnectionId": ID["pcx"]}]}


def eni(eid, owner, vid, sid, ip, groups, desc, itype="interface",
        requester=None, instance=None):
    e = {"AvailabilityZone": "us-east-1a", "Description": desc,
         "Groups": [{"GroupName": n, "GroupId": g} for g, n in groups],
         "InterfaceType": itype, "Ipv6Addresses": [],
         "MacAddress": "0e:" + ":".join(eid[4 + 2 * i:6 + 2 * i] for i in range(5)),
         "NetworkInterfaceId": eid, "OwnerId": owner,
         "PrivateDnsName": "ip-" + ip.replace(".", "-") + ".ec2.internal",
         "PrivateIpAddress": ip,
         "PrivateIpAddresses": [{"Primary": True,
                                 "PrivateDnsName": "ip-" + ip.replace(".", "-") + ".ec2.internal",
                                 "PrivateIpAddress": ip}],
         "RequesterManaged": requester is not None, "SourceDestCheck": True,
         "Status": "in-use", "SubnetId": sid, "TagSet": [], "VpcId": vid}
    if requester:
        e["RequesterId"] = requester
    if instance:
        e["Attachment"] = {"AttachTime": "2024-05-02T10:14:21+00:00",
                           "AttachmentId": "eni-attach-0" + eid[5:21],
                           "DeleteOnTermination": True, "DeviceIndex": 0,
                           "NetworkCardIndex": 0, "InstanceId": instance,
                           "InstanceOwnerId": owner, "Status": "attached"}
    return e


# ---------------------------------------------------------------- EMR ----

def cluster():
    a = ID
    return {"Cluster": {
        "Id": CLUSTER, "Name": "analytics-spark",
        "Status": {"State": "WAITING",
                   "StateChangeReason": {"Message": "Cluster ready to run steps."},
                   "Timeline": {"CreationDateTime": "2024-05-02T10:11:12.345000+00:00",
                                "ReadyDateTime": "2024-05-02T10:19:40.112000+00:00"}},
        "Ec2InstanceAttributes": {
            "Ec2KeyName": "emr-admin", "Ec2SubnetId": a["emr_subnet"],
            "RequestedEc2SubnetIds": [a["emr_subnet"]],
            "Ec2AvailabilityZone": "us-east-1a",
            "RequestedEc2AvailabilityZones": [],
            "IamInstanceProfile": "EMR_EC2_DefaultRole",
            "EmrManagedMasterSecurityGroup": a["emr_sg_master"],
            "EmrManagedSlaveSecurityGroup": a["emr_sg_slave"],
            "ServiceAccessSecurityGroup": a["emr_sg_service"],
            "AdditionalMasterSecurityGroups": [a["emr_sg_studio_access"]],
            "AdditionalSlaveSecurityGroups": []},
        "InstanceCollectionType": "INSTANCE_GROUP",
        "LogUri": f"s3n://aws-logs-{EMR}-{REGION}/elasticmapreduce/",
        "ReleaseLabel": "emr-6.15.0", "AutoTerminate": False,
        "TerminationProtected": False, "UnhealthyNodeReplacement": True,
        "VisibleToAllUsers": True,
        "Applications": [{"Name": "Hadoop", "Version": "3.3.6"},
                         {"Name": "Hive", "Version": "3.1.3"},
                         {"Name": "Livy", "Version": "0.7.1"},
                         {"Name": "Presto", "Version": "0.283"},
                         {"Name": "Spark", "Version": "3.4.1"}],
        "Tags": [{"Key": "team", "Value": "data"}],
        "ServiceRole": "EMR_DefaultRole", "NormalizedInstanceHours": 48,
        "MasterPublicDnsName": PRIMARY_DNS,
        "Configurations": [
            {"Classification": "livy-conf",
             "Properties": {"livy.server.session.timeout": "2h",
                            "livy.server.session.timeout-check": "true"}},
            {"Classification": "spark-defaults",
             "Properties": {"spark.dynamicAllocation.enabled": "true"}},
            {"Classification": "hadoop-env", "Properties": {},
             "Configurations": [{"Classification": "export",
                                 "Properties": {"JAVA_HOME": "/usr/lib/jvm/java-1.8.0"}}]}],
        "SecurityConfiguration": SECCONF,
        "ScaleDownBehavior": "TERMINATE_AT_TASK_COMPLETION",
        "ClusterArn": f"arn:aws:elasticmapreduce:{REGION}:{EMR}:cluster/{CLUSTER}",
        "StepConcurrencyLevel": 1, "PlacementGroups": [],
        "OSReleaseLabel": "2.0.20240412.0"}}


def instances():
    def inst(ci, ec2, ip, group, state="RUNNING"):
        return {"Id": ci, "Ec2InstanceId": ec2, "PublicDnsName": "",
                "PrivateDnsName": "ip-" + ip.replace(".", "-") + ".ec2.internal",
                "PrivateIpAddress": ip,
                "Status": {"State": state, "StateChangeReason": {},
                           "Timeline": {"CreationDateTime": "2024-05-02T10:11:30.101000+00:00",
                                        "ReadyDateTime": "2024-05-02T10:18:02.550000+00:00"}},
                "InstanceGroupId": group, "Market": "ON_DEMAND",
                "InstanceType": "m5.xlarge",
                "EbsVolumes": [{"Device": "/dev/sdb", "VolumeId": "vol-0" + ec2[3:19]}]}
    return {"Instances": [
        inst("ci-01AB23CD45EF6", ID["emr_i_primary"], PRIMARY_IP, "ig-1A2B3C4D5E6F7"),
        inst("ci-02BC34DE56FA7", ID["emr_i_core1"], "2.0.1.11", "ig-2B3C4D5E6F7A8"),
        inst("ci-03CD45EF67AB8", ID["emr_i_core2"], "2.0.1.12", "ig-2B3C4D5E6F7A8")]}


def secconf():
    doc = {"EncryptionConfiguration": {
        "EnableInTransitEncryption": False, "EnableAtRestEncryption": True,
        "AtRestEncryptionConfiguration": {
            "S3EncryptionConfiguration": {"EncryptionMode": "SSE-S3"}}}}
    return {"Name": SECCONF, "SecurityConfiguration": json.dumps(doc),
            "CreationDateTime": "2024-05-01T08:00:00.000000+00:00"}


# ---------------------------------------------------------- SageMaker ----

def domain():
    return {
        "DomainArn": f"arn:aws:sagemaker:{REGION}:{STUDIO}:domain/{DOMAIN}",
        "DomainId": DOMAIN, "DomainName": "data-science",
        "HomeEfsFileSystemId": "fs-0a1b2c3d4e5f60718", "Status": "InService",
        "CreationTime": "2024-05-02T10:00:00.000000+00:00",
        "LastModifiedTime": "2024-05-02T10:05:00.000000+00:00",
        "AuthMode": "IAM",
        "DefaultUserSettings": {
            "ExecutionRole": EXEC_ROLE_ARN,
            "SecurityGroups": [ID["studio_sg"]],
            "JupyterLabAppSettings": {
                "DefaultResourceSpec": {"InstanceType": "ml.t3.medium"},
                "EmrSettings": {"AssumableRoleArns": [ROLE_ARN],
                                "ExecutionRoleArns": []}},
            "StudioWebPortal": "ENABLED", "DefaultLandingUri": "studio::"},
        "AppNetworkAccessType": "VpcOnly",
        "SubnetIds": [ID["studio_subnet"]],
        "Url": f"https://{DOMAIN}.studio.{REGION}.sagemaker.aws",
        "VpcId": ID["studio_vpc"], "AppSecurityGroupManagement": "Service"}


# ---------------------------------------------------------------- IAM ----

def doc_str(doc, encode):
    """As the raw API returns it (URL-encoded) or the CLI prints it."""
    if encode:
        return urllib.parse.quote(json.dumps(doc, separators=(",", ":")), safe="")
    return doc


def iam_studio(encode=True):
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"},
        "Action": "sts:AssumeRole"}]}
    assume = {"Version": "2012-10-17", "Statement": [{
        "Sid": "AssumeEmrDiscoveryRole", "Effect": "Allow",
        "Action": "sts:AssumeRole", "Resource": ROLE_ARN}]}
    return {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [{
        "Path": "/service-role/", "RoleName": EXEC_ROLE_NAME,
        "RoleId": "AROAXSTUDIOEXAMPLE0001", "Arn": EXEC_ROLE_ARN,
        "CreateDate": "2024-05-02T10:11:12+00:00",
        "AssumeRolePolicyDocument": doc_str(trust, encode),
        "InstanceProfileList": [],
        "RolePolicyList": [{"PolicyName": "AssumeEmrDiscoveryRole",
                            "PolicyDocument": doc_str(assume, encode)}],
        "AttachedManagedPolicies": [{
            "PolicyName": "AmazonSageMakerFullAccess",
            "PolicyArn": "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"}],
        "Tags": [], "RoleLastUsed": {}}], "Policies": []}


def discovery_policy():
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "AllowPresignedUrl", "Effect": "Allow", "Action": [
            "elasticmapreduce:DescribeCluster", "elasticmapreduce:ListInstanceGroups",
            "elasticmapreduce:ListInstances",
            "elasticmapreduce:CreatePersistentAppUI", "elasticmapreduce:DescribePersistentAppUI",
            "elasticmapreduce:GetPersistentAppUIPresignedURL",
            "elasticmapreduce:GetOnClusterAppUIPresignedURL"],
         "Resource": [f"arn:aws:elasticmapreduce:{REGION}:{EMR}:cluster/*"]},
        {"Sid": "AllowClusterDetails", "Effect": "Allow",
         "Action": ["elasticmapreduce:DescribeSecurityConfiguration"], "Resource": "*"},
        {"Sid": "AllowClusterDiscovery", "Effect": "Allow",
         "Action": ["elasticmapreduce:ListClusters"], "Resource": "*"},
        {"Sid": "AllowSagemakerProjectManagement", "Effect": "Allow",
         "Action": ["servicecatalog:SearchProducts"], "Resource": "*"}]}


def iam_emr():
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{STUDIO}:root"},
        "Action": "sts:AssumeRole"}]}
    return {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [{
        "Path": "/", "RoleName": ROLE_NAME, "RoleId": "AROAXEMREXAMPLE000001",
        "Arn": ROLE_ARN, "CreateDate": "2024-05-02T09:30:00+00:00",
        "AssumeRolePolicyDocument": trust, "InstanceProfileList": [],
        "RolePolicyList": [],
        "AttachedManagedPolicies": [{"PolicyName": "SageMakerStudioEmrDiscoveryPolicy",
                                     "PolicyArn": POLICY_ARN}],
        "Tags": [], "RoleLastUsed": {"LastUsedDate": "2024-05-03T08:00:00+00:00",
                                     "Region": REGION}}],
        "Policies": [{
            "PolicyName": "SageMakerStudioEmrDiscoveryPolicy",
            "PolicyId": "ANPAXEMREXAMPLE000001", "Arn": POLICY_ARN, "Path": "/",
            "DefaultVersionId": "v1", "AttachmentCount": 1,
            "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
            "CreateDate": "2024-05-02T09:29:00+00:00",
            "UpdateDate": "2024-05-02T09:29:00+00:00",
            "PolicyVersionList": [{"Document": discovery_policy(), "VersionId": "v1",
                                   "IsDefaultVersion": True,
                                   "CreateDate": "2024-05-02T09:29:00+00:00"}]}]}


# ----------------------------------------------------------- the setup ---

def snapshot(broken):
    a = ID
    files = {}
    S = f"{STUDIO}/{REGION}/"
    E = f"{EMR}/{REGION}/"

    # Studio account
    files[S + "ec2-describe-vpcs.json"] = {"Vpcs": [vpc(a["studio_vpc"], STUDIO, "10.0.0.0/16")]}
    for attr in ("enableDnsSupport", "enableDnsHostnames"):
        files[S + f"ec2-describe-vpc-attribute--{a['studio_vpc']}--{attr}.json"] = \
            vpc_attr(a["studio_vpc"], attr, True)
    files[S + "ec2-describe-subnets.json"] = {"Subnets": [
        subnet(a["studio_subnet"], a["studio_vpc"], STUDIO, "10.0.20.0/24", "us-east-1a", "studio-private-a"),
        subnet(a["studio_pub_subnet"], a["studio_vpc"], STUDIO, "10.0.0.0/24", "us-east-1a", "studio-public-a", True)]}
    files[S + "ec2-describe-route-tables.json"] = {"RouteTables": [
        rtb(a["studio_rtb_main"], a["studio_vpc"], STUDIO, [local("10.0.0.0/16")], main=True),
        rtb(a["studio_rtb_private"], a["studio_vpc"], STUDIO, [
            local("10.0.0.0/16"),
            route("2.0.1.0/24", VpcPeeringConnectionId=a["pcx"]),
            route("0.0.0.0/0", NatGatewayId=a["studio_nat"]),
            route(S3_PL, GatewayId=a["studio_vpce_s3"], Origin="CreateRoute")],
            subnets=[a["studio_subnet"]], name="studio-private"),
        rtb(a["studio_rtb_public"], a["studio_vpc"], STUDIO, [
            local("10.0.0.0/16"), route("0.0.0.0/0", GatewayId=a["studio_igw"])],
            subnets=[a["studio_pub_subnet"]], name="studio-public")]}
    files[S + "ec2-describe-security-groups.json"] = {"SecurityGroups": [
        sg(a["studio_sg_default"], "default", "default VPC security group", a["studio_vpc"], STUDIO,
           [perm("-1", groups=[group_ref(a["studio_sg_default"], STUDIO)])], ALL_OUT),
        sg(a["studio_sg"], "sagemaker-studio-" + DOMAIN,
           "SageMaker Studio apps of domain " + DOMAIN, a["studio_vpc"], STUDIO,
           [perm("-1", groups=[group_ref(a["studio_sg"], STUDIO)],
                 desc="between Studio apps (NFS to EFS, kernel gateways)")],
           ALL_OUT)]}
    files[S + "ec2-describe-network-acls.json"] = {"NetworkAcls": [
        default_nacl(a["studio_acl"], a["studio_vpc"], STUDIO,
                     [a["studio_subnet"], a["studio_pub_subnet"]])]}
    files[S + "ec2-describe-vpc-peering-connections.json"] = pcx()
    files[S + "ec2-describe-network-interfaces.json"] = {"NetworkInterfaces": [
        eni(a["studio_eni_app"], STUDIO, a["studio_vpc"], a["studio_subnet"], STUDIO_IP,
            [(a["studio_sg"], "sagemaker-studio-" + DOMAIN)],
            f"[DO NOT DELETE] ENI managed by SageMaker Studio domain ID: {DOMAIN}",
            requester="AROAXSAGEMAKEREXAMPLE:SageMaker"),
        eni(a["studio_eni_nat"], STUDIO, a["studio_vpc"], a["studio_pub_subnet"], "10.0.0.123",
            [], f"Interface for NAT Gateway {a['studio_nat']}", itype="nat_gateway",
            requester="440000000000")]}
    files[S + "ec2-describe-managed-prefix-lists.json"] = {"PrefixLists": [{
        "PrefixListId": S3_PL, "AddressFamily": "IPv4", "State": "create-complete",
        "PrefixListArn": f"arn:aws:ec2:{REGION}:aws:prefix-list/{S3_PL}",
        "PrefixListName": f"com.amazonaws.{REGION}.s3", "Tags": [], "OwnerId": "AWS"}]}
    files[S + f"ec2-get-managed-prefix-list-entries--{S3_PL}.json"] = {"Entries": [
        {"Cidr": c} for c in ("16.182.0.0/16", "18.34.0.0/19", "18.34.232.0/21",
                              "3.5.0.0/19", "44.192.134.240/28", "44.192.140.64/28",
                              "52.216.0.0/15", "54.231.0.0/16")]}
    files[S + f"sagemaker-describe-domain--{DOMAIN}.json"] = domain()
    files[f"{STUDIO}/iam-get-account-authorization-details.json"] = iam_studio(encode=True)
    files[f"{STUDIO}/studio-emr-discovery-iam-role-arns.json"] = {EMR: ROLE_ARN}

    # EMR account
    files[E + "ec2-describe-vpcs.json"] = {"Vpcs": [vpc(a["emr_vpc"], EMR, "2.0.0.0/16")]}
    for attr in ("enableDnsSupport", "enableDnsHostnames"):
        files[E + f"ec2-describe-vpc-attribute--{a['emr_vpc']}--{attr}.json"] = \
            vpc_attr(a["emr_vpc"], attr, True)
    files[E + "ec2-describe-subnets.json"] = {"Subnets": [
        subnet(a["emr_subnet"], a["emr_vpc"], EMR, "2.0.1.0/24", "us-east-1a", "emr-private-a"),
        subnet(a["emr_pub_subnet"], a["emr_vpc"], EMR, "2.0.0.0/24", "us-east-1a", "emr-public-a", True)]}
    emr_private_routes = [local("2.0.0.0/16")]
    if not broken:  # fault 1: no route back to the Studio subnet
        emr_private_routes.append(route("10.0.20.0/24", VpcPeeringConnectionId=a["pcx"]))
    emr_private_routes.append(route("0.0.0.0/0", NatGatewayId=a["emr_nat"]))
    files[E + "ec2-describe-route-tables.json"] = {"RouteTables": [
        rtb(a["emr_rtb_main"], a["emr_vpc"], EMR, [local("2.0.0.0/16")], main=True),
        rtb(a["emr_rtb_private"], a["emr_vpc"], EMR, emr_private_routes,
            subnets=[a["emr_subnet"]], name="emr-private"),
        rtb(a["emr_rtb_public"], a["emr_vpc"], EMR, [
            local("2.0.0.0/16"), route("0.0.0.0/0", GatewayId=a["emr_igw"])],
            subnets=[a["emr_pub_subnet"]], name="emr-public")]}
    master, slave, service = a["emr_sg_master"], a["emr_sg_slave"], a["emr_sg_service"]
    cluster_groups = [group_ref(master, EMR), group_ref(slave, EMR)]
    cluster_in = [perm("tcp", (0, 65535), groups=cluster_groups),
                  perm("udp", (0, 65535), groups=cluster_groups),
                  perm("icmp", (-1, -1), groups=cluster_groups)]
    studio_pair = {"GroupId": a["studio_sg"], "UserId": STUDIO, "VpcId": a["studio_vpc"],
                   "VpcPeeringConnectionId": a["pcx"], "PeeringStatus": "active"}
    studio_ports = [] if broken else [8998]  # fault 2: Livy's port not open
    studio_ports += [10000, 8889]
    files[E + "ec2-describe-security-groups.json"] = {"SecurityGroups": [
        sg(a["emr_sg_default"], "default", "default VPC security group", a["emr_vpc"], EMR,
           [perm("-1", groups=[group_ref(a["emr_sg_default"], EMR)])], ALL_OUT),
        sg(master, "ElasticMapReduce-Master-Private", "Master group for Elastic MapReduce created on 2024-05-02T10:11:05.713Z",
           a["emr_vpc"], EMR, cluster_in + [perm("tcp", (8443, 8443), groups=[group_ref(service, EMR)])],
           ALL_OUT),
        sg(slave, "ElasticMapReduce-Slave-Private", "Slave group for Elastic MapReduce created on 2024-05-02T10:11:05.713Z",
           a["emr_vpc"], EMR, cluster_in + [perm("tcp", (8443, 8443), groups=[group_ref(service, EMR)])],
           ALL_OUT),
        sg(service, "ElasticMapReduce-ServiceAccess", "Service access group for Elastic MapReduce created on 2024-05-02T10:11:05.713Z",
           a["emr_vpc"], EMR, [perm("tcp", (9443, 9443), groups=[group_ref(master, EMR)])],
           [perm("tcp", (8443, 8443), groups=[group_ref(master, EMR), group_ref(slave, EMR)])]),
        sg(a["emr_sg_studio_access"], "emr-primary-from-studio",
           "SageMaker Studio in 111111111111 to the EMR primary node", a["emr_vpc"], EMR,
           [perm("tcp", (p, p), groups=[studio_pair], desc="Studio " + name)
            for p, name in zip([8998, 10000, 8889], ["Livy", "HiveServer2", "Presto"])
            if p in studio_ports],
           ALL_OUT)]}
    files[E + "ec2-describe-network-acls.json"] = {"NetworkAcls": [
        default_nacl(a["emr_acl"], a["emr_vpc"], EMR, [a["emr_subnet"], a["emr_pub_subnet"]])]}
    files[E + "ec2-describe-vpc-peering-connections.json"] = pcx()
    files[E + "ec2-describe-network-interfaces.json"] = {"NetworkInterfaces": [
        eni(a["emr_eni_primary"], EMR, a["emr_vpc"], a["emr_subnet"], PRIMARY_IP,
            [(master, "ElasticMapReduce-Master-Private"),
             (a["emr_sg_studio_access"], "emr-primary-from-studio")],
            "", instance=a["emr_i_primary"])]}
    files[E + f"emr-describe-cluster--{CLUSTER}.json"] = cluster()
    files[E + f"emr-list-instances--{CLUSTER}.json"] = instances()
    files[E + f"emr-describe-security-configuration--{SECCONF}.json"] = secconf()
    files[f"{EMR}/iam-get-account-authorization-details.json"] = iam_emr()

    files["xacct-doctor.json"] = {
        "studio": {"account": STUDIO, "region": REGION, "domain_id": DOMAIN,
                   "source_ip": STUDIO_IP},
        "emr": [{"account": EMR, "region": REGION, "cluster_id": CLUSTER,
                 "role_arn": ROLE_ARN}],
        "ports": [8998, 10000, 8889]}
    return files


# --------------------------------------------- check against botocore ---

OPS = {  # file name prefix -> (service, operation)
    "ec2-describe-vpcs": ("ec2", "DescribeVpcs"),
    "ec2-describe-vpc-attribute": ("ec2", "DescribeVpcAttribute"),
    "ec2-describe-subnets": ("ec2", "DescribeSubnets"),
    "ec2-describe-route-tables": ("ec2", "DescribeRouteTables"),
    "ec2-describe-security-groups": ("ec2", "DescribeSecurityGroups"),
    "ec2-describe-network-acls": ("ec2", "DescribeNetworkAcls"),
    "ec2-describe-vpc-peering-connections": ("ec2", "DescribeVpcPeeringConnections"),
    "ec2-describe-network-interfaces": ("ec2", "DescribeNetworkInterfaces"),
    "ec2-describe-managed-prefix-lists": ("ec2", "DescribeManagedPrefixLists"),
    "ec2-get-managed-prefix-list-entries": ("ec2", "GetManagedPrefixListEntries"),
    "emr-describe-cluster": ("emr", "DescribeCluster"),
    "emr-list-instances": ("emr", "ListInstances"),
    "emr-describe-security-configuration": ("emr", "DescribeSecurityConfiguration"),
    "sagemaker-describe-domain": ("sagemaker", "DescribeDomain"),
    "iam-get-account-authorization-details": ("iam", "GetAccountAuthorizationDetails"),
}


ENUM_EXTRA = {"nat_gateway"}  # what DescribeNetworkInterfaces really prints


def check_shapes(files):
    try:
        import botocore.session
    except ImportError:
        print("gen.py: botocore not installed, shapes not checked", file=sys.stderr)
        return
    session = botocore.session.get_session()
    models = {}

    def walk(shape, value, where):
        t = shape.type_name
        if t == "structure":
            assert isinstance(value, dict), f"{where}: expected an object"
            for k, v in value.items():
                assert k in shape.members, f"{where}.{k}: no such field in {shape.name}"
                walk(shape.members[k], v, f"{where}.{k}")
        elif t == "list":
            assert isinstance(value, list), f"{where}: expected a list"
            for i, v in enumerate(value):
                walk(shape.member, v, f"{where}[{i}]")
        elif t == "map":
            assert isinstance(value, dict), f"{where}: expected a map"
            for k, v in value.items():
                walk(shape.value, v, f"{where}.{k}")
        elif t == "string":
            # the CLI prints IAM policy documents decoded (as objects)
            ok = isinstance(value, str) or (shape.name == "policyDocumentType" and isinstance(value, dict))
            assert ok, f"{where}: expected a string"
            # AWS prints some values its own model does not list
            if shape.enum and value not in ENUM_EXTRA:
                assert value in shape.enum, f"{where}: {value!r} not one of {shape.enum}"
        elif t == "boolean":
            assert isinstance(value, bool), f"{where}: expected a boolean"
        elif t in ("integer", "long"):
            assert isinstance(value, int) and not isinstance(value, bool), f"{where}: expected an integer"
        elif t in ("float", "double"):
            assert isinstance(value, (int, float)), f"{where}: expected a number"
        elif t == "timestamp":
            assert isinstance(value, (str, int, float)), f"{where}: expected a timestamp"

    for rel, data in sorted(files.items()):
        base = os.path.basename(rel)[:-5].split("--")[0]
        if base not in OPS:
            continue
        svc, op = OPS[base]
        if svc not in models:
            models[svc] = session.get_service_model(svc)
        walk(models[svc].operation_model(op).output_shape, data, rel)


def write(root, files):
    if os.path.isdir(root):
        shutil.rmtree(root)
    for rel, data in sorted(files.items()):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(data, f, indent=4)
            f.write("\n")


def main():
    for name, broken in (("healthy", False), ("broken", True)):
        files = snapshot(broken)
        check_shapes(files)
        write(os.path.join(HERE, name), files)
    print("wrote examples/healthy and examples/broken")


if __name__ == "__main__":
    main()
