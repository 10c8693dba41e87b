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


def _strip_accents(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


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
    base = _strip_accents(ch) or ch
    if case == "upper":
        options = {ch.upper(), base.upper()}
    else:
        options = {ch.lower(), ch.upper(), base.lower(), base.upper()}
    pattern = _alternatives(options)
    return pattern + COMBINING if base != ch else pattern


def compile_phrase(phrase: str, case: str = "any") -> bytes:
    """`case`: any (fold), upper (capitals only), level (fold, but one-letter tokens A/B/C stay capitals)."""
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
    # \b is ASCII in hyperscan's byte mode: only use it next to ASCII word characters.
    head = rb"\b" if first.isascii() and (first.isalnum() or first == "_") else b""
    tail = rb"\b" if last.isascii() and (last.isalnum() or last == "_") else b""
    return head + body + tail
