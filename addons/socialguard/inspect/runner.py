"""Inspection for the policy in force: the worker pool, the upload sessions and the chunk detector.

One per proxy (it outlives policy reloads: the pool is rebuilt only when the worker count changes, the
sessions keep their chunks); `use(policy)` brings it up to date and is cheap when nothing changed.

Where a job runs (`run`):
- a small text body (a post: JSON, a form, plain text, up to `INLINE_BYTES`) is scanned here, on the spot,
  with the proxy's own compiled detector: hyperscan over a few KB costs microseconds, handing it to a worker
  (pickling, a pipe, two thread wake-ups) costs more than the scan itself;
- anything else goes to the worker pool, once it is warm; while it starts (`warm()` at proxy start, off the
  request path), jobs run in a thread here, so the first upload is never queued behind the pool's start-up.
"""

from __future__ import annotations
# `Scanner` (OpenCV and the other detectors) is imported when first used, not with the adapter: imported while
# mitmproxy loads its script, OpenCV's loader leaves its own directory on sys.path, and the inspection workers,
# which start with the proxy's sys.path, then fail to import `typing`.

import asyncio
import logging
import time
from pathlib import Path

from ..policy import Policy
from .detect.text import TextDetector
from .extract.sessions import SessionStore
from .findings import InspectionReport
from .jobs import BodyJob, Job
from .pool import InspectionPool, _failed, policy_stamp
from .streamed import StreamedBody

log = logging.getLogger("socialguard")

INLINE_BYTES = 64 * 1024
# Bodies that are text as sent: nothing to decode, no file to open (multipart may carry images: the pool).
INLINE_TYPES = ("application/json", "text/plain", "application/x-www-form-urlencoded", "application/ld+json",
                "application/activity+json")


def runs_inline(job: Job) -> bool:
    """Whether a job is a small plain-text body, cheaper to scan on the spot than to hand to a worker."""
    return (isinstance(job, BodyJob) and not job.encoding and len(job.data) <= INLINE_BYTES
            and job.content_type.split(";", 1)[0].strip().lower() in INLINE_TYPES)


class Inspector:
    def __init__(self) -> None:
        self.pool: InspectionPool | None = None
        self.sessions: SessionStore | None = None
        self.policy: Policy | None = None
        self.detector: TextDetector | None = None
        self.stamp: tuple = ()
        self.crops_dir: str | None = None
        self.local = None                                # the proxy's own scanner: inline jobs, and jobs while warming

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
        self.local = self._local_scanner(policy)
        self.policy = policy
        return self

    def warm(self) -> None:
        """Start the workers now (each loads the policy and compiles its scanner) rather than on the first
        upload. Blocking (forkserver start-up): call it off the event loop."""
        self.pool.start(str(self.policy.directory), self.stamp, self.crops_dir, on_ready=self._pool_ready)

    def _pool_ready(self) -> None:
        log.info("socialguard: inspection pool ready (%d workers)", self.pool.workers)
        # Jobs run here while warming may have built logo references in the proxy: let them go.
        self.local = self._local_scanner(self.policy)

    def _local_scanner(self, policy: Policy):
        from .scanner import Scanner

        return Scanner(policy, Path(self.crops_dir) if self.crops_dir else None, text=self.detector)

    def stream(self, encoded: bool) -> StreamedBody:
        """The chunk scanner and spool for a body too large to hold."""
        limits = self.policy.inspection.limits
        return StreamedBody(self.detector, limits.overlap_bytes, limits.file_bytes, encoded=encoded)

    async def run(self, job: Job) -> InspectionReport:
        """The job inline (small text), in a worker, or in a thread here while the pool starts; a timeout or a
        crashed worker comes back as a failed report."""
        seconds = self.policy.inspection.limits.seconds
        if runs_inline(job):
            started = time.monotonic()
            report = self._run_here(self.local, job)
            if time.monotonic() - started > seconds:    # the same budget as in a worker
                return _failed("timeout", f"inspection took longer than {seconds}s")
            return report
        if not self.pool.ready:
            try:
                return await asyncio.wait_for(asyncio.to_thread(self._run_here, self.local, job), seconds)
            except (asyncio.TimeoutError, TimeoutError):
                return _failed("timeout", f"inspection took longer than {seconds}s")
        return await self.pool.inspect(str(self.policy.directory), self.stamp, self.crops_dir, job, seconds)

    @staticmethod
    def _run_here(scanner, job: Job) -> InspectionReport:
        try:
            return job.run(scanner)
        except Exception as e:      # never let inspection break the flow
            return _failed("error", f"{type(e).__name__}: {e}")

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
