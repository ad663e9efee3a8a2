#!/usr/bin/python3
"""docs/collect.sh against the loopback AWS, with the real AWS CLI, and
compared file by file with what `xacct-doctor fetch` writes for the same
accounts: the same layout and the same JSON.

Usage: collect_e2e.py --xd PATH/xacct-doctor --script docs/collect.sh
Exits 77 (skipped) when no `aws` command is installed.
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
import fake_aws  # noqa: E402
from checks import check, summary  # noqa: E402
import fetch_e2e  # noqa: E402
import world as W  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--xd', required=True)
    ap.add_argument('--script', required=True)
    a = ap.parse_args()
    aws = shutil.which('aws')
    if not aws:
        print('SKIP: no AWS CLI (aws) installed')
        return 77
    tmp = tempfile.mkdtemp(prefix='xd-collect-')
    w, roles = W.build()
    fake = fake_aws.FakeAWS(w, roles).start()
    try:
        studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                                'static', token=False)
        env = fetch_e2e.clean_env(tmp)
        env['PATH'] = os.path.dirname(aws) + ':' + env['PATH']
        for k in ('PYENV_ROOT', 'PYENV_VERSION'):
            if k in os.environ:
                env[k] = os.environ[k]
        with open(env['AWS_CONFIG_FILE'], 'w') as f:
            f.write('[profile studio]\nregion = us-east-1\n\n'
                    '[profile emr]\nrole_arn = %s\nsource_profile = studio\n'
                    'role_session_name = SageMakerStudioUser\nregion = us-east-1\n'
                    % W.EMR_ROLE)
        with open(env['AWS_SHARED_CREDENTIALS_FILE'], 'w') as f:
            f.write('[studio]\naws_access_key_id = %s\naws_secret_access_key = %s\n'
                    % (studio.akid, studio.secret))
        env['AWS_ENDPOINT_URL'] = fake.url
        by_cli = os.path.join(tmp, 'by-cli')
        p = subprocess.run(['bash', a.script, '--studio-profile', 'studio',
                            '--emr-profile', 'emr', '--out', by_cli], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=600)
        print(p.stderr.decode()[-3000:])
        check(p.returncode == 0, 'collect.sh exit 0 (%d)' % p.returncode)
        check(fake.signature_failures == 0, 'the CLI\'s signatures verified')
        env['AWS_PROFILE'] = 'studio'
        by_xd = os.path.join(tmp, 'by-xd')
        q = fetch_e2e.run(a.xd, ['fetch', '--out', by_xd], env)
        check(q.returncode == 1, 'fetch exit 1 (the refusing role of the domain)')
        cli_files = fetch_e2e.files_under(by_cli) if os.path.isdir(by_cli) else set()
        xd_files = fetch_e2e.files_under(by_xd) - {'fetch-errors.json'}
        check(cli_files == xd_files and len(cli_files) > 20,
              'the same layout (%d files; only by collect.sh %s, only by fetch %s)'
              % (len(cli_files), sorted(cli_files - xd_files),
                 sorted(xd_files - cli_files)))
        n = 0
        for rel in sorted(cli_files & xd_files):
            with open(os.path.join(by_cli, rel)) as f1, \
                    open(os.path.join(by_xd, rel)) as f2:
                x, y = json.load(f1), json.load(f2)
            n += 1
            if x != y:
                check(False, '%s: the same JSON' % rel)
                print('   collect.sh:', json.dumps(x)[:800])
                print('   fetch:     ', json.dumps(y)[:800])
        check(n > 20, '%d files hold the same JSON' % n)
        # the control-plane and DNS files (issue 19): byte for byte. Not
        # ec2-describe-dhcp-options.json: its key order is the botocore
        # model's, which newer botocore (the CLI's here) reordered since
        # Debian's 1.29 that aws/shapes_ec2.c and the fetch test follow
        new = [r for r in sorted(cli_files & xd_files) if r.split('/')[-1] in
               ('ec2-describe-vpc-endpoints.json',
                'route53resolver-list-resolver-rules.json',
                'route53resolver-list-resolver-rule-associations.json')]
        differ = [r for r in new if open(os.path.join(by_cli, r), 'rb').read() !=
                  open(os.path.join(by_xd, r), 'rb').read()]
        check(len(new) == 6 and not differ,
              'the %d VPC endpoint and Resolver files are byte-identical '
              '(differ: %s)' % (len(new), differ))
        p = subprocess.run(['bash', a.script, '--studio-profile', 'studio',
                            '--out', by_cli], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        check(p.returncode == 3 and b'not empty' in p.stderr,
              'collect.sh refuses an --out that holds a snapshot')
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == '__main__':
    sys.exit(main())
