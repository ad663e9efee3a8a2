"""Write the snapshot folder (contract layout, AWS CLI JSON shapes) that
describes a scenario world: what `aws <service> <command> --output json`
would print in each account."""

import ipaddress
import json
import os
import shutil
import tempfile

from . import controlplane as cp
from . import scenario as sc

DEFAULT_TIME = "2026-01-05T09:30:00+00:00"
PROTO_NAMES = {-1: "-1", 6: "tcp", 17: "udp", 1: "icmp"}
AZ_IDS = {"a": "az1", "b": "az2", "c": "az4", "d": "az6", "e": "az3",
          "f": "az5"}


def _hexid(prefix, seed, n=17):
    """A deterministic AWS-looking id for objects the scenario does not
    name (association ids and the like)."""
    h = 0
    for ch in seed:
        h = (h * 131 + ord(ch)) % (16 ** n)
    return "%s-%0*x" % (prefix, n, h)


def _tags(obj):
    name = obj.get("name")
    return [{"Key": "Name", "Value": name}] if name else []


def _az_id(w, az):
    region_short = {"us-east-1": "use1", "us-east-2": "use2",
                    "us-west-2": "usw2", "eu-west-1": "euw1"}.get(
                        w["region"], w["region"].replace("-", ""))
    return "%s-%s" % (region_short, AZ_IDS.get(az[-1:], "az1"))


def _in_account(w, acct):
    vpcs = {vid for vid, v in w["vpcs"].items() if v["account"] == acct}
    subnets = {sid for sid, s in w["subnets"].items() if s["vpc"] in vpcs}
    return vpcs, subnets


def describe_vpcs(w, acct):
    out = []
    for vid, v in sorted(w["vpcs"].items()):
        if v["account"] != acct:
            continue
        out.append({
            "CidrBlock": v["cidrs"][0],
            "DhcpOptionsId": cp.dhcp(w, vid, _hexid("dopt", vid))["id"],
            "State": "available",
            "VpcId": vid,
            "OwnerId": acct,
            "InstanceTenancy": "default",
            "CidrBlockAssociationSet": [
                {"AssociationId": _hexid("vpc-cidr-assoc", vid + c),
                 "CidrBlock": c, "CidrBlockState": {"State": "associated"}}
                for c in v["cidrs"]],
            "IsDefault": False,
            "Tags": _tags(v),
        })
    return {"Vpcs": out}


def describe_vpc_attribute(w, vid, attr):
    key = {"enableDnsSupport": "dns_support",
           "enableDnsHostnames": "dns_hostnames"}[attr]
    cap = attr[0].upper() + attr[1:]
    return {"VpcId": vid, cap: {"Value": bool(w["vpcs"][vid].get(key,
                                                                   True))}}


def describe_subnets(w, acct):
    out = []
    for sid, s in sorted(w["subnets"].items()):
        if w["vpcs"][s["vpc"]]["account"] != acct:
            continue
        net = ipaddress.ip_network(s["cidr"])
        used = sum(1 for i in w["instances"].values() if i["subnet"] == sid)
        az = s.get("az", w["region"] + "a")
        out.append({
            "AvailabilityZone": az,
            "AvailabilityZoneId": _az_id(w, az),
            "AvailableIpAddressCount": net.num_addresses - 5 - used,
            "CidrBlock": s["cidr"],
            "DefaultForAz": False,
            "MapPublicIpOnLaunch": bool(s.get("public", False)),
            "MapCustomerOwnedIpOnLaunch": False,
            "State": "available",
            "SubnetId": sid,
            "VpcId": s["vpc"],
            "OwnerId": acct,
            "AssignIpv6AddressOnCreation": False,
            "Ipv6CidrBlockAssociationSet": [],
            "Tags": _tags(s),
            "SubnetArn": "arn:aws:ec2:%s:%s:subnet/%s" % (w["region"], acct,
                                                          sid),
            "EnableDns64": False,
            "Ipv6Native": False,
            "PrivateDnsNameOptionsOnLaunch": {
                "HostnameType": "ip-name",
                "EnableResourceNameDnsARecord": False,
                "EnableResourceNameDnsAAAARecord": False},
        })
    return {"Subnets": out}


def _target_key(target):
    for prefix, key in (("pcx-", "VpcPeeringConnectionId"),
                        ("nat-", "NatGatewayId"),
                        ("tgw-", "TransitGatewayId"),
                        ("eni-", "NetworkInterfaceId"),
                        ("i-", "InstanceId"),
                        ("eigw-", "EgressOnlyInternetGatewayId"),
                        ("cagw-", "CarrierGatewayId"),
                        ("lgw-", "LocalGatewayId")):
        if target.startswith(prefix):
            return key
    return "GatewayId"   # local, igw-, vgw-, vpce-


def describe_route_tables(w, acct):
    out = []
    for rid, rt in sorted(w["route_tables"].items()):
        if w["vpcs"][rt["vpc"]]["account"] != acct:
            continue
        assocs = []
        if rt.get("main"):
            assocs.append({"Main": True,
                           "RouteTableAssociationId":
                           _hexid("rtbassoc", rid + "main"),
                           "RouteTableId": rid,
                           "AssociationState": {"State": "associated"}})
        for sid in rt.get("subnets", []):
            assocs.append({"Main": False,
                           "RouteTableAssociationId":
                           _hexid("rtbassoc", rid + sid),
                           "RouteTableId": rid, "SubnetId": sid,
                           "AssociationState": {"State": "associated"}})
        routes = []
        # AWS lists the local route first, then by destination
        def order(item):
            tgt = item[1] if isinstance(item[1], str) else item[1]["target"]
            return (tgt != "local", ipaddress.ip_network(item[0]))
        for dest, r in sorted(rt["routes"].items(), key=order):
            target = r if isinstance(r, str) else r["target"]
            state = "active" if isinstance(r, str) else \
                r.get("state", "active")
            route = {"DestinationCidrBlock": dest}
            route[_target_key(target)] = target
            if target.startswith("i-"):
                route["InstanceOwnerId"] = acct
            route["Origin"] = "CreateRouteTable" if target == "local" \
                else "CreateRoute"
            route["State"] = state
            routes.append(route)
        out.append({"Associations": assocs, "PropagatingVgws": [],
                    "RouteTableId": rid, "Routes": routes,
                    "Tags": _tags(rt), "VpcId": rt["vpc"],
                    "OwnerId": acct})
    return {"RouteTables": out}


def _nacl_entry(e, egress, num):
    proto = sc.protocol_number(e["protocol"], "")
    ent = {"CidrBlock": e["cidr"], "Egress": egress,
           "Protocol": str(proto), "RuleAction": e["action"],
           "RuleNumber": num}
    if proto in (6, 17) and e.get("from") is not None:
        ent["PortRange"] = {"From": e["from"], "To": e.get("to", e["from"])}
    if proto == 1:
        ent["IcmpTypeCode"] = {"Code": e.get("icmp_code", -1),
                               "Type": e.get("icmp_type", -1)}
    return ent


def describe_network_acls(w, acct):
    out = []
    for aid, acl in sorted(w["network_acls"].items()):
        if w["vpcs"][acl["vpc"]]["account"] != acct:
            continue
        entries = []
        for egress, key in ((True, "egress"), (False, "ingress")):
            for num in sorted(acl.get(key, {}), key=int):
                entries.append(_nacl_entry(acl[key][num], egress, int(num)))
            entries.append({"CidrBlock": "0.0.0.0/0", "Egress": egress,
                            "Protocol": "-1", "RuleAction": "deny",
                            "RuleNumber": 32767})
        out.append({
            "Associations": [
                {"NetworkAclAssociationId": _hexid("aclassoc", aid + sid),
                 "NetworkAclId": aid, "SubnetId": sid}
                for sid in acl.get("subnets", [])],
            "Entries": entries,
            "IsDefault": bool(acl.get("default", False)),
            "NetworkAclId": aid,
            "Tags": _tags(acl),
            "VpcId": acl["vpc"],
            "OwnerId": acct})
    return {"NetworkAcls": out}


def _permissions(w, g, direction, acct):
    """Group a security group's rules into IpPermissions as AWS does: one
    permission per (protocol, ports) with all its sources."""
    perms = {}
    order = []
    for rname in sorted(g.get(direction, {})):
        r = g[direction][rname]
        proto = sc.protocol_number(r["protocol"], "")
        if proto in (6, 17, 1):
            lo = r.get("from", 0 if proto != 1 else -1)
            hi = r.get("to", lo if proto != 1 else -1)
            if proto != 1 and r.get("from") is None:
                lo, hi = 0, 65535
        else:
            lo = hi = None
        key = (proto, lo, hi)
        if key not in perms:
            p = {"IpProtocol": PROTO_NAMES.get(proto, str(proto))}
            if lo is not None:
                p["FromPort"] = lo
                p["ToPort"] = hi
            p.update({"IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                      "UserIdGroupPairs": []})
            perms[key] = p
            order.append(key)
        p = perms[key]
        if "cidr" in r:
            ent = {"CidrIp": r["cidr"]}
            if r.get("description"):
                ent["Description"] = r["description"]
            p["IpRanges"].append(ent)
        else:
            ref = w["security_groups"][r["group"]]
            ref_acct = w["vpcs"][ref["vpc"]]["account"]
            ent = {}
            if r.get("description"):
                ent["Description"] = r["description"]
            ent["GroupId"] = r["group"]
            ent["UserId"] = ref_acct
            if ref["vpc"] != g["vpc"]:
                pcx = w["peering"]
                ent["VpcId"] = ref["vpc"]
                ent["VpcPeeringConnectionId"] = pcx["id"]
                ent["PeeringStatus"] = pcx["status"] \
                    if pcx["status"] in ("active", "deleted") else "active"
            p["UserIdGroupPairs"].append(ent)
    return [perms[k] for k in order]


def describe_security_groups(w, acct):
    out = []
    for gid, g in sorted(w["security_groups"].items()):
        if w["vpcs"][g["vpc"]]["account"] != acct:
            continue
        out.append({
            "Description": g.get("description", g.get("name", gid)),
            "GroupName": g.get("name", gid),
            "IpPermissions": _permissions(w, g, "ingress", acct),
            "OwnerId": acct,
            "GroupId": gid,
            "IpPermissionsEgress": _permissions(w, g, "egress", acct)})
        # the CLI prints Tags only for a group that has some
        if g.get("tag_name"):
            out[-1]["Tags"] = _tags({"name": g["tag_name"]})
        out[-1]["VpcId"] = g["vpc"]
    return {"SecurityGroups": out}


def describe_vpc_peering_connections(w, acct):
    p = w["peering"]
    vids = {p["requester"]["vpc"], p["accepter"]["vpc"]}
    if not any(w["vpcs"][v]["account"] == acct for v in vids):
        return {"VpcPeeringConnections": []}
    active = p["status"] == "active"

    def info(side):
        vid = p[side]["vpc"]
        v = w["vpcs"][vid]
        d = {}
        # CIDR blocks and options are only returned for an active
        # connection (the requester's CIDR is known from the request)
        if active or side == "requester":
            d["CidrBlock"] = v["cidrs"][0]
            d["CidrBlockSet"] = [{"CidrBlock": c} for c in v["cidrs"]]
        d["OwnerId"] = v["account"]
        if active:
            d["PeeringOptions"] = {
                "AllowDnsResolutionFromRemoteVpc":
                bool(p[side].get("allow_dns_from_remote", False)),
                "AllowEgressFromLocalClassicLinkToRemoteVpc": False,
                "AllowEgressFromLocalVpcToRemoteClassicLink": False}
        d["VpcId"] = vid
        d["Region"] = p[side].get("region", w["region"])
        return d

    messages = {"active": "Active",
                "pending-acceptance": "Pending Acceptance by %s" %
                w["vpcs"][p["accepter"]["vpc"]]["account"],
                "initiating-request": "Initiating Request to %s" %
                w["vpcs"][p["accepter"]["vpc"]]["account"],
                "provisioning": "Provisioning", "rejected": "Rejected",
                "expired": "Expired", "deleted": "Deleted",
                "deleting": "Deleting",
                "failed": "Failed due to overlapping CIDR range"}
    conn = {"AccepterVpcInfo": info("accepter")}
    if p["status"] in ("pending-acceptance", "initiating-request"):
        conn["ExpirationTime"] = p.get("expiration_time",
                                       "2026-01-12T09:30:00+00:00")
    conn.update({"RequesterVpcInfo": info("requester"),
                 "Status": {"Code": p["status"],
                            "Message": p.get("status_message",
                                             messages[p["status"]])},
                 "Tags": _tags(p),
                 "VpcPeeringConnectionId": p["id"]})
    return {"VpcPeeringConnections": [conn]}


def _eni(w, role, acct):
    inst = w["instances"][role]
    sid = inst["subnet"]
    s = w["subnets"][sid]
    pdns = inst.get("private_dns") or sc.private_dns_name(w, inst["ip"])
    groups = [{"GroupName": w["security_groups"][g].get("name", g),
               "GroupId": g} for g in inst.get("security_groups", [])]
    eni_id = inst.get("eni", _hexid("eni", role + inst["ip"]))
    d = {}
    assoc = None
    if inst.get("public_ip"):
        assoc = {"IpOwnerId": "amazon",
                 "PublicDnsName": sc.public_dns_name(w, inst),
                 "PublicIp": inst["public_ip"]}
        d["Association"] = assoc
    if role == "emr":
        d["Attachment"] = {
            "AttachTime": DEFAULT_TIME,
            "AttachmentId": _hexid("eni-attach", eni_id),
            "DeleteOnTermination": True, "DeviceIndex": 0,
            "NetworkCardIndex": 0,
            "InstanceId": inst.get("instance_id",
                                   _hexid("i", inst["ip"])),
            "InstanceOwnerId": acct, "Status": "attached"}
        desc = ""
        itype = "interface"
        requester = None
    else:
        domain = w.get("studio", {}).get("domain_id", "d-unknown")
        desc = "[DO NOT DELETE] ENI managed by SageMaker Studio domain " \
               "ID: %s" % domain
        itype = "interface"
        requester = "AROAEXAMPLESAGEMAKER:SageMaker"
    d.update({
        "AvailabilityZone": s.get("az", w["region"] + "a"),
        "Description": desc,
        "Groups": groups,
        "InterfaceType": itype,
        "Ipv6Addresses": [],
        "MacAddress": "0e:%02x:%02x:%02x:%02x:%02x" % tuple(
            int(x) for x in (inst["ip"].split(".") + ["1"])[:5]),
        "NetworkInterfaceId": eni_id,
        "OwnerId": acct,
        "PrivateDnsName": pdns,
        "PrivateIpAddress": inst["ip"],
        "PrivateIpAddresses": [dict(
            ({"Association": assoc} if assoc else {}),
            Primary=True, PrivateDnsName=pdns, PrivateIpAddress=inst["ip"])],
    })
    if requester:
        d["RequesterId"] = requester
    d.update({"RequesterManaged": role == "studio",
              "SourceDestCheck": True, "Status": "in-use",
              "SubnetId": sid, "TagSet": [], "VpcId": s["vpc"]})
    return d


def describe_network_interfaces(w, acct):
    out = []
    for role in sc.ROLES:
        if sc.role_account(w, role) == acct:
            out.append(_eni(w, role, acct))
    out += cp.endpoint_enis(w, acct, _hexid)
    return {"NetworkInterfaces": out}


def emr_describe_cluster(w):
    e = w["emr"]
    inst = w["instances"]["emr"]
    acct = sc.role_account(w, "emr")
    s = w["subnets"][inst["subnet"]]
    svc = sc.services(w)
    configs = list(e.get("configurations", []))
    if svc["livy"]["port"] != 8998 and not any(
            c.get("Classification") == "livy-conf" for c in configs):
        configs.append({"Classification": "livy-conf", "Properties": {
            "livy.server.port": str(svc["livy"]["port"])}})
    pdns = inst.get("private_dns") or sc.private_dns_name(w, inst["ip"])
    master = sc.public_dns_name(w, inst) or pdns
    attrs = {"Ec2KeyName": e.get("key_name", "emr-lab"),
             "Ec2SubnetId": inst["subnet"],
             "RequestedEc2SubnetIds": [inst["subnet"]],
             "Ec2AvailabilityZone": s.get("az", w["region"] + "a"),
             "RequestedEc2AvailabilityZones": [],
             "IamInstanceProfile": "EMR_EC2_DefaultRole",
             "EmrManagedMasterSecurityGroup": e["master_sg"],
             "EmrManagedSlaveSecurityGroup": e.get("slave_sg",
                                                   e["master_sg"])}
    if e.get("service_access_sg"):
        attrs["ServiceAccessSecurityGroup"] = e["service_access_sg"]
    attrs["AdditionalMasterSecurityGroups"] = e.get("additional_master_sgs",
                                                    [])
    attrs["AdditionalSlaveSecurityGroups"] = []
    state = e.get("state", "WAITING")
    reason = {"WAITING": "Cluster ready to run steps.",
              "RUNNING": "Running step"}.get(state, state.title())
    cluster = {
        "Id": e["cluster_id"],
        "Name": e.get("name", "lab-cluster"),
        "Status": {"State": state,
                   "StateChangeReason": {"Message": reason},
                   "Timeline": {"CreationDateTime": DEFAULT_TIME,
                                "ReadyDateTime": DEFAULT_TIME}},
        "Ec2InstanceAttributes": attrs,
        "InstanceCollectionType": "INSTANCE_GROUP",
        "LogUri": "s3n://aws-logs-%s-%s/elasticmapreduce/" % (acct,
                                                              w["region"]),
        "ReleaseLabel": e.get("release", "emr-6.15.0"),
        "AutoTerminate": False,
        "TerminationProtected": False,
        "VisibleToAllUsers": True,
        "Applications": [{"Name": n, "Version": v} for n, v in
                         e.get("applications", {}).items()],
        "Tags": [],
        "ServiceRole": "EMR_DefaultRole",
        "NormalizedInstanceHours": 64,
        "MasterPublicDnsName": master,
        "Configurations": configs,
        "ScaleDownBehavior": "TERMINATE_AT_TASK_COMPLETION",
        "KerberosAttributes": {},
        "ClusterArn": "arn:aws:elasticmapreduce:%s:%s:cluster/%s" % (
            w["region"], acct, e["cluster_id"]),
        "StepConcurrencyLevel": 1,
        "PlacementGroups": [],
        "OSReleaseLabel": "2.0.20231206.0",
    }
    if e.get("security_configuration"):
        cluster["SecurityConfiguration"] = e["security_configuration"]
    return {"Cluster": cluster}


def emr_list_instances(w):
    e = w["emr"]
    inst = w["instances"]["emr"]
    out = []
    pdns = inst.get("private_dns") or sc.private_dns_name(w, inst["ip"])
    primary = {"Id": _hexid("ci", e["cluster_id"] + "m", 13).upper()
               .replace("CI-", "ci-"),
               "Ec2InstanceId": inst.get("instance_id",
                                         _hexid("i", inst["ip"]))}
    if inst.get("public_ip"):
        primary["PublicDnsName"] = sc.public_dns_name(w, inst)
        primary["PublicIpAddress"] = inst["public_ip"]
    else:
        primary["PublicDnsName"] = ""
    primary.update({
        "PrivateDnsName": pdns,
        "PrivateIpAddress": inst["ip"],
        "Status": {"State": "RUNNING", "StateChangeReason": {},
                   "Timeline": {"CreationDateTime": DEFAULT_TIME,
                                "ReadyDateTime": DEFAULT_TIME}},
        "InstanceGroupId": _hexid("ig", e["cluster_id"] + "master", 13)
        .upper().replace("IG-", "ig-"),
        "Market": "ON_DEMAND",
        "InstanceType": e.get("instance_type", "m5.xlarge"),
        "EbsVolumes": [{"Device": "/dev/sdb",
                        "VolumeId": _hexid("vol", inst["ip"])}]})
    out.append(primary)
    return {"Instances": out}


def sagemaker_describe_domain(w):
    st = w["studio"]
    inst = w["instances"]["studio"]
    acct = sc.role_account(w, "studio")
    vid = sc.role_vpc(w, "studio")
    settings = {"ExecutionRole": st["execution_role"],
                "SecurityGroups": st.get("security_groups",
                                         inst.get("security_groups", []))}
    if st.get("assumable_role_arns") is not None or \
            st.get("execution_role_arns") is not None:
        settings["JupyterLabAppSettings"] = {"EmrSettings": {
            "AssumableRoleArns": st.get("assumable_role_arns", []),
            "ExecutionRoleArns": st.get("execution_role_arns", [])}}
    d = {
        "DomainArn": "arn:aws:sagemaker:%s:%s:domain/%s" % (
            w["region"], acct, st["domain_id"]),
        "DomainId": st["domain_id"],
        "DomainName": st.get("domain_name", "lab-domain"),
        "HomeEfsFileSystemId": _hexid("fs", st["domain_id"]),
        "Status": st.get("status", "InService"),
        "CreationTime": DEFAULT_TIME,
        "LastModifiedTime": DEFAULT_TIME,
        "AuthMode": "IAM",
        "DefaultUserSettings": settings,
        "AppNetworkAccessType": st.get("app_network_access_type",
                                       "VpcOnly"),
        "SubnetIds": st.get("subnet_ids", [inst["subnet"]]),
        "Url": "https://%s.studio.%s.sagemaker.aws" % (st["domain_id"],
                                                       w["region"]),
        "VpcId": st.get("vpc_id", vid),
        "AppSecurityGroupManagement": "Service",
    }
    dss = st.get("default_space_settings")
    if dss:   # what a shared space uses (domain.md, "Who Studio is")
        d["DefaultSpaceSettings"] = {
            "ExecutionRole": dss["execution_role"],
            "SecurityGroups": dss.get("security_groups", []),
            "JupyterServerAppSettings": {}}
    return d


def sagemaker_describe_user_profile(w, name):
    """A user profile of the domain (studio.user_profiles.NAME:
    execution_role, security_groups, assumable_role_arns), as
    `aws sagemaker describe-user-profile` prints it."""
    st = w["studio"]
    p = st["user_profiles"][name] or {}
    us = {}
    if p.get("execution_role"):
        us["ExecutionRole"] = p["execution_role"]
    if p.get("security_groups"):
        us["SecurityGroups"] = p["security_groups"]
    if p.get("assumable_role_arns") is not None:
        us["JupyterLabAppSettings"] = {"EmrSettings": {
            "AssumableRoleArns": p["assumable_role_arns"]}}
    return {"DomainId": st["domain_id"],
            "UserProfileArn": "arn:aws:sagemaker:%s:%s:user-profile/%s/%s" % (
                w["region"], sc.role_account(w, "studio"), st["domain_id"],
                name),
            "UserProfileName": name, "HomeEfsFileSystemUid": "200001",
            "Status": "InService", "LastModifiedTime": DEFAULT_TIME,
            "CreationTime": DEFAULT_TIME, "UserSettings": us}


def sagemaker_describe_space(w, name):
    """A space (studio.spaces.NAME: sharing Private|Shared, owner), as
    `aws sagemaker describe-space` prints it."""
    st = w["studio"]
    sp = st["spaces"][name]
    d = {"DomainId": st["domain_id"],
         "SpaceArn": "arn:aws:sagemaker:%s:%s:space/%s/%s" % (
             w["region"], sc.role_account(w, "studio"), st["domain_id"], name),
         "SpaceName": name, "Status": "InService",
         "LastModifiedTime": DEFAULT_TIME, "CreationTime": DEFAULT_TIME,
         "SpaceSettings": {"AppType": "JupyterLab"},
         "SpaceSharingSettings": {"SharingType": sp.get("sharing", "Private")},
         "SpaceDisplayName": name,
         "Url": "https://%s.studio.%s.sagemaker.aws/jupyterlab/default" % (
             st["domain_id"], w["region"])}
    if sp.get("owner"):
        d["OwnershipSettings"] = {"OwnerUserProfileName": sp["owner"]}
    return d


def iam_details(w, acct):
    roles = []
    policies = []
    for arn, r in sorted(w.get("iam", {}).get("roles", {}).items()):
        if arn.split(":")[4] != acct:
            continue
        name = arn.split("/")[-1]
        roles.append({
            "Path": "/",
            "RoleName": name,
            "RoleId": _hexid("AROA", arn, 17).replace("-", "").upper(),
            "Arn": arn,
            "CreateDate": DEFAULT_TIME,
            "AssumeRolePolicyDocument": r.get("trust", {}),
            "InstanceProfileList": [],
            "RolePolicyList": [{"PolicyName": n, "PolicyDocument": d}
                               for n, d in sorted(r.get("inline",
                                                        {}).items())],
            "AttachedManagedPolicies": [
                {"PolicyName": a.split("/")[-1], "PolicyArn": a}
                for a in r.get("attached", [])],
            "Tags": [],
            "RoleLastUsed": {}})
    for arn, doc in sorted(w.get("iam", {}).get("policies", {}).items()):
        if arn.split(":")[4] not in (acct, "aws"):
            continue
        policies.append({
            "PolicyName": arn.split("/")[-1],
            "PolicyId": _hexid("ANPA", arn, 17).replace("-", "").upper(),
            "Arn": arn, "Path": "/", "DefaultVersionId": "v1",
            "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0,
            "IsAttachable": True, "CreateDate": DEFAULT_TIME,
            "UpdateDate": DEFAULT_TIME,
            "PolicyVersionList": [{"Document": doc, "VersionId": "v1",
                                   "IsDefaultVersion": True,
                                   "CreateDate": DEFAULT_TIME}]})
    return {"UserDetailList": [], "GroupDetailList": [],
            "RoleDetailList": roles, "Policies": policies}


def intent(w):
    st = w["studio"]
    inst = w["instances"]["studio"]
    doc = {"studio": {
        "account": sc.role_account(w, "studio"),
        "region": w["region"],
        "domain_id": st["domain_id"],
        "vpc_id": sc.role_vpc(w, "studio"),
        "subnet_ids": [inst["subnet"]],
        "security_group_ids": list(inst.get("security_groups", [])),
        "source_ip": inst["ip"]}}
    for key in ("space", "user_profile"):   # the identity the app runs as
        if st.get(key):
            doc["studio"][key] = st[key]
    e = w["emr"]
    emr = {"account": sc.role_account(w, "emr"), "region": w["region"],
           "cluster_id": e["cluster_id"]}
    if e.get("role_arn"):
        emr["role_arn"] = e["role_arn"]
    doc["emr"] = [emr]
    doc["ports"] = list(w.get("ports", [8998, 10000, 8889]))
    return doc


def _dump(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=4)
        f.write("\n")


def write(w, out_dir):
    """Write the snapshot of world w to out_dir (replaced when present,
    written to a sibling temp dir first so a reader never sees half)."""
    out_dir = os.path.abspath(out_dir)
    parent = os.path.dirname(out_dir)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".snapshot-", dir=parent)
    try:
        _write_into(w, tmp)
        if os.path.isdir(out_dir):
            shutil.rmtree(out_dir)
        os.rename(tmp, out_dir)
        os.chmod(out_dir, 0o755)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _write_into(w, root):
    region = w["region"]
    _dump(os.path.join(root, "xacct-doctor.json"), intent(w))
    for acct, a in sorted(w["accounts"].items()):
        adir = os.path.join(root, acct)
        rdir = os.path.join(adir, region)
        os.makedirs(rdir, exist_ok=True)
        _dump(os.path.join(adir, "iam-get-account-authorization-details."
                           "json"), iam_details(w, acct))
        if a["side"] == "studio" and "role_file" in w.get("studio", {}):
            rf = w["studio"]["role_file"]
            path = os.path.join(adir, "studio-emr-discovery-iam-role-arns."
                                "json")
            if isinstance(rf, str):   # raw text: a broken file on purpose
                with open(path, "w", encoding="utf-8") as f:
                    f.write(rf)
            else:
                _dump(path, rf)
        vpcs, _ = _in_account(w, acct)
        _dump(os.path.join(rdir, "ec2-describe-vpcs.json"),
              describe_vpcs(w, acct))
        for vid in sorted(vpcs):
            for attr in ("enableDnsSupport", "enableDnsHostnames"):
                _dump(os.path.join(rdir, "ec2-describe-vpc-attribute--%s--%s"
                                   ".json" % (vid, attr)),
                      describe_vpc_attribute(w, vid, attr))
        for fn, fun in (("ec2-describe-subnets", describe_subnets),
                        ("ec2-describe-route-tables", describe_route_tables),
                        ("ec2-describe-security-groups",
                         describe_security_groups),
                        ("ec2-describe-network-acls", describe_network_acls),
                        ("ec2-describe-vpc-peering-connections",
                         describe_vpc_peering_connections),
                        ("ec2-describe-network-interfaces",
                         describe_network_interfaces)):
            _dump(os.path.join(rdir, fn + ".json"), fun(w, acct))
        _dump(os.path.join(rdir, "ec2-describe-vpc-endpoints.json"),
              cp.describe_vpc_endpoints(w, acct, _hexid))
        _dump(os.path.join(rdir, "ec2-describe-dhcp-options.json"),
              cp.describe_dhcp_options(w, acct, _hexid))
        if a["side"] == "emr" and "emr" in w and \
                sc.role_account(w, "emr") == acct:
            cid = w["emr"]["cluster_id"]
            _dump(os.path.join(rdir, "emr-describe-cluster--%s.json" % cid),
                  emr_describe_cluster(w))
            _dump(os.path.join(rdir, "emr-list-instances--%s.json" % cid),
                  emr_list_instances(w))
        if a["side"] == "studio" and "studio" in w and \
                sc.role_account(w, "studio") == acct:
            _dump(os.path.join(rdir, "sagemaker-describe-domain--%s.json" %
                               w["studio"]["domain_id"]),
                  sagemaker_describe_domain(w))
            dom = w["studio"]["domain_id"]
            for name in sorted(w["studio"].get("user_profiles", {})):
                _dump(os.path.join(rdir, "sagemaker-describe-user-profile--"
                                   "%s--%s.json" % (dom, name)),
                      sagemaker_describe_user_profile(w, name))
            for name in sorted(w["studio"].get("spaces", {})):
                _dump(os.path.join(rdir, "sagemaker-describe-space--%s--%s"
                                   ".json" % (dom, name)),
                      sagemaker_describe_space(w, name))
