"""Daily JSON-lines files: `events-YYYY-MM-DD.jsonl` (UTC day of the event's @timestamp).

Durability (operations.yaml `events:`, docs/operations.md#event-durability):
- flush `per_event`: each event is one `os.write` of a whole line on an O_APPEND descriptor, at once. Nothing sits
  in a user-space buffer, so a crash or SIGKILL loses no event that was emitted, and several proxy processes can
  append to the same file without tearing lines.
- `fsync_interval`: the files are fsync'ed at most this often (0: after every event; None: never, the kernel
  decides). This bounds what a power loss can take.
- A write the disk refuses (ENOSPC, EFBIG, EIO) never reaches the caller: the line waits in a bounded in-memory
  queue (`pending_max`, oldest dropped first), `on_error` is told, and the queue goes out first, in order, on the
  next write or `flush()` that succeeds. Traffic keeps flowing either way.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from pathlib import Path

from .. import metrics

_MAX_OPEN_DAYS = 4
DEFAULT_PENDING_MAX = 100_000


class DailyJsonlWriter:
    def __init__(self, directory: str | Path, fsync_interval: float | None = None,
                 on_error: Callable[[OSError], None] | None = None, prefix: str = "events",
                 pending_max: int = DEFAULT_PENDING_MAX):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.fsync_interval = fsync_interval
        self._fds: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()
        self._last_sync = time.monotonic()
        self._dirty = False
        # Set by a proxy whose timer calls `sync_off_lock` from a thread: writers then never wait for fsync.
        self.synced_by_timer = False
        # Lines that could not be written (disk full) wait here, bounded, and go out first next time.
        self._pending: deque[tuple[str, str]] = deque(maxlen=pending_max)
        self._on_error = on_error
        self.written = 0
        self.errors = 0
        self.dropped = 0

    def configure(self, fsync_interval: float | None, pending_max: int) -> None:
        """Apply a reloaded policy's durability setting without reopening anything."""
        with self._lock:
            self.fsync_interval = fsync_interval
            if pending_max != self._pending.maxlen:
                self._pending = deque(self._pending, maxlen=pending_max)

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
        self._dirty = True

    def _drain_pending(self) -> None:
        while self._pending:
            self._write_one(*self._pending[0])
            self._pending.popleft()
            self.written += 1

    def msg(self, line: str, day: str) -> None:
        started = time.perf_counter()
        with self._lock:
            try:
                self._drain_pending()
                self._write_one(line, day)
                self.written += 1
            except OSError as e:
                self.errors += 1
                if len(self._pending) == self._pending.maxlen:
                    self.dropped += 1
                if self._pending.maxlen:
                    self._pending.append((line, day))
                else:
                    self.dropped += 1
                if self._on_error:
                    self._on_error(e)
                else:
                    print(f"socialguard: cannot write event: {e}", file=sys.stderr)
                return
            finally:
                metrics.event_pending.set(len(self._pending))
            if (self.fsync_interval is not None and (self.fsync_interval == 0 or not self.synced_by_timer)
                    and time.monotonic() - self._last_sync >= self.fsync_interval):
                self._sync()
        metrics.event_write_seconds.observe(time.perf_counter() - started)

    def _sync(self) -> None:
        for fd in self._fds.values():
            try:
                os.fsync(fd)
            except OSError:
                pass
        self._last_sync = time.monotonic()
        self._dirty = False

    @property
    def pending(self) -> int:
        return len(self._pending)

    def sync_off_lock(self, slack: float = 0.0) -> None:
        """For a timer thread: fsync what was written, once `fsync_interval - slack` has passed, on duplicates
        of the descriptors and without holding the write lock, so that a slow disk never holds up a writer
        (the proxy's event loop)."""
        with self._lock:
            if not (self._dirty and self.fsync_interval is not None
                    and time.monotonic() - self._last_sync >= self.fsync_interval - slack):
                return
            fds = [os.dup(fd) for fd in self._fds.values()]
            self._last_sync = time.monotonic()
            self._dirty = False
        for fd in fds:
            try:
                os.fsync(fd)
            except OSError:
                pass
            finally:
                os.close(fd)

    def sync_if_due(self) -> None:
        """For a timer: fsync written-but-unsynced events once the interval has passed, even if no event follows."""
        with self._lock:
            if (self._dirty and self.fsync_interval is not None
                    and time.monotonic() - self._last_sync >= self.fsync_interval):
                self._sync()

    def retry_pending(self) -> bool:
        """For a timer: write what waits once the disk takes it again, without counting another error."""
        with self._lock:
            try:
                self._drain_pending()
            except OSError:
                pass
            metrics.event_pending.set(len(self._pending))
            return not self._pending

    def flush(self) -> bool:
        """Write what is pending and fsync; False when the disk still refuses (the lines stay pending)."""
        with self._lock:
            try:
                self._drain_pending()
            except OSError as e:
                if self._on_error:
                    self._on_error(e)
            finally:
                metrics.event_pending.set(len(self._pending))
            self._sync()
            return not self._pending

    def close(self) -> None:
        self.flush()
        with self._lock:
            if self._pending:
                print(f"socialguard: {len(self._pending)} events could not be written before exit",
                      file=sys.stderr)
            for fd in self._fds.values():
                os.close(fd)
            self._fds.clear()
