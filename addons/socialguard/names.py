"""Names copied from traffic into events (operation names, JSON keys and form field names in a finding's
location): kept only when they look like a name, never free text, never longer than 64 characters."""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"[A-Za-z_$@][A-Za-z0-9_.:$@-]{0,63}")


MAX_LOCATION = 200


def name_or(value: str, placeholder: str) -> str:
    """`value` when it is identifier-shaped (letters, digits, `_ . : $ @ -`, ≤ 64 chars), else `placeholder`."""
    return value if isinstance(value, str) and _IDENTIFIER.fullmatch(value) else placeholder


def bounded_location(location: str) -> str:
    """A finding location (`json:variables.input.text`) cut to MAX_LOCATION characters, the cut marked."""
    return location if len(location) <= MAX_LOCATION else location[:MAX_LOCATION - 1] + "…"
