"""Tamper evidence for event files: every line of `events-YYYY-MM-DD.jsonl` carries, in ECS `event.hash`, a hash
over the previous line's hash and its own bytes, so an edited, inserted, removed or reordered line breaks the
chain there.

One chain per file, whatever wrote it. The writer appends under an exclusive `flock` and takes the previous
hash from the file itself (its last line), so the chain carries on across restarts and across several proxy
processes sharing one folder; a process that wrote the last line itself skips even that read (the file's size
tells it). The renderer puts `event` right after `@timestamp` with `hash` first, holding a placeholder of 64
zeros; the writer replaces it:

    {"@timestamp":"…","event":{"hash":"<64 hex>","action":…},…}

    hash(line) = sha256( hash(previous line) || "\n" || the line's bytes with its hash as 64 zeros )
    hash(before line 1) = sha256("socialguard events " || file name)

The file name in the first link ties a chain to its day: lines moved to another day's file break too.
A chain shows *that* a file was changed as long as its last hash is known to someone else: whoever rewrites a
whole file can recompute every hash. `verify-events` prints each file's last hash for that (docs/security.md).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

PLACEHOLDER = "0" * 64
_ZEROS = PLACEHOLDER.encode()
_MARK = b'"event":{"hash":"'
_MARK_WITHIN = 128              # `{"@timestamp":"<24 chars>",` comes first: the mark starts at byte 41
_HASH = re.compile(rb"[0-9a-f]{64}\"")
_TAIL_CHUNK = 4096              # most lines are shorter: one read
MAX_LINE_BYTES = 1 << 20        # the writer's lines are far shorter; a longer one is reported, not read whole


def genesis(file_name: str) -> bytes:
    """The hash (hex, ASCII) that the first line of a file links to."""
    return hashlib.sha256(f"socialguard events {file_name}".encode()).hexdigest().encode()


def _hash_at(line: bytes) -> int:
    """Where the 64 hex digits of `event.hash` start in a rendered line, or -1."""
    i = line.find(_MARK, 0, _MARK_WITHIN)
    if i < 0:
        return -1
    start = i + len(_MARK)
    return start if _HASH.match(line, start) else -1


def link(prev: bytes, line: bytes) -> tuple[bytes, bytes | None]:
    """`line` (one rendered event, no newline) with its hash filled in, newline-terminated; and that hash.
    A line without the placeholder (never from the renderer) goes out unchained (hash None: the next line
    starts from the genesis again), and the verifier names it."""
    start = _hash_at(line)
    if start < 0 or line[start:start + 64] != _ZEROS:
        return line + b"\n", None
    digest = hashlib.sha256(prev + b"\n" + line).hexdigest().encode()
    return line[:start] + digest + line[start + 64:] + b"\n", digest


def unchained(raw: bytes) -> tuple[bytes, bytes | None]:
    """A written line split into the bytes that were hashed (its hash back to zeros, no newline) and its
    recorded hash (None: no hash, or still the placeholder)."""
    line = raw[:-1] if raw.endswith(b"\n") else raw
    start = _hash_at(line)
    if start < 0 or line[start:start + 64] == _ZEROS:
        return line, None
    return line[:start] + _ZEROS + line[start + 64:], line[start:start + 64]


def _last_line(fd: int, size: int) -> bytes:
    """The file's last line (with its newline), read backwards from the end in chunks."""
    data = b""
    pos = size
    while pos > 0:
        start = max(0, pos - _TAIL_CHUNK)
        data = os.pread(fd, pos - start, start) + data
        pos = start
        cut = data.rfind(b"\n", 0, len(data) - 1)
        if cut >= 0:
            return data[cut + 1:]
        if len(data) > MAX_LINE_BYTES:
            return b""
    return data


def tail_link(fd: int, size: int, file_name: str) -> tuple[bytes, bool]:
    """The hash the next line appended to this open file links to, read from its last line; and whether the
    file ends without a newline (a line torn by a crash: the next write starts on a new line).
    A last line without a hash (older format, torn, edited) restarts the chain from the file's genesis; the
    verifier reports that line."""
    if size == 0:
        return genesis(file_name), False
    if os.pread(fd, 1, size - 1) != b"\n":
        return genesis(file_name), True
    recorded = unchained(_last_line(fd, size))[1]
    return (recorded if recorded is not None else genesis(file_name)), False


@dataclass
class FileCheck:
    """What `verify` found in one file."""

    path: Path
    lines: int = 0
    first_broken: int | None = None     # 1-based line number
    reason: str = ""
    broken: int = 0
    head: str = ""                      # the last line's hash: record it elsewhere to anchor the chain

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def _lines(f):
    """The file's lines, each read with a bound: a hostile multi-gigabyte line is skipped (yielded as None)
    instead of being held in memory."""
    while True:
        raw = f.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = f.readline(MAX_LINE_BYTES)
            yield None
            continue
        yield raw


def verify(path: Path) -> FileCheck:
    """Walk one file's chain. After a broken line the walk goes on from that line's recorded hash (or the
    genesis, where it has none, as the writer does), so one edit counts as one broken line."""
    check = FileCheck(Path(path))
    name = check.path.name.removesuffix(".gz")         # a compressed old day keeps its chain
    prev = genesis(name)
    with (gzip.open(path, "rb") if check.path.name.endswith(".gz") else open(path, "rb")) as f:
        for number, raw in enumerate(_lines(f), 1):
            check.lines = number
            body, recorded = unchained(raw) if raw is not None else (b"", None)
            problem = ""
            if raw is None:
                problem = f"line longer than {MAX_LINE_BYTES} bytes (not an event line)"
            elif not raw.endswith(b"\n"):
                problem = "incomplete last line (no newline)"
            elif recorded is None:
                problem = "no event.hash (an unchained or damaged line)"
            elif hashlib.sha256(prev + b"\n" + body).hexdigest().encode() != recorded:
                problem = "hash does not match: this line or the one before it was edited, inserted or removed"
            if problem:
                check.broken += 1
                if check.first_broken is None:
                    check.first_broken, check.reason = number, problem
            prev = recorded if recorded is not None else genesis(name)
    check.head = prev.decode()
    return check
