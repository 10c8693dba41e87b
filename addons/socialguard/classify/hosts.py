"""Host -> platform by suffix on a dot boundary: one dict lookup per label, the whole cost for non-social hosts."""

from __future__ import annotations

from ..policy.model import Catalog, Platform


class HostIndex:
    def __init__(self, catalog: Catalog):
        self._hosts: dict[str, tuple[Platform, bool]] = {}
        for p in catalog.platforms:
            for h in p.hosts:
                self._hosts[h.removeprefix("*.")] = (p, False)
            for h in p.background_hosts:
                self._hosts[h.removeprefix("*.")] = (p, True)

    def lookup(self, host: str) -> tuple[Platform, bool, str] | None:
        """(platform, background host?, matched suffix) or None. `www.netflix.com` is not `x.com`."""
        hosts = self._hosts
        hit = hosts.get(host)
        if hit is not None:
            return hit[0], hit[1], host
        dot = host.find(".")
        while dot != -1:
            suffix = host[dot + 1:]
            hit = hosts.get(suffix)
            if hit is not None:
                return hit[0], hit[1], suffix
            dot = host.find(".", dot + 1)
        return None
