"""A fast loopback HTTPS origin for benchmarks: asyncio, keep-alive, answers every request with a fixed body.

Run as its own process so it never shares a core's event loop with the proxy or the load generator:
    python benchmarks/upstream.py --port-file FILE [--body-bytes N]
It writes its port to FILE once listening. Request bodies are read and discarded (Content-Length or chunked);
the answer is `200` with `--body-bytes` of JSON-ish text. Never connects anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import ssl
import sys
from pathlib import Path


IMITATED_HOSTS = ("www.example.org", "mastodon.social", "x.com", "bsky.social")


def self_signed_context(workdir: Path) -> ssl.SSLContext:
    """A throwaway certificate; the proxies under test run with ssl_insecure, so nobody verifies it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench-upstream")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            # Names the benchmarks imitate, for tunnels the proxy passes through (the client then checks this).
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in IMITATED_HOSTS]), critical=False)
            .sign(key, hashes.SHA256()))
    # The certificate alone, for clients that must trust it (TLS the proxy passes through untouched).
    (workdir / "upstream-cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem = workdir / "upstream.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pem)
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


async def _discard_body(reader: asyncio.StreamReader, headers: dict[bytes, bytes]) -> int:
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        total = 0
        while True:
            size = int((await reader.readline()).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                return total
            await reader.readexactly(size + 2)
            total += size
    left = int(headers.get(b"content-length", b"0") or 0)
    total = left
    while left:
        chunk = await reader.read(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("client went away mid-body")
        left -= len(chunk)
    return total


def make_handler(body: bytes):
    head = (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
            + str(len(body)).encode() + b"\r\n\r\n")
    response = head + body

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head_bytes = await reader.readuntil(b"\r\n\r\n")
                lines = head_bytes.split(b"\r\n")
                headers = {}
                for line in lines[1:]:
                    if b":" in line:
                        k, v = line.split(b":", 1)
                        headers[k.strip().lower()] = v.strip()
                await _discard_body(reader, headers)
                writer.write(response)
                await writer.drain()
                if headers.get(b"connection", b"").lower() == b"close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError, ValueError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    return handle


async def serve(port_file: Path, body_bytes: int, tls: bool) -> None:
    body = (b'{"ok":true,"pad":"' + b"x" * max(0, body_bytes - 20) + b'"}')[:max(body_bytes, 2)]
    workdir = port_file.parent
    ctx = self_signed_context(workdir) if tls else None
    server = await asyncio.start_server(make_handler(body), "127.0.0.1", 0, ssl=ctx, backlog=1024,
                                        limit=1 << 20)
    port = server.sockets[0].getsockname()[1]
    tmp = port_file.with_suffix(".tmp")
    tmp.write_text(str(port))
    os.replace(tmp, port_file)
    async with server:
        await server.serve_forever()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port-file", required=True, type=Path)
    ap.add_argument("--body-bytes", type=int, default=1024)
    ap.add_argument("--plain", action="store_true", help="plain HTTP instead of TLS")
    a = ap.parse_args()
    try:
        asyncio.run(serve(a.port_file, a.body_bytes, not a.plain))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
