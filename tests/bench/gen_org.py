#!/usr/bin/env python3
"""Generate a synthetic organisation snapshot for the analyzer benchmark:
500 VPCs in 20 accounts, 5,000 security groups holding 100,000 rules,
2,000 route tables, 300 peerings, 200 EMR clusters, one Studio domain.

    gen_org.py OUT_DIR [--seed N] [--compact]

Files are written as the AWS CLI writes them (indented by four spaces):
48 MB in all. --compact writes them without white space (18 MB).

The Studio VPC peers with the VPC of every cluster; 100 more peerings join
other VPCs. A few clusters are broken on purpose (a missing route, a
missing port, a pending peering) so the analysis has findings to build.
The layout is contract.md's snapshot folder, in AWS CLI shape.
"""
import json
import os
import random
import sys

REGION = "us-east-1"
N_ACCOUNTS = 20
N_VPCS = 500
SG_PER_VPC = 10
RULES_PER_SG = 20
RTB_PER_VPC = 4
N_CLUSTERS = 200
N_EXTRA_PCX = 100
CLUSTER_ACTIONS = ["elasticmapreduce:DescribeCluster", "elasticmapreduce:ListInstanceGroups",
                   "elasticmapreduce:CreatePersistentAppUI",
                   "elasticmapreduce:DescribePersistentAppUI",
                   "elasticmapreduce:GetPersistentAppUIPresignedURL",
                   "elasticmapreduce:GetOnClusterAppUIPresignedURL"]


def acct(a):
    return "%012d" % (510000000000 + a * 1111)


def hid(prefix, kind, n):
    return "%s-0%02x%014x" % (prefix, kind, n)


def vpc_cidr(v):
    if v == 0:
        return "10.0.0.0/16"
    return "%d.%d.0.0/16" % (11 + v // 250, v % 250)


def subnet_cidr(v, k):
    return vpc_cidr(v).replace(".0.0/16", ".%d.0/24" % (k + 1))


COMPACT = "--compact" in sys.argv


def write(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if COMPACT:
            json.dump(obj, f, separators=(",", ":"))
        else:
            json.dump(obj, f, indent=4)


def perm(port, to=None, cidr=None, group=None, user=None):
    p = {"IpProtocol": "tcp", "FromPort": port, "ToPort": to or port,
         "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}
    if cidr:
        p["IpRanges"].append({"CidrIp": cidr})
    if group:
        p["UserIdGroupPairs"].append({"UserId": user, "GroupId": group})
    return p


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    out = sys.argv[1]
    seed = 7
    if "--seed" in sys.argv[:-1]:
        seed = int(sys.argv[sys.argv.index("--seed") + 1])
    rnd = random.Random(seed)
    studio = acct(0)
    vpc_of = {v: hid("vpc", 1, v) for v in range(N_VPCS)}
    owner = {v: acct(v * N_ACCOUNTS // N_VPCS) for v in range(N_VPCS)}
    sub = {(v, k): hid("subnet", 2, v * 2 + k) for v in range(N_VPCS) for k in range(2)}
    sg = {(v, k): hid("sg", 3, v * SG_PER_VPC + k) for v in range(N_VPCS) for k in range(SG_PER_VPC)}
    rtb = {(v, k): hid("rtb", 4, v * RTB_PER_VPC + k) for v in range(N_VPCS) for k in range(RTB_PER_VPC)}
    studio_sg = sg[(0, 0)]
    # clusters live in VPCs 25..224 (the EMR accounts), one per VPC
    cl_vpcs = list(range(25, 25 + N_CLUSTERS))
    pcx = {}
    for i, v in enumerate(cl_vpcs):
        pcx[(0, v)] = hid("pcx", 5, i)
    others = [v for v in range(25, N_VPCS)]
    k = len(pcx)
    while len(pcx) < len(cl_vpcs) + N_EXTRA_PCX:
        a, b = rnd.sample(others, 2)
        if (a, b) not in pcx and (b, a) not in pcx:
            pcx[(a, b)] = hid("pcx", 5, k)
            k += 1
    broken_route = set(cl_vpcs[5::40])      # Studio side has no route
    broken_port = set(cl_vpcs[7::40])       # master group lacks 10000
    pending = set(cl_vpcs[11::40])          # peering not accepted yet

    per = {}  # account -> dict of lists

    def bucket(a):
        return per.setdefault(a, {"vpcs": [], "subnets": [], "rtbs": [], "sgs": [],
                                  "acls": [], "pcx": [], "clusters": []})

    for v in range(N_VPCS):
        a = owner[v]
        b = bucket(a)
        b["vpcs"].append({"CidrBlock": vpc_cidr(v), "State": "available", "VpcId": vpc_of[v],
                          "OwnerId": a, "IsDefault": False,
                          "CidrBlockAssociationSet": [{"AssociationId": hid("vpc-cidr-assoc", 6, v),
                                                       "CidrBlock": vpc_cidr(v),
                                                       "CidrBlockState": {"State": "associated"}}]})
        for s in range(2):
            b["subnets"].append({"AvailabilityZone": REGION + "a", "CidrBlock": subnet_cidr(v, s),
                                 "State": "available", "SubnetId": sub[(v, s)], "VpcId": vpc_of[v],
                                 "OwnerId": a, "MapPublicIpOnLaunch": False})
        peers = [(p, q, pid) for (p, q), pid in pcx.items() if v in (p, q)]
        for t in range(RTB_PER_VPC):
            routes = [{"DestinationCidrBlock": vpc_cidr(v), "GatewayId": "local",
                       "Origin": "CreateRouteTable", "State": "active"},
                      {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": hid("nat", 7, v),
                       "Origin": "CreateRoute", "State": "active"}]
            assoc = []
            if t == 0:
                assoc.append({"Main": True, "RouteTableId": rtb[(v, t)],
                              "RouteTableAssociationId": hid("rtbassoc", 8, v * 8 + t)})
            if t in (1, 2):
                assoc.append({"Main": False, "RouteTableId": rtb[(v, t)], "SubnetId": sub[(v, t - 1)],
                              "RouteTableAssociationId": hid("rtbassoc", 8, v * 8 + t)})
                for p, q, pid in peers:
                    other = q if p == v else p
                    if other in pending or v in pending:
                        continue
                    if v == 0 and other in broken_route:
                        continue
                    dest = subnet_cidr(other, 0) if v == 0 else vpc_cidr(other)
                    routes.append({"DestinationCidrBlock": dest, "VpcPeeringConnectionId": pid,
                                   "Origin": "CreateRoute", "State": "active"})
            b["rtbs"].append({"Associations": assoc, "RouteTableId": rtb[(v, t)], "Routes": routes,
                              "VpcId": vpc_of[v], "OwnerId": a, "PropagatingVgws": []})
        for g in range(SG_PER_VPC):
            ingress = []
            if g == 0 and v in cl_vpcs:
                ports = [8998, 8889] if v in broken_port else [8998, 10000, 8889]
                ingress += [perm(p, group=studio_sg, user=studio) for p in ports]
            while len(ingress) < RULES_PER_SG - 2:
                lo = rnd.randrange(1024, 60000)
                ingress.append(perm(lo, lo + rnd.randrange(0, 50),
                                    cidr="%d.%d.%d.0/24" % (rnd.randrange(11, 13),
                                                            rnd.randrange(0, 250),
                                                            rnd.randrange(0, 250))))
            egress = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                       "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []},
                      perm(443, cidr="0.0.0.0/0")]
            b["sgs"].append({"GroupId": sg[(v, g)], "GroupName": "g%d-%d" % (v, g),
                             "Description": "bench", "VpcId": vpc_of[v], "OwnerId": a,
                             "IpPermissions": ingress, "IpPermissionsEgress": egress})
        b["acls"].append({"NetworkAclId": hid("acl", 9, v), "VpcId": vpc_of[v], "OwnerId": a,
                          "IsDefault": True,
                          "Associations": [{"NetworkAclId": hid("acl", 9, v), "SubnetId": sub[(v, s)],
                                            "NetworkAclAssociationId": hid("aclassoc", 10, v * 2 + s)}
                                           for s in range(2)],
                          "Entries": [{"CidrBlock": "0.0.0.0/0", "Egress": e, "Protocol": "-1",
                                       "RuleAction": act, "RuleNumber": n}
                                      for e in (True, False)
                                      for n, act in ((100, "allow"), (32767, "deny"))]})
    for (p, q), pid in pcx.items():
        st = "pending-acceptance" if (p in pending or q in pending) else "active"
        side = lambda v: {"OwnerId": owner[v], "VpcId": vpc_of[v], "Region": REGION,
                          "CidrBlock": vpc_cidr(v), "CidrBlockSet": [{"CidrBlock": vpc_cidr(v)}],
                          "PeeringOptions": {"AllowDnsResolutionFromRemoteVpc": True}}
        d = {"VpcPeeringConnectionId": pid, "Status": {"Code": st, "Message": st},
             "RequesterVpcInfo": side(p), "AccepterVpcInfo": side(q)}
        if st != "active":
            d["AccepterVpcInfo"] = {"OwnerId": owner[q], "VpcId": vpc_of[q], "Region": REGION}
            del d["RequesterVpcInfo"]["PeeringOptions"]
        bucket(owner[p])["pcx"].append(d)
        if owner[q] != owner[p]:
            bucket(owner[q])["pcx"].append(d)

    for a, b in per.items():
        base = os.path.join(out, a, REGION)
        write(os.path.join(base, "ec2-describe-vpcs.json"), {"Vpcs": b["vpcs"]})
        for v in b["vpcs"]:
            for attr, key in (("enableDnsSupport", "EnableDnsSupport"),
                              ("enableDnsHostnames", "EnableDnsHostnames")):
                write(os.path.join(base, "ec2-describe-vpc-attribute--%s--%s.json" % (v["VpcId"], attr)),
                      {"VpcId": v["VpcId"], key: {"Value": True}})
        write(os.path.join(base, "ec2-describe-subnets.json"), {"Subnets": b["subnets"]})
        write(os.path.join(base, "ec2-describe-route-tables.json"), {"RouteTables": b["rtbs"]})
        write(os.path.join(base, "ec2-describe-security-groups.json"), {"SecurityGroups": b["sgs"]})
        write(os.path.join(base, "ec2-describe-network-acls.json"), {"NetworkAcls": b["acls"]})
        write(os.path.join(base, "ec2-describe-vpc-peering-connections.json"),
              {"VpcPeeringConnections": b["pcx"]})
        write(os.path.join(base, "ec2-describe-network-interfaces.json"), {"NetworkInterfaces": []})
        write(os.path.join(base, "ec2-describe-managed-prefix-lists.json"), {"PrefixLists": []})
        roles = []
        if a == studio:
            roles.append({"Path": "/", "RoleName": "studio-exec", "RoleId": "AROABENCHSTUDIO",
                          "Arn": "arn:aws:iam::%s:role/studio-exec" % a,
                          "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                              {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"},
                               "Action": "sts:AssumeRole"}]},
                          "RolePolicyList": [{"PolicyName": "assume", "PolicyDocument": {
                              "Version": "2012-10-17", "Statement": [
                                  {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}],
                          "AttachedManagedPolicies": []})
        else:
            roles.append({"Path": "/", "RoleName": "emr-discovery", "RoleId": "AROABENCH" + a,
                          "Arn": "arn:aws:iam::%s:role/emr-discovery" % a,
                          "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % studio},
                               "Action": "sts:AssumeRole"}]},
                          "RolePolicyList": [{"PolicyName": "discovery", "PolicyDocument": {
                              "Version": "2012-10-17", "Statement": [
                                  {"Effect": "Allow", "Action": CLUSTER_ACTIONS,
                                   "Resource": "arn:aws:elasticmapreduce:%s:%s:cluster/*" % (REGION, a)},
                                  {"Effect": "Allow", "Action": ["elasticmapreduce:ListClusters",
                                                                 "servicecatalog:SearchProducts"],
                                   "Resource": "*"}]}}],
                          "AttachedManagedPolicies": []})
        write(os.path.join(out, a, "iam-get-account-authorization-details.json"),
              {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles, "Policies": []})

    for i, v in enumerate(cl_vpcs):
        a = owner[v]
        cid = "j-%013d" % (4000000000000 + i)
        ip = subnet_cidr(v, 0).replace(".0/24", ".10")
        dns = "ip-%s.ec2.internal" % ip.replace(".", "-")
        base = os.path.join(out, a, REGION)
        write(os.path.join(base, "emr-describe-cluster--%s.json" % cid), {"Cluster": {
            "Id": cid, "Name": "bench-%d" % i, "Status": {"State": "WAITING"},
            "Ec2InstanceAttributes": {"Ec2SubnetId": sub[(v, 0)],
                                      "EmrManagedMasterSecurityGroup": sg[(v, 0)],
                                      "EmrManagedSlaveSecurityGroup": sg[(v, 1)],
                                      "AdditionalMasterSecurityGroups": [sg[(v, 2)]]},
            "ReleaseLabel": "emr-6.15.0", "MasterPublicDnsName": dns,
            "Applications": [{"Name": "Spark"}, {"Name": "Livy"}, {"Name": "Hive"}],
            "Configurations": []}})
        write(os.path.join(base, "emr-list-instances--%s.json" % cid), {"Instances": [
            {"Id": "ci-%d" % i, "PrivateDnsName": dns, "PrivateIpAddress": ip,
             "PublicDnsName": "", "Status": {"State": "RUNNING"}}]})
    domain = "d-benchdomain01"
    write(os.path.join(out, studio, REGION, "sagemaker-describe-domain--%s.json" % domain), {
        "DomainId": domain, "DomainName": "bench", "Status": "InService",
        "AppNetworkAccessType": "VpcOnly", "VpcId": vpc_of[0], "SubnetIds": [sub[(0, 0)], sub[(0, 1)]],
        "DefaultUserSettings": {"ExecutionRole": "arn:aws:iam::%s:role/studio-exec" % studio,
                                "SecurityGroups": [studio_sg]}})
    write(os.path.join(out, "xacct-doctor.json"), {
        "studio": {"account": studio, "region": REGION, "domain_id": domain},
        "emr": [{"account": acct(x), "region": REGION,
                 "role_arn": "arn:aws:iam::%s:role/emr-discovery" % acct(x)}
                for x in range(1, N_ACCOUNTS)]})
    n_rules = sum(len(g["IpPermissions"]) + len(g["IpPermissionsEgress"])
                  for b in per.values() for g in b["sgs"])
    print("generated %d VPCs, %d security groups with %d rules, %d route tables, "
          "%d peerings, %d clusters in %s" % (N_VPCS, len(sg), n_rules, len(rtb), len(pcx),
                                              N_CLUSTERS, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
