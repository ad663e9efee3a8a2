#!/usr/bin/python3 -B
"""The loopback AWS of a lab's Studio space, run inside the Studio
namespace: tests/aws/fake_aws.py answering for the accounts the lab's
snapshot describes (EC2, STS, IAM, EMR, SageMaker with DescribeSpace /
DescribeUserProfile / ListSpaces / ListUserProfiles; signatures checked,
IAM enforced from the snapshot's own policies), on 127.0.0.1, and the
container-credentials endpoint SageMaker gives every Studio app, on
169.254.170.2:80 of that namespace, handing out the space's execution
role.

  studio_aws.py --snapshot DIR --role ROLE_ARN --ready FILE

FILE gets {"endpoint": URL, "relative_uri": PATH} once both listen; the
server runs until SIGTERM or SIGINT.
"""
import argparse
import glob
import json
import os
import secrets
import signal
import sys
import threading
import time
import http.server

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "aws"))

import fake_aws  # noqa: E402

EC2_FILES = {"ec2-describe-vpcs": "Vpcs", "ec2-describe-subnets": "Subnets",
             "ec2-describe-route-tables": "RouteTables",
             "ec2-describe-security-groups": "SecurityGroups",
             "ec2-describe-network-acls": "NetworkAcls",
             "ec2-describe-vpc-peering-connections": "VpcPeeringConnections",
             "ec2-describe-network-interfaces": "NetworkInterfaces",
             "ec2-describe-vpc-endpoints": "VpcEndpoints",
             "ec2-describe-dhcp-options": "DhcpOptions",
             "route53resolver-list-resolver-rules": "ResolverRules",
             "route53resolver-list-resolver-rule-associations":
                 "ResolverRuleAssociations"}


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def world_from_snapshot(snap):
    """fake_aws's world ({account: {...}}) holding what the snapshot's
    files say, so that a live fetch reads back the same configuration."""
    w = {}
    for adir in sorted(glob.glob(os.path.join(snap, "[0-9]" * 12))):
        acct = os.path.basename(adir)
        a = {k: [] for k in EC2_FILES.values()}
        a.update({"PrefixLists": [], "PrefixListEntries": {},
                  "VpcAttributes": {}, "Domains": {}, "UserProfiles": {},
                  "Spaces": {}, "Clusters": {}, "Instances": {},
                  "IAM": {"UserDetailList": [], "GroupDetailList": [],
                          "RoleDetailList": [], "Policies": []}})
        iam = os.path.join(adir, "iam-get-account-authorization-details.json")
        if os.path.exists(iam):
            a["IAM"].update(_load(iam))
        for path in sorted(glob.glob(os.path.join(adir, "*", "*.json"))):
            stem = os.path.basename(path)[:-5]
            parts = stem.split("--")
            doc = _load(path)
            if stem in EC2_FILES:
                a[EC2_FILES[stem]] = doc[EC2_FILES[stem]]
            elif parts[0] == "ec2-describe-vpc-attribute":
                key = parts[2][0].upper() + parts[2][1:]
                a["VpcAttributes"].setdefault(parts[1], {})[parts[2]] = \
                    doc[key]["Value"]
            elif parts[0] == "sagemaker-describe-domain":
                a["Domains"][parts[1]] = doc
            elif parts[0] == "sagemaker-describe-user-profile":
                a["UserProfiles"][(parts[1], parts[2])] = doc
            elif parts[0] == "sagemaker-describe-space":
                a["Spaces"][(parts[1], parts[2])] = doc
            elif parts[0] == "emr-describe-cluster":
                a["Clusters"][parts[1]] = doc["Cluster"]
            elif parts[0] == "emr-list-instances":
                a["Instances"][parts[1]] = doc["Instances"]
        w[acct] = a
    return w


class StudioAWS(fake_aws.FakeAWS):
    """fake_aws with the container endpoint at SageMaker's relative URI,
    handing out the space's execution role rather than a fixed one."""

    def __init__(self, world, role, hold_for=None):
        super().__init__(world, {})
        self.role = role
        # API answers wait until the control plane's stand-in has seen a
        # TLS handshake (its log says so), 20 s at most: a check that
        # probes the control plane only after its fetch would leave this
        # False, one that probes it during the fetch makes it True
        self.hold_for = hold_for
        self.cp_during_fetch = None
        self.relative_uri = "/_sagemaker-instance-credentials/" + \
            secrets.token_hex(20)

    def handle(self, method, path, headers, body):
        if path.startswith("/_sagemaker-instance-credentials/"):
            if path != self.relative_uri or method != "GET":
                return 404, {}, b'{"message": "not found"}'
            return self.container(method, headers)
        if self.hold_for and self.cp_during_fetch is None:
            self.wait_for_control_plane()
        return super().handle(method, path, headers, body)

    def wait_for_control_plane(self):
        end = time.monotonic() + 20
        while time.monotonic() < end:
            try:
                with open(self.hold_for) as f:
                    if "tls handshake done" in f.read():
                        self.cp_during_fetch = True
                        return
            except OSError:
                pass
            time.sleep(0.02)
        self.cp_during_fetch = False

    def container(self, method, headers):
        with self.lock:
            self.container_hits += 1
        acct = self.role.split(":")[4]
        name = self.role.split("/")[-1]
        c = self.add_creds(acct, "arn:aws:sts::%s:assumed-role/%s/SageMaker"
                           % (acct, name), "container")
        doc = {"AccessKeyId": c.akid, "SecretAccessKey": c.secret,
               "Token": c.token, "Expiration": fake_aws.iso(c.expires),
               "RoleArn": self.role}
        return 200, {"Content-Type": "application/json"}, \
            json.dumps(doc).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--snapshot", required=True)
    ap.add_argument("--role", required=True)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--hold-for-log", metavar="FILE",
                    help="the control plane stand-in's log: API answers "
                    "wait for a TLS handshake there (20 s at most)")
    a = ap.parse_args()
    fake = StudioAWS(world_from_snapshot(a.snapshot), a.role,
                     a.hold_for_log).start()
    # the same handler, on the address SageMaker serves credentials from
    meta = http.server.ThreadingHTTPServer(("169.254.170.2", 80),
                                           fake.httpd.RequestHandlerClass)
    meta.daemon_threads = True
    threading.Thread(target=meta.serve_forever, daemon=True).start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    tmp = a.ready + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"endpoint": fake.url, "relative_uri": fake.relative_uri}, f)
    os.rename(tmp, a.ready)
    stop.wait()
    meta.shutdown()
    meta.server_close()
    fake.stop()
    bad = fake.signature_failures
    calls = [c for c in fake.calls]
    print(json.dumps({"calls": len(calls), "signature_failures": bad,
                      "container_hits": fake.container_hits,
                      "control_plane_during_fetch": fake.cp_during_fetch,
                      "denied": [c for c in calls if c[3] != 200]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
