"""The proxy refuses to forward to itself (issue 14, point 7): the decision, for every spelling of the host a
client can send in an absolute-form request, a Host header or a CONNECT line."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.fuzzing import fuzz_settings

from socialguard.destinations import is_loopback, is_self_target, parse_address, refusal
from socialguard.policy import PolicyError, load_policy

PROXY, METRICS = 8080, 9464
LOOPBACK_BOUND = [("127.0.0.1", PROXY), ("127.0.0.1", METRICS)]
ALL_BOUND = [("0.0.0.0", PROXY), ("", METRICS)]

SELF_SPELLINGS = ["127.0.0.1", "localhost", "LOCALHOST", "localhost.", "foo.localhost", "127.1", "2130706433",
                  "0x7f000001", "0177.0.0.1", "0x7f.1", "017700000001", "0.0.0.0", "0", "[::ffff:127.0.0.1]",
                  "::ffff:7f00:1", " 127.0.0.1", "127.0.0.1."]


@pytest.mark.parametrize("host", SELF_SPELLINGS)
@pytest.mark.parametrize("port", [PROXY, METRICS])
def test_every_spelling_of_the_proxy_is_self(host, port):
    assert is_self_target(host, port, LOOPBACK_BOUND)
    assert is_self_target(host, port, ALL_BOUND)
    assert refusal(host, port, LOOPBACK_BOUND, refuse_loopback=False) == "self"


def test_spellings_agree_with_the_c_resolver():
    """What we call the loopback is what getaddrinfo would connect to (for the numeric forms)."""
    for host in SELF_SPELLINGS:
        h = host.strip().strip("[]").rstrip(".")
        if parse_address(h) is None:
            continue
        try:
            resolved = socket.getaddrinfo(h, 80, proto=socket.IPPROTO_TCP)[0][4][0]
        except socket.gaierror:
            continue
        assert parse_address(resolved) == parse_address(h), host


@pytest.mark.parametrize("host, port", [
    ("127.0.0.1", 8081), ("mastodon.social", PROXY), ("10.0.0.5", METRICS), ("127.0.0.2x", METRICS),
    ("example.localhost.com", METRICS), ("", 80),
])
def test_other_targets_are_not_self(host, port):
    assert not is_self_target(host, port, LOOPBACK_BOUND)


def test_ipv6_loopback_and_own_addresses():
    assert is_self_target("[::1]", PROXY, [("::1", PROXY)])
    assert is_self_target("::1", PROXY, [("::", PROXY)])
    assert not is_self_target("[::1]", PROXY, [("127.0.0.1", PROXY)])     # another socket, but...
    assert refusal("[::1]", PROXY, [("127.0.0.1", PROXY)], refuse_loopback=True) == "loopback"
    # Bound to all addresses: the host's LAN address reaches it too; bound to the LAN address: only that.
    assert is_self_target("10.0.0.5", PROXY, ALL_BOUND, local_addrs=["10.0.0.5"])
    assert is_self_target("10.0.0.5", PROXY, [("10.0.0.5", PROXY)])
    assert not is_self_target("10.0.0.6", PROXY, [("10.0.0.5", PROXY)])


def test_loopback_is_refused_only_by_policy():
    assert refusal("127.0.0.1", 5432, LOOPBACK_BOUND, refuse_loopback=True) == "loopback"
    assert refusal("localhost", 5432, LOOPBACK_BOUND, refuse_loopback=False) is None
    assert refusal("127.9.9.9", 22, LOOPBACK_BOUND, refuse_loopback=True) == "loopback"
    assert refusal("mastodon.social", 443, LOOPBACK_BOUND, refuse_loopback=True) is None
    assert refusal("10.1.2.3", 443, LOOPBACK_BOUND, refuse_loopback=True) is None


@fuzz_settings()
@given(st.text(max_size=40), st.integers(0, 65535), st.booleans())
def test_refusal_never_raises(host, port, refuse):
    assert refusal(host, port, LOOPBACK_BOUND + ALL_BOUND, refuse, ["10.0.0.5", "not an address"]) in (
        None, "self", "loopback")


@fuzz_settings()
@given(st.integers(0x7F000000, 0x7FFFFFFF), st.sampled_from(["dotted", "decimal", "hex", "short"]))
def test_any_loopback_spelling_is_loopback(value, form):
    a = ".".join(str(b) for b in value.to_bytes(4, "big"))
    host = {"dotted": a, "decimal": str(value), "hex": hex(value),
            "short": f"127.{value & 0xFFFFFF}"}[form]
    assert is_loopback(host)


def test_policy_switch(tmp_path):
    import shutil

    from support.proxies import ROOT

    shutil.copytree(ROOT / "policy", tmp_path / "p")
    assert load_policy(tmp_path / "p").operations.forwarding.refuse_loopback is True
    (tmp_path / "p" / "operations.yaml").write_text("forwarding: {refuse_loopback: false}\n")
    assert load_policy(tmp_path / "p").operations.forwarding.refuse_loopback is False
    (tmp_path / "p" / "operations.yaml").write_text("forwarding: {refuse_loopback: maybe}\n")
    with pytest.raises(PolicyError):
        load_policy(tmp_path / "p")


def test_refusal_response_names_no_address():
    from socialguard.destinations import own_host_addresses, refusal_response

    for reason in ("self", "loopback"):
        status, body, headers = refusal_response(reason)
        assert status == 403 and b"127." not in body and headers["Cache-Control"] == "no-store"
    assert all(parse_address(a) is not None for a in own_host_addresses())
