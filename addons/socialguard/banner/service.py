"""The banner from a page's facts to its new bytes, and the answers of the proxy's own banner endpoints.

The adapter calls `note_activity` for every classified request, `inject` for an eligible response,
`stylesheet` / `rendered` for the reserved paths on a social origin (`STYLESHEET_PATH`, `beacon.BEACON_PREFIX`)
and `dismiss` for the reserved host; all take plain facts and return plain answers.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs

from ..coaching import Coaching
from ..policy.banner import BannerPolicy, Message
from .beacon import BEACON_PREFIX, Inserted, RenderBeacons
from .caps import BannerState
from .csp import allows_image, decide, parse_header
from .dismiss import DISMISS_PATH, RESERVED_HOST, DismissLinks, Dismissal, Refusal
from .insert import MAX_DECODED_BYTES, decode_content, encode_content, parse_encodings, prepare
from .render import BANNER_CSS, Content, choose_language, render, stylesheet_css

__all__ = ["DISMISS_PATH", "RESERVED_HOST", "STYLESHEET_PATH", "BannerService", "Dismissal", "Injected", "PageFacts",
           "Refusal", "output_encodings"]

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
    path: str = "/"                           # the page's path without its query (for events)


@dataclass(frozen=True, slots=True)
class Injected:
    raw: bytes                                # the new body
    content: Content
    style: str                                # how it was styled (csp.Mode)
    content_encoding: str                     # its Content-Encoding ('' for identity)
    beacon: bool = False                      # whether it carries a render beacon (False: the page's CSP blocks it)
    dismissable: bool = True                  # whether it carries a dismiss link


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


def pick_message(policy: BannerPolicy, rotation_index: int, posted: bool) -> tuple[Message, str]:
    """The reminder to show and why: the after-post guideline right after a post, else the rotation's next."""
    if posted:
        after = next((m for m in policy.messages if m.guideline == policy.after_post_guideline), None)
        if after is not None:
            return after, "posted"
    return policy.messages[rotation_index], "rotation"


class BannerService:
    def __init__(self, state: BannerState | None = None, *, links: DismissLinks | None = None,
                 beacons: RenderBeacons | None = None):
        self.state = state or BannerState()
        self.links = links or DismissLinks()
        self.beacons = beacons or RenderBeacons()

    # -- what people do -------------------------------------------------------------------------------
    def note_activity(self, policy: BannerPolicy, *, user: str, activity: str, background: bool, now: float) -> bool:
        """Remember a post, comment or upload (guideline 2.2 is owed on the next page); True when noted."""
        if background or activity not in policy.after_post_activities:
            return False
        self.state.posted(user, now)
        return True

    # -- showing ------------------------------------------------------------------------------------
    def content_for(self, policy: BannerPolicy, *, user: str, platform: str, now: float,
                    accept_language: str | None, minutes: Callable[[], float],
                    coaching: Callable[[], list[Coaching]], has_coaching: Callable[[], bool],
                    platform_names: dict[str, str]) -> Content | None:
        """What this person should see on this page, or None (capped or dismissed). Records the showing.

        Pending coaching is shown even when the reminder is capped: it is owed once, after a flag. The
        after-post reminder is not: it waits for the cap like any reminder (and is then owed once).
        """
        if not policy.enabled or not policy.messages:
            return None
        due = self.state.due(user, platform, now, policy.every_seconds, policy.dismiss_seconds)
        if not due and not has_coaching():
            return None
        posted = due and self.state.take_posted(user, now)
        index = self.state.shown(user, platform, now, len(policy.messages), advance=not posted)
        message, reason = pick_message(policy, index, posted)
        used = int(minutes()) if policy.meter else 0
        items = tuple(coaching())
        return Content(
            language=choose_language(policy.language, accept_language), message=message,
            minutes=used if used >= 1 else None, coaching=items,
            platform_names=tuple((i.platform, platform_names.get(i.platform, i.platform)) for i in items),
            user=user, platform=platform, reason="coaching" if items else reason,
        )

    def inject(self, raw: bytes, page: PageFacts, policy: BannerPolicy, *, faq_url: str, contact_url: str,
               make_content: Callable[[], Content | None], now: float | None = None,
               host_known: Callable[[str], bool] = lambda _h: True) -> Injected | None:
        """The page with its banner, or None to leave it byte for byte as it is.

        `make_content` is called only once the page is known to take a banner, so caps and coaching are
        spent only on pages that show them. Raises ValueError on undecodable or oversized bodies (the cap
        holds for the decoded page, whether it came compressed or not).
        """
        encodings = parse_encodings(page.content_encoding)
        if encodings is None:
            return None
        now = time.time() if now is None else now
        body = decode_content(raw, encodings)
        if len(body) > MAX_DECODED_BYTES:
            raise ValueError("page too large for a banner")
        prepared = prepare(body, page.content_type)
        if prepared is None:
            return None
        policies = parse_header(page.csp) + parse_header(prepared.insertion.meta_csp)
        origin = _origin(page)
        where = dict(scheme=page.scheme, host=page.host, port=page.port)
        style = decide(policies, **where, stylesheet_path=STYLESHEET_PATH)
        content = make_content()
        if content is None:
            return None
        beacon = None
        if allows_image(policies, **where, path=BEACON_PREFIX):
            beacon = self.beacons.issue(Inserted(
                user=content.user, platform=content.platform, host=page.host, path=page.path,
                language=content.language, message=content.message.guideline, reason=content.reason,
                coaching=bool(content.coaching), minutes=content.minutes or 0, at=now))
        sheet_url = f"{origin}{STYLESHEET_PATH}?v={STYLESHEET_VERSION}" + (f"&s={beacon}" if beacon else "")
        dismiss = self.links.url(user=content.user, platform=content.platform, page_url=page.url, now=now,
                                 host_known=host_known)
        snippet = render(policy, content, style, faq_url=faq_url, contact_url=contact_url, dismiss_url=dismiss,
                         stylesheet_url=sheet_url, beacon_url=f"{origin}{BEACON_PREFIX}{beacon}" if beacon else None)
        out = output_encodings(encodings, page.accept_encoding)
        return Injected(encode_content(prepared.with_snippet(snippet), out), content, style.mode, ", ".join(out),
                        beacon=beacon is not None, dismissable=dismiss is not None)

    # -- the proxy's own answers ---------------------------------------------------------------------------
    @staticmethod
    def stylesheet(query: str) -> str:
        """The same-origin stylesheet for `STYLESHEET_PATH?v=..&s=<beacon id>`."""
        beacon = (parse_qs(query, max_num_fields=4).get("s") or [None])[0]
        return stylesheet_css(beacon)

    def rendered(self, beacon: str, *, user: str, now: float, fetch_dest: str | None = None) -> Inserted | None:
        """The inserted banner that the browser just rendered (its beacon was fetched), once. With Fetch
        Metadata, only an image load counts (a script's `fetch()` of the URL is `empty`, not `image`)."""
        if fetch_dest is not None and fetch_dest.strip().lower() != "image":
            return None
        return self.beacons.claim(beacon, user=user, now=now)

    def dismiss(self, query: str, *, user: str, now: float, host_known: Callable[[str], bool] | None = None,
                platform_of: Callable[[str, str], str | None] | None = None) -> Dismissal | Refusal:
        """Record a dismissal when the link was made for this person; `host_known(host)` vouches for the
        return address's host (a catalog host or a learned fediverse host). Never an open redirect.
        `platform_of(host, path)` (the classifier) may stand in for `host_known`: a host is then known when its
        site root classifies, which any-host fediverse paths never do."""
        if host_known is None:
            if platform_of is None:
                raise TypeError("dismiss needs host_known or platform_of")
            host_known = lambda host: platform_of(host, "/") is not None  # noqa: E731
        result = self.links.check(query, user=user, now=now, host_known=host_known)
        if isinstance(result, Dismissal):
            self.state.dismissed(user, result.platform, now)
        return result
