"""Literal phrases -> hyperscan expressions over UTF-8 bytes that fold case, accents and whitespace.

Folding is compiled into the pattern instead of normalising the scanned text, so scanning runs at
hyperscan's speed on the raw bytes. Hyperscan builds automata (no backtracking), and phrases are
escaped literals, so no policy entry can make a scan slow.
"""

from __future__ import annotations

import re
import unicodedata

WS = rb"(?:\s|\xc2\xa0|\xe2\x80\xaf)"              # whitespace, no-break space, narrow no-break space
APOSTROPHES = ("'", "\u2019", "\u02bc")
COMBINING = rb"(?:\xcc[\x80-\xbf]|\xcd[\x80-\xaf])?"  # a decomposed accent after a base letter
_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def strip_accents(text: str) -> str:
    """`é` -> `e`, `ﬁ` -> `fi`: compatibility decomposition without the combining marks (phrases and embargo
    notices fold the same way)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _alternatives(options: set[str]) -> bytes:
    encoded = sorted({o.encode() for o in options}, key=lambda b: (len(b), b))
    if all(len(b) == 1 for b in encoded):
        if len(encoded) == 1:
            return re.escape(encoded[0])
        return b"[" + b"".join(re.escape(b) for b in encoded) + b"]"
    return b"(?:" + b"|".join(re.escape(b) for b in encoded) + b")"


def _char(ch: str, case: str) -> bytes:
    if ch in APOSTROPHES:
        return _alternatives(set(APOSTROPHES))
    if not ch.isalpha():
        return re.escape(ch.encode())
    base = strip_accents(ch) or ch
    if case == "upper":
        options = {ch.upper(), base.upper()}
    else:
        options = {ch.lower(), ch.upper(), base.lower(), base.upper()}
    pattern = _alternatives(options)
    return pattern + COMBINING if base != ch else pattern


def compile_phrase(phrase: str, case: str = "any") -> bytes:
    """The phrase as one expression, word boundaries included (`\\b` next to ASCII word characters)."""
    body, head, tail = phrase_pattern(phrase, case)
    return (rb"\b" if head else b"") + body + (rb"\b" if tail else b"")


def phrase_pattern(phrase: str, case: str = "any") -> tuple[bytes, bool, bool]:
    """(expression, needs a word boundary before, needs one after).

    `case`: any (fold), upper (capitals only), level (fold, but one-letter tokens A/B/C stay capitals).
    Boundaries are returned apart because hyperscan scans much faster without `\\b` assertions: the
    detector checks them on the (rare) hits instead."""
    phrase = unicodedata.normalize("NFC", phrase.strip())
    parts: list[bytes] = []
    last_end = None
    for m in _TOKEN.finditer(phrase):
        if last_end is not None:
            gap = phrase[last_end:m.start()]
            parts.append(WS + b"+" if gap.strip() == "" and gap else WS + b"*")
        token = m.group()
        token_case = "upper" if case == "level" and len(token) == 1 and token.isalpha() else case
        if case == "level" and token_case != "upper":
            token_case = "any"
        parts.append(b"".join(_char(c, token_case) for c in token))
        last_end = m.end()
    body = b"".join(parts)
    first, last = phrase[0], phrase[-1]
    # Boundaries count only next to ASCII word characters (as hyperscan's \b in byte mode).
    head = first.isascii() and (first.isalnum() or first == "_")
    tail = last.isascii() and (last.isalnum() or last == "_")
    return body, head, tail


def is_word_byte(b: int) -> bool:
    return 48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122 or b == 95
