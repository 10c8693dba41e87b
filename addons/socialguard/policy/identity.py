"""identity.yaml: group membership and the source-address map."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from .model import AddressRule, Identity
from .source import Document, given


def parse_identity(docs: list[Document], directory: Path) -> Identity:
    if not docs:
        return Identity(groups={}, addresses=())
    doc = docs[0]
    d = doc.data
    membership: dict[str, list[str]] = {}
    for group, members in d.get("groups", {}).items():
        for user in members:
            membership.setdefault(user, []).append(group)
    rules = []
    for i, item in enumerate(d.get("addresses", ())):
        try:
            net = ipaddress.ip_network(item["cidr"], strict=False)
        except ValueError as e:
            raise doc.error(["addresses", i, "cidr"], f"not an address or network: {e}") from None
        rules.append(AddressRule(net, item["user"]))
    # Most specific first, so a /32 beats the /24 around it.
    rules.sort(key=lambda r: -r.network.prefixlen)
    return Identity(
        groups={u: tuple(g) for u, g in membership.items()},
        addresses=tuple(rules),
        **given(d, trust_proxy_auth=bool),
    )
