#!/usr/bin/python3
"""`xacct-doctor fetch` with calls side by side (issue 20), against the
loopback AWS (fake_aws.py).

Scenarios (one per ctest):
  identical  the same world fetched one call at a time (--concurrency 1)
             and with 16 in flight while every answer comes after a random
             delay (so in another order each run): the snapshot folders
             are the same byte for byte, fetch-errors.json included, and
             the concurrent fetch asks AWS for exactly the same calls.
             Once with discovery only, once with an intent.
  retries    botocore's standard retry mode: throttling and transient
             answers are tried again (3 attempts at most), refusals and
             validation errors are not, and the run's retry quota stops a
             storm of throttling.

The retry backoff is shortened for the tests with XD_TEST_RETRY_BASE_MS
and the quota with XD_TEST_RETRY_QUOTA (both test-only, aws/retry.c).
"""
import argparse
import collections
import json
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checks import check, summary  # noqa: E402
import fake_aws  # noqa: E402
import fetch_e2e as E  # noqa: E402
import world as W  # noqa: E402


def tree(d):
    """Every file under d with its bytes."""
    out = {}
    for rel in E.files_under(d):
        with open(os.path.join(d, rel), 'rb') as f:
            out[rel] = f.read()
    return out


def api_calls(fake):
    """How many requests of each (account, operation) the fake answered."""
    return collections.Counter((c[0], c[2]) for c in fake.calls)


def world():
    """A fresh loopback AWS: the refused role and a denied optional call
    give fetch-errors.json something to say."""
    w, roles = W.build()
    fake = fake_aws.FakeAWS(w, roles).start()
    studio = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                            'static', token=False)
    fake.forever = {'%s:ListBootstrapActions' % W.EMR: 'AccessDeniedException'}
    return fake, studio


def fetch(xd, tmp, name, fake, studio, args, intent=None):
    env = E.clean_env(tmp)
    env.update({'AWS_ACCESS_KEY_ID': studio.akid,
                'AWS_SECRET_ACCESS_KEY': studio.secret,
                'AWS_DEFAULT_REGION': W.REGION, 'AWS_ENDPOINT_URL': fake.url})
    snap = os.path.join(tmp, name)
    pre = ['--config', intent] if intent else []
    fake.calls = []
    fake.busy_max = 0
    p = E.run(xd, pre + ['fetch', '--out', snap] + args, env)
    return p, snap


def scenario_identical(xd, tmp):
    rolefile = os.path.join(tmp, 'roles.json')
    with open(rolefile, 'w') as f:
        f.write(json.dumps(W.role_file(), indent=1) + '\n')
    intent = os.path.join(tmp, 'intent.json')
    with open(intent, 'w') as f:
        json.dump({'studio': {'account': W.STUDIO, 'region': W.REGION,
                              'domain_id': W.DOMAIN, 'role_arns_file': rolefile,
                              'space': 'alice-space'},
                   'emr': [{'account': W.EMR, 'region': W.REGION,
                            'cluster_id': W.CLUSTERS[0]},
                           {'account': W.DENY, 'region': W.REGION,
                            'role_arn': W.DENY_ROLE}]}, f, indent=2)
    for what, intent_path in (('discovery', None), ('intent', intent)):
        fake, studio = world()
        p1, s1 = fetch(xd, tmp, what + '-seq', fake, studio,
                       ['--concurrency', '1'], intent_path)
        seq_calls, seq_busy = api_calls(fake), fake.busy_max
        fake.jitter = 0.05   # every answer after 0-50 ms: another order
        runs = []
        for i in range(2):
            p, s = fetch(xd, tmp, '%s-c16-%d' % (what, i), fake, studio, [],
                         intent_path)
            runs.append((p, s, api_calls(fake), fake.busy_max))
        fake.stop()
        check(p1.returncode == 1 and 'fetch-errors.json' in E.files_under(s1),
              '%s: the sequential fetch wrote a snapshot with failures '
              'recorded (exit %d)' % (what, p1.returncode))
        check(seq_busy == 1, '%s: --concurrency 1 makes one call at a time'
              % what)
        t1 = tree(s1)
        for i, (p, s, calls, busy) in enumerate(runs):
            t = tree(s)
            diff = sorted(k for k in set(t) | set(t1) if t.get(k) != t1.get(k))
            check(p.returncode == p1.returncode and not diff,
                  '%s, run %d: with 16 calls in flight and answers in random '
                  'order the snapshot is byte for byte the sequential one '
                  '(%d files; differ: %s)' % (what, i + 1, len(t1), diff))
            check(busy > 1, '%s, run %d: calls were in flight side by side '
                  '(%d at most)' % (what, i + 1, busy))
            check(calls == seq_calls, '%s, run %d: the same calls as the '
                  'sequential fetch, none more (%d requests; differ: %s)'
                  % (what, i + 1, sum(calls.values()),
                     sorted(set(calls.items()) ^ set(seq_calls.items()))))


def scenario_retries(xd, tmp):
    # throttling and transient answers: tried again until they succeed
    fake, studio = world()
    fake_aws.FAULTS['ProvisionedThroughputExceededException'] = \
        (400, 'ProvisionedThroughputExceededException')
    faults = {'DescribeVpcs': ['Throttling', 'RequestLimitExceeded'],
              'DescribeSubnets': ['ThrottlingException', '503'],
              'DescribeRouteTables': ['TooManyRequestsException'],
              'DescribeSecurityGroups': ['InternalError', 'Throttling'],
              'DescribeNetworkAcls': ['ProvisionedThroughputExceededException'],
              'ListDomains': ['503']}
    # every page is a call of its own: count them without faults first
    fetch(xd, tmp, 'baseline', fake, studio, [])
    base = api_calls(fake)
    fake.faults = {'%s:%s' % (W.STUDIO, k): list(v) for k, v in faults.items()}
    # never retried: a refusal, a validation error
    fake.forever['%s:DescribeVpcPeeringConnections' % W.STUDIO] = \
        'AccessDeniedException'
    fake.forever['%s:DescribeSpace' % W.STUDIO] = 'ValidationException'
    p, snap = fetch(xd, tmp, 'retried', fake, studio, [])
    calls = api_calls(fake)
    check(p.returncode == 1 and not any(fake.faults.values()),
          'every throttling and 5xx answer was tried again (exit %d)'
          % p.returncode)
    got = E.files_under(snap) if os.path.isdir(snap) else set()
    for op, fl in sorted(faults.items()):
        n = calls[(W.STUDIO, op)]
        stem = 'ec2-' + ''.join('-' + ch.lower() if ch.isupper() else ch
                                for ch in op[0].lower() + op[1:])
        check(n == base[(W.STUDIO, op)] + len(fl) and (not op.startswith('Describe') or
                                    '%s/%s/%s.json' % (W.STUDIO, W.REGION, stem)
                                    in got),
              '%s after %s: %d requests (%d pages), its file written'
              % (op, fl, n, base[(W.STUDIO, op)]))
    check(calls[(W.STUDIO, 'DescribeVpcPeeringConnections')] == 1,
          'AccessDenied is not retried')
    n_spaces = len(W.SPACES)
    check(calls[(W.STUDIO, 'DescribeSpace')] == n_spaces,
          'ValidationException is not retried (%d calls for %d spaces)'
          % (calls[(W.STUDIO, 'DescribeSpace')], n_spaces))
    fake.stop()

    # throttled for ever: 3 attempts each, then given up
    fake, studio = world()
    fake.forever = {'*': 'Throttling'}
    p, _ = fetch(xd, tmp, 'storm', fake, studio, [])
    calls = api_calls(fake)
    del calls[(W.STUDIO, 'GetCallerIdentity')]
    distinct = len(calls)
    check(p.returncode == 1 and distinct >= 8 and
          all(n == 3 for n in calls.values()),
          'throttled for ever: each of %d calls tried 3 times (%s)'
          % (distinct, sorted(set(calls.values()))))
    # ... and the retry quota stops a storm: 20 tokens pay 4 retries
    env = E.clean_env(tmp)
    env['XD_TEST_RETRY_QUOTA'] = '20'
    env.update({'AWS_ACCESS_KEY_ID': studio.akid,
                'AWS_SECRET_ACCESS_KEY': studio.secret,
                'AWS_DEFAULT_REGION': W.REGION, 'AWS_ENDPOINT_URL': fake.url})
    fake.calls = []
    p = E.run(xd, ['fetch', '--out', os.path.join(tmp, 'quota')], env)
    calls = api_calls(fake)
    del calls[(W.STUDIO, 'GetCallerIdentity')]
    check(p.returncode == 1 and len(calls) == distinct and
          sum(calls.values()) == distinct + 4 and 'retry quota' in p.err,
          'a retry quota of 20 stops the storm after 4 retries (%d requests '
          'for %d calls)' % (sum(calls.values()), len(calls)))
    fake.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--xd', required=True)
    ap.add_argument('scenario', choices=['identical', 'retries'])
    a = ap.parse_args()
    for k in list(os.environ):
        if k.startswith('AWS_') or k.lower().endswith('_proxy'):
            del os.environ[k]
    tmp = tempfile.mkdtemp(prefix='xd-aws-conc-')
    try:
        globals()['scenario_' + a.scenario](a.xd, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == '__main__':
    sys.exit(main())
