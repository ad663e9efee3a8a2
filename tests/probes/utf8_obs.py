#!/usr/bin/python3
"""Issue 13 item 9: a probed server cannot make our own observations
unloadable. A loopback HTTP server answers with header bytes that are not
UTF-8 (Content-Type: text/\\xff\\xfe\\xc3(); `probe` writes its observations,
and `analyze --observations` must then load them (not exit 3 with
"invalid UTF-8"), with the bad bytes shown as U+FFFD.

Usage: utf8_obs.py XD_BIN SOURCE_DIR
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'aws'))
from checks import check, summary  # noqa: E402

XD, SRC = sys.argv[1], sys.argv[2]


def serve(sock):
    while True:
        try:
            c, _ = sock.accept()
        except OSError:
            return
        try:
            c.settimeout(5)
            c.recv(65536)
            c.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: text/\xff\xfe\xc3(\r\n'
                      b'Server: caf\xe9\r\nContent-Length: 2\r\n'
                      b'Connection: close\r\n\r\nok')
        except OSError:
            pass
        c.close()


def main():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    sock.listen(16)
    port = sock.getsockname()[1]
    threading.Thread(target=serve, args=(sock,), daemon=True).start()
    tmp = tempfile.mkdtemp(prefix='xd-utf8-')
    os.chmod(tmp, 0o1777)   # probe writes as the user it drops to
    try:
        obs = os.path.join(tmp, 'obs.json')
        p = subprocess.run([XD, 'probe', '--no-capture', '--target', '127.0.0.1',
                            '--port', str(port), '--format', 'json',
                            '--output', obs], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        check(p.returncode in (0, 2) and os.path.exists(obs),
              'probe wrote its observations (exit %d) %s'
              % (p.returncode, p.stderr.decode(errors='replace')[:200]))
        if not os.path.exists(obs):
            return 1
        with open(obs, 'rb') as f:
            raw = f.read()
        try:
            doc = json.loads(raw.decode('utf-8'))
            ok = True
        except UnicodeDecodeError:
            ok, doc = False, {}
        check(ok, 'the file we wrote is valid UTF-8')
        cts = [h.get('content_type') for h in doc.get('http', [])
               if h.get('content_type')]
        check(any('\ufffd' in c for c in cts),
              'the bad header bytes are kept as U+FFFD: %r' % cts)
        p = subprocess.run([XD, 'analyze', '--snapshot',
                            os.path.join(SRC, 'examples', 'broken'),
                            '--observations', obs, '--format', 'json'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        check(p.returncode in (0, 1, 2) and b'UTF-8' not in p.stderr,
              'analyze --observations loads it (exit %d) %s'
              % (p.returncode, p.stderr.decode(errors='replace')[:200]))
    finally:
        sock.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == '__main__':
    sys.exit(main())
