#!/usr/bin/python3
"""Hostile input against the real program.

    hostile.py --bin XACCT_DOCTOR --source SRC [--group files|values|all]
               [--keep] [CASE...]

Every case is made at run time in a temporary folder (the large ones are
never committed): a copy of examples/healthy with one file broken, or an
observations, result or intent file of its own. Each is run as a user
would run it (`analyze --snapshot DIR --output OUT`, with `--observations`,
`--config`, or `report --in`), and must end as the contract says:

  - exit status 3 and one clear error on stderr that names the file (and
    the line or the field where there is one) for unreadable input; 0, 1
    or 2 and a whole result for input that is valid but odd;
  - no crash: no signal, no sanitizer report (the same cases run against
    the sanitizer build named by XD_HARDEN_BIN, when set, and against
    --bin itself when it is one);
  - bounded: 60 s, and 2 GiB of address space (RLIMIT_AS, for builds
    without ASan, whose shadow memory needs more) and of resident memory;
  - no output left behind on error: the --output file is absent, and no
    temporary file (.NAME.tmp.*) next to it.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import SG_PATH, cases, jload  # noqa: E402

LIMIT_S = 60
LIMIT_MEM = 2 << 30
SANITIZER = re.compile(r'AddressSanitizer|LeakSanitizer|UndefinedBehavior'
                       r'Sanitizer|runtime error:|MemorySanitizer')


# ---- running ---------------------------------------------------------------

def is_sanitized(binary):
    with open(binary, 'rb') as f:
        return b'__asan_init' in f.read()


# The cases are made by this process, which may grow large doing it (a
# million rules); a child forked from it would count that memory as its own
# (ru_maxrss keeps the high-water mark from before exec). So the program
# runs from a small launcher started before any case is made.
LAUNCHER = r"""
import json, os, resource, signal, subprocess, sys, threading, time
for line in sys.stdin:
    r = json.loads(line)
    def limits():
        os.setsid()
        if not r['sanitized']:
            resource.setrlimit(resource.RLIMIT_AS, (r['mem'], r['mem']))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with open(r['out'], 'wb') as so, open(r['err'], 'wb') as se:
        t0 = time.monotonic()
        p = subprocess.Popen(r['cmd'], stdout=so, stderr=se,
                             stdin=subprocess.DEVNULL, cwd=r['cwd'],
                             env=r['env'], preexec_fn=limits)
        late = []
        def kill():
            late.append(1)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
        timer = threading.Timer(r['timeout'], kill)
        timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        timer.cancel()
        p.returncode = 0
        secs = time.monotonic() - t0
    if late:
        code = None
    elif os.WIFSIGNALED(status):
        code = -os.WTERMSIG(status)
    else:
        code = os.WEXITSTATUS(status)
    print(json.dumps({'code': code, 'secs': secs,
                      'rss': ru.ru_maxrss * 1024}), flush=True)
"""


class Launcher:
    def __init__(self):
        self.p = subprocess.Popen([sys.executable, '-c', LAUNCHER],
                                  stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)

    def run(self, cmd, sanitized, cwd, env):
        """Run cmd bounded in time (and address space, without ASan);
        returns (status, stdout, stderr, seconds, max RSS bytes); status < 0
        is a signal, None a timeout."""
        out_p = os.path.join(cwd, '.stdout')
        err_p = os.path.join(cwd, '.stderr')
        self.p.stdin.write(json.dumps({
            'cmd': cmd, 'cwd': cwd, 'env': env, 'sanitized': sanitized,
            'mem': LIMIT_MEM, 'timeout': LIMIT_S, 'out': out_p,
            'err': err_p}) + '\n')
        self.p.stdin.flush()
        r = json.loads(self.p.stdout.readline())
        with open(out_p, 'rb') as f:
            out = f.read()
        with open(err_p, 'rb') as f:
            err = f.read().decode('utf-8', 'replace')
        os.unlink(out_p)
        os.unlink(err_p)
        return r['code'], out, err, r['secs'], r['rss']

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def check_output(case, out, code):
    """What is wrong with the output file of a run that succeeded."""
    try:
        doc = jload(out)
    except (ValueError, OSError) as ex:
        return ['the output does not parse: %s' % ex]
    if case.mode == 'listen':
        if doc.get('schema') != 'xacct-doctor.observations/1':
            return ['the output is not an observations document']
        if case.flows and not doc.get('flows'):
            return ['no flows from the packets before the damage']
        return []
    bad = []
    st = {'ok': 0, 'warning': 1, 'critical': 2,
          'unknown': 3}.get(doc.get('status'))
    if st != code:
        bad.append('status %s does not match exit %d'
                   % (doc.get('status'), code))
    if case.finding and not any(f.get('code') == case.finding
                                for f in doc.get('findings', [])):
        bad.append('no %s finding' % case.finding)
    return bad


def check(case, binary, sanitized, base, work, launcher):
    """Make the case, run it, and return a list of what went wrong."""
    cdir = os.path.join(work, case.name)
    snap = os.path.join(cdir, 'snap')
    outdir = os.path.join(cdir, 'out')
    shutil.rmtree(cdir, ignore_errors=True)
    os.makedirs(outdir)
    shutil.copytree(base, snap, symlinks=True)
    for change in case.snapshot:
        change(snap)
    out = os.path.join(outdir, 'result.json')
    previous = b'{"previous": "result"}\n'
    out_arg = os.path.join('out', 'result.json')
    if case.output == 'existing':
        with open(out, 'wb') as f:
            f.write(previous)
    elif case.output == 'dir':
        os.mkdir(out)
    elif case.output == 'missing':
        out_arg = os.path.join('out', 'nowhere', 'result.json')
    if case.mode in ('listen', 'check'):
        # listen and check give up root before they read or write (as uid
        # 65534): let that user reach the case and write its output
        for d in (work, cdir, outdir):
            os.chmod(d, 0o777 if d == outdir else 0o755)
        cmd = [binary, 'listen'] if case.mode == 'listen' else \
            [binary, 'check', '--snapshot', 'snap', '--no-probe']
    elif case.mode == 'report':
        cmd = [binary, 'report']
    else:
        cmd = [binary, 'analyze', '--snapshot', 'snap']
    if case.extra:
        opt, make = case.extra
        path = make(cdir)
        cmd += [opt, os.path.relpath(path, cdir)
                if path.startswith(cdir) else path]
    cmd += ['--format', 'json', '--output', out_arg]
    env = dict(os.environ)
    env.setdefault('ASAN_OPTIONS', 'detect_leaks=1:abort_on_error=1')
    env.setdefault('UBSAN_OPTIONS', 'print_stacktrace=1:halt_on_error=1')
    env['NO_COLOR'] = '1'
    code, stdout, stderr, secs, rss = launcher.run(cmd, sanitized, cdir, env)
    bad = []
    left = sorted(os.listdir(outdir))
    if code is None:
        bad.append('did not finish within %d s' % LIMIT_S)
    elif code < 0:
        bad.append('killed by signal %d' % -code)
    if SANITIZER.search(stderr):
        bad.append('sanitizer report')
    # issue 13 item 8: nothing from the input may steer the terminal
    if re.search('[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]', stderr):
        bad.append('a control character reached stderr')
    if rss > LIMIT_MEM:
        bad.append('used %d MB of memory' % (rss >> 20))
    expect = case.expect
    if expect == 'either' and code is not None:
        expect = 'error' if code == 3 else 'ok'
    if code is not None and code >= 0 and not bad:
        if expect == 'error':
            if code != 3:
                bad.append('exit %d, want 3' % code)
            if case.output == 'existing':
                with open(out, 'rb') as f:
                    if f.read() != previous:
                        bad.append('the previous output was changed')
                left = [x for x in left if x != 'result.json']
            elif case.output == 'dir':
                if os.listdir(out):
                    bad.append('wrote into the folder named by --output')
                left = [x for x in left if x != 'result.json']
            if left:
                bad.append('left behind in the output folder: %s' % left)
            if stdout:
                bad.append('wrote to stdout on error')
            lines = [l for l in stderr.splitlines() if l.strip()]
            if not lines:
                bad.append('no error message')
            for n in case.names:
                if n not in stderr:
                    bad.append('the error does not name %s' % n)
            if case.detail and not re.search(case.detail, stderr):
                bad.append('the error does not match /%s/' % case.detail)
        else:
            want = [case.status] if case.status is not None else [0, 1, 2]
            if code not in want:
                bad.append('exit %d, want %s' % (code, want))
            if left != ['result.json']:
                bad.append('output folder holds %s, want the result only'
                           % left)
            else:
                bad += check_output(case, out, code)
    summary = 'exit %s, %.2f s, %d MB' % (code, secs, rss >> 20)
    first = next((l for l in stderr.splitlines() if l.strip()), '')
    return bad, summary, first, stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--group', default='all')
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('--list', action='store_true')
    ap.add_argument('names', nargs='*')
    args = ap.parse_args()
    all_cases = cases(args.source)
    todo = [c for c in all_cases
            if (args.group == 'all' or c.group == args.group) and
            (not args.names or c.name in args.names)]
    if args.list:
        for c in todo:
            print(c.group, c.name, c.expect)
        return 0
    bins = [os.path.abspath(args.bin)]
    h = os.environ.get('XD_HARDEN_BIN')
    if h and os.path.abspath(h) not in bins:
        if os.access(h, os.X_OK):
            bins.append(os.path.abspath(h))
        else:
            print('XD_HARDEN_BIN=%s is not a program' % h, file=sys.stderr)
            return 1
    launcher = Launcher()
    work = tempfile.mkdtemp(prefix='xd-hostile-')
    failed = 0
    try:
        base = os.path.join(work, 'base')
        shutil.copytree(os.path.join(args.source, 'examples', 'healthy'), base)
        os.makedirs(os.path.join(work, 'outside'), exist_ok=True)
        shutil.copy(os.path.join(base, SG_PATH), os.path.join(work, 'outside',
                                                               'sg.json'))
        for b in bins:
            san = is_sanitized(b)
            print('== %s%s' % (b, ' (sanitizers)' if san else ''))
            for c in todo:
                bad, summary, first, stderr = check(c, b, san, base, work,
                                                    launcher)
                if bad:
                    failed += 1
                    print('FAIL %-34s %s: %s' % (c.name, summary,
                                                 '; '.join(bad)))
                    print('     stderr: ' + stderr.strip()[:2000]
                          .replace('\n', '\n     '))
                else:
                    print('ok   %-34s %s  %s' % (c.name, summary, first[:110]))
                if not args.keep:
                    shutil.rmtree(os.path.join(work, c.name),
                                  ignore_errors=True)
    finally:
        launcher.close()
        if args.keep:
            print('kept in', work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print('%d cases, %d failed' % (len(todo) * len(bins), failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
