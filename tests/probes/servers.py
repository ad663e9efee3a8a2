#!/usr/bin/python3
"""Servers for the probe tests, run inside the server namespace that
netns_env.sh builds. Each mode binds its sockets, then writes READY_FILE
(when given) so the shell knows it may start probing.

  http ADDR           Livy-like /sessions on 8998, Presto-like /v1/info on
                      8889, YARN-like on 8088, Spark history on 18080, 401
                      on 8401, an endless body on 8999
  silent ADDR PORT..  accept TCP connections and never say a word
  dns ADDR PORT MODE  UDP "DNS": silent (never answers), garbage (answers
                      with the query's id followed by junk), malformed
                      (a correct header and question, a cut-off answer),
                      servfail / refused (that rcode, no answer)
  listen ADDR FIRST COUNT   accept-and-close listeners on COUNT ports
  babble ADDR PORT..  accept and send an SSH banner at once, whatever the
                      client says (something else than the service the
                      port number suggests)
"""
import json
import os
import selectors
import socket
import socketserver
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def ready():
    path = os.environ.get("READY_FILE")
    if path:
        with open(path + ".tmp", "w") as f:
            f.write("ok\n")
        os.rename(path + ".tmp", path)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    role = "livy"

    def log_message(self, *args):
        pass

    def send_json(self, code, obj, extra=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        role = self.server.role
        if role == "livy" and self.path == "/sessions":
            self.send_json(200, {"from": 0, "total": 0, "sessions": []})
        elif role == "presto" and self.path == "/v1/info":
            self.send_json(200, {"nodeVersion": {"version": "0.287-test"},
                                 "environment": "test", "coordinator": True,
                                 "starting": False, "uptime": "1.00m"})
        elif role == "yarn" and self.path == "/ws/v1/cluster/info":
            self.send_json(200, {"clusterInfo": {"id": 1, "state": "STARTED",
                                                 "haState": "ACTIVE"}})
        elif role == "spark" and self.path == "/api/v1/applications":
            self.send_json(200, [{"id": "application_1_0001", "name": "x",
                                  "attempts": []}])
        elif role == "auth":
            self.send_json(401, {"message": "authentication required"},
                           {"WWW-Authenticate": "Negotiate"})
        elif role == "endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            chunk = b"[" + b"0," * 32767
            try:
                while True:
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        else:
            self.send_json(404, {"error": "not found"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve_http(addr):
    roles = {8998: "livy", 8889: "presto", 8088: "yarn", 18080: "spark",
             8401: "auth", 8999: "endless"}
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    servers = []
    for port, role in roles.items():
        Server.address_family = family
        s = Server((addr, port), Handler)
        s.role = role
        servers.append(s)
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    ready()
    threading.Event().wait()


def listeners(addr, ports):
    """A selector over one listening socket per port."""
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    sel = selectors.DefaultSelector()
    for p in ports:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, p))
        s.listen(128)
        sel.register(s, selectors.EVENT_READ)
    return sel


def serve_silent(addr, ports, banner=None):
    sel = listeners(addr, ports)
    held = []
    ready()
    while True:
        for key, _ in sel.select():
            conn, _ = key.fileobj.accept()
            if banner:
                try:
                    conn.sendall(banner)
                except OSError:
                    pass
            held.append(conn)          # keep it open, say nothing (more)
            if len(held) > 2000:
                held.pop(0).close()


def serve_listen(addr, first, count):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    sel = selectors.DefaultSelector()
    for p in range(first, first + count):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, p))
        s.listen(1024)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    ready()
    while True:
        for key, _ in sel.select():
            try:
                conn, _ = key.fileobj.accept()
                conn.close()
            except BlockingIOError:
                pass


def question_end(q):
    """Offset just past the question section of query q."""
    i = 12
    while i < len(q) and q[i] != 0:
        i += q[i] + 1
    return i + 1 + 4


def serve_dns(addr, port, mode):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((addr, port))
    ready()
    while True:
        q, peer = s.recvfrom(2048)
        if len(q) < 12 or mode == "silent":
            continue
        if mode == "garbage":
            s.sendto(q[:2] + os.urandom(40), peer)
        elif mode == "malformed":
            end = question_end(q)
            flags = 0x8180   # response, RD, RA, NOERROR
            hdr = q[:2] + struct.pack(">HHHHH", flags, 1, 1, 0, 0)
            # an answer record that claims 4 bytes of data and has 1
            rr = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + b"\x0a"
            s.sendto(hdr + q[12:end] + rr, peer)
        elif mode in ("servfail", "refused"):
            end = question_end(q)
            flags = 0x8180 | (2 if mode == "servfail" else 5)
            hdr = q[:2] + struct.pack(">HHHHH", flags, 1, 0, 0, 0)
            s.sendto(hdr + q[12:end], peer)


def main():
    mode = sys.argv[1]
    if mode == "http":
        serve_http(sys.argv[2])
    elif mode == "silent":
        serve_silent(sys.argv[2], [int(p) for p in sys.argv[3:]])
    elif mode == "babble":
        serve_silent(sys.argv[2], [int(p) for p in sys.argv[3:]],
                     b"SSH-2.0-OpenSSH_9.6\r\n")
    elif mode == "dns":
        serve_dns(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif mode == "listen":
        serve_listen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
