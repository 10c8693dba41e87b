"""Markings, code words, profanity, agency names and internal hosts in text: one hyperscan database.

Every pattern of the policy is compiled into a single multi-pattern database and the text is scanned
once, as UTF-8 bytes. Findings carry the rule's name and the location, never the matched text.
"""

from __future__ import annotations

from dataclasses import dataclass

import hyperscan

from ...policy import Policy
from ...policy.markers import PhraseRule
from ..findings import Finding
from .embargo import parse_release_time
from .marking_form import WEAK, form_in, spaced_lines
from .phrases import is_word_byte, phrase_pattern

MARKER, PROFANITY, AGENCY, LINK, SPACED = "marker", "profanity", "agency", "link", "spaced"
# A letter-spaced run (`P R O T E C T E D   B`): five letters or more, each one to four blanks apart.
_LETTER = rb"(?:[A-Za-z]|\xc3[\x80-\xbf])"
SPACED_RUN = _LETTER + rb"(?:[ \t]{1,4}" + _LETTER + rb"){4}"


@dataclass(frozen=True, slots=True)
class Pattern:
    group: str                       # marker | profanity | agency | link
    rule: PhraseRule | None = None
    domain: str = ""                 # for links
    head: bool = False               # a word boundary must precede the match
    tail: bool = False               # ... and follow it


@dataclass(frozen=True, slots=True)
class Hit:
    pattern: Pattern
    start: int
    end: int


class TextDetector:
    def __init__(self, policy: Policy):
        self.policy = policy
        markers = policy.markers
        self.patterns: list[Pattern] = []
        expressions: list[bytes] = []

        def add(phrase: str, case: str, group: str, rule: PhraseRule | None = None, domain: str = "") -> None:
            body, head, tail = phrase_pattern(phrase, case)
            if group == LINK:
                # The host itself or any subdomain, as a whole host name (not a longer public name).
                body, tail = body + rb"(?:[^\w.-]|\.[^\w-]|\.?$)", False
            self.patterns.append(Pattern(group, rule, domain, head, tail))
            expressions.append(body)

        for rule in markers.markers:
            for phrase in rule.phrases:
                # Markings judged by their form match in any case: the form decides (marking_form).
                add(phrase, "any" if rule.form else rule.case, MARKER, rule)
        for words in markers.profanity.words.values():
            for word in words:
                add(word, "any", PROFANITY)
        for domain in policy.agency.internal_domains:
            add(domain, "any", LINK, domain=domain)
        for name in policy.agency.names:
            add(name, "any", AGENCY)
        self.spaced_pattern = Pattern(SPACED)
        self.spaced_phrases = sorted({(_bare(p), r) for r in markers.markers if r.form for p in r.phrases},
                                     key=lambda pr: -len(pr[0]))
        if any(r.form for r in markers.markers):
            self.patterns.append(self.spaced_pattern)
            expressions.append(SPACED_RUN)
        self.max_phrase_bytes = max((len(p) for p in expressions), default=0)
        # Two databases: the scan runs without start-of-match tracking (hyperscan's fastest mode); the rare
        # hits are then located exactly by re-scanning a short window before each end with SOM enabled.
        self.db: hyperscan.Database | None = None
        self.som_db: hyperscan.Database | None = None
        if expressions:
            ids = list(range(len(expressions)))
            self.db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            self.db.compile(expressions=expressions, ids=ids, flags=[0] * len(expressions))
            self.scratch = hyperscan.Scratch(self.db)
            self.som_db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            self.som_db.compile(expressions=expressions, ids=ids,
                                flags=[hyperscan.HS_FLAG_SOM_LEFTMOST] * len(expressions))
            self.som_scratch = hyperscan.Scratch(self.som_db)
        # A match is its phrase plus whitespace runs: twice the longest phrase covers any sane layout.
        longest = max((len(p.encode()) for r in (markers.markers if markers else ()) for p in r.phrases), default=0)
        self.window = 2 * max(longest, *(len(n.encode()) for n in policy.agency.names), 64) + 256

    # -- scanning ------------------------------------------------------------------------------
    def hits(self, data: bytes) -> list[Hit]:
        if self.db is None or not data:
            return []
        ends: list[tuple[int, int]] = []

        def on_match(pid: int, _start: int, end: int, _flags: int, _ctx) -> None:
            ends.append((pid, end))

        self.db.scan(data, match_event_handler=on_match, scratch=self.scratch)
        out = []
        spaced: list[int] = []              # ends of letter-spaced stretches
        for pid, end in ends:
            pattern = self.patterns[pid]
            if pattern.group == SPACED:
                # One hit per stretch, at its last letter: a run reports a match at every letter, and the
                # line is read again as a whole anyway.
                if spaced and end - spaced[-1] <= 8:
                    spaced[-1] = end
                elif len(spaced) < 1000:
                    spaced.append(end)
                continue
            if pattern.tail and end < len(data) and is_word_byte(data[end]):
                continue
            start = self._start(data, pid, end)
            if pattern.head and start > 0 and is_word_byte(data[start - 1]):
                continue
            out.append(Hit(pattern, start, end))
        if spaced:
            out += [Hit(self.spaced_pattern, max(0, end - 64), end) for end in spaced]
        return out

    def _start(self, data: bytes, pid: int, end: int) -> int:
        lo = max(0, end - self.window)
        found: list[int] = []

        def on_match(mid: int, start: int, to: int, _flags: int, _ctx) -> None:
            if mid == pid and to == end - lo:
                found.append(start)

        self.som_db.scan(data[lo:end], match_event_handler=on_match, scratch=self.som_scratch)
        return lo + (min(found) if found else 0)

    def scan(self, text: str | bytes, location: str) -> list[Finding]:
        data = text.encode("utf-8", "replace") if isinstance(text, str) else text
        return self.findings(data, self.hits(data), location)

    def findings(self, data: bytes, hits: list[Hit], location: str) -> list[Finding]:
        policy = self.policy
        out: dict[tuple, Finding] = {}
        first = len(data) - len(data.lstrip())
        last = len(data.rstrip())
        for h in _longest([h for h in hits if h.pattern.group == MARKER]):
            rule = h.pattern.rule
            rule_id, confidence = rule.id, 1.0
            if rule.form:
                form = form_in(data, h.start, h.end, rule.case == "level", first, last)
                if form is None:
                    continue                # prose: "our Secret Santa draw"
                if form == WEAK:
                    rule_id, confidence = policy.markers.weak_form.id, 0.6
            release = None
            if rule.embargo:
                release = parse_release_time(data[h.end:h.end + 400].decode("utf-8", "replace"))
            f = Finding("marker", rule.name, rule_id, rule.guideline, location, confidence, release_time=release)
            out.setdefault(f.key(), f)
        if any(h.pattern.group == SPACED for h in hits):
            for f in self._letter_spaced(data, location):
                out.setdefault(f.key(), f)
        profane = any(h.pattern.group == PROFANITY for h in hits)
        if profane:
            prof = policy.markers.profanity
            if any(h.pattern.group == AGENCY for h in hits):
                f = Finding("profanity", "profanity_with_agency", prof.with_agency.id, prof.with_agency.guideline,
                            location, 1.0)
            else:
                f = Finding("profanity", "profanity", prof.id, prof.guideline, location, 1.0)
            out.setdefault(f.key(), f)
        for h in hits:
            if h.pattern.group == LINK:
                links = policy.markers.internal_links
                f = Finding("internal_link", h.pattern.domain, links.id, links.guideline, location, 1.0)
                out.setdefault(f.key(), f)
        return list(out.values())


    def _letter_spaced(self, data: bytes, location: str) -> list[Finding]:
        """Markings in letter-spaced lines (headings): each such line is collapsed and scanned again; a marking
        there is a strong form whatever its line holds."""
        out = []
        text = data.decode("utf-8", "replace")
        for line in spaced_lines(text)[:100]:
            collapsed = line.encode()
            found = [h.pattern.rule for h in _longest([h for h in self.hits(collapsed) if h.pattern.group == MARKER])
                     if h.pattern.rule.form]
            if not found:
                # Evenly spaced letters (`P R O T E C T E D B`) hide where words end: compare without spaces,
                # the longest phrase first ("TOPSECRET" before "SECRET").
                # The line must be markings and little else ("SECRETSANTA" is not a heading of its own).
                bare = rest = _bare(line)
                found = []
                for phrase, rule in self.spaced_phrases:
                    if phrase in rest:
                        found.append(rule)
                        rest = rest.replace(phrase, "")
                found = found if len(rest) <= 3 else []
            out += [Finding("marker", r.name, r.id, r.guideline, location, 1.0) for r in found]
        return out


def _bare(text: str) -> str:
    """Letters only, capitals, no accents: `P R O T É G É  B` -> `PROTEGEB`."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text.upper()) if c.isalpha() and c.isascii())


def _longest(hits: list[Hit]) -> list[Hit]:
    """Overlapping marker hits keep the longest ("TOP SECRET" over "SECRET", "... when completed")."""
    kept: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if kept and h.start < kept[-1].end:
            if h.end - h.start > kept[-1].end - kept[-1].start:
                kept[-1] = h
            continue
        kept.append(h)
    return kept


class IncrementalTextScanner:
    """Scans a body chunk by chunk, keeping an overlap window so a marking split across chunks is found.

    Each scan covers `tail + chunk`; hits that end inside the tail were reported by the previous scan.
    Hits are kept with absolute offsets (and the bytes after embargo notices) so `findings()` resolves
    overlaps across chunks exactly as a scan of the whole body would.
    """

    def __init__(self, detector: TextDetector, location: str, overlap: int = 1024):
        self.detector = detector
        self.location = location
        self.overlap = max(overlap, detector.max_phrase_bytes * 2)
        self.tail = b""
        self.consumed = 0                                   # bytes fed before the current chunk
        self.hits: list[tuple[Hit, bytes]] = []             # absolute hit, bytes from its start on

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        window = self.tail + chunk
        base = self.consumed - len(self.tail)
        for h in self.detector.hits(window):
            if h.end > len(self.tail) and len(self.hits) < 10_000:
                # Markings keep their line around them (their form is judged on it) and what follows.
                lo = max(0, h.start - 300)
                context = window[lo:h.end + 400] if h.pattern.group in (MARKER, SPACED) else b""
                self.hits.append((Hit(h.pattern, base + h.start, base + h.end), context, h.start - lo))
        self.consumed += len(chunk)
        self.tail = window[-self.overlap:]

    def findings(self) -> list[Finding]:
        out: dict[tuple, Finding] = {}
        context = {(h.start, h.end, id(h.pattern)): (c, off) for h, c, off in self.hits}
        for h in _longest([h for h, _, _ in self.hits if h.pattern.group == MARKER]):
            ctx, off = context[(h.start, h.end, id(h.pattern))]
            hit = Hit(h.pattern, off, off + h.end - h.start)
            for f in self.detector.findings(ctx, [hit], self.location):
                out.setdefault(f.key(), f)
        for h, ctx, off in self.hits:
            if h.pattern.group == SPACED:
                for f in self.detector.findings(ctx, [Hit(h.pattern, off, off + h.end - h.start)], self.location):
                    out.setdefault(f.key(), f)
        others = [Hit(h.pattern, 0, 0) for h, _, _ in self.hits if h.pattern.group not in (MARKER, SPACED)]
        for f in self.detector.findings(b"", others, self.location):
            out.setdefault(f.key(), f)
        return list(out.values())
