"""Reports read the person's group from ECS `user.group.name`, and still from files written before events were
valid ECS (a plain-string `user.group`, `user.source`): the same rows either way."""

from __future__ import annotations

import json

from support.report_events import write_events
from support.worktime import policy_copy
from test_report import GROUP_ROWS, REPORTS, THURSDAY, WEDNESDAY, day_events, rows

from socialguard.cli import main as cli


def _old_shape(ev: dict) -> dict:
    ev = json.loads(json.dumps(ev))
    group = ev["user"].pop("group", {}).get("name")
    ev["user"].update(group=group, source="proxyauth")
    return ev


def _report(capsys, events_dir, policy_dir) -> dict:
    code = cli(["report", "--events", str(events_dir), "--policy", str(policy_dir), "--from", str(WEDNESDAY),
                "--to", str(THURSDAY), "--format", "json"])
    assert code == 0
    return json.loads(capsys.readouterr().out)


def test_new_and_old_user_group_shapes_give_the_same_report(capsys, tmp_path):
    policy_dir = policy_copy(tmp_path / "policy", reports=REPORTS.format(k=5))
    new = day_events()
    assert all("group" not in e["user"] or isinstance(e["user"]["group"], dict) for e in new)
    write_events(tmp_path / "new", new)
    write_events(tmp_path / "old", [_old_shape(e) for e in new])
    got_new = _report(capsys, tmp_path / "new", policy_dir)
    got_old = _report(capsys, tmp_path / "old", policy_dir)
    assert rows(got_new) == rows(got_old) == GROUP_ROWS
