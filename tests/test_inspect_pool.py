"""The worker pool: jobs run in other processes; a crashed worker or a timeout is a notice, then it recovers."""

import asyncio

import pytest

from socialguard.inspect.jobs import BodyJob, FileJob
from socialguard.inspect.pool import InspectionPool, policy_stamp
from support.jobs import CrashJob, SleepJob
from support.proxies import ROOT

POLICY = str(ROOT / "policy")


@pytest.fixture(scope="module")
def pool():
    p = InspectionPool(1)
    yield p
    p.shutdown()


def test_body_job(pool, policy):
    r = pool.run(POLICY, policy_stamp(policy), None, BodyJob(b'{"text": "PROTECTED B"}', "application/json"), 60)
    assert [(f.name, f.location) for f in r.findings] == [("protected_b", "json.text")] and not r.failed


def test_crashed_worker_becomes_a_notice_and_the_pool_recovers(pool, policy):
    r = pool.run(POLICY, policy_stamp(policy), None, CrashJob(), 60)
    assert r.failed and [n.reason for n in r.notices] == ["worker_crashed"]
    r = pool.run(POLICY, policy_stamp(policy), None, FileJob(b"SECRET", "a.txt"), 60)
    assert [f.name for f in r.findings] == ["secret"]


def test_timeout_becomes_a_notice(pool, policy):
    r = pool.run(POLICY, policy_stamp(policy), None, SleepJob(30), 1)
    assert r.failed and [n.reason for n in r.notices] == ["timeout"]
    assert not pool.run(POLICY, policy_stamp(policy), None, FileJob(b"hello", "a.txt"), 60).failed


def test_async_inspect_leaves_the_loop_free(pool, policy):
    async def main():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1
        t = asyncio.create_task(ticker())
        r = await pool.inspect(POLICY, policy_stamp(policy), None, SleepJob(0.5), 30)
        t.cancel()
        return r, ticks
    r, ticks = asyncio.run(main())
    assert not r.failed and ticks > 5


def test_stamp_changes_with_logos(tmp_path, policy):
    import shutil

    from socialguard.policy import load_policy

    shutil.copytree(ROOT / "policy", tmp_path / "p")
    p = load_policy(tmp_path / "p")
    before = policy_stamp(p)
    shutil.copy(tmp_path / "p/logos/wordmark_standin.png", tmp_path / "p/logos/extra.png")
    assert policy_stamp(p) != before
