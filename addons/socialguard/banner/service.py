"""The banner from a page's facts to its new bytes, and the dismiss endpoint's logic.

The adapter calls `BannerService.inject` for an eligible response and `BannerService.dismiss` for a
request to the reserved host; both take plain facts and return plain answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from ..coaching import Coaching
from ..policy.banner import BannerPolicy, Message
from .caps import BannerState
from .csp import decide, parse_header
from .insert import decode_content, encode_content, parse_encodings, prepare
from .render import BANNER_CSS, Content, choose_language, render

# A host that can never exist (RFC 6761 .invalid): requests to it are answered by the proxy itself.
RESERVED_HOST = "socialguard.invalid"
DISMISS_PATH = "/dismiss"
# A path on each social origin that the proxy answers with the banner's stylesheet (that is 'self').
STYLESHEET_PATH = "/__socialguard/banner.css"
STYLESHEET_VERSION = hashlib.sha256(BANNER_CSS.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What injection needs to know about one page response."""

    scheme: str
    host: str
    port: int
    url: str                                  # the page's full URL: where dismissal returns
    content_type: str | None
    content_encoding: str | None
    csp: tuple[str, ...] = ()                 # Content-Security-Policy and -Report-Only header values
    accept_encoding: str | None = None        # the browser's Accept-Encoding


@dataclass(frozen=True, slots=True)
class Injected:
    raw: bytes                                # the new body
    content: Content
    style: str                                # how it was styled (csp.Mode)
    content_encoding: str                     # its Content-Encoding ('' for identity)


@dataclass(frozen=True, slots=True)
class Dismissal:
    return_url: str | None                    # where to send the browser back (a page of `platform`)
    platform: str | None
    host: str = ""
    path: str = ""


def _origin(page: PageFacts) -> str:
    default = 443 if page.scheme == "https" else 80
    return f"{page.scheme}://{page.host}" + ("" if page.port == default else f":{page.port}")


def _accepts_zstd(accept_encoding: str | None) -> bool:
    for item in (accept_encoding or "").lower().split(","):
        name, _, params = item.strip().partition(";")
        if name.strip() == "zstd":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def output_encodings(original: list[str], accept_encoding: str | None) -> list[str]:
    """How to compress the modified page: zstd when the browser takes it (by far the fastest to re-compress
    at a ratio like gzip's), else the page's own encodings. An uncompressed page stays uncompressed."""
    if original and original != ["zstd"] and _accepts_zstd(accept_encoding):
        return ["zstd"]
    return original


def dismiss_url(return_url: str) -> str:
    return f"https://{RESERVED_HOST}{DISMISS_PATH}?r={quote(return_url, safe='')}"


class BannerService:
    def __init__(self, state: BannerState | None = None):
        self.state = state or BannerState()

    # -- showing ------------------------------------------------------------------------------------
    def content_for(self, policy: BannerPolicy, *, user: str, platform: str, now: float,
                    accept_language: str | None, minutes: Callable[[], float],
                    coaching: Callable[[], list[Coaching]], has_coaching: Callable[[], bool],
                    platform_names: dict[str, str]) -> Content | None:
        """What this person should see on this page, or None (capped or dismissed). Records the showing.

        Pending coaching is shown even when the reminder is capped: it is owed once, after a flag.
        """
        if not policy.enabled or not policy.messages:
            return None
        due = self.state.due(user, platform, now, policy.every_seconds, policy.dismiss_seconds)
        if not due and not has_coaching():
            return None
        index = self.state.shown(user, platform, now, len(policy.messages))
        message: Message = policy.messages[index]
        used = int(minutes()) if policy.meter else 0
        items = tuple(coaching())
        return Content(
            language=choose_language(policy.language, accept_language), message=message,
            minutes=used if used >= 1 else None, coaching=items,
            platform_names=tuple((i.platform, platform_names.get(i.platform, i.platform)) for i in items),
        )

    def inject(self, raw: bytes, page: PageFacts, policy: BannerPolicy, *, faq_url: str, contact_url: str,
               make_content: Callable[[], Content | None]) -> Injected | None:
        """The page with its banner, or None to leave it byte for byte as it is.

        `make_content` is called only once the page is known to take a banner, so caps and coaching are
        spent only on pages that show them. Raises ValueError on undecodable bodies.
        """
        encodings = parse_encodings(page.content_encoding)
        if encodings is None:
            return None
        body = decode_content(raw, encodings)
        prepared = prepare(body, page.content_type)
        if prepared is None:
            return None
        policies = parse_header(page.csp) + parse_header(prepared.insertion.meta_csp)
        origin = _origin(page)
        style = decide(policies, scheme=page.scheme, host=page.host, port=page.port, stylesheet_path=STYLESHEET_PATH)
        content = make_content()
        if content is None:
            return None
        snippet = render(policy, content, style, faq_url=faq_url, contact_url=contact_url,
                         dismiss_url=dismiss_url(page.url),
                         stylesheet_url=f"{origin}{STYLESHEET_PATH}?v={STYLESHEET_VERSION}")
        out = output_encodings(encodings, page.accept_encoding)
        return Injected(encode_content(prepared.with_snippet(snippet), out), content, style.mode, ", ".join(out))

    # -- dismissing -----------------------------------------------------------------------------------
    def dismiss(self, query: str, *, user: str, now: float,
                platform_of: Callable[[str, str], str | None]) -> Dismissal:
        """Record a dismissal from the reserved host's query; `platform_of(host, path)` classifies the page.

        Only a page of a social platform is a valid return address: the endpoint is never an open redirect.
        """
        target = (parse_qs(query).get("r") or [""])[0]
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Dismissal(None, None)
        platform = platform_of(parts.hostname.lower(), parts.path or "/")
        if platform is None:
            return Dismissal(None, None)
        self.state.dismissed(user, platform, now)
        return Dismissal(target, platform, parts.hostname.lower(), parts.path or "/")
