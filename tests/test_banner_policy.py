"""banner.yaml: the shipped file, defaults, and errors with their lines."""

from __future__ import annotations

import shutil

import pytest

from socialguard.policy import PolicyError, load_policy
from support.proxies import ROOT


def test_shipped_banner_policy(policy):
    b = policy.banner
    assert b.enabled and b.language == "auto"
    assert [m.guideline for m in b.messages] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"]
    assert all(m.text.en and m.text.fr for m in b.messages)
    assert b.every_seconds == 4 * 3600 and b.dismiss_seconds == 8 * 3600
    assert set(b.kinds) == {"marker", "label", "logo", "profanity", "internal_link", "official_reply",
                            "disclaimer_missing", "people_in_photo"}
    for section in ("1", "2.1", "2.7"):
        assert b.ask(section) is not None
    assert b.ask("2.9") is None


@pytest.fixture
def policy_dir(tmp_path):
    d = tmp_path / "policy"
    shutil.copytree(ROOT / "policy", d)
    return d


def test_missing_banner_file_means_no_banner(policy_dir):
    (policy_dir / "banner.yaml").unlink()
    assert load_policy(policy_dir).banner.enabled is False


@pytest.mark.parametrize("text,line,message", [
    ("enabled: true\nlanguage: de\n", 2, "language"),
    ("enabled: true\nfrequency:\n  every_hours: 4\n", 3, "unknown key 'every_hours'"),
    ("enabled: true\nmessages:\n  - guideline: '3.1'\n    en: a\n    fr: b\n", 3, "guideline"),
    ("enabled: true\nmessages:\n  - guideline: '2.1'\n    en: a\n", 3, "'fr' is a required property"),
    ("enabled: true\n", 1, "has no messages"),
    ("faq_url: javascript:alert(1)\n", 1, "faq_url"),
])
def test_errors_point_at_the_line(policy_dir, text, line, message):
    (policy_dir / "banner.yaml").write_text(text)
    with pytest.raises(PolicyError) as e:
        load_policy(policy_dir)
    f, got_line, msg = e.value.problems[0]
    assert f.endswith("banner.yaml") and got_line == line and message in msg
