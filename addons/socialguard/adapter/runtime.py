"""What the adapter's addons share: the engine for the policy in force and the event sink.

The core addon installs it in `configure`; the other addons read `current()` on every hook, so a policy
reload that swaps it in is seen by all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import metrics
from ..coaching import CoachingQueue
from ..engine import Engine
from ..events import DailyJsonlWriter, EventSink
from ..policy import Policy
from ..timekeeping.live import LiveUsage


@dataclass
class Runtime:
    engine: Engine
    sink: EventSink
    events_dir: Path
    node: str
    # State that must survive a policy reload lives in module-level singletons below.
    coaching: CoachingQueue
    usage: LiveUsage

    @property
    def policy(self) -> Policy:
        return self.engine.policy


_current: Runtime | None = None
_coaching = CoachingQueue()
_usage: LiveUsage | None = None


def current() -> Runtime | None:
    return _current


def _write_error(_error: OSError) -> None:
    metrics.event_write_errors.inc()


def install(policy: Policy, events_dir: Path, node: str, fsync_interval: float | None = None) -> Runtime:
    """Use this policy from now on; keep the sink when the events directory and node are unchanged."""
    global _current
    old = _current
    if old is not None and old.events_dir == events_dir and old.node == node:
        sink = old.sink
    else:
        if old is not None:
            old.sink.close()
        sink = EventSink(DailyJsonlWriter(events_dir, fsync_interval=fsync_interval, on_error=_write_error), node=node)
    global _usage
    if _usage is None:
        _usage = LiveUsage(policy.worktime)
    else:
        _usage.worktime = policy.worktime
    _current = Runtime(Engine(policy, sink), sink, events_dir, node, _coaching, _usage)
    return _current


def shutdown() -> None:
    global _current
    if _current is not None:
        _current.sink.close()
        _current = None
