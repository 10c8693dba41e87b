"""The dismiss endpoint through a real `socialguard run` in regular (non-upstream) proxy mode.

The reserved host can never resolve; with mitmproxy's default eager connection strategy the proxy must
still accept the CONNECT and answer the request itself, without dialling or resolving anything.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from support.clients import session_for
from support.proxies import ROOT, SOCIALGUARD, free_port, stop, wait_port

pytestmark = pytest.mark.e2e


class _RegularProxy:
    def __init__(self, workdir):
        self.workdir = workdir
        self.port = free_port()
        self.ca = workdir / "conf" / "mitmproxy-ca-cert.pem"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def regular_proxy(tmp_path):
    p = _RegularProxy(tmp_path)
    proc = subprocess.Popen([SOCIALGUARD, "run", "--policy", str(ROOT / "policy"), "--events-dir",
                             str(tmp_path / "events"), "--listen-host", "127.0.0.1", "--listen-port", str(p.port),
                             "--node", "test-node", "--", "--set", f"confdir={tmp_path / 'conf'}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    wait_port(p.port, proc)
    deadline = time.monotonic() + 10
    while not p.ca.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield p
    stop(proc)


NAV = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}
HOSTILE = {
    "crlf": "r=https%3A%2F%2Fx.com%2Fhome%0D%0ASet-Cookie%3A%20sg%3Dpwned&p=x&i={i}&t=AAAAAAAAAAAAAAAAAAAAAAAA",
    "crlf-raw-lf": "r=https%3A%2F%2Fx.com%2F%0ALocation%3A%20https%3A%2F%2Fevil.example%2F&p=x&i={i}&t=AAAA",
    "backslash-at": "r=https%3A%2F%2Fevil.example%5C%40x.com%2F&p=x&i={i}&t=AAAAAAAAAAAAAAAAAAAAAAAA",
    "fediverse-foreign": "r=https%3A%2F%2Fevil.example%2Fapi%2Fv1%2Ftimelines%2Fhome&p=mastodon&i={i}&t=AAAAAAAA",
    "userinfo": "r=https%3A%2F%2Fx.com%40evil.example%2F&p=x&i={i}&t=AAAAAAAAAAAAAAAAAAAAAAAA",
    "unsigned": "r=https%3A%2F%2Fx.com%2Fhome",
    "forged": "r=https%3A%2F%2Fx.com%2Fhome&p=x&i={i}&t=AAAAAAAAAAAAAAAAAAAAAAAA",
    "expired": "r=https%3A%2F%2Fx.com%2Fhome&p=x&i=1000&t=AAAAAAAAAAAAAAAAAAAAAAAA",
    "repeated": "r=https%3A%2F%2Fx.com%2Fhome&r=https%3A%2F%2Fevil.example%2F&p=x&i={i}&t=AAAA",
}


def test_dismiss_host_answers_in_regular_mode_and_refuses_hostile_links(regular_proxy):
    s = session_for(regular_proxy)
    now = int(time.time())
    for name, query in HOSTILE.items():
        r = s.get(f"https://socialguard.invalid/dismiss?{query.replace('{i}', str(now))}", allow_redirects=False,
                  headers=NAV, timeout=20)
        assert r.status_code == 400, name
        assert "location" not in r.headers and "set-cookie" not in r.headers, name
        assert "evil" not in r.text and "sg=pwned" not in r.text, name
    r = s.get("https://socialguard.invalid/elsewhere", allow_redirects=False, timeout=20)
    assert r.status_code == 404


def test_decoded_size_cap_holds_for_uncompressed_pages(tmp_path):
    """An 8.6 MiB page gets no banner whether it comes compressed or not, and the proxy says why."""
    from support.banner_sites import make_policy, write_file
    from support.proxies import Internet, SocialguardProxy

    site = tmp_path / "site"
    big = b"<!doctype html><html><head><title>big</title></head><body>" + b"<p>feed</p>" * 820_000 + b"</body></html>"
    assert len(big) > 8.5 * 1024 * 1024
    html = "Content-Type: text/html; charset=utf-8\n"
    write_file(site, "www.facebook.com", "/big", big, html)
    write_file(site, "www.facebook.com", "/big-gz", big, html + "Content-Encoding: gzip\n")  # the internet gzips it
    write_file(site, "www.facebook.com", "/small", big[:2000] + b"</body></html>", html)
    net = Internet(tmp_path / "internet", site_dir=site).start()
    policy = make_policy(tmp_path / "policy", ROOT / "policy", every_minutes=0)
    proxy = SocialguardProxy(tmp_path / "proxy", net.port, policy=policy, ca_from=net.confdir).start()
    try:
        s = session_for(proxy)
        bodies = {}
        for path in ("/big", "/big-gz", "/small"):
            r = s.get(f"https://www.facebook.com{path}", headers=NAV | {"Accept": "text/html"}, timeout=60)
            assert r.status_code == 200
            bodies[path] = r.content
        assert bodies["/big"] == big and bodies["/big-gz"] == big          # untouched, byte for byte
        assert b"socialguard-banner" in bodies["/small"]
        evs = proxy.wait_events(lambda e: sum(x["event"]["action"] == "socialguard.error" for x in e) >= 2)
        errors = [x for x in evs if x["event"]["action"] == "socialguard.error"]
        assert sorted(x["url"]["path"] for x in errors) == ["/big", "/big-gz"]
        assert all(x["event"]["reason"] == "banner" for x in errors)
    finally:
        proxy.stop()
        net.stop()
