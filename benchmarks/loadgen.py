"""Load generator for the benchmarks: a separate process, asyncio + ssl, HTTPS through an HTTP proxy via CONNECT.

Why not wrk/hey/h2load: wrk cannot tunnel HTTPS through a proxy (CONNECT), hey and h2load are not in Debian's
default set here, and Python HTTP clients (httpx, requests) spend more CPU per request than the proxy under test.
With `--reverse` the proxy runs mitmproxy's reverse mode: TLS straight to it (SNI and `Host` of the imitated
site), no CONNECT. This client opens `--connections` keep-alive tunnels (CONNECT 127.0.0.1:<upstream>, then TLS with SNI = the
`--host` being imitated, trusting only the proxy's CA) and sends requests back to back; the `Host` header names
the social or non-social site, which is what the proxy classifies on. Prints one JSON object on stdout.

Kinds of work, run together when several are given:
  --connections N       N workers sending METHOD PATH (with --body-bytes of JSON) for --duration seconds
  --upload-file F       plus --upload-connections workers posting F as multipart to --upload-path, in a loop
  --once                instead: each upload worker posts F once, then the run ends (the 200 MB case)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import ssl
import sys
import time
from pathlib import Path

CHUNK = 1 << 20
BOUNDARY = b"socialguardbenchboundary7e3f"


def percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[i]


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.bytes_sent = 0
        self.first_error = ""

    def summary(self, elapsed: float) -> dict:
        lat = sorted(self.latencies)
        return {
            "requests": len(lat), "errors": self.errors, "elapsed": elapsed,
            "rps": len(lat) / elapsed if elapsed > 0 else 0.0,
            "p50_ms": percentile(lat, 0.50) * 1000 if lat else None,
            "p99_ms": percentile(lat, 0.99) * 1000 if lat else None,
            "max_ms": lat[-1] * 1000 if lat else None,
            "mb_sent": self.bytes_sent / 1e6, "first_error": self.first_error,
        }


async def open_tunnel(a, host: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    ctx = ssl.create_default_context(cafile=a.ca) if a.ca else ssl._create_unverified_context()
    if a.proxy_port and a.reverse:
        # A reverse proxy: TLS straight to it, with the imitated site's name; it forwards to the origin.
        return await asyncio.open_connection("127.0.0.1", a.proxy_port, ssl=ctx, server_hostname=host,
                                             limit=1 << 20)
    if a.proxy_port:
        reader, writer = await asyncio.open_connection("127.0.0.1", a.proxy_port, limit=1 << 20)
        writer.write(f"CONNECT 127.0.0.1:{a.upstream_port} HTTP/1.1\r\nHost: 127.0.0.1:{a.upstream_port}\r\n\r\n"
                     .encode())
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200") and not head.startswith(b"HTTP/1.0 200"):
            raise ConnectionError(f"CONNECT refused: {head[:80]!r}")
        await writer.start_tls(ctx, server_hostname=host)
        return reader, writer
    return await asyncio.open_connection("127.0.0.1", a.upstream_port, ssl=ctx, server_hostname=host,
                                         limit=1 << 20)


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = None
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        k = k.strip().lower()
        if k == b"content-length":
            length = int(v.strip())
        elif k == b"transfer-encoding" and b"chunked" in v.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b""):
                    pass
                break
            await reader.readexactly(size + 2)
    elif length:
        await reader.readexactly(length)
    return status


def request_head(method: str, host: str, path: str, ctype: str | None, length: int) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "User-Agent: socialguard-bench/1",
             "Accept: application/json"]
    if ctype:
        lines.append(f"Content-Type: {ctype}")
    if length or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def request_worker(a, stats: Stats, deadline: float, body: bytes) -> None:
    ctype = "application/json" if body else None
    msg = request_head(a.method, a.host, a.path, ctype, len(body)) + body
    while time.monotonic() < deadline:
        try:
            reader, writer = await open_tunnel(a, a.host)
        except Exception as e:  # noqa: BLE001 - a benchmark counts failures, it does not stop on them
            stats.errors += 1
            stats.first_error = stats.first_error or repr(e)
            await asyncio.sleep(0.05)
            continue
        try:
            while time.monotonic() < deadline:
                t0 = time.perf_counter()
                writer.write(msg)
                status = await read_response(reader)
                if status >= 400:
                    stats.errors += 1
                    stats.first_error = stats.first_error or f"HTTP {status}"
                else:
                    stats.latencies.append(time.perf_counter() - t0)
        except Exception as e:  # noqa: BLE001
            stats.errors += 1
            stats.first_error = stats.first_error or repr(e)
        finally:
            writer.close()


def multipart_parts(path: Path, ctype: str) -> tuple[bytes, bytes, int]:
    pre = (b"--" + BOUNDARY + b"\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nbench upload\r\n"
           + b"--" + BOUNDARY + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
           + path.name.encode() + b"\"\r\nContent-Type: " + ctype.encode() + b"\r\n\r\n")
    post = b"\r\n--" + BOUNDARY + b"--\r\n"
    return pre, post, len(pre) + path.stat().st_size + len(post)


async def upload_worker(a, stats: Stats, deadline: float, once: bool) -> None:
    path = Path(a.upload_file)
    pre, post, total = multipart_parts(path, a.upload_ctype)
    small = path.read_bytes() if path.stat().st_size <= 32 * CHUNK else None
    head = request_head("POST", a.upload_host, a.upload_path,
                        "multipart/form-data; boundary=" + BOUNDARY.decode(), total)
    while once or time.monotonic() < deadline:
        try:
            reader, writer = await open_tunnel(a, a.upload_host)
            t0 = time.perf_counter()
            writer.write(head + pre)
            if small is not None:
                writer.write(small)
            else:
                with open(path, "rb") as f:
                    while chunk := f.read(CHUNK):
                        writer.write(chunk)
                        await writer.drain()
            writer.write(post)
            await writer.drain()
            status = await read_response(reader)
            writer.close()
            if status >= 400:
                stats.errors += 1
                stats.first_error = stats.first_error or f"HTTP {status}"
            else:
                stats.latencies.append(time.perf_counter() - t0)
                stats.bytes_sent += total
        except Exception as e:  # noqa: BLE001
            stats.errors += 1
            stats.first_error = stats.first_error or repr(e)
            await asyncio.sleep(0.05)
        if once:
            return


async def run(a) -> dict:
    body = b""
    if a.body_bytes:
        text = ("benchmark post about open data " * (a.body_bytes // 31 + 1))[: max(0, a.body_bytes - 40)]
        body = json.dumps({"status": text, "visibility": "public", "language": "en"}).encode()
    t0 = time.monotonic()
    deadline = t0 + a.duration
    req, up = Stats(), Stats()
    tasks = [asyncio.create_task(request_worker(a, req, deadline, body)) for _ in range(a.connections)]
    if a.upload_file:
        tasks += [asyncio.create_task(upload_worker(a, up, deadline, a.once)) for _ in range(a.upload_connections)]
    if a.once:
        # The request workers (if any) run only while the one-shot uploads are in flight.
        uploads = tasks[a.connections:]
        await asyncio.gather(*uploads)
        deadline = time.monotonic()
        for t in tasks[:a.connections]:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    else:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=a.duration + 120)
    elapsed = time.monotonic() - t0
    return {"requests": req.summary(elapsed), "uploads": up.summary(elapsed)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--proxy-port", type=int, default=0, help="0: talk to the upstream directly")
    ap.add_argument("--upstream-port", type=int, required=True)
    ap.add_argument("--reverse", action="store_true", help="the proxy is a reverse proxy: no CONNECT, TLS to it")
    ap.add_argument("--ca", default=None, help="CA file to trust (the proxy's); none: do not verify")
    ap.add_argument("--host", default="www.example.org")
    ap.add_argument("--method", default="GET")
    ap.add_argument("--path", default="/")
    ap.add_argument("--body-bytes", type=int, default=0)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--duration", type=float, default=3.0)
    ap.add_argument("--upload-file", default=None)
    ap.add_argument("--upload-ctype", default="application/octet-stream")
    ap.add_argument("--upload-host", default="mastodon.social")
    ap.add_argument("--upload-path", default="/api/v2/media")
    ap.add_argument("--upload-connections", type=int, default=1)
    ap.add_argument("--once", action="store_true")
    a = ap.parse_args()
    os.environ.pop("SSL_CERT_FILE", None)
    print(json.dumps(asyncio.run(run(a))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
