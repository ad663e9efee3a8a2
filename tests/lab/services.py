#!/usr/bin/python3
"""The EMR primary node's services in the lab (stdlib only).

  services.py livy   --port 8998 [--tls-cert C --tls-key K]
  services.py hive   --port 10000
  services.py presto --port 8889
  services.py aws-api --port 443 --tls-cert C --tls-key K

livy: GET /sessions and /batches answer as Livy does with no sessions.
hive: accepts and stays silent until the client closes (a HiveServer2
      Thrift port speaks only after the client's first message).
presto: GET /v1/info answers as a Presto coordinator.
aws-api: the stand-in for the regional STS and EMR endpoints (control
      plane, issue 19): HTTPS, GET / answers as AWS does an unsigned call.
Every request is logged to stderr (the lab sends it to its log file).
"""

import argparse
import http.server
import json
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


class TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve_silent(port):
    srv = TCPServer(("0.0.0.0", port), Silent)
    log("listening on %d" % port)
    srv.serve_forever()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("service", choices=("livy", "hive", "presto", "aws-api"))
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    a = ap.parse_args()
    threading.current_thread().name = a.service
    if a.service == "livy":
        serve_http(a.port, {"/sessions": LIVY_EMPTY, "/batches": LIVY_EMPTY},
                   a.tls_cert, a.tls_key)
    elif a.service == "aws-api":
        serve_http(a.port, {"/": AWS_UNSIGNED}, a.tls_cert, a.tls_key)
    elif a.service == "presto":
        serve_http(a.port, {"/v1/info": PRESTO_INFO})
    else:
        serve_silent(a.port)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
