"""operations.yaml parsing, the SNI pass-through decision and the domain-only pass-through count."""

from __future__ import annotations

import pytest
from support.eventcheck import assert_valid_events
from support.opsproxy import copy_policy

from socialguard.passthrough import OTHER_DOMAINS, PassthroughCounter, TlsChooser, TlsDecision
from socialguard.policy import PolicyError, load_policy
from socialguard.policy.operations import OperationsPolicy, TlsPolicy


def test_shipped_operations_policy(policy):
    ops = policy.operations
    assert ops.tls.decrypt == "social"
    assert "rbc.com" in ops.tls.never_decrypt and "signal.org" in ops.tls.always_passthrough
    assert ops.events.flush == "per_event" and ops.events.fsync_interval_s == 1
    assert ops.metrics.listen_host == "127.0.0.1"
    assert ops.reload.watch is True


def test_shipped_lists_pass_no_catalog_host_through(policy):
    chooser = TlsChooser(policy.operations.tls, policy.catalog, policy.agency.professional_hosts)
    passed = [(p.slug, h) for p in policy.catalog.platforms for h in p.hosts + p.background_hosts
              if not chooser.decide(h.removeprefix("*.")).decrypt]
    assert passed == []


def test_missing_file_means_safe_defaults(tmp_path):
    policy_dir = copy_policy(tmp_path / "p")
    (policy_dir / "operations.yaml").unlink()
    assert load_policy(policy_dir).operations == OperationsPolicy()


@pytest.mark.parametrize("text, line, message", [
    ("tls:\n  decrypt: sometimes\n", 2, "sometimes"),
    ("tls:\n  never_decrypt: [bank.example]\n  decrypt_also: [x.bank.example, bank.example]\n", 3,
     "both to decrypt and to pass through"),
    ("events:\n  flush: whenever\n", 2, "per_event"),
    ("events:\n  fsync_interval_s: -1\n", 2, "minimum"),
    ("metrics:\n  port: 70000\n", 2, "maximum"),
    ("reload:\n  poll_every: 3\n", 2, "unknown key 'poll_every'"),
    ("tls:\n  never_decrypt: ['bad host/']\n", 2, "does not match"),
])
def test_bad_operations_file_is_rejected_with_its_line(tmp_path, text, line, message):
    policy_dir = copy_policy(tmp_path / "p")
    (policy_dir / "operations.yaml").write_text(text)
    with pytest.raises(PolicyError) as e:
        load_policy(policy_dir)
    assert f"operations.yaml:{line}:" in str(e.value) and message in str(e.value), str(e.value)


@pytest.fixture(scope="module")
def chooser(policy):
    tls = TlsPolicy(never_decrypt=("bank.example", "x.com"), always_passthrough=("pinned.example",),
                    decrypt_also=("intranet.example",))
    return TlsChooser(tls, policy.catalog, professional_hosts=("instance.example", "pinned.example"))


@pytest.mark.parametrize("sni, expected", [
    ("mastodon.social", TlsDecision(True, "social", "mastodon")),
    ("MASTODON.SOCIAL.", TlsDecision(True, "social", "mastodon")),
    ("bsky.app", TlsDecision(True, "social", "bluesky")),
    ("www.example.org", TlsDecision(False, "not_social")),
    ("online.bank.example", TlsDecision(False, "never_decrypt")),
    ("x.com", TlsDecision(False, "never_decrypt", "x")),          # never_decrypt wins over the catalog
    ("api.pinned.example", TlsDecision(False, "pinned")),
    ("wiki.intranet.example", TlsDecision(True, "decrypt_also")),
    ("social.instance.example", TlsDecision(True, "professional_host")),  # agency.yaml professional host
    ("pinned.example", TlsDecision(False, "pinned")),           # a pass-through list beats it
    ("notbank.example", TlsDecision(False, "not_social")),       # suffixes match on a dot boundary only
    (None, TlsDecision(False, "no_sni")),
    ("", TlsDecision(False, "no_sni")),
])
def test_tls_decision_by_sni(chooser, sni, expected):
    assert chooser.decide(sni) == expected


def test_decrypt_all_still_honours_never_decrypt(policy):
    c = TlsChooser(TlsPolicy(decrypt="all", never_decrypt=("bank.example",), without_sni="decrypt"), policy.catalog)
    assert c.decide("www.example.org") == TlsDecision(True, "decrypt_all")
    assert c.decide("bank.example").decrypt is False
    assert c.decide(None).decrypt is True


def test_passthrough_counter_is_bounded_and_domain_only(chooser):
    counter = PassthroughCounter(max_domains=2)
    for sni in ["a.example", "a.example", "b.example", "c.example", "online.bank.example", None]:
        counter.add(sni, chooser.decide(sni))
    events = counter.drain(now=counter._since + 60)
    assert_valid_events([{**e, "ecs": {"version": "8.11.0"}, "observer": {"name": "n", "product": "socialguard"},
                          "event": {**e["event"], "dataset": "socialguard"}} for e in events])
    counts = {(e["destination"]["domain"], e["socialguard"]["passthrough"]["reason"]):
              e["socialguard"]["passthrough"]["connections"] for e in events}
    assert counts == {("a.example", "not_social"): 2, ("b.example", "not_social"): 1,
                      (OTHER_DOMAINS, "not_social"): 1, (OTHER_DOMAINS, "never_decrypt"): 1,
                      (OTHER_DOMAINS, "no_sni"): 1}
    assert all(e["event"]["duration"] == 60 * 10**9 for e in events)
    assert counter.drain() == []


def test_reserved_host_is_always_decrypted(policy):
    # The banner's dismiss link goes to a host only the proxy answers: passing it through would break dismissal.
    chooser = TlsChooser(policy.operations.tls, policy.catalog, reserved_hosts=("socialguard.invalid",))
    assert chooser.decide("socialguard.invalid").decrypt
    assert chooser.decide("socialguard.invalid").reason == "reserved"
    assert not chooser.decide("www.example.org").decrypt
