"""Property tests for the policy loader: a mutated policy directory loads or raises PolicyError, nothing else."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from support.fuzzing import fuzz_settings, json_values, wild_scalars
from support.proxies import ROOT

from socialguard.policy import Policy, PolicyError, load_policy

POLICY = ROOT / "policy"
FILES = sorted(str(p.relative_to(POLICY)) for p in POLICY.rglob("*.yaml"))


def _load(mutate) -> None:
    with tempfile.TemporaryDirectory() as d:
        target = Path(d) / "policy"
        shutil.copytree(POLICY, target)
        mutate(target)
        try:
            got = load_policy(target)
        except PolicyError as e:
            assert str(e)                      # every problem renders as file:line: message
            for file, line, msg in e.problems:
                assert isinstance(line, int) and line >= 1 and msg
            return
        assert isinstance(got, Policy)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


@fuzz_settings(0.5)
@given(st.sampled_from(FILES), st.data(), st.one_of(json_values, wild_scalars.filter(lambda v: not isinstance(v, bytes))))
def test_replacing_any_value_gives_policy_or_policy_error(name, data, value):
    doc = yaml.safe_load((POLICY / name).read_text())
    paths = [p for p in _paths(doc) if p]
    where = data.draw(st.sampled_from(paths)) if paths else ()

    def mutate(target: Path) -> None:
        node = doc
        for k in where[:-1]:
            node = node[k]
        if where:
            node[where[-1]] = value
        (target / name).write_text(yaml.safe_dump(doc, allow_unicode=True))

    _load(mutate)


@fuzz_settings(0.5)
@given(st.sampled_from(FILES), st.integers(0, 10_000), st.sampled_from(["truncate", "delete-line", "garbage-line",
                                                                         "tab", "bytes"]),
       st.text(max_size=30))
@example("agency.yaml", 3, "garbage-line", "&a [*a, *a, *a, *a]")
@example("agency.yaml", 1, "garbage-line", "x: !!python/object/apply:os.system ['true']")
def test_text_mutations_give_policy_or_policy_error(name, pos, how, junk):
    def mutate(target: Path) -> None:
        path = target / name
        text = path.read_text()
        lines = text.splitlines()
        i = pos % max(1, len(lines))
        if how == "truncate":
            path.write_text(text[: pos % max(1, len(text))])
        elif how == "delete-line":
            path.write_text("\n".join(lines[:i] + lines[i + 1:]))
        elif how == "garbage-line":
            path.write_text("\n".join(lines[:i] + [junk] + lines[i:]))
        elif how == "tab":
            path.write_text(text.replace("  ", "\t", 1 + pos % 3))
        else:
            path.write_bytes(text.encode()[:pos % max(1, len(text))] + b"\xff\xfe" + junk.encode())

    _load(mutate)


def test_billion_laughs_is_bounded():
    """YAML aliases expand by reference, not by copy; the schema then rejects the shape. Never a hang."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))

    def mutate(target: Path) -> None:
        (target / "identity.yaml").write_text(bomb)

    _load(mutate)
