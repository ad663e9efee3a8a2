"""The control plane and the VPC's DNS servers in the lab (issue 19).

A scenario with a "control_plane" key gets one more namespace, P-cp,
joined to the Studio VPC's router by a veth (cp0 there, eth0 here). It
holds, each as a /32 on its eth0:

  - the interface VPC endpoints' ENI addresses (in Studio's subnet: the
    router answers ARP for them on the subnet's leg, proxy neighbour
    entries, and forwards to cp0 through the endpoint's security group);
  - the regional public endpoints' stand-in addresses (TEST-NET-3),
    reachable only from a subnet whose route table sends them to a NAT or
    internet gateway, as the public endpoints are in AWS;
  - the company DNS servers of the Studio VPC's DHCP options (a dnsmasq
    that does not forward: it knows public names only).

One HTTPS listener (services.py aws-api) on 443 serves every address with
a certificate for the regional names signed by a lab CA
(STATE/cp-ca.crt): give it to xacct-doctor as AWS_CA_BUNDLE.

  "control_plane": {
    "endpoints": { "vpce-...": { "service": "sts" | "elasticmapreduce",
                                 "subnet": "subnet-...", "ip": "10.0.20.50",
                                 "eni": "eni-...", "security_groups": ["sg-..."],
                                 "private_dns": true, "state": "available",
                                 "policy": {...} } },
    "public": { "sts": "203.0.113.10", "elasticmapreduce": "203.0.113.11" }
  },
  "vpcs": { "vpc-...": { "dhcp_options": { "id": "dopt-...",
                        "domain_name_servers": ["10.0.5.10"],
                        "domain_name": "ec2.internal" } } }

The Amazon resolver answers sts.REGION.amazonaws.com and
elasticmapreduce.REGION.amazonaws.com with the endpoint's address when the
VPC has an available interface endpoint for the service with private DNS,
else with the public stand-in; so does AWS.
"""

import ipaddress
import json
import os

from . import scenario as sc

SERVICES = ("sts", "elasticmapreduce")
DEFAULT_PUBLIC = {"sts": "203.0.113.10", "elasticmapreduce": "203.0.113.11"}
CP_LINK = ipaddress.ip_network("169.254.254.0/30")
ENDPOINT_KEYS = {"service", "subnet", "ip", "eni", "security_groups",
                 "private_dns", "state", "policy"}
FULL_ACCESS = {"Version": "2008-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


def enabled(w):
    return "control_plane" in w


def regional_name(w, svc):
    return "%s.%s.amazonaws.com" % (svc, w["region"])


def endpoints(w):
    return (w.get("control_plane") or {}).get("endpoints", {})


def public_ip(w, svc):
    return (w.get("control_plane") or {}).get("public",
                                              DEFAULT_PUBLIC).get(svc)


def default_domain_name(w):
    return "ec2.internal" if w["region"] == "us-east-1" else \
        "%s.compute.internal" % w["region"]


def dhcp(w, vid, default_id):
    """The VPC's DHCP options: id, DNS servers, domain name."""
    d = w["vpcs"][vid].get("dhcp_options") or {}
    return {"id": d.get("id", default_id),
            "servers": list(d.get("domain_name_servers",
                                  ["AmazonProvidedDNS"])),
            "domain_name": d.get("domain_name", default_domain_name(w))}


def custom_servers(w, vid):
    """The DNS servers a VPC hands out when not AmazonProvidedDNS."""
    return [s for s in dhcp(w, vid, None)["servers"]
            if s != "AmazonProvidedDNS"]


def check(w):
    """Raise sc.ScenarioError naming the field."""
    for vid, v in w["vpcs"].items():
        d = v.get("dhcp_options")
        if d is None:
            continue
        where = "vpcs.%s.dhcp_options" % vid
        for i, s in enumerate(d.get("domain_name_servers", [])):
            if s != "AmazonProvidedDNS":
                sc._ip(s, "%s.domain_name_servers[%d]" % (where, i))
    cp = w.get("control_plane")
    if cp is None:
        return
    if not isinstance(cp, dict):
        raise sc.ScenarioError("control_plane: an object")
    for svc, ip in (cp.get("public") or {}).items():
        if svc not in SERVICES:
            raise sc.ScenarioError("control_plane.public.%s: sts or "
                                   "elasticmapreduce" % svc)
        sc._ip(ip, "control_plane.public." + svc)
    for eid, ep in endpoints(w).items():
        where = "control_plane.endpoints." + eid
        unknown = sorted(set(ep) - ENDPOINT_KEYS)
        if unknown:
            raise sc.ScenarioError("%s.%s: unknown key" % (where, unknown[0]))
        if ep.get("service") not in SERVICES:
            raise sc.ScenarioError(where + ".service: sts or "
                                   "elasticmapreduce")
        sid = sc._req(ep, "subnet", where)
        if sid not in w["subnets"]:
            raise sc.ScenarioError(where + ".subnet: not in subnets")
        ip = sc._ip(sc._req(ep, "ip", where), where + ".ip")
        if ip not in ipaddress.ip_network(w["subnets"][sid]["cidr"]):
            raise sc.ScenarioError(where + ".ip: not in its subnet")
        for gid in ep.get("security_groups", []):
            if gid not in w["security_groups"]:
                raise sc.ScenarioError(where + ".security_groups: %s "
                                       "unknown" % gid)


def endpoint_vpc(w, ep):
    return w["subnets"][ep["subnet"]]["vpc"]


def private_endpoint(w, vid, svc):
    """The interface endpoint whose private DNS answers svc's regional
    name in VPC vid, or None."""
    for eid, ep in sorted(endpoints(w).items()):
        if ep["service"] == svc and endpoint_vpc(w, ep) == vid and \
                ep.get("private_dns", True) and \
                ep.get("state", "available") == "available":
            return ep
    return None


def dns_answers(w, vid):
    """The regional names as the Amazon resolver of vid answers them."""
    out = {}
    if not enabled(w):
        return out
    for svc in SERVICES:
        ep = private_endpoint(w, vid, svc)
        addr = ep["ip"] if ep else public_ip(w, svc)
        if addr:
            out[regional_name(w, svc)] = addr
    return out


def company_answers(w):
    """What company DNS servers that do not forward know: public names
    only (the regional endpoints' public addresses, instances' public
    names); nothing under the AWS internal zones."""
    out = {}
    for svc in SERVICES:
        if public_ip(w, svc):
            out[regional_name(w, svc)] = public_ip(w, svc)
    for role in sc.ROLES:
        inst = w["instances"][role]
        pub = sc.public_dns_name(w, inst)
        if pub and inst.get("public_ip"):
            out[pub] = inst["public_ip"]
    return out


def addresses(w):
    """Every address P-cp holds."""
    out = [ep["ip"] for _, ep in sorted(endpoints(w).items())]
    out += [public_ip(w, s) for s in SERVICES if public_ip(w, s)]
    out += custom_servers(w, sc.role_vpc(w, "studio"))
    return sorted(set(out))


def extra_lab_nets(w):
    """Addresses outside the VPC blocks that still belong to the lab."""
    if not enabled(w):
        return []
    vnets = [ipaddress.ip_network(c) for c in sc.lab_cidrs(w)]
    return ["%s/32" % a for a in addresses(w)
            if not any(ipaddress.ip_address(a) in n for n in vnets)]


# ------------------------------------------------------------ the network

def _via_gateway(rt, addr):
    """Whether the longest route of rt for addr goes to a NAT or internet
    gateway (active): then the public endpoints are reachable."""
    best = None
    for dest, r in rt["routes"].items():
        net = ipaddress.ip_network(dest)
        if ipaddress.ip_address(addr) in net and \
                (best is None or net.prefixlen > best[0].prefixlen):
            best = (net, r)
    if not best:
        return False
    r = best[1]
    target = r if isinstance(r, str) else r["target"]
    state = "active" if isinstance(r, str) else r.get("state", "active")
    return state == "active" and target.startswith(("nat-", "igw-"))


def links(plan, run, route_tables):
    """The cp namespace's link, addresses and the router's routes to it.
    run is net.run, route_tables net.route_tables_for_subnets."""
    w = plan.w
    if not enabled(w):
        return
    cns, rns = plan.ns["cp"], plan.ns["studio-router"]
    hosts = list(CP_LINK.hosts())
    run(["ip", "-n", rns, "link", "add", "cp0", "type", "veth", "peer",
         "name", "eth0", "netns", cns])
    run(["ip", "-n", rns, "addr", "add", "%s/30" % hosts[0], "dev", "cp0"])
    run(["ip", "-n", cns, "addr", "add", "%s/30" % hosts[1], "dev", "eth0"])
    for a in addresses(w):
        run(["ip", "-n", cns, "addr", "add", a + "/32", "dev", "eth0"])
    run(["ip", "-n", rns, "link", "set", "cp0", "up"])
    run(["ip", "-n", cns, "link", "set", "eth0", "up"])
    run(["ip", "-n", cns, "route", "add", "default", "via", str(hosts[0])])
    rts = route_tables(w)
    svid = sc.role_vpc(w, "studio")
    for sid, (rrole, leg) in sorted(plan.legs.items()):
        if rrole != "studio-router":
            continue
        table = str(100 + int(leg[3:]))
        rt = w["route_tables"][rts[sid][0]] if rts.get(sid) else None
        net = ipaddress.ip_network(w["subnets"][sid]["cidr"])
        for _, ep in sorted(endpoints(w).items()):
            if endpoint_vpc(w, ep) != svid:
                continue
            run(["ip", "-n", rns, "route", "add", ep["ip"] + "/32", "via",
                 str(hosts[1]), "dev", "cp0", "table", table])
            if ipaddress.ip_address(ep["ip"]) in net:
                # the ENI is on the subnet: the router answers ARP for it
                run(["ip", "-n", rns, "neigh", "add", "proxy", ep["ip"],
                     "dev", leg])
        for s in custom_servers(w, svid):
            run(["ip", "-n", rns, "route", "add", s + "/32", "via",
                 str(hosts[1]), "dev", "cp0", "table", table])
        for svc in SERVICES:
            pub = public_ip(w, svc)
            if pub and rt and _via_gateway(rt, pub):
                run(["ip", "-n", rns, "route", "add", pub + "/32", "via",
                     str(hosts[1]), "dev", "cp0", "table", table])
        run(["ip", "netns", "exec", rns, "sysctl", "-q", "-w",
             "net.ipv4.neigh.%s.proxy_delay=0" % leg])


def forward_rules(plan, rrole, sg_chain):
    """(forward-chain lines, chains) for the router: traffic to an
    endpoint's ENI passes its security groups' ingress rules. sg_chain is
    net._sg_chain."""
    w = plan.w
    if not enabled(w) or rrole != "studio-router":
        return [], []
    rules, chains = [], []
    for n, (eid, ep) in enumerate(sorted(endpoints(w).items())):
        name = "vpce_in_%d" % n
        rules.append("    oifname \"cp0\" ip daddr %s jump %s" %
                     (ep["ip"], name))
        chains += ["  chain %s {" % name] + \
            sg_chain(w, {"ip": ep["ip"],
                         "security_groups": ep.get("security_groups", [])},
                     "ingress", "saddr") + ["  }"]
    return rules, chains


def resolv_server(w, vid, default):
    """The server a VPC's instances are told to use."""
    servers = custom_servers(w, vid)
    return servers[0] if servers else default


# -------------------------------------------------------- the processes

def _ca_and_cert(plan, sdir, run):
    w = plan.w
    ca_key = os.path.join(sdir, "cp-ca.key")
    ca = os.path.join(sdir, "cp-ca.crt")
    key = os.path.join(sdir, "cp.key")
    csr = os.path.join(sdir, "cp.csr")
    cert = os.path.join(sdir, "cp.crt")
    ext = os.path.join(sdir, "cp.ext")
    names = [regional_name(w, s) for s in SERVICES] + \
        ["*.%s.vpce.amazonaws.com" % w["region"]]
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca_key,
         "-out", ca, "-days", "30", "-subj", "/CN=xd-lab test CA " +
         plan.prefix, "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out",
         csr, "-subj", "/CN=" + names[0]])
    with open(ext, "w") as f:
        f.write("subjectAltName=%s\nextendedKeyUsage=serverAuth\n" %
                ",".join("DNS:" + n for n in names))
    run(["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
         "-CAcreateserial", "-out", cert, "-days", "30", "-extfile", ext])
    # check and probe read it after dropping root
    os.chmod(ca, 0o644)
    return ca, cert, key


def processes(plan, sdir, run, spawn, wait_listen, python, services_py):
    """The HTTPS listener, and the company DNS server when the Studio VPC
    names one. Returns the lab CA's path, or None."""
    w = plan.w
    if not enabled(w):
        return None
    ca, cert, key = _ca_and_cert(plan, sdir, run)
    proc = spawn(plan, sdir, "cp", "aws-api",
                 [python, "-B", services_py, "aws-api", "--port", "443",
                  "--tls-cert", cert, "--tls-key", key])
    wait_listen(plan, "cp", "tcp", 443, None, proc, "aws-api", sdir)
    servers = custom_servers(w, sc.role_vpc(w, "studio"))
    if servers:
        conf = os.path.join(sdir, "dnsmasq-company.conf")
        lines = ["no-resolv", "no-hosts", "no-poll", "bind-interfaces",
                 "user=root", "group=root", "cache-size=0", "log-queries",
                 "log-facility=" + os.path.join(sdir, "logs",
                                                "dnsmasq-company-queries.log"),
                 # it does not forward: the AWS internal zones are unknown
                 "local=/ec2.internal/", "local=/compute.internal/",
                 "local=/amazonaws.com/"]
        lines += ["listen-address=" + s for s in servers]
        for host, addr in sorted(company_answers(w).items()):
            lines.append("host-record=%s,%s" % (host, addr))
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        proc = spawn(plan, sdir, "cp", "dnsmasq-company",
                     ["dnsmasq", "--keep-in-foreground",
                      "--conf-file=" + conf])
        wait_listen(plan, "cp", "udp", 53, servers[0], proc,
                    "dnsmasq-company", sdir)
    return ca


def info(w, ca):
    if not enabled(w):
        return None
    svid = sc.role_vpc(w, "studio")
    return {"ca": ca,
            "names": {s: regional_name(w, s) for s in SERVICES},
            "answers": dns_answers(w, svid),
            "company_dns": custom_servers(w, svid),
            "endpoints": {eid: ep["ip"] for eid, ep in
                          sorted(endpoints(w).items())}}


# ------------------------------------------------------------ snapshot

def describe_vpc_endpoints(w, acct, hexid):
    out = []
    for eid, ep in sorted(endpoints(w).items()):
        vid = endpoint_vpc(w, ep)
        if w["vpcs"][vid]["account"] != acct:
            continue
        region = w["region"]
        svc = ep["service"]
        suffix = hexid("x", eid, 8)[2:]
        dns = [{"DnsName": "%s-%s.%s.%s.vpce.amazonaws.com" %
                (eid, suffix, svc, region), "HostedZoneId": "Z7HUB22UULQXV"}]
        az = w["subnets"][ep["subnet"]].get("az", region + "a")
        dns.append({"DnsName": "%s-%s-%s.%s.%s.vpce.amazonaws.com" %
                    (eid, suffix, az, svc, region),
                    "HostedZoneId": "Z7HUB22UULQXV"})
        private = bool(ep.get("private_dns", True))
        if private:
            dns.append({"DnsName": regional_name(w, svc),
                        "HostedZoneId": hexid("Z", eid, 13)[2:].upper()})
        groups = [{"GroupId": g, "GroupName":
                   w["security_groups"][g].get("name", g)}
                  for g in ep.get("security_groups", [])]
        out.append({
            "VpcEndpointId": eid,
            "VpcEndpointType": "Interface",
            "VpcId": vid,
            "ServiceName": "com.amazonaws.%s.%s" % (region, svc),
            "State": ep.get("state", "available"),
            "PolicyDocument": json.dumps(ep.get("policy", FULL_ACCESS)),
            "RouteTableIds": [],
            "SubnetIds": [ep["subnet"]],
            "Groups": groups,
            "IpAddressType": "ipv4",
            "DnsOptions": {"DnsRecordIpType": "ipv4"},
            "PrivateDnsEnabled": private,
            "RequesterManaged": False,
            "NetworkInterfaceIds": [ep.get("eni", hexid("eni", eid))],
            "DnsEntries": dns,
            "CreationTimestamp": "2026-01-05T09:30:00+00:00",
            "Tags": [],
            "OwnerId": acct})
    return {"VpcEndpoints": out}


def endpoint_enis(w, acct, hexid):
    """The ENIs of the interface endpoints, as describe-network-interfaces
    prints them."""
    out = []
    for eid, ep in sorted(endpoints(w).items()):
        vid = endpoint_vpc(w, ep)
        if w["vpcs"][vid]["account"] != acct:
            continue
        s = w["subnets"][ep["subnet"]]
        pdns = sc.private_dns_name(w, ep["ip"])
        out.append({
            "AvailabilityZone": s.get("az", w["region"] + "a"),
            "Description": "VPC Endpoint Interface %s" % eid,
            "Groups": [{"GroupName": w["security_groups"][g].get("name", g),
                        "GroupId": g}
                       for g in ep.get("security_groups", [])],
            "InterfaceType": "vpc_endpoint",
            "Ipv6Addresses": [],
            "MacAddress": "0e:%02x:%02x:%02x:%02x:01" % tuple(
                int(x) for x in ep["ip"].split(".")),
            "NetworkInterfaceId": ep.get("eni", hexid("eni", eid)),
            "OwnerId": acct,
            "PrivateDnsName": pdns,
            "PrivateIpAddress": ep["ip"],
            "PrivateIpAddresses": [{"Primary": True,
                                    "PrivateDnsName": pdns,
                                    "PrivateIpAddress": ep["ip"]}],
            "RequesterId": "727180483921",
            "RequesterManaged": True,
            "SourceDestCheck": True,
            "Status": "in-use",
            "SubnetId": ep["subnet"],
            "TagSet": [],
            "VpcId": vid})
    return out


def describe_dhcp_options(w, acct, hexid):
    out = []
    for vid, v in sorted(w["vpcs"].items()):
        if v["account"] != acct:
            continue
        d = dhcp(w, vid, hexid("dopt", vid))
        if any(o["DhcpOptionsId"] == d["id"] for o in out):
            continue
        out.append({
            "DhcpConfigurations": [
                {"Key": "domain-name",
                 "Values": [{"Value": d["domain_name"]}]},
                {"Key": "domain-name-servers",
                 "Values": [{"Value": s} for s in d["servers"]]}],
            "DhcpOptionsId": d["id"],
            "OwnerId": acct,
            "Tags": []})
    return {"DhcpOptions": out}
