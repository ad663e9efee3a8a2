"""The hostile cases of hostile.py: how each is made and what it must do.

A case is a change to a working copy of examples/healthy (a file cut short,
replaced, made a folder, a FIFO or a link out of the folder, or a value
set out of range), or an observations, result or intent file of its own.
Large files are written at run time, never committed.
"""
import json
import os
import shutil

STUDIO, EMR, REGION = '111111111111', '222222222222', 'us-east-1'
E = EMR + '/' + REGION
S = STUDIO + '/' + REGION
SG_PATH = E + '/ec2-describe-security-groups.json'


# ---- building blocks of the cases -----------------------------------------

def jload(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def jsave(path, doc, compact=False):
    with open(path, 'w', encoding='utf-8') as f:
        if compact:
            json.dump(doc, f, separators=(',', ':'))
        else:
            json.dump(doc, f, indent=4)


def edit(rel, fn, compact=False):
    """A snapshot change: load rel, let fn change the document, save."""
    def apply(snap):
        p = os.path.join(snap, rel)
        d = jload(p)
        r = fn(d)
        jsave(p, d if r is None else r, compact)
    return apply


def replace(rel, data):
    def apply(snap):
        p = os.path.join(snap, rel)
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        elif os.path.lexists(p):
            os.unlink(p)
        if callable(data):
            data(p)
        else:
            with open(p, 'wb') as f:
                f.write(data if isinstance(data, bytes) else data.encode())
    return apply


def truncate(rel, frac):
    def apply(snap):
        p = os.path.join(snap, rel)
        with open(p, 'rb') as f:
            b = f.read()
        with open(p, 'wb') as f:
            f.write(b[:int(len(b) * frac)])
    return apply


def big_json(path, key, size=100 << 20):
    """A valid JSON document of about size bytes: key holds a list of
    strings (written in pieces, never held whole)."""
    item = json.dumps('x' * 1000)
    n = size // (len(item) + 1) + 1
    with open(path, 'w') as f:
        f.write('{"%s": [' % key)
        chunk = ','.join([item] * 1000)
        for i in range(n // 1000):
            if i:
                f.write(',')
            f.write(chunk)
        f.write(']}\n')


def deep_json(key, depth=200000):
    return '{"%s": %s%s}' % (key, '[' * depth, ']' * depth)


def mkdir_at(p):
    os.mkdir(p)


def symlink_to(target):
    def make(p):
        os.symlink(target, p)
    return make


def fifo(p):
    os.mkfifo(p)


# ---- the cases -------------------------------------------------------------
# A case: name, group, how to make it, the command, and what must happen.
# expect 'error': exit 3, stderr names `names` (each a substring) and
# matches `detail` (a regex) when given. expect 'ok': exit 0, 1 or 2 (or
# the one in `status`) and a whole result.

class Case:
    def __init__(self, name, group, expect, snapshot=None, extra=None,
                 names=(), detail=None, status=None, mode='analyze',
                 finding=None, output=None, flows=False):
        self.name, self.group, self.expect = name, group, expect
        self.snapshot = snapshot or []   # changes to the working snapshot
        self.extra = extra               # fn(workdir) -> (option, path)
        self.names = names
        self.detail = detail
        self.status = status
        self.mode = mode                 # analyze | report | listen | check
        self.finding = finding           # a code the result must hold
        # None; 'existing': a previous result.json must survive an error
        # untouched; 'dir': result.json is a folder; 'missing': --output
        # names a file in a folder that does not exist
        self.output = output
        self.flows = flows               # listen: the result must hold flows


def obs_doc(**kw):
    d = {'schema': 'xacct-doctor.observations/1', 'side': 'studio',
         'host': 'h', 'interfaces': [], 'dns': [], 'tcp': [], 'tls': [],
         'http': [], 'flows': []}
    d.update(kw)
    return d


def file_of(name, content):
    """An extra input file of the case (observations, config, result)."""
    def make(work):
        p = os.path.join(work, name)
        if callable(content):
            content(p)
        else:
            with open(p, 'wb') as f:
                f.write(content if isinstance(content, bytes)
                        else content.encode())
        return p
    return make


def sg_pairs_loop(d):
    """Every group references every other one, itself included, and a
    chain of 2000 more groups references its neighbours round a ring."""
    sgs = d['SecurityGroups']
    ids = [g['GroupId'] for g in sgs]
    vpc = sgs[0]['VpcId']
    for g in sgs:
        for perm in g['IpPermissions'] + g['IpPermissionsEgress']:
            perm['UserIdGroupPairs'] = perm.get('UserIdGroupPairs', []) + [
                {'GroupId': x, 'UserId': EMR} for x in ids]
    n = 2000
    for i in range(n):
        sgs.append({
            'GroupId': 'sg-%017x' % i, 'GroupName': 'ring-%d' % i,
            'Description': 'ring', 'OwnerId': EMR, 'VpcId': vpc,
            'IpPermissions': [{'IpProtocol': '-1', 'IpRanges': [],
                               'UserIdGroupPairs': [
                                   {'GroupId': 'sg-%017x' % ((i + 1) % n),
                                    'UserId': EMR},
                                   {'GroupId': ids[1], 'UserId': EMR}]}],
            'IpPermissionsEgress': [{'IpProtocol': '-1',
                                     'UserIdGroupPairs': [
                                         {'GroupId': 'sg-%017x' % ((i - 1) % n),
                                          'UserId': EMR}]}]})
    # and the cluster's group references the ring
    sgs[1]['IpPermissions'].append({
        'IpProtocol': 'tcp', 'FromPort': 8998, 'ToPort': 8998,
        'UserIdGroupPairs': [{'GroupId': 'sg-%017x' % 0, 'UserId': EMR}]})


def two_group_loop(d):
    """The group that admits Studio (by a reference to Studio's group) is
    made to admit only group B, and B only that group: a loop of
    references that Studio is in neither end of. References are not
    transitive in AWS, so the paths must come out blocked."""
    sgs = d['SecurityGroups']
    a = next(g for g in sgs if any(
        pr.get('UserId') == STUDIO for p in g['IpPermissions']
        for pr in p.get('UserIdGroupPairs', [])))
    b = master_sg(d)
    for p in a['IpPermissions']:
        p['UserIdGroupPairs'] = [{'GroupId': b['GroupId'], 'UserId': EMR}]
    b['IpPermissions'] = [{'IpProtocol': '-1', 'UserIdGroupPairs': [
        {'GroupId': a['GroupId'], 'UserId': EMR}]}]


def master_sg(d):
    """The EMR primary node's group (the one with port rules)."""
    for g in d['SecurityGroups']:
        if 'Master' in g.get('GroupName', ''):
            return g
    return d['SecurityGroups'][1]


def million_ranges(d):
    master_sg(d)['IpPermissions'].append({
        'IpProtocol': 'tcp', 'FromPort': 1, 'ToPort': 1,
        'IpRanges': [{'CidrIp': '10.%d.%d.%d/32' % (i >> 16 & 255,
                                                    i >> 8 & 255, i & 255)}
                     for i in range(1000000)]})


def million_perms(d):
    """A million rules as a million permissions of one port each (compact,
    so the file stays under the input limit)."""
    master_sg(d)['IpPermissions'].extend(
        {'IpProtocol': 'tcp', 'FromPort': i % 65536, 'ToPort': i % 65536,
         'IpRanges': [{'CidrIp': '192.0.2.0/24'}]} for i in range(300000))
    master_sg(d)['IpPermissions'].append({
        'IpProtocol': 'udp', 'FromPort': 0, 'ToPort': 65535,
        'UserIdGroupPairs': [{'GroupId': 'sg-%08x' % i}
                             for i in range(700000)]})


def many_nacl_entries(d):
    acl = d['NetworkAcls'][0]
    acl['Entries'][0:0] = [
        {'CidrBlock': '10.%d.0.0/16' % (i % 256), 'Egress': bool(i & 1),
         'Protocol': '6', 'RuleAction': 'deny', 'RuleNumber': 1 + i % 32766,
         'PortRange': {'From': 1, 'To': 2}} for i in range(400000)]


def many_routes(d):
    rt = d['RouteTables'][0]
    rt['Routes'] += [{'DestinationCidrBlock': '172.%d.%d.0/24' % (16 + (i >> 8) % 16, i & 255),
                      'GatewayId': 'igw-%08x' % i, 'State': 'active',
                      'Origin': 'CreateRoute'} for i in range(200000)]


def set_in(path, value):
    """fn for edit(): set d[path...] = value."""
    def fn(d):
        x = d
        for k in path[:-1]:
            x = x[k]
        x[path[-1]] = value
    return fn


def first_perm_of(d):
    return master_sg(d)['IpPermissions'][0]


def cidr_rule(cidr):
    def fn(d):
        master_sg(d)['IpPermissions'].append({
            'IpProtocol': 'tcp', 'FromPort': 8998, 'ToPort': 8998,
            'IpRanges': [{'CidrIp': cidr}]})
    return fn


def perm_ports(lo, hi, proto='tcp'):
    def fn(d):
        p = first_perm_of(d)
        p['IpProtocol'] = proto
        p['FromPort'] = lo
        p['ToPort'] = hi
    return fn


def nacl_entry(**kw):
    def fn(d):
        d['NetworkAcls'][0]['Entries'][0].update(kw)
    return fn


def result_doc(src, **kw):
    d = jload(os.path.join(src, 'tests', 'reports', 'sample.json'))
    d.update(kw)
    return d


def cases(src):
    SG = E + '/ec2-describe-security-groups.json'
    VPCS = E + '/ec2-describe-vpcs.json'
    ACL = E + '/ec2-describe-network-acls.json'
    RTB = S + '/ec2-describe-route-tables.json'
    IAM = EMR + '/iam-get-account-authorization-details.json'
    ROLEF = STUDIO + '/studio-emr-discovery-iam-role-arns.json'
    CL = E + '/emr-describe-cluster--j-3KQ7ZP1XW5R2B.json'
    FE = 'fetch-errors.json'
    DHCP = S + '/ec2-describe-dhcp-options.json'
    RULES = S + '/route53resolver-list-resolver-rules.json'
    ASSOCS = S + '/route53resolver-list-resolver-rule-associations.json'
    VPCE = S + '/ec2-describe-vpc-endpoints.json'
    obs_ok = json.dumps(obs_doc())
    res_ok = json.dumps(result_doc(src))
    out = [
        # -- the output: never half written, an earlier one kept on error
        Case('error-keeps-previous-output', 'files', 'error',
             [truncate(SG, 0.5)], names=[SG], output='existing'),
        Case('ok-replaces-previous-output', 'files', 'ok', [],
             output='existing', status=0),
        Case('output-is-a-directory', 'files', 'error', [],
             names=['result.json'], output='dir'),
        Case('output-folder-missing', 'files', 'error', [],
             names=['nowhere'], output='missing'),
        # -- files: truncated
        Case('truncated-sg', 'files', 'error', [truncate(SG, 0.5)],
             names=[SG], detail=r'line \d+'),
        Case('truncated-iam', 'files', 'error', [truncate(IAM, 0.7)],
             names=[IAM], detail=r'line \d+'),
        Case('truncated-cluster-1-byte', 'files', 'error', [truncate(CL, 0.0001)],
             names=[CL], detail=r'line \d+'),
        Case('truncated-intent-in-snapshot', 'files', 'error',
             [truncate('xacct-doctor.json', 0.5)], names=['xacct-doctor.json'],
             detail=r'line \d+'),
        Case('truncated-role-file', 'files', 'ok', [truncate(ROLEF, 0.5)],
             finding='ROLE_FILE_INVALID'),
        Case('truncated-observations', 'files', 'error',
             extra=('--observations', file_of('obs.json', obs_ok[:40])),
             names=['obs.json'], detail=r'line \d+'),
        Case('truncated-config', 'files', 'error',
             extra=('--config', file_of('intent.json', '{"studio": {"acc')),
             names=['intent.json'], detail=r'line \d+'),
        Case('truncated-result', 'files', 'error', mode='report',
             extra=('--in', file_of('result.json', res_ok[:len(res_ok) // 2])),
             names=['result.json'], detail=r'line \d+'),
        # -- files: 100 MB (over the 64 MiB input limit: refused at once)
        Case('100mb-sg', 'files', 'error',
             [replace(SG, lambda p: big_json(p, 'SecurityGroups'))],
             names=[SG], detail=r'larger than|limit|too (big|large)'),
        Case('100mb-observations', 'files', 'error',
             extra=('--observations',
                    file_of('obs.json', lambda p: big_json(p, 'tcp'))),
             names=['obs.json'], detail=r'larger than|limit|too (big|large)'),
        Case('100mb-config', 'files', 'error',
             extra=('--config', file_of('intent.json',
                                        lambda p: big_json(p, 'emr'))),
             names=['intent.json'], detail=r'larger than|limit|too (big|large)'),
        Case('100mb-result', 'files', 'error', mode='report',
             extra=('--in', file_of('result.json',
                                    lambda p: big_json(p, 'findings'))),
             names=['result.json'], detail=r'larger than|limit|too (big|large)'),
        # just under the limit: read, in bounded memory and time
        Case('60mb-vpcs', 'files', 'error',
             [replace(VPCS, lambda p: big_json(p, 'Vpcs', 60 << 20))],
             names=[VPCS], detail=r'Vpcs\[0\]'),
        # -- files: deep nesting
        Case('deep-sg', 'files', 'error',
             [replace(SG, deep_json('SecurityGroups'))], names=[SG],
             detail=r'line \d+.*(nested|deep)'),
        Case('deep-role-file', 'files', 'ok',
             [replace(ROLEF, deep_json(EMR))],
             finding='ROLE_FILE_INVALID'),
        Case('deep-policy-url-encoded', 'files', 'error',
             [edit(IAM, lambda d: d['RoleDetailList'][0].__setitem__(
                 'AssumeRolePolicyDocument',
                 '%7B%22a%22%3A' + '%5B' * 100000 + '%5D' * 100000 + '%7D'))],
             names=[IAM], detail=r'AssumeRolePolicyDocument|line \d+'),
        Case('deep-observations', 'files', 'error',
             extra=('--observations', file_of('obs.json', deep_json('tcp'))),
             names=['obs.json'], detail=r'(nested|deep)'),
        Case('deep-config', 'files', 'error',
             extra=('--config', file_of('intent.json', deep_json('emr'))),
             names=['intent.json'], detail=r'(nested|deep)'),
        Case('deep-result', 'files', 'error', mode='report',
             extra=('--in', file_of('result.json', deep_json('findings'))),
             names=['result.json'], detail=r'(nested|deep)'),
        # -- files: invalid UTF-8
        Case('utf8-invalid-byte', 'files', 'error',
             [edit(VPCS, set_in(['Vpcs', 0, 'OwnerId'], 'OWNER')),
              lambda s: _sub_bytes(s, VPCS, b'OWNER', b'OW\xffER')],
             names=[VPCS], detail=r'line \d+.*UTF-8'),
        Case('utf8-overlong', 'files', 'error',
             [edit(SG, lambda d: master_sg(d).__setitem__('Description', 'DESC')),
              lambda s: _sub_bytes(s, SG, b'DESC', b'\xc0\xaf')],
             names=[SG], detail=r'UTF-8'),
        Case('utf8-surrogate', 'files', 'error',
             [edit(CL, set_in(['Cluster', 'Name'], 'NAME')),
              lambda s: _sub_bytes(s, CL, b'NAME', b'\xed\xa0\x80')],
             names=[CL], detail=r'UTF-8'),
        Case('utf8-role-file', 'files', 'ok',
             [replace(ROLEF, b'{"222222222222": "arn:aws:iam::222222222222:'
                             b'role/\xfe\xff"}')],
             finding='ROLE_FILE_INVALID'),
        Case('utf8-observations', 'files', 'error',
             extra=('--observations', file_of(
                 'obs.json', obs_ok.replace('"h"', '"\x00h"').encode()
                 .replace(b'\x00', b'\xc3'))),
             names=['obs.json'], detail=r'UTF-8'),
        Case('utf8-config', 'files', 'error',
             extra=('--config', file_of('intent.json',
                                        b'{"studio": {"region": "\xe2\x82"}}')),
             names=['intent.json'], detail=r'UTF-8'),
        Case('utf8-result', 'files', 'error', mode='report',
             extra=('--in', file_of('result.json',
                                    res_ok.encode().replace(b'"ok"', b'"\xf8"', 1)
                                    if '"ok"' in res_ok else
                                    res_ok.encode()[:-1] + b'\xf8}')),
             names=['result.json'], detail=r'UTF-8'),
        Case('nul-byte', 'files', 'error',
             [lambda s: _sub_bytes(s, SG, b'"SecurityGroups"',
                                   b'"Security\x00Groups"')],
             names=[SG]),
        # -- files: empty
        Case('empty-vpcs', 'files', 'error', [replace(VPCS, b'')],
             names=[VPCS], detail=r'empty'),
        Case('empty-iam', 'files', 'error', [replace(IAM, b'')],
             names=[IAM], detail=r'empty'),
        Case('empty-intent-in-snapshot', 'files', 'error',
             [replace('xacct-doctor.json', b'')], names=['xacct-doctor.json']),
        Case('empty-role-file', 'files', 'ok', [replace(ROLEF, b'')],
             finding='ROLE_FILE_INVALID'),
        Case('whitespace-only-sg', 'files', 'error',
             [replace(SG, b' \n\t\n')], names=[SG]),
        Case('empty-observations', 'files', 'error',
             extra=('--observations', file_of('obs.json', b'')),
             names=['obs.json']),
        Case('empty-config', 'files', 'error',
             extra=('--config', file_of('intent.json', b'')),
             names=['intent.json']),
        Case('empty-result', 'files', 'error', mode='report',
             extra=('--in', file_of('result.json', b'')),
             names=['result.json']),
        Case('empty-snapshot-folder', 'files', 'ok',
             [lambda s: (shutil.rmtree(s), os.mkdir(s))]),
        Case('utf8-bom-vpcs', 'files', 'either',
             [lambda s: _sub_bytes(s, VPCS, b'{', b'\xef\xbb\xbf{')],
             names=[VPCS]),
        Case('5000-empty-account-folders', 'files', 'ok',
             [lambda s: [os.mkdir(os.path.join(s, '%012d' % (10 ** 11 + i)))
                         for i in range(5000)]]),
        # -- files: folders where files belong
        Case('dir-as-vpcs', 'files', 'error', [replace(VPCS, mkdir_at)],
             names=[VPCS], detail=r'directory'),
        Case('dir-as-iam', 'files', 'error', [replace(IAM, mkdir_at)],
             names=[IAM], detail=r'directory'),
        Case('dir-as-role-file', 'files', 'error', [replace(ROLEF, mkdir_at)],
             names=[ROLEF], detail=r'directory'),
        Case('dir-as-intent-in-snapshot', 'files', 'error',
             [replace('xacct-doctor.json', mkdir_at)],
             names=['xacct-doctor.json'], detail=r'directory'),
        Case('dir-as-observations', 'files', 'error',
             extra=('--observations', file_of('obs.json', mkdir_at)),
             names=['obs.json'], detail=r'directory'),
        Case('dir-as-config', 'files', 'error',
             extra=('--config', file_of('intent.json', mkdir_at)),
             names=['intent.json'], detail=r'directory'),
        Case('dir-as-result', 'files', 'error', mode='report',
             extra=('--in', file_of('result.json', mkdir_at)),
             names=['result.json'], detail=r'directory'),
        Case('fifo-as-sg', 'files', 'error', [replace(SG, fifo)],
             names=[SG], detail=r'regular file|not a file'),
        Case('fifo-as-observations', 'files', 'error',
             extra=('--observations', file_of('obs.json', fifo)),
             names=['obs.json'], detail=r'regular file|not a file'),
        Case('device-as-result', 'files', 'error', mode='report',
             extra=('--in', lambda w: '/dev/zero'),
             names=['/dev/zero'], detail=r'regular file|not a file'),
        Case('device-as-config', 'files', 'error',
             extra=('--config', lambda w: '/dev/zero'),
             names=['/dev/zero'], detail=r'regular file|not a file'),
        # -- files: symbolic links out of the snapshot
        Case('symlink-file-out', 'files', 'error',
             [replace(VPCS, symlink_to('/etc/passwd'))],
             names=[VPCS], detail=r'leads out'),
        Case('symlink-file-out-relative', 'files', 'error',
             [replace(SG, symlink_to('../../../../outside/sg.json'))],
             names=[SG], detail=r'leads out'),
        # issue 13 item 10: check reads the intent before the snapshot,
        # through the same containment check
        Case('symlink-intent-out-check', 'files', 'error',
             [lambda s: _move_out(s, 'xacct-doctor.json')], mode='check',
             names=['xacct-doctor.json'], detail=r'leads out'),
        Case('symlink-account-out', 'files', 'error',
             [lambda s: _move_out(s, EMR)], names=[EMR], detail=r'leads out'),
        Case('symlink-region-out', 'files', 'error',
             [lambda s: _move_out(s, E)], names=[E], detail=r'leads out'),
        Case('symlink-role-file-out', 'files', 'error',
             [replace(ROLEF, symlink_to('/etc/hostname'))],
             names=[ROLEF], detail=r'leads out'),
        Case('symlink-intent-out', 'files', 'error',
             [replace('xacct-doctor.json', symlink_to('/etc/passwd'))],
             names=['xacct-doctor.json'], detail=r'leads out'),
        Case('symlink-loop', 'files', 'error',
             [replace(VPCS, symlink_to(os.path.basename(VPCS)))],
             names=[VPCS], detail=r'symbolic link|resolve|loop|levels'),
        Case('symlink-dangling', 'files', 'error',
             [replace(VPCS, symlink_to('nowhere.json'))],
             names=[VPCS], detail=r'symbolic link|resolve|No such'),
        # a link that stays inside is fine
        Case('symlink-inside', 'files', 'ok',
             [lambda s: _link_inside(s, VPCS)], status=0),

        # -- values
        Case('cidr-300.1.2.3/33', 'values', 'error',
             [edit(SG, cidr_rule('300.1.2.3/33'))], names=[SG],
             detail=r'line \d+.*CidrIp.*300\.1\.2\.3/33'),
        Case('cidr-prefix-33', 'values', 'error',
             [edit(VPCS, set_in(['Vpcs', 0, 'CidrBlock'], '10.0.0.0/33'))],
             names=[VPCS], detail=r'line \d+.*CidrBlock'),
        # issue 13 item 8: the value is quoted in the error, but its
        # escapes (retitle the window, clear the screen) reach no terminal
        Case('cidr-terminal-escapes', 'values', 'error',
             [edit(VPCS, set_in(['Vpcs', 0, 'CidrBlock'],
                                '10.0.0.0/16\x1b]0;owned\x07\x1b[2J\u009b2J'))],
             names=[VPCS], detail=r'CidrBlock'),
        Case('cidr-negative-prefix', 'values', 'error',
             [edit(ACL, nacl_entry(CidrBlock='10.0.0.0/-1'))],
             names=[ACL], detail=r'line \d+.*CidrBlock'),
        Case('cidr-garbage-v6', 'values', 'error',
             [edit(SG, lambda d: first_perm_of(d).__setitem__(
                 'Ipv6Ranges', [{'CidrIpv6': '2001:db8:::/200'}]))],
             names=[SG], detail=r'line \d+.*CidrIpv6'),
        Case('cidr-route-300', 'values', 'error',
             [edit(RTB, lambda d: d['RouteTables'][0]['Routes'].append(
                 {'DestinationCidrBlock': '300.1.2.3/33',
                  'GatewayId': 'local', 'State': 'active'}))],
             names=[RTB], detail=r'line \d+.*DestinationCidrBlock'),
        Case('port-70000', 'values', 'error',
             [edit(SG, perm_ports(8998, 70000))], names=[SG],
             detail=r'line \d+.*ToPort.*70000'),
        Case('port-negative', 'values', 'error',
             [edit(SG, perm_ports(-5, 8998))], names=[SG],
             detail=r'line \d+.*FromPort'),
        Case('port-reversed', 'values', 'either',
             [edit(SG, perm_ports(9000, 8000))], names=[SG]),
        Case('port-all-protocols-minus-1', 'values', 'ok',
             [edit(SG, perm_ports(-1, -1, '-1'))]),
        Case('port-float', 'values', 'error',
             [edit(SG, perm_ports(8998.5, 8998))], names=[SG],
             detail=r'FromPort'),
        Case('port-huge-number', 'values', 'error',
             [edit(SG, perm_ports(1e300, 8998))], names=[SG],
             detail=r'FromPort'),
        Case('port-string', 'values', 'error',
             [edit(SG, perm_ports('8998', 8998))], names=[SG],
             detail=r'FromPort'),
        Case('nacl-port-range-out', 'values', 'error',
             [edit(ACL, nacl_entry(Protocol='6',
                                   PortRange={'From': 1, 'To': 99999}))],
             names=[ACL], detail=r'line \d+.*PortRange'),
        Case('nacl-rule-number-negative', 'values', 'error',
             [edit(ACL, nacl_entry(RuleNumber=-1))], names=[ACL],
             detail=r'line \d+.*RuleNumber'),
        Case('nacl-rule-number-zero', 'values', 'error',
             [edit(ACL, nacl_entry(RuleNumber=0))], names=[ACL],
             detail=r'RuleNumber'),
        Case('nacl-rule-number-40000', 'values', 'error',
             [edit(ACL, nacl_entry(RuleNumber=40000))], names=[ACL],
             detail=r'RuleNumber'),
        Case('nacl-duplicate-rule-numbers', 'values', 'either',
             [edit(ACL, lambda d: d['NetworkAcls'][0]['Entries'].append(
                 dict(d['NetworkAcls'][0]['Entries'][0], RuleAction='deny')))],
             names=[ACL]),
        Case('config-port-70000', 'values', 'error',
             extra=('--config', file_of('intent.json',
                                        '{"ports": [8998, 70000]}')),
             names=['intent.json'], detail=r'ports\[1\]'),
        Case('config-port-negative', 'values', 'error',
             extra=('--config', file_of('intent.json', '{"ports": [-1]}')),
             names=['intent.json'], detail=r'ports\[0\]'),
        Case('config-account-13-digits', 'values', 'error',
             extra=('--config', file_of(
                 'intent.json', '{"studio": {"account": "1111111111111"}}')),
             names=['intent.json'], detail=r'studio\.account'),
        Case('observations-port-70000', 'values', 'either',
             extra=('--observations', file_of('obs.json', json.dumps(obs_doc(
                 tcp=[{'target': '2.0.1.10', 'ip': '2.0.1.10', 'port': 70000,
                       'state': 'open', 'reason': 'syn-ack', 'ms': 1}])))),
             names=['obs.json'], detail=r'tcp\[0\]\.port'),
        Case('observations-bad-state', 'values', 'error',
             extra=('--observations', file_of('obs.json', json.dumps(obs_doc(
                 tcp=[{'target': '2.0.1.10', 'ip': '2.0.1.10', 'port': 8998,
                       'state': 'half-open', 'reason': 'x', 'ms': 1}])))),
             names=['obs.json'], detail=r'tcp\[0\]\.state'),
        Case('observations-flow-garbage-endpoints', 'values', 'either',
             extra=('--observations', file_of('obs.json', json.dumps(obs_doc(
                 flows=[{'src': '300.1.2.3:99999', 'dst': ':::::',
                         'syn': -4, 'syn_ack': 1e300, 'rst': 0,
                         'icmp': None, 'first': 'x', 'last': 'y'}])))),
             names=['obs.json']),
        Case('result-bad-status', 'values', 'error', mode='report',
             extra=('--in', file_of('result.json', json.dumps(
                 result_doc(src, status='bogus')))),
             names=['result.json'], detail=r'status'),
        Case('result-port-70000', 'values', 'either', mode='report',
             extra=('--in', file_of('result.json', json.dumps(
                 _result_port(result_doc(src), 70000)))),
             names=['result.json']),
        # -- values: very many rules, and loops
        Case('million-sg-rules', 'values', 'ok',
             [edit(SG, million_ranges, compact=True)]),
        Case('million-sg-rules-and-refs', 'values', 'ok',
             [edit(SG, million_perms, compact=True)]),
        Case('400k-nacl-entries', 'values', 'ok',
             [edit(ACL, many_nacl_entries, compact=True)]),
        Case('200k-routes', 'values', 'ok',
             [edit(RTB, many_routes, compact=True)]),
        Case('sg-loop-a-b-a', 'values', 'ok', [edit(SG, two_group_loop)],
             status=2, finding='SG_INGRESS_MISSING'),
        Case('sg-loop-ring-2000', 'values', 'ok', [edit(SG, sg_pairs_loop)]),
        Case('sg-ref-missing-group', 'values', 'ok',
             [edit(SG, lambda d: master_sg(d)['IpPermissions'].append(
                 {'IpProtocol': 'tcp', 'FromPort': 8998, 'ToPort': 8998,
                  'UserIdGroupPairs': [{'GroupId': 'sg-0000000000000dead',
                                        'UserId': '999999999999',
                                        'VpcPeeringConnectionId': 'pcx-0000000000000beef'}]}))]),
        # -- fetch-errors.json (issue 15): outside input like the others
        Case('fetch-errors-truncated', 'files', 'error',
             [replace(FE, json.dumps(_fetch_errors())[:70])], names=[FE],
             detail=r'line \d+'),
        Case('fetch-errors-code-not-a-string', 'values', 'error',
             [replace(FE, json.dumps(_fetch_errors(code=403)))], names=[FE],
             detail=r'errors\[0\]\.code'),
        Case('fetch-errors-wrong-schema', 'values', 'error',
             [replace(FE, json.dumps(dict(_fetch_errors(),
                                          schema='something-else/9')))],
             names=[FE], detail=r'schema'),
        Case('fetch-errors-100mb', 'files', 'error',
             [replace(FE, lambda p: big_json(p, 'errors'))], names=[FE],
             detail=r'larger than|limit|too (big|large)'),
        Case('fetch-errors-deep', 'files', 'error',
             [replace(FE, deep_json('errors'))], names=[FE]),
        Case('fetch-errors-hostile-text', 'values', 'ok',
             [replace(FE, json.dumps(_fetch_errors(
                 aws_message='<script>alert(1)</script>\u001b[31m' + 'x' * 5000,
                 role='arn:aws:iam::%s:role/<b>r</b>' % EMR)))],
             status=2, finding='DISCOVERY_ASSUME_REFUSED'),
        Case('fetch-errors-100k-refusals', 'values', 'ok',
             [replace(FE, lambda p: jsave(p, {
                 'schema': 'xacct-doctor.fetch-errors/1',
                 'errors': [dict(_fetch_errors()['errors'][0],
                                 call='ec2 DescribeVpcs', access='read',
                                 action='ec2:Describe%d' % i, file=None)
                            for i in range(100000)]}, compact=True))],
             status=1, finding='ACCOUNT_CONFIG_UNREADABLE'),
        # -- issue 19's DNS files: DHCP options sets, Resolver rules
        Case('dhcp-truncated', 'files', 'error',
             [replace(DHCP, json.dumps(_dhcp())[:60])], names=[DHCP],
             detail=r'line \d+'),
        Case('dhcp-100mb', 'files', 'error',
             [replace(DHCP, lambda p: big_json(p, 'DhcpOptions'))],
             names=[DHCP], detail=r'larger than|limit|too (big|large)'),
        Case('dhcp-deep', 'files', 'error',
             [replace(DHCP, deep_json('DhcpOptions'))], names=[DHCP]),
        Case('dhcp-server-not-an-address', 'values', 'error',
             [replace(DHCP, json.dumps(_dhcp(['10.50.0.2', '$(xdcanary) ;'])))],
             names=[DHCP],
             detail=r'DhcpOptions\[0\]\.DhcpConfigurations\[0\]\.Values\[1\]\.Value'),
        Case('dhcp-id-shell', 'values', 'error',
             [replace(DHCP, json.dumps(_dhcp(dopt='dopt-0a1b2c3d;xdcanary')))],
             names=[DHCP], detail=r'DhcpOptions\[0\]\.DhcpOptionsId'),
        Case('resolver-rule-id-shell', 'values', 'error',
             [replace(RULES, json.dumps({'ResolverRules': [
                 _rule(0, rid='rslvr-rr-$(xdcanary)')]}))],
             names=[RULES], detail=r'ResolverRules\[0\]\.Id'),
        Case('resolver-assoc-wrong-type', 'values', 'error',
             [replace(ASSOCS, json.dumps({'ResolverRuleAssociations': [
                 _assoc(0, vpc=['vpc-0a1b2c3d4e5f60718'])]}))],
             names=[ASSOCS], detail=r'ResolverRuleAssociations\[0\]\.VPCId'),
        Case('resolver-rules-truncated', 'files', 'error',
             [replace(RULES, json.dumps({'ResolverRules': [_rule(1)]})[:50])],
             names=[RULES], detail=r'line \d+'),
        # company servers in Studio's VPC and 100k rules and associations,
        # none for ec2.internal: found, and found fast (no rule-by-rule
        # search per association)
        Case('resolver-100k-rules', 'values', 'ok',
             [replace(DHCP, json.dumps(_dhcp(['10.50.0.2']))),
              replace(RULES, lambda p: jsave(p, {'ResolverRules': [
                  _rule(i) for i in range(100000)]}, compact=True)),
              replace(ASSOCS, lambda p: jsave(p, {'ResolverRuleAssociations': [
                  _assoc(i) for i in range(100000)]}, compact=True))],
             status=2, finding='DNS_CUSTOM_SERVERS_NO_FORWARD'),
        # -- ec2-describe-vpc-endpoints.json (issue 19): the policy is JSON
        # in a string, a second parser of outside input
        Case('vpce-policy-not-json', 'values', 'error',
             [replace(VPCE, json.dumps(_vpce(PolicyDocument='{"Statement": [')))],
             names=[VPCE], detail=r'VpcEndpoints\[0\]\.PolicyDocument'),
        Case('vpce-policy-not-an-object', 'values', 'error',
             [replace(VPCE, json.dumps(_vpce(PolicyDocument='[1, 2]')))],
             names=[VPCE], detail=r'PolicyDocument'),
        Case('vpce-bad-id', 'values', 'error',
             [replace(VPCE, json.dumps(_vpce(VpcEndpointId='vpce-$(reboot)')))],
             names=[VPCE], detail=r'VpcEndpointId'),
        Case('vpce-truncated', 'files', 'error',
             [replace(VPCE, json.dumps(_vpce())[:90])], names=[VPCE],
             detail=r'line \d+'),
        Case('vpce-hostile-policy', 'values', 'ok',
             [replace(VPCE, json.dumps(_vpce(PolicyDocument=json.dumps(
                 {'Statement': [{'Sid': '<script>alert(1)</script>\u001b[31m',
                                 'Effect': 'Deny', 'Principal': '*',
                                 'Action': '*', 'Resource': '*'}]}))))],
             status=2, finding='VPCE_POLICY_DENIES'),
        Case('result-100k-findings', 'values', 'ok', mode='report',
             extra=('--in', file_of('result.json', lambda p: jsave(
                 p, _many_findings(result_doc(src), 100000), compact=True)))),
    ]
    pcap = os.path.join(src, 'tests', 'fixtures', 'pcap',
                        'handshakes-en10mb.pcap')
    with open(pcap, 'rb') as f:
        cap = f.read()
    out += [
        # -- files: captures a customer sent (listen --read)
        Case('pcap-cut-mid-packet', 'files', 'ok', mode='listen', flows=True,
             extra=('--read', file_of('cap.pcap', cap[:1000]))),
        Case('pcap-cut-in-header', 'files', 'error', mode='listen',
             extra=('--read', file_of('cap.pcap', cap[:10])),
             names=['cap.pcap'], detail=r'pcap|truncated'),
        Case('pcap-empty', 'files', 'error', mode='listen',
             extra=('--read', file_of('cap.pcap', b'')), names=['cap.pcap']),
        Case('pcap-random-bytes', 'files', 'error', mode='listen',
             extra=('--read', file_of('cap.pcap', bytes(
                 (i * 7919 + 13) % 251 for i in range(5000)))),
             names=['cap.pcap']),
        Case('pcap-huge-caplen', 'files', 'ok', mode='listen',
             extra=('--read', file_of('cap.pcap', cap[:24] + b'\0' * 8 +
                                      b'\xff\xff\xff\x7f' * 2))),
        Case('pcap-is-a-directory', 'files', 'error', mode='listen',
             extra=('--read', file_of('cap.pcap', mkdir_at)),
             names=['cap.pcap'], detail=r'directory|regular file'),
        Case('pcap-is-a-device', 'files', 'error', mode='listen',
             extra=('--read', lambda w: '/dev/zero'), names=['/dev/zero']),
    ]
    return out


def _dhcp(servers=('AmazonProvidedDNS',), dopt='dopt-0a1b2c3d4e5f60718'):
    """Studio's options set as describe-dhcp-options prints it (the id the
    example's Studio VPC names)."""
    return {'DhcpOptions': [{'DhcpOptionsId': dopt, 'OwnerId': STUDIO,
                             'DhcpConfigurations': [
                                 {'Key': 'domain-name-servers',
                                  'Values': [{'Value': v} for v in servers]}],
                             'Tags': []}]}


def _rule(i, rid=None):
    """FORWARD rule i, for a company domain (not ec2.internal)."""
    return {'Id': rid or 'rslvr-rr-%017x' % i, 'DomainName': 'd%d.corp.example.com.' % i,
            'Status': 'COMPLETE', 'RuleType': 'FORWARD', 'Name': 'r%d' % i,
            'TargetIps': [{'Ip': '10.50.0.2', 'Port': 53}],
            'ResolverEndpointId': 'rslvr-out-0123456789abcdef0',
            'OwnerId': STUDIO, 'ShareStatus': 'NOT_SHARED'}


def _assoc(i, vpc='vpc-0a1b2c3d4e5f60718'):
    return {'Id': 'rslvr-rrassoc-%017x' % i, 'ResolverRuleId': 'rslvr-rr-%017x' % i,
            'Name': 'a%d' % i, 'VPCId': vpc, 'Status': 'COMPLETE'}


def _fetch_errors(**kw):
    """fetch-errors.json with one refused AssumeRole of the discovery role,
    as fetch writes it."""
    e = {'account': EMR, 'region': REGION, 'call': 'sts AssumeRole',
         'file': None, 'code': 'AccessDenied',
         'message': 'sts:AssumeRole was refused', 'action': 'sts:AssumeRole',
         'role': 'arn:aws:iam::%s:role/emr-discovery' % EMR,
         'access': 'discovery',
         'caller': 'arn:aws:iam::%s:user/admin' % STUDIO,
         'aws_message': 'User: x is not authorized to perform: sts:AssumeRole'}
    e.update(kw)
    return {'schema': 'xacct-doctor.fetch-errors/1', 'errors': [e]}


def _vpce(**kw):
    """ec2-describe-vpc-endpoints.json of examples/healthy's Studio VPC:
    an STS interface endpoint with private DNS, as the AWS CLI prints it."""
    e = {'VpcEndpointId': 'vpce-0d1e2f3a4b5c6d7e8', 'VpcEndpointType': 'Interface',
         'VpcId': 'vpc-0a1b2c3d4e5f60718',
         'ServiceName': 'com.amazonaws.%s.sts' % REGION, 'State': 'available',
         'PolicyDocument': json.dumps({'Statement': [
             {'Effect': 'Allow', 'Principal': '*', 'Action': '*', 'Resource': '*'}]}),
         'RouteTableIds': [], 'SubnetIds': ['subnet-0b2c3d4e5f6071829'],
         'Groups': [{'GroupId': 'sg-0a4b5c6d7e8f90112', 'GroupName': 'studio'}],
         'PrivateDnsEnabled': True, 'NetworkInterfaceIds': [],
         'DnsEntries': [], 'OwnerId': STUDIO}
    e.update(kw)
    return {'VpcEndpoints': [e]}


def _sub_bytes(snap, rel, old, new):
    p = os.path.join(snap, rel)
    with open(p, 'rb') as f:
        b = f.read()
    assert old in b, (rel, old)
    with open(p, 'wb') as f:
        f.write(b.replace(old, new, 1))


def _move_out(snap, rel):
    """Move rel out of the snapshot and leave a link to it in its place."""
    outside = os.path.join(os.path.dirname(snap), 'outside', rel)
    os.makedirs(os.path.dirname(outside), exist_ok=True)
    shutil.move(os.path.join(snap, rel), outside)
    os.symlink(outside, os.path.join(snap, rel))


def _link_inside(snap, rel):
    p = os.path.join(snap, rel)
    keep = os.path.join(snap, 'kept-' + os.path.basename(rel))
    shutil.move(p, keep)
    os.symlink(os.path.relpath(keep, os.path.dirname(p)), p)


def _result_port(d, port):
    for p in d.get('paths', []):
        p['to']['port'] = port
    return d


def _many_findings(d, n):
    f = d['findings'][0] if d['findings'] else {
        'code': 'SG_INGRESS_MISSING', 'severity': 'critical',
        'resource': 'sg-1', 'message': 'm'}
    d['findings'] = [dict(f, resource='sg-%x' % i, evidence=['e%d' % i])
                     for i in range(n)]
    return d
