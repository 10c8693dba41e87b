"""Coaching queue: bounded per person and overall, expiring, shown once."""

from socialguard.coaching import Coaching, CoachingQueue


def _c(at, name="protected_b"):
    return Coaching(kind="marker", name=name, guideline="2.6", platform="x", at=at)


def test_pop_returns_once():
    q = CoachingQueue()
    q.add("a", _c(100.0))
    assert [c.name for c in q.pop("a", now=101.0)] == ["protected_b"]
    assert q.pop("a", now=101.0) == []


def test_expired_items_dropped():
    q = CoachingQueue(ttl=60)
    q.add("a", _c(100.0))
    assert q.pop("a", now=200.0) == []


def test_bounded_per_user_and_users():
    q = CoachingQueue(max_users=2, per_user=2)
    for i in range(5):
        q.add("a", _c(100.0, name=f"m{i}"))
    assert [c.name for c in q.peek("a")] == ["m3", "m4"]
    q.add("b", _c(100.0))
    q.add("c", _c(100.0))
    assert q.peek("a") == [] and q.peek("c")
