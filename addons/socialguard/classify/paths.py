"""Request paths as rules see them and as events show them: one normalization for the proxy and `classify --har`.

Clients spell the same endpoint many ways: praw adds a trailing slash (`/api/submit/`), some double a slash, Java
stacks append `;jsessionid=…` parameters, and `%61pi` is `api`. Rules are written once against the plain form.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
# A Bot API token is `<bot id>:<secret>`; its shape alone is enough to redact it on any host.
_TELEGRAM_BOT = re.compile(r"^/(file/)?bot[0-9]{1,20}:[A-Za-z0-9_-]+(?=/|$)")
_MAX_PATH = 2048


def _unescape(m: re.Match[str]) -> str:
    ch = chr(int(m.group(0)[1:], 16))
    return ch if (ch.isascii() and (ch.isalnum() or ch in "-._~")) else m.group(0).upper()


def needs_normalizing(path: str) -> bool:
    """Cheap test (three substring scans) so the common, already-plain path skips the work."""
    return "//" in path or ";" in path or "%" in path or "/." in path or (len(path) > 1 and path[-1] == "/")


def normalize_path(path: str) -> str:
    """Trailing slash, repeated slashes, `;` parameters, dot segments and escapes of unreserved characters.

    `/api//submit/` -> `/api/submit`; `/a;jsessionid=1/b` -> `/a/b`; `/%61pi/v1/` -> `/api/v1`; `/` stays `/`.
    Reserved escapes (`%2F`) stay escaped: decoding them would invent path segments.
    """
    if not path:
        return "/"
    path = path[:_MAX_PATH]
    if "%" in path:
        path = _ESCAPE.sub(_unescape, path)
    out: list[str] = []
    for seg in path.split("/"):
        if ";" in seg:
            seg = seg.split(";", 1)[0]
        if seg == "" or seg == ".":
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    return "/" + "/".join(out)


def event_path(path: str) -> str:
    """The path an event may show: normalized, and with the Telegram Bot API token (`/bot<token>/`) replaced."""
    if needs_normalizing(path):
        path = normalize_path(path)
    if path.startswith(("/bot", "/file/bot")):
        path = _TELEGRAM_BOT.sub(lambda m: f"/{m.group(1) or ''}bot[redacted]", path, count=1)
    return path
