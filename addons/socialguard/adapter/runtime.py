"""The one runtime holder every addon of a proxy shares; built by `make_addons()`, no module state.

It holds the engine for the policy in force and the event sink; a policy reload swaps the engine on it, so
every addon sees the new policy at once. State that must survive a reload lives here too: the coaching
queue, the live usage meter, the reload problem shown by /healthz, the write-error log throttle and the
steps to run before the sink closes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .. import metrics
from ..classify.memory import ClassifierMemory
from ..coaching import CoachingQueue
from ..engine import Engine
from ..events import DailyJsonlWriter, EventSink
from ..policy import Policy
from ..timekeeping.live import LiveUsage

log = logging.getLogger("socialguard")
ERROR_LOG_EVERY_S = 60.0
STATE_SAVE_EVERY_S = 60.0


class Runtime:
    def __init__(self) -> None:
        self.engine: Engine | None = None           # None until the first policy is loaded
        self.sink: EventSink | None = None
        self.events_dir: Path | None = None
        self.node = ""
        self.coaching = CoachingQueue()
        self.usage: LiveUsage | None = None
        self.reload_problem: str | None = None      # why the policy on disk is not the one in force
        self.metrics_address: tuple[str, int] | None = None     # the metrics/health socket: never a destination
        self.before_shutdown: list[Callable[[Runtime], None]] = []
        # Learned fediverse servers and official posts (classify/memory.py): survive reloads, and restarts
        # through the state file.
        self.memory = ClassifierMemory()
        self.state_file: Path | None = None
        self._state_saved = time.monotonic()
        self.started = time.time()
        self._last_error_log = 0.0

    @property
    def loaded(self) -> bool:
        return self.engine is not None

    @property
    def policy(self) -> Policy:
        return self.engine.policy

    def install(self, policy: Policy, events_dir: Path, node: str, state_file: Path | None = None) -> Runtime:
        """Use this policy from now on; keep the sink when the events directory and node are unchanged."""
        state_file = state_file or events_dir / "state" / "classify.json"
        if state_file != self.state_file:
            why = self.memory.load(state_file)
            if why:
                log.warning("socialguard: classifier state %s not used: %s", state_file, why)
            self.state_file = state_file
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
            self._rebuild_meter(events_dir)
        else:
            self.usage.worktime = policy.worktime
        self.events_dir, self.node = events_dir, node
        self.engine = Engine(policy, self.sink, self.memory)
        return self

    def _rebuild_meter(self, events_dir: Path) -> None:
        """Today's minutes from the event files (every process's lines, the report's own reader), beside the
        first requests rather than before them: a big day file must not hold up the start."""
        usage = self.usage

        def rebuild() -> None:
            from ..report import source

            try:
                n = usage.rebuild(lambda first, last, begin, end: source.load(events_dir, first, last, begin, end),
                                  time.time())
                log.info("socialguard: usage meter rebuilt from %d requests of today's events", n)
            except Exception:  # noqa: BLE001 - the meter then starts from zero; traffic is unaffected
                log.exception("socialguard: usage meter not rebuilt from %s", events_dir)

        threading.Thread(target=rebuild, name="socialguard-meter-rebuild", daemon=True).start()

    def _write_error(self, error: OSError) -> None:
        """A refused event write (full disk): count it always, log it at most once a minute."""
        metrics.event_write_errors.inc()
        now = time.monotonic()
        if self._last_error_log == 0.0 or now - self._last_error_log >= ERROR_LOG_EVERY_S:
            self._last_error_log = now
            log.error("socialguard: cannot write events (%s); keeping them in memory and letting traffic through",
                      error.strerror or error)

    def state_due(self) -> dict | None:
        """A snapshot of the learned state when it changed and was last saved a while ago (write it off-loop)."""
        now = time.monotonic()
        if not self.memory.changed or self.state_file is None or now - self._state_saved < STATE_SAVE_EVERY_S:
            return None
        self._state_saved = now
        return self.memory.snapshot()

    def shutdown(self) -> None:
        """Run the last steps (e.g. the final pass-through counts), then close the sink."""
        if self.engine is None:
            return
        for callback in self.before_shutdown:
            try:
                callback(self)
            except Exception:
                log.exception("socialguard: shutdown step failed")
        if self.memory.changed and self.state_file is not None:
            try:
                self.memory.save(self.state_file)
            except OSError as e:
                log.error("socialguard: cannot write classifier state %s: %s", self.state_file, e)
        self.sink.close()
        self.engine = self.sink = None
