"""operations.yaml: TLS pass-through lists, event durability, metrics and health endpoints, policy reload,
where the proxy refuses to forward."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .source import Document


@dataclass(frozen=True, slots=True)
class TlsPolicy:
    decrypt: Literal["social", "all"] = "social"
    never_decrypt: tuple[str, ...] = ()          # host suffixes, lower-case, no leading '*.'
    always_passthrough: tuple[str, ...] = ()
    decrypt_also: tuple[str, ...] = ()
    without_sni: Literal["passthrough", "decrypt"] = "passthrough"
    summary_interval_s: float = 300.0
    summary_max_domains: int = 20000


@dataclass(frozen=True, slots=True)
class EventsDurability:
    flush: Literal["per_event"] = "per_event"
    fsync_interval_s: float | None = 1.0
    pending_max: int = 100_000


@dataclass(frozen=True, slots=True)
class MetricsEndpoint:
    enabled: bool = True
    listen_host: str = "127.0.0.1"
    port: int = 9464


@dataclass(frozen=True, slots=True)
class ReloadPolicy:
    watch: bool = True
    poll_interval_s: float = 2.0


@dataclass(frozen=True, slots=True)
class ForwardingPolicy:
    refuse_loopback: bool = True                 # besides the proxy's own sockets, refused always


@dataclass(frozen=True, slots=True)
class OperationsPolicy:
    tls: TlsPolicy = field(default_factory=TlsPolicy)
    events: EventsDurability = field(default_factory=EventsDurability)
    metrics: MetricsEndpoint = field(default_factory=MetricsEndpoint)
    reload: ReloadPolicy = field(default_factory=ReloadPolicy)
    forwarding: ForwardingPolicy = field(default_factory=ForwardingPolicy)


def _hosts(doc: Document, key: str, values: list[str]) -> tuple[str, ...]:
    out = []
    for i, h in enumerate(values):
        host = h.lower().removeprefix("*.").rstrip(".")
        if not host or host.startswith(".") or ".." in host:
            raise doc.error(["tls", key, i], f"not a host name: {h!r}")
        out.append(host)
    return tuple(dict.fromkeys(out))


def parse_operations(docs: list[Document], directory: Path) -> OperationsPolicy:
    if not docs:
        return OperationsPolicy()
    doc = docs[0]
    d = doc.data
    t = d.get("tls", {})
    lists = {k: _hosts(doc, k, t.get(k, [])) for k in ("never_decrypt", "always_passthrough", "decrypt_also")}
    clash = set(lists["decrypt_also"]) & (set(lists["never_decrypt"]) | set(lists["always_passthrough"]))
    if clash:
        raise doc.error(["tls", "decrypt_also"],
                        f"listed both to decrypt and to pass through: {', '.join(sorted(clash))}")
    tls = TlsPolicy(
        decrypt=t.get("decrypt", "social"), **lists,
        without_sni=t.get("without_sni", "passthrough"),
        summary_interval_s=float(t.get("summary_interval_s", 300)),
        summary_max_domains=t.get("summary_max_domains", 20000),
    )
    e = d.get("events", {})
    fsync = e.get("fsync_interval_s", 1.0)
    events = EventsDurability(flush=e.get("flush", "per_event"),
                              fsync_interval_s=None if fsync is None else float(fsync),
                              pending_max=e.get("pending_max", 100_000))
    m = d.get("metrics", {})
    metrics = MetricsEndpoint(enabled=m.get("enabled", True), listen_host=m.get("listen_host", "127.0.0.1"),
                              port=m.get("port", 9464))
    r = d.get("reload", {})
    reload = ReloadPolicy(watch=r.get("watch", True), poll_interval_s=float(r.get("poll_interval_s", 2)))
    forwarding = ForwardingPolicy(refuse_loopback=d.get("forwarding", {}).get("refuse_loopback", True))
    return OperationsPolicy(tls=tls, events=events, metrics=metrics, reload=reload, forwarding=forwarding)
