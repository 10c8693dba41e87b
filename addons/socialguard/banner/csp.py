"""How the banner may be styled on a page without a single Content-Security-Policy violation.

A shadow root keeps the page's CSS out but not its CSP: a `<style>` element inside it is still checked
against `style-src-elem` / `style-src` / `default-src`. Every policy the page carries (headers, report-only
headers, `<meta>` tags) must allow the way chosen, in this order of preference:

1. `inline`: a plain `<style>` element, when no policy restricts styles or they allow `'unsafe-inline'`;
2. `nonce`: a `<style nonce=...>` reusing the page's own style nonce (every policy lists it);
3. `stylesheet`: a `<link rel=stylesheet>` to a reserved path on the page's own origin that the proxy
   answers itself (allowed by `'self'`, `*`, the scheme or the host);
4. `attributes`: no stylesheet at all, presentational HTML attributes only (never blocked).

The page's policy is never changed, weakened, or given a new nonce.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Mode = Literal["inline", "nonce", "stylesheet", "attributes"]
Directives = dict[str, tuple[str, ...]]

_NONCE = re.compile(r"^'nonce-([A-Za-z0-9+/=_-]+)'$")


def parse_policy(text: str) -> Directives:
    """One serialized policy -> directive name -> source list (the first occurrence of a name wins)."""
    out: Directives = {}
    for part in text.split(";"):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        if name not in out:
            out[name] = tuple(_normalize(t) for t in tokens[1:])
    return out


def _normalize(token: str) -> str:
    """Keywords are case-insensitive; nonce and hash values are not."""
    if not token.startswith("'"):
        return token
    kind, dash, value = token.partition("-")
    if kind.lower() in ("'nonce", "'sha256", "'sha384", "'sha512") and dash:
        return kind.lower() + "-" + value
    return token.lower()


def parse_header(values: Iterable[str]) -> list[Directives]:
    """Every policy in a list of header values (a value may hold several, separated by commas)."""
    return [parse_policy(p) for v in values for p in v.split(",") if p.strip()]


def _style_sources(policy: Directives) -> tuple[str, ...] | None:
    """The sources that govern a `<style>`/`<link rel=stylesheet>` element; None when unrestricted."""
    for name in ("style-src-elem", "style-src", "default-src"):
        if name in policy:
            return policy[name]
    return None


def _nonces(sources: tuple[str, ...]) -> set[str]:
    return {m.group(1) for s in sources if (m := _NONCE.match(s))}


def _allows_inline(sources: tuple[str, ...] | None) -> bool:
    if sources is None:
        return True
    # A nonce or a hash makes browsers ignore 'unsafe-inline'.
    return "'unsafe-inline'" in sources and not any(s.startswith(("'nonce-", "'sha")) for s in sources)


def _host_matches(pattern: str, host: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


def _source_allows_url(source: str, scheme: str, host: str, port: int, path: str) -> bool:
    """CSP source matching for our own same-origin URL (enough of CSP3 'Does url match expression')."""
    if source == "'self'":
        return True
    if source == "*":
        return scheme in ("http", "https")
    if source.startswith("'"):
        return False
    m = re.match(r"^(?:([a-z][a-z0-9+.-]*):)?(?://)?([^/:]*)?(?::(\d+|\*))?(/.*)?$", source, re.I)
    if m is None:
        return False
    s_scheme, s_host, s_port, s_path = m.group(1), m.group(2), m.group(3), m.group(4)
    if s_scheme and not s_host and not source.startswith(f"{s_scheme}://"):
        # A scheme-source like 'https:'; http: also allows https (CSP upgrades).
        return s_scheme.lower() == scheme or (s_scheme.lower() == "http" and scheme == "https")
    if s_scheme and s_scheme.lower() != scheme and not (s_scheme.lower() == "http" and scheme == "https"):
        return False
    if not s_host or not _host_matches(s_host.lower(), host):
        return False
    if s_port is None:
        if port != (443 if scheme == "https" else 80):
            return False
    elif s_port != "*" and int(s_port) != port:
        return False
    if s_path and s_path != "/":
        return path == s_path if not s_path.endswith("/") else path.startswith(s_path)
    return True


def _allows_self(sources: tuple[str, ...] | None, scheme: str, host: str, port: int, path: str) -> bool:
    if sources is None:
        return True
    if "'none'" in sources and len(sources) == 1:
        return False
    return any(_source_allows_url(s, scheme, host, port, path) for s in sources)


@dataclass(frozen=True, slots=True)
class StyleDecision:
    mode: Mode
    nonce: str = ""


def decide(policies: list[Directives], *, scheme: str, host: str, port: int, stylesheet_path: str) -> StyleDecision:
    """The first way of styling the banner that every policy of the page allows."""
    sources = [_style_sources(p) for p in policies]
    if all(_allows_inline(s) for s in sources):
        return StyleDecision("inline")
    restricted = [s for s in sources if not _allows_inline(s)]
    common = set.intersection(*(_nonces(s) for s in restricted)) if restricted else set()
    if common:
        return StyleDecision("nonce", sorted(common)[0])
    if all(_allows_self(s, scheme, host, port, stylesheet_path) for s in sources):
        return StyleDecision("stylesheet")
    return StyleDecision("attributes")


def _image_sources(policy: Directives) -> tuple[str, ...] | None:
    for name in ("img-src", "default-src"):
        if name in policy:
            return policy[name]
    return None


def allows_image(policies: list[Directives], *, scheme: str, host: str, port: int, path: str) -> bool:
    """Whether every policy of the page lets it load an image from our own same-origin URL (the render
    beacon). When one does not, the banner carries no beacon at all: a blocked load would be a violation."""
    return all(_allows_self(_image_sources(p), scheme, host, port, path) for p in policies)
