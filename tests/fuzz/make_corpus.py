#!/usr/bin/python3
"""Build the seed corpora and dictionaries of the fuzz harnesses.

    make_corpus.py --source SRC --out DIR [--bin XACCT_DOCTOR] [HARNESS...]

Seeds come from the fixtures (examples/, tests/fixtures/**, tests/reports/,
tests/fixtures/pcap/), put in the shape each harness reads (a selector
byte, then the bytes of the file). DIR/seeds-NAME/ is made anew on every
run; DIR/NAME.dict is the harness's dictionary (committed parts from
tests/fuzz/dict/ plus tokens taken from the sources, such as the XML
element names of aws/shapes_*.c). Nothing here is committed: the corpora
live in the build tree. With --bin, results and observations written by
the program itself (analyze --format json on the fixtures, listen --read
on the fixture captures) are added as seeds too.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import urllib.parse

MAX_SEED = 256 * 1024

HARNESSES = ['snapshot', 'tracker', 'intent', 'analyze', 'policy',
             'observations', 'result', 'aws_xml', 'aws_json', 'http',
             'json_arena', 'thrift']


def kind_of(name):
    """ec2-describe-vpc-attribute--vpc-1--enableDnsSupport.json -> its kind:
    the command, plus the attribute for vpc-attribute files."""
    base = os.path.basename(name)
    if base.endswith('.json'):
        base = base[:-5]
    parts = base.split('--')
    if parts[0] == 'ec2-describe-vpc-attribute' and len(parts) == 3:
        return parts[0] + '--' + parts[2]
    return parts[0]


class Corpus:
    def __init__(self, out, name):
        self.dir = os.path.join(out, 'seeds-' + name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.seen = set()

    def add(self, data):
        if isinstance(data, str):
            data = data.encode()
        if len(data) > MAX_SEED:
            return
        h = hashlib.sha1(data).hexdigest()
        if h in self.seen:
            return
        self.seen.add(h)
        with open(os.path.join(self.dir, h), 'wb') as f:
            f.write(data)

    def __len__(self):
        return len(self.seen)


class Fixtures:
    """Every snapshot file of the fixtures, by kind."""

    def __init__(self, src):
        self.src = src
        roots = [os.path.join(src, 'examples'),
                 os.path.join(src, 'tests', 'fixtures')]
        self.files = []
        for r in roots:
            for dp, dn, fn in os.walk(r):
                dn.sort()
                for n in sorted(fn):
                    if n.endswith('.json'):
                        self.files.append(os.path.join(dp, n))

    def of_kind(self, kind):
        return [f for f in self.files if kind_of(f) == kind and
                not f.endswith('expect.json')]

    def intents(self):
        return [f for f in self.files
                if os.path.basename(f) == 'xacct-doctor.json']

    def snapshots(self):
        """Folders that hold a snapshot (an account folder inside)."""
        out = []
        for base in ('examples', os.path.join('tests', 'fixtures', 'analyzer')):
            for d in sorted(glob.glob(os.path.join(self.src, base, '*'))):
                if os.path.isdir(d) and any(re.fullmatch(r'\d{12}', x)
                                            for x in os.listdir(d)):
                    out.append(d)
        return out


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def load_json(path):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (ValueError, UnicodeDecodeError):
        return None


def c_table(path, start):
    """The string literals of the C array that begins at `start`."""
    text = open(path, encoding='utf-8').read()
    i = text.index(start)
    body = text[i:text.index('};', i)]
    return re.findall(r'"([^"]*)"', body)


# ---- per harness ----------------------------------------------------------

def seeds_snapshot(c, fx, args):
    table = c_table(os.path.join(args.source, 'tests', 'loader',
                                 'fuzz_snapshot.c'), 'files[] =')
    kinds = [kind_of(t) for t in table]
    # issue 19's DNS files: first bytes 0xD0 + i (files_dns[])
    dns = [kind_of(t) for t in c_table(os.path.join(
        args.source, 'tests', 'loader', 'fuzz_snapshot.c'), 'files_dns[] =')]
    for f in fx.files:
        k = kind_of(f)
        if k in kinds:
            c.add(bytes([kinds.index(k)]) + read(f))
        elif k in dns:
            c.add(bytes([0xD0 + dns.index(k)]) + read(f))
    for f in sorted(glob.glob(os.path.join(args.source, 'tests', 'loader',
                                           'fuzz-seeds', '*'))):
        c.add(read(f))


def analyze_files(args):
    path = os.path.join(args.source, 'tests', 'fuzz', 'analyze_files.txt')
    return [l.strip() for l in open(path) if l.strip() and
            not l.startswith('#')]


def seeds_analyze(c, fx, args):
    names = analyze_files(args)
    kinds = [kind_of(n) for n in names]
    for i, n in enumerate(names):
        k = kinds[i]
        if n == 'xacct-doctor.json':
            pool = fx.intents()
        elif k == 'studio-emr-discovery-iam-role-arns':
            pool = fx.of_kind(k)
        else:
            pool = fx.of_kind(k)
        for f in pool:
            c.add(bytes([i]) + read(f))


def policy_docs(fx):
    docs = []
    for f in fx.of_kind('iam-get-account-authorization-details'):
        d = load_json(f)
        if not isinstance(d, dict):
            continue
        for r in d.get('RoleDetailList') or []:
            docs.append(r.get('AssumeRolePolicyDocument'))
            for p in r.get('RolePolicyList') or []:
                docs.append(p.get('PolicyDocument'))
        for p in d.get('Policies') or []:
            for v in p.get('PolicyVersionList') or []:
                docs.append(v.get('Document'))
    out = []
    for d in docs:
        if isinstance(d, str):
            d = urllib.parse.unquote(d)
        elif d is not None:
            d = json.dumps(d, separators=(',', ':'))
        if d and d not in out:
            out.append(d)
    return out


def seeds_policy(c, fx, args):
    docs = policy_docs(fx)
    for n, d in enumerate(docs):
        for slot in range(4):
            # modes 0 (object) and 1 (URL-encoded by the harness) for all;
            # 2 (raw string, already encoded) for a few
            c.add(bytes([slot, 0]) + d.encode())
            c.add(bytes([slot, 1]) + d.encode())
        if n % 4 == 0:
            c.add(bytes([n % 4, 2]) + urllib.parse.quote(d, safe='').encode())


def seeds_intent(c, fx, args):
    for f in fx.intents():
        c.add(read(f))
    c.add('{}')
    c.add('{"studio":{"account":"111111111111"},"emr":[],"ports":[1,65535]}')
    c.add('{"studio":{"subnet_ids":["subnet-1"],"security_group_ids":["sg-1"],'
          '"role_arns_file":"/home/sagemaker-user/x.json"},'
          '"emr":[{"account":"222222222222","cluster_id":"j-1",'
          '"role_arn":"arn:aws:iam::222222222222:role/R"}]}')


def run_bin(args, argv):
    if not args.bin:
        return None
    try:
        p = subprocess.run([args.bin] + argv, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return p.stdout if p.returncode in (0, 1, 2) else None


def observation_docs(fx, args):
    docs = []
    for f in sorted(glob.glob(os.path.join(args.source, 'tests', 'reports',
                                           '*.json'))):
        d = load_json(f)
        obs = d.get('observations') if isinstance(d, dict) else None
        if isinstance(obs, dict):
            for v in obs.values():
                if isinstance(v, dict) and 'schema' in v:
                    docs.append(v)
    base = {'schema': 'xacct-doctor.observations/1', 'host': 'h',
            'interfaces': ['eth0']}
    docs.append(dict(base, side='studio',
                     dns=[{'name': 'ip-2-0-1-10.ec2.internal',
                           'server': '10.0.0.2', 'type': 'A',
                           'rcode': 'NOERROR', 'answers': ['2.0.1.10'],
                           'ms': 1.5}],
                     tcp=[{'target': '2.0.1.10', 'ip': '2.0.1.10',
                           'port': p, 'state': s, 'reason': r, 'ms': 1.0}
                          for p, s, r in ((8998, 'filtered', 'no-response'),
                                          (10000, 'closed', 'conn-refused'),
                                          (8889, 'open', 'syn-ack'))],
                     flows=[{'src': '10.0.20.15:40112',
                             'dst': '2.0.1.10:8998', 'syn': 3, 'syn_ack': 0,
                             'rst': 0, 'icmp': None,
                             'first': '2026-11-29T04:26:07.000001Z',
                             'last': '2026-11-29T04:26:10.000001Z'}]))
    docs.append(dict(base, side='emr',
                     flows=[{'src': '10.0.20.15:40113',
                             'dst': '2.0.1.10:10000', 'syn': 1, 'syn_ack': 1,
                             'rst': 1, 'icmp': 'admin-prohibited',
                             'first': '2026-11-29T04:26:07Z',
                             'last': '2026-11-29T04:26:07Z'}]))
    for pcap in sorted(glob.glob(os.path.join(args.source, 'tests', 'fixtures',
                                              'pcap', '*.pcap'))):
        for side in ('emr', 'studio'):
            out = run_bin(args, ['listen', '--read', pcap, '--format', 'json',
                                 '--side', side]) or \
                run_bin(args, ['listen', '--read', pcap, '--format', 'json'])
            d = None
            if out:
                try:
                    d = json.loads(out)
                except ValueError:
                    pass
            if isinstance(d, dict):
                docs.append(d)
    return docs


def seeds_observations(c, fx, args):
    for d in observation_docs(fx, args):
        c.add(json.dumps(d, indent=1))


def seeds_result(c, fx, args):
    for f in sorted(glob.glob(os.path.join(args.source, 'tests', 'reports',
                                           '*.json'))):
        c.add(read(f))
    if not args.bin:
        return
    snaps = fx.snapshots()
    # a spread of fixtures, not all: results look alike
    for d in snaps[::4] + [s for s in snaps if 'examples' in s]:
        out = run_bin(args, ['analyze', '--snapshot', d, '--format', 'json'])
        if out:
            c.add(out)


# -- AWS answers, written by the tests' own wire module (botocore) --

EC2_KINDS = {
    'ec2-describe-vpcs': 'DescribeVpcs',
    'ec2-describe-vpc-attribute--enableDnsSupport': 'DescribeVpcAttribute',
    'ec2-describe-vpc-attribute--enableDnsHostnames': 'DescribeVpcAttribute',
    'ec2-describe-subnets': 'DescribeSubnets',
    'ec2-describe-route-tables': 'DescribeRouteTables',
    'ec2-describe-security-groups': 'DescribeSecurityGroups',
    'ec2-describe-network-acls': 'DescribeNetworkAcls',
    'ec2-describe-vpc-peering-connections': 'DescribeVpcPeeringConnections',
    'ec2-describe-network-interfaces': 'DescribeNetworkInterfaces',
    'ec2-describe-managed-prefix-lists': 'DescribeManagedPrefixLists',
    'ec2-get-managed-prefix-list-entries': 'GetManagedPrefixListEntries',
}


def shape_ops(args):
    ec2 = c_table(os.path.join(args.source, 'aws', 'shapes_ec2.c'),
                  'aws_shape_op ops[]')
    iam = [s for s in c_table(os.path.join(args.source, 'aws', 'shapes_iam.c'),
                              'aws_shape_op ops[]')
           if not s.endswith('Result')]
    ec2 = [s for s in ec2 if s]
    return ec2, iam


def seeds_aws_xml(c, fx, args):
    ec2_ops, iam_ops = shape_ops(args)
    ops = ec2_ops + iam_ops
    sys.path.insert(0, os.path.join(args.source, 'tests', 'aws'))
    try:
        import awswire
    except Exception as ex:  # botocore missing: hand-written seeds only
        print('make_corpus: no botocore (%s): few XML seeds' % ex,
              file=sys.stderr)
        awswire = None
    hand = [
        (0, '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/'
            '2016-11-15/"><requestId>1</requestId><vpcSet><item><vpcId>'
            'vpc-1</vpcId><cidrBlock>10.0.0.0/16</cidrBlock><isDefault>false'
            '</isDefault></item></vpcSet></DescribeVpcsResponse>'),
        (0, '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            '<Code>UnauthorizedOperation</Code><Message>You are not '
            'authorized</Message></Error></Errors><RequestID>r</RequestID>'
            '</Response>'),
    ]
    for k, x in hand:
        c.add(bytes([k]) + x.encode())
    if not awswire:
        return
    for f in fx.files:
        op = EC2_KINDS.get(kind_of(f))
        d = load_json(f)
        if not op or not isinstance(d, dict) or op not in ops:
            continue
        try:
            c.add(bytes([ops.index(op)]) + awswire.ec2_xml(op, d).encode())
        except Exception:
            pass
    if 'GetAccountAuthorizationDetails' in ops:
        k = ops.index('GetAccountAuthorizationDetails')
        for f in fx.of_kind('iam-get-account-authorization-details'):
            d = load_json(f)
            if not isinstance(d, dict):
                continue
            d = dict(d, IsTruncated=False)
            try:
                c.add(bytes([k]) + awswire.query_xml(
                    'iam', 'GetAccountAuthorizationDetails', d).encode())
            except Exception:
                pass
    if 'GetCallerIdentity' in ops:
        c.add(bytes([ops.index('GetCallerIdentity')]) + awswire.query_xml(
            'sts', 'GetCallerIdentity',
            {'UserId': 'AIDAEXAMPLE', 'Account': '111111111111',
             'Arn': 'arn:aws:iam::111111111111:user/u'}).encode())
    if 'AssumeRole' in ops:
        c.add(bytes([ops.index('AssumeRole')]) + awswire.query_xml(
            'sts', 'AssumeRole',
            {'Credentials': {'AccessKeyId': 'ASIAEXAMPLE',
                             'SecretAccessKey': 'c2VjcmV0',
                             'SessionToken': 'dG9rZW4=',
                             'Expiration': '2026-11-29T05:26:07Z'},
             'AssumedRoleUser': {'AssumedRoleId': 'AROA:s',
                                 'Arn': 'arn:aws:sts::222222222222:'
                                        'assumed-role/R/s'}}).encode())
        c.add(bytes([ops.index('AssumeRole')]) + awswire.query_error(
            'sts', 'AccessDenied', 'User: arn:aws:iam::1:user/u is not '
            'authorized to perform: sts:AssumeRole on resource: x').encode())
    c.add(bytes([0]) + awswire.ec2_error('RequestLimitExceeded',
                                         'slow down <&>').encode())


def seeds_aws_json(c, fx, args):
    kinds = ['emr-describe-cluster', 'emr-list-instances',
             'emr-describe-security-configuration', 'sagemaker-describe-domain']
    clusters, domains = [], []
    for k, kind in enumerate(kinds):
        for f in fx.of_kind(kind):
            c.add(bytes([k]) + read(f))
            d = load_json(f)
            if kind == 'emr-describe-cluster' and isinstance(d, dict):
                cl = d.get('Cluster') or {}
                clusters.append({'Id': cl.get('Id'), 'Name': cl.get('Name'),
                                 'Status': cl.get('Status')})
            if kind == 'sagemaker-describe-domain' and isinstance(d, dict):
                domains.append({'DomainId': d.get('DomainId'),
                                'DomainName': d.get('DomainName'),
                                'Status': d.get('Status')})
    c.add(bytes([4]) + json.dumps({'Clusters': clusters}).encode())
    c.add(bytes([4]) + json.dumps({'Clusters': clusters[:1],
                                   'Marker': 'abc'}).encode())
    c.add(bytes([5]) + json.dumps({'Domains': domains}).encode())
    # several pages, as aws_pages follows them
    c.add(bytes([4]) + b'\n--\n'.join(json.dumps(p).encode() for p in (
        {'Clusters': clusters[:1], 'Marker': 'm1'},
        {'Clusters': clusters[1:2], 'Marker': 'm2'},
        {'Clusters': clusters[2:]})))
    c.add(bytes([5]) + b'\n--\n'.join(json.dumps(p).encode() for p in (
        {'Domains': domains[:1], 'NextToken': 't1'},
        {'Domains': domains[1:], 'NextToken': 't1'})))
    c.add(bytes([1]) + json.dumps(
        {'__type': 'com.amazon.coral.service#ExpiredTokenException:http://x',
         'message': 'The security token included in the request is expired'}
    ).encode())


def seeds_http(c, fx, args):
    bodies = [
        (0, {'from': 0, 'total': 1, 'sessions': [{'id': 0, 'state': 'idle'}]}),
        (0, {'from': 0, 'total': 0, 'sessions': []}),
        (1, {'nodeVersion': {'version': '0.287'}, 'environment': 'x',
             'coordinator': True, 'starting': False}),
        (2, {'clusterInfo': {'id': 1, 'state': 'STARTED',
                             'hadoopVersion': '3.3.6'}}),
        (3, []),
        (3, [{'id': 'application_1', 'name': 'x', 'attempts': []}]),
    ]
    for p, b in bodies:
        c.add(bytes([p, 0]) + json.dumps(b).encode())
    c.add(bytes([0, 5]) + b'<html>401</html>')


def seeds_thrift(c, fx, args):
    """What port 10000 may answer a Thrift SASL START with."""
    def frame(status, text):
        data = text.encode()
        return bytes([status]) + struct.pack('>I', len(data)) + data
    c.add(frame(3, 'Unsupported mechanism type XACCT-DOCTOR-PROBE'))
    c.add(frame(4, 'Invalid status 22'))
    c.add(frame(2, ''))
    c.add(b'\x15\x03\x03\x00\x02\x02\x46')   # a TLS alert
    c.add(b'SSH-2.0-OpenSSH_9.6\r\n')


def pcap_frames(path):
    data = read(path)
    if len(data) < 24:
        return None, []
    magic = struct.unpack('<I', data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        e = '<'
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        e = '>'
    else:
        return None, []
    linktype = struct.unpack(e + 'I', data[20:24])[0]
    frames, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack(e + 'I', data[off + 8:off + 12])[0]
        frames.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return linktype, frames


def seeds_tracker(c, fx, args):
    # the harness's link types, in its order
    order = {1: 0, 113: 1, 276: 2, 12: 3, 101: 3, 0: 4, 108: 5, 228: 6,
             229: 7}
    for f in sorted(glob.glob(os.path.join(args.source, 'tests', 'fixtures',
                                           'pcap', '*.pcap'))):
        lt, frames = pcap_frames(f)
        if lt not in order:
            continue
        out = bytearray([order[lt]])
        for fr in frames:
            fr = fr[:0xffff]
            out += struct.pack('>H', len(fr)) + fr
            if len(out) > 16384:
                c.add(bytes(out))
                out = bytearray([order[lt]])
        if len(out) > 1:
            c.add(bytes(out))


def seeds_json_arena(c, fx, args):
    # every JSON file of the fixtures, as it is; the regress folder holds
    # the corners of cJSON's grammar the fixtures do not show
    for f in fx.files:
        c.add(read(f))


# ---- dictionaries ---------------------------------------------------------

def dict_line(tok):
    esc = ''.join('\\x%02x' % ord(ch) if ord(ch) < 0x20 or ch in '"\\'
                  else ch for ch in tok)
    return '"%s"\n' % esc


def write_dict(args, name):
    parts = {'snapshot': ['json'], 'analyze': ['json'], 'policy': ['json', 'iam'],
             'intent': ['json', 'intent'], 'observations': ['json', 'observations'],
             'result': ['json', 'result', 'observations'],
             'aws_xml': ['xml', 'iam'], 'aws_json': ['json'], 'http': ['json'],
             'json_arena': ['json'],
             'tracker': [], 'thrift': []}[name]
    lines = []
    for p in parts:
        f = os.path.join(args.source, 'tests', 'fuzz', 'dict', p + '.dict')
        lines += [l for l in open(f) if l.strip() and not l.startswith('#')]
    if name in ('snapshot', 'analyze', 'policy', 'aws_json'):
        f = os.path.join(args.source, 'tests', 'loader', 'snapshot.dict')
        lines += [l for l in open(f) if l.strip() and not l.startswith('#')]
    if name == 'aws_xml':
        # the element names the converter knows, as tags
        toks = set()
        for src in ('shapes_ec2.c', 'shapes_iam.c'):
            for a, b in re.findall(r'\{"(\w+)", (NULL|"\w+"), \d+\}',
                                   open(os.path.join(args.source, 'aws',
                                                     src)).read()):
                el = a if b == 'NULL' else b.strip('"')
                toks.add(el)
        for t in sorted(toks):
            lines.append(dict_line('<%s>' % t))
            lines.append(dict_line('</%s>' % t))
    if not lines:
        return None
    path = os.path.join(args.out, name + '.dict')
    seen, out = set(), []
    for l in lines:
        if l not in seen:
            seen.add(l)
            out.append(l)
    with open(path, 'w') as f:
        f.writelines(out)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--source', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--bin')
    ap.add_argument('harness', nargs='*')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    fx = Fixtures(args.source)
    for name in args.harness or HARNESSES:
        c = Corpus(args.out, name)
        globals()['seeds_' + name](c, fx, args)
        write_dict(args, name)
        print('seeds-%s: %d inputs' % (name, len(c)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
