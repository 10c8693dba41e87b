"""What the banner's events say: the `socialguard.banner` object of a `social.banner` event, per action.

"inserted" (the proxy put the banner into a page) and "rendered" (the browser fetched its render beacon, so the
box was laid out) are different facts and never stand for each other. A banner on a page whose policy blocks
images from its own origin carries no beacon (`beacon: false`): it can be inserted but never confirmed.
The event envelope (user, source, url, platform) is built by the core's event constructors; these functions
only say what is banner-specific.
"""

from __future__ import annotations

from typing import Any

from .beacon import Inserted
from .dismiss import Refusal
from .service import Injected


def inserted(injected: Injected) -> dict[str, Any]:
    c = injected.content
    return {"action": "inserted", "language": c.language, "message": c.message.guideline, "reason": c.reason,
            "coaching": bool(c.coaching), "working_minutes_today": c.minutes or 0, "style": injected.style,
            "beacon": injected.beacon}


def rendered(record: Inserted, now: float) -> dict[str, Any]:
    return {"action": "rendered", "language": record.language, "message": record.message, "reason": record.reason,
            "coaching": record.coaching, "working_minutes_today": record.minutes,
            "delay_ms": max(0, round((now - record.at) * 1000))}


def dismissed() -> dict[str, Any]:
    return {"action": "dismissed"}


def dismiss_refused(refusal: Refusal) -> dict[str, Any]:
    """A dismiss request that was not honoured (forged, foreign, expired or malformed): said, never echoed."""
    return {"action": "dismiss_refused", "refusal": refusal.reason}
