#!/usr/bin/python3
"""Issue 13, items 2 and 3: what runs as root, and what --pcap-out may touch.

Item 3: the capture handle is the only privileged step. Under strace, in a
network namespace of its own (only its loopback, so nothing leaves), every
command must open its AF_PACKET socket (if it captures) BEFORE setresuid,
and read the customer's files and talk to the network only AFTER it:
  check --snapshot (with and without --no-capture, with --observations),
  probe, listen --read.
Item 2: --pcap-out is opened after the drop, never through a symlink, and a
file that already exists and belongs to root is neither truncated nor
chowned, even when SUDO_UID names another user.

Usage: privilege_test.py XD_BIN SOURCE_DIR   (root, strace, unshare; else 77)
"""
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'aws'))
from checks import check, summary  # noqa: E402

XD, SRC = sys.argv[1], sys.argv[2]
SNAP = os.path.join(SRC, 'examples', 'broken')
PCAP = os.path.join(SRC, 'tests', 'fixtures', 'pcap', 'handshakes-en10mb.pcap')
USER = 4242          # stands for the user who ran sudo


def traced(tmp, args, env=None):
    """Run XD args under strace -f in a fresh network namespace; returns
    (exit status, the trace's lines)."""
    log = os.path.join(tmp, 'strace.log')
    cmd = ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh',
           'strace', '-f', '-qq', '-o', log,
           '-e', 'trace=setresuid,setresgid,openat,open,connect,socket',
           XD] + args
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=120)
    with open(log) as f:
        lines = f.read().splitlines()
    return p.returncode, lines


def first(lines, pred):
    for i, l in enumerate(lines):
        if pred(l):
            return i
    return None


def is_drop(l):
    m = re.search(r'setresuid\((\d+), (\d+), (\d+)\)\s*= 0', l)
    return bool(m) and all(int(x) != 0 for x in m.groups())


def is_packet_socket(l):
    return 'socket(AF_PACKET' in l and '= -1' not in l


def is_inet_connect(l):
    return 'connect(' in l and ('AF_INET' in l)


def opens(path):
    return lambda l: ('openat(' in l or 'open(' in l) and path in l


def order(tmp, name, args, read_path, capture):
    rc, lines = traced(tmp, args)
    drop = first(lines, is_drop)
    pkt = first(lines, is_packet_socket)
    rd = first(lines, opens(read_path)) if read_path else None
    net = first(lines, is_inet_connect)
    check(rc in (0, 1, 2), '%s: ran (exit %d)' % (name, rc))
    check(drop is not None, '%s: root given up (setresuid to a non-zero uid)'
          % name)
    if capture:
        check(pkt is not None and drop is not None and pkt < drop,
              '%s: the capture socket is opened before the drop (%s < %s)'
              % (name, pkt, drop))
    else:
        check(pkt is None, '%s: no capture socket at all' % name)
    if read_path:
        check(rd is not None and drop is not None and drop < rd,
              '%s: %s is first read after the drop (%s < %s)'
              % (name, os.path.basename(read_path), drop, rd))
    if net is not None or name.startswith('probe'):
        check(net is not None and drop is not None and drop < net,
              '%s: the first connect comes after the drop (%s < %s)'
              % (name, drop, net))


def pcap_out_cases(tmp):
    env = dict(os.environ, SUDO_UID=str(USER), SUDO_GID=str(USER))
    home = os.path.join(tmp, 'user')
    os.mkdir(home)
    os.chown(home, USER, USER)
    victim_dir = os.path.join(tmp, 'etc')
    os.mkdir(victim_dir)
    victim = os.path.join(victim_dir, 'shadow')
    with open(victim, 'w') as f:
        f.write('root:secret-hash:19000::::::\n')
    os.chmod(victim, 0o640)

    def run(out, e):
        return subprocess.run([XD, 'listen', '--read', PCAP, '--format', 'json',
                               '--pcap-out', out, '--output', '-'],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=e, timeout=60)

    # a symlink the user planted, pointing at a root-owned file
    link = os.path.join(home, 'capture.pcap')
    os.symlink(victim, link)
    p = run(link, env)
    st = os.stat(victim)
    with open(victim) as f:
        body = f.read()
    check(p.returncode == 3 and body.startswith('root:secret-hash') and
          st.st_uid == 0 and stat.S_IMODE(st.st_mode) == 0o640,
          '--pcap-out through a symlink: refused (exit %d), the target keeps '
          'its bytes, owner and mode' % p.returncode)
    check(b'--pcap-out' in p.stderr, 'the refusal names --pcap-out: %s'
          % p.stderr.decode(errors='replace').strip()[:160])

    # a file that exists and belongs to root, in the user's folder
    mine = os.path.join(home, 'root-owned.pcap')
    with open(mine, 'w') as f:
        f.write('keep me')
    os.chmod(mine, 0o644)
    p = run(mine, env)
    st = os.stat(mine)
    with open(mine) as f:
        body = f.read()
    check(p.returncode == 3 and body == 'keep me' and st.st_uid == 0,
          'a pre-existing root-owned --pcap-out is neither truncated nor '
          'chowned (exit %d, owner %d)' % (p.returncode, st.st_uid))

    # the ordinary case still works, and the file is the user's from birth
    new = os.path.join(home, 'new.pcap')
    p = run(new, env)
    ok = p.returncode in (0, 1, 2) and os.path.exists(new)
    st = os.stat(new) if ok else None
    with open(new if ok else os.devnull, 'rb') as f:
        magic = f.read(4)
    check(ok and st.st_uid == USER and magic in (b'\xd4\xc3\xb2\xa1',
                                                 b'\xa1\xb2\xc3\xd4'),
          'a new --pcap-out is written, as a pcap owned by the sudo user '
          '(exit %d)' % p.returncode)

    # started as root without sudo: root becomes nobody, who cannot write a
    # folder only root may write
    rootdir = os.path.join(tmp, 'rootonly')
    os.mkdir(rootdir, 0o755)
    env2 = {k: v for k, v in os.environ.items()
            if k not in ('SUDO_UID', 'SUDO_GID', 'SUDO_USER')}
    p = run(os.path.join(rootdir, 'x.pcap'), env2)
    check(p.returncode == 3 and not os.path.exists(os.path.join(rootdir, 'x.pcap')),
          'as root without sudo, --pcap-out in a root-only folder is not '
          'created (exit %d)' % p.returncode)


def main():
    if os.geteuid() != 0 or not shutil.which('strace') or \
            not shutil.which('unshare'):
        print('needs root, strace and unshare: skipped')
        return 77
    tmp = tempfile.mkdtemp(prefix='xd-priv-')
    os.chmod(tmp, 0o755)
    try:
        obs = os.path.join(tmp, 'obs-in.json')
        with open(obs, 'wb') as f:
            subprocess.run([XD, 'listen', '--read', PCAP, '--format', 'json'],
                           stdout=f, check=True, timeout=60)
        os.chmod(obs, 0o644)
        probe = ['--target', '127.0.0.1', '--port', '9',
                 '--dns-server', '127.0.0.1:53', '--timeout-ms', '300',
                 '--format', 'json']
        snap_file = os.path.join(SNAP, 'xacct-doctor.json')
        order(tmp, 'check', ['check', '--snapshot', SNAP] + probe, snap_file,
              True)
        order(tmp, 'check --no-capture',
              ['check', '--snapshot', SNAP, '--no-capture'] + probe, snap_file,
              False)
        order(tmp, 'check --observations',
              ['check', '--snapshot', SNAP, '--observations', obs,
               '--no-probe', '--format', 'json'], obs, False)
        order(tmp, 'probe', ['probe'] + probe, None, True)
        order(tmp, 'listen --read', ['listen', '--read', PCAP, '--format',
                                     'json'], PCAP, False)
        pcap_out_cases(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == '__main__':
    sys.exit(main())
