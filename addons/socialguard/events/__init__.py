"""Events: built by the core, run through a structlog chain, written as JSON lines per day."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import structlog

from .chain import enrich, iso_utc, redact, render
from .writer import DailyJsonlWriter

__all__ = ["EventSink", "DailyJsonlWriter", "event_schema", "iso_utc", "make_event"]


@cache
def event_schema() -> dict:
    return json.loads(resources.files("socialguard.events").joinpath("schema.json").read_text("utf-8"))


def make_event(action: str, kind: str, timestamp: float | None, **fields: Any) -> dict[str, Any]:
    """An event dict with its ECS header; `fields` are top-level ECS objects (user=..., url=..., ...)."""
    ev: dict[str, Any] = {}
    if timestamp is not None:
        ev["@timestamp"] = iso_utc(timestamp)
    ev["event"] = {"action": action, "kind": kind, **fields.pop("event", {})}
    ev.update({k: v for k, v in fields.items() if v is not None})
    return ev


class EventSink:
    """Where the core sends events. Extra processors (e.g. a test's collector) run before rendering."""

    def __init__(self, writer: DailyJsonlWriter | None, node: str = "socialguard",
                 extra_processors: list[Callable] | None = None):
        self.writer = writer
        self.listeners: list[Callable[[dict], None]] = []
        processors = [enrich(node), redact, self._notify, *(extra_processors or []), render]
        self._log = structlog.wrap_logger(writer or _Discard(), processors=processors,
                                          wrapper_class=structlog.BoundLogger, cache_logger_on_first_use=True)

    def _notify(self, _logger: Any, _name: str, ev: dict) -> dict:
        for listener in self.listeners:
            listener(ev)
        return ev

    def emit(self, event: dict[str, Any]) -> None:
        self._log.msg(**event)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class _Discard:
    def msg(self, *_a: Any, **_k: Any) -> None:
        pass


def read_events(directory: str | Path) -> list[dict]:
    """Every event under a directory (for tests and small tools; reports use DuckDB)."""
    out = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            out.extend(json.loads(line) for line in f if line.strip())
    return out
