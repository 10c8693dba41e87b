"""Check events against the ECS field definitions (tests/data/ecs_subset.yml): names, types, allowed values,
and category/type pairs. Everything under `socialguard.` is our own namespace and is checked by schema.json."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from functools import cache
from pathlib import Path

import yaml

SUBSET = Path(__file__).resolve().parents[1] / "data" / "ecs_subset.yml"
OWN_NAMESPACE = "socialguard"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@cache
def ecs_fields() -> dict[str, dict]:
    return yaml.safe_load(SUBSET.read_text("utf-8"))["fields"]


def _leaves(obj: dict, prefix: str = ""):
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _leaves(value, f"{name}.")
        else:
            yield name, value


def _type_ok(ecs_type: str, value) -> bool:
    if ecs_type in ("keyword", "wildcard", "match_only_text"):
        return isinstance(value, str)
    if ecs_type == "long":
        return isinstance(value, int) and not isinstance(value, bool)
    if ecs_type == "date":
        return isinstance(value, str) and bool(_ISO.match(value)) and bool(datetime.fromisoformat(value))
    if ecs_type == "ip":
        try:
            ipaddress.ip_address(value)
            return True
        except ValueError:
            return False
    raise AssertionError(f"unknown ECS type {ecs_type} in {SUBSET}")


def ecs_problems(event: dict) -> list[str]:
    """Every way `event` is not valid ECS (empty when it is)."""
    fields = ecs_fields()
    problems = []
    for name, value in _leaves({k: v for k, v in event.items() if k != OWN_NAMESPACE}):
        spec = fields.get(name)
        if spec is None:
            problems.append(f"{name}: not an ECS field")
            continue
        if value is None:
            continue                                # JSON null: the field is absent
        values = value if isinstance(value, list) else [value]
        for v in values:
            if not _type_ok(spec["type"], v):
                problems.append(f"{name}: {v!r} is not of ECS type {spec['type']}")
            allowed = spec.get("allowed_values")
            if allowed is not None and v not in allowed:
                problems.append(f"{name}: {v!r} is not an allowed value")
    ev = event.get("event", {})
    categories, types = ev.get("category", []), ev.get("type", [])
    expected = fields["event.category"]["allowed_values"]
    for t in types:
        if not any(t in expected.get(c, ()) for c in categories):
            problems.append(f"event.type {t!r} is expected by none of the categories {categories}")
    for c in categories:
        if types and not any(t in expected.get(c, ()) for t in types):
            problems.append(f"event.category {c!r} has none of its expected types among {types}")
    return problems


def assert_ecs(events: list[dict]) -> None:
    for ev in events:
        problems = ecs_problems(ev)
        assert not problems, f"{ev}: {problems}"
