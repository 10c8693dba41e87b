"""Drive the scenarios' client libraries through a real `socialguard run` proxy to the capture internet and write
a HAR 1.2 file whose entries carry their labels (`_corpus`).

    PYTHONPATH=addons:tests python -m support.client_corpus.driver --part tuning --out build/corpus-tuning.har

For the held-out part it prints counts only, so nobody reads its requests while writing rules.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import inspect
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from support.clients import client_env
from support.proxies import MITMDUMP, ROOT, SocialguardProxy, free_port, stop, wait_port

from .model import Scenario

HERE = Path(__file__).resolve().parent


class CaptureInternet:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.log = workdir / "capture.jsonl"
        self.confdir = workdir / "internet-conf"

    def start(self) -> "CaptureInternet":
        self.port = free_port()
        self.log.touch()
        self.proc = __import__("subprocess").Popen(
            [MITMDUMP, "-q", "--listen-host", "127.0.0.1", "--listen-port", str(self.port),
             "-s", str(HERE / "capture_addon.py"), "--set", f"confdir={self.confdir}",
             "--set", "connection_strategy=lazy", "--set", f"corpus_capture={self.log}"],
            stdout=__import__("subprocess").PIPE, stderr=__import__("subprocess").STDOUT)
        wait_port(self.port, self.proc)
        return self

    def lines(self) -> list[dict]:
        return [json.loads(x) for x in self.log.read_text().splitlines() if x.strip()]

    def stop(self) -> None:
        stop(self.proc)


def _run(loop: asyncio.AbstractEventLoop, value):
    if inspect.isawaitable(value):
        return loop.run_until_complete(value)
    return value


def _entry(rec: dict, part: str, scenario: Scenario, step, t: float) -> dict:
    path = urlsplit(rec["url"]).path
    platform, activity = step.label_for(path, rec["method"])
    headers = [{"name": k, "value": v} for k, v in rec["headers"]]
    req = {"method": rec["method"], "url": rec["url"], "httpVersion": rec["http_version"], "headers": headers,
           "queryString": [], "cookies": [], "headersSize": -1, "bodySize": len(base64.b64decode(rec["body_b64"]))}
    if rec["body_b64"]:
        mime = next((v for k, v in rec["headers"] if k.lower() == "content-type"), "")
        req["postData"] = {"mimeType": mime, "text": rec["body_b64"], "encoding": "base64"}
    return {
        "startedDateTime": datetime.fromtimestamp(t, timezone.utc).isoformat(),
        "time": 1, "request": req,
        "response": _response(rec["response"]),
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0},
        "_corpus": {"part": part, "library": scenario.library, "scenario": scenario.name, "step": step.name,
                    "platform": platform, "activity": activity},
    }


def _response(resp: dict) -> dict:
    body = base64.b64decode(resp["body_b64"])
    mime = next((v for k, v in resp["headers"] if k.lower() == "content-type"), "")
    return {"status": resp["status"], "statusText": "", "httpVersion": "HTTP/1.1",
            "headers": [{"name": k, "value": v} for k, v in resp["headers"]], "cookies": [],
            "content": {"size": len(body), "mimeType": mime, "text": resp["body_b64"], "encoding": "base64"},
            "redirectURL": "", "headersSize": -1, "bodySize": len(body)}


def drive(part: str, scenarios, workdir: Path, quiet: bool) -> tuple[list[dict], list[str]]:
    net = CaptureInternet(workdir).start()
    proxy = SocialguardProxy(workdir / "proxy", net.port, ca_from=net.confdir).start()
    saved = dict(os.environ)
    os.environ.update(client_env(proxy))
    entries: list[dict] = []
    problems: list[str] = []
    try:
        for sc in scenarios:
            loop = asyncio.new_event_loop()
            try:
                try:
                    client = _run(loop, sc.setup())
                except Exception as e:  # noqa: BLE001 - a setup that cannot run is reported, the rest goes on
                    problems.append(f"{sc.name}: setup: {type(e).__name__}: {str(e)[:120]}")
                    continue
                for step in sc.steps:
                    before = len(net.lines())
                    t = time.time()
                    try:
                        _run(loop, step.call(client))
                    except Exception as e:  # noqa: BLE001 - replies are canned; what was sent is what counts
                        if not quiet:
                            problems.append(f"{sc.name}/{step.name}: {type(e).__name__}: {str(e)[:100]}")
                    new = net.lines()[before:]
                    if not new:
                        problems.append(f"{sc.name}/{step.name}: sent nothing")
                    entries.extend(_entry(r, part, sc, step, t) for r in new)
            finally:
                loop.close()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        proxy.stop()
        net.stop()
    return entries, problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["tuning", "heldout", "heldout2"], required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    if args.part == "tuning":
        from .scenarios import SCENARIOS
    elif args.part == "heldout":
        from .heldout import SCENARIOS
    else:
        from .heldout2 import SCENARIOS
    heldout = args.part == "heldout2"      # the first held-out part was scored, then became tuning material
    with tempfile.TemporaryDirectory(prefix="sg-corpus-") as tmp:
        entries, problems = drive(args.part, SCENARIOS, Path(tmp), quiet=heldout)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "socialguard-corpus", "version": "1"},
                                       "entries": entries}}))
    print(f"{args.part}: {len(SCENARIOS)} scenarios, {len(entries)} requests -> {out}")
    for p in problems:
        print("  " + p if not heldout else "  " + p.split(":", 1)[0] + ": (details hidden for the held-out part)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
