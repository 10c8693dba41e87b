"""Live policy reload through the real proxy: file change and SIGHUP; a bad edit is rejected with file:line,
counted, and the policy in force stays."""

from __future__ import annotations

import signal
import time

import pytest
from support.clients import session_for
from support.eventcheck import assert_valid_events
from support.opsproxy import OpsProxy, copy_policy

pytestmark = pytest.mark.e2e

POST = "https://mastodon.social/api/v1/statuses"


def _set_operations(policy_dir, text: str) -> None:
    path = policy_dir / "operations.yaml"
    path.write_text(text)


def _policy_events(proxy, status=None):
    return [e for e in proxy.events() if e["event"]["action"] == "socialguard.policy"
            and (status is None or e["socialguard"]["policy"]["status"] == status)]


def _post(proxy) -> int:
    # A new connection each time: the TLS decision is taken once per connection, at its ClientHello.
    with session_for(proxy) as s:
        return s.post(POST, data={"status": "hi"}, timeout=20).status_code


def _activities(proxy):
    return [e for e in proxy.events() if e["event"]["action"] == "social.activity"]


@pytest.fixture
def reloading_proxy(tmp_path, internet):
    policy = copy_policy(tmp_path / "policy")
    _set_operations(policy, "reload: {watch: true, poll_interval_s: 0.2}\n")
    p = OpsProxy(tmp_path / "proxy", policy=policy, upstream_port=internet.port, ca_from=internet.confdir).start()
    yield p
    p.stop()


def test_file_change_reloads_and_a_bad_edit_keeps_the_policy_in_force(reloading_proxy):
    p, policy = reloading_proxy, reloading_proxy.policy
    assert _post(p) == 200
    assert p.wait_for(lambda: len(_activities(p)) == 1)

    # A good edit: never decrypt mastodon.social from now on.
    _set_operations(policy, "reload: {watch: true, poll_interval_s: 0.2}\ntls: {never_decrypt: [mastodon.social]}\n")
    assert p.wait_for(lambda: _policy_events(p, "loaded"))
    assert _post(p) == 200
    assert p.metric("socialguard_tls_passthrough_total", reason="never_decrypt") == 1
    assert len(_activities(p)) == 1, "a passed-through request was decrypted"

    # A bad edit (line 3) is rejected: logged with file:line, counted, an event, the old policy stays.
    _set_operations(policy, "reload: {watch: true, poll_interval_s: 0.2}\n"
                            "tls:\n  decrypt: sometimes\n  never_decrypt: []\n")
    rejected = p.wait_for(lambda: _policy_events(p, "rejected"))
    assert rejected
    problems = rejected[0]["socialguard"]["policy"]["problems"]
    assert any(f"{policy / 'operations.yaml'}:3:" in line for line in problems), problems
    assert f"{policy / 'operations.yaml'}:3:" in p.log()
    assert p.metric("socialguard_policy_reload_errors_total") == 1
    assert p.metric("socialguard_policy_reloads_total", status="rejected") == 1
    assert _post(p) == 200
    assert p.metric("socialguard_tls_passthrough_total", reason="never_decrypt") == 2
    assert len(_activities(p)) == 1
    status, health = p.health()
    assert status == 200 and health["status"] == "degraded"
    assert health["problems"] == ["policy reload rejected (1 problem); the previous policy is in force"]

    # Fixed: loaded again, healthy again.
    _set_operations(policy, "reload: {watch: true, poll_interval_s: 0.2}\n")
    assert p.wait_for(lambda: len(_policy_events(p, "loaded")) == 2)
    assert p.health()[1]["status"] == "ok"
    assert_valid_events(p.events())


def test_sighup_reloads_when_watching_is_off(tmp_path, internet):
    policy = copy_policy(tmp_path / "policy")
    _set_operations(policy, "reload: {watch: false}\n")
    p = OpsProxy(tmp_path / "proxy", policy=policy, upstream_port=internet.port, ca_from=internet.confdir).start()
    try:
        _set_operations(policy, "reload: {watch: false}\ntls: {never_decrypt: [mastodon.social]}\n")
        time.sleep(1.5)                      # longer than any poll: nothing may happen without the signal
        assert not _policy_events(p)
        p.send(signal.SIGHUP)
        loaded = p.wait_for(lambda: _policy_events(p, "loaded"))
        assert loaded and loaded[0]["event"]["reason"] == "SIGHUP"
        assert _post(p) == 200
        assert p.metric("socialguard_tls_passthrough_total", reason="never_decrypt") == 1
        assert p.metric("socialguard_policy_reloads_total", status="loaded") == 1
    finally:
        assert p.stop() == 0
