"""The one runtime holder every addon of a proxy shares; built by `make_addons()`, no module state.

It holds the engine for the policy in force and the event sink; a policy reload swaps the engine on it, so
every addon sees the new policy at once. State that must survive a reload lives here too: the coaching
queue, the live usage meter, the reload problem shown by /healthz, the write-error log throttle and the
steps to run before the sink closes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from .. import metrics
from ..coaching import CoachingQueue
from ..engine import Engine
from ..events import DailyJsonlWriter, EventSink
from ..policy import Policy
from ..timekeeping.live import LiveUsage

log = logging.getLogger("socialguard")
ERROR_LOG_EVERY_S = 60.0


class Runtime:
    def __init__(self) -> None:
        self.engine: Engine | None = None           # None until the first policy is loaded
        self.sink: EventSink | None = None
        self.events_dir: Path | None = None
        self.node = ""
        self.coaching = CoachingQueue()
        self.usage: LiveUsage | None = None
        self.reload_problem: str | None = None      # why the policy on disk is not the one in force
        self.before_shutdown: list[Callable[[Runtime], None]] = []
        self.started = time.time()
        self._last_error_log = 0.0

    @property
    def loaded(self) -> bool:
        return self.engine is not None

    @property
    def policy(self) -> Policy:
        return self.engine.policy

    def install(self, policy: Policy, events_dir: Path, node: str) -> Runtime:
        """Use this policy from now on; keep the sink when the events directory and node are unchanged."""
        durability = policy.operations.events
        if self.sink is not None and self.events_dir == events_dir and self.node == node:
            self.sink.writer.configure(durability.fsync_interval_s, durability.pending_max)
        else:
            if self.sink is not None:
                self.sink.close()
            writer = DailyJsonlWriter(events_dir, fsync_interval=durability.fsync_interval_s,
                                      pending_max=durability.pending_max, on_error=self._write_error)
            self.sink = EventSink(writer, node=node)
        if self.usage is None:
            self.usage = LiveUsage(policy.worktime)
        else:
            self.usage.worktime = policy.worktime
        self.events_dir, self.node = events_dir, node
        self.engine = Engine(policy, self.sink)
        return self

    def _write_error(self, error: OSError) -> None:
        """A refused event write (full disk): count it always, log it at most once a minute."""
        metrics.event_write_errors.inc()
        now = time.monotonic()
        if self._last_error_log == 0.0 or now - self._last_error_log >= ERROR_LOG_EVERY_S:
            self._last_error_log = now
            log.error("socialguard: cannot write events (%s); keeping them in memory and letting traffic through",
                      error.strerror or error)

    def shutdown(self) -> None:
        """Run the last steps (e.g. the final pass-through counts), then close the sink."""
        if self.engine is None:
            return
        for callback in self.before_shutdown:
            try:
                callback(self)
            except Exception:
                log.exception("socialguard: shutdown step failed")
        self.sink.close()
        self.engine = self.sink = None
