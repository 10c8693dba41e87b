"""Identity: proxy-auth user first, then the policy's address map (most specific wins), else the address."""

from __future__ import annotations

import ipaddress

import pytest

from socialguard.identity import IdentityResolver
from socialguard.policy.model import AddressRule, Identity

IDENTITY = Identity(
    groups={"asmith": ("economics",), "jlemieux": ("communications", "economics")},
    addresses=tuple(sorted([
        AddressRule(ipaddress.ip_network("10.0.0.0/8"), "building-a"),
        AddressRule(ipaddress.ip_network("10.20.30.40/32"), "asmith"),
        AddressRule(ipaddress.ip_network("2001:db8::/64"), "v6-lab"),
    ], key=lambda r: -r.network.prefixlen)),
)


@pytest.mark.parametrize(
    "ip, proxy_user, user, source, groups",
    [
        ("10.20.30.40", "jlemieux", "jlemieux", "proxyauth", ("communications", "economics")),
        ("10.20.30.40", None, "asmith", "ipmap", ("economics",)),
        ("10.1.2.3", None, "building-a", "ipmap", ()),
        ("::ffff:10.20.30.40", None, "asmith", "ipmap", ("economics",)),
        ("2001:db8::5", None, "v6-lab", "ipmap", ()),
        ("192.0.2.7", None, "192.0.2.7", "ip", ()),
        ("not-an-ip", None, "not-an-ip", "ip", ()),
        ("", None, "unknown", "ip", ()),
    ],
)
def test_resolve(ip, proxy_user, user, source, groups):
    who = IdentityResolver(IDENTITY).resolve(ip, proxy_user)
    assert (who.user, who.source, who.groups) == (user, source, groups)
    assert who.group == (groups[0] if groups else None)


def test_proxy_auth_can_be_distrusted():
    ident = Identity(groups={}, addresses=IDENTITY.addresses, trust_proxy_auth=False)
    assert IdentityResolver(ident).resolve("10.20.30.40", "mallory").user == "asmith"


def test_shipped_policy_groups(policy):
    who = IdentityResolver(policy.identity).resolve("10.20.30.40", None)
    assert who.user == "asmith" and "economics" in who.groups
