#!/usr/bin/env python3
"""`check` inside a Studio space: the app's metadata file is the intent.

    studio_metadata.py XACCT_DOCTOR FIXTURES_DIR

The shared-space fixture's own intent names the shared space (blocked at
the EMR group); the metadata of alice's private space, whose profile group
the EMR group admits, must diagnose that space instead (reachable). Bad
metadata: exit 3, a message naming the file and field and --config, and
nothing on stdout.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
FAILS = []


def check(ok, what):
    print(('ok: ' if ok else 'FAIL: ') + what)
    if not ok:
        FAILS.append(what)


def run(xd, args):
    return subprocess.run([xd] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=60)


def main():
    xd, fixtures = sys.argv[1], sys.argv[2]
    snap = os.path.join(fixtures, 'studio-shared-space-blocked')
    with open(os.path.join(snap, 'xacct-doctor.json')) as f:
        studio = json.load(f)['studio']
    tmp = tempfile.mkdtemp(prefix='xd-meta-')
    # check run as root reads its files as `nobody` (it drops root first)
    os.chmod(tmp, 0o755)
    good = os.path.join(tmp, 'resource-metadata.json')
    arn = 'arn:aws:sagemaker:%s:%s:app/%s/alice-space/jupyterlab/default' % (
        studio['region'], studio['account'], studio['domain_id'])
    with open(good, 'w') as f:
        os.fchmod(f.fileno(), 0o644)
        json.dump({'AppType': 'JupyterLab', 'DomainId': studio['domain_id'],
                   'SpaceName': 'alice-space', 'ResourceArn': arn,
                   'ResourceName': 'default'}, f)
    p = run(xd, ['check', '--snapshot', snap, '--no-probe', '--format', 'json'])
    check(json.loads(p.stdout)['status'] == 'critical',
          'without metadata, the snapshot intent (shared space) is blocked')
    p = run(xd, ['check', '--snapshot', snap, '--no-probe', '--format', 'json',
                 '--studio-metadata', good])
    res = json.loads(p.stdout)
    ident = [f for f in res['findings'] if f['code'] == 'STUDIO_IDENTITY']
    check(p.returncode == 0 and res['status'] == 'ok' and
          all(x['verdict'] == 'reachable' for x in res['paths']),
          'the metadata names alice-space: reachable (exit %d)' % p.returncode)
    check(ident and ident[0]['resource'].endswith('/alice-space'),
          'the finding names the space diagnosed')
    for body, field in (({'DomainId': studio['domain_id'], 'ResourceArn': 'nope',
                          'SpaceName': 'x'}, 'ResourceArn'),
                        ({'ResourceArn': arn, 'SpaceName': 'x'}, 'DomainId'),
                        ({'DomainId': studio['domain_id'], 'ResourceArn': arn},
                         'SpaceName')):
        bad = os.path.join(tmp, 'bad.json')
        with open(bad, 'w') as f:
            json.dump(body, f)
        p = run(xd, ['check', '--snapshot', snap, '--no-probe',
                     '--studio-metadata', bad])
        err = p.stderr.decode()
        check(p.returncode == 3 and not p.stdout and bad in err and field in err
              and '--config' in err,
              'bad metadata (%s): exit 3 naming the file, the field and --config' % field)
    with open(os.path.join(tmp, 'broken.json'), 'w') as f:
        f.write('{"DomainId": \n')
    p = run(xd, ['check', '--snapshot', snap, '--no-probe', '--studio-metadata',
                 os.path.join(tmp, 'broken.json')])
    check(p.returncode == 3 and b'broken.json' in p.stderr, 'unparsable metadata: exit 3')
    # inside a Studio app (SageMaker sets SAGEMAKER_SPACE_NAME) with no
    # metadata file: not a guess from the credentials, but the file named
    # and --config asked for, before any AWS call
    if not os.path.exists('/opt/ml/metadata/resource-metadata.json'):
        env = dict(os.environ, SAGEMAKER_SPACE_NAME='alice-space',
                   AWS_ENDPOINT_URL='http://127.0.0.1:9')
        p = subprocess.run([xd, 'check', '--no-probe'], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        err = p.stderr.decode()
        check(p.returncode == 3 and not p.stdout and
              '/opt/ml/metadata/resource-metadata.json' in err and '--config' in err,
              'a Studio app without its metadata file: exit 3 naming it and --config')
    # the address `check` found itself is an intent field like any other
    bad = os.path.join(tmp, 'toward.json')
    with open(bad, 'w') as f:
        os.fchmod(f.fileno(), 0o644)
        lone = dict(studio, source_ip_toward='2.0.1.10')
        lone.pop('source_ip', None)
        json.dump({'studio': lone}, f)
    p = run(xd, ['analyze', '--snapshot', snap, '--config', bad])
    check(p.returncode == 3 and b'source_ip_toward' in p.stderr,
          'studio.source_ip_toward without studio.source_ip: exit 3 naming it')
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if FAILS else 0


if __name__ == '__main__':
    sys.exit(main())
