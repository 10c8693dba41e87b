"""The form of a security marking, not its word.

A marking is a line, header or footer of its own (`SECRET`, `PROTECTED B / PROTÉGÉ B`, `TOP SECRET//CEO`,
`PROTECTED B – Page 2 of 14`), a labelled field (`Classification: Secret`, `Cote de sécurité : Protégé B`), the
first or last line of a document or e-mail, or a letter-spaced heading (`P R O T E C T E D   B`). The same
word inside a sentence is prose ("our Secret Santa draw", "the secret recipe", "un secret de polichinelle"),
except in capitals among ordinary words ("attached is the SECRET annex"): that is a *weak* form, which the
policy coaches rather than blocks. A capitalised phrase ("SECRET SANTA", "KEEP THIS A SECRET!!!") is prose.

`form_of` is a pure function over the line around one hit; the detector calls it for rules with `form: true`.
"""

from __future__ import annotations

import re

STRONG = ("line", "labelled", "caveat", "edge", "letter_spaced")
CONTEXT = 300               # bytes of the line read on either side of a hit
MAX_LINE = 160              # characters: a longer line is never a marking line
WEAK = "inline"

# What may share a marking's line: other markings, caveats, page numbers, draft notes, punctuation.
_VOCABULARY = re.compile(
    r"(?:top|très|tres)\s+secret|secret|protected|protégé|protege|confidential|confidentiel(?:le)?|"
    r"unclassified|non\s+classifi[ée]|classified|"
    r"rel(?:easable)?\s+to|canadian\s+eyes\s+only|eyes\s+only|aux\s+yeux\s+des\s+canadiens(?:\s+seulement)?|"
    r"réservé\s+aux\s+canadiens|seulement|ceo|noforn|orcon|fvey|can|usa|gbr|aus|nzl|"
    r"when\s+completed|une\s+fois\s+remplie?|lorsque\s+rempli|draft|brouillon|copy|copie|"
    r"page|p\.|of|de|sur|\b[abc]\b|\d+", re.I)
_PUNCT = re.compile(r"[\s/|\\\-–—:;,.()\[\]*•#=_~'\"«»]+")
_LABEL = re.compile(
    r"(?:security\s+|sensitivity\s+)?(?:classification|classified|marking|designation|désignation|"
    r"level|niveau|cote|catégorie|category)(?:\s+(?:de|of)\s+(?:sécurité|securite|security))?\s*[:：=]\s*"
    r"[\"'«]?\s*$", re.I)
_CAVEAT_AFTER = re.compile(r"\s*(?://|\s[–—-]\s*(?:canadian|aux\s+yeux|rel\b|ceo\b|réservé)|\s*/\s*rel\b|"
                           r"\s*\((?:rel|ceo|canadian))", re.I)
_ASCII_UPPER = re.compile(rb"[A-Z]")
_LABEL_MARK = re.compile(rb"[:=]|\xef\xbc\x9a")
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_SPACED_RUN = re.compile(r"(?:[^\W\d_][ \t\u00a0]{1,4}){3,}[^\W\d_]", re.UNICODE)


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return a, len(text) if b < 0 else b


def residue(line: str) -> str:
    """What is left of a line once markings, caveats, page numbers and punctuation are taken out."""
    return _PUNCT.sub(" ", _VOCABULARY.sub(" ", line)).strip()


def _capitals(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _level_capitals(s: str) -> bool:
    """"Protected B", "PROTÉGÉ B": a capital first letter and a capital level letter."""
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and letters[0].isupper() and letters[-1].isupper()


def _shouting(line: str) -> bool:
    words = _WORD.findall(line)
    return len(words) >= 3 and sum(_capitals(w) for w in words) >= 0.6 * len(words)


def _caps_neighbour(line: str, s: int, e: int) -> bool:
    """An all-capitals word right before or after the hit that is not marking vocabulary ("SECRET SANTA")."""
    left = _WORD.findall(line[:s])[-1:]
    right = _WORD.findall(line[e:])[:1]
    return any(_capitals(w) and not _VOCABULARY.fullmatch(w) for w in left + right)


def form_of(line: str, s: int, e: int, level: bool = False, edge: bool = False) -> str | None:
    """The form of the marking hit line[s:e] (`edge`: the line is the text's first or last): one of STRONG,
    WEAK, or None (prose)."""
    hit = line[s:e]
    if _LABEL.search(line[max(0, s - 80):s]):
        return "labelled"
    if _CAVEAT_AFTER.match(line[e:e + 80]) and _capitals(hit):
        return "caveat"
    # A marking line is short: a long one is a sentence, whatever its words.
    rest = residue(line) if len(line.strip()) <= MAX_LINE else line
    if not rest:
        return "line"
    capital = _level_capitals(hit) if level else _capitals(hit)
    # Shouting is judged on the words around the hit: the marking's own capitals say nothing about the line.
    if not capital or _caps_neighbour(line, s, e) or _shouting(line[:s] + " " + line[e:]):
        return None
    if edge and len(_WORD.findall(rest)) <= 4 and not line[:s].strip():
        return "edge"                       # a document's or e-mail's first or last line starts with it
    return WEAK


def form_in(data: bytes, start: int, end: int, level: bool, first: int, last: int) -> str | None:
    """form_of for a hit in UTF-8 bytes; `first`/`last`: offsets of the text's first and last non-space byte."""
    # A marking's line is short: CONTEXT bytes either side are enough to judge it (a longer line is prose),
    # and keep the cost per hit fixed however many hits a hostile text holds.
    a = data.rfind(b"\n", max(0, start - CONTEXT), start) + 1 if start else 0
    if a == 0 and start > CONTEXT:
        a = start - CONTEXT
    b = data.find(b"\n", end, end + CONTEXT)
    b = min(len(data), end + CONTEXT) if b < 0 else b
    if b - a > 2 * MAX_LINE and not _ASCII_UPPER.search(data, start, end) and not _LABEL_MARK.search(
            data, max(a, start - 80), start):
        return None                         # lower case in a long line with no label: prose (the common case)
    line = data[a:b].decode("utf-8", "replace")
    s = len(data[a:start].decode("utf-8", "replace"))
    e = s + len(data[start:end].decode("utf-8", "replace"))
    # (a text of one line is both its first and last: that says nothing about a marking)
    return form_of(line, s, e, level, edge=(a <= first) != (b >= last))


def collapse_spacing(line: str) -> str:
    """`P R O T E C T E D   B` -> `PROTECTED B`: letters one gap apart join, wider gaps separate words."""
    def join(m: re.Match) -> str:
        run = m.group(0)
        gaps = [len(g) for g in re.findall(r"[ \t\u00a0]+", run)]
        narrow = min(gaps)
        out = []
        for piece in re.split(r"([ \t\u00a0]+)", run):
            if piece and not piece.strip():
                out.append(" " if len(piece) > narrow else "")
            else:
                out.append(piece)
        return "".join(out)
    return _SPACED_RUN.sub(join, line)


def spaced_lines(text: str) -> list[str]:
    """The collapsed form of each line that holds a letter-spaced run (rare: headings)."""
    return [collapse_spacing(line) for line in text.splitlines() if _SPACED_RUN.search(line)]
