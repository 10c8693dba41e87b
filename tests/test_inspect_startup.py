"""No stall at start: the first uploads are inspected while the worker pool is still starting, never queued
behind its start-up; short posts are scanned on the spot. These tests assert the ORDER of what happens (the pool
is held at start by the test itself), never a timing."""

import asyncio
import threading

from support import fixtures_inspect as fx

from socialguard.inspect.jobs import BodyJob
from socialguard.inspect.pool import InspectionPool
from socialguard.inspect.runner import Inspector, runs_inline


class HeldPool(InspectionPool):
    """A pool whose start-up the test holds until it says so (as a slow forkserver start would)."""

    def __init__(self, workers: int, release: threading.Event, order: list[str]):
        super().__init__(workers)
        self.release, self.order = release, order
        self.jobs_submitted = 0

    def start(self, policy_dir, stamp, crops_dir, on_ready=None):
        self.ready = False
        self.order.append("pool starting")
        self.release.wait(60)

        def ready():
            self.order.append("pool ready")
            if on_ready is not None:
                on_ready()
        super().start(policy_dir, stamp, crops_dir, on_ready=ready)

    def submit(self, *args):
        self.jobs_submitted += 1
        return super().submit(*args)


def held_inspector(policy, tmp_path, order):
    release = threading.Event()
    inspector = Inspector().use(policy, tmp_path)
    inspector.pool = HeldPool(1, release, order)
    return inspector, release


def test_first_upload_is_inspected_before_the_pool_is_ready(policy, tmp_path):
    order: list[str] = []
    inspector, release = held_inspector(policy, tmp_path, order)
    upload = BodyJob(fx.docx("Quarterly numbers", footer="PROTECTED B"), "application/octet-stream", "", "q.docx")

    async def main():
        warming = asyncio.create_task(asyncio.to_thread(inspector.warm))
        while "pool starting" not in order:
            await asyncio.sleep(0.01)
        first = await inspector.run(upload)
        order.append("first upload inspected: " + ",".join(f.name for f in first.findings))
        release.set()
        await warming
        while not inspector.pool.ready:
            await asyncio.sleep(0.05)
        later = await inspector.run(upload)          # now in a worker
        order.append("later upload inspected: " + ",".join(f.name for f in later.findings))

    try:
        asyncio.run(main())
    finally:
        release.set()
        inspector.close()
    assert order == ["pool starting", "first upload inspected: protected_b", "pool ready",
                     "later upload inspected: protected_b"]
    assert inspector.pool.jobs_submitted == 1        # the later upload went to a worker, the first did not


def test_a_short_post_never_goes_to_the_pool(policy, tmp_path):
    order: list[str] = []
    inspector, release = held_inspector(policy, tmp_path, order)
    post = BodyJob(b'{"status": "budget: PROTECTED B"}', "application/json; charset=utf-8")
    assert runs_inline(post)
    try:
        report = asyncio.run(inspector.run(post))
    finally:
        release.set()
        inspector.close()
    assert [f.name for f in report.findings] == ["protected_b"] and not report.failed
    assert inspector.pool.jobs_submitted == 0 and order == []


def test_what_runs_inline(tmp_path):
    """Only small plain-text bodies: an encoded, multipart or large body goes to a worker (hostile sizes)."""
    assert runs_inline(BodyJob(b"x" * 1000, "text/plain"))
    assert not runs_inline(BodyJob(b"x" * (64 * 1024 + 1), "application/json"))
    assert not runs_inline(BodyJob(b"\x1f\x8b...", "application/json", "gzip"))
    assert not runs_inline(BodyJob(b"--b\r\n", "multipart/form-data; boundary=b"))
    assert not runs_inline(BodyJob(b"\xff\xd8\xff", "image/jpeg"))
    assert not runs_inline(BodyJob(b"{}", ""))
