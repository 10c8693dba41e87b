"""Daily JSON-lines files: `events-YYYY-MM-DD.jsonl` (UTC day of the event's @timestamp).

Each event is one `os.write` of a whole line on an O_APPEND descriptor: complete lines only, even with several
proxy processes appending to the same file, and nothing sits in a user-space buffer at shutdown.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import time
from collections import OrderedDict, deque
from pathlib import Path

_MAX_OPEN_DAYS = 4
_MAX_PENDING = 100_000


class DailyJsonlWriter:
    def __init__(self, directory: str | Path, fsync_interval: float | None = None,
                 on_error=None, prefix: str = "events"):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.fsync_interval = fsync_interval
        self._fds: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()
        self._last_sync = time.monotonic()
        # Lines that could not be written (disk full) wait here, bounded, and go out first next time.
        self._pending: deque[tuple[str, str]] = deque(maxlen=_MAX_PENDING)
        self._on_error = on_error
        self.written = 0
        self.errors = 0

    def path_for(self, day: str) -> Path:
        return self.directory / f"{self.prefix}-{day}.jsonl"

    def _fd(self, day: str) -> int:
        fd = self._fds.get(day)
        if fd is not None:
            self._fds.move_to_end(day)
            return fd
        fd = os.open(self.path_for(day), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
        self._fds[day] = fd
        while len(self._fds) > _MAX_OPEN_DAYS:
            _, old = self._fds.popitem(last=False)
            os.close(old)
        return fd

    def _write_one(self, line: str, day: str) -> None:
        # Lone surrogates (mitmproxy decodes undecodable path bytes with surrogateescape) can only sit inside JSON
        # strings, where backslashreplace's `\udcff` is a valid JSON escape: the line stays one valid JSON line.
        data = (line + "\n").encode("utf-8", "backslashreplace")
        fd = self._fd(day)
        n = os.write(fd, data)
        if n != len(data):
            # A short write on a regular file means the disk filled mid-line; never leave half a line.
            os.ftruncate(fd, os.lseek(fd, 0, os.SEEK_END) - n)
            raise OSError(errno.ENOSPC, "short write")

    def msg(self, line: str, day: str) -> None:
        with self._lock:
            try:
                while self._pending:
                    self._write_one(*self._pending[0])
                    self._pending.popleft()
                self._write_one(line, day)
                self.written += 1
            except OSError as e:
                self.errors += 1
                self._pending.append((line, day))
                if self._on_error:
                    self._on_error(e)
                else:
                    print(f"socialguard: cannot write event: {e}", file=sys.stderr)
                return
            if self.fsync_interval is not None and time.monotonic() - self._last_sync >= self.fsync_interval:
                self._sync()

    def _sync(self) -> None:
        for fd in self._fds.values():
            try:
                os.fsync(fd)
            except OSError:
                pass
        self._last_sync = time.monotonic()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> None:
        with self._lock:
            while self._pending:
                try:
                    self._write_one(*self._pending[0])
                except OSError:
                    break
                self._pending.popleft()
            self._sync()

    def close(self) -> None:
        self.flush()
        with self._lock:
            for fd in self._fds.values():
                os.close(fd)
            self._fds.clear()
