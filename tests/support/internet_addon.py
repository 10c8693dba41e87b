"""A loopback stand-in for the internet: a mitmdump addon that answers every request itself.

Never connects anywhere (run with connection_strategy=lazy). For each request it either serves a file from
`internet_site_dir/<host><path>` (with optional `<file>.headers` lines `Name: value`, and `<file>.status`),
or, for a browser navigation (`Sec-Fetch-Dest: document`), a small HTML page, or answers 200 with a JSON echo of what it received (method, host, path, body length and SHA-256).
Every received request is also appended as one JSON line to `internet_log` when that option is set.
"""

import hashlib
import json
import time
from pathlib import Path

from mitmproxy import ctx, http


DOCUMENT = b"<!doctype html><html><head><title>page</title></head><body><main>page</main></body></html>"


class Internet:
    def load(self, loader):
        loader.add_option("internet_site_dir", str, "", "Folder of canned sites: <host>/<path>")
        loader.add_option("internet_log", str, "", "JSON-lines log of received requests")
        loader.add_option("internet_delay_ms", int, 0, "Milliseconds to wait before answering")

    def _site_file(self, flow: http.HTTPFlow) -> Path | None:
        root = ctx.options.internet_site_dir
        if not root:
            return None
        path = flow.request.path.split("?", 1)[0]
        if path.endswith("/"):
            path += "index.html"
        candidate = Path(root) / flow.request.pretty_host / path.lstrip("/")
        return candidate if candidate.is_file() else None

    async def request(self, flow: http.HTTPFlow) -> None:
        if ctx.options.internet_delay_ms:
            import asyncio

            await asyncio.sleep(ctx.options.internet_delay_ms / 1000)
        body = flow.request.raw_content or b""
        record = {
            "method": flow.request.method, "host": flow.request.pretty_host, "path": flow.request.path,
            "body_len": len(body), "body_sha256": hashlib.sha256(body).hexdigest(),
            "headers": {k.lower(): v for k, v in flow.request.headers.items()}, "t": time.time(),
        }
        if ctx.options.internet_log:
            with open(ctx.options.internet_log, "a") as f:
                f.write(json.dumps(record) + "\n")
        site = self._site_file(flow)
        if site is not None:
            headers = {"content-type": "text/html; charset=utf-8"}
            hfile = site.with_name(site.name + ".headers")
            if hfile.is_file():
                headers = {}
                for line in hfile.read_text().splitlines():
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip()] = v.strip()
            sfile = site.with_name(site.name + ".status")
            status = int(sfile.read_text().strip()) if sfile.is_file() else 200
            flow.response = http.Response.make(status, site.read_bytes(), headers)
            return
        if record["headers"].get("sec-fetch-dest") == "document":
            # A browser navigation: answer with a small page, as a social site would.
            flow.response = http.Response.make(200, DOCUMENT, {"content-type": "text/html; charset=utf-8"})
            return
        record.pop("headers")
        flow.response = http.Response.make(200, json.dumps(record).encode(), {"content-type": "application/json"})


addons = [Internet()]
