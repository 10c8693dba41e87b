"""Tamper evidence for event files: every line of `events-YYYY-MM-DD.jsonl` ends with a hash over the previous
line's hash and its own bytes, so an edited, inserted, removed or reordered line breaks the chain there.

One chain per file, whatever wrote it. The writer appends under an exclusive `flock` on the file and takes the
previous hash from the file itself (the last ~100 bytes), so the chain carries on across restarts and across
several proxy processes sharing one folder; a process that wrote the last line itself skips even that read
(the file's size tells it). The line format:

    {...the event as rendered...,"chain":"<64 hex>"}

    chain(line) = sha256( chain(previous line) || "\\n" || the line's bytes without `,"chain":"…"` )
    chain(before line 1) = sha256("socialguard events " || file name)

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

FIELD = "chain"
_SUFFIX = re.compile(rb',"chain":"([0-9a-f]{64})"\}\n?$')
_SUFFIX_LEN = len(b',"chain":""}\n') + 64
_TAIL_READ = 256
MAX_LINE_BYTES = 1 << 20        # the writer's lines are far shorter; a longer one is reported, not read whole


def genesis(file_name: str) -> bytes:
    """The hash (hex, ASCII) that the first line of a file links to."""
    return hashlib.sha256(f"socialguard events {file_name}".encode()).hexdigest().encode()


def link(prev: bytes, line: bytes) -> tuple[bytes, bytes | None]:
    """`line` (one rendered JSON object, no newline) with its chain field appended, newline-terminated; and its
    hash. A line that is not a JSON object (never from the renderer) goes out unchained (hash None: the next line
    starts from the genesis again) and the verifier flags it."""
    if not (line.startswith(b"{") and line.endswith(b"}")):
        return line + b"\n", None
    digest = hashlib.sha256(prev + b"\n" + line).hexdigest().encode()
    sep = b"," if len(line) > 2 else b""
    return line[:-1] + sep + b'"chain":"' + digest + b'"}\n', digest


def unchained(line: bytes) -> tuple[bytes, bytes | None]:
    """A written line split into the bytes that were hashed and its recorded hash (None: no chain field)."""
    m = _SUFFIX.search(line)
    if m is None:
        return line.rstrip(b"\n"), None
    body = line[:m.start()]
    return (body + b"}" if body != b"{" else b"{}"), m.group(1)


def tail_link(fd: int, size: int, file_name: str) -> tuple[bytes, bool]:
    """The hash the next line appended to this open file links to, read from the end of the file; and whether
    the file ends without a newline (a line torn by a crash: the next write starts on a new line).
    A last line without a chain field (older format, torn, edited) restarts the chain from the file's genesis;
    the verifier reports that line."""
    if size == 0:
        return genesis(file_name), False
    start = max(0, size - _TAIL_READ)
    tail = os.pread(fd, size - start, start)
    if not tail.endswith(b"\n"):
        return genesis(file_name), True
    m = _SUFFIX.search(tail)
    return (m.group(1) if m else genesis(file_name)), False


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
                problem = "no chain hash (an unchained or damaged line)"
            elif hashlib.sha256(prev + b"\n" + body).hexdigest().encode() != recorded:
                problem = "hash does not match: this line or the one before it was edited, inserted or removed"
            if problem:
                check.broken += 1
                if check.first_broken is None:
                    check.first_broken, check.reason = number, problem
            prev = recorded if recorded is not None else genesis(name)
    check.head = prev.decode()
    return check
