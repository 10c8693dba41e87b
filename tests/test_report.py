"""Usage reports: privacy rules (k threshold, --individual, pseudonyms, audit, --self, retention), periods,
formats, gzipped input, several proxy nodes, and the columnar cache (guideline 2.7)."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, timedelta

import jsonschema
import pytest
from support.report_events import activity, flag, write_events
from support.worktime import WEDNESDAY, at, policy_copy

from socialguard.cli import main as cli
from socialguard.events import event_schema, read_events

THURSDAY = WEDNESDAY + timedelta(days=1)
ECONOMICS = ["asmith", "bwong", "cnguyen", "dpatel", "etremblay"]   # identity.yaml: 5 people, k = 5


def day_events(node: str = "node-a") -> list[dict]:
    evs = [activity(u, "economics", "x", at(9, 0), node=node, flow=f"{node}-{u}") for u in ECONOMICS]
    evs.append(activity("asmith", "economics", "x", at(12, 10), node=node))          # lunch: 1 total, 0 working
    evs.append(activity("asmith", "economics", "x", at(9, 0, day=THURSDAY), node=node))
    evs.append(activity("jlemieux", "communications", "x", at(9, 0), node=node))      # a group of one
    evs.append(flag("asmith", "economics", "x", at(9, 0), "2.3", node=node))
    evs.append(flag("asmith", "economics", "x", at(9, 30), "2.6", node=node))
    evs.append(flag("jlemieux", "communications", "x", at(9, 0), "2.3", node=node))
    evs.append(flag("asmith", "economics", "x", at(9, 0, day=WEDNESDAY - timedelta(days=1)), "1", node=node))
    # Seen only the day before the range: read (for sessions over midnight) but not part of any group's size.
    evs.append(activity("comms.officer", "communications", "x", at(9, 0, day=WEDNESDAY - timedelta(days=1)),
                        node=node))
    return evs


REPORTS = """
k_anonymity: {k}
pseudonymise: true
pseudonym_key_file: keys/pseudonym.key
retention_days: 30
"""


@pytest.fixture
def policy_dir(tmp_path):
    return policy_copy(tmp_path / "policy", reports=REPORTS.format(k=5))


@pytest.fixture
def events(tmp_path):
    d = tmp_path / "events"
    write_events(d, day_events())
    return d


def run(capsys, events, policy_dir, *args, fmt="json"):
    code = cli(["report", "--events", str(events), "--policy", str(policy_dir), "--from", str(WEDNESDAY),
                "--to", str(THURSDAY), "--format", fmt, *args])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out) if fmt == "json" else out


def rows(got, key="group"):
    return [(r["date"], r[key], r["platform"], r["working_minutes"], r["total_minutes"]) for r in got["rows"]]


# Wednesday: 5 economics people x 1 min at 09:00 (working) + asmith 1 min at lunch; Thursday: asmith 1 min.
GROUP_ROWS = [("2026-11-25", "economics", "all", 5.0, 6.0), ("2026-11-25", "economics", "x", 5.0, 6.0),
              ("2026-11-26", "economics", "all", 1.0, 1.0), ("2026-11-26", "economics", "x", 1.0, 1.0)]


def test_group_level_by_default_hides_groups_under_k(capsys, events, policy_dir):
    got = run(capsys, events, policy_dir)
    assert rows(got) == GROUP_ROWS
    assert got["hidden_groups"] == 1 and got["people"] == 5
    # jlemieux's flag (hidden group) is not counted either, nor asmith's of the day before the range.
    assert got["flags"] == {"2.3": 1, "2.6": 1}
    assert not [e for e in read_events(events) if e["event"]["action"] == "socialguard.audit"]


def test_k_threshold_comes_from_the_policy(capsys, events, tmp_path):
    strict = policy_copy(tmp_path / "strict", reports=REPORTS.format(k=6))
    got = run(capsys, events, strict)
    assert got["rows"] == [] and got["hidden_groups"] == 2 and got["flags"] == {}


def test_by_platform_needs_k_people_per_platform(capsys, events, policy_dir, tmp_path):
    got = run(capsys, events, policy_dir, "--by", "platform")
    # Everyone counts (6 people on x >= 5): Wednesday 6 working + 1 lunch, Thursday 1.
    assert rows(got) == [("2026-11-25", "all", "all", 6.0, 7.0), ("2026-11-25", "all", "x", 6.0, 7.0),
                         ("2026-11-26", "all", "all", 1.0, 1.0), ("2026-11-26", "all", "x", 1.0, 1.0)]
    strict = policy_copy(tmp_path / "strict", reports=REPORTS.format(k=7))
    assert run(capsys, events, strict, "--by", "platform")["rows"] == []


def test_per_person_rows_need_individual(capsys, events, policy_dir):
    assert cli(["report", "--events", str(events), "--policy", str(policy_dir), "--by", "user"]) == 2
    assert "--individual" in capsys.readouterr().err


def audits(events):
    found = [e for e in read_events(events) if e["event"]["action"] == "socialguard.audit"]
    for e in found:
        jsonschema.validate(e, event_schema())
    return found


def test_individual_rows_are_pseudonymised_and_audited(capsys, events, policy_dir):
    got = run(capsys, events, policy_dir, "--by", "user", "--individual", "--operator", "hr.analyst")
    names = {r["user"] for r in got["rows"]}
    assert len(names) == 6 and all(n.startswith("p-") and len(n) == 18 for n in names)
    assert not names & set(ECONOMICS)
    assert got["pseudonymised"] and got["individual"]
    # Same key, same pseudonyms; the key file was created with mode 0600.
    assert {r["user"] for r in run(capsys, events, policy_dir, "--by", "user", "--individual")["rows"]} == names
    key = policy_dir / "keys" / "pseudonym.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    (audit,) = audits(events)[:1]
    assert audit["socialguard"]["audit"] == {
        "operator": "hr.analyst", "command": "report --from 2026-11-25 --to 2026-11-26 --period day --by user "
                                             "--individual", "individual": True, "pseudonymised": True,
        "period": "2026-11-25/2026-11-26", "subject": "individuals"}
    # Another key gives other pseudonyms.
    key.write_bytes(os.urandom(32))
    assert not {r["user"] for r in run(capsys, events, policy_dir, "--by", "user", "--individual")["rows"]} & names


def test_individual_without_pseudonyms(capsys, events, policy_dir):
    got = run(capsys, events, policy_dir, "--by", "user", "--individual", "--no-pseudonymise")
    assert ("2026-11-25", "asmith", "all", 1.0, 2.0) in rows(got, "user")
    assert ("2026-11-25", "jlemieux", "x", 1.0, 1.0) in rows(got, "user")
    assert audits(events)[-1]["socialguard"]["audit"]["pseudonymised"] is False


def test_self_gives_one_person_their_own_record(capsys, events, policy_dir):
    got = run(capsys, events, policy_dir, "--self", "asmith")
    assert rows(got, "user") == [("2026-11-25", "asmith", "all", 1.0, 2.0), ("2026-11-25", "asmith", "x", 1.0, 2.0),
                                 ("2026-11-26", "asmith", "all", 1.0, 1.0), ("2026-11-26", "asmith", "x", 1.0, 1.0)]
    assert got["flags"] == {"2.3": 1, "2.6": 1}
    audit = audits(events)[-1]["socialguard"]["audit"]
    assert audit["subject"] == "asmith" and audit["pseudonymised"] is False


def test_retention_deletes_old_event_files(capsys, events, policy_dir):
    old = events / "events-2000-01-01.jsonl"
    old.write_text("")
    recent = events / f"events-{date.today() - timedelta(days=2)}.jsonl"
    recent.write_text("")
    run(capsys, events, policy_dir, "--apply-retention")
    assert not old.exists() and recent.exists()


@pytest.mark.parametrize("period, expected", [
    ("week", [("2026-11-25", "economics", "all", 6.0, 7.0), ("2026-11-25", "economics", "x", 6.0, 7.0)]),
    ("month", [("2026-11-25", "economics", "all", 6.0, 7.0), ("2026-11-25", "economics", "x", 6.0, 7.0)]),
])
def test_periods_sum_days_clipped_to_the_range(capsys, events, policy_dir, period, expected):
    """Weeks start on Monday and months on the 1st, but a row never starts before --from nor ends after --to:
    the Wed-Thu range gives one row 2026-11-25..26 marked partial."""
    got = run(capsys, events, policy_dir, "--period", period)
    assert rows(got) == expected
    assert {(r["to"], r["partial"]) for r in got["rows"]} == {("2026-11-26", True)}


def test_gzipped_files_give_the_same_report(capsys, events, policy_dir, tmp_path):
    gz = tmp_path / "gz"
    write_events(gz, day_events(), gz=True)
    assert run(capsys, gz, policy_dir) == run(capsys, events, policy_dir)


def test_two_proxy_nodes_give_the_same_answer_as_one(capsys, events, policy_dir, tmp_path):
    both = tmp_path / "both"
    write_events(both, day_events("node-a") + day_events("node-b"))
    assert run(capsys, both, policy_dir) == run(capsys, events, policy_dir)


def test_cache_is_refreshed_when_a_file_grows(capsys, events, policy_dir):
    first = run(capsys, events, policy_dir)
    assert list((events / ".report-cache").glob("*.parquet"))
    assert run(capsys, events, policy_dir) == first
    write_events(events, [activity("bwong", "economics", "x", at(9, 0, day=THURSDAY))])
    got = rows(run(capsys, events, policy_dir))
    assert ("2026-11-26", "economics", "all", 2.0, 2.0) in got
    assert run(capsys, events, policy_dir, "--no-cache") == run(capsys, events, policy_dir)


def test_csv_and_markdown(capsys, events, policy_dir):
    table = list(csv.DictReader(io.StringIO(run(capsys, events, policy_dir, fmt="csv"))))
    assert [(r["date"], r["group"], r["platform"], float(r["working_minutes"]), float(r["total_minutes"]))
            for r in table] == GROUP_ROWS
    md = run(capsys, events, policy_dir, fmt="md")
    assert "| 2026-11-25 | 2026-11-25 | economics | 5.0 | 6.0 |" in md
    assert "| 2.3 | 1 |" in md and "08:30-16:30" in md


def test_html_is_self_contained(capsys, events, policy_dir, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert cli(["report", "--events", str(events), "--policy", str(policy_dir), "--from", str(WEDNESDAY),
                "--to", str(THURSDAY), "--format", "html", "--out", str(out)]) == 0
    html = (out / "socialguard-report-2026-11-25-2026-11-26.html").read_text()
    # One inline script (table sorting), allowed by the page's CSP through its hash; nothing fetched.
    assert html.count("<svg") == 5 and html.count("<script") == 1 and "https://" not in html
    assert "script-src 'sha256-" in html and "default-src 'none'" in html
    assert "economics" in html and "lunch 12:00-12:30" in html


def test_no_events_gives_an_empty_report(capsys, tmp_path, policy_dir):
    (tmp_path / "none").mkdir()
    got = run(capsys, tmp_path / "none", policy_dir)
    assert got["rows"] == [] and got["flags"] == {}


@pytest.mark.parametrize("cache", [True, False])
def test_unreadable_files_are_skipped_with_a_warning(capsys, events, policy_dir, cache):
    good = run(capsys, events, policy_dir)
    (events / "events-2026-11-24.jsonl.gz").write_bytes(b"not gzip")
    with open(events / "events-2026-11-25.jsonl", "a") as f:
        f.write("not json\n{\"@timestamp\": 5}\n")
    code = cli(["report", "--events", str(events), "--policy", str(policy_dir), "--from", str(WEDNESDAY),
                "--to", str(THURSDAY), *([] if cache else ["--no-cache"])])
    captured = capsys.readouterr()
    assert code == 0 and "skipping unreadable event file" in captured.err
    assert json.loads(captured.out) == good


def test_individual_does_not_lift_k_for_group_rows(capsys, events, policy_dir):
    got = run(capsys, events, policy_dir, "--individual")
    assert rows(got) == GROUP_ROWS and got["hidden_groups"] == 1 and not got["individual"]


def test_group_size_counts_only_people_seen_inside_the_range(capsys, events, tmp_path):
    # k = 2: communications has jlemieux in the range and comms.officer only on the day before it: 1 < 2.
    lenient = policy_copy(tmp_path / "lenient", reports=REPORTS.format(k=2))
    got = run(capsys, events, lenient)
    assert {r["group"] for r in got["rows"]} == {"economics"} and got["hidden_groups"] == 1


@pytest.mark.parametrize("flag, today, expected", [
    ("--last-month", date(2026, 12, 1), (date(2026, 11, 1), date(2026, 11, 30))),
    ("--last-month", date(2026, 3, 15), (date(2026, 2, 1), date(2026, 2, 28))),
    ("--last-week", date(2026, 11, 30), (date(2026, 11, 23), date(2026, 11, 29))),
])
def test_timer_ranges(flag, today, expected):
    from socialguard.cli import build_parser
    from socialguard.commands.report import _range

    args = build_parser().parse_args(["report", "--events", "e", flag])
    assert _range(args, today) == expected


def test_individual_without_by_user_says_so(capsys, events, policy_dir):
    got = run(capsys, events, policy_dir, "--individual")
    assert got["notes"] == ["note.individual_without_user"] and "user" not in got["rows"][0]
    assert cli(["report", "--events", str(events), "--policy", str(policy_dir), "--from", str(WEDNESDAY),
                "--individual"]) == 0
    assert "--individual without --by user" in capsys.readouterr().err
