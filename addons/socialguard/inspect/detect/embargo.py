"""Release time of an embargo notice ("Embargoed until 8:30 a.m. (Eastern time), Tuesday, March 5, 2024",
"Sous embargo jusqu'à 8 h 30 (heure de l'Est), le mardi 5 mars 2024") -> "2024-03-05T08:30" or "08:30".

Bounded, anchored patterns on at most 160 characters after the notice: no backtracking blow-up.
"""

from __future__ import annotations

import re

from .phrases import strip_accents

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = re.compile(r"\b(\d{1,2})(?:\s?[:h]\s?(\d{2})|\s?h\b)?\s?(a\.?\s?m\b\.?|p\.?\s?m\b\.?)?", re.I)
_DATE_EN = re.compile(rf"\b({_MONTH})\.?\s(\d{{1,2}})(?:st|nd|rd|th)?,?\s(\d{{4}})\b", re.I)
_DATE_FR = re.compile(rf"\b(\d{{1,2}})(?:er)?\s({_MONTH})\s(\d{{4}})\b", re.I)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def parse_release_time(after: str) -> str | None:
    text = " ".join(strip_accents(after[:160]).split())
    hour = minute = None
    for m in _TIME.finditer(text):
        if m.group(2) is None and m.group(3) is None and not re.match(r"\d{1,2}\s?h\b", m.group(0), re.I):
            continue                                   # a bare number is a day, not a time
        h, mi = int(m.group(1)), int(m.group(2) or 0)
        ampm = (m.group(3) or "").lower().replace(".", "").replace(" ", "")
        if ampm == "pm" and h < 12:
            h += 12
        elif ampm == "am" and h == 12:
            h = 0
        if h < 24 and mi < 60:
            hour, minute = h, mi
            break
    date = None
    if m := _DATE_ISO.search(text):
        date = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    elif m := _DATE_EN.search(text):
        date = f"{int(m.group(3)):04d}-{MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    elif m := _DATE_FR.search(text):
        date = f"{int(m.group(3)):04d}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    clock = f"{hour:02d}:{minute:02d}" if hour is not None else None
    if date and clock:
        return f"{date}T{clock}"
    return date or clock
