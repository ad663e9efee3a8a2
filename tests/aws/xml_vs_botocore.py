#!/usr/bin/python3
"""Compare the client's XML -> JSON conversion with botocore's parsers.

For every operation we read from EC2, IAM and STS, random instances of the
output shape (every member of every nested shape appears in some case;
empty lists, odd strings, numbers that look like strings, policies that are
and are not JSON) are written in the wire format and converted by both; the
JSON must be equal, and so must the key order the AWS CLI prints.

Usage: xml_vs_botocore.py --tool PATH/aws_xml_tool [--rounds N]
"""
import argparse
import json
import os
import random
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import awswire  # noqa: E402

OPS = {
    'ec2': ['DescribeVpcs', 'DescribeVpcAttribute', 'DescribeSubnets',
            'DescribeRouteTables', 'DescribeSecurityGroups',
            'DescribeSecurityGroupRules', 'DescribeNetworkAcls',
            'DescribeVpcPeeringConnections', 'DescribeNetworkInterfaces',
            'DescribeManagedPrefixLists', 'GetManagedPrefixListEntries',
            'DescribeVpcEndpoints', 'DescribeDhcpOptions'],
    'iam': ['GetAccountAuthorizationDetails'],
    'sts': ['AssumeRole', 'GetCallerIdentity'],
}


def members_seen(shape, value, seen, prefix):
    if shape.type_name == 'structure' and isinstance(value, dict):
        for k, v in value.items():
            seen.add(prefix + '.' + k)
            members_seen(shape.members[k], v, seen, shape.members[k].name)
    elif shape.type_name == 'list':
        for v in value:
            members_seen(shape.member, v, seen, shape.member.name)


def all_members(shape, acc, stack=()):
    if shape.name in stack:
        return
    if shape.type_name == 'structure':
        for k, m in shape.members.items():
            acc.add(shape.name + '.' + k)
            all_members(m, acc, stack + (shape.name,))
    elif shape.type_name == 'list':
        all_members(shape.member, acc, stack + (shape.name,))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tool', required=True)
    ap.add_argument('--rounds', type=int, default=25)
    ap.add_argument('--seed', type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    cases, expect = [], []
    seen, wanted = set(), set()
    for svc, ops in OPS.items():
        for op in ops:
            shape = awswire.model(svc).operation_model(op).output_shape
            all_members(shape, wanted)
            for _ in range(a.rounds):
                data = awswire.random_value(shape, rng)
                members_seen(shape, data, seen, shape.name)
                xml = awswire.wire(svc, op, data)
                cases.append({'service': svc, 'op': op, 'xml': xml})
                expect.append(awswire.cli_parse(svc, op, xml))
    out = subprocess.run([a.tool], input=json.dumps(cases).encode(),
                         stdout=subprocess.PIPE, check=True)
    got = json.loads(out.stdout)
    bad = 0
    for case, want, mine in zip(cases, expect, got):
        if mine != want or list(mine) != list(want):
            bad += 1
            if bad <= 3:
                print('MISMATCH', case['service'], case['op'])
                print(' xml:', case['xml'][:2000])
                print(' botocore:', json.dumps(want)[:2000])
                print(' ours:    ', json.dumps(mine)[:2000])
    missing = sorted(wanted - seen)
    print('%d answers, %d mismatches; %d of %d members exercised'
          % (len(cases), bad, len(wanted & seen), len(wanted)))
    if missing:
        print('members never generated:', missing[:20])
    return 1 if bad or missing else 0


if __name__ == '__main__':
    sys.exit(main())
