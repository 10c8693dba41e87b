"""Which TLS connections are decrypted, decided from the SNI alone, and the domain-only count of the others.

Knows nothing of mitmproxy: the adapter asks `TlsChooser.decide(sni)` in its ClientHello hook and feeds
`PassthroughCounter` for every connection it leaves encrypted. Nothing about a passed-through connection is
known but its domain, so that is all that is ever recorded: per domain, how many connections, no user, no path.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from . import eventtypes
from .classify.hosts import SuffixIndex, platform_hosts
from .policy.model import Catalog
from .policy.operations import TlsPolicy

OTHER_DOMAINS = "(other)"
NO_SNI = "(no sni)"


@dataclass(frozen=True, slots=True)
class TlsDecision:
    decrypt: bool
    # never_decrypt | pinned | not_social | no_sni (pass-through);
    # social | learned_host | professional_host | decrypt_also | decrypt_all | reserved (decrypt)
    reason: str
    platform: str | None = None


class TlsChooser:
    def __init__(self, tls: TlsPolicy, catalog: Catalog, professional_hosts: tuple[str, ...] = (),
                 reserved_hosts: tuple[str, ...] = (), learned_hosts: Mapping[str, str] | None = None):
        self.tls = tls
        # Fediverse servers the classifier learned (classify/memory.py: a live dict, exact names -> platform):
        # decrypted like catalog hosts so their other requests are seen.
        self._learned = learned_hosts
        self._platforms = platform_hosts(catalog)
        # Later entries win: agency.yaml's professional instances (fediverse servers recognised by their API
        # paths, which only decryption shows), then decrypt_also (never overlapping the pass-through lists:
        # the parser rejects it), always_passthrough, and never_decrypt last, above everything.
        lists = {h.lower().removeprefix("*."): "professional_host" for h in professional_hosts}
        lists.update({h: "decrypt_also" for h in tls.decrypt_also})
        lists.update({h: "pinned" for h in tls.always_passthrough})
        lists.update({h: "never_decrypt" for h in tls.never_decrypt})
        # Hosts the proxy answers itself (the banner's dismiss link) are always decrypted: nobody else can.
        self._reserved = frozenset(h.lower() for h in reserved_hosts)
        self._lists: SuffixIndex[str] = SuffixIndex(lists)

    def decide(self, sni: str | None) -> TlsDecision:
        host = (sni or "").lower().rstrip(".")
        if not host:
            return TlsDecision(self.tls.without_sni == "decrypt", "no_sni")
        if host in self._reserved:
            return TlsDecision(True, "reserved")
        listed_hit = self._lists.lookup(host)
        listed = listed_hit[0] if listed_hit else None
        hit = self._platforms.lookup(host)
        platform = hit[0][0].slug if hit else None
        if listed is not None:
            return TlsDecision(listed in ("decrypt_also", "professional_host"), listed, platform)
        if platform is not None:
            return TlsDecision(True, "social", platform)
        if self._learned and host in self._learned:
            return TlsDecision(True, "learned_host", self._learned.get(host))
        if self.tls.decrypt == "all":
            return TlsDecision(True, "decrypt_all")
        return TlsDecision(False, "not_social")


class PassthroughCounter:
    """Connections left encrypted, per (domain, reason, platform), bounded; drained into summary events."""

    def __init__(self, max_domains: int = 20000):
        self.max_domains = max_domains
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str, str | None]] = Counter()
        self._since = time.time()

    def add(self, sni: str | None, decision: TlsDecision) -> None:
        domain = (sni or "").lower().rstrip(".") or NO_SNI
        key = (domain, decision.reason, decision.platform)
        with self._lock:
            if key not in self._counts and len(self._counts) >= self.max_domains:
                key = (OTHER_DOMAINS, decision.reason, None)
            self._counts[key] += 1

    def drain(self, now: float | None = None) -> list[dict]:
        """One `socialguard.passthrough` event per counted domain since the last drain."""
        now = time.time() if now is None else now
        with self._lock:
            counts, self._counts = self._counts, Counter()
            since, self._since = self._since, now
        window_ns = max(0, int((now - since) * 1e9))
        return [
            eventtypes.passthrough(since=since, window_ns=window_ns, domain=domain, reason=reason, connections=n,
                                   platform=platform)
            for (domain, reason, platform), n in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1]))
        ]
