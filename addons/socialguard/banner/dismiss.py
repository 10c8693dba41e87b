"""The dismiss link: built for one person and one page, checked before anything is recorded or redirected.

The link is `https://socialguard.invalid/dismiss?r=<page>&p=<platform>&i=<issued>&t=<token>`, where the token is
an HMAC over the person, the platform, the canonical return address and the time it was issued. So:
- another site (or another person) cannot dismiss for someone: it would need the proxy's key;
- the redirect goes only where the proxy itself pointed the link, and even then only to an address that is
  re-serialized from its parsed parts (ASCII, no userinfo, no fragment, no control characters, no backslash)
  and whose host is a catalog host or a learned fediverse host (`host_known`, given by the caller).
The page's address in `r` never reaches an event (only its host and path do).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

RESERVED_HOST = "socialguard.invalid"          # RFC 6761: can never resolve; the proxy answers it itself
DISMISS_PATH = "/dismiss"
MAX_URL = 2048                                 # longer return addresses get no dismiss link
MAX_QUERY = 4 * MAX_URL
LINK_LIFETIME = 24 * 3600                      # a tab left open longer shows a link that no longer works
_TOKEN_BYTES = 18

# Characters kept as they are when a path or query is re-serialized (RFC 3986 pchar/query, and '%' for the
# escapes already there); everything else is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*$")
_PLATFORM = re.compile(r"^[a-z0-9_-]{1,40}$")
# C0 controls, space, DEL, backslash: never in an address the proxy redirects to (header injection, `\@` tricks).
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\\]")


def canonical_return_url(raw: str, host_known: Callable[[str], bool]) -> tuple[str, str, str] | None:
    """(canonical URL, host, path) for a page the browser may be sent back to; None when it may not.

    Refuses rather than repairs: control characters, spaces, backslashes, non-ASCII, userinfo, schemes other
    than http(s), bad ports, hosts that are not names, and hosts `host_known` does not vouch for.
    """
    if not raw or len(raw) > MAX_URL or _FORBIDDEN.search(raw) or not raw.isascii():
        return None
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or "@" in parts.netloc or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if not _HOST.match(host) or not host_known(host):
        return None
    default = 443 if parts.scheme == "https" else 80
    netloc = host if port in (None, default) else f"{host}:{port}"
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if not path.startswith("/"):
        return None
    query = quote(parts.query, safe=_QUERY_SAFE)
    url = f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")
    return url, host, path


def _ascii_url(url: str) -> str:
    """The page's address as the browser would write it: non-ASCII percent-encoded (UTF-8)."""
    return url if url.isascii() else quote(url, safe=_QUERY_SAFE + "#")


@dataclass(frozen=True, slots=True)
class Dismissal:
    """A dismissal the proxy may record: who comes back where."""

    return_url: str                            # canonical, ASCII, safe for a Location header
    platform: str
    host: str
    path: str


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: str                                # a fixed word for events and the 400 page: never echoes input
    # Read like a Dismissal that leads nowhere, for callers that only test `return_url is None`.
    return_url = None
    platform = None
    host = ""
    path = ""


class DismissLinks:
    """Makes and checks dismiss links with one secret key (kept by the proxy, shared by its processes)."""

    def __init__(self, key: bytes | None = None, lifetime: float = LINK_LIFETIME):
        self._key = key or secrets.token_bytes(32)
        self.lifetime = lifetime

    def _token(self, user: str, platform: str, url: str, issued: int) -> str:
        msg = "\x00".join(("dismiss", user, platform, url, str(issued))).encode("utf-8", "surrogatepass")
        digest = hmac.new(self._key, msg, hashlib.sha256).digest()[:_TOKEN_BYTES]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def url(self, *, user: str, platform: str, page_url: str, now: float,
            host_known: Callable[[str], bool] = lambda _h: True) -> str | None:
        """The dismiss link for this person on this page; None when the page's address cannot be a return
        address (then the banner shows no dismiss control rather than a link that cannot work)."""
        checked = canonical_return_url(_ascii_url(page_url.split("#", 1)[0]), host_known)
        if checked is None or not _PLATFORM.match(platform):
            return None
        issued = int(now)
        query = urlencode({"r": checked[0], "p": platform, "i": issued,
                           "t": self._token(user, platform, checked[0], issued)})
        return f"https://{RESERVED_HOST}{DISMISS_PATH}?{query}"

    def check(self, query: str, *, user: str, now: float, host_known: Callable[[str], bool]) -> Dismissal | Refusal:
        """The dismissal a request to the dismiss endpoint asks for, if its link was made for `user`."""
        if len(query) > MAX_QUERY:
            return Refusal("oversized")
        try:
            fields = parse_qs(query, strict_parsing=True, max_num_fields=8)
        except ValueError:
            return Refusal("malformed")
        values = {k: v[0] for k, v in fields.items() if len(v) == 1}
        if set(values) != {"r", "p", "i", "t"} or len(fields) != 4:
            return Refusal("malformed")
        checked = canonical_return_url(values["r"], host_known)
        if checked is None:
            return Refusal("return-address")
        url, host, path = checked
        platform = values["p"]
        if not _PLATFORM.match(platform) or not values["i"].isdigit() or len(values["i"]) > 12:
            return Refusal("malformed")
        issued = int(values["i"])
        if not (issued - 300 <= now <= issued + self.lifetime):
            return Refusal("expired")
        expected = self._token(user, platform, url, issued).encode()
        if not hmac.compare_digest(values["t"].encode("utf-8", "surrogatepass"), expected):
            return Refusal("token")
        return Dismissal(url, platform, host, path)


def load_or_create_key(path: Path) -> bytes:
    """A 32-byte key in a file only its owner reads, created on first use; several proxy processes that share
    the folder share the key, so a link made by one is honoured by another. Created whole (written aside,
    then linked into place), so a process starting at the same moment never reads half a key."""
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_bytes(32))
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass                                     # another process won the race: use its key
        finally:
            tmp.unlink(missing_ok=True)
    key = path.read_bytes()
    if len(key) < 32:
        raise ValueError(f"{path}: dismiss key shorter than 32 bytes")
    return key
