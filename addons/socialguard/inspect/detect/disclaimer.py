"""Guideline 2.3: a profile (bio, headline, display name) that names the agency should say the views are one's own.

One hyperscan database holds the agency's names and the affiliation phrases (group 0) and the disclaimers (group
1), compiled by `phrases.phrase_pattern`, so case, accents, apostrophes and whitespace fold as for markings.
The answer is only whether a disclaimer is missing: the text is neither kept nor reported.
"""

from __future__ import annotations

import hyperscan

from ...policy import Policy
from ..findings import Finding
from .phrases import is_word_byte, phrase_pattern

AFFILIATION, DISCLAIMER = 0, 1
RULE = "checks.disclaimer_missing"


class DisclaimerDetector:
    def __init__(self, policy: Policy):
        check = policy.inspection.checks.disclaimer
        self.check = check
        phrases = [(AFFILIATION, p) for p in dict.fromkeys((*policy.agency.names, *check.affiliations))]
        phrases += [(DISCLAIMER, p) for p in dict.fromkeys(check.disclaimers)]
        self.groups: list[int] = []
        self.bounds: list[tuple[bool, bool]] = []
        expressions: list[bytes] = []
        for group, phrase in phrases:
            body, head, tail = phrase_pattern(phrase, "any")
            self.groups.append(group)
            self.bounds.append((head, tail))
            expressions.append(body)
        self.db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self.db.compile(expressions=expressions, ids=list(range(len(expressions))),
                        flags=[hyperscan.HS_FLAG_SOM_LEFTMOST] * len(expressions))
        self.scratch = hyperscan.Scratch(self.db)

    def groups_in(self, text: str) -> set[int]:
        """Which groups (affiliation, disclaimer) the text contains as whole words."""
        data = text.encode("utf-8", "replace")
        found: set[int] = set()
        if not data:
            return found

        def on_match(pid: int, start: int, end: int, _flags: int, _ctx) -> None:
            head, tail = self.bounds[pid]
            if head and start > 0 and is_word_byte(data[start - 1]):
                return
            if tail and end < len(data) and is_word_byte(data[end]):
                return
            found.add(self.groups[pid])

        self.db.scan(data, match_event_handler=on_match, scratch=self.scratch)
        return found

    def missing(self, texts: list[str], location: str) -> Finding | None:
        """All text fields of one profile edit together: the disclaimer may sit in another field than the name."""
        groups = self.groups_in("\n".join(texts))
        if AFFILIATION in groups and DISCLAIMER not in groups:
            return Finding("disclaimer_missing", "disclaimer_missing", RULE, "2.3", location, 1.0)
        return None
