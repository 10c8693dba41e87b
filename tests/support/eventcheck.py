"""Every written event must validate against the event schema and against the ECS field definitions."""

from __future__ import annotations

import jsonschema

from support.ecscheck import assert_ecs


def assert_valid_events(events: list[dict]) -> None:
    from socialguard.events import event_schema

    validator = jsonschema.Draft202012Validator(event_schema())
    for ev in events:
        errors = sorted(validator.iter_errors(ev), key=str)
        assert not errors, f"{ev}: {errors[0].message}"
    assert_ecs(events)
