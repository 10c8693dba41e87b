"""The corpus's loopback internet: a mitmdump addon that records every request in full and answers it.

Answers come from `canned.py` (the few documents a client library needs to go on: OAuth tokens, login
results, a session) or else `{}` as JSON. Never connects anywhere (run with connection_strategy=lazy).
Each request is appended to `corpus_capture` as one JSON line: method, url, headers, body (base64) and the
answer given (status, headers, body).
"""

import base64
import json
import sys
from pathlib import Path

from mitmproxy import ctx, http

sys.path.insert(0, str(Path(__file__).resolve().parent))
from canned import answer  # noqa: E402


class Capture:
    def load(self, loader):
        loader.add_option("corpus_capture", str, "", "JSON-lines file of captured requests")

    def request(self, flow: http.HTTPFlow) -> None:
        req = flow.request
        body = req.raw_content or b""
        record = {
            "method": req.method, "url": req.pretty_url, "http_version": req.http_version,
            "headers": [[k, v] for k, v in req.headers.items(multi=True)],
            "body_b64": base64.b64encode(body).decode(),
        }
        status, headers, content = answer(req.method, req.pretty_host, req.path.split("?", 1)[0])
        record["response"] = {"status": status, "headers": [[k, v] for k, v in headers.items()],
                              "body_b64": base64.b64encode(content).decode()}
        with open(ctx.options.corpus_capture, "a") as f:
            f.write(json.dumps(record) + "\n")
        flow.response = http.Response.make(status, content, headers)


addons = [Capture()]
