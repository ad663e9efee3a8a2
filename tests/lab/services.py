#!/usr/bin/python3
"""The EMR primary node's services in the lab (stdlib only).

  services.py livy   --port 8998 [--tls-cert C --tls-key K]
  services.py hive   --port 10000 [--silent] [--tls-cert C --tls-key K]
                     [--addr A]
  services.py presto --port 8889
  services.py aws-api --port 443 --tls-cert C --tls-key K

livy: GET /sessions and /batches answer as Livy does with no sessions.
hive: HiveServer2's binary transport as strict as Thrift's
      TSaslServerTransport (authentication NONE: mechanism PLAIN): it reads
      one negotiation frame (status byte, 4-byte big-endian length,
      payload); a status that is no status (a TLS ClientHello's 0x16) or
      not START gets an ERROR frame, START with a mechanism other than
      PLAIN a BAD frame "Unsupported mechanism type <name>", and the
      connection is closed; after START PLAIN it waits for the next frame
      (credentials we never send). With --tls-cert/--tls-key the frames
      run inside TLS (hive.server2.use.SSL=true). --silent: the old
      stand-in, which accepts and never says a word (a peer that holds a
      probe for its whole identification budget).
presto: GET /v1/info answers as a Presto coordinator.
aws-api: the stand-in for the regional STS and EMR endpoints (control
      plane, issue 19): HTTPS, GET / answers as AWS does an unsigned call.
Every request is logged to stderr (the lab sends it to its log file).
hive writes READY_FILE (when set) once it listens, for the probe tests.
"""

import argparse
import http.server
import json
import os
import socket
import socketserver
import ssl
import sys
import threading

LIVY_EMPTY = {"from": 0, "total": 0, "sessions": []}
AWS_UNSIGNED = {"Error": {"Code": "MissingAuthenticationToken",
                          "Message": "Request is missing Authentication "
                          "Token"}}
PRESTO_INFO = {"nodeVersion": {"version": "0.287"}, "environment": "emr",
               "coordinator": True, "starting": False, "uptime": "1.00m"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "Jetty(9.4.51.v20230217)"
    sys_version = ""
    timeout = 15
    routes = {}

    def log_message(self, fmt, *args):
        log("%s %s" % (self.client_address[0], fmt % args))

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path in self.routes:
            self._send(200, self.routes[path])
        else:
            self._send(404, {"msg": "Not Found: %s" % path})

    do_HEAD = do_GET


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    tls = None

    def finish_request(self, request, client_address):
        # The handshake runs in the connection's own thread: a client that
        # connects and says nothing (a TCP probe) must not stall accept().
        if self.tls is not None:
            request.settimeout(10)
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError) as exc:
                log("%s tls handshake failed: %s" % (client_address[0], exc))
                return
            log("%s tls handshake done" % client_address[0])
        super().finish_request(request, client_address)


def serve_http(port, routes, cert=None, key=None):
    handler = type("H", (Handler,), {"routes": routes})
    srv = Server(("0.0.0.0", port), handler)
    if cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        srv.tls = ctx
    log("listening on %d%s" % (port, " (tls)" if cert else ""))
    srv.serve_forever()


class Silent(socketserver.BaseRequestHandler):
    def handle(self):
        peer = self.client_address[0]
        log("%s connected" % peer)
        self.request.settimeout(30)
        try:
            while self.request.recv(4096):
                pass
        except (socket.timeout, OSError):
            pass
        log("%s closed" % peer)


# Thrift's SASL negotiation status bytes (TSaslTransport, NegotiationStatus)
SASL_START, SASL_OK, SASL_BAD, SASL_ERROR, SASL_COMPLETE = 1, 2, 3, 4, 5
SASL_NAMES = {1: "START", 2: "OK", 3: "BAD", 4: "ERROR", 5: "COMPLETE"}
SASL_MAX_PAYLOAD = 104857600   # Thrift's own limit (100 MB)


def read_exact(sock, n):
    """n bytes, or None when the peer closes (or times out) first."""
    buf = b""
    while len(buf) < n:
        try:
            got = sock.recv(min(n - len(buf), 65536))
        except (socket.timeout, OSError):
            return None
        if not got:
            return None
        buf += got
    return buf


def sasl_frame(status, text):
    data = text.encode()
    return bytes([status]) + len(data).to_bytes(4, "big") + data


class Hive(socketserver.BaseRequestHandler):
    """TSaslServerTransport.open() up to the first frame's answer."""
    mechanisms = ("PLAIN",)
    tls = None

    def handle(self):
        peer = self.client_address[0]
        sock = self.request
        sock.settimeout(30)
        log("%s connected" % peer)
        if self.tls is not None:
            try:
                sock = self.tls.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError) as exc:
                log("%s tls handshake failed: %s" % (peer, exc))
                return
            log("%s tls handshake done" % peer)
        answer = self.negotiate(sock, peer)
        if answer is not None:
            try:
                sock.sendall(answer)
            except OSError:
                pass
        log("%s closed" % peer)

    def negotiate(self, sock, peer):
        """The frame to answer with before closing, or None."""
        head = read_exact(sock, 5)
        if head is None:
            return None
        # Java's byte and int are signed: the messages print them so
        status = head[0] - 256 if head[0] > 127 else head[0]
        length = int.from_bytes(head[1:5], "big", signed=True)
        if status not in SASL_NAMES:
            log("%s invalid status %d" % (peer, status))
            return sasl_frame(SASL_ERROR, "Invalid status %d" % status)
        if length < 0 or length > SASL_MAX_PAYLOAD:
            return sasl_frame(SASL_ERROR,
                              "Invalid payload header length: %d" % length)
        payload = read_exact(sock, length) if length else b""
        if payload is None:
            return None
        if status != SASL_START:
            return sasl_frame(SASL_ERROR, "Expecting START status, received "
                              "%s" % SASL_NAMES[status])
        mech = payload.decode("utf-8", "replace")
        if mech not in self.mechanisms:
            log("%s mechanism %r: BAD" % (peer, mech))
            return sasl_frame(SASL_BAD, "Unsupported mechanism type " + mech)
        # PLAIN: the client's credentials come next; we wait for them and
        # for nothing else
        log("%s mechanism %s: waiting for the next frame" % (peer, mech))
        read_exact(sock, 5)
        return None


class TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def listening(srv, what):
    """Say so in the log and, for the probe tests, in READY_FILE."""
    log("listening on %d%s" % (srv.server_address[1], what))
    path = os.environ.get("READY_FILE")
    if path:
        with open(path, "w") as f:
            f.write("ready\n")


def serve_silent(port, addr="0.0.0.0"):
    srv = TCPServer((addr, port), Silent)
    listening(srv, "")
    srv.serve_forever()


def serve_hive(port, cert=None, key=None, addr="0.0.0.0"):
    handler = Hive
    if cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        handler = type("HiveTLS", (Hive,), {"tls": ctx})
    srv = TCPServer((addr, port), handler)
    listening(srv, " (hiveserver2 thrift sasl%s)" % (", tls" if cert else ""))
    srv.serve_forever()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("service", choices=("livy", "hive", "presto", "aws-api"))
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--silent", action="store_true",
                    help="hive: accept and never say a word")
    ap.add_argument("--addr", default="0.0.0.0",
                    help="hive: the address to listen on")
    a = ap.parse_args()
    threading.current_thread().name = a.service
    if a.service == "livy":
        serve_http(a.port, {"/sessions": LIVY_EMPTY, "/batches": LIVY_EMPTY},
                   a.tls_cert, a.tls_key)
    elif a.service == "aws-api":
        serve_http(a.port, {"/": AWS_UNSIGNED}, a.tls_cert, a.tls_key)
    elif a.service == "presto":
        serve_http(a.port, {"/v1/info": PRESTO_INFO})
    elif a.silent:
        serve_silent(a.port, a.addr)
    else:
        serve_hive(a.port, a.tls_cert, a.tls_key, a.addr)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
