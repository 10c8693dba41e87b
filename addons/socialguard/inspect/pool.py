"""Inspection off the proxy's event loop: a process pool of workers that each keep a Scanner per policy.

A job that crashes its worker (segfault in a decoder, OOM kill) or overruns the time limit becomes a
notice, and the pool is rebuilt; the proxy never waits longer than the policy's `seconds`.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from pathlib import Path

from .. import metrics
from ..filestamp import files_stamp
from .findings import InspectionReport
from .jobs import Job
from .worker_life import pool_context, worker_initializer

_worker_scanners: dict = {}


def policy_stamp(policy) -> tuple:
    """Changes whenever a policy file (or a logo reference) changes: workers then rebuild their Scanner."""
    paths = list(policy.files)
    logos = policy.markers.logos.directory
    if logos is not None and Path(logos).is_dir():
        paths += sorted(Path(logos).iterdir())
    return files_stamp(paths)


def _scanner(policy_dir: str, stamp: tuple, crops_dir: str | None):
    key = (policy_dir, stamp)
    scanner = _worker_scanners.get(key)
    if scanner is None:
        from ..policy import load_policy
        from .scanner import Scanner

        _worker_scanners.clear()
        scanner = Scanner(load_policy(policy_dir), Path(crops_dir) if crops_dir else None)
        _worker_scanners[key] = scanner
    return scanner


def warm_worker(policy_dir: str, stamp: tuple, crops_dir: str | None) -> None:
    """Runs in a worker at its start: load the policy and compile the scanner before any job comes."""
    _scanner(policy_dir, stamp, crops_dir)


def start_worker(warm_args: tuple | None) -> None:
    """A worker's initializer: die with the proxy; with `warm_args`, build the scanner before any job."""
    worker_initializer()
    if warm_args is not None:
        warm_worker(*warm_args)


def run_job(policy_dir: str, stamp: tuple, crops_dir: str | None, job: Job) -> InspectionReport:
    """Runs in a worker: the policy's Scanner (built once per stamp) applied to one job."""
    return job.run(_scanner(policy_dir, stamp, crops_dir))


class InspectionPool:
    def __init__(self, workers: int = 2):
        self.workers = workers
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._warm_args: tuple | None = None
        # False only while `start` warms the workers (until every one has built its scanner); a pool never
        # started is started lazily by its first job, which then waits for it (tests, the CLI).
        self.ready = True

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # forkserver: workers start from a clean process, not a fork of the proxy's threads;
                # all of them die with the proxy (worker_life). Each worker (also one restarted after a
                # crash) builds its scanner as it starts once the pool was started with `start`.
                self._executor = ProcessPoolExecutor(self.workers, mp_context=pool_context(),
                                                     initializer=start_worker, initargs=(self._warm_args,))
            return self._executor

    def start(self, policy_dir: str, stamp: tuple, crops_dir: str | None, on_ready=None) -> None:
        """Start every worker now, each building its scanner; `ready` (then `on_ready()`) once all have.
        Blocks while the forkserver starts: call it off the event loop."""
        self.ready = False
        self._warm_args = (policy_dir, stamp, crops_dir)
        pool = self._pool()
        # One no-op per worker: with every worker busy warming, each submission spawns a worker.
        futures = [pool.submit(warm_worker, *self._warm_args) for _ in range(self.workers)]
        left = [len(futures)]
        lock = threading.Lock()

        def one_done(_fut: Future) -> None:
            with lock:
                left[0] -= 1
                if left[0]:
                    return
            self.ready = True
            if on_ready is not None:
                on_ready()

        for fut in futures:
            fut.add_done_callback(one_done)

    def submit(self, policy_dir: str, stamp: tuple, crops_dir: str | None, job: Job) -> Future:
        return self._pool().submit(run_job, policy_dir, stamp, crops_dir, job)

    def run(self, policy_dir: str, stamp: tuple, crops_dir: str | None, job: Job,
            timeout: float) -> InspectionReport:
        """Blocking form (tests, CLI): the same notices as `inspect`."""
        fut = self.submit(policy_dir, stamp, crops_dir, job)
        try:
            return fut.result(timeout=timeout)
        except TimeoutError:
            self.recycle()
            return _failed("timeout", f"inspection took longer than {timeout}s")
        except BrokenExecutor as e:
            self.recycle()
            return _failed("worker_crashed", str(e) or type(e).__name__)

    async def inspect(self, policy_dir: str, stamp: tuple, crops_dir: str | None, job: Job,
                      timeout: float) -> InspectionReport:
        """Awaitable: the event loop keeps serving other flows while a worker inspects."""
        metrics.inspection_queue.inc()
        try:
            fut = self.submit(policy_dir, stamp, crops_dir, job)
            try:
                return await asyncio.wait_for(asyncio.wrap_future(fut), timeout)
            except (asyncio.TimeoutError, TimeoutError):
                self.recycle()
                return _failed("timeout", f"inspection took longer than {timeout}s")
            except BrokenExecutor as e:
                self.recycle()
                return _failed("worker_crashed", str(e) or type(e).__name__)
        except Exception as e:      # never let inspection break the flow
            return _failed("error", f"{type(e).__name__}: {e}")
        finally:
            metrics.inspection_queue.dec()

    def recycle(self) -> None:
        """Kill the workers (a runaway or dead job) and start fresh ones on the next job."""
        with self._lock:
            ex, self._executor = self._executor, None
        if ex is not None:
            for proc in list((getattr(ex, "_processes", None) or {}).values()):
                try:
                    proc.kill()
                except Exception:
                    pass
            ex.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        with self._lock:
            ex, self._executor = self._executor, None
        if ex is not None:
            ex.shutdown(wait=False, cancel_futures=True)


def _failed(reason: str, detail: str) -> InspectionReport:
    report = InspectionReport(failed=True)
    report.notice(reason, "inspection", detail)
    return report
