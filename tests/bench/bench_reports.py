#!/usr/bin/python3
"""Issue 13 item 6: reports that grow linearly with the result.

HTML flow grouping compared every flow with every other (262,144 flows
took 614 s in HTML against 2.8 s in JSON), and the Prometheus renderer's
de-duplication was quadratic too (20,000 findings took 47 s).

  bench_reports.py XD SAMPLE --bench   figures (label bench): report --in
      for results of N flows per side and N findings, N up to the
      tracker's limit (262,144), in html, prometheus and json.
  bench_reports.py XD SAMPLE --check   correctness (bounded): every flow
      seen by both sides is one row with both sightings, in document order;
      each (severity, code) is one Prometheus series with the right count,
      and no series is repeated.
"""
import collections
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

XD, SAMPLE, MODE = sys.argv[1], sys.argv[2], sys.argv[3]


def result(n_flows, n_findings, emr_share=1):
    d = json.load(open(SAMPLE))
    flows = []
    for i in range(n_flows):
        flows.append({'src': '10.0.%d.%d:%d' % (i >> 16, (i >> 8) & 255,
                                                 1024 + (i & 255)),
                      'dst': '2.0.1.10:8998', 'syn': 1, 'syn_ack': 1,
                      'rst': 0, 'icmp': None,
                      'first': '2026-11-29T04:26:07.100Z',
                      'last': '2026-11-29T04:26:07.200Z'})
    d['observations']['studio']['flows'] = flows
    # the EMR side saw the same flows (every emr_share-th: a result must
    # stay under the 64 MiB input limit), in reverse order
    d['observations']['emr']['flows'] = [dict(f) for f in
                                         reversed(flows[::emr_share])]
    f0 = d['findings'][0]
    d['findings'] = [{'code': 'CODE_%d' % (i % max(1, n_findings // 2)),
                      'severity': f0['severity'], 'resource': 'sg-%x' % i,
                      'account': f0['account'], 'message': 'm',
                      'evidence': []} for i in range(n_findings)]
    return d


def save(d, path):
    with open(path, 'w') as f:
        json.dump(d, f, separators=(',', ':'))


def run(path, fmt):
    t0 = time.monotonic()
    p = subprocess.run([XD, 'report', '--in', path, '--format', fmt],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=3600)
    return time.monotonic() - t0, p


def main():
    tmp = tempfile.mkdtemp(prefix='xd-bench-reports-')
    fails = 0
    try:
        if MODE == '--check':
            n = 2000
            path = os.path.join(tmp, 'r.json')
            save(result(n, n), path)
            _, p = run(path, 'html')
            html = p.stdout.decode()
            rows = re.findall(r'<tr><td class="mono">([^<]*)</td><td>(studio|emr)'
                              r'</td>', html)
            pairs = collections.Counter(r[0] for r in rows)
            ok = p.returncode in (0, 1, 2) and len(pairs) == n and \
                all(c == 2 for c in pairs.values())
            order = [r[0] for r in rows if r[1] == 'studio']
            ok = ok and order == sorted(order, key=lambda s: (
                int(s.split('.')[2]), int(s.split('.')[3].split(':')[0]),
                int(s.split(':')[1].split(' ')[0])))
            print(('ok   ' if ok else 'FAIL ') +
                  'html: %d flows seen by both sides are %d rows, each with '
                  'both sightings, in document order' % (n, len(pairs)))
            fails += not ok
            _, p = run(path, 'prometheus')
            text = p.stdout.decode()
            series = [l for l in text.splitlines() if l and not l.startswith('#')]
            dup = [s for s, c in collections.Counter(
                s.rsplit(' ', 1)[0] for s in series).items() if c > 1]
            fam = [l for l in series if l.startswith('xacct_doctor_findings{')]
            counts = {re.search(r'code="([^"]*)"', l).group(1):
                      float(l.rsplit(' ', 1)[1]) for l in fam}
            ok = p.returncode in (0, 1, 2) and not dup and \
                len(counts) == n // 2 and all(v == 2 for v in counts.values())
            print(('ok   ' if ok else 'FAIL ') +
                  'prometheus: %d findings, %d codes, one series each with '
                  'count 2, no repeated series (%d repeated)'
                  % (n, len(counts), len(dup)))
            fails += not ok
            return 1 if fails else 0
        print('flows per side (studio/emr), findings; seconds for report '
              '--in in each format (best of 2)')
        print('%8s %8s %9s %9s %11s %9s' % ('studio', 'emr', 'findings',
                                           'html', 'prometheus', 'json'))
        for n in (16384, 32768, 65536, 131072, 262144):
            path = os.path.join(tmp, 'r.json')
            nf = n // 4
            save(result(n, nf, 8), path)
            t = {}
            for fmt in ('html', 'prometheus', 'json'):
                best = None
                for _ in range(2):
                    secs, p = run(path, fmt)
                    if p.returncode not in (0, 1, 2):
                        print('%s: exit %d: %s' % (fmt, p.returncode,
                                                   p.stderr.decode()[:200]))
                        return 1
                    best = secs if best is None else min(best, secs)
                t[fmt] = best
            print('%8d %8d %9d %9.2f %11.2f %9.2f' % (
                n, len(range(0, n, 8)), nf, t['html'], t['prometheus'],
                t['json']), flush=True)
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
