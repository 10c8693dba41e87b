"""platforms/*.yaml: the platform catalog and its activity rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .globs import compile_glob
from .model import Catalog, FieldTest, OperationSource, Platform, Rule, RuleMatch, TargetFields
from .source import Document, PolicyError, given


def _as_tuple(value: Any) -> tuple:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def _field_tests(spec: dict | None, lower_names: bool = False) -> tuple[FieldTest, ...]:
    tests = []
    for name, cond in (spec or {}).items():
        path = tuple((name.lower() if lower_names else name).split("."))
        if cond in ("present", "absent"):
            tests.append(FieldTest(path, cond))
        else:
            values = frozenset(_norm(v) for v in _as_tuple(cond))
            tests.append(FieldTest(path, "in", values))
    return tuple(tests)


def _norm(value: Any) -> str:
    """Field values compare as strings; YAML/JSON booleans as 'true'/'false'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _glob(doc: Document, keys: list, pattern: str):
    try:
        return compile_glob(pattern)
    except ValueError as e:
        raise doc.error(keys, str(e)) from None


def _parse_rule(doc: Document, i: int, r: dict) -> Rule:
    m = r.get("match", {})
    keys = ["rules", i, "match"]
    match = RuleMatch(
        methods=frozenset(_as_tuple(m.get("method"))),
        hosts=tuple(h.lower() for h in _as_tuple(m.get("host"))),
        path=_glob(doc, keys + ["path"], m["path"]) if "path" in m else None,
        operations=frozenset(_as_tuple(m.get("operation"))),
        body=_field_tests(m.get("body")),
        query=_field_tests(m.get("query")),
        headers=_field_tests(m.get("headers"), lower_names=True),
    )
    t = r.get("targets", {})
    targets = TargetFields(
        reply_to=tuple(tuple(p.split(".")) for p in t.get("reply_to", ())),
        text=tuple(tuple(p.split(".")) for p in t.get("text", ())),
        account=tuple(tuple(p.split(".")) for p in t.get("account", ())),
    )
    return Rule(
        id=r["id"],
        guideline=r["guideline"],
        activity=r["activity"],
        background=r.get("background", False),
        match=match,
        targets=targets,
        **given(r, description=str),
    )


def _parse_operation(doc: Document, i: int, o: dict) -> OperationSource:
    (kind, value), = o.items()
    if kind == "path":
        pattern = _glob(doc, ["operations", i, "path"], value)
        if "op" not in pattern.groupindex:
            raise doc.error(["operations", i, "path"], "an operation path needs a '{op}' segment")
        return OperationSource("path", path=pattern)
    if kind == "header":
        value = value.lower()
    return OperationSource(kind, name=value)


def parse_platform(doc: Document) -> Platform:
    d = doc.data
    for i, glob in enumerate(d.get("any_host_paths", ())):
        _glob(doc, ["any_host_paths", i], glob)  # checked here so a bad glob is a policy error, not a crash
    rules = []
    seen: dict[str, int] = {}
    for i, r in enumerate(d.get("rules", ())):
        if r["id"] in seen:
            raise doc.error(["rules", i, "id"], f"rule id {r['id']!r} already used")
        seen[r["id"]] = i
        rules.append(_parse_rule(doc, i, r))
    return Platform(
        slug=d["slug"],
        name=d["name"],
        hosts=tuple(h.lower() for h in d["hosts"]),
        background_hosts=tuple(h.lower() for h in d.get("background_hosts", ())),
        any_host_paths=tuple(d.get("any_host_paths", ())),
        operations=tuple(_parse_operation(doc, i, o) for i, o in enumerate(d.get("operations", ()))),
        rules=tuple(rules),
        source=str(doc.path),
        **given(d, professional=bool, guideline=str, learn_hosts=bool,
                never_learn=lambda hosts: tuple(h.lower().removeprefix("*.") for h in hosts)),
    )


def parse_catalog(docs: list[Document], directory: Path) -> Catalog:
    platforms: list[Platform] = []
    slugs: dict[str, Document] = {}
    hosts: dict[str, tuple[str, Document]] = {}
    rule_ids: dict[str, Document] = {}
    for doc in docs:
        p = parse_platform(doc)
        if p.slug in slugs:
            raise doc.error(["slug"], f"platform {p.slug!r} is already defined in {slugs[p.slug].path}")
        slugs[p.slug] = doc
        for h in p.hosts + p.background_hosts:
            if h in hosts and hosts[h][0] != p.slug:
                raise doc.error(["hosts"], f"host {h!r} already belongs to {hosts[h][0]!r}")
            hosts[h] = (p.slug, doc)
        for i, r in enumerate(p.rules):
            if r.id in rule_ids:
                raise doc.error(["rules", i, "id"], f"rule id {r.id!r} already used in {rule_ids[r.id].path}")
            rule_ids[r.id] = doc
        platforms.append(p)
    if not platforms:
        raise PolicyError.at(directory / "platforms", 1, "no platform files (platforms/*.yaml)")
    return Catalog(tuple(platforms))
