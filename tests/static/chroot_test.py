#!/usr/bin/python3
"""A release binary of dist/ in an EMPTY chroot, as on a host that has
nothing of ours: the binary, the test data, /proc, /dev/null, /dev/urandom,
/tmp and (where a case needs it) /etc/hosts or a CA bundle. No /lib, no
/etc/passwd, no nsswitch.conf, no resolv.conf. Runs as an unprivileged uid
that no passwd file names (4242), except live capture, which runs as root
and must drop to the numeric fallback uid.

  chroot_test.py ARCH BINARY SOURCE_DIR

aarch64 runs under qemu-user (qemu-aarch64-static copied into the chroot:
it is static too); live capture there stops at qemu-user's missing
SIOCETHTOOL ioctl, which is reported as skipped, that case alone. Cases: --version; analyze examples/broken; listen --read
a real capture; an HTML report; probe of a name only in the chroot's
/etc/hosts (DNS, TCP, TLS, HTTP); fetch over HTTPS from the loopback AWS
trusting a CA found only at Amazon Linux's path, and failing clearly with
no CA; live listen as root in a network namespace. Needs root (chroot,
mounts); exits 77 (skipped) without it.
"""
import http.server
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'aws'))

from checks import check, summary  # noqa: E402

UID = 4242
AMZN_CA = 'etc/pki/tls/certs/ca-bundle.crt'
QEMU = '/usr/bin/qemu-aarch64-static'
# env -i clears PATH before it looks for the command: name it in full
CHROOT = shutil.which('chroot') or '/usr/sbin/chroot'

# mounts what the chroot needs in a private mount namespace (gone with it),
# then runs the rest of the command line
ENTER = r'''
r=$1; shift
mount -t proc proc "$r/proc" &&
mount --bind /dev/null "$r/dev/null" &&
mount --bind /dev/urandom "$r/dev/urandom" || exit 125
if [ -n "${XD_LO_UP:-}" ]; then ip link set lo up || exit 125; fi
if [ -n "${XD_TRAFFIC:-}" ]; then
  ( sleep 3; for i in 1 2 3; do
      python3 -c 'import socket,sys
s = socket.socket(); s.settimeout(1)
try: s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError: pass' "$XD_TRAFFIC"; sleep 0.3; done ) &
fi
exec "$@"
'''


class Result:
    def __init__(self, p):
        self.rc, self.out, self.err = p.returncode, p.stdout, p.stderr


def run(root, arch, argv, uid=UID, env=None, net=False, traffic=None,
        timeout=180):
    """argv run as /xacct-doctor inside the chroot, with only env."""
    prog = (['/qemu-aarch64-static'] if arch == 'aarch64' else []) + \
        ['/xacct-doctor'] + argv
    e = ['PATH=/', 'LANG=C', 'HOME=/tmp', 'TZ=UTC'] + \
        ['%s=%s' % kv for kv in (env or {}).items()]
    cmd = ['unshare', '--mount', '--propagation', 'private'] + \
        (['--net'] if net else []) + \
        ['sh', '-c', ENTER, 'enter', root, 'env', '-i'] + e + \
        [CHROOT, '--userspec=%d:%d' % (uid, uid), '--groups=%d' % uid,
         root] + prog
    host_env = dict(os.environ)
    if net:
        host_env['XD_LO_UP'] = '1'
    if traffic:
        host_env['XD_TRAFFIC'] = str(traffic)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                       env=host_env)
    if p.returncode == 125:
        print(p.stderr)
    return Result(p)


def make_root(tmp, arch, binary, src):
    root = os.path.join(tmp, 'root')
    for d in ('proc', 'dev', 'tmp', 'data', 'etc'):
        os.makedirs(os.path.join(root, d))
    os.chmod(os.path.join(root, 'tmp'), 0o1777)
    for d in ('null', 'urandom'):
        open(os.path.join(root, 'dev', d), 'w').close()
    shutil.copy(binary, os.path.join(root, 'xacct-doctor'))
    os.chmod(os.path.join(root, 'xacct-doctor'), 0o755)
    if arch == 'aarch64':
        shutil.copy(QEMU, os.path.join(root, 'qemu-aarch64-static'))
    shutil.copytree(os.path.join(src, 'examples', 'broken'),
                    os.path.join(root, 'data', 'broken'))
    shutil.copy(os.path.join(src, 'tests', 'fixtures', 'pcap',
                             'handshakes-en10mb.pcap'),
                os.path.join(root, 'data', 'handshakes.pcap'))
    # only the names this test serves, all on loopback
    with open(os.path.join(root, 'etc', 'hosts'), 'w') as f:
        f.write('127.0.0.1 emr-primary.chroot.test aws.chroot.test\n')
    for dirpath, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(dirpath, n)
            if not os.path.islink(p) and not p.startswith(
                    os.path.join(root, 'dev')):
                os.chmod(p, os.stat(p).st_mode | 0o444 |
                         (0o111 if os.path.isdir(p) else 0))
    for n in ('passwd', 'group', 'nsswitch.conf', 'resolv.conf'):
        check(not os.path.exists(os.path.join(root, 'etc', n)),
              'the chroot has no /etc/%s' % n)
    check(not os.path.exists(os.path.join(root, 'lib')), 'the chroot has no /lib')
    return root


def make_pki(tmp):
    """A CA and a server certificate for aws.chroot.test (openssl CLI)."""
    def ossl(*a):
        subprocess.run(['openssl'] + list(a), check=True, cwd=tmp,
                       capture_output=True)
    ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
         '-subj', '/CN=xacct-doctor chroot test CA', '-keyout', 'ca.key',
         '-out', 'ca.crt', '-addext', 'basicConstraints=critical,CA:TRUE',
         '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
    ossl('req', '-newkey', 'rsa:2048', '-nodes', '-subj',
         '/CN=aws.chroot.test', '-keyout', 'srv.key', '-out', 'srv.csr')
    with open(os.path.join(tmp, 'ext'), 'w') as f:
        f.write('subjectAltName=DNS:aws.chroot.test,'
                'DNS:emr-primary.chroot.test\n')
    ossl('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey',
         'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext',
         '-out', 'srv.crt')
    return os.path.join(tmp, 'ca.crt'), os.path.join(tmp, 'srv.crt'), \
        os.path.join(tmp, 'srv.key')


def start_https_aws(crt, key):
    import fake_aws
    import world as W
    w, roles = W.build()
    fake = fake_aws.FakeAWS(w, roles).start()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(crt, key)
    # the same loopback AWS, behind TLS: the socket is wrapped before any
    # client connects (the listening descriptor stays the same)
    fake.httpd.socket = ctx.wrap_socket(fake.httpd.socket, server_side=True)
    creds = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/admin' % W.STUDIO,
                           'static', token=False)
    return fake, creds, W


def start_http():
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b'{"sessions": []}'
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass
    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass   # the probe's TLS hello on this plain port is reset: fine
    srv = Quiet(('127.0.0.1', 0), H)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    arch, binary, src = sys.argv[1], sys.argv[2], sys.argv[3]
    if os.geteuid() != 0:
        print('SKIP: the chroot test needs root (chroot, mount)')
        return 77
    if not os.path.isfile(binary):
        print('FAIL: %s does not exist: sh scripts/build-static.sh builds it'
              % binary)
        return 1
    if arch == 'aarch64' and not os.path.isfile(QEMU):
        print('FAIL: %s missing (qemu-user-static, scripts/deps.d/static.txt)'
              % QEMU)
        return 1
    tmp = tempfile.mkdtemp(prefix='xd-chroot-')
    os.chmod(tmp, 0o755)
    try:
        root = make_root(tmp, arch, binary, src)
        cases(root, arch, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


def cases(root, arch, tmp):
    r = run(root, arch, ['--version'])
    check(r.rc == 0 and 'static' in r.out and 'OpenSSL 3' in r.out and
          'c-ares (libcurl and probes)' in r.out,
          '--version runs, says static and names its libraries: %r' % r.out)

    r = run(root, arch, ['analyze', '--snapshot', '/data/broken'])
    check(r.rc == 2 and 'CRITICAL' in r.out,
          'analyze examples/broken: exit 2, CRITICAL (rc %d, %s)'
          % (r.rc, r.err.strip()[-300:]))

    r = run(root, arch, ['listen', '--read', '/data/handshakes.pcap'])
    check(r.rc == 0 and '12 flows.' in r.out and 'refused (RST)' in r.out,
          'listen --read a real capture: 12 flows (rc %d, %s)'
          % (r.rc, r.err.strip()[-300:]))

    r = run(root, arch, ['analyze', '--snapshot', '/data/broken', '--format',
                         'html', '--output', '/tmp/report.html'])
    html = os.path.join(root, 'tmp', 'report.html')
    body = open(html).read() if os.path.exists(html) else ''
    check(r.rc == 2 and body.startswith('<!DOCTYPE html>') and
          '</html>' in body, 'an HTML report is written (rc %d)' % r.rc)

    ca, crt, key = make_pki(tmp)
    fake, creds, W = start_https_aws(crt, key)
    web = start_http()
    try:
        # DNS from the chroot's /etc/hosts (no resolv.conf, no NSS), TCP,
        # TLS on the HTTPS port, HTTP on the plain one
        hp = web.server_address[1]
        r = run(root, arch, ['probe', '--target', 'emr-primary.chroot.test',
                             '--port', '%d,%d' % (hp, fake.port),
                             '--no-capture', '--timeout-ms', '3000'])
        check(r.rc in (0, 1, 2) and '/etc/hosts' in r.out and
              '127.0.0.1' in r.out and r.out.count(' open ') >= 2,
              'probe resolves a name only in the chroot /etc/hosts and finds '
              'both ports open (rc %d)\n%s%s' % (r.rc, r.out, r.err[-400:]))
        check('TLS' in r.out and 'HTTP' in r.out,
              'probe reports TLS and HTTP for the name')

        env = {'AWS_ACCESS_KEY_ID': creds.akid,
               'AWS_SECRET_ACCESS_KEY': creds.secret,
               'AWS_DEFAULT_REGION': W.REGION,
               'AWS_ENDPOINT_URL': 'https://aws.chroot.test:%d' % fake.port,
               'AWS_CONFIG_FILE': '/tmp/no-config',
               'AWS_SHARED_CREDENTIALS_FILE': '/tmp/no-credentials',
               'AWS_EC2_METADATA_DISABLED': 'true'}
        # no CA anywhere: refused before any request, naming what was tried
        before = fake.requests
        r = run(root, arch, ['fetch', '--out', '/tmp/snap-noca'], env=env)
        check(r.rc == 3 and 'no CA certificates' in r.err and
              '/etc/pki/tls/certs/ca-bundle.crt' in r.err and
              '/etc/ssl/certs/ca-certificates.crt' in r.err,
              'fetch without a CA: exit 3, says which bundles it looked for '
              '(rc %d, %s)' % (r.rc, r.err.strip()[-500:]))
        check(fake.requests == before, 'no request went out without a CA')
        check(not os.path.exists(os.path.join(root, 'tmp', 'snap-noca')),
              'no partial snapshot without a CA')

        # the CA only where Amazon Linux keeps its bundle
        os.makedirs(os.path.dirname(os.path.join(root, AMZN_CA)))
        shutil.copy(ca, os.path.join(root, AMZN_CA))
        for d in ('etc/pki', 'etc/pki/tls', 'etc/pki/tls/certs'):
            os.chmod(os.path.join(root, d), 0o755)
        os.chmod(os.path.join(root, AMZN_CA), 0o644)
        r = run(root, arch, ['fetch', '--out', '/tmp/snap'], env=env)
        snap = os.path.join(root, 'tmp', 'snap')
        check(r.rc in (0, 1) and os.path.isdir(snap) and os.listdir(snap),
              'fetch over HTTPS trusting the Amazon Linux CA path writes a '
              'snapshot (rc %d, %s)' % (r.rc, r.err.strip()[-500:]))
        check(fake.requests > before and fake.signature_failures == 0,
              'the loopback AWS answered over TLS, every signature verified')
    finally:
        fake.stop()
        web.shutdown()

    # live capture as root, in a network namespace of its own: the SYNs to
    # a closed port and their RSTs are seen; root is dropped to 65534 since
    # the chroot has no passwd file
    port = free_port()
    r = run(root, arch, ['listen', '--interface', 'lo', '--port', str(port),
                         '--duration', '6'], uid=0, net=True, traffic=port)
    if arch == 'aarch64' and r.rc == 3 and 'SIOCETHTOOL' in r.err and \
            'Function not implemented' in r.err:
        # qemu-user does not translate the ethtool ioctl libpcap asks when
        # it opens a live interface; on an aarch64 kernel it is there. Only
        # this exact emulator refusal is let through, and it is said.
        print('skip live listen under qemu-user: %s' % r.err.strip())
        return
    check(r.rc in (0, 1, 2) and ':%d' % port in r.out and 'RST' in r.out,
          'live listen as root sees the handshakes (rc %d)\n%s%s'
          % (r.rc, r.out, r.err[-400:]))
    check('65534' in r.err, 'root was dropped to the numeric uid 65534, and '
          'it says so: %r' % r.err[-300:])


if __name__ == '__main__':
    sys.exit(main())
