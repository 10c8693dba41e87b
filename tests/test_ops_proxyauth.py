"""Identity end to end: mitmproxy's proxy authentication (htpasswd and LDAP) in front of socialguard.

407 without (or with wrong) credentials; the authenticated user, with the groups the policy gives them, in the
events with source `proxyauth`; the password never appears in any file or output the proxy produces."""

from __future__ import annotations

import base64
import socket

import bcrypt
import pytest
import requests
from support import ldapserver
from support.eventcheck import assert_valid_events
from support.opsproxy import OpsProxy

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-7731-Battery"
POST = "https://mastodon.social/api/v1/statuses"


def _session(proxy: OpsProxy, user: str | None, password: str | None) -> requests.Session:
    s = requests.Session()
    s.trust_env = False
    creds = f"{user}:{password}@" if user else ""
    url = f"http://{creds}127.0.0.1:{proxy.port}"
    s.proxies = {"http": url, "https": url}
    s.verify = str(proxy.ca)
    return s


def _connect_status(proxy: OpsProxy, auth: str | None) -> tuple[int, str]:
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
        head = "CONNECT mastodon.social:443 HTTP/1.1\r\nHost: mastodon.social:443\r\n"
        if auth:
            head += f"Proxy-Authorization: Basic {base64.b64encode(auth.encode()).decode()}\r\n"
        sock.sendall((head + "\r\n").encode())
        reply = sock.recv(4096).decode(errors="replace")
    status = int(reply.split(" ", 2)[1])
    return status, reply


def _secrets_nowhere(proxy: OpsProxy, *secrets: str) -> None:
    needles = set()
    for secret in secrets:
        needles |= {secret.encode(), base64.b64encode(secret.encode()).rstrip(b"=")}
    for path in proxy.workdir.rglob("*"):
        if path.is_file() and "conf" not in path.parts:
            data = path.read_bytes()
            for needle in needles:
                assert needle not in data, f"{path} contains a secret"


def _check_auth(proxy: OpsProxy, user: str, password: str, group: str | None) -> None:
    status, reply = _connect_status(proxy, None)
    assert status == 407 and 'Proxy-Authenticate: Basic realm="mitmproxy"' in reply
    assert _connect_status(proxy, f"{user}:wrong-password")[0] == 407
    with _session(proxy, None, None) as s:
        assert s.get("http://mastodon.social/about", timeout=20).status_code == 407
    with _session(proxy, user, password) as s:
        assert s.post(POST, data={"status": "hello"}, timeout=20).status_code == 200
        assert s.get("http://mastodon.social/about", timeout=20).status_code == 200
    events = proxy.wait_for(
        lambda: [e for e in proxy.events() if e["event"]["action"] == "social.activity"] if len(
            [e for e in proxy.events() if e["event"]["action"] == "social.activity"]) == 2 else None)
    assert events, proxy.log()
    assert {(e["user"]["name"], e["socialguard"]["user_source"], e["user"].get("group", {}).get("name"))
            for e in events} == {
        (user, "proxyauth", group)}
    assert_valid_events(proxy.events())
    metrics_text = proxy.get("/metrics")[1]
    assert password not in metrics_text and user not in metrics_text


def _authenticating_proxy(tmp_path, internet, proxyauth: str, user: str, group: str, *secrets: str) -> None:
    """A proxy with `--set proxyauth=...`: check 407s, the user in events, then scan every output for secrets."""
    p = OpsProxy(tmp_path / "proxy", upstream_port=internet.port, ca_from=internet.confdir,
                 mitm_extra=["--set", f"proxyauth={proxyauth}"]).start()
    try:
        _check_auth(p, user, PASSWORD, group)
    finally:
        assert p.stop() == 0
    _secrets_nowhere(p, PASSWORD, f"{user}:{PASSWORD}", *secrets)


def test_htpasswd_authentication(tmp_path, internet):
    htpasswd = tmp_path / "htpasswd"
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    htpasswd.write_text(f"comms.officer:{hashed}\nasmith:{hashed}\n")
    # comms.officer is in the `communications` group of the shipped identity.yaml.
    _authenticating_proxy(tmp_path, internet, f"@{htpasswd}", "comms.officer", "communications")


@pytest.mark.skipif(not ldapserver.available(), reason="Debian slapd not installed (apt-get install slapd)")
def test_ldap_authentication(tmp_path, internet):
    admin_password = "Ldap-Bind-Secret-4412"
    slapd = ldapserver.Slapd(tmp_path / "ldap", admin_password, {"bwong": PASSWORD})
    try:
        _authenticating_proxy(tmp_path, internet, slapd.proxyauth_spec(), "bwong", "economics", admin_password)
    finally:
        slapd.stop()


def test_address_map_is_the_fallback_without_proxy_auth(tmp_path, internet):
    from support.opsproxy import copy_policy

    policy = copy_policy(tmp_path / "policy")
    identity = policy / "identity.yaml"
    identity.write_text(identity.read_text() + "  - {cidr: 127.0.0.0/8, user: dpatel}\n")
    p = OpsProxy(tmp_path / "proxy", policy=policy, upstream_port=internet.port, ca_from=internet.confdir).start()
    try:
        with _session(p, None, None) as s:
            assert s.post(POST, data={"status": "hello"}, timeout=20).status_code == 200
        events = p.wait_for(lambda: [e for e in p.events() if e["event"]["action"] == "social.activity"])
        assert events[0]["user"] == {"name": "dpatel", "group": {"name": "economics"}}
        assert events[0]["socialguard"]["user_source"] == "ipmap"
    finally:
        p.stop()
