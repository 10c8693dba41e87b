"""The proxy's memory of reminders shown and dismissed: caps, rotation, bounds."""

from __future__ import annotations

import pytest

from socialguard.banner.caps import BannerState

H = 3600


@pytest.mark.parametrize("shown_ago,every,expected", [
    (None, 4 * H, True), (60, 4 * H, False), (4 * H - 1, 4 * H, False), (4 * H, 4 * H, True), (10, 0, True),
])
def test_frequency_cap(shown_ago, every, expected):
    s = BannerState()
    now = 1_000_000.0
    if shown_ago is not None:
        s.shown("ann", "x", now - shown_ago, 7)
    assert s.due("ann", "x", now, every, 8 * H) is expected


def test_cap_is_per_person_and_platform():
    s = BannerState()
    s.shown("ann", "x", 0, 7)
    assert not s.due("ann", "x", 1, H, H)
    assert s.due("bob", "x", 1, H, H)
    assert s.due("ann", "facebook", 1, H, H)


def test_dismissal_holds_for_its_window_even_without_cap():
    s = BannerState()
    s.dismissed("ann", "x", 0)
    assert not s.due("ann", "x", 8 * H - 1, 0, 8 * H)
    assert s.due("ann", "x", 8 * H, 0, 8 * H)
    assert s.due("ann", "bluesky", 1, 0, 8 * H)


def test_rotation_cycles_per_person():
    s = BannerState()
    seen = [s.shown("ann", "x", t, 3) for t in range(7)]
    assert seen == [0, 1, 2, 0, 1, 2, 0]
    assert s.shown("bob", "x", 0, 3) == 0


def test_state_is_bounded():
    s = BannerState(max_entries=100)
    for i in range(1000):
        s.shown(f"user{i}", "x", i, 7)
        s.dismissed(f"user{i}", "y", i)
    assert len(s) <= 100 and len(s._rotation) <= 100
    assert s.due("user0", "x", 1000, 4 * H, 8 * H)        # evicted: as good as never shown


def test_entries_expire_after_max_age():
    s = BannerState(max_age=100)
    s.dismissed("ann", "x", 0)
    assert not s.due("ann", "x", 50, 0, 10_000)
    assert s.due("ann", "x", 100, 0, 10_000)
