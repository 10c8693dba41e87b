"""The banner's HTML: language, rotation text, meter, coaching, links, styling modes, accessibility."""

from __future__ import annotations

import html
import html.parser
import re

import pytest

from socialguard.banner.csp import StyleDecision
from socialguard.banner.render import BANNER_CSS, Content, choose_language, render
from socialguard.coaching import Coaching


@pytest.mark.parametrize("setting,accept,expected", [
    ("auto", "fr-CA,fr;q=0.9,en;q=0.8", "fr"),
    ("auto", "en-CA,en;q=0.9", "en"),
    ("auto", "de-DE,de;q=0.9", "en+fr"),
    ("auto", "de-DE,fr;q=0.5,en;q=0.7", "en"),
    ("auto", "en;q=0.1, fr", "fr"),
    ("auto", "fr;q=0, en", "en"),
    ("auto", "*", "en+fr"),
    ("auto", "", "en+fr"),
    ("auto", None, "en+fr"),
    ("auto", "fr;q=abc", "en+fr"),
    ("fr", "en-US", "fr"),
    ("en", "fr-CA", "en"),
])
def test_choose_language(setting, accept, expected):
    assert choose_language(setting, accept) == expected


def _render(policy, language="en", style=StyleDecision("inline"), **kw):
    content = Content(language=language, message=policy.banner.messages[2], **kw)
    return render(policy.banner, content, style, faq_url="https://faq.example/a?b=1&c=2",
                  contact_url="mailto:team@example.org", dismiss_url="https://socialguard.invalid/dismiss?r=x",
                  stylesheet_url="https://x.com/__socialguard/banner.css?v=1")


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(markup: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(markup)
    return p.tags


def test_structure_and_accessibility(policy):
    out = _render(policy)
    tags = _tags(out)
    assert tags[0] == ("socialguard-banner", {"data-socialguard": "banner", "lang": "en"})
    assert tags[1] == ("template", {"shadowrootmode": "open"})
    region = next(a for t, a in tags if t == "section")
    assert region["role"] == "region" and region["aria-label"]
    dismiss = next(a for t, a in tags if t == "a" and a.get("class") == "x")
    assert dismiss["href"] == "https://socialguard.invalid/dismiss?r=x" and dismiss["aria-label"]
    assert "https://faq.example/a?b=1&amp;c=2" in out
    assert "<script" not in out and " style=" not in out


def _line(out: str) -> str:
    """The visible line: everything in the bar except the disclosure's panel (its summary stays)."""
    head, _, rest = out.partition('<div class="p" dir="ltr">')
    return head + rest.partition("</div></details>")[2]


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.mark.parametrize("language,present,absent,detail", [
    ("en", ["Guideline 2.3:", "my own views", "Dismiss", "More"], ["Lignes directrices", "Ligne directrice"],
     "Lignes directrices"),
    ("fr", ["Ligne directrice 2.3\u00a0:", "opinions sont les miennes", "Fermer", "Plus"],
     ["Social media guidelines", "Guideline"], "Social media guidelines"),
    ("en+fr", ["Guideline 2.3:", "Dismiss"], ["Lignes directrices"], "Lignes directrices"),
])
def test_one_language_on_the_line_the_other_behind_more(policy, language, present, absent, detail):
    out = _render(policy, language=language)
    line = _text(_line(out))
    for s in present:
        assert s in line
    for s in absent:
        assert s not in line
    assert detail in out.partition('<div class="p" dir="ltr">')[2].partition("</div></details>")[0]
    assert ">FAQ<" in out and "FAQ / FAQ" not in out


def test_line_order_message_meter_more_dismiss(policy):
    line = _tags(_line(_render(policy, minutes=12)))
    assert [(t, a.get("class")) for t, a in line if t in ("p", "summary", "a") or a.get("class") == "m"] == [
        ("p", "t"), ("span", "m"), ("summary", None), ("a", "x")]
    assert "Today: 12\u00a0min" in _text(_line(_render(policy, minutes=12)))


def test_no_dismiss_control_without_a_link(policy):
    content = Content(language="en", message=policy.banner.messages[0])
    out = render(policy.banner, content, StyleDecision("inline"), faq_url="", contact_url="", dismiss_url=None,
                 stylesheet_url="")
    assert 'class="x"' not in out and "Dismiss" not in out


@pytest.mark.parametrize("mode", ["inline", "nonce", "attributes"])
def test_beacon_in_every_styling_mode(policy, mode):
    content = Content(language="en", message=policy.banner.messages[0])
    out = render(policy.banner, content, StyleDecision(mode, "n"), faq_url="", contact_url="", dismiss_url=None,
                 stylesheet_url="", beacon_url="https://x.com/__socialguard/seen/abc")
    assert "https://x.com/__socialguard/seen/abc" in out
    plain = render(policy.banner, content, StyleDecision(mode, "n"), faq_url="", contact_url="", dismiss_url=None,
                   stylesheet_url="")
    assert "seen/" not in plain


@pytest.mark.parametrize("style,expected,unexpected", [
    (StyleDecision("inline"), "<style>", ["nonce=", "<link", "bgcolor"]),
    (StyleDecision("nonce", "n0nce"), '<style nonce="n0nce">', ["<link", "bgcolor"]),
    (StyleDecision("stylesheet"), '<link rel="stylesheet" href="https://x.com/__socialguard/banner.css?v=1">',
     ["<style", "bgcolor"]),
    (StyleDecision("attributes"), 'bgcolor="#FFF4CE"', ["<style", "<link"]),
])
def test_styling_modes(policy, style, expected, unexpected):
    out = _render(policy, style=style)
    assert expected in out
    for s in unexpected:
        assert s not in out
    if style.mode in ("inline", "nonce"):
        assert BANNER_CSS in out


def test_meter_line(policy):
    assert "You have spent 23 min on social media during working hours today." in _render(policy, minutes=23)
    assert "Vous avez passé 23 min" in _render(policy, language="fr", minutes=23)
    assert "You have spent" not in _render(policy, minutes=None)


def test_coaching_line_says_kind_and_section_never_content(policy):
    item = Coaching(kind="marker", name="protected_b", guideline="2.6", platform="x", at=0)
    out = _render(policy, coaching=(item,), platform_names=(("x", "X (Twitter)"),))
    assert "X (Twitter)" in out and "a security or embargo marking" in out and "(guideline 2.6)" in out
    assert "Keep confidential information confidential" in out          # what the guideline asks
    assert "protected_b" not in out
    fr = _render(policy, language="fr", coaching=(item,))
    assert "une cote de sécurité" in fr and "Ce qui est confidentiel reste confidentiel" in fr


def test_coaching_for_guideline_1_uses_its_explicit_ask(policy):
    item = Coaching(kind="official_reply", name="official_account", guideline="1", platform="x", at=0)
    out = _render(policy, coaching=(item,))
    assert "a reply to an official agency account" in out and "Communications division" in out
