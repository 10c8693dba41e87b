"""Loopback servers that misbehave on purpose, and a `socialguard run` in regular mode that can reach them.

`FaultyServer(behaviour)` listens on 127.0.0.1 in a thread:
  ok           answers 200 with a small JSON body (plain HTTP, one request per connection)
  reset        reads the request head, then closes with RST (SO_LINGER 0)
  silent       reads the request and never answers (until the test ends)
  garbage      answers with bytes that are not HTTP
  huge_header  answers 200 with a 256 KiB header
  not_tls      for HTTPS: answers the TLS ClientHello with garbage
"""

from __future__ import annotations

import os
import socket
import socketserver
import struct
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .proxies import MITMDUMP, SOCIALGUARD, SocialguardProxy, free_port, wait_port

BEHAVIOURS = ("ok", "reset", "silent", "garbage", "huge_header", "not_tls")


def _read_head(sock: socket.socket, limit: int = 1 << 20) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        behaviour = self.server.behaviour  # type: ignore[attr-defined]
        sock.settimeout(30)
        try:
            if behaviour == "not_tls":
                sock.recv(4096)
                sock.sendall(b"this is not TLS\r\n" * 8)
                return
            head = _read_head(sock)
            if behaviour == "reset":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if behaviour == "silent":
                self.server.stop_event.wait(60)  # type: ignore[attr-defined]
                return
            if behaviour == "garbage":
                sock.sendall(b"\x00\x01NOT HTTP AT ALL\r\n\r\n")
                return
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = head.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in head else b""
            while len(body) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                body += chunk
            payload = b'{"ok": true, "body_len": %d}' % len(body)
            extra = b"X-Huge: " + b"h" * (256 * 1024) + b"\r\n" if behaviour == "huge_header" else b""
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n" + extra
                         + b"Content-Length: %d\r\n\r\n" % len(payload) + payload)
        except OSError:
            pass


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@dataclass
class FaultyServer:
    behaviour: str
    port: int = 0
    _server: _Server | None = None

    def start(self) -> "FaultyServer":
        assert self.behaviour in BEHAVIOURS, self.behaviour
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.behaviour = self.behaviour  # type: ignore[attr-defined]
        self._server.stop_event = threading.Event()  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.stop_event.set()  # type: ignore[attr-defined]
            self._server.shutdown()
            self._server.server_close()


def closed_port() -> int:
    """A loopback port with nothing listening (connections are refused)."""
    return free_port()


@dataclass
class RegularProxy(SocialguardProxy):
    """`socialguard run` (or bare mitmdump) in regular mode: it connects to whatever the client names, so tests can
    point it at FaultyServers, and benchmarks at their loopback origin. Everything else as SocialguardProxy;
    `upstream_port` is unused. `quiet` adds mitmdump's -q; `log_path` sends output to a file instead of a pipe
    (a pipe nobody reads would block a proxy under sustained load)."""

    upstream_port: int = 0
    metrics_port: int = 0                      # 0: any free port (the log says which)
    quiet: bool = False
    log_path: Path | None = None
    # Its origins are loopback servers: let them through (operations.yaml refuses the loopback by default).
    refuse_loopback: str = "false"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> "RegularProxy":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        mitm = ["--set", "ssl_insecure=true", "--set", f"confdir={self.confdir}", *self.mitm_extra]
        if self.quiet:
            mitm.insert(0, "-q")               # `socialguard run` sets flow_detail=0 itself; -q does it for both
        if self.bare:
            args = [MITMDUMP, "--listen-host", "127.0.0.1", "--listen-port", str(self.port), *mitm]
        else:
            args = [SOCIALGUARD, "run", "--policy", str(self.policy), "--events-dir", str(self.events_dir),
                    "--listen-host", "127.0.0.1", "--listen-port", str(self.port), "--node", "test-node",
                    # metrics on a free port, as SocialguardProxy does: proxies never fight over the policy's one
                    *self.extra, "--", "--set", f"socialguard_metrics_port={self.metrics_port}",
                    "--set", f"socialguard_refuse_loopback={self.refuse_loopback}", *mitm]
        out = open(self.log_path, "wb") if self.log_path else subprocess.PIPE
        self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, PYTHONUNBUFFERED="1"))
        if self.log_path:
            out.close()                        # the child holds its own descriptor
        wait_port(self.port, self.proc, timeout=60)
        deadline = time.monotonic() + 10
        while not self.ca.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self


def raw_request(proxy_port: int, data: bytes, *, read: bool = True, timeout: float = 10.0) -> bytes:
    """Send bytes to the proxy on a fresh connection and return whatever comes back until close/timeout."""
    with socket.create_connection(("127.0.0.1", proxy_port), timeout=timeout) as s:
        s.sendall(data)
        if not read:
            return b""
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
                if b"\r\n\r\n" in out and _complete(out):
                    break
        except (TimeoutError, ConnectionResetError):
            pass
        return out


def _complete(resp: bytes) -> bool:
    head, _, body = resp.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return False



def https_get_via_proxy(proxy, port: int, sni: str, path: str, timeout: float = 20.0) -> bytes:
    """GET https://<sni><path> through the proxy's CONNECT tunnel to 127.0.0.1:<port>, trusting the proxy's CA.

    The TLS SNI names the imitated site, so the proxy's TLS pass-through choice (made on the SNI) sees a social
    host while the connection goes to a loopback server. Returns the raw response (b"" if the tunnel failed)."""
    import ssl

    ctx = ssl.create_default_context(cafile=str(proxy.ca))
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=timeout) as raw:
        raw.sendall(f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        if not _read_head(raw).startswith(b"HTTP/1.1 200"):
            return b""
        with ctx.wrap_socket(raw, server_hostname=sni) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: {sni}\r\nConnection: close\r\n\r\n".encode())
            out = b""
            while chunk := s.recv(65536):
                out += chunk
            return out
