#!/usr/bin/env python3
"""tests/httpd.py: a loopback HTTP server for the fetch tests.

    httpd.py ROOT PORTFILE [LOGFILE]

Serves files under ROOT on 127.0.0.1 (an ephemeral port, written to
PORTFILE once listening), honouring "Range: bytes=N-".  Every request is
appended to LOGFILE as "METHOD PATH RANGE".  Faults are chosen by the first
path component:

    /404/...        404 Not Found
    /500/...        500 Internal Server Error
    /flaky/N/...    500 for the first N requests of that path, then serves
    /reset/...      sends headers and half the body, then resets the socket
    /resetonce/...  like reset on the first request of a path, then serves
    /stall/...      sends headers and part of the body, then goes silent
    /norange/...    ignores Range (always 200 with the whole file)
    /badrange/...   answers a Range with 206 and a wrong Content-Range
    /redirect/...   302 to the same path without the prefix
    /wrong/...      serves the file with its bytes altered
    /big/...        serves the file with extra bytes appended
    /slow/...       serves the file in small chunks with pauses
    /trickle/...    sends headers, then 2 bytes a second, for ever
    /drip/...       sends 4 KiB every 0.1 s (40 KiB/s: slow, never stalled)

Anything else is a plain file under ROOT.
"""
import http.server
import os
import socket
import socketserver
import struct
import sys
import threading
import time

ROOT, PORTFILE = sys.argv[1], sys.argv[2]
LOG = sys.argv[3] if len(sys.argv) > 3 else None
lock = threading.Lock()
seen = {}


def count(path):
    with lock:
        seen[path] = seen.get(path, 0) + 1
        return seen[path]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_body(self, data, status=200, extra=None):
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Accept-Ranges", "bytes")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def head(self, status, length, extra):
        self.send_response(status)
        self.send_header("Content-Length", str(length))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()

    def fail(self, status):
        self.send_body(b"fault %d\n" % status, status)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        rng = self.headers.get("Range", "-")
        if LOG:
            with lock, open(LOG, "a") as f:
                f.write("%s %s %s\n" % (self.command, self.path, rng))
        parts = self.path.lstrip("/").split("/")
        fault = parts[0]
        n = count(self.path)
        if fault == "flaky":
            limit, rest = int(parts[1]), parts[2:]
        else:
            rest = parts[1:] if fault in FAULTS else parts
        name = os.path.normpath("/".join(rest)).lstrip("/")
        if name.startswith(".."):
            return self.fail(403)
        full = os.path.join(ROOT, name)
        if fault == "404":
            return self.fail(404)
        if fault == "500":
            return self.fail(500)
        if fault == "flaky" and n <= limit:
            return self.fail(500)
        if fault == "redirect":
            self.send_response(302)
            self.send_header("Location", "/" + name)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if not os.path.isfile(full):
            return self.fail(404)
        with open(full, "rb") as f:
            data = f.read()
        if fault == "wrong":
            data = bytes(b ^ 0x55 for b in data[:64]) + data[64:]
        if fault == "big":
            data = data + b"x" * 4096
        start = 0
        if rng.startswith("bytes=") and fault != "norange":
            try:
                start = int(rng[6:].split("-")[0])
            except ValueError:
                start = 0
        if start >= len(data) and start > 0:
            return self.send_body(b"", 416,
                                  {"Content-Range": "bytes */%d" % len(data)})
        body = data[start:]
        status = 206 if start else 200
        extra = {}
        if start:
            first = start + 7 if fault == "badrange" else start
            extra["Content-Range"] = "bytes %d-%d/%d" % (
                first, len(data) - 1, len(data))
        if fault in ("reset", "stall") or (fault == "resetonce" and n == 1):
            self.head(status, len(body), extra)
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if fault == "stall":
                time.sleep(30)
                return
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        paced = {"slow": (max(1, len(body) // 20), 0.05),
                 "trickle": (2, 1.0), "drip": (4096, 0.1)}
        if fault in paced:
            step, pause = paced[fault]
            self.head(status, len(body), extra)
            for i in range(0, len(body), step):
                self.wfile.write(body[i:i + step])
                self.wfile.flush()
                time.sleep(pause)
            return
        self.send_body(body, status, extra)


FAULTS = {"404", "500", "flaky", "reset", "resetonce", "stall", "norange",
          "badrange", "redirect", "wrong", "big", "slow", "trickle", "drip"}


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # resets are what the tests are about


srv = Server(("127.0.0.1", 0), Handler)
tmp = PORTFILE + ".tmp"
with open(tmp, "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(tmp, PORTFILE)
srv.serve_forever()
