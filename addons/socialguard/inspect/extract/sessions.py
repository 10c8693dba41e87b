"""Resumable and chunked uploads reassembled per upload session, with bounded memory and expiry.

Protocols: Google resumable (`uploadType=resumable`, `upload_id`, `Content-Range` / `X-Goog-Upload-*`),
tus (`PATCH` + `Upload-Offset`), Meta rupload (`Offset` + `X-Entity-Length`), X INIT/APPEND/FINALIZE
(`segment_index`). `chunk_of()` recognises a chunk from plain request facts; `SessionStore.add()` returns the
whole file once its last byte has arrived. All sessions together hold at most `max_bytes`; the oldest are
dropped (with a notice) beyond that, and sessions idle for `ttl_seconds` expire.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from ...policy.inspection import Sessions

_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.I)
_TOTAL_ONLY = re.compile(r"bytes\s+\*/(\d+)", re.I)


@dataclass(frozen=True, slots=True)
class Chunk:
    key: str                  # protocol + session id
    name: str                 # file name for events
    data: bytes
    offset: int | None        # byte offset; None when ordered by `index`
    index: int | None = None  # X segment_index
    total: int | None = None  # full size when the protocol tells
    final: bool = False       # the client says this is the last chunk


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def chunk_of(method: str, host: str, path: str, query: dict[str, str], headers: dict[str, str],
             body: bytes) -> Chunk | None:
    """The upload-session chunk this request carries, or None for an ordinary request."""
    method = method.upper()
    h = headers
    name = path.rstrip("/").rsplit("/", 1)[-1] or "upload"
    if "upload_id" in query and method in ("PUT", "POST"):                       # Google resumable
        key = f"google:{host}:{query['upload_id']}"
        command = h.get("x-goog-upload-command", "").lower()
        final = "finalize" in command
        if m := _RANGE.match(h.get("content-range", "")):
            start, total = int(m.group(1)), m.group(3)
            total_i = int(total) if total != "*" else None
            return Chunk(key, name, body, start, total=total_i,
                         final=final or (total_i is not None and int(m.group(2)) + 1 >= total_i))
        if m := _TOTAL_ONLY.match(h.get("content-range", "")):
            return Chunk(key, name, body, None if body else 0, total=int(m.group(1)), final=True)
        if "x-goog-upload-offset" in h:
            return Chunk(key, name, body, _int(h["x-goog-upload-offset"]) or 0, final=final)
        return Chunk(key, name, body, 0, total=len(body), final=True)
    if method == "PATCH" and "upload-offset" in h:                                # tus
        total = _int(h.get("upload-length"))
        offset = _int(h["upload-offset"]) or 0
        return Chunk(f"tus:{host}{path}", name, body, offset, total=total,
                     final=total is not None and offset + len(body) >= total)
    if "x-entity-length" in h and ("offset" in h or "/rupload" in path):          # Meta rupload
        total = _int(h["x-entity-length"])
        offset = _int(h.get("offset", "0")) or 0
        return Chunk(f"rupload:{host}{path}", name, body, offset, total=total,
                     final=total is not None and offset + len(body) >= total)
    return None


def x_chunk(host: str, fields: dict[str, str], media: bytes | None) -> Chunk | None:
    """X `media/upload.json`: APPEND carries `media_id`, `segment_index`, `media`; FINALIZE closes it."""
    command = fields.get("command", "").upper()
    media_id = fields.get("media_id")
    if not media_id or command not in ("APPEND", "FINALIZE"):
        return None
    key = f"x:{host}:{media_id}"
    if command == "FINALIZE":
        return Chunk(key, f"media-{media_id}", b"", None, final=True)
    return Chunk(key, f"media-{media_id}", media or b"", None, index=_int(fields.get("segment_index")) or 0)


@dataclass
class _Session:
    created: float
    updated: float
    name: str
    total: int | None = None
    pieces: dict[int, bytes] = field(default_factory=dict)    # offset or segment index -> bytes
    ordered_by_index: bool = False
    size: int = 0


class SessionStore:
    def __init__(self, limits: Sessions, clock=time.monotonic):
        self.limits = limits
        self.clock = clock
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.dropped: list[tuple[str, str]] = []        # (key, reason) since the last `take_dropped()`

    @property
    def held_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._sessions)

    def expect(self, key: str, total: int) -> None:
        """A protocol announced the size before the first chunk (tus creation, X INIT)."""
        with self._lock:
            s = self._sessions.get(key) or self._new(key, key.rsplit("/", 1)[-1])
            s.total = total

    def add(self, chunk: Chunk) -> tuple[str, bytes] | None:
        """Store the chunk; (name, whole file) when the session is complete, else None."""
        with self._lock:
            now = self.clock()
            self._expire(now)
            s = self._sessions.get(chunk.key)
            if s is None:
                s = self._new(chunk.key, chunk.name)
            self._sessions.move_to_end(chunk.key)
            s.updated = now
            if chunk.total is not None:
                s.total = chunk.total
            if chunk.data:
                slot = chunk.index if chunk.offset is None else chunk.offset
                s.ordered_by_index = chunk.offset is None
                old = s.pieces.get(slot or 0)
                if old is not None:
                    s.size -= len(old)
                    self._bytes -= len(old)
                s.pieces[slot or 0] = chunk.data
                s.size += len(chunk.data)
                self._bytes += len(chunk.data)
            self._bound(keep=chunk.key)
            if chunk.key not in self._sessions:
                return None
            whole = self._assemble(s) if (chunk.final or (s.total is not None and s.size >= s.total)) else None
            if whole is None:
                return None
            self._drop(chunk.key)
            return s.name, whole

    def take_dropped(self) -> list[tuple[str, str]]:
        with self._lock:
            out, self.dropped = self.dropped, []
            return out

    # -- internals ---------------------------------------------------------------------------------
    def _new(self, key: str, name: str) -> _Session:
        now = self.clock()
        s = _Session(now, now, name)
        self._sessions[key] = s
        return s

    def _assemble(self, s: _Session) -> bytes | None:
        if s.ordered_by_index:
            return b"".join(s.pieces[i] for i in sorted(s.pieces))
        out = bytearray()
        for offset in sorted(s.pieces):
            piece = s.pieces[offset]
            if offset > len(out):
                return None                      # a gap: wait for the missing chunk
            out[offset:offset + len(piece)] = piece
        if s.total is not None and len(out) < s.total:
            return None
        return bytes(out)

    def _drop(self, key: str, reason: str | None = None) -> None:
        s = self._sessions.pop(key, None)
        if s is not None:
            self._bytes -= s.size
            if reason:
                self.dropped.append((key, reason))

    def _expire(self, now: float) -> None:
        for key in [k for k, s in self._sessions.items() if now - s.updated > self.limits.ttl_seconds]:
            self._drop(key, "session_expired")

    def _bound(self, keep: str) -> None:
        while len(self._sessions) > self.limits.max_sessions or self._bytes > self.limits.max_bytes:
            oldest = next(iter(self._sessions))
            if oldest == keep and len(self._sessions) == 1:
                self._drop(oldest, "session_too_large")
                return
            self._drop(oldest if oldest != keep else list(self._sessions)[1], "session_evicted")
