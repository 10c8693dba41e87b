"""Which flows may carry a banner: top-level HTML page loads only, decided from plain header facts.

A request qualifies when the browser says it is a top-level navigation (`Sec-Fetch-Dest: document`), or,
from clients that send no Fetch Metadata, when it is a GET that accepts HTML and is not an XHR. Frames,
fetch/XHR, workers, service-worker navigation preloads and every kind of prefetch/prerender are out.
A response qualifies when it is a 200 `text/html` page that the proxy may transform.
"""

from __future__ import annotations

from collections.abc import Callable

from .insert import parse_encodings

Header = Callable[[str], "str | None"]     # a lookup by lower-case header name


def _has_prefetch(value: str | None) -> bool:
    return bool(value) and ("prefetch" in value.lower() or "prerender" in value.lower())


def request_is_navigation(method: str, header: Header) -> bool:
    """A top-level document load by a person (not a frame, fetch, worker or speculative load)."""
    if method.upper() != "GET":
        return False
    if _has_prefetch(header("sec-purpose")) or _has_prefetch(header("purpose")) or \
            _has_prefetch(header("x-purpose")) or _has_prefetch(header("x-moz")):
        return False
    if header("service-worker-navigation-preload") is not None or header("service-worker") is not None:
        return False
    dest = header("sec-fetch-dest")
    if dest is not None:
        mode = header("sec-fetch-mode")
        return dest.strip().lower() == "document" and (mode is None or mode.strip().lower() == "navigate")
    if (header("x-requested-with") or "").lower() == "xmlhttprequest":
        return False
    accept = (header("accept") or "").lower()
    return "text/html" in accept or "application/xhtml+xml" in accept


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def response_is_page(status: int | None, header: Header) -> bool:
    """A complete 200 HTML page that may be transformed (RFC 9110 `no-transform` is honoured)."""
    if status != 200:
        return False
    if _media_type(header("content-type")) != "text/html":
        return False
    if "attachment" in (header("content-disposition") or "").lower():
        return False
    if "no-transform" in (header("cache-control") or "").lower():
        return False
    if header("content-range") is not None:
        return False
    return parse_encodings(header("content-encoding")) is not None


def header_lookup(pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> Header:
    """A lookup over lower-cased header pairs (first value wins), as `RequestFacts.headers` holds them."""
    table: dict[str, str] = {}
    for k, v in pairs:
        table.setdefault(k.lower(), v)
    return table.get


def reminders_apply(enabled: bool, background: bool, category: str) -> bool:
    """Reminders are for a person's own foreground use: official use (Communications on the agency's accounts)
    follows section 1, and background traffic is nobody looking at a page."""
    return enabled and not background and category != "official"


def may_return_to(background: bool, host_match: str) -> bool:
    """Whether a dismissal may send the browser back to a host, given how the host classified: a catalog host or
    a learned fediverse host (a site root that classifies without an any-host path), never a CDN host."""
    return not background and host_match != "any-host path"
