"""Host -> value by suffix on a dot boundary: one dict lookup per label, the whole cost for non-social hosts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

from ..policy.model import Catalog, Platform

V = TypeVar("V")


class SuffixIndex(Generic[V]):
    """Host names (each covering its subdomains) -> a value; the longest listed suffix wins."""

    def __init__(self, entries: Mapping[str, V]):
        self._entries = dict(entries)

    def lookup(self, host: str) -> tuple[V, str] | None:
        """(value, matched suffix) or None. `www.netflix.com` is not `x.com`."""
        entries = self._entries
        hit = entries.get(host)
        if hit is not None:
            return hit, host
        dot = host.find(".")
        while dot != -1:
            suffix = host[dot + 1:]
            hit = entries.get(suffix)
            if hit is not None:
                return hit, suffix
            dot = host.find(".", dot + 1)
        return None


def platform_hosts(catalog: Catalog) -> SuffixIndex[tuple[Platform, bool]]:
    """Catalog host -> (platform, is it a background host?)."""
    entries: dict[str, tuple[Platform, bool]] = {}
    for p in catalog.platforms:
        for h in p.hosts:
            entries[h.removeprefix("*.")] = (p, False)
        for h in p.background_hosts:
            entries[h.removeprefix("*.")] = (p, True)
    return SuffixIndex(entries)
