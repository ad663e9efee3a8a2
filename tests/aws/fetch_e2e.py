#!/usr/bin/python3
"""`xacct-doctor fetch` against the loopback AWS (fake_aws.py).

Scenarios (one per ctest):
  discovery  no intent; the Studio account's static keys in the
             environment; the domain's AssumableRoleArns name the EMR role
             and a role that refuses; throttling on many calls; the EMR
             role's first credentials near expiry; --verbose.
  intent     an intent with a role file and one cluster; credentials from
             the container endpoint (token checked); AWS declares the
             container's and the assumed role's tokens expired once;
             per-service endpoint URLs with paths.
  failures   credentials AWS refuses, an --out that is taken, a call that
             is always throttled, one that is denied, the --timeout
             deadline, no Region, no credentials.

Every file written is compared with what the AWS CLI prints for the same
call (botocore with the CLI's parser settings, against the same endpoint),
the layout with the contract's, and no secret may appear in any output.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import botocore.session  # noqa: E402
from botocore.config import Config  # noqa: E402

import awswire  # noqa: E402
from checks import check, summary  # noqa: E402
import fake_aws  # noqa: E402
import world as W  # noqa: E402


def clean_env(tmp):
    """Only what we set: no real profile, proxy, metadata or region."""
    env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'LANG': 'C.UTF-8',
           'HOME': os.path.join(tmp, 'home'),
           'AWS_CONFIG_FILE': os.path.join(tmp, 'no-config'),
           'AWS_SHARED_CREDENTIALS_FILE': os.path.join(tmp, 'no-credentials'),
           'AWS_EC2_METADATA_DISABLED': 'true', 'NO_PROXY': '*',
           # test-only: a short retry backoff base (see aws/retry.c)
           'XD_TEST_RETRY_BASE_MS': '50'}
    os.makedirs(env['HOME'], exist_ok=True)
    return env


def run(xd, args, env, timeout=120):
    p = subprocess.run([xd] + args, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    p.out = p.stdout.decode('utf-8', 'replace')
    p.err = p.stderr.decode('utf-8', 'replace')
    print('$ xacct-doctor %s -> %d' % (' '.join(args), p.returncode))
    for line in p.err.splitlines()[:40]:
        print('  | ' + line)
    return p


def files_under(d):
    out = set()
    for root, _, names in os.walk(d):
        for n in names:
            out.add(os.path.relpath(os.path.join(root, n), d))
    return out


def ec2_files(vpcs, pls):
    f = ['ec2-describe-vpcs.json', 'ec2-describe-subnets.json',
         'ec2-describe-route-tables.json', 'ec2-describe-security-groups.json',
         'ec2-describe-network-acls.json',
         'ec2-describe-vpc-peering-connections.json',
         'ec2-describe-network-interfaces.json',
         'ec2-describe-managed-prefix-lists.json',
         'ec2-describe-vpc-endpoints.json', 'ec2-describe-dhcp-options.json',
         'route53resolver-list-resolver-rules.json',
         'route53resolver-list-resolver-rule-associations.json']
    for v in vpcs:
        f += ['ec2-describe-vpc-attribute--%s--enableDnsSupport.json' % v,
              'ec2-describe-vpc-attribute--%s--enableDnsHostnames.json' % v]
    f += ['ec2-get-managed-prefix-list-entries--%s.json' % p for p in pls]
    return f


class Reference:
    """What the AWS CLI (v1, default settings) prints for each call."""

    def __init__(self, fake, studio):
        self.fake = fake
        self.sess = botocore.session.Session()
        ident = lambda x: x  # noqa: E731 - the CLI's 'wire' timestamp format
        self.sess.get_component('response_parser_factory').set_parser_defaults(
            timestamp_parser=ident, blob_parser=ident)
        self.creds = {W.STUDIO: studio}

    def client(self, service, account):
        c = self.creds[account]
        path = self.fake.paths.get(service, '/')
        return self.sess.create_client(
            service, region_name=W.REGION, endpoint_url=self.fake.url + path,
            aws_access_key_id=c.akid, aws_secret_access_key=c.secret,
            aws_session_token=c.token,
            config=Config(retries={'max_attempts': 10, 'mode': 'standard'}))

    def assume(self, account, role):
        r = self.client('sts', W.STUDIO).assume_role(
            RoleArn=role, RoleSessionName='reference')['Credentials']
        self.creds[account] = self.fake.creds[r['AccessKeyId']]

    def cli(self, service, account, op, **params):
        from botocore import xform_name
        cl = self.client(service, account)
        name = xform_name(op)
        if cl.can_paginate(name):
            r = cl.get_paginator(name).paginate(**params).build_full_result()
        else:
            r = getattr(cl, name)(**params)
            r.pop('ResponseMetadata', None)
        return json.loads(json.dumps(r))

    def describe_cluster(self, account, cid):
        """The CLI's `emr describe-cluster`: DescribeCluster with the
        instance groups (or fleets) and bootstrap actions put in (one call
        each, unpaged, as awscli/customizations/emr/describecluster.py).
        Where the CLI would fail because one of those is denied, fetch
        keeps the cluster without that key: so does this reference."""
        from botocore.exceptions import ClientError
        r = self.cli('emr', account, 'DescribeCluster', ClusterId=cid)
        c = r['Cluster']
        cl = self.client('emr', account)
        fleet = c.get('InstanceCollectionType') == 'INSTANCE_FLEET'
        extra = [('list_instance_fleets' if fleet else 'list_instance_groups',
                  'InstanceFleets' if fleet else 'InstanceGroups'),
                 ('list_bootstrap_actions', 'BootstrapActions')]
        for call, key in extra:
            try:
                got = getattr(cl, call)(ClusterId=cid)
            except ClientError:
                continue
            if got.get(key) is not None:
                c[key] = got[key]
            elif key == 'BootstrapActions':
                c[key] = []
        return json.loads(json.dumps(r))

    def for_file(self, account, rel, eni_vpcs):
        base = os.path.basename(rel)[:-5]
        if base == 'iam-get-account-authorization-details':
            return self.cli('iam', account, 'GetAccountAuthorizationDetails',
                            Filter=['Role', 'LocalManagedPolicy',
                                    'AWSManagedPolicy'])
        svc, _, rest = base.partition('-')
        op, _, args = rest.partition('--')
        opname = ''.join(w.capitalize() for w in op.split('-'))
        args = args.split('--') if args else []
        params = {}
        if opname == 'DescribeVpcAttribute':
            params = {'VpcId': args[0], 'Attribute': args[1]}
        elif opname == 'GetManagedPrefixListEntries':
            params = {'PrefixListId': args[0]}
        elif opname in ('DescribeNetworkInterfaces', 'DescribeVpcEndpoints'):
            params = {'Filters': [{'Name': 'vpc-id', 'Values': eni_vpcs[account]}]}
        elif opname == 'DescribeDhcpOptions':
            # the sets the VPCs of interest hand out ("default" is none)
            ids = sorted({v['DhcpOptionsId'] for v in self.fake.world[account]['Vpcs']
                          if v['VpcId'] in eni_vpcs[account] and
                          v['DhcpOptionsId'] != 'default'})
            params = {'Filters': [{'Name': 'dhcp-options-id', 'Values': ids}]} \
                if ids else {}
        elif opname == 'DescribeCluster':
            return self.describe_cluster(account, args[0])
        elif opname == 'ListInstances':
            params = {'ClusterId': args[0]}
        elif opname == 'DescribeSecurityConfiguration':
            params = {'Name': args[0]}
        elif opname == 'DescribeDomain':
            params = {'DomainId': args[0]}
        elif opname == 'DescribeUserProfile':
            params = {'DomainId': args[0], 'UserProfileName': args[1]}
        elif opname == 'DescribeSpace':
            params = {'DomainId': args[0], 'SpaceName': args[1]}
        return self.cli(svc, account, opname, **params)


def ordered_equal(a, b):
    """Equal, and dictionaries in the same key order (the CLI's)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(ordered_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(ordered_equal(x, y) for x, y in zip(a, b))
    return a == b


def prune(shape, v):
    """v without the keys shape does not know."""
    if shape.type_name == 'structure' and isinstance(v, dict):
        return {k: prune(shape.members[k], x) for k, x in v.items()
                if k in shape.members}
    if shape.type_name == 'list' and isinstance(v, list):
        return [prune(shape.member, x) for x in v]
    if shape.type_name == 'map' and isinstance(v, dict):
        return {k: prune(shape.value, x) for k, x in v.items()}
    return v


def compare_snapshot(ref, snap, eni_vpcs):
    n = 0
    for rel in sorted(files_under(snap)):
        parts = rel.split('/')
        if len(parts) < 2 or 'role-arns' in rel:
            continue
        with open(os.path.join(snap, rel), encoding='utf-8') as f:
            mine = json.load(f)
        want = ref.for_file(parts[0], rel, eni_vpcs)
        name = rel.split('/')[-1]
        if name.startswith(('ec2-', 'iam-')):
            same = ordered_equal(mine, want)
        else:
            # JSON services are kept as AWS sent them; this botocore may be
            # older than the service and not know every key (the CLI would
            # drop those): compare what its model knows
            svc = name.split('-')[0]
            op = ''.join(w.capitalize() for w in
                         name[len(svc) + 1:-5].split('--')[0].split('-'))
            m = awswire.model(svc)
            extra = {}
            if op == 'DescribeCluster':
                # the CLI's describe-cluster adds these outside the model
                for key in ('InstanceGroups', 'InstanceFleets', 'BootstrapActions'):
                    if key in mine.get('Cluster', {}):
                        extra[key] = prune(m.operation_model('List' + key).output_shape
                                           .members[key], mine['Cluster'].pop(key))
            pruned = prune(m.operation_model(op).output_shape, mine)
            pruned.get('Cluster', {}).update(extra)
            same = pruned == want
        n += 1
        if not same:
            check(False, '%s equals the AWS CLI output' % rel)
            print('   ours:', json.dumps(mine)[:1500])
            print('   CLI: ', json.dumps(want)[:1500])
    check(n > 0, '%d files equal what the AWS CLI prints for the same call' % n)


def check_secrets(fake, extra, texts, snap):
    secrets = [s for s in fake.issued + extra if s]
    blobs = list(texts)
    if snap and os.path.isdir(snap):
        for rel in files_under(snap):
            with open(os.path.join(snap, rel), 'rb') as f:
                blobs.append(f.read().decode('utf-8', 'replace'))
    leaked = [s[:6] + '...' for s in secrets for b in blobs if s in b]
    check(not leaked, 'no secret key or token in stdout, stderr or the '
          'snapshot (%d secrets, %d texts)' % (len(secrets), len(blobs)))


def check_no_tmp(parent):
    left = [n for n in os.listdir(parent) if '.tmp-' in n]
    check(not left, 'no temporary folder left behind %s' % left)


def analyze_loads(xd, snap, env):
    p = run(xd, ['analyze', '--snapshot', snap, '--format', 'json'], env)
    ok = p.returncode in (0, 1, 2)
    try:
        ok = ok and 'status' in json.loads(p.out)
    except ValueError:
        ok = False
    check(ok, 'analyze --snapshot loads the fetched snapshot (exit %d)'
          % p.returncode)


def check_fetched(xd, tmp, env, fake, p, snap, secret, studio):
    """What every fetch that wrote a snapshot is held to: no secret in its
    output, no temporary folder left, a snapshot analyze loads, and every
    file as the AWS CLI prints it (Studio's credentials, the EMR role)."""
    check_secrets(fake, [secret], [p.out, p.err], snap)
    check_no_tmp(tmp)
    analyze_loads(xd, snap, env)
    ref = Reference(fake, studio)
    ref.assume(W.EMR, W.EMR_ROLE)
    compare_snapshot(ref, snap, {W.STUDIO: [W.STUDIO_VPC], W.EMR: [W.EMR_VPC]})


def scenario_discovery(xd, tmp):
    w, roles = W.build()
    fake = fake_aws.FakeAWS(w, roles).start()
    studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                            'static', token=False)
    fake.faults = {'%s:DescribeVpcs' % W.STUDIO: ['RequestLimitExceeded', '503'],
                   'DescribeSubnets': ['RequestLimitExceeded'],
                   'GetAccountAuthorizationDetails': ['Throttling'],
                   'GetCallerIdentity': ['Throttling'],
                   '%s:DescribeCluster' % W.EMR: ['ThrottlingException', 'InternalError'],
                   'ListDomains': ['TooManyRequestsException'],
                   'ListInstances': ['503']}
    fake.assume_ttl = {W.EMR_ROLE: [120]}   # inside the renewal margin
    # the published discovery role has no ListBootstrapActions
    fake.forever = {'%s:ListBootstrapActions' % W.EMR: 'AccessDeniedException'}
    env = clean_env(tmp)
    env.update({'AWS_ACCESS_KEY_ID': studio.akid,
                'AWS_SECRET_ACCESS_KEY': studio.secret,
                'AWS_DEFAULT_REGION': W.REGION, 'AWS_ENDPOINT_URL': fake.url})
    snap = os.path.join(tmp, 'snap')
    p = run(xd, ['fetch', '--out', snap, '--verbose'], env)
    check(p.returncode == 1, 'exit 1: a call failed (AssumeRole into %s) but '
          'the snapshot was written' % W.DENY)
    check('snapshot written' in p.out, 'stdout says where the snapshot is')
    check(W.DENY_ROLE in p.err and 'trust policy' in p.err,
          'the AccessDenied names the role and the trust policy')
    check(fake.signature_failures == 0, 'every signature verified by botocore')
    # 16 calls in flight at most (the default --concurrency), each on a
    # connection of its own (AWS speaks HTTP/1.1), kept for the next ones
    check(fake.open_max <= 16 and len(fake.conns) * 3 <= fake.requests,
          'connections are reused (%d requests on %d connections, at most %d '
          'open at once)' % (fake.requests, len(fake.conns), fake.open_max))
    check(not any(fake.faults.values()), 'every throttling answer was retried')
    assumed = [c for c in fake.creds.values() if c.kind == 'assumed']
    check(len(assumed) == 2 and all(c.session == 'SageMakerStudioUser'
                                    for c in assumed),
          'the EMR role was assumed as SageMakerStudioUser, and assumed again '
          'before its first credentials expired (%d)' % len(assumed))
    check(fake.count('AssumeRole', status=403) == 1, 'the refusing role was '
          'asked once (no retry of AccessDenied)')
    check(all('User' not in f for f in fake.iam_filters),
          'IAM users are not fetched')
    want = {'%s/iam-get-account-authorization-details.json' % W.STUDIO,
            '%s/iam-get-account-authorization-details.json' % W.EMR,
            'fetch-errors.json'}
    want |= {'%s/%s/%s' % (W.STUDIO, W.REGION, f)
             for f in ec2_files([W.STUDIO_VPC], [W.PL]) +
             ['sagemaker-describe-domain--%s.json' % W.DOMAIN] +
             ['sagemaker-describe-user-profile--%s--%s.json' % (W.DOMAIN, n)
              for n, _ in W.PROFILES] +
             ['sagemaker-describe-space--%s--%s.json' % (W.DOMAIN, n)
              for n, _, _ in W.SPACES]}
    want |= {'%s/%s/%s' % (W.EMR, W.REGION, f)
             for f in ec2_files([W.EMR_VPC], []) +
             ['emr-describe-cluster--%s.json' % c for c in W.CLUSTERS] +
             ['emr-list-instances--%s.json' % c for c in W.CLUSTERS] +
             ['emr-describe-security-configuration--sc-kerberos.json']}
    got = files_under(snap) if os.path.isdir(snap) else set()
    check(got == want, 'the snapshot has the contract layout '
          '(missing %s, extra %s)' % (sorted(want - got), sorted(got - want)))
    check(fake.count('ListSpaces') == 2 and fake.count('ListUserProfiles') == 2,
          'every page of ListSpaces and ListUserProfiles was read')
    sp = os.path.join(snap, W.STUDIO, W.REGION,
                      'sagemaker-describe-space--%s--alice-space.json' % W.DOMAIN)
    if os.path.exists(sp):
        d = json.load(open(sp))
        check(d.get('OwnershipSettings', {}).get('OwnerUserProfileName') == 'alice' and
              d.get('SpaceSharingSettings', {}).get('SharingType') == 'Private',
              'the space file keeps OwnershipSettings and SpaceSharingSettings')
    errs = json.load(open(os.path.join(snap, 'fetch-errors.json'))) \
        if 'fetch-errors.json' in got else {}
    e = [x for x in errs.get('errors', []) if not x.get('optional')]
    notes = [x for x in errs.get('errors', []) if x.get('optional')]
    check(len(notes) == 2 and all(x['call'] == 'emr ListBootstrapActions'
                                  for x in notes),
          'a denied ListBootstrapActions is noted (optional), the cluster '
          'file still written')
    check(len(e) == 1 and e[0]['account'] == W.DENY and
          e[0]['call'] == 'sts AssumeRole' and e[0]['code'] == 'AccessDenied',
          'fetch-errors.json records the refused AssumeRole')
    check_fetched(xd, tmp, env, fake, p, snap, studio.secret, studio)
    fake.stop()


def scenario_intent(xd, tmp):
    w, roles = W.build()
    fake = fake_aws.FakeAWS(w, roles).start()
    fake.container_token = 'Bearer ' + 'c0ntainer-t0ken-' * 3
    fake.expire_on = [('container', 'DescribeVpcs'), ('assumed', 'DescribeCluster')]
    fake.paths = {'emr': '/emr-endpoint/', 'sagemaker': '/sm/',
                  'route53resolver': '/r53r/'}
    # the Resolver files are optional: a refusal is recorded, fails nothing
    fake.forever = {'%s:ListResolverRuleAssociations' % W.EMR: 'AccessDeniedException'}
    rolefile = os.path.join(tmp, 'roles.json')
    with open(rolefile, 'w') as f:
        f.write(json.dumps(W.role_file(), indent=1) + '\n')
    intent = {'studio': {'account': W.STUDIO, 'region': W.REGION,
                         'domain_id': W.DOMAIN, 'role_arns_file': rolefile,
                         'space': 'alice-space'},
              'emr': [{'account': W.EMR, 'region': W.REGION,
                       'cluster_id': W.CLUSTERS[0]}],
              'ports': [8998, 10000, 8889]}
    ipath = os.path.join(tmp, 'xacct-doctor.json')
    with open(ipath, 'w') as f:
        json.dump(intent, f, indent=2)
    env = clean_env(tmp)
    env.update({'AWS_CONTAINER_CREDENTIALS_FULL_URI': fake.url + '/container-creds',
                'AWS_CONTAINER_AUTHORIZATION_TOKEN': fake.container_token,
                'AWS_ENDPOINT_URL': fake.url,
                'AWS_ENDPOINT_URL_EMR': fake.url + '/emr-endpoint',
                'AWS_ENDPOINT_URL_SAGEMAKER': fake.url + '/sm/',
                'AWS_ENDPOINT_URL_ROUTE53RESOLVER': fake.url + '/r53r'})
    snap = os.path.join(tmp, 'snap')
    os.makedirs(snap)   # an empty folder is fine
    p = run(xd, ['--config', ipath, 'fetch', '--out', snap, '-v'], env)
    check(p.returncode == 0, 'exit 0: every call succeeded but an optional one')
    check(fake.signature_failures == 0, 'every signature verified by botocore')
    errs = json.load(open(os.path.join(snap, 'fetch-errors.json')))['errors'] \
        if os.path.exists(os.path.join(snap, 'fetch-errors.json')) else []
    check(len(errs) == 1 and errs[0].get('optional') is True and
          errs[0]['action'] == 'route53resolver:ListResolverRuleAssociations' and
          errs[0]['code'] == 'AccessDeniedException' and
          errs[0]['file'].endswith('route53resolver-list-resolver-rule-'
                                   'associations.json'),
          'the refused Resolver call is recorded as optional, with its '
          'action and file (%s)' % errs)
    check(fake.container_hits == 2, 'the container credentials were fetched '
          'again when EC2 said RequestExpired (%d)' % fake.container_hits)
    check(fake.count('AssumeRole', status=200) == 2, 'the role was assumed '
          'again when EMR said ExpiredTokenException')
    check(fake.count('ListClusters') == 0 and fake.count('ListDomains') == 0,
          'nothing is discovered that the intent names')
    got = files_under(snap)
    want = {'xacct-doctor.json', 'fetch-errors.json',
            '%s/studio-emr-discovery-iam-role-arns.json' % W.STUDIO,
            '%s/iam-get-account-authorization-details.json' % W.STUDIO,
            '%s/iam-get-account-authorization-details.json' % W.EMR}
    want |= {'%s/%s/%s' % (W.STUDIO, W.REGION, f)
             for f in ec2_files([W.STUDIO_VPC], [W.PL]) +
             ['sagemaker-describe-domain--%s.json' % W.DOMAIN,
              # the named space and its owner's profile, nothing listed
              'sagemaker-describe-space--%s--alice-space.json' % W.DOMAIN,
              'sagemaker-describe-user-profile--%s--alice.json' % W.DOMAIN]}
    check(fake.count('ListUserProfiles') == 0 and fake.count('ListSpaces') == 0,
          'the named space is described, not every space listed')
    want |= {'%s/%s/%s' % (W.EMR, W.REGION, f)
             for f in ec2_files([W.EMR_VPC], []) +
             ['emr-describe-cluster--%s.json' % W.CLUSTERS[0],
              'emr-list-instances--%s.json' % W.CLUSTERS[0],
              'emr-describe-security-configuration--sc-kerberos.json']}
    want.discard('%s/%s/route53resolver-list-resolver-rule-associations.json'
                 % (W.EMR, W.REGION))
    check(got == want, 'the snapshot has the contract layout '
          '(missing %s, extra %s)' % (sorted(want - got), sorted(got - want)))
    same = lambda a, b: open(a, 'rb').read() == open(b, 'rb').read()  # noqa
    check(same(ipath, os.path.join(snap, 'xacct-doctor.json')),
          'the intent is copied as it is')
    check(same(rolefile, os.path.join(snap, W.STUDIO,
                                      'studio-emr-discovery-iam-role-arns.json')),
          'the role file is copied as it is')
    studio = [c for c in fake.creds.values() if c.kind == 'container'][-1]
    check_fetched(xd, tmp, env, fake, p, snap, fake.container_token, studio)
    fake.stop()


def scenario_failures(xd, tmp):
    w, roles = W.build()
    fake = fake_aws.FakeAWS(w, roles).start()
    studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                            'static', token=False)
    base = clean_env(tmp)
    base.update({'AWS_REGION': W.REGION, 'AWS_ENDPOINT_URL': fake.url})

    def with_keys(akid, secret, token=None):
        env = dict(base)
        env.update({'AWS_ACCESS_KEY_ID': akid, 'AWS_SECRET_ACCESS_KEY': secret})
        if token:
            env['AWS_SESSION_TOKEN'] = token
        return env

    # credentials AWS refuses: exit 3 and nothing written
    old = fake.add_creds(W.STUDIO, 'arn:aws:sts::%s:assumed-role/x/y' % W.STUDIO,
                         'static-temp')
    old.expired = True
    cases = [('an expired session token', with_keys(old.akid, old.secret, old.token),
              'expired'),
             ('an access key AWS does not know', with_keys('AKIAUNKNOWN0000000', 'x' * 40),
              'does not know this access key'),
             ('a wrong secret key', with_keys(studio.akid, 'y' * 40),
              'secret key does not belong')]
    for what, env, words in cases:
        snap = os.path.join(tmp, 'refused')
        p = run(xd, ['fetch', '--out', snap], env)
        check(p.returncode == 3 and words in p.err and not os.path.exists(snap),
              '%s: exit 3, a clear message, no folder' % what)
    check_secrets(fake, [old.secret, old.token, 'y' * 40], [p.out, p.err], None)

    # an --out that holds something is left alone
    taken = os.path.join(tmp, 'taken')
    os.makedirs(taken)
    with open(os.path.join(taken, 'mine.txt'), 'w') as f:
        f.write('keep me')
    p = run(xd, ['fetch', '--out', taken], with_keys(studio.akid, studio.secret))
    check(p.returncode == 3 and os.listdir(taken) == ['mine.txt'],
          'an --out folder that is not empty: exit 3, untouched')

    # a call throttled for ever is tried a bounded number of times; a denied
    # one is not retried; both files are absent and listed
    fake.forever = {'%s:DescribeNetworkAcls' % W.STUDIO: 'RequestLimitExceeded'}
    fake_aws.FAULTS['UnauthorizedOperation'] = (403, 'UnauthorizedOperation')
    fake.forever['%s:DescribeManagedPrefixLists' % W.STUDIO] = 'UnauthorizedOperation'
    snap = os.path.join(tmp, 'partial')
    env = with_keys(studio.akid, studio.secret)
    env['AWS_ENDPOINT_URL_STS'] = fake.url + '/'
    p = run(xd, ['fetch', '--out', snap], env)
    check(p.returncode == 1, 'exit 1 when some calls failed')
    n = fake.count('DescribeNetworkAcls', account=W.STUDIO)
    check(n == 3, 'the throttled call was tried 3 times (botocore\'s standard '
          'mode), then given up (%d)' % n)
    check(fake.count('DescribeManagedPrefixLists', account=W.STUDIO) == 1,
          'the denied call was not retried')
    got = files_under(snap) if os.path.isdir(snap) else set()
    rel = '%s/%s/' % (W.STUDIO, W.REGION)
    check(rel + 'ec2-describe-network-acls.json' not in got and
          rel + 'ec2-describe-managed-prefix-lists.json' not in got and
          rel + 'ec2-describe-vpcs.json' in got,
          'the failed calls\' files are absent, the others present')
    errs = json.load(open(os.path.join(snap, 'fetch-errors.json')))['errors'] \
        if 'fetch-errors.json' in got else []
    codes = sorted(x['code'] for x in errs)
    check('RequestLimitExceeded' in codes and 'UnauthorizedOperation' in codes,
          'fetch-errors.json lists both (%s)' % codes)
    check('ec2:DescribeManagedPrefixLists' in p.err,
          'the denied call names the missing permission')
    fake.forever = {}

    # the run's deadline
    fake.delay['GetCallerIdentity'] = 4
    snap = os.path.join(tmp, 'late')
    p = run(xd, ['fetch', '--out', snap, '--timeout', '1'],
            with_keys(studio.akid, studio.secret), timeout=60)
    check(p.returncode == 3 and not os.path.exists(snap) and
          ('time' in p.err), 'past the --timeout deadline: exit 3, nothing '
          'written')
    del fake.delay['GetCallerIdentity']

    # the deadline passing in the middle: the rest is not called, the
    # snapshot is written and says so
    # (one call at a time: with calls side by side, the others of its
    # batch are made before the deadline; see below)
    fake.delay['DescribeSubnets'] = 3
    before = fake.count('DescribeSecurityGroups')
    snap = os.path.join(tmp, 'cut')
    p = run(xd, ['fetch', '--out', snap, '--timeout', '2', '--concurrency', '1'],
            with_keys(studio.akid, studio.secret), timeout=60)
    got = files_under(snap) if os.path.isdir(snap) else set()
    errs = json.load(open(os.path.join(snap, 'fetch-errors.json')))['errors'] \
        if 'fetch-errors.json' in got else []
    check(p.returncode == 1 and rel + 'ec2-describe-vpcs.json' in got and
          rel + 'ec2-describe-subnets.json' not in got and
          any('deadline' in (x['message'] or '') for x in errs),
          'the deadline passing mid-fetch: exit 1, what was read is written, '
          'fetch-errors.json says the rest was not called')
    check(fake.count('DescribeSecurityGroups') == before,
          'no call is made after the deadline')
    # side by side: what was answered before the deadline is written, the
    # calls that needed the late answer are never made
    attrs = fake.count('DescribeVpcAttribute')
    snap = os.path.join(tmp, 'cut16')
    p = run(xd, ['fetch', '--out', snap, '--timeout', '2'],
            with_keys(studio.akid, studio.secret), timeout=60)
    got = files_under(snap) if os.path.isdir(snap) else set()
    errs = json.load(open(os.path.join(snap, 'fetch-errors.json')))['errors'] \
        if 'fetch-errors.json' in got else []
    check(p.returncode == 1 and rel + 'ec2-describe-vpcs.json' in got and
          rel + 'ec2-describe-security-groups.json' in got and
          rel + 'ec2-describe-subnets.json' not in got and
          any('deadline' in (x['message'] or '') for x in errs),
          'concurrent, the deadline passing mid-fetch: exit 1, what was '
          'answered is written, fetch-errors.json says the rest was not '
          'called (exit %d, %s)' % (p.returncode, sorted(got)))
    check(fake.count('DescribeVpcAttribute') == attrs,
          'no call that needed the late answer is made')
    del fake.delay['DescribeSubnets']

    # Ctrl-C in the middle of a call: the transfer stops, nothing is left
    import signal
    import time
    fake.delay['DescribeRouteTables'] = 20
    snap = os.path.join(tmp, 'interrupted')
    fake.started = []
    proc = subprocess.Popen([xd, 'fetch', '--out', snap],
                            env=with_keys(studio.akid, studio.secret),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while 'DescribeRouteTables' not in fake.started and time.time() < deadline:
        time.sleep(0.05)
    t0 = time.time()
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    check(proc.returncode == 3 and b'interrupted' in err and
          not os.path.exists(snap) and time.time() - t0 < 10,
          'SIGINT during a call: exit 3 at once, no snapshot (%s)' % proc.returncode)
    check_no_tmp(tmp)
    del fake.delay['DescribeRouteTables']

    # no Region, no credentials
    env = with_keys(studio.akid, studio.secret)
    del env['AWS_REGION']
    p = run(xd, ['fetch', '--out', os.path.join(tmp, 'x')], env)
    check(p.returncode == 3 and 'Region' in p.err, 'no Region: exit 3')
    p = run(xd, ['fetch', '--out', os.path.join(tmp, 'y')], base)
    check(p.returncode == 3 and 'no AWS credentials' in p.err,
          'no credentials: exit 3, says what was tried')
    p = run(xd, ['fetch'], base)
    check(p.returncode == 3 and '--out' in p.err, 'no --out: exit 3')
    check_no_tmp(tmp)
    fake.stop()


def scenario_secrets(xd, tmp):
    w, roles = W.build()
    fake = fake_aws.FakeAWS(w, roles).start()
    studio = fake.add_creds(W.STUDIO, 'arn:aws:sts::%s:assumed-role/Admin/me'
                            % W.STUDIO, 'static-temp')
    # an answer that quotes the secrets back must not carry them through
    fake.leaky = {'DescribeVpcAttribute', 'DescribeSecurityConfiguration'}
    fake.faults = {'DescribeCluster': ['ThrottlingException']}
    env = clean_env(tmp)
    env.update({'AWS_ACCESS_KEY_ID': studio.akid,
                'AWS_SECRET_ACCESS_KEY': studio.secret,
                'AWS_SESSION_TOKEN': studio.token,
                'AWS_REGION': W.REGION, 'AWS_ENDPOINT_URL': fake.url})
    snap = os.path.join(tmp, 'snap')
    p = run(xd, ['fetch', '--out', snap, '--verbose'], env)
    check(p.returncode == 1, 'exit 1 (the quoting calls failed)')
    errs = open(os.path.join(snap, 'fetch-errors.json')).read() \
        if os.path.exists(os.path.join(snap, 'fetch-errors.json')) else ''
    check('denied for key' in p.err and '****' in p.err and '****' in errs,
          'the error is reported with the secrets masked')
    check_secrets(fake, [studio.secret, studio.token], [p.out, p.err], snap)
    # check fetches live too: every report it writes, its history and what
    # it prints must be as clean (no probes: the fake world's addresses are
    # not on this machine)
    texts = [p.out, p.err]
    # check gives up root before it reads or writes anything (as uid 65534
    # here): its outputs go where that user can write
    outdir = os.path.join(tmp, 'check-out')
    os.mkdir(outdir)
    os.chmod(tmp, 0o755)
    os.chmod(outdir, 0o1777)
    hist = os.path.join(outdir, 'hist')
    # its temporary snapshot goes to a TMPDIR of its own, so that no other
    # test's check (run in parallel) is taken for a leftover of this one
    ctmp = os.path.join(tmp, 'check-tmp')
    os.mkdir(ctmp)
    os.chmod(ctmp, 0o1777)
    env = dict(env, TMPDIR=ctmp)
    for fmt in ('text', 'json', 'html', 'prometheus', 'junit'):
        out = os.path.join(outdir, 'report.' + fmt)
        q = run(xd, ['check', '--no-probe', '--verbose', '--format', fmt,
                     '--output', out, '--history', hist,
                     '--lock', os.path.join(tmp, 'lock')], env)
        check(q.returncode in (0, 1, 2), 'check --format %s over a live fetch '
              'runs (exit %d): %s' % (fmt, q.returncode, q.err[-300:]))
        texts += [q.out, q.err]
        if os.path.exists(out):
            texts.append(open(out, encoding='utf-8', errors='replace').read())
    check(os.path.isdir(hist) and os.listdir(hist), 'check kept its history')
    for name in (os.listdir(hist) if os.path.isdir(hist) else []):
        texts.append(open(os.path.join(hist, name)).read())
    check_secrets(fake, [studio.secret, studio.token], texts, None)
    check(not os.listdir(ctmp), 'check removed its temporary snapshot (%s)'
          % os.listdir(ctmp))
    check(fake.signature_failures == 0, 'every signature verified by botocore')
    fake.stop()




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--xd', required=True)
    ap.add_argument('scenario', choices=['discovery', 'intent', 'failures', 'secrets'])
    a = ap.parse_args()
    # the reference client must not read this machine's AWS setup either
    for k in list(os.environ):
        if k.startswith('AWS_') or k.lower().endswith('_proxy'):
            del os.environ[k]
    os.environ['AWS_CONFIG_FILE'] = os.environ['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent'
    os.environ['AWS_EC2_METADATA_DISABLED'] = 'true'
    tmp = tempfile.mkdtemp(prefix='xd-aws-')
    try:
        globals()['scenario_' + a.scenario](a.xd, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == '__main__':
    sys.exit(main())
