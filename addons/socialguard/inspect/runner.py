"""Inspection for the policy in force: the worker pool, the upload sessions and the chunk detector.

One per proxy (it outlives policy reloads: the pool is rebuilt only when the worker count changes, the
sessions keep their chunks); `use(policy)` brings it up to date and is cheap when nothing changed.
"""

from __future__ import annotations

from pathlib import Path

from ..policy import Policy
from .detect.text import TextDetector
from .extract.sessions import SessionStore
from .findings import InspectionReport
from .jobs import Job
from .pool import InspectionPool, policy_stamp
from .streamed import StreamedBody


class Inspector:
    def __init__(self) -> None:
        self.pool: InspectionPool | None = None
        self.sessions: SessionStore | None = None
        self.policy: Policy | None = None
        self.detector: TextDetector | None = None
        self.stamp: tuple = ()
        self.crops_dir: str | None = None

    def use(self, policy: Policy, events_dir: Path) -> Inspector:
        if policy is self.policy:
            return self
        insp = policy.inspection
        if self.pool is None or self.pool.workers != insp.workers:
            if self.pool is not None:
                self.pool.shutdown()
            self.pool = InspectionPool(insp.workers)
        if self.sessions is None:
            self.sessions = SessionStore(insp.sessions)
        else:
            self.sessions.limits = insp.sessions
        self.detector = TextDetector(policy)
        self.stamp = policy_stamp(policy)
        self.crops_dir = str(events_dir / "crops") if insp.save_crops else None
        self.policy = policy
        return self

    def stream(self, encoded: bool) -> StreamedBody:
        """The chunk scanner and spool for a body too large to hold."""
        limits = self.policy.inspection.limits
        return StreamedBody(self.detector, limits.overlap_bytes, limits.file_bytes, encoded=encoded)

    async def run(self, job: Job) -> InspectionReport:
        """The job in a worker; a timeout or a crashed worker comes back as a failed report."""
        return await self.pool.inspect(str(self.policy.directory), self.stamp, self.crops_dir, job,
                                       self.policy.inspection.limits.seconds)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
