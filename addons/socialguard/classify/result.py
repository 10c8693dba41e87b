"""The classifier's answer for one request."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Targets:
    reply_to: tuple[str, ...] = ()              # ids/URIs/handles the request replies to
    mentions: tuple[str, ...] = ()              # @handles named in the request's text (lower case, no '@')
    account: str | None = None                  # the acting account, where the wire shows it

    def __bool__(self) -> bool:
        return bool(self.reply_to or self.mentions or self.account)


@dataclass(frozen=True, slots=True)
class Classification:
    platform: str
    activity: str
    category: str                               # official | personal | professional
    background: bool
    rule: str                                   # id of the rule that fired (or a platform default rule)
    guideline: str                              # the guideline section the rule serves
    operation: str | None = None                # GraphQL/RPC operation name, when the wire has one
    targets: Targets = Targets()
    host_match: str = ""                        # the catalog host suffix (or 'any-host path') that matched
    confidence: float = 1.0                     # below 1 when the activity was inferred from words, not a rule
