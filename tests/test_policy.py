"""Policy loading: the shipped policy passes; every kind of mistake is reported as file:line: message."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from socialguard.policy import PolicyError, load_policy
from socialguard.policy.globs import compile_glob
from socialguard.policy.source import read_yaml, line_of

ROOT = Path(__file__).resolve().parents[1]
SOCIALGUARD = str(Path(sys.executable).parent / "socialguard")


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "policy"
    shutil.copytree(ROOT / "policy", dest)
    return dest


def test_shipped_policy_loads(policy):
    assert policy.agency.name_en == "Statistics Canada"
    assert policy.catalog.platforms
    assert policy.files


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _line_of_text(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


@pytest.mark.parametrize(
    "file, old, new, message",
    [
        ("agency.yaml", "official_groups:", "oficial_groups:", "unknown key 'oficial_groups' (did you mean 'official_groups'?)"),
        ("platforms/x.yaml", "hosts: [", "hostz: [", "unknown key 'hostz'"),
        ("platforms/x.yaml", "activity: react", "activity: like", "rules.3.activity"),
        ("platforms/x.yaml", "background: true", "background: yes please", "is not of type 'boolean'"),
        ("platforms/x.yaml", "guideline: \"2.5\"", "guideline: \"9\"", "does not match"),
        ("identity.yaml", "cidr: 10.20.31.0/24", "cidr: 10.20.31.0/99", "not an address or network"),
        ("platforms/bluesky.yaml", "path: /xrpc/{op}", "path: /xrpc/[a-z]+", "does not match"),
    ],
)
def test_mistakes_are_reported_with_file_and_line(policy_copy, file, old, new, message):
    path = policy_copy / file
    _edit(path, old, new)
    with pytest.raises(PolicyError) as exc:
        load_policy(policy_copy)
    text = str(exc.value)
    assert message in text
    expected_line = _line_of_text(path, new.split(":")[0].strip() if "unknown key" in message else new.strip())
    assert f"{path}:{expected_line}:" in text, text


def test_yaml_syntax_error_names_line(policy_copy):
    path = policy_copy / "agency.yaml"
    path.write_text("name:\n  en: x\n  fr: [unclosed\n")
    with pytest.raises(PolicyError) as exc:
        load_policy(policy_copy)
    assert str(exc.value).startswith(f"{path}:")
    assert "YAML syntax" in str(exc.value)


@pytest.mark.parametrize("content", [b"\xff\xfe\x00bad", b"name: [1, 2\n"])
def test_undecodable_or_broken_file_is_a_policy_error(policy_copy, content):
    (policy_copy / "agency.yaml").write_bytes(content)
    with pytest.raises(PolicyError):
        load_policy(policy_copy)


def test_duplicate_keys_and_rule_ids_rejected(policy_copy):
    path = policy_copy / "agency.yaml"
    path.write_text(path.read_text() + "\nfaq_url: https://example.invalid/again\n")
    with pytest.raises(PolicyError, match="duplicate key 'faq_url'"):
        load_policy(policy_copy)


def test_unknown_policy_file_rejected(policy_copy):
    (policy_copy / "platfroms.yaml").write_text("{}\n")
    with pytest.raises(PolicyError, match="unknown policy file"):
        load_policy(policy_copy)


def test_missing_required_file(policy_copy):
    (policy_copy / "agency.yaml").unlink()
    with pytest.raises(PolicyError, match="required policy file is missing"):
        load_policy(policy_copy)


def test_all_problems_reported_together(policy_copy):
    _edit(policy_copy / "agency.yaml", "official_groups:", "oficial_groups:")
    _edit(policy_copy / "identity.yaml", "groups:", "groupz:")
    with pytest.raises(PolicyError) as exc:
        load_policy(policy_copy)
    assert len(exc.value.problems) >= 2


def test_check_policy_command(policy_copy):
    ok = subprocess.run([SOCIALGUARD, "check-policy", str(ROOT / "policy")], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "ok" in ok.stdout
    _edit(policy_copy / "agency.yaml", "internal_domains:", "internal_domain:")
    bad = subprocess.run([SOCIALGUARD, "check-policy", str(policy_copy)], capture_output=True, text=True)
    assert bad.returncode == 1
    line = _line_of_text(policy_copy / "agency.yaml", "internal_domain:")
    assert f"{policy_copy / 'agency.yaml'}:{line}: unknown key 'internal_domain'" in bad.stderr


def test_line_of_walks_nested_paths(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text("a:\n  b:\n    - x\n    - c: 1\n")
    doc = read_yaml(p)
    assert line_of(doc, ["a", "b", 1, "c"]) == 4
    assert line_of(doc, ["a", "missing"]) == 1


@pytest.mark.parametrize(
    "glob, path, matches",
    [
        ("/api/v1/statuses", "/api/v1/statuses", True),
        ("/api/v1/statuses/*/favourite", "/api/v1/statuses/123/favourite", True),
        ("/api/v1/statuses/*/favourite", "/api/v1/statuses/1/2/favourite", False),
        ("/2/**", "/2/users/1/likes", True),
        ("/2/**", "/3/users", False),
        ("/i/api/graphql/*/{op}", "/i/api/graphql/abc/CreateTweet", True),
        ("/a.json", "/aXjson", False),
    ],
)
def test_globs(glob, path, matches):
    assert (compile_glob(glob).fullmatch(path) is not None) is matches


@pytest.mark.parametrize("bad", ["api/v1", "/a/**/b", "/a/{x}", "/[a-z]+", "/a/{op}/{op}", "/a**", "/a\\d"])
def test_bad_globs(bad):
    with pytest.raises(ValueError):
        compile_glob(bad)


def test_regex_syntax_in_globs_is_literal():
    # Globs have no regex operators: what would backtrack in a regex is plain text here.
    pattern = compile_glob("/(a+)+")
    assert pattern.fullmatch("/(a+)+")
    assert not pattern.fullmatch("/aaaa")
