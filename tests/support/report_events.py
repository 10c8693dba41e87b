"""Building HAR files and event lines for report tests."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from pathlib import Path


def har_entry(url: str, ts: float, method: str = "GET") -> dict:
    started = datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return {"startedDateTime": started, "time": 50,
            "request": {"method": method, "url": url, "headers": [], "httpVersion": "HTTP/2"},
            "response": {"status": 200, "headers": [], "bodySize": 100}}


def write_har(path: Path, entries: list[dict]) -> Path:
    path.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "test"}, "entries": entries}}))
    return path


def activity(user: str, group: str | None, platform: str, ts: float, *, background: bool = False,
             node: str = "node-a", flow: str = "f1", path: str = "/home", category: str = "personal") -> dict:
    stamp = datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return {"@timestamp": stamp, "user": {"name": user, **({"group": {"name": group}} if group else {})},
            "url": {"domain": f"{platform}.example", "path": path},
            "http": {"request": {"method": "GET", "bytes": None}, "response": {"status_code": 200, "bytes": 10}},
            "socialguard": {"platform": platform, "activity": "view", "category": category,
                            "background": background, "rule": f"{platform}.view", "guideline": "2.7",
                            "operation": None},
            "event": {"action": "social.activity", "kind": "event", "category": ["web"], "type": ["access"],
                      "outcome": "success", "dataset": "socialguard", "id": flow},
            "ecs": {"version": "8.11.0"}, "observer": {"name": node, "product": "socialguard", "version": "0.1.0"}}


def flag(user: str, group: str | None, platform: str, ts: float, guideline: str, *, node: str = "node-a") -> dict:
    ev = activity(user, group, platform, ts, node=node, path="/post")
    ev["event"] = {"action": "social.flag", "kind": "alert", "category": ["web"], "type": ["info"],
                   "dataset": "socialguard"}
    ev["socialguard"].update(rule="markers.protected_b", guideline=guideline, action="log",
                             finding={"kind": "marker", "name": "protected_b", "location": "body",
                                      "confidence": 1.0})
    return ev


def write_events(directory: Path, events: list[dict], *, gz: bool = False, name: str | None = None) -> None:
    """Append events to their daily files (UTC day of @timestamp), like the proxy's writer."""
    directory.mkdir(parents=True, exist_ok=True)
    by_day: dict[str, list[dict]] = {}
    for ev in events:
        by_day.setdefault(ev["@timestamp"][:10], []).append(ev)
    for day, evs in by_day.items():
        text = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in evs)
        path = directory / (name or f"events-{day}.jsonl{'.gz' if gz else ''}")
        if gz:
            with gzip.open(path, "at", encoding="utf-8") as f:
                f.write(text)
        else:
            with open(path, "a", encoding="utf-8") as f:
                f.write(text)
