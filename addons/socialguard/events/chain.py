"""The structlog processor chain every event runs through: enrich -> redact -> render."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, MutableMapping
from datetime import datetime, timezone
from typing import Any

from .. import __version__
from .integrity import PLACEHOLDER

ECS_VERSION = "8.11.0"

# Keys that never reach an event, at any depth: credentials, bodies, and query strings (which carry tokens).
FORBIDDEN_KEYS = frozenset({
    "cookie", "cookies", "set-cookie", "authorization", "proxy-authorization", "password", "passwd",
    "secret", "token", "access_token", "body", "content", "text", "query", "query_string", "headers",
    "matched", "match_text", "snippet",
})

EventDict = MutableMapping[str, Any]
Processor = Callable[[Any, str, EventDict], Any]


def iso_utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def enrich(node: str) -> Processor:
    """Adds what every event has: ECS version, dataset, observer; a timestamp when the caller gave none."""
    observer = {"name": node, "product": "socialguard", "version": __version__}

    def processor(_logger: Any, _name: str, ev: EventDict) -> EventDict:
        if "@timestamp" not in ev:
            ev["@timestamp"] = iso_utc(datetime.now(timezone.utc).timestamp())
        ev.setdefault("ecs", {"version": ECS_VERSION})
        event = ev.setdefault("event", {})
        event.setdefault("dataset", "socialguard")
        ev.setdefault("observer", observer)
        return ev

    return processor


# Path segments that are credentials: Telegram bot tokens (`/bot123456:AA…/sendMessage`) and long opaque
# tokens (signed upload URLs, session ids). IDs made of digits only (posts, users) stay: reports need them.
_SECRET_SEGMENT = re.compile(r"^(?:bot\d+:[A-Za-z0-9_-]{20,}|(?=[A-Za-z0-9_-]*[A-Za-z])(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{40,})$")


def scrub_path(path: str) -> str:
    """A URL path without query, fragment, or segments that carry credentials."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    if len(path) < 20:
        return path
    return "/".join("{redacted}" if _SECRET_SEGMENT.match(seg) else seg for seg in path.split("/"))


def _scrub(mapping: dict) -> dict:
    # Runs for every event: recurse only into containers, so scalars cost no call.
    out = {}
    for k, v in mapping.items():
        if k.lower() in FORBIDDEN_KEYS:
            continue
        if type(v) is dict:
            v = _scrub(v)
        elif type(v) is list:
            v = [_scrub(x) if type(x) is dict else (_scrub({"": x})[""] if type(x) is list else x) for x in v]
        out[k] = v
    return out


def redact(_logger: Any, _name: str, ev: EventDict) -> EventDict:
    """Last line of defence: drop forbidden keys anywhere and query strings from paths."""
    scrubbed = _scrub(dict(ev))
    url = scrubbed.get("url")
    if isinstance(url, dict) and isinstance(url.get("path"), str):
        url["path"] = scrub_path(url["path"])
    return scrubbed


def render(_logger: Any, _name: str, ev: EventDict) -> tuple[tuple[str], dict[str, str]]:
    """One compact JSON line, `@timestamp` first, then `event` with `hash` first: a placeholder the writer fills
    in with the file's hash chain (integrity.py). The day (UTC) goes along for the writer's file choice."""
    ordered = {"@timestamp": ev["@timestamp"]}
    if isinstance(ev.get("event"), dict):
        ordered["event"] = {"hash": PLACEHOLDER, **ev["event"]}
    ordered.update((k, v) for k, v in ev.items() if k not in ordered)
    line = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))
    return (line,), {"day": ordered["@timestamp"][:10]}
