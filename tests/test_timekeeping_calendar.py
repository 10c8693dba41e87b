"""The working calendar: windows, holidays, schedules, leave and DST (guideline 2.7)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from support.worktime import WEDNESDAY, at, policy_copy

from socialguard.policy import PolicyError, load_policy
from socialguard.timekeeping.calendar import WorkCalendar


@pytest.fixture(scope="module")
def cal(policy):
    return WorkCalendar(policy.worktime)


def minutes(windows):
    return [(b - a) / 60000 for a, b in windows]


def test_default_windows_are_hours_minus_lunch_and_breaks(cal):
    w = cal.windows("asmith", ("economics",), WEDNESDAY)
    # 08:30-10:15 (105), 10:30-12:00 (90), 12:30-14:45 (135), 15:00-16:30 (90) = 420 min = 7 h of the 8 h day.
    assert [(a / 1000, b / 1000) for a, b in w] == [
        (at(8, 30), at(10, 15)), (at(10, 30), at(12, 0)), (at(12, 30), at(14, 45)), (at(15, 0), at(16, 30))]
    assert minutes(w) == [105, 90, 135, 90]


@pytest.mark.parametrize("day, name", [
    (date(2026, 4, 6), "Easter Monday"),
    (date(2026, 8, 3), "Civic Holiday"),
    (date(2026, 9, 30), "National Day for Truth and Reconciliation"),
    (date(2026, 11, 11), "Remembrance Day"),
    (date(2026, 12, 25), "Christmas Day"),
    (date(2026, 12, 28), "Boxing Day (observed)"),
    (date(2026, 7, 1), "Canada Day"),
])
def test_federal_designated_holidays_in_ontario_are_off(cal, day, name):
    assert cal.holiday(day) == name
    assert cal.windows("asmith", (), day) == []


def test_family_day_is_a_working_day(cal):
    assert cal.holiday(date(2026, 2, 16)) is None
    assert sum(minutes(cal.windows("asmith", (), date(2026, 2, 16)))) == 420


@pytest.mark.parametrize("day", [date(2026, 11, 28), date(2026, 11, 29)])
def test_weekends_are_off(cal, day):
    assert cal.windows("asmith", (), day) == []


def test_dst_windows_follow_the_wall_clock(cal):
    # Friday 30 Oct 2026 is EDT (UTC-4): 08:30 local = 12:30Z. Monday 2 Nov is EST (UTC-5): 08:30 = 13:30Z.
    before = cal.windows("a", (), date(2026, 10, 30))[0][0]
    after = cal.windows("a", (), date(2026, 11, 2))[0][0]
    assert datetime.fromtimestamp(before / 1000, timezone.utc).strftime("%H:%M") == "12:30"
    assert datetime.fromtimestamp(after / 1000, timezone.utc).strftime("%H:%M") == "13:30"


def test_fall_back_night_has_25_hours_and_spring_forward_23(cal):
    start, end = cal.day_bounds(date(2026, 11, 1))
    assert (end - start) / 3_600_000 == 25
    assert len(cal.cells(date(2026, 11, 1), date(2026, 11, 1)).date) == 25
    assert list(cal.cells(date(2026, 11, 1), date(2026, 11, 1)).hour[:4]) == [0, 1, 1, 2]
    assert len(cal.cells(date(2026, 3, 8), date(2026, 3, 8)).date) == 23
    assert 2 not in list(cal.cells(date(2026, 3, 8), date(2026, 3, 8)).hour)


WORKTIME = """
time_zone: America/Toronto
weekly_hours: 37.5
default_schedule:
  days: [mon, tue, wed, thu, fri]
  start: "08:30"
  end: "16:30"
  lunch: {start: "12:00", end: "12:30"}
  breaks: [{start: "10:15", end: "10:30"}, {start: "14:45", end: "15:00"}]
schedules:
  flex: {start: "07:00", end: "15:00", lunch: {start: "11:00", end: "11:30"}, breaks: []}
  part-time: {days: [mon, wed, fri], weekly_hours: 22.5}
groups: {it-security: flex}
people: {bwong: part-time}
leave:
  cnguyen: ["2026-11-25"]
  dpatel: [{from: "2026-11-23", to: "2026-11-27"}]
holidays: {country: CA, subdiv: "ON", categories: [government, optional], working_days: [Remembrance Day],
           extra: [{date: "2026-11-26", name: "Agency day"}]}
"""


@pytest.fixture(scope="module")
def custom(tmp_path_factory):
    return WorkCalendar(load_policy(policy_copy(tmp_path_factory.mktemp("p") / "policy", worktime=WORKTIME)).worktime)


def test_group_and_person_schedules(custom):
    # flex: 07:00-11:00 (240) + 11:30-15:00 (210) = 450 min, no breaks.
    assert minutes(custom.windows("secops1", ("it-security",), WEDNESDAY)) == [240, 210]
    # A person's own schedule wins over the group's; part time works Mon, Wed, Fri only.
    assert sum(minutes(custom.windows("bwong", ("it-security",), WEDNESDAY))) == 420
    assert custom.windows("bwong", (), date(2026, 11, 24)) == []


def test_leave_days_and_ranges(custom):
    assert custom.windows("cnguyen", (), WEDNESDAY) == []
    assert custom.windows("cnguyen", (), date(2026, 11, 24)) != []
    assert all(custom.windows("dpatel", (), date(2026, 11, d)) == [] for d in range(23, 28))


def test_policy_working_days_and_extra_days_off(custom):
    assert custom.holiday(date(2026, 11, 11)) is None          # Remembrance Day made a working day
    assert custom.holiday(date(2026, 11, 26)) == "Agency day"


def test_windows_array_matches_windows(custom):
    users = ["asmith", "cnguyen", "secops1"]
    groups = [("economics",), (), ("it-security",)]
    idx, s, e = custom.windows_array(users, groups, date(2026, 11, 23), date(2026, 11, 29))
    for i, (u, g) in enumerate(zip(users, groups)):
        expected = [w for d in range(23, 30) for w in custom.windows(u, g, date(2026, 11, d))]
        assert list(zip(s[idx == i].tolist(), e[idx == i].tolist())) == expected


@pytest.mark.parametrize("text, message", [
    ("weekly_hours: 40\n", "gives 37.5 paid hours a week"),
    ("time_zone: Mars/Olympus\n", "unknown time zone"),
    ("people: {x: nope}\n", "unknown schedule 'nope'"),
    ("default_schedule: {start: '09:00', end: '08:00'}\n", "is not after start"),
    ("default_schedule: {lunch: {start: '07:00', end: '07:30'}}\n", "inside the working hours"),
    ("model: {idle_gap_seconds: -1}\n", "minimum"),
    ("holidays: {country: ZZ}\n", "holidays package rejects"),
])
def test_policy_errors_name_the_line(tmp_path, text, message):
    with pytest.raises(PolicyError) as e:
        load_policy(policy_copy(tmp_path / "p", worktime=text))
    assert message in str(e.value)
    assert "worktime.yaml:" in str(e.value)


def test_absent_worktime_file_gives_the_shipped_defaults(tmp_path):
    p = policy_copy(tmp_path / "p")
    (p / "worktime.yaml").unlink()
    wt = load_policy(p).worktime
    assert (wt.time_zone, wt.idle_gap_seconds, wt.tail_seconds) == ("America/Toronto", 120, 60)
    assert sum(minutes(WorkCalendar(wt).windows("a", (), WEDNESDAY))) == 420
