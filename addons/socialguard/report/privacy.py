"""Privacy by design for usage reports (guideline 2.7): k-anonymity of groups and platforms, keyed pseudonyms, and
the audit event of every report that shows a person."""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

import numpy as np

from .. import eventtypes
from ..events import DailyJsonlWriter, EventSink


def group_sizes(group_of: list[str], present: np.ndarray) -> dict[str, int]:
    """Distinct people per group among those `present` (seen inside the report's range)."""
    sizes: dict[str, int] = {}
    for g, here in zip(group_of, present.tolist()):
        sizes[g] = sizes.get(g, 0) + int(here)
    return sizes


def k_anonymous_people(group_of: list[str], present: np.ndarray, k: int) -> tuple[np.ndarray, int]:
    """Who may appear in a group-level report: the people of groups with at least `k` people present. Returns
    the mask over people and how many groups (with someone present) were hidden."""
    sizes = group_sizes(group_of, present)
    shown = {g for g, n in sizes.items() if n >= k}
    hidden = sum(1 for n in sizes.values() if 0 < n < k)
    return np.asarray([g in shown for g in group_of], dtype=bool), hidden


def k_anonymous_platforms(user: np.ndarray, platform: np.ndarray, n_platforms: int, k: int) -> np.ndarray:
    """Per platform index + 1 (0 is the "all" line): whether at least `k` distinct people used it."""
    ok = np.ones(n_platforms + 1, dtype=bool)
    for p in range(-1, n_platforms):
        ok[p + 1] = len(np.unique(user[platform == p])) >= k
    return ok


class Pseudonymiser:
    """`p-` + the first 16 hex digits of HMAC-SHA256(key, user): stable across reports made with the same key,
    not reversible without it, and not guessable by hashing a list of names (unlike a plain hash)."""

    def __init__(self, key: bytes):
        self._key = key

    @classmethod
    def from_key_file(cls, path: Path) -> "Pseudonymiser":
        """Read the key, creating it (32 random bytes, mode 0600) on first use."""
        path = Path(path)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
        key = path.read_bytes()
        if len(key) < 16:
            raise ValueError(f"pseudonym key file {path} holds fewer than 16 bytes")
        return cls(key)

    def __call__(self, user: str) -> str:
        return "p-" + hmac.new(self._key, user.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def operator_name() -> str:
    """Who runs the report: the invoking user behind sudo when there is one."""
    return os.environ.get("SUDO_USER") or getpass.getuser()


audit_event = eventtypes.audit


def write_audit(events_dir: Path, event: dict[str, Any]) -> None:
    """Append the audit event to the same daily files the proxies write, so the SIEM sees who looked."""
    sink = EventSink(DailyJsonlWriter(events_dir), node="socialguard-report")
    try:
        sink.emit(event)
    finally:
        sink.close()
