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

Tamper evidence (events/integrity.py): each line ends with a hash chained over the file's previous line. The
append runs under an exclusive `flock` on `.events.lock` in the folder, which is what keeps one chain per file
when several processes share the folder; the process takes the previous hash from its own last write when the
file has not grown since (one `fstat`), else from the file's last ~100 bytes (one `pread`). The lock is a file
of its own, mode 0600, rather than the event file: anyone who may *read* the event files could flock them and
stall every writer, but only the service account can open the lock file.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from pathlib import Path

from .. import metrics
from . import integrity

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
        # day -> (file size after this process's last write, that line's hash): the chain head we wrote.
        self._heads: dict[str, tuple[int, bytes]] = {}
        self._lock_fd: int | None = None
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

    def _chain_lock(self) -> int:
        if self._lock_fd is None:
            self._lock_fd = os.open(self.directory / f".{self.prefix}.lock",
                                    os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        return self._lock_fd

    def path_for(self, day: str) -> Path:
        return self.directory / f"{self.prefix}-{day}.jsonl"

    def _fd(self, day: str) -> int:
        fd = self._fds.get(day)
        if fd is not None:
            self._fds.move_to_end(day)
            return fd
        # Read as well as append: the chain's previous hash is read back from the file's end.
        fd = os.open(self.path_for(day), os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
        self._fds[day] = fd
        # Age-based cleaning (tmpfiles `m:400d`) must never take the lock file in use: touch it once a day.
        os.utime(self._chain_lock())
        while len(self._fds) > _MAX_OPEN_DAYS:
            old_day, old = self._fds.popitem(last=False)
            self._heads.pop(old_day, None)
            os.close(old)
        return fd

    def _write_one(self, line: str, day: str) -> None:
        # Lone surrogates (mitmproxy decodes undecodable path bytes with surrogateescape) can only sit inside JSON
        # strings, where backslashreplace's `\udcff` is a valid JSON escape: the line stays one valid JSON line.
        data = line.encode("utf-8", "backslashreplace")
        fd = self._fd(day)
        lock = self._chain_lock()
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            end = os.fstat(fd).st_size
            head = self._heads.get(day)
            if head is not None and head[0] == end:
                prev, torn = head[1], False
            else:
                prev, torn = integrity.tail_link(fd, end, self.path_for(day).name)
            out, digest = integrity.link(prev, data)
            if torn:
                out = b"\n" + out          # a line torn by a crash stays a line of its own (the verifier names it)
            n = os.write(fd, out)
            if n != len(out):
                # A short write on a regular file means the disk filled mid-line; never leave half a line.
                os.ftruncate(fd, end)
                raise OSError(errno.ENOSPC, "short write")
            if digest is None:
                self._heads.pop(day, None)
            else:
                self._heads[day] = (end + n, digest)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
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
            self._heads.clear()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
