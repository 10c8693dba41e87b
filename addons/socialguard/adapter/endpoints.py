"""The metrics (Prometheus text) and health endpoints, on their own port, served from a thread.

A thread rather than the proxy's event loop: a slow scraper must never hold up traffic, and the health check
must still answer while the loop is busy.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .. import metrics
from .runtime import Runtime

log = logging.getLogger("socialguard")


def health(rt: Runtime) -> tuple[int, dict]:
    """200 while the proxy can serve traffic, 503 without a policy. `degraded` (still 200: the proxy fails open)
    when events cannot be written or the policy files on disk were rejected and an older policy is in force."""
    if not rt.loaded:
        return 503, {"status": "down", "problems": ["no policy loaded"]}
    writer = rt.sink.writer
    problems = []
    if writer is not None and writer.pending:
        problems.append(f"{writer.pending} events waiting: the events directory refuses writes")
    if rt.reload_problem:
        problems.append(rt.reload_problem)
    body = {
        "status": "degraded" if problems else "ok",
        "problems": problems,
        "node": rt.node,
        "policy": str(rt.policy.directory),
        "policy_loaded": metrics.REGISTRY.get_sample_value("socialguard_policy_loaded_timestamp_seconds"),
        "events_dir": str(rt.events_dir),
        "events_written": writer.written if writer else 0,
        "event_write_errors": writer.errors if writer else 0,
        "uptime_s": round(time.time() - rt.started, 1),
    }
    return 200, body


class _Handler(BaseHTTPRequestHandler):
    server_version = "socialguard"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._send(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8")
        elif path in ("/healthz", "/health"):
            status, body = health(self.server.runtime)
            self._send(status, json.dumps(body).encode(), "application/json")
        else:
            self._send(404, b"not found: try /metrics or /healthz\n", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


class EndpointServer:
    def __init__(self, host: str, port: int, rt: Runtime):
        self.httpd = ThreadingHTTPServer((host, port), _Handler)
        self.httpd.runtime = rt
        self.httpd.daemon_threads = True
        self.address = (host, self.httpd.server_address[1])
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="socialguard-metrics", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
