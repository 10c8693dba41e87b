"""Reports on Apache Spark (issue 17) and the Parquet converter: a real local Spark (local[2], one session for the
module) gives the same report as the embedded DuckDB engine, to the second, on a synthetic month for a few
hundred people and on the time model's edge cases, for day/week/month and group/platform/user."""

from __future__ import annotations

import gzip
import json
import os
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest
from support.proxies import ROOT
from support.report_events import activity, flag, write_events
from support.worktime import WEDNESDAY, at, policy_copy
from test_timekeeping_sessions import CASES

from socialguard.cli import main as cli
from socialguard.commands.common import load_policy_or_report
from socialguard.report import parquet, source
from socialguard.report.build import Options, build
from socialguard.timekeeping.calendar import WorkCalendar

from socialguard.report import spark_engine  # the spark extra is part of the test extra: never skipped

sys.path.insert(0, str(ROOT / "scripts"))
from gen_synthetic_month import generate  # noqa: E402,I001

REPORTS = """
k_anonymity: 3
pseudonymise: true
pseudonym_key_file: keys/pseudonym.key
retention_days: 0
"""
MONTH = (date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    s = (SparkSession.builder.master("local[2]").appName("socialguard-tests")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "4").config("spark.sql.session.timeZone", "UTC")
         .config("spark.driver.memory", "1g").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def policy_dir(tmp_path_factory):
    return policy_copy(tmp_path_factory.mktemp("policy") / "policy", reports=REPORTS)


def both_engines(policy_dir: Path, events: Path, spark, first: date, last: date, combos, seam=None) -> list[tuple]:
    """(combo, embedded report JSON, Spark report JSON) for each (period, by) combo, reading each engine once;
    `seam(embedded data, Spark data, calendar)` checks the data objects themselves."""
    policy = load_policy_or_report(str(policy_dir))
    cal = WorkCalendar(policy.worktime)
    begin, end = cal.day_bounds(first)[0] - 86_400_000, cal.day_bounds(last)[1]
    embedded = source.load(events, first, last, begin, end, cache=None)
    on_spark = spark_engine.load(str(events), first, last, begin, end, spark=spark)
    out = []
    for period, by in combos:
        opts = Options(first, last, period, by, individual=by == "user", pseudonymise=False)
        out.append(((period, by), build(policy, embedded, opts).to_json(), build(policy, on_spark, opts).to_json()))
    if seam:
        seam(embedded, on_spark, cal)
    return out


COMBOS = [(p, b) for p in ("day", "week", "month") for b in ("group", "platform", "user")]


def test_synthetic_month_gives_identical_reports(tmp_path, policy_dir, spark):
    # 300 people, gzipped day files, 1 % of events written twice by a second node, flags, the DST night of
    # 1 November and the Remembrance Day holiday; one week converted to Parquet partitions, the rest JSON.
    events = tmp_path / "month"
    n = generate(events, staff=300, month="2026-11", gz=True, seed=11, sessions_per_workday=1.0,
                 requests_per_session=5.0)
    assert n > 10_000
    closed = [p for d, p in source.event_files(events) if date(2026, 11, 9) <= d <= date(2026, 11, 15)]
    assert all(isinstance(r, str) for _, r in source.cache_files(closed, events / source.CACHE_DIR))
    for (period, by), mine, theirs in both_engines(policy_dir, events, spark, *MONTH, COMBOS):
        assert mine["rows"], (period, by)
        assert theirs == mine, (period, by)
    assert mine["people"] > 250 and mine["flags"]


def edge_events() -> list[dict]:
    """The time model's hand-computed cases (one person each), plus what only a multi-file, multi-node
    reader can get wrong."""
    evs = []
    for i, (_name, (rows, _expected)) in enumerate(CASES.items()):
        evs += [activity(f"case{i:02d}", "cases", p, ts, background=bg) for p, ts, bg in rows]
    tue, thu = WEDNESDAY - timedelta(days=1), WEDNESDAY + timedelta(days=1)
    # A session over the range's start (Tue 23:59:30 -> Wed 00:00:30) and one over its end (Thu -> Fri).
    evs += [activity("edge", "cases", "x", at(23, 59, 30, day=tue)), activity("edge", "cases", "x", at(0, 0, 30)),
            activity("edge", "cases", "x", at(9, 0, day=thu)), activity("edge", "cases", "x", at(23, 59, 30, day=thu)),
            activity("edge", "cases", "x", at(0, 0, 30, day=thu + timedelta(days=1)))]
    # The same person's requests seen by two proxy nodes, and the same flag from both.
    for node in ("node-a", "node-b"):
        evs += [activity("twice", "cases", "x", at(9, 0), node=node, flow=f"{node}-1"),
                activity("twice", "cases", "bluesky", at(9, 0, 30), node=node, flow=f"{node}-2"),
                flag("twice", "cases", "x", at(9, 1), "2.3", node=node)]
    # Latest event without a group does not erase the group; a person with no group at all.
    evs += [activity("regroup", "cases", "x", at(9, 0)), activity("regroup", None, "x", at(10, 0)),
            activity("nogroup", None, "mastodon", at(14, 0))]
    # A file written before ECS user.group.name (issue 11): the group as a plain string.
    legacy = activity("legacy", None, "x", at(13, 0))
    legacy["user"]["group"] = "cases"
    evs.append(legacy)
    # Official use (apart from guideline 2.7) and a category this version does not know (counts as personal).
    official = activity("comms", "cases", "x", at(11, 0))
    official["socialguard"]["category"] = "official"
    odd = activity("comms", "cases", "bluesky", at(11, 0, 30))
    odd["socialguard"]["category"] = "something-new"
    evs += [official, odd, activity("comms", "cases", "x", at(11, 1))]
    # Only background use; use on Friday (outside the range, read for nothing).
    evs += [activity("polling", "cases", "x", at(9, 0) + 30 * i, background=True) for i in range(20)]
    evs.append(activity("later", "cases", "x", at(9, 0, day=thu + timedelta(days=1))))
    return evs


def test_time_model_edge_cases_give_identical_reports(tmp_path, policy_dir, spark):
    events = tmp_path / "edges"
    evs = edge_events()
    write_events(events, [e for e in evs if e["@timestamp"][:10] != "2026-11-26"])
    write_events(events, [e for e in evs if e["@timestamp"][:10] == "2026-11-26"], gz=True)
    # Hostile lines: not JSON, a half-written line, a record with the wrong types; both engines skip them.
    with open(events / "events-2026-11-25.jsonl", "a", encoding="utf-8") as f:
        f.write("not json\n{\"@timestamp\": \"2026-11-25T15:00:00.000Z\", \"user\": {\"na\n")
        f.write(json.dumps({"@timestamp": "yesterday", "user": {"name": 5}, "event": {"action": 7}}) + "\n")
    first, last = WEDNESDAY, WEDNESDAY + timedelta(days=1)

    def same_model_by_category(embedded, on_spark, cal):
        assert on_spark.users == embedded.users and on_spark.user_groups == embedded.user_groups
        group_of = dict(zip(embedded.users, embedded.user_groups))
        assert group_of["legacy"] == group_of["regroup"] == "cases" and group_of["nogroup"] is None
        groups = [(g,) if g else () for g in embedded.user_groups]
        for kw in ({"categories": ("personal", "professional")}, {"by_category": True}, {}):
            a, b = embedded.usage(cal, groups, first, last, **kw), on_spark.usage(cal, groups, first, last, **kw)
            assert a.platforms == b.platforms and a.per_day() == b.per_day(), kw
            if kw.get("by_category"):
                comms = embedded.users.index("comms")
                assert {int(p) for u, p in zip(a.booked.user, a.booked.platform) if u == comms} == {-1, 0, 1}

    results = both_engines(policy_dir, events, spark, first, last, [("day", "user"), ("week", "group"),
                                                                     ("day", "platform")], same_model_by_category)
    for combo, mine, theirs in results:
        assert theirs == mine, combo
    rows = {(r["user"], r["platform"], r["date"]): (r["working_minutes"], r["total_minutes"])
            for r in results[0][1]["rows"]}
    # Spot checks against the hand-computed expectations: the cases, the edges, two nodes counted once.
    for i, (_name, (_rows, expected)) in enumerate(CASES.items()):
        for platform, minutes in expected.items():
            assert rows[(f"case{i:02d}", platform, "2026-11-25")] == minutes
    assert rows[("edge", "all", "2026-11-25")] == (0, 1.5)         # 00:00 -> 00:01:30 of the session from Tue
    assert rows[("edge", "all", "2026-11-26")] == (1, 1.5)         # 09:00 + 23:59:30 -> midnight; not Friday
    assert rows[("twice", "all", "2026-11-25")] == (1.5, 1.5)      # union of x and bluesky, once
    assert results[0][1]["flags"] == {"2.3": 1}
    assert not any(u == "polling" for u, _p, _d in rows)


def test_spark_reads_converted_and_shipper_parquet_partitions(tmp_path, policy_dir, spark):
    # The same events as JSON, as the converter's partitions, and as a data lake's date= partitions holding
    # nested-ECS Parquet or a shipper's gzipped JSON-lines objects (addressed as a URL, as Spark reads s3a://
    # or abfss://): one report.
    evs = edge_events()
    plain = tmp_path / "plain"
    write_events(plain, evs)
    converted = tmp_path / "converted"
    write_events(converted, evs)
    done = parquet.convert(converted, converted / source.CACHE_DIR, date(2026, 12, 1))
    assert len(done.written) == len(source.event_files(converted)) and not done.unreadable
    lake = tmp_path / "lake"
    for i, (day, path) in enumerate(source.event_files(plain)):
        part = lake / f"date={day}"
        part.mkdir(parents=True)
        if i % 2:       # as Vector's aws_s3 sink writes JSON lines: gzipped objects with its own names
            (part / "1764979200-7f3a.log.gz").write_bytes(gzip.compress(path.read_bytes()))
            continue
        con = duckdb.connect()
        con.execute(f"COPY (SELECT * FROM read_json('{path}', format='newline_delimited')) "
                    f"TO '{part / 'part-0.parquet'}' (FORMAT parquet)")
    first, last = WEDNESDAY, WEDNESDAY + timedelta(days=1)
    policy = load_policy_or_report(str(policy_dir))
    cal = WorkCalendar(policy.worktime)
    begin, end = cal.day_bounds(first)[0] - 86_400_000, cal.day_bounds(last)[1]
    inputs = spark_engine.find_inputs(spark, str(converted), first - timedelta(days=2), last + timedelta(days=1))
    assert inputs.converted and not inputs.json_files          # converted day files are not parsed again
    opts = Options(first, last, "day", "user", individual=True, pseudonymise=False)
    want = build(policy, source.load(plain, first, last, begin, end, cache=None), opts).to_json()
    for where in (str(converted), lake.as_uri()):
        got = build(policy, spark_engine.load(where, first, last, begin, end, spark=spark), opts).to_json()
        assert got == want, where
    # A converted day file that grows afterwards is read from its JSON again (its stale partition is not).
    late = [activity("late", "cases", "x", at(15, 0))]
    write_events(plain, late)
    write_events(converted, late)
    inputs = spark_engine.find_inputs(spark, str(converted), first - timedelta(days=2), last + timedelta(days=1))
    assert [Path(p).name for p in inputs.json_files] == ["events-2026-11-25.jsonl"]
    assert not any("events-2026-11-25" in p for p in inputs.converted)
    want = build(policy, source.load(plain, first, last, begin, end, cache=None), opts).to_json()
    got = build(policy, spark_engine.load(str(converted), first, last, begin, end, spark=spark), opts).to_json()
    assert got == want and any(r["user"] == "late" for r in got["rows"])


def test_cli_engine_spark_matches_and_refuses_unaudited_remote_person_reports(tmp_path, policy_dir, spark, capsys):
    events = tmp_path / "events"
    write_events(events, edge_events())
    args = ["report", "--policy", str(policy_dir), "--from", str(WEDNESDAY), "--to", "2026-11-26", "--format",
            "json", "--period", "week"]
    assert cli([*args, "--events", str(events)]) == 0
    embedded = json.loads(capsys.readouterr().out)
    assert cli([*args, "--events", events.as_uri(), "--engine", "spark"]) == 0
    assert json.loads(capsys.readouterr().out) == embedded
    # Per-person reports are audited into the events directory: not possible where only Spark reaches.
    assert cli([*args, "--events", events.as_uri(), "--engine", "spark", "--by", "user", "--individual"]) == 2
    assert "local --events" in capsys.readouterr().err


def test_convert_closed_days_only_and_names_unreadable_files(tmp_path, policy_dir, capsys):
    events = tmp_path / "events"
    write_events(events, edge_events())
    today = datetime.now(timezone.utc).date()
    write_events(events, [activity("today", "cases", "x", datetime.now(timezone.utc).timestamp())])
    (events / "events-2026-11-20.jsonl.gz").write_bytes(gzip.compress(b'{"a": 1}\n' * 1000)[:-40])  # truncated
    assert cli(["convert", "--events", str(events)]) == 1
    err = capsys.readouterr().err
    assert "unreadable event file" in err and "events-2026-11-20.jsonl.gz" in err
    cache = events / source.CACHE_DIR
    assert not list(cache.glob(f"date={today}/*.parquet"))          # today's file is still being written
    assert sorted(p.name for p in cache.iterdir()) == [f"date={d}" for d in
                                                       ("2026-11-25", "2026-11-26", "2026-11-27")]
    # A second run converts nothing again; the report reads the partitions and gives the same rows as JSON.
    assert cli(["convert", "--events", str(events)]) == 1
    assert "0 written, 3 already converted" in capsys.readouterr().err
    args = ["report", "--events", str(events), "--policy", str(policy_dir), "--from", str(WEDNESDAY), "--to",
            "2026-11-26", "--format", "json", "--by", "user", "--individual", "--no-pseudonymise"]
    assert cli(args) == 0
    from_parquet = json.loads(capsys.readouterr().out)
    assert cli([*args, "--no-cache"]) == 0
    assert json.loads(capsys.readouterr().out) == from_parquet
