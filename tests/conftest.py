"""Shared fixtures. End-to-end fixtures start real processes on loopback only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support.proxies import ROOT, Internet, SocialguardProxy  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def policy():
    from socialguard.policy import load_policy

    return load_policy(ROOT / "policy")


@pytest.fixture(scope="session")
def internet(tmp_path_factory):
    net = Internet(tmp_path_factory.mktemp("internet")).start()
    yield net
    net.stop()


@pytest.fixture(scope="session")
def proxy(tmp_path_factory, internet):
    """One socialguard proxy on the shipped policy, shared by the tests that only read its events."""
    p = SocialguardProxy(tmp_path_factory.mktemp("proxy"), internet.port, ca_from=internet.confdir).start()
    yield p
    p.stop()


@pytest.fixture
def proxy_factory(tmp_path, internet):
    """Start proxies with custom settings; all are stopped at the end of the test."""
    started: list[SocialguardProxy] = []

    def make(**kwargs) -> SocialguardProxy:
        kwargs.setdefault("upstream_port", internet.port)
        kwargs.setdefault("ca_from", internet.confdir)
        p = SocialguardProxy(tmp_path / f"proxy{len(started)}", **kwargs).start()
        started.append(p)
        return p

    yield make
    for p in started:
        p.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
