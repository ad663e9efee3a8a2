#!/usr/bin/python3
"""`fetch` of an organisation (issue 20 item 2): the loopback AWS serves
the Studio account and 22 EMR accounts (orgworld.py); one account's read
role refuses to be assumed, another answers DescribeVpcs with HTTP 500
for ever. The 20 healthy accounts are written whole, the failing ones are
reported (fetch-errors.json, stderr) without stopping the others, and
`analyze` names each in a finding (ACCOUNT_CONFIG_UNREADABLE with its
read role; the missing file of the other) while each healthy account's
Livy path gets a verdict from the configuration.

Usage: org_e2e.py --xd PATH/xacct-doctor [--accounts N]
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
from fetch_e2e import check_secrets, clean_env, files_under, run  # noqa: E402
import orgworld as O  # noqa: E402
import world as W  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--xd', required=True)
    ap.add_argument('--accounts', type=int, default=22)
    a = ap.parse_args()
    for k in list(os.environ):
        if k.startswith('AWS_') or k.lower().endswith('_proxy'):
            del os.environ[k]
    n, bad, b500 = a.accounts, a.accounts, a.accounts - 1  # the last two fail
    tmp = tempfile.mkdtemp(prefix='xd-org-')
    w, roles = O.build(n, failing={bad})
    fake = fake_aws.FakeAWS(w, roles).start()
    fake.forever = {O.account(b500) + ':DescribeVpcs': 'InternalError'}
    try:
        studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                                'static', token=False)
        ipath = os.path.join(tmp, 'xacct-doctor.json')
        with open(ipath, 'w') as f:
            json.dump(O.intent(n), f, indent=2)
        env = clean_env(tmp)
        env.update({'AWS_ACCESS_KEY_ID': studio.akid,
                    'AWS_SECRET_ACCESS_KEY': studio.secret,
                    'AWS_REGION': W.REGION, 'AWS_ENDPOINT_URL': fake.url})
        snap = os.path.join(tmp, 'snap')
        p = run(a.xd, ['--config', ipath, 'fetch', '--out', snap], env,
                timeout=600)
        check(p.returncode == 1 and os.path.isdir(snap),
              'exit 1 (two accounts failed), the snapshot written (%d)'
              % p.returncode)
        check(fake.signature_failures == 0, 'every signature verified')
        got = files_under(snap) if os.path.isdir(snap) else set()
        good = [i for i in range(1, n + 1) if i not in (bad, b500)]
        missing = sorted(f for i in good for f in O.files(i) - got)
        check(not missing, 'all %d healthy accounts are written whole '
              '(missing %s)' % (len(good), missing[:5]))
        vpcs500 = '%s/%s/ec2-describe-vpcs.json' % (O.account(b500), W.REGION)
        check(O.files(b500) - got == {vpcs500},
              'the account answering 500: every file but that call\'s (%s)'
              % sorted(O.files(b500) - got))
        fail_acct = O.account(bad)
        cid = O.ids(bad)['cluster']
        d = '%s/%s/' % (fail_acct, W.REGION)
        check(d + 'emr-describe-cluster--%s.json' % cid in got and
              d + 'ec2-describe-vpcs.json' not in got,
              'the unreadable account: its cluster read through the '
              'discovery role, no network file')
        errs = json.load(open(os.path.join(snap, 'fetch-errors.json')))['errors'] \
            if 'fetch-errors.json' in got else []
        hard = [e for e in errs if not e.get('optional')]
        assume = [e for e in hard if e['call'] == 'sts AssumeRole']
        e500 = [e for e in hard if e['account'] == O.account(b500)]
        check(len(e500) == 1 and e500[0]['call'] == 'ec2 DescribeVpcs' and
              e500[0]['code'] == 'InternalError' and e500[0]['file'] == vpcs500,
              'fetch-errors.json records the call that kept answering 500 '
              '(%s)' % e500)
        check(fake.count('DescribeVpcs', account=O.account(b500)) == 3,
              'it was tried 3 times (botocore standard mode), then given up')
        check(hard and all(e['account'] in (fail_acct, O.account(b500))
                           for e in hard),
              'every failure recorded is of the failing accounts (%s)'
              % sorted({e['account'] for e in hard}))
        check(len(assume) == 1 and assume[0]['code'] == 'AccessDenied' and
              assume[0].get('role') == O.read_role(bad),
              'fetch-errors.json names the refused AssumeRole of its read '
              'role (%s)' % assume)
        check(O.read_role(bad) in p.err, 'stderr names the role refused')
        check(fake.count('AssumeRole', status=403) == 1,
              'the refused role was asked once')
        check_secrets(fake, [studio.secret], [p.out, p.err], snap)

        q = run(a.xd, ['analyze', '--snapshot', snap, '--format', 'json'], env)
        try:
            r = json.loads(q.out)
        except ValueError:
            r = {'findings': [], 'paths': []}
        unread = [f for f in r['findings']
                  if f['code'] == 'ACCOUNT_CONFIG_UNREADABLE']
        # the read role refused, fetch fell back to the discovery role,
        # which may not read EC2 or IAM either: both are named
        check(q.returncode in (1, 2) and unread and
              all(f['account'] == fail_acct for f in unread) and
              O.read_role(bad) in [f['resource'] for f in unread],
              'analyze: ACCOUNT_CONFIG_UNREADABLE for account %s only, naming '
              'its read role (exit %d, %s)' % (fail_acct, q.returncode,
                                                [(f.get('account'), f['resource'])
                                                 for f in unread]))
        gone = [f for f in r['findings'] if f['code'] == 'SNAPSHOT_FILE_MISSING'
                and f.get('account') == O.account(b500)]
        check([f['resource'] for f in gone] == [vpcs500],
              'analyze names the file the 500s kept out (%s)'
              % [f['resource'] for f in gone])
        ips = {'10.%d.1.10' % (10 + i): i for i in range(1, n + 1)}
        seen = {ips.get(p['to'].get('ip')): p['verdict'] for p in r['paths']
                if p['to'].get('side') == 'emr'}
        decided = [i for i in good if seen.get(i) in ('reachable', 'blocked')]
        check(len(decided) == len(good),
              'each readable account\'s path has a verdict from the '
              'configuration (%d of %d)' % (len(decided), len(good)))
        check(seen.get(bad) == 'unknown' or bad not in seen,
              'the unreadable account\'s path is not guessed (%s)' % seen.get(bad))
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == '__main__':
    sys.exit(main())
