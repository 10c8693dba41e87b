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


def test_dismiss_host_answers_in_regular_mode(regular_proxy):
    s = session_for(regular_proxy)
    r = s.get("https://socialguard.invalid/dismiss?r=https%3A%2F%2Fx.com%2Fhome", allow_redirects=False,
              headers={"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}, timeout=20)
    assert r.status_code == 303 and r.headers["location"] == "https://x.com/home"
    r = s.get("https://socialguard.invalid/elsewhere", allow_redirects=False, timeout=20)
    assert r.status_code == 404
