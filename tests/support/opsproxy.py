"""Helpers for the operations tests: a `socialguard run` whose metrics port, mode and policy copy the test
chooses, a loopback TLS server with its own self-signed certificate, and a raw CONNECT+TLS client."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from support.proxies import ROOT, SOCIALGUARD, SocialguardProxy, free_port, wait_port


def copy_policy(dest: Path) -> Path:
    """A private copy of the shipped policy the test may edit."""
    shutil.copytree(ROOT / "policy", dest)
    return dest


@dataclass
class OpsProxy(SocialguardProxy):
    """`socialguard run` with its own metrics port; regular mode unless `upstream_port` is given."""

    upstream_port: int | None = None
    run_extra: list[str] = field(default_factory=list)       # e.g. ["--workers", "2"]
    events_at: Path | None = None                             # default: <workdir>/events
    node: str = "ops-test"
    metrics_port: int = 0
    # Regular mode reaches loopback test servers: let them through ("": operations.yaml decides).
    refuse_loopback: str = "false"

    def __post_init__(self):
        self.workdir.mkdir(parents=True, exist_ok=True)

    @property
    def events_dir(self) -> Path:
        return self.events_at or self.workdir / "events"

    @property
    def logfile(self) -> Path:
        return self.workdir / f"proxy-{self.port}.log"

    def command(self) -> list[str]:
        mitm = ["--set", f"confdir={self.confdir}", "--set", f"socialguard_metrics_port={self.metrics_port}",
                "--set", "ssl_insecure=true", "--set", f"socialguard_refuse_loopback={self.refuse_loopback}"]
        if self.upstream_port:
            mitm += ["--mode", f"upstream:http://127.0.0.1:{self.upstream_port}"]
        return [SOCIALGUARD, "run", "--policy", str(self.policy), "--events-dir", str(self.events_dir),
                "--listen-host", "127.0.0.1", "--listen-port", str(self.port), "--node", self.node,
                *self.run_extra, "--", *mitm, *self.mitm_extra]

    def start(self) -> "OpsProxy":
        self.port = self.port or free_port()
        self.metrics_port = self.metrics_port or free_port()
        self.seed_ca()
        log = open(self.logfile, "ab")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, env=env)
        log.close()
        try:
            wait_port(self.port, self.proc)
            wait_port(self.metrics_port, self.proc)
        except Exception as e:
            raise RuntimeError(f"{e}\n{self.log()}") from None
        return self

    def log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else ""

    def get(self, path: str, port: int | None = None) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port or self.metrics_port}{path}", timeout=5) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def health(self, port: int | None = None) -> tuple[int, dict]:
        status, body = self.get("/healthz", port)
        return status, json.loads(body)

    def metric(self, name: str, port: int | None = None, **labels: str) -> float:
        """One sample of the Prometheus text endpoint (0 when absent)."""
        from prometheus_client.parser import text_string_to_metric_families

        for family in text_string_to_metric_families(self.get("/metrics", port)[1]):
            for sample in family.samples:
                if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                    return sample.value
        return 0.0

    def wait_for(self, predicate, timeout: float = 15.0):
        """Poll `predicate()` until it is truthy; returns its last value."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.1)

    def send(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def read_head(sock) -> bytes:
    """Bytes up to the end of an HTTP head (or the connection's end)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def self_signed(workdir: Path, name: str) -> tuple[Path, Path, bytes]:
    """A self-signed certificate for `name`: (cert.pem, key.pem, DER bytes)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = workdir / f"{name}.crt", workdir / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path, cert.public_bytes(serialization.Encoding.DER)


class TlsServer:
    """A loopback HTTPS server with its own certificate that answers every request `200 ok`."""

    def __init__(self, workdir: Path, name: str = "upstream.test"):
        cert, key, self.der = self_signed(workdir, name)
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.requests = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            with self.ctx.wrap_socket(conn, server_side=True) as tls:
                tls.settimeout(5)
                if b"\r\n\r\n" not in read_head(tls):
                    return
                self.requests += 1
                tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        except (OSError, ssl.SSLError):
            pass

    def close(self) -> None:
        self.sock.close()


def connect_tls(proxy_port: int, target_port: int, sni: str, auth: str | None = None) -> tuple[bytes, bytes]:
    """CONNECT 127.0.0.1:target through the proxy, TLS with `sni`, one GET: (served certificate DER, response)."""
    sock = socket.create_connection(("127.0.0.1", proxy_port), timeout=10)
    head = f"CONNECT 127.0.0.1:{target_port} HTTP/1.1\r\nHost: 127.0.0.1:{target_port}\r\n"
    if auth:
        head += f"Proxy-Authorization: {auth}\r\n"
    sock.sendall((head + "\r\n").encode())
    reply = read_head(sock)
    if not reply.startswith(b"HTTP/1.1 200") and not reply.startswith(b"HTTP/1.0 200"):
        sock.close()
        raise ConnectionError(reply.split(b"\r\n", 1)[0].decode(errors="replace"))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with ctx.wrap_socket(sock, server_hostname=sni) as tls:
        der = tls.getpeercert(binary_form=True)
        tls.sendall(f"GET / HTTP/1.1\r\nHost: {sni}\r\nConnection: close\r\n\r\n".encode())
        body = b""
        while True:
            try:
                chunk = tls.recv(4096)
            except (ssl.SSLError, OSError):
                break
            if not chunk:
                break
            body += chunk
    return der, body
