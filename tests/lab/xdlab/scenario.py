"""Scenario files: load, compose (extends + JSON merge patch), check.

A scenario is one JSON object in AWS terms (see ../README.md). Every
collection is an object keyed by AWS id or by a rule name, never a list, so
that a scenario can be written as a small RFC 7386 merge patch over another
one: a key set to null removes it, an object is merged, anything else
replaces.
"""

import copy
import ipaddress
import json
import os
import re

SCENARIO_DIR = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "scenarios")

TOP_KEYS = {
    "extends", "description", "abstract", "region", "accounts", "vpcs",
    "subnets", "route_tables", "network_acls", "security_groups", "peering",
    "instances", "dns_records", "studio", "emr", "iam", "ports", "drift",
    "expect", "taken_at", "control_plane",
}

ROLES = ("studio", "emr")
PEERING_STATES = {
    "initiating-request", "pending-acceptance", "provisioning", "active",
    "rejected", "expired", "failed", "deleting", "deleted",
}
PROTOCOLS = {"-1": -1, "all": -1, "tcp": 6, "6": 6, "udp": 17, "17": 17,
             "icmp": 1, "1": 1}


class ScenarioError(Exception):
    """A scenario that cannot be used; the message names file and field."""


def merge_patch(target, patch):
    """RFC 7386: return target with patch applied (neither is modified)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def scenario_path(name):
    """A scenario given by name ("healthy") or by path."""
    if os.sep in name or name.endswith(".json"):
        return os.path.abspath(name)
    return os.path.join(SCENARIO_DIR, name + ".json")


def list_scenarios():
    """Names of the concrete (not abstract) scenarios shipped."""
    out = []
    for fn in sorted(os.listdir(SCENARIO_DIR)):
        if not fn.endswith(".json"):
            continue
        name = fn[:-5]
        try:
            with open(os.path.join(SCENARIO_DIR, fn), encoding="utf-8") as f:
                if json.load(f).get("abstract"):
                    continue
        except (OSError, ValueError):
            pass
        out.append(name)
    return out


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise ScenarioError("%s: %s" % (path, exc.strerror or exc)) from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ScenarioError("%s:%d: %s" % (path, getattr(exc, "lineno", 0),
                                           exc.msg if hasattr(exc, "msg")
                                           else exc)) from None
    if not isinstance(doc, dict):
        raise ScenarioError("%s: a scenario is a JSON object" % path)
    return doc


def _chain(path, seen, out):
    """Append to out the files whose patches make up the scenario at path,
    parents first, each file once (so a base shared by two parents is
    applied once, and a parent's deletions are not undone by another
    parent's copy of the base)."""
    if path in seen:
        raise ScenarioError("%s: extends itself (%s)" %
                            (path, " -> ".join(seen + [path])))
    doc = _read_json(path)
    parents = doc.get("extends", [])
    if isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, str)
                                                for p in parents):
        raise ScenarioError("%s: extends: a scenario name or a list of names"
                            % path)
    for parent in parents:
        ppath = scenario_path(parent) if os.sep in parent else \
            os.path.join(os.path.dirname(path), parent + ".json")
        _chain(ppath, seen + [path], out)
    if path not in [p for p, _ in out]:
        out.append((path, doc))


def _compose(path):
    """(world, drift): the patches of the chain applied in order. Drift
    patches are kept apart and raw: applying a patch onto nothing would
    drop the nulls that say what the drift removes."""
    chain = []
    _chain(path, [], chain)
    world = {}
    drift = {"network": [], "snapshot": [], "notes": []}
    for i, (p, doc) in enumerate(chain):
        own = {k: v for k, v in doc.items() if k not in ("extends", "drift")}
        if i < len(chain) - 1:
            own.pop("abstract", None)
        world = merge_patch(world, own)
        d = doc.get("drift")
        if d is None:
            continue
        if not isinstance(d, dict) or set(d) - {"network", "snapshot",
                                                "note"}:
            raise ScenarioError("%s: drift: an object with \"network\" "
                                "and/or \"snapshot\" merge patches" % p)
        for k in ("network", "snapshot"):
            if k in d:
                drift[k].append(d[k])
        if "note" in d:
            drift["notes"].append(d["note"])
    return world, drift


def load(name):
    """Load, compose and check a scenario. Returns a dict with "name",
    "file", "world" (the composed scenario), "network" and "snapshot": the
    world as the packets see it and as the snapshot records it (equal
    unless the scenario declares drift), and "drift" (the raw patches)."""
    path = scenario_path(name)
    world, drift = _compose(path)
    sname = os.path.basename(path)[:-5] if path.endswith(".json") else path
    unknown = sorted(set(world) - TOP_KEYS)
    if unknown:
        raise ScenarioError("%s: unknown key %s" % (path, unknown[0]))
    network, snap = world, world
    for patch in drift["network"]:
        network = merge_patch(network, patch)
    for patch in drift["snapshot"]:
        snap = merge_patch(snap, patch)
    for label, w in (("", world), ("drift.network applied: ", network),
                     ("drift.snapshot applied: ", snap)):
        try:
            check(w)
            from . import controlplane   # it builds on this module
            controlplane.check(w)
        except ScenarioError as exc:
            raise ScenarioError("%s: %s%s" % (path, label, exc)) from None
    has_drift = bool(drift["network"] or drift["snapshot"])
    return {"name": sname, "file": path, "world": world, "network": network,
            "snapshot": snap, "drift": drift if has_drift else {}}


# ---------------------------------------------------------------- checking

def _req(obj, key, where, kind=str):
    if not isinstance(obj, dict) or key not in obj:
        raise ScenarioError("%s.%s: missing" % (where, key))
    v = obj[key]
    if kind is not None and not isinstance(v, kind):
        raise ScenarioError("%s.%s: must be %s" % (where, key,
                                                   kind.__name__))
    return v


def _cidr(text, where):
    try:
        return ipaddress.ip_network(text, strict=True)
    except (ValueError, TypeError):
        raise ScenarioError("%s: \"%s\" is not an IPv4 CIDR" %
                            (where, text)) from None


def _ip(text, where):
    try:
        return ipaddress.ip_address(text)
    except (ValueError, TypeError):
        raise ScenarioError("%s: \"%s\" is not an IP address" %
                            (where, text)) from None


def protocol_number(p, where):
    key = str(p).lower()
    if key in PROTOCOLS:
        return PROTOCOLS[key]
    if key.isdigit() and 0 <= int(key) <= 255:
        return int(key)
    raise ScenarioError("%s: unknown protocol \"%s\"" % (where, p))


def check(w):
    """Raise ScenarioError naming the field when w cannot be built."""
    accounts = _req(w, "accounts", "scenario", dict)
    for acct, a in accounts.items():
        if not re.fullmatch(r"\d{12}", acct):
            raise ScenarioError("accounts.%s: not a 12-digit account" % acct)
        if _req(a, "side", "accounts." + acct) not in ROLES:
            raise ScenarioError("accounts.%s.side: studio or emr" % acct)
    _req(w, "region", "scenario")
    vpcs = _req(w, "vpcs", "scenario", dict)
    for vid, v in vpcs.items():
        where = "vpcs." + vid
        if _req(v, "account", where) not in accounts:
            raise ScenarioError(where + ".account: not in accounts")
        cidrs = _req(v, "cidrs", where, list)
        if not cidrs:
            raise ScenarioError(where + ".cidrs: empty")
        for i, c in enumerate(cidrs):
            _cidr(c, "%s.cidrs[%d]" % (where, i))
    subnets = _req(w, "subnets", "scenario", dict)
    for sid, s in subnets.items():
        where = "subnets." + sid
        vid = _req(s, "vpc", where)
        if vid not in vpcs:
            raise ScenarioError(where + ".vpc: not in vpcs")
        net = _cidr(_req(s, "cidr", where), where + ".cidr")
        if not any(net.subnet_of(ipaddress.ip_network(c))
                   for c in vpcs[vid]["cidrs"]):
            raise ScenarioError(where + ".cidr: outside the VPC's CIDRs")
    for rid, rt in _req(w, "route_tables", "scenario", dict).items():
        where = "route_tables." + rid
        if _req(rt, "vpc", where) not in vpcs:
            raise ScenarioError(where + ".vpc: not in vpcs")
        for sid in rt.get("subnets", []):
            if sid not in subnets:
                raise ScenarioError(where + ".subnets: %s unknown" % sid)
        for dest, r in _req(rt, "routes", where, dict).items():
            _cidr(dest, "%s.routes.%s" % (where, dest))
            if isinstance(r, dict):
                _req(r, "target", "%s.routes.%s" % (where, dest))
                if r.get("state", "active") not in ("active", "blackhole"):
                    raise ScenarioError("%s.routes.%s.state: active or "
                                        "blackhole" % (where, dest))
            elif not isinstance(r, str):
                raise ScenarioError("%s.routes.%s: a target id or an object"
                                    % (where, dest))
    for aid, acl in _req(w, "network_acls", "scenario", dict).items():
        where = "network_acls." + aid
        if _req(acl, "vpc", where) not in vpcs:
            raise ScenarioError(where + ".vpc: not in vpcs")
        for direction in ("ingress", "egress"):
            for num, ent in acl.get(direction, {}).items():
                ew = "%s.%s.%s" % (where, direction, num)
                if not num.isdigit() or not 1 <= int(num) <= 32766:
                    raise ScenarioError(ew + ": rule numbers are 1..32766")
                if _req(ent, "action", ew) not in ("allow", "deny"):
                    raise ScenarioError(ew + ".action: allow or deny")
                protocol_number(_req(ent, "protocol", ew), ew + ".protocol")
                _cidr(_req(ent, "cidr", ew), ew + ".cidr")
    sgs = _req(w, "security_groups", "scenario", dict)
    for gid, g in sgs.items():
        where = "security_groups." + gid
        if _req(g, "vpc", where) not in vpcs:
            raise ScenarioError(where + ".vpc: not in vpcs")
        for direction in ("ingress", "egress"):
            for rname, rule in g.get(direction, {}).items():
                rw = "%s.%s.%s" % (where, direction, rname)
                protocol_number(_req(rule, "protocol", rw), rw + ".protocol")
                if ("cidr" in rule) == ("group" in rule):
                    raise ScenarioError(rw + ": exactly one of cidr, group")
                if "cidr" in rule:
                    _cidr(rule["cidr"], rw + ".cidr")
                elif rule["group"] not in sgs:
                    raise ScenarioError(rw + ".group: not in security_groups")
    p = _req(w, "peering", "scenario", dict)
    _req(p, "id", "peering")
    if _req(p, "status", "peering") not in PEERING_STATES:
        raise ScenarioError("peering.status: one of " +
                            ", ".join(sorted(PEERING_STATES)))
    for side in ("requester", "accepter"):
        if _req(_req(p, side, "peering", dict), "vpc",
                "peering." + side) not in vpcs:
            raise ScenarioError("peering.%s.vpc: not in vpcs" % side)
    insts = _req(w, "instances", "scenario", dict)
    seen_subnets = {}
    for role in ROLES:
        inst = _req(insts, role, "instances", dict)
        where = "instances." + role
        sid = _req(inst, "subnet", where)
        if sid not in subnets:
            raise ScenarioError(where + ".subnet: not in subnets")
        if sid in seen_subnets:
            raise ScenarioError(where + ".subnet: the lab has one instance "
                                "per subnet")
        seen_subnets[sid] = role
        ip = _ip(_req(inst, "ip", where), where + ".ip")
        net = ipaddress.ip_network(subnets[sid]["cidr"])
        if ip not in net or int(ip) - int(net.network_address) < 4 or \
                ip == net.broadcast_address:
            raise ScenarioError(where + ".ip: not a usable address of its "
                                "subnet (AWS reserves the first four and the "
                                "last)")
        for gid in inst.get("security_groups", []):
            if gid not in sgs:
                raise ScenarioError(where + ".security_groups: %s unknown"
                                    % gid)
        if "public_ip" in inst:
            pub = _ip(inst["public_ip"], where + ".public_ip")
            if any(pub in ipaddress.ip_network(c)
                   for v in vpcs.values() for c in v["cidrs"]):
                raise ScenarioError(where + ".public_ip: inside a VPC CIDR")
    vsides = {vpcs[subnets[insts[r]["subnet"]]["vpc"]]["account"]: r
              for r in ROLES}
    if len(set(subnets[insts[r]["subnet"]]["vpc"] for r in ROLES)) != 2:
        raise ScenarioError("instances: studio and emr must be in two VPCs")
    for acct, role in vsides.items():
        if accounts[acct]["side"] != role:
            raise ScenarioError("instances.%s: its VPC's account %s has side "
                                "%s" % (role, acct, accounts[acct]["side"]))
    svc = insts["emr"].get("services", {})
    for name in svc:
        if name not in ("livy", "hive", "presto"):
            raise ScenarioError("instances.emr.services.%s: livy, hive or "
                                "presto" % name)
    for name, rec in w.get("dns_records", {}).items():
        if not isinstance(rec, dict) or rec.get("vpc") not in vpcs:
            raise ScenarioError("dns_records.%s.vpc: not in vpcs" % name)
    ports = w.get("ports", [8998, 10000, 8889])
    if not all(isinstance(x, int) and 0 < x < 65536 for x in ports):
        raise ScenarioError("ports: a list of TCP port numbers")


# ------------------------------------------------------------ derived facts

def role_vpc(w, role):
    return w["subnets"][w["instances"][role]["subnet"]]["vpc"]


def role_account(w, role):
    return w["vpcs"][role_vpc(w, role)]["account"]


def vpc_dns_ip(w, vid):
    """The Amazon DNS server of a VPC: its primary CIDR's base + 2."""
    net = ipaddress.ip_network(w["vpcs"][vid]["cidrs"][0])
    return str(net.network_address + 2)


def subnet_router_ip(w, sid):
    """The VPC router's address in a subnet: its base + 1."""
    net = ipaddress.ip_network(w["subnets"][sid]["cidr"])
    return str(net.network_address + 1)


def private_dns_name(w, ip):
    region = w["region"]
    dashed = "ip-" + ip.replace(".", "-")
    if region == "us-east-1":
        return dashed + ".ec2.internal"
    return "%s.%s.compute.internal" % (dashed, region)


def public_dns_name(w, inst):
    if "public_dns" in inst:
        return inst["public_dns"]
    if "public_ip" not in inst:
        return None
    dashed = "ec2-" + inst["public_ip"].replace(".", "-")
    if w["region"] == "us-east-1":
        return dashed + ".compute-1.amazonaws.com"
    return "%s.%s.compute.amazonaws.com" % (dashed, w["region"])


def peering_side_of(w, vid):
    p = w["peering"]
    for side in ("requester", "accepter"):
        if p[side]["vpc"] == vid:
            return side
    return None


def dns_answers(w, vid):
    """The A records the Amazon DNS server of VPC vid answers, as a dict
    name -> ip. An instance's names resolve to its private address inside
    its own VPC; in the peer VPC only while the peering is active and the
    instance VPC's side allows DNS resolution from the remote VPC, else to
    its public address (or not at all without one)."""
    out = {}
    if not w["vpcs"][vid].get("dns_support", True):
        return out
    p = w["peering"]
    for role in ROLES:
        inst = w["instances"][role]
        ivid = role_vpc(w, role)
        if not w["vpcs"][ivid].get("dns_hostnames", True):
            continue
        names = [inst.get("private_dns") or private_dns_name(w, inst["ip"])]
        pub = public_dns_name(w, inst)
        if pub:
            names.append(pub)
        if ivid == vid:
            addr = inst["ip"]
        else:
            side = peering_side_of(w, ivid)
            private = (p["status"] == "active" and side is not None and
                       p[side].get("allow_dns_from_remote", False) and
                       peering_side_of(w, vid) is not None)
            addr = inst["ip"] if private else inst.get("public_ip")
        for n in names:
            if addr:
                out[n] = addr
    for name, rec in w.get("dns_records", {}).items():
        if rec["vpc"] == vid:
            if rec.get("ip"):
                out[name] = rec["ip"]
            else:
                out.pop(name, None)
    return out


def services(w):
    """The EMR primary node's services with defaults filled in."""
    svc = w["instances"]["emr"].get("services", {})
    defaults = {"livy": {"port": 8998, "tls": False},
                "hive": {"port": 10000}, "presto": {"port": 8889}}
    out = {}
    for name, d in defaults.items():
        s = dict(d)
        s["enabled"] = True
        s.update(svc.get(name, {}))
        out[name] = s
    return out


def lab_cidrs(w):
    return sorted({c for v in w["vpcs"].values() for c in v["cidrs"]})
