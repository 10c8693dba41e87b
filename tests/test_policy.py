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


# -- typed sections, defaults written once ---------------------------------------------------------------
SECTION_TYPES = {"inspection": "InspectionPolicy", "markers": "MarkersPolicy", "worktime": "WorktimePolicy",
                 "reports": "ReportsPolicy", "banner": "BannerPolicy", "operations": "OperationsPolicy"}


def test_policy_sections_are_typed_and_always_filled(policy):
    import typing

    from socialguard.policy.model import Policy

    hints = typing.get_type_hints(Policy)
    for attr, type_name in SECTION_TYPES.items():
        assert hints[attr].__name__ == type_name, attr
        assert isinstance(getattr(policy, attr), hints[attr]), attr


def _keywords(node, path=()):
    """Every (path, keyword) in a JSON Schema, not counting property names."""
    if isinstance(node, dict):
        for key, value in node.items():
            if path and path[-1] in ("properties", "patternProperties", "$defs"):
                yield from _keywords(value, path + (key,))
            else:
                yield path, key
                yield from _keywords(value, path + (key,))
    elif isinstance(node, list):
        for item in node:
            yield from _keywords(item, path)


def test_schemas_validate_but_hold_no_defaults():
    """Defaults live on the dataclasses only: a schema `default` would be a second copy that can drift."""
    from socialguard.policy.loader import SECTIONS
    from socialguard.policy.source import schema

    for section in SECTIONS:
        found = [path for path, key in _keywords(schema(section.schema)) if key == "default"]
        assert not found, f"{section.schema}: 'default' at {found}"


@pytest.mark.parametrize("name", ["inspection", "markers", "worktime", "reports", "operations"])
def test_an_empty_section_file_means_the_dataclass_defaults(policy_copy, name):
    (policy_copy / f"{name}.yaml").write_text("# nothing set\n")
    empty = load_policy(policy_copy)
    (policy_copy / f"{name}.yaml").unlink()
    absent = load_policy(policy_copy)
    section_type = type(getattr(absent, name))
    assert getattr(empty, name) == section_type() == getattr(absent, name)


@pytest.mark.parametrize("name, text, attr, expected", [
    ("operations", "tls:\n  summary_interval_s: 60\n", lambda p: p.operations.tls, {"summary_interval_s": 60.0}),
    ("operations", "events:\n  fsync_interval_s: null\n", lambda p: p.operations.events, {"fsync_interval_s": None}),
    ("inspection", "limits:\n  pages: 7\nactions:\n  default: coach\n", lambda p: p.inspection,
     {"default_action": "coach"}),
    ("worktime", "model:\n  tail_seconds: 5\n", lambda p: p.worktime, {"tail_seconds": 5.0}),
    ("reports", "k_anonymity: 3\n", lambda p: p.reports, {"k_anonymity": 3}),
])
def test_a_key_given_changes_only_that_field(policy_copy, name, text, attr, expected):
    from dataclasses import fields

    (policy_copy / f"{name}.yaml").write_text(text)
    section = attr(load_policy(policy_copy))
    default = type(section)()
    for f in fields(section):
        want = expected.get(f.name, getattr(default, f.name))
        if f.name == "limits":
            want = type(default.limits)(pages=7) if "pages" in text else default.limits
        assert getattr(section, f.name) == want, f.name


def test_named_schedules_start_from_the_policys_default_schedule(policy_copy):
    (policy_copy / "worktime.yaml").write_text(
        "default_schedule: {start: '07:00', end: '15:00'}\nschedules:\n  late: {end: '18:00'}\n")
    wt = load_policy(policy_copy).worktime
    assert (wt.default.start, wt.default.end) == (7 * 60, 15 * 60)
    late = wt.schedules["late"]
    assert (late.start, late.end, late.lunch, late.breaks) == (7 * 60, 18 * 60, wt.default.lunch, wt.default.breaks)
    assert late.name == "late" and wt.default.name == "default"
