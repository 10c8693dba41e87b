"""operations.yaml: TLS pass-through lists, event durability, metrics and health endpoints, policy reload,
where the proxy refuses to forward."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .source import Document, given


@dataclass(frozen=True, slots=True)
class TlsPolicy:
    decrypt: Literal["social", "all"] = "social"
    never_decrypt: tuple[str, ...] = ()          # host suffixes, lower-case, no leading '*.'
    always_passthrough: tuple[str, ...] = ()
    decrypt_also: tuple[str, ...] = ()
    without_sni: Literal["passthrough", "decrypt"] = "passthrough"
    summary_interval_s: float = 300.0
    summary_max_domains: int = 20000

    @classmethod
    def from_document(cls, doc: Document) -> TlsPolicy:
        t = doc.data.get("tls", {})
        lists = {k: _hosts(doc, k, t[k]) for k in ("never_decrypt", "always_passthrough", "decrypt_also") if k in t}
        clash = set(lists.get("decrypt_also", ())) & (set(lists.get("never_decrypt", ()))
                                                      | set(lists.get("always_passthrough", ())))
        if clash:
            raise doc.error(["tls", "decrypt_also"],
                            f"listed both to decrypt and to pass through: {', '.join(sorted(clash))}")
        return cls(**lists, **given(t, decrypt=str, without_sni=str, summary_interval_s=float,
                                    summary_max_domains=int))


@dataclass(frozen=True, slots=True)
class EventsDurability:
    flush: Literal["per_event"] = "per_event"
    fsync_interval_s: float | None = 1.0
    pending_max: int = 100_000

    @classmethod
    def from_dict(cls, d: dict) -> EventsDurability:
        return cls(**given(d, flush=str, fsync_interval_s=lambda v: None if v is None else float(v), pending_max=int))


@dataclass(frozen=True, slots=True)
class MetricsEndpoint:
    enabled: bool = True
    listen_host: str = "127.0.0.1"
    port: int = 9464

    @classmethod
    def from_dict(cls, d: dict) -> MetricsEndpoint:
        return cls(**given(d, enabled=bool, listen_host=str, port=int))


@dataclass(frozen=True, slots=True)
class ReloadPolicy:
    watch: bool = True
    poll_interval_s: float = 2.0

    @classmethod
    def from_dict(cls, d: dict) -> ReloadPolicy:
        return cls(**given(d, watch=bool, poll_interval_s=float))


@dataclass(frozen=True, slots=True)
class ForwardingPolicy:
    refuse_loopback: bool = True                 # besides the proxy's own sockets, refused always

    @classmethod
    def from_dict(cls, d: dict) -> ForwardingPolicy:
        return cls(**given(d, refuse_loopback=bool))


@dataclass(frozen=True, slots=True)
class OperationsPolicy:
    tls: TlsPolicy = field(default_factory=TlsPolicy)
    events: EventsDurability = field(default_factory=EventsDurability)
    metrics: MetricsEndpoint = field(default_factory=MetricsEndpoint)
    reload: ReloadPolicy = field(default_factory=ReloadPolicy)
    forwarding: ForwardingPolicy = field(default_factory=ForwardingPolicy)

    @classmethod
    def from_document(cls, doc: Document) -> OperationsPolicy:
        return cls(tls=TlsPolicy.from_document(doc), **given(
            doc.data, events=EventsDurability.from_dict, metrics=MetricsEndpoint.from_dict, reload=ReloadPolicy.from_dict,
            forwarding=ForwardingPolicy.from_dict))


def _hosts(doc: Document, key: str, values: list[str]) -> tuple[str, ...]:
    out = []
    for i, h in enumerate(values):
        host = h.lower().removeprefix("*.").rstrip(".")
        if not host or host.startswith(".") or ".." in host:
            raise doc.error(["tls", key, i], f"not a host name: {h!r}")
        out.append(host)
    return tuple(dict.fromkeys(out))


def parse_operations(docs: list[Document], directory: Path) -> OperationsPolicy:
    return OperationsPolicy.from_document(docs[0]) if docs else OperationsPolicy()
