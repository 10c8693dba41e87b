"""What the classifier learns from traffic: bounded, expiring, and kept across restarts in a small state file.

Two stores (`fediverse` hosts, `official` posts) share one shape: an LRU (cachetools.LRUCache) of
key -> (value, expires_at); an expired entry is dropped when it is next read (or evicted as least recently used).
Each has a fixed capacity, so a flood of distinct hosts or ids evicts the least recently used entries and memory
stays flat. Nothing here reads traffic; `fediverse.py` and `official_posts.py`
decide what to remember.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any

from cachetools import LRUCache

STATE_VERSION = 1
MAX_STATE_BYTES = 32 * 1024 * 1024   # a state file larger than this is not ours (or was tampered with): ignored


class ExpiringStore:
    """key -> value, at most `capacity` entries, each forgotten `ttl_s` seconds after it was last learned."""

    def __init__(self, capacity: int, ttl_s: float, clock: Callable[[], float] = time.time):
        self.capacity = capacity
        self.ttl_s = ttl_s
        self._clock = clock
        self._cache: LRUCache = LRUCache(maxsize=capacity)
        # key -> value for every entry, a plain dict: the hot path asks `host in index` at C speed; an expired
        # entry may linger here until it is next read (`get` is the authority).
        self.index: dict[Hashable, Any] = {}

    def __len__(self) -> int:
        return len(self._cache)

    def __bool__(self) -> bool:
        return len(self._cache) > 0

    def get(self, key: Hashable) -> Any:
        hit = self._cache.get(key)
        if hit is None:
            return None
        if hit[1] <= self._clock():
            del self._cache[key]
            self.index.pop(key, None)
            return None
        return hit[0]

    def put(self, key: Hashable, value: Any, expires_at: float | None = None) -> None:
        now = self._clock()
        limit = now + self.ttl_s
        expires = limit if expires_at is None else min(expires_at, limit)
        if expires <= now:
            return
        if key not in self._cache and len(self._cache) >= self.capacity:
            evicted, _ = self._cache.popitem()          # the least recently used
            self.index.pop(evicted, None)
        self._cache[key] = (value, expires)
        self.index[key] = value

    def rows(self) -> Iterator[tuple[Hashable, Any, float]]:
        """Live entries, least recently used first (so a reload keeps the most recent ones)."""
        now = self._clock()
        for key, (value, expires) in list(self._cache.items()):
            if expires > now:
                yield key, value, expires


class ClassifierMemory:
    """The learned fediverse hosts and official posts of one proxy (kept on the runtime across policy reloads)."""

    def __init__(self, hosts_capacity: int = 10_000, hosts_ttl_s: float = 30 * 86400,
                 posts_capacity: int = 200_000, posts_ttl_s: float = 14 * 86400,
                 clock: Callable[[], float] = time.time):
        self.hosts = ExpiringStore(hosts_capacity, hosts_ttl_s, clock)     # host -> platform slug
        self.posts = ExpiringStore(posts_capacity, posts_ttl_s, clock)     # (platform, id) -> official handle
        self.changed = False

    # -- the state file --------------------------------------------------------------------------
    def snapshot(self) -> dict:
        """The state as a document (on the thread that mutates the stores); `write` it anywhere."""
        self.changed = False
        return {"version": STATE_VERSION,
                "hosts": [[k, v, round(e)] for k, v, e in self.hosts.rows()],
                "posts": [[k[0], k[1], v, round(e)] for k, v, e in self.posts.rows()]}

    def save(self, path: Path) -> None:
        write_state(path, self.snapshot())

    def load(self, path: Path) -> str | None:
        """Read a state file written by `save`; returns why it was not used (None when it was)."""
        try:
            if path.is_symlink() or path.stat().st_size > MAX_STATE_BYTES:
                return "not a regular state file or too large"
            doc = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            return f"unreadable: {type(e).__name__}"
        if not isinstance(doc, dict) or doc.get("version") != STATE_VERSION:
            return "unknown state version"
        from .fediverse import valid_learned_host

        for row in _rows(doc.get("hosts"), 3)[-self.hosts.capacity:]:
            host, slug, expires = row
            if isinstance(host, str) and isinstance(slug, str) and _num(expires) and valid_learned_host(host):
                self.hosts.put(host, slug, expires)
        for row in _rows(doc.get("posts"), 4)[-self.posts.capacity:]:
            platform, pid, handle, expires = row
            if all(isinstance(x, str) and 0 < len(x) <= 300 for x in (platform, pid, handle)) and _num(expires):
                self.posts.put((platform, pid), handle, expires)
        return None


def write_state(path: Path, doc: dict) -> None:
    """Write a `snapshot` atomically (temp file + rename): a crash leaves the previous state, never half a file.
    Pure I/O on a finished document, so the proxy runs it in a thread."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".classify-state-", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(doc, f, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _rows(value: Any, width: int) -> list[list]:
    return [r for r in value if isinstance(r, list) and len(r) == width] if isinstance(value, list) else []


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
