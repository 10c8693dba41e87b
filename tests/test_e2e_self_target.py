"""Through a real proxy (issue 14, point 7): a client cannot reach the proxy's own metrics/health or proxy port
through the proxy, however it spells the target, and (by policy) nothing on the proxy host's loopback."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support.opsproxy import OpsProxy, copy_policy, read_head

pytestmark = pytest.mark.e2e


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = b"loopback-only service\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_a):
        pass


@pytest.fixture
def loopback_service():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def _proxy(tmp_path, refuse_loopback: bool) -> OpsProxy:
    policy = copy_policy(tmp_path / "policy")
    ops = policy / "operations.yaml"
    ops.write_text(ops.read_text().replace("refuse_loopback: true", f"refuse_loopback: {str(refuse_loopback).lower()}"))
    return OpsProxy(tmp_path / "proxy", policy=policy, refuse_loopback="").start()     # the policy decides


def _absolute(proxy_port: int, url: str, host_header: str) -> bytes:
    with socket.create_connection(("127.0.0.1", proxy_port), timeout=10) as s:
        s.sendall(f"GET {url} HTTP/1.1\r\nHost: {host_header}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        return data


def _connect(proxy_port: int, target: str) -> bytes:
    """CONNECT to `target`, then a plain GET inside the tunnel: what came back."""
    with socket.create_connection(("127.0.0.1", proxy_port), timeout=10) as s:
        s.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        head = read_head(s)
        if not head.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
            return head
        s.sendall(f"GET /healthz HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        return head + data


def test_metrics_and_health_are_not_reachable_through_the_proxy(tmp_path):
    p = _proxy(tmp_path, refuse_loopback=False)
    try:
        m, own = p.metrics_port, p.port
        assert p.get("/healthz")[0] == 200                        # directly: fine
        spellings = ["127.0.0.1", "localhost", "LOCALHOST.", "127.1", "2130706433", "0x7f000001", "0.0.0.0",
                     "[::ffff:127.0.0.1]", "sg.localhost"]
        for host in spellings:
            for port in (m, own):
                answer = _absolute(own, f"http://{host}:{port}/healthz", f"{host}:{port}")
                assert answer.startswith(b"HTTP/1.1 403"), (host, port, answer[:200])
                assert b"events_dir" not in answer and b"socialguard_" not in answer
            tunnel = _connect(own, f"{host}:{m}")
            assert tunnel.startswith(b"HTTP/1.1 403"), (host, tunnel[:200])
            assert b"events_dir" not in tunnel
    finally:
        p.stop()


def test_loopback_services_are_refused_by_policy(tmp_path, loopback_service):
    p = _proxy(tmp_path, refuse_loopback=True)
    try:
        answer = _absolute(p.port, f"http://127.0.0.1:{loopback_service}/", f"127.0.0.1:{loopback_service}")
        assert answer.startswith(b"HTTP/1.1 403") and b"loopback-only" not in answer
        assert _connect(p.port, f"localhost:{loopback_service}").startswith(b"HTTP/1.1 403")
    finally:
        p.stop()
    q = _proxy(tmp_path / "allowed", refuse_loopback=False)
    try:
        answer = _absolute(q.port, f"http://127.0.0.1:{loopback_service}/", f"127.0.0.1:{loopback_service}")
        assert answer.split(b" ", 2)[1] == b"200" and b"loopback-only" in answer
    finally:
        q.stop()


def _name_resolving_to_loopback() -> str | None:
    """A host name (not `localhost`) that this machine resolves to 127.0.0.1, e.g. its own name in /etc/hosts."""
    from socialguard.destinations import is_loopback_name

    for name in (socket.gethostname(), socket.getfqdn(), "runsc", "vm"):
        try:
            if not is_loopback_name(name) and socket.gethostbyname(name).startswith("127."):
                return name
        except OSError:
            continue
    return None


def test_a_name_that_resolves_to_the_proxy_is_cut_off_before_its_answer(tmp_path):
    name = _name_resolving_to_loopback()
    if name is None:
        pytest.skip("no host name resolves to 127.0.0.1 on this machine")
    p = _proxy(tmp_path, refuse_loopback=False)
    try:
        answer = _absolute(p.port, f"http://{name}:{p.metrics_port}/healthz", f"{name}:{p.metrics_port}")
        assert b"events_dir" not in answer and b" 200 " not in answer.split(b"\r\n", 1)[0], answer[:300]
        assert p.metric("socialguard_refused_total", reason="self") >= 1
    finally:
        p.stop()
