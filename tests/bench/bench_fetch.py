#!/usr/bin/python3
"""Fetch benchmark (issue 20): `xacct-doctor fetch` of the two-account
loopback AWS (tests/aws/fake_aws.py, world.py), every API answer delayed
by 0 ms and by 200 ms, one call at a time (--concurrency 1) beside the
default (16 in flight). Two fetches: with an intent that names the domain,
the space, the EMR account's role and cluster (what `check` and cron run),
and discovery from the Studio account's keys alone (a first run).

Prints the requests AWS answered, the wall time, the round trips it is
worth (wall / latency), the round trips the latency alone cost ((wall -
wall at 0 ms) / latency) and the rounds the fetch counted (its --verbose
line: requests sent side by side, the depth of the dependency chain).
The loopback AWS is Python: verifying each signature and writing each
answer costs it CPU, serialised by its interpreter lock, which the wall
time includes (the 0 ms rows). Asserts nothing about the figures.

Usage: bench_fetch.py XACCT_DOCTOR [RUNS]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'aws'))

import fake_aws  # noqa: E402
import world as W  # noqa: E402


def one(xd, tmp, fake, studio, conc, intent):
    env = {'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8', 'HOME': tmp,
           'AWS_CONFIG_FILE': '/nonexistent',
           'AWS_SHARED_CREDENTIALS_FILE': '/nonexistent',
           'AWS_EC2_METADATA_DISABLED': 'true', 'NO_PROXY': '*',
           'AWS_ACCESS_KEY_ID': studio.akid,
           'AWS_SECRET_ACCESS_KEY': studio.secret,
           'AWS_DEFAULT_REGION': W.REGION, 'AWS_ENDPOINT_URL': fake.url}
    out = os.path.join(tmp, 'snap')
    shutil.rmtree(out, ignore_errors=True)
    before = fake.requests
    pre = ['--config', intent] if intent else []
    t0 = time.monotonic()
    p = subprocess.run([xd] + pre + ['fetch', '--verbose', '--out', out,
                                     '--concurrency', str(conc)], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.monotonic() - t0
    err = p.stderr.decode('utf-8', 'replace')
    if p.returncode not in (0, 1):
        sys.stderr.write(err)
        raise SystemExit('fetch failed (exit %d)' % p.returncode)
    m = re.search(r'fetch: \d+ requests in (\d+) rounds', err)
    return fake.requests - before, wall, int(m.group(1)) if m else None


def main():
    xd = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    for k in list(os.environ):
        if k.startswith('AWS_'):
            del os.environ[k]
    tmp = tempfile.mkdtemp(prefix='xd-bench-fetch-')
    w, roles = W.build()
    fake = fake_aws.FakeAWS(w, roles).start()
    studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                            'static', token=False)
    rolefile = os.path.join(tmp, 'roles.json')
    with open(rolefile, 'w') as f:
        json.dump(W.role_file(), f)
    intent = os.path.join(tmp, 'intent.json')
    with open(intent, 'w') as f:
        json.dump({'studio': {'account': W.STUDIO, 'region': W.REGION,
                              'domain_id': W.DOMAIN, 'role_arns_file': rolefile,
                              'space': 'alice-space'},
                   'emr': [{'account': W.EMR, 'region': W.REGION,
                            'cluster_id': W.CLUSTERS[0],
                            'role_arn': W.EMR_ROLE}]}, f)
    try:
        one(xd, tmp, fake, studio, 16, None)   # the fake loads its models
        print('fetch of the two-account loopback AWS, best of %d runs' % runs)
        print('%-10s %-7s %-11s %8s %8s %10s %10s %7s' % (
            'fetch', 'latency', 'concurrency', 'requests', 'wall s',
            'wall/lat', '+wall/lat', 'rounds'))
        for what, path in (('intent', intent), ('discovery', None)):
            base = {}
            for lat in (0.0, 0.2):
                fake.latency = lat
                for conc in (1, 16):
                    best = None
                    for _ in range(runs):
                        r = one(xd, tmp, fake, studio, conc, path)
                        if best is None or r[1] < best[1]:
                            best = r
                    req, wall, rounds = best
                    if not lat:
                        base[conc] = wall
                    print('%-10s %-7s %-11s %8d %8.2f %10s %10s %7s' % (
                        what, '%d ms' % (lat * 1000),
                        '%d%s' % (conc, ' (dflt)' if conc == 16 else ''),
                        req, wall, '%.1f' % (wall / lat) if lat else '-',
                        '%.1f' % ((wall - base[conc]) / lat) if lat else '-',
                        rounds if rounds else req), flush=True)
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print('aim (issue 20): at 200 ms, <= 8 round trips with the default')


if __name__ == '__main__':
    main()
