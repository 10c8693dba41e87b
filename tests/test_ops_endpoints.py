"""The metrics (Prometheus text) and health endpoints of a running proxy, on their own loopback port."""

from __future__ import annotations

import pytest
from support.clients import session_for
from support.opsproxy import OpsProxy

pytestmark = pytest.mark.e2e

FAMILIES = [
    "socialguard_flows_total", "socialguard_flags_total", "socialguard_inspection_errors_total",
    "socialguard_inspection_queue_depth", "socialguard_banner_injections_total", "socialguard_event_write_seconds",
    "socialguard_event_write_errors_total", "socialguard_event_pending", "socialguard_policy_reload_errors_total",
    "socialguard_tls_passthrough_total", "socialguard_tls_decrypted_total",
]


@pytest.fixture(scope="module")
def metered(tmp_path_factory, internet):
    p = OpsProxy(tmp_path_factory.mktemp("metered"), upstream_port=internet.port, ca_from=internet.confdir).start()
    s = session_for(p)
    assert s.post("https://mastodon.social/api/v1/statuses", data={"status": "hi"}, timeout=20).status_code == 200
    assert s.get("https://www.example.org/", timeout=20).status_code == 200
    p.wait_for(lambda: p.events())
    yield p
    p.stop()


@pytest.mark.parametrize("family", FAMILIES)
def test_metrics_endpoint_serves_every_family(metered, family):
    status, text = metered.get("/metrics")
    assert status == 200
    assert f"# TYPE {family} " in text


@pytest.mark.parametrize("name, labels, at_least", [
    ("socialguard_flows_total", {"platform": "mastodon", "activity": "post"}, 1),
    ("socialguard_events_total", {"action": "social.activity"}, 1),
    ("socialguard_event_write_seconds_count", {}, 1),
    ("socialguard_tls_decrypted_total", {"reason": "social"}, 1),
    ("socialguard_tls_passthrough_total", {"reason": "not_social"}, 1),
    ("socialguard_policy_loaded_timestamp_seconds", {}, 1),
])
def test_metrics_count_traffic(metered, name, labels, at_least):
    assert metered.metric(name, **labels) >= at_least


def test_metrics_listen_on_loopback_only(metered):
    status, _ = metered.get("/nothing-here")
    assert status == 404
    assert f"metrics on http://127.0.0.1:{metered.metrics_port}/metrics" in metered.log()


def test_health_endpoint(metered):
    status, body = metered.health()
    assert status == 200
    assert body["status"] == "ok" and body["problems"] == []
    assert body["node"] == "ops-test" and body["events_written"] >= 1


def test_a_taken_metrics_port_is_reported_with_the_option_that_fixes_it(tmp_path, internet):
    """A second proxy on the same host: the metrics port is taken. It keeps serving traffic and says which
    option chooses another port (it does not die, nor go quiet)."""
    import socket

    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        p = OpsProxy(tmp_path / "second", upstream_port=internet.port, ca_from=internet.confdir,
                     metrics_port=taken).start()
        try:
            r = session_for(p).post("https://mastodon.social/api/v1/statuses", data={"status": "hi"}, timeout=20)
            assert r.status_code == 200
            p.wait_for(lambda: "socialguard_metrics_port" in p.log())
            line = next(x for x in p.log().splitlines() if "socialguard_metrics_port" in x)
            assert f"127.0.0.1:{taken} not started" in line and "--set socialguard_metrics_port=" in line
            assert p.proc.poll() is None
        finally:
            p.stop()
