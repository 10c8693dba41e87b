"""Scenarios: scripts of client-library calls, each labelled with what the call means.

A label is (platform slug, activity) from the library's documented meaning of the call, never from the
catalog's rules; (None, None) is traffic that is not social media. A step's requests all get the step's
label unless one of its `paths` overrides (a substring of the request path, first match wins) names another.

One convention applies to every step (`reads_are_views`): a GET a library sends on its own way to a write
(reading the instance version before an upload, a post's info before an edit) is a read, HTTP's safe method, so
it is labelled `view` on the step's platform; login steps keep their label for every request they make.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Label = tuple[str | None, str | None]
NON_SOCIAL: Label = (None, None)


@dataclass(frozen=True)
class Step:
    name: str
    call: Callable[[Any], Any]          # gets the scenario's client; may return a coroutine
    label: Label
    paths: tuple[tuple[str, Label], ...] = ()
    reads_are_views: bool = True

    def label_for(self, path: str, method: str = "POST") -> Label:
        for needle, label in self.paths:
            if needle in path:
                return label
        platform, activity = self.label
        if (self.reads_are_views and method == "GET" and platform is not None
                and activity not in ("view", "login")):
            return (platform, "view")
        return self.label


@dataclass(frozen=True)
class Scenario:
    name: str
    library: str
    setup: Callable[[], Any]            # builds the client (may return a coroutine)
    steps: tuple[Step, ...] = field(default_factory=tuple)
