"""Who is behind a request: the proxy-auth user, else the policy's address map, else the source address."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from .policy.model import Identity


@dataclass(frozen=True, slots=True)
class Who:
    user: str
    groups: tuple[str, ...] = ()
    source: str = "ip"                          # "proxyauth" | "ipmap" | "ip"

    @property
    def group(self) -> str | None:
        """The primary group, used for group-level reports."""
        return self.groups[0] if self.groups else None


class IdentityResolver:
    """Resolves users with a small cache; address lookups are the only non-trivial work."""

    def __init__(self, identity: Identity):
        self._identity = identity
        self._by_address = lru_cache(maxsize=65536)(self._lookup_address)

    def _lookup_address(self, address: str) -> str | None:
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return None
        if ip.version == 6 and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        for rule in self._identity.addresses:
            if ip.version == rule.network.version and ip in rule.network:
                return rule.user
        return None

    def resolve(self, client_ip: str, proxy_user: str | None) -> Who:
        if proxy_user and self._identity.trust_proxy_auth:
            user, source = proxy_user, "proxyauth"
        else:
            mapped = self._by_address(client_ip) if client_ip else None
            user, source = (mapped, "ipmap") if mapped else (client_ip or "unknown", "ip")
        return Who(user=user, groups=self._identity.groups.get(user, ()), source=source)
