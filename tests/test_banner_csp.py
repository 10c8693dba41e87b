"""How the banner is styled under each page policy, without a violation."""

from __future__ import annotations

import pytest

from socialguard.banner.csp import decide, parse_header, parse_policy

SHEET = "/__socialguard/banner.css"


def mode(*policies: str, host: str = "www.facebook.com", scheme: str = "https", port: int = 443):
    d = decide(parse_header(policies), scheme=scheme, host=host, port=port, stylesheet_path=SHEET)
    return (d.mode, d.nonce) if d.mode == "nonce" else d.mode


@pytest.mark.parametrize("policies,expected", [
    ((), "inline"),
    (("script-src 'nonce-abc' 'strict-dynamic'; object-src 'none'",), "inline"),
    (("require-trusted-types-for 'script'",), "inline"),
    (("style-src 'unsafe-inline'",), "inline"),
    (("default-src 'self' 'unsafe-inline'",), "inline"),
    (("style-src 'self'",), "stylesheet"),
    (("default-src 'self'",), "stylesheet"),
    (("style-src-elem 'self'; style-src 'none'",), "stylesheet"),
    (("style-src 'nonce-XyZ=='",), ("nonce", "XyZ==")),
    (("style-src 'NONCE-XyZ' 'self'",), ("nonce", "XyZ")),
    (("style-src 'nonce-a' 'unsafe-inline'",), ("nonce", "a")),        # the nonce makes unsafe-inline void
    (("style-src 'sha256-abc=' 'unsafe-inline' 'self'",), "stylesheet"),
    (("default-src 'none'; style-src 'nonce-m2'",), ("nonce", "m2")),
    (("style-src 'nonce-a'", "style-src 'nonce-a' 'self'"), ("nonce", "a")),
    (("style-src 'nonce-a'", "style-src 'nonce-b'"), "attributes"),
    (("style-src 'nonce-a'", "style-src 'self'"), "attributes"),
    (("style-src 'self'", "style-src 'unsafe-inline'"), "attributes"),
    (("style-src 'self', img-src 'none'",), "stylesheet"),               # two policies in one header
    (("style-src 'none'",), "attributes"),
    (("default-src 'none'",), "attributes"),
    (("style-src https://static.example",), "attributes"),
    (("style-src https:",), "stylesheet"),
    (("style-src http:",), "stylesheet"),
    (("style-src *",), "stylesheet"),
    (("style-src www.facebook.com",), "stylesheet"),
    (("style-src https://*.facebook.com",), "stylesheet"),
    (("style-src https://www.facebook.com:8443",), "attributes"),
    (("style-src https://www.facebook.com/__socialguard/",), "stylesheet"),
    (("style-src https://www.facebook.com/static/",), "attributes"),
    (("style-src *.netflix.com",), "attributes"),
])
def test_style_decision(policies, expected):
    assert mode(*policies) == expected


def test_self_on_a_non_default_port():
    assert mode("style-src https://x.com:8443", host="x.com", port=8443) == "stylesheet"
    assert mode("style-src x.com", host="x.com", port=8443) == "attributes"


def test_parse_policy_keeps_first_directive_and_nonce_case():
    p = parse_policy("Style-Src 'SELF' 'nonce-AbC'; style-src 'none';; img-src data:")
    assert p == {"style-src": ("'self'", "'nonce-AbC'"), "img-src": ("data:",)}
