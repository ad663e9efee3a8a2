#!/usr/bin/python3
"""Read access per account, and refusals as findings (issue 15): `fetch`
against the loopback AWS, which enforces IAM as AWS does (fakeiam.py), then
`analyze` (and `check --snapshot`) on what it wrote.

Scenarios (one per ctest):
  discovery-only  the EMR account is read through the published discovery
                  role: its EC2 and IAM reads are refused; one warning for
                  the account names the role, no pile of "not known".
  read-role       the same plus emr[].read_role_arn (the xacct-doctor-read
                  role holding docs/iam/xacct-doctor-read-policy.json):
                  every file is read, no refusal finding; the policy lists
                  exactly the actions fetch made.
  assume-refused  AssumeRole of the discovery role refused: a trust naming
                  another account, a role that does not exist (IAM
                  readable, then not readable), a caller whose identity
                  policy lacks sts:AssumeRole.
  placeholders    DescribeCluster refused through a discovery policy that
                  still holds <region>/<account-id>.
  traffic-only    the EMR network is not readable but the primary node
                  is known: the Studio side's probes decide each path's
                  verdict, and the result says it comes from traffic only.
  fake-strict     the loopback AWS itself: policy evaluation (wildcards,
                  NotAction, resources, explicit Deny) and each service's
                  refusal as botocore parses it.
  merge           one fetch with Studio's credentials, one with the EMR
                  account's (a profile), into the same folder; and
                  --account-profile in one fetch.
Each asserts the status, the finding code and its resource (the culprit).
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checks import check, summary  # noqa: E402
import fake_aws  # noqa: E402
import fakeiam  # noqa: E402
from fetch_e2e import clean_env, files_under, run  # noqa: E402
import world as W  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def start(**kw):
    w, roles = W.build(**kw)
    return w, fake_aws.FakeAWS(w, roles).start()


def studio_env(tmp, fake, studio):
    env = clean_env(tmp)
    env.update({'AWS_ACCESS_KEY_ID': studio.akid,
                'AWS_SECRET_ACCESS_KEY': studio.secret,
                'AWS_REGION': W.REGION, 'AWS_ENDPOINT_URL': fake.url})
    return env


def container_env(tmp, fake):
    """Studio's own identity: the execution role, from the container
    endpoint, as inside a Studio space."""
    fake.container_token = 'Bearer ' + 'c0ntainer-t0ken-' * 3
    env = clean_env(tmp)
    env.update({'AWS_CONTAINER_CREDENTIALS_FULL_URI': fake.url + '/container-creds',
                'AWS_CONTAINER_AUTHORIZATION_TOKEN': fake.container_token,
                'AWS_REGION': W.REGION, 'AWS_ENDPOINT_URL': fake.url})
    return env


def intent(tmp, name='xacct-doctor.json', ports=(8998,), studio_profile=None,
           **emr):
    e = {'account': W.EMR, 'region': W.REGION, 'cluster_id': W.CLUSTERS[0],
         'role_arn': W.EMR_ROLE}
    e.update(emr)
    e = {k: v for k, v in e.items() if v is not None}
    doc = {'studio': {'account': W.STUDIO, 'region': W.REGION,
                      'domain_id': W.DOMAIN},
           'emr': [e], 'ports': list(ports)}
    if studio_profile:
        doc['studio']['profile'] = studio_profile
    path = os.path.join(tmp, name)
    with open(path, 'w') as f:
        json.dump(doc, f, indent=2)
    return path


def analyze(xd, snap, env, cmd='analyze'):
    args = [cmd, '--snapshot', snap, '--format', 'json']
    if cmd == 'check':
        args.append('--no-probe')
        # check run as root reads as `nobody`; fetch wrote a private folder
        for top, dirs, files in os.walk(snap):
            os.chmod(top, 0o755)
            for f in files:
                os.chmod(os.path.join(top, f), 0o644)
    p = run(xd, args, env)
    try:
        r = json.loads(p.out)
    except ValueError:
        r = {'status': None, 'findings': [], 'paths': []}
    r['exit'] = p.returncode
    return r


def findings(r, code):
    return [f for f in r.get('findings', []) if f['code'] == code]


def errors(snap):
    path = os.path.join(snap, 'fetch-errors.json')
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return json.load(f)['errors']


def ev(f):
    return ' '.join(f.get('evidence') or [])


def scenario_discovery_only(xd, tmp):
    w, fake = start(discovery_reads=False)
    studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                            'static', token=False)
    env = studio_env(tmp, fake, studio)
    snap = os.path.join(tmp, 'snap')
    p = run(xd, ['--config', intent(tmp), 'fetch', '--out', snap], env)
    check(p.returncode == 1, 'fetch exit 1: calls were refused (%d)' % p.returncode)
    errs = errors(snap)
    ec2 = [e for e in errs if e.get('action', '').startswith('ec2:')]
    check(ec2 and all(e['access'] == 'discovery' and e['role'] == W.EMR_ROLE
                      and e['code'] == 'UnauthorizedOperation' and
                      'not authorized to perform: ec2:' in e.get('aws_message', '')
                      for e in ec2),
          'fetch-errors.json: the EMR account\'s ec2 reads refused through '
          'the discovery role, with the action and AWS\'s message (%d)' % len(ec2))
    check(any(e.get('action') == 'iam:GetAccountAuthorizationDetails' and
              e['code'] == 'AccessDenied' for e in errs),
          'the IAM read is refused too (AccessDenied, query wire format)')
    for cmd in ('analyze', 'check'):
        r = analyze(xd, snap, env, cmd)
        warn = findings(r, 'ACCOUNT_CONFIG_UNREADABLE')
        check(len(warn) == 1 and warn[0]['severity'] == 'warning' and
              warn[0]['resource'] == W.EMR_ROLE and
              warn[0]['account'] == W.EMR and
              'not readable with %s' % W.EMR_ROLE in warn[0]['message'] and
              'ec2:DescribeVpcs' in ev(warn[0]) and
              'xacct-doctor-read-policy.json' in (warn[0].get('remediation') or ''),
              '%s: one ACCOUNT_CONFIG_UNREADABLE for account %s naming the '
              'discovery role, the refused actions and the read policy' % (cmd, W.EMR))
        check(not [f for f in findings(r, 'SNAPSHOT_FILE_MISSING')
                   if f['account'] == W.EMR],
              '%s: no pile of "not known" infos for that account' % cmd)
        check(not findings(r, 'DISCOVERY_CALL_REFUSED') and
              not findings(r, 'DISCOVERY_ASSUME_REFUSED'),
              '%s: the discovery itself was not refused: no critical' % cmd)
        # status: never OK on what was not seen (the warning makes it so
        # here; issue 15 item 3 is i12's status rule)
        check(r['status'] == 'warning' and r['exit'] == 1,
              '%s: status warning, exit 1 (%s, %d; critical: %s)' % (
                  cmd, r['status'], r['exit'],
                  [(f['code'], f['resource']) for f in r['findings']
                   if f['severity'] == 'critical']))
    fake.stop()


def scenario_read_role(xd, tmp):
    w, fake = start(discovery_reads=False, read_role=True)
    studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                            'static', token=False)
    env = studio_env(tmp, fake, studio)
    snap = os.path.join(tmp, 'snap')
    p = run(xd, ['--config', intent(tmp, read_role_arn=W.READ_ROLE), 'fetch',
                 '--out', snap], env)
    check(p.returncode == 0, 'fetch exit 0 with the read role (%d)' % p.returncode)
    got = files_under(snap)
    rel = '%s/%s/' % (W.EMR, W.REGION)
    check(rel + 'ec2-describe-security-groups.json' in got and
          '%s/iam-get-account-authorization-details.json' % W.EMR in got and
          rel + 'emr-list-instances--%s.json' % W.CLUSTERS[0] in got,
          'the EMR account\'s network, IAM and instances are read')
    assumed = {c.arn.split('/')[1] for c in fake.creds.values() if c.kind == 'assumed'}
    check(assumed == {'emr-discovery-role', 'xacct-doctor-read'},
          'both roles assumed (%s)' % sorted(assumed))
    errs = errors(snap)
    check(all(e.get('optional') and e['access'] == 'discovery' for e in errs),
          'what the discovery role may not read is noted, and read with the '
          'read role (%s)' % [e.get('action') for e in errs])
    r = analyze(xd, snap, env)
    codes = {f['code'] for f in r['findings']}
    check(not codes & {'ACCOUNT_CONFIG_UNREADABLE', 'DISCOVERY_CALL_REFUSED',
                       'DISCOVERY_ASSUME_REFUSED'},
          'no refusal finding with full read access (%s)' % sorted(codes))
    verdicts = [p['verdict'] for p in r.get('paths', [])]
    check(verdicts and 'unknown' not in verdicts,
          'every path has a verdict from the configuration (%s)' % verdicts)
    check(r['status'] in ('ok', 'warning', 'critical') and r['exit'] in (0, 1, 2),
          'status %s (the world\'s own findings)' % r['status'])

    # the shipped policy lists exactly what fetch asks for: a fetch that
    # discovers everything (ListDomains, fleets) with the read role only
    fake.calls = []
    snap2 = os.path.join(tmp, 'snap2')
    env2 = dict(env)
    with open(env2['AWS_CONFIG_FILE'], 'w') as f:
        f.write('[profile reader]\nrole_arn = %s\nsource_profile = reader\n'
                'region = us-east-1\n' % W.READ_ROLE)
    with open(env2['AWS_SHARED_CREDENTIALS_FILE'], 'w') as f:
        f.write('[reader]\naws_access_key_id = %s\naws_secret_access_key = %s\n'
                % (studio.akid, studio.secret))
    p = run(xd, ['fetch', '--out', snap2, '--account-profile',
                 '%s=reader' % W.EMR], env2)
    made = {'%s:%s' % (fakeiam.PREFIX[s], op) for a, s, op, st, c in fake.calls
            if (s, op) not in fakeiam.FREE and not (s == 'sts' and op == 'AssumeRole')}
    with open(W.READ_POLICY_FILE) as f:
        listed = {a for st in json.load(f)['Statement'] for a in st['Action']}
    check(made == listed, 'docs/iam/xacct-doctor-read-policy.json lists exactly '
          'the actions fetch made (only made %s, only listed %s)'
          % (sorted(made - listed), sorted(listed - made)))
    fake.stop()


def assume_case(xd, tmp, name, w_edit, want, env_kind='static', **emr):
    emr.setdefault('read_role_arn', W.READ_ROLE)  # so EMR's IAM is readable
    w, fake = start(discovery_reads=False, read_role=True)
    w_edit(w)
    studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                            'static', token=False)
    env = studio_env(tmp, fake, studio) if env_kind == 'static' \
        else container_env(tmp, fake)
    snap = os.path.join(tmp, 'snap-' + name)
    role = emr.get('role_arn', W.EMR_ROLE)
    p = run(xd, ['--config', intent(tmp, name + '.json', **emr), 'fetch',
                 '--out', snap], env)
    check(p.returncode == 1, '%s: fetch exit 1 (%d)' % (name, p.returncode))
    errs = [e for e in errors(snap) if e.get('call') == 'sts AssumeRole']
    check(len(errs) == 1 and errs[0]['role'] == role and
          errs[0]['access'] == 'discovery' and errs[0]['code'] == 'AccessDenied',
          '%s: the refused AssumeRole is recorded with the role' % name)
    for cmd in ('analyze', 'check'):
        r = analyze(xd, snap, env, cmd)
        f = findings(r, 'DISCOVERY_ASSUME_REFUSED')
        check(len(f) == 1 and f[0]['severity'] == 'critical' and
              f[0]['resource'] == role and
              'not authorized to perform: sts:AssumeRole' in ev(f[0]) and
              want in ev(f[0]),
              '%s: %s: DISCOVERY_ASSUME_REFUSED names %s, quotes AWS and says '
              '"%s" (%s)' % (name, cmd, role, want, ev(f[0]) if f else None))
        check(r['status'] == 'critical' and r['exit'] == 2,
              '%s: %s: status critical, exit 2 (%s)' % (name, cmd, r['status']))
    fake.stop()
    return f[0] if f else {}


def scenario_assume_refused(xd, tmp):
    def wrong_trust(w):
        for r in w[W.EMR]['IAM']['RoleDetailList']:
            if r['RoleName'] == 'emr-discovery-role':
                r['AssumeRolePolicyDocument']['Statement'][0]['Principal'] = \
                    {'AWS': 'arn:aws:iam::444444444444:root'}
    f = assume_case(xd, tmp, 'trust', wrong_trust, 'trust policy of %s names '
                    'neither account %s' % (W.EMR_ROLE, W.STUDIO))
    check('update-assume-role-policy' in (f.get('remediation') or ''),
          'trust: the fix is the trust policy')

    missing = 'arn:aws:iam::%s:role/not-created-yet' % W.EMR
    assume_case(xd, tmp, 'missing', lambda w: None, 'the role does not exist',
                role_arn=missing)
    assume_case(xd, tmp, 'missing-unreadable', lambda w: None,
                'is not known', role_arn=W.DENY_ROLE, account=W.DENY,
                read_role_arn=None)

    def no_identity_grant(w):
        for r in w[W.STUDIO]['IAM']['RoleDetailList']:
            if r['RoleName'] == 'StudioExecutionRole':
                r['RolePolicyList'][0]['PolicyDocument']['Statement'][0][
                    'Resource'] = [W.READ_ROLE]
    f = assume_case(xd, tmp, 'caller', no_identity_grant,
                    'do not allow sts:AssumeRole', env_kind='container')
    check('put-role-policy --role-name StudioExecutionRole' in
          (f.get('remediation') or ''),
          'caller: the fix is the execution role\'s policy')


def scenario_placeholders(xd, tmp):
    w, fake = start(discovery_reads=False, read_role=True)
    for r in w[W.EMR]['IAM']['RoleDetailList']:
        if r['RoleName'] == 'emr-discovery-role':
            r['RolePolicyList'][0]['PolicyDocument'] = \
                W.discovery_policy('<region>', '<account-id>')
    studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                            'static', token=False)
    env = studio_env(tmp, fake, studio)
    snap = os.path.join(tmp, 'snap')
    run(xd, ['--config', intent(tmp, read_role_arn=W.READ_ROLE), 'fetch',
             '--out', snap], env)
    check(fake.count('DescribeCluster', account=W.EMR, status=400) >= 1,
          'DescribeCluster was refused through the discovery role')
    check('%s/%s/emr-describe-cluster--%s.json' % (W.EMR, W.REGION, W.CLUSTERS[0])
          in files_under(snap), 'the cluster is read with the read role')
    for cmd in ('analyze', 'check'):
        r = analyze(xd, snap, env, cmd)
        f = findings(r, 'DISCOVERY_CALL_REFUSED')
        check(len(f) == 1 and f[0]['severity'] == 'critical' and
              f[0]['resource'] == W.EMR_ROLE and
              'elasticmapreduce:DescribeCluster' in f[0]['message'] and
              'placeholders' in ev(f[0]) and
              'cluster/*' in (f[0].get('remediation') or ''),
              '%s: DISCOVERY_CALL_REFUSED names the role, the action and the '
              'placeholders (%s)' % (cmd, f))
        check(r['status'] == 'critical' and r['exit'] == 2,
              '%s: status critical (%s)' % (cmd, r['status']))
    fake.stop()


def scenario_traffic_only(xd, tmp):
    w, fake = start(discovery_reads=False,
                    discovery_extra=['elasticmapreduce:ListInstances'])
    studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                            'static', token=False)
    env = studio_env(tmp, fake, studio)
    snap = os.path.join(tmp, 'snap')
    run(xd, ['--config', intent(tmp, ports=(8998, 10000)), 'fetch', '--out',
             snap], env)
    r = analyze(xd, snap, env)
    # the paths to the primary node (Studio's own way to the STS and EMR
    # APIs is read from the Studio account, which stays readable)
    paths = [p for p in r.get('paths', []) if p['to']['side'] == 'emr']
    check(paths and all(p['verdict'] == 'unknown' for p in paths),
          'without the EMR network the configuration decides no path (%s)'
          % [p['verdict'] for p in paths])
    node = paths[0]['to']['ip'] if paths else '2.0.1.10'
    src = paths[0]['from']['ip'] if paths else '10.0.20.15'
    obs = {'schema': 'xacct-doctor.observations/1', 'side': 'studio',
           'host': 'studio-host', 'interfaces': [src], 'dns': [],
           'tcp': [{'target': node, 'ip': node, 'port': 8998, 'state': 'open',
                    'reason': 'syn-ack', 'ms': 0.9}],
           'tls': [], 'http': [], 'flows': []}
    ports = sorted({p['to']['port'] for p in paths})
    if len(ports) > 1:
        obs['tcp'].append({'target': node, 'ip': node, 'port': ports[-1],
                           'state': 'filtered', 'reason': 'no-response',
                           'ms': 5000.0})
    opath = os.path.join(tmp, 'studio-obs.json')
    with open(opath, 'w') as f:
        json.dump(obs, f)
    p = run(xd, ['analyze', '--snapshot', snap, '--observations', opath,
                 '--format', 'json'], env)
    r = json.loads(p.out) if p.out.strip().startswith('{') else {'paths': []}
    by_port = {p['to']['port']: p for p in r['paths'] if p['to'].get('ip') == node}
    livy = by_port.get(8998, {})
    check(livy.get('verdict') == 'reachable' and
          livy.get('observed', {}).get('verdict_from') == 'traffic' and
          'traffic only' in livy.get('observed', {}).get('break', ''),
          'the open probe decides 8998: reachable, from traffic only (%s)'
          % livy.get('observed'))
    if len(ports) > 1:
        other = by_port.get(ports[-1], {})
        f = findings(r, 'TRAFFIC_BLOCKED_CONFIG_UNSEEN')
        check(other.get('verdict') == 'blocked' and f and
              f[0]['severity'] == 'critical' and
              'traffic only' in f[0]['message'] and r['status'] == 'critical',
              'the timed-out probe decides %d: blocked, one critical finding '
              'that says the verdict comes from traffic only' % ports[-1])
    q = run(xd, ['analyze', '--snapshot', snap, '--observations', opath,
                 '--verbose'], env)
    check('traffic only' in q.out, 'the text report says so too')
    fake.stop()


def scenario_merge(xd, tmp):
    w, fake = start(discovery_reads=False)
    studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                            'static', token=False)
    emr = fake.add_creds(W.EMR, 'arn:aws:iam::%s:user/emr-admin' % W.EMR,
                         'static', token=False)
    env = studio_env(tmp, fake, studio)
    snap = os.path.join(tmp, 'snap')
    run(xd, ['--config', intent(tmp), 'fetch', '--out', snap], env)
    before = errors(snap)
    check(any(e.get('action') == 'ec2:DescribeVpcs' for e in before),
          'the Studio-side fetch could not read the EMR network')
    # the EMR account's admin fetches into the same folder, with a profile
    env2 = clean_env(tmp)
    with open(env2['AWS_SHARED_CREDENTIALS_FILE'], 'w') as f:
        f.write('[emr]\naws_access_key_id = %s\naws_secret_access_key = %s\n'
                % (emr.akid, emr.secret))
    env2.update({'AWS_PROFILE': 'emr', 'AWS_REGION': W.REGION,
                 'AWS_ENDPOINT_URL': fake.url})
    p = run(xd, ['fetch', '--out', snap], env2)
    check(p.returncode == 0, 'the second fetch merges into the snapshot, exit 0 '
          '(%d)' % p.returncode)
    got = files_under(snap)
    check('%s/%s/ec2-describe-vpcs.json' % (W.STUDIO, W.REGION) in got and
          '%s/%s/ec2-describe-vpcs.json' % (W.EMR, W.REGION) in got and
          'xacct-doctor.json' in got and
          not [n for n in os.listdir(tmp) if '.tmp-' in n or '.old-' in n],
          'both accounts\' files and the intent are there, nothing left beside')
    after = errors(snap)
    check(not [e for e in after if e.get('file') and
               os.path.exists(os.path.join(snap, e['file']))] and
          not any(e.get('action') == 'ec2:DescribeVpcs' for e in after),
          'a failure whose file the other fetch wrote is dropped (%d -> %d)'
          % (len(before), len(after)))
    r = analyze(xd, snap, env)
    check(not findings(r, 'ACCOUNT_CONFIG_UNREADABLE') and
          'unknown' not in [p['verdict'] for p in r.get('paths', [])] and
          r.get('paths'),
          'the merged snapshot is read whole: no refusal warning, every path '
          'has a verdict (%s)' % r['status'])
    # one fetch, the EMR account through --account-profile
    snap3 = os.path.join(tmp, 'snap3')
    env3 = dict(env)
    env3['AWS_SHARED_CREDENTIALS_FILE'] = env2['AWS_SHARED_CREDENTIALS_FILE']
    p = run(xd, ['--config', intent(tmp), 'fetch', '--out', snap3,
                 '--account-profile', '%s=emr' % W.EMR], env3)
    check(p.returncode == 0 and not [e for e in errors(snap3) if not e.get('optional')]
          and '%s/%s/ec2-describe-vpcs.json' % (W.EMR, W.REGION) in files_under(snap3),
          '--account-profile: the EMR account read with its profile, exit 0 (%d)'
          % p.returncode)
    # the intent says it: studio.profile and emr[].profile, no keys around
    env4 = clean_env(tmp)
    with open(env4['AWS_SHARED_CREDENTIALS_FILE'], 'w') as f:
        f.write('[studio]\naws_access_key_id = %s\naws_secret_access_key = %s\n'
                '[emr]\naws_access_key_id = %s\naws_secret_access_key = %s\n'
                % (studio.akid, studio.secret, emr.akid, emr.secret))
    env4.update({'AWS_REGION': W.REGION, 'AWS_ENDPOINT_URL': fake.url})
    snap4 = os.path.join(tmp, 'snap4')
    p = run(xd, ['--config', intent(tmp, 'profiles.json', studio_profile='studio',
                                    profile='emr'),
                 'fetch', '--out', snap4], env4)
    got = files_under(snap4) if os.path.isdir(snap4) else set()
    check(p.returncode == 0 and
          '%s/%s/ec2-describe-vpcs.json' % (W.STUDIO, W.REGION) in got and
          '%s/%s/ec2-describe-vpcs.json' % (W.EMR, W.REGION) in got,
          'studio.profile and emr[].profile in the intent: each account read '
          'with its profile, exit 0 (%d)' % p.returncode)
    p = run(xd, ['fetch', '--out', os.path.join(tmp, 'x'), '--account-profile',
                 'nope'], env3)
    check(p.returncode == 3 and 'ACCOUNT=PROFILE' in p.err,
          'a malformed --account-profile: exit 3, says the shape')
    fake.stop()


def scenario_fake_strict(xd, tmp):
    from botocore.exceptions import ClientError
    import botocore.session
    allow = {'Effect': 'Allow', 'Action': 'ec2:Describe*', 'Resource': '*'}
    ev = fakeiam.evaluate
    check(ev([{'Statement': [allow]}], 'ec2:DescribeVpcs', '*') == 'allow' and
          ev([{'Statement': [allow]}], 'EC2:describevpcs', '*') == 'allow' and
          ev([{'Statement': [allow]}], 'ec2:CreateVpc', '*') is None,
          'actions match with wildcards, case-insensitively')
    deny = {'Effect': 'Deny', 'Action': 'ec2:DescribeVpcs', 'Resource': '*'}
    check(ev([{'Statement': [allow]}, {'Statement': [deny]}],
             'ec2:DescribeVpcs', '*') == 'deny',
          'an explicit Deny in any policy wins over an Allow')
    notact = {'Effect': 'Allow', 'NotAction': 'iam:*', 'Resource': '*'}
    check(ev([{'Statement': [notact]}], 'iam:GetAccountAuthorizationDetails',
             '*') is None and
          ev([{'Statement': [notact]}], 'ec2:DescribeVpcs', '*') == 'allow',
          'NotAction allows everything but what it names')
    res = {'Effect': 'Allow', 'Action': 'elasticmapreduce:DescribeCluster',
           'Resource': 'arn:aws:elasticmapreduce:us-east-1:%s:cluster/*' % W.EMR}
    check(ev([{'Statement': [res]}], 'elasticmapreduce:DescribeCluster',
             'arn:aws:elasticmapreduce:us-east-1:%s:cluster/j-1' % W.EMR) == 'allow'
          and ev([{'Statement': [res]}], 'elasticmapreduce:DescribeCluster',
                 'arn:aws:elasticmapreduce:us-west-2:%s:cluster/j-1' % W.EMR) is None,
          'resources match their ARN pattern only')
    try:
        ev([{'Statement': [dict(allow, Condition={'Bool': {'aws:SecureTransport': 'true'}})]}],
           'ec2:DescribeVpcs', '*')
        cond = False
    except ValueError:
        cond = True
    check(cond, 'a condition is refused, not guessed')
    # every service's refusal as botocore (the AWS CLI) reads it
    w, fake = start(discovery_reads=False)
    nobody = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/alice' % W.STUDIO,
                            'static', token=False)
    sess = botocore.session.Session()
    want = {('ec2', 'describe_vpcs', ()): ('UnauthorizedOperation', 403),
            ('iam', 'get_account_authorization_details', ()): ('AccessDenied', 403),
            ('emr', 'list_clusters', ()): ('AccessDeniedException', 400),
            ('sagemaker', 'list_domains', ()): ('AccessDeniedException', 400),
            ('sts', 'assume_role', (('RoleArn', W.EMR_ROLE),
                                    ('RoleSessionName', 'probe'))): ('AccessDenied', 403)}
    for (svc, op, args), (code, status) in sorted(want.items()):
        cl = sess.create_client(svc, region_name=W.REGION, endpoint_url=fake.url,
                                aws_access_key_id=nobody.akid,
                                aws_secret_access_key=nobody.secret)
        got = None
        try:
            getattr(cl, op)(**dict(args))
        except ClientError as e:
            got = (e.response['Error']['Code'],
                   e.response['ResponseMetadata']['HTTPStatusCode'],
                   e.response['Error'].get('Message', ''))
        check(got and got[:2] == (code, status) and
              'is not authorized to perform' in got[2],
              '%s %s without permission: %s, HTTP %d, AWS\'s sentence (%s)'
              % (svc, op, code, status, got))
    ident = sess.create_client('sts', region_name=W.REGION, endpoint_url=fake.url,
                               aws_access_key_id=nobody.akid,
                               aws_secret_access_key=nobody.secret)
    check(ident.get_caller_identity()['Account'] == W.STUDIO,
          'GetCallerIdentity needs no permission, as in AWS')
    fake.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--xd', required=True)
    ap.add_argument('scenario', choices=['discovery-only', 'read-role',
                                         'assume-refused', 'placeholders',
                                         'traffic-only', 'merge',
                                         'fake-strict'])
    a = ap.parse_args()
    for k in list(os.environ):
        if k.startswith('AWS_') or k.lower().endswith('_proxy'):
            del os.environ[k]
    # botocore (fake-strict) must not read this machine's AWS setup either
    os.environ['AWS_CONFIG_FILE'] = os.environ['AWS_SHARED_CREDENTIALS_FILE'] = \
        '/nonexistent'
    os.environ['AWS_EC2_METADATA_DISABLED'] = 'true'
    tmp = tempfile.mkdtemp(prefix='xd-access-')
    # `check` run as root gives up root before it reads anything (the
    # snapshot folders fetch writes here must be readable by that user)
    os.chmod(tmp, 0o755)
    try:
        globals()['scenario_' + a.scenario.replace('-', '_')](a.xd, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == '__main__':
    sys.exit(main())
