"""The render beacon: proof that the browser laid the banner out, not only that the proxy inserted it.

Each inserted banner gets a random id; its bar's background image is `<page origin>/__socialguard/seen/<id>`,
which the proxy answers itself. Browsers fetch a background image only for a rendered box (never for
`display: none`, never when the page's policy blocks images from its own origin, never when the stylesheet was
refused), so the fetch of that URL is what turns an "inserted" banner into a "rendered" one. An id counts once,
only for the person it was made for, and only for `max_age` seconds; the store is bounded.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

BEACON_PREFIX = "/__socialguard/seen/"
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# The smallest transparent GIF: what the beacon answers (an image, so the browser logs no error).
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
         b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


@dataclass(frozen=True, slots=True)
class Inserted:
    """What the proxy remembers of one inserted banner until its beacon comes (or does not)."""

    user: str
    platform: str
    host: str
    path: str
    language: str
    message: str                     # the guideline of the message
    reason: str
    coaching: bool
    minutes: int
    at: float


def beacon_id(path: str) -> str | None:
    """The id in a request path `/__socialguard/seen/<id>`; None for anything else."""
    if not path.startswith(BEACON_PREFIX):
        return None
    token = path[len(BEACON_PREFIX):]
    return token if _ID.match(token) else None


class RenderBeacons:
    def __init__(self, max_entries: int = 100_000, max_age: float = 3600.0):
        self._pending: OrderedDict[str, Inserted] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries, self.max_age = max_entries, max_age
        self.expired = 0             # inserted banners whose beacon never came (not rendered, or blocked)

    def __len__(self) -> int:
        return len(self._pending)

    def issue(self, record: Inserted) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[token] = record
            self._expire(record.at)
            while len(self._pending) > self.max_entries:
                self._pending.popitem(last=False)
                self.expired += 1
        return token

    def _expire(self, now: float) -> None:
        while self._pending:
            token, oldest = next(iter(self._pending.items()))
            if now - oldest.at <= self.max_age:
                break
            del self._pending[token]
            self.expired += 1

    def claim(self, token: str, *, user: str, now: float) -> Inserted | None:
        """The banner this beacon confirms, once; None for unknown, expired, replayed or other people's ids."""
        with self._lock:
            record = self._pending.get(token)
            if record is None or record.user != user or now - record.at > self.max_age:
                return None
            del self._pending[token]
            return record
