"""What the classifier said about a request, as the scanner needs it for the checks the policy scopes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScanContext:
    """What the classifier said about the request, for the checks the policy scopes by platform and category
    (guidelines 2.3, 2.4). Without one (e.g. `socialguard scan`) the scoped checks run, the profile check not."""

    platform: str | None = None
    category: str | None = None
    target: str | None = None               # "profile": a profile edit or avatar (Classification.target)

    @classmethod
    def of(cls, classification) -> ScanContext:
        return cls(classification.platform, classification.category, classification.target)
