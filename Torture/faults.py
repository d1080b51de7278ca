"""Flaky APIs: a fault-injecting HTTP proxy on 127.0.0.1 between tend and moto_server."""
import http.client
import random
import socket
import socketserver
import struct
import threading
import time

KINDS = ["503", "429", "throttling", "reset-before", "reset-after", "stall", "truncated"]


def _read_request(sock):
    """(request line + headers bytes, body bytes) of one HTTP/1.1 request, or None at EOF."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return head, rest[:length]


def _reset(sock):
    """Closes with RST rather than FIN: a connection reset as the client sees it."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _action(head, body):
    text = body.decode(errors="replace")
    for part in text.split("&"):
        if part.startswith("Action="):
            return part[len("Action="):]
    line = head.split(b"\r\n")[0].decode(errors="replace")
    return line.split(" ")[0] + " s3"


class FaultProxy:
    """Forwards each request to moto; `rate` of them meet a fault of one of `kinds` (seeded). `force` maps an action
    to a terminal fault ("403", "400") injected on its first request."""

    def __init__(self, upstream_port, kinds, rate, seed, stall_seconds=3.0, force=None):
        self.upstream_port, self.kinds, self.rate = upstream_port, list(kinds), rate
        self.rng = random.Random(seed)
        self.stall_seconds = stall_seconds
        self.force = dict(force or {})
        self.lock = threading.Lock()
        self.injected = {}
        self.requests = 0
        self.seen = {}
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                proxy._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def _pick(self, action):
        with self.lock:
            self.requests += 1
            self.seen[action] = self.seen.get(action, 0) + 1
            if action in self.force:
                fault = self.force.pop(action)
            elif self.kinds and self.rng.random() < self.rate:
                fault = self.rng.choice(self.kinds)
            else:
                return None
            self.injected[fault] = self.injected.get(fault, 0) + 1
            return fault

    def _forward(self, head, body):
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() not in ("connection", "keep-alive"):
                headers[name.strip()] = value.strip()
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            out = [f"HTTP/1.1 {response.status} {response.reason}"]
            for name, value in response.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    out.append(f"{name}: {value}")
            return out, payload
        finally:
            conn.close()

    @staticmethod
    def _answer(sock, status, reason, body, extra=()):
        head = [f"HTTP/1.1 {status} {reason}", "Content-Type: text/xml", f"Content-Length: {len(body)}", "Connection: close", *extra]
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    def _serve(self, sock):
        try:
            request = _read_request(sock)
            if request is None:
                return
            head, body = request
            action = _action(head, body)
            fault = self._pick(action)
            if fault == "reset-before":
                return _reset(sock)
            if fault == "503":
                return self._answer(sock, 503, "Service Unavailable",
                                    b"<Error><Code>ServiceUnavailable</Code><Message>injected</Message></Error>")
            if fault == "429":
                return self._answer(sock, 429, "Too Many Requests",
                                    b"<Error><Code>TooManyRequestsException</Code><Message>injected</Message></Error>",
                                    extra=("Retry-After: 1",))
            if fault == "throttling":
                if action.endswith(" s3"):
                    return self._answer(sock, 503, "Slow Down", b"<Error><Code>SlowDown</Code><Message>injected</Message></Error>")
                return self._answer(sock, 400, "Bad Request",
                                    b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>")
            if fault == "403":
                return self._answer(sock, 403, "Forbidden",
                                    b"<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>injected denial</Message></Error></Errors></Response>")
            if fault == "400":
                return self._answer(sock, 400, "Bad Request",
                                    b"<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>injected validation error</Message></Error></Errors></Response>")
            if fault == "stall":
                time.sleep(self.stall_seconds)
                return _reset(sock)
            status_lines, payload = self._forward(head, body)
            if fault == "reset-after":
                return _reset(sock)
            if fault == "truncated" and len(payload) > 1:
                head_text = "\r\n".join(status_lines + [f"Content-Length: {len(payload)}", "Connection: close"]) + "\r\n\r\n"
                sock.sendall(head_text.encode() + payload[: len(payload) // 2])
                return _reset(sock)
            head_text = "\r\n".join(status_lines + [f"Content-Length: {len(payload)}", "Connection: close"]) + "\r\n\r\n"
            sock.sendall(head_text.encode() + payload)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            try:
                sock.close()
            except OSError:
                pass
