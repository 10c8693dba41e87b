"""TLS pass-through by SNI through the real proxy: non-social hosts keep their own certificate and are only
counted by domain; social hosts are decrypted."""

from __future__ import annotations

import signal

import pytest
from support.eventcheck import assert_valid_events
from support.opsproxy import OpsProxy, TlsServer, connect_tls

pytestmark = pytest.mark.e2e


@pytest.fixture
def upstream(tmp_path):
    server = TlsServer(tmp_path, "upstream.test")
    yield server
    server.close()


@pytest.fixture
def regular_proxy(tmp_path):
    p = OpsProxy(tmp_path / "proxy").start()
    yield p
    p.stop()


@pytest.mark.parametrize("sni, reason", [
    ("www.bank.example", "not_social"),          # not in the catalog
    ("online.rbc.com", "never_decrypt"),         # operations.yaml never_decrypt (banking)
    ("chat.signal.org", "pinned"),               # operations.yaml always_passthrough (pins its certificate)
])
def test_passthrough_host_gets_the_upstreams_own_certificate(regular_proxy, upstream, sni, reason):
    der, body = connect_tls(regular_proxy.port, upstream.port, sni)
    assert der == upstream.der, "the proxy decrypted a connection it should have left alone"
    assert body.endswith(b"ok")
    assert regular_proxy.metric("socialguard_tls_passthrough_total", reason=reason) == 1

    assert regular_proxy.stop(signal.SIGTERM) == 0
    events = regular_proxy.events()
    assert_valid_events(events)
    summary = [e for e in events if e["event"]["action"] == "socialguard.passthrough"]
    assert [(e["destination"]["domain"], e["socialguard"]["passthrough"]) for e in summary] == [
        (sni, {"reason": reason, "connections": 1})]
    # Domain only: no user, no address, no path, no URL for a connection that was never decrypted.
    assert not {"user", "source", "url", "http"} & set(summary[0])
    assert not [e for e in events if e["event"]["action"] == "social.activity"]


def test_social_host_is_decrypted(regular_proxy, upstream):
    der, body = connect_tls(regular_proxy.port, upstream.port, "mastodon.social")
    assert der != upstream.der
    assert body.endswith(b"ok")
    from cryptography import x509

    ca = x509.load_pem_x509_certificate(regular_proxy.ca.read_bytes())
    assert x509.load_der_x509_certificate(der).issuer == ca.subject
    assert regular_proxy.metric("socialguard_tls_decrypted_total", reason="social") == 1
    events = regular_proxy.wait_for(
        lambda: [e for e in regular_proxy.events() if e["event"]["action"] == "social.activity"])
    assert events and events[0]["url"]["domain"] == "mastodon.social"
    assert_valid_events(regular_proxy.events())
