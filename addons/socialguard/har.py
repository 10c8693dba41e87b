"""HAR 1.2 entries -> request/response facts, so HAR files run through the same engine as the proxy."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .classify.paths import event_path
from .facts import BODY_PEEK_BYTES, RequestFacts, ResponseFacts


class HarError(ValueError):
    pass


# Bodies kept whole for inspection (the proxy holds up to inspection.limits.hold_bytes; HAR files rarely carry more).
MAX_BODY_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class HarEntry:
    index: int
    url: str                        # scheme://host[:port]/path: no userinfo, query or fragment
    request: RequestFacts
    response: ResponseFacts
    request_body: bytes = b""       # the whole request body (up to MAX_BODY_BYTES), for inspection
    response_body: bytes = b""      # the answer's content when the HAR kept it (for learning)


def _timestamp(value: Any, index: int) -> float:
    if not isinstance(value, str):
        raise HarError(f"entry {index}: startedDateTime missing")
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise HarError(f"entry {index}: startedDateTime {value!r} is not ISO 8601") from None
    if dt.tzinfo is None:
        raise HarError(f"entry {index}: startedDateTime {value!r} has no time zone")
    try:
        return dt.timestamp()
    except (OverflowError, ValueError):
        raise HarError(f"entry {index}: startedDateTime {value!r} is out of range") from None


def _content(content: Any) -> bytes:
    """A HAR response `content` object's text (base64 or plain), bounded."""
    if not isinstance(content, dict) or not isinstance(content.get("text"), str):
        return b""
    text = content["text"][: MAX_BODY_BYTES * 2]
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=False)[:MAX_BODY_BYTES]
        except ValueError:
            return b""
    return text.encode("utf-8", "surrogatepass")[:MAX_BODY_BYTES]


def safe_url(parts) -> str:
    """The URL to show: scheme, host, port and path only. Userinfo (`user:password@`), the query and the
    fragment (`#access_token=…`) are secrets often enough never to be printed."""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{event_path(parts.path or '/')}"


def _body(post: dict | None) -> tuple[bytes, int | None]:
    if not isinstance(post, dict):
        return b"", None
    text = post.get("text")
    if isinstance(text, str):
        if post.get("encoding") == "base64":
            try:
                raw = base64.b64decode(text, validate=False)
            except ValueError:
                raw = b""
        else:
            raw = text.encode("utf-8", "surrogatepass")
        return raw[:MAX_BODY_BYTES], len(raw)
    params = post.get("params")
    if isinstance(params, list):
        from urllib.parse import urlencode

        pairs = [(str(p.get("name", "")), str(p.get("value", ""))) for p in params if isinstance(p, dict)]
        raw = urlencode(pairs).encode()
        return raw[:MAX_BODY_BYTES], len(raw)
    return b"", None


def _headers(items: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(items, list):
        return ()
    return tuple((str(h.get("name", "")).lower(), str(h.get("value", ""))) for h in items if isinstance(h, dict))


def parse_entry(index: int, entry: Any, default_ip: str = "") -> HarEntry:
    if not isinstance(entry, dict) or not isinstance(entry.get("request"), dict):
        raise HarError(f"entry {index}: no request object")
    req = entry["request"]
    url = req.get("url")
    if not isinstance(url, str):
        raise HarError(f"entry {index}: request.url missing")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:     # bad IPv6 authority, port out of range (found by tests/test_fuzz_har.py)
        raise HarError(f"entry {index}: url {url!r}: {e}") from None
    if not parts.hostname:
        raise HarError(f"entry {index}: url {url!r} has no host")
    headers = _headers(req.get("headers"))
    if not any(k == "content-type" for k, _ in headers) and isinstance(req.get("postData"), dict):
        mime = req["postData"].get("mimeType")
        if isinstance(mime, str) and mime:
            headers += (("content-type", mime),)
    body, size = _body(req.get("postData"))
    ts = _timestamp(entry.get("startedDateTime"), index)
    resp = entry.get("response") if isinstance(entry.get("response"), dict) else {}
    status = resp.get("status")
    facts = RequestFacts(
        method=str(req.get("method", "GET")).upper(),
        host=parts.hostname.lower().rstrip("."),
        path=parts.path or "/",
        query=tuple(parse_qsl(parts.query, keep_blank_values=True)),
        headers=headers,
        body=body[:BODY_PEEK_BYTES],
        body_size=size,
        client_ip=str(entry.get("serverIPAddress_client", default_ip) or default_ip),
        timestamp=ts,
        scheme=parts.scheme or "https",
        port=port or (443 if parts.scheme == "https" else 80),
        flow_id=f"har-{index}",
    )
    total = entry.get("time")
    resp_headers = _headers(resp.get("headers"))
    content = resp.get("content")
    if not any(k == "content-type" for k, _ in resp_headers) and isinstance(content, dict) \
            and isinstance(content.get("mimeType"), str) and content["mimeType"]:
        resp_headers += (("content-type", content["mimeType"]),)
    response = ResponseFacts(
        status_code=status if isinstance(status, int) and status > 0 else None,
        headers=resp_headers,
        timestamp_end=ts + total / 1000 if isinstance(total, (int, float)) and 0 <= total < 1e15 else None,
        body_size=resp.get("bodySize") if isinstance(resp.get("bodySize"), int) and resp["bodySize"] >= 0 else None,
    )
    return HarEntry(index, safe_url(parts), facts, response, request_body=body,
                    response_body=_content(resp.get("content")))


def read_har(path: str | Path) -> Iterator[HarEntry]:
    """Entries of a HAR file; a malformed file raises HarError, a malformed entry raises HarError naming it."""
    try:
        doc = json.loads(Path(path).read_bytes())
    except (OSError, ValueError) as e:
        raise HarError(f"{path}: not a readable JSON HAR file: {e}") from None
    entries = doc.get("log", {}).get("entries") if isinstance(doc, dict) and isinstance(doc.get("log"), dict) else None
    if not isinstance(entries, list):
        raise HarError(f"{path}: no log.entries array")
    for i, entry in enumerate(entries):
        yield parse_entry(i, entry)
