"""What the adapter's addons share: the engine for the policy in force and the event sink.

The core addon installs it in `configure`; the other addons read `current()` on every hook, so a policy
reload that swaps it in is seen by all of them at once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from .. import metrics
from ..coaching import CoachingQueue
from ..engine import Engine
from ..events import DailyJsonlWriter, EventSink
from ..policy import Policy
from ..policy.operations import OperationsPolicy
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


log = logging.getLogger("socialguard")
_current: Runtime | None = None
_coaching = CoachingQueue()
_usage: LiveUsage | None = None


def current() -> Runtime | None:
    return _current


_last_error_log = 0.0


def _write_error(error: OSError) -> None:
    """A refused event write (full disk): count it always, log it at most once a minute."""
    global _last_error_log
    metrics.event_write_errors.inc()
    now = time.monotonic()
    if now - _last_error_log >= 60 or _last_error_log == 0.0:
        _last_error_log = now
        log.error("socialguard: cannot write events (%s); keeping them in memory and letting traffic through",
                  error.strerror or error)


def install(policy: Policy, events_dir: Path, node: str) -> Runtime:
    """Use this policy from now on; keep the sink when the events directory and node are unchanged."""
    global _current
    old = _current
    durability = (policy.operations or OperationsPolicy()).events
    if old is not None and old.events_dir == events_dir and old.node == node:
        sink = old.sink
        sink.writer.configure(durability.fsync_interval_s, durability.pending_max)
    else:
        if old is not None:
            old.sink.close()
        writer = DailyJsonlWriter(events_dir, fsync_interval=durability.fsync_interval_s,
                                  pending_max=durability.pending_max, on_error=_write_error)
        sink = EventSink(writer, node=node)
    global _usage
    if _usage is None:
        _usage = LiveUsage(policy.worktime)
    else:
        _usage.worktime = policy.worktime
    _current = Runtime(Engine(policy, sink), sink, events_dir, node, _coaching, _usage)
    return _current


# Called with the runtime just before its sink closes (e.g. to write the last pass-through counts).
before_shutdown: list = []


def shutdown() -> None:
    global _current
    if _current is not None:
        for callback in before_shutdown:
            try:
                callback(_current)
            except Exception:
                log.exception("socialguard: shutdown step failed")
        _current.sink.close()
        _current = None
