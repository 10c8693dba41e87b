"""reports.yaml: privacy of usage reports (k-anonymity, keyed pseudonyms), and retention (guideline 2.7)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .source import Document, given


@dataclass(frozen=True)
class ReportsPolicy:
    k_anonymity: int = 5
    pseudonymise: bool = True
    pseudonym_key_file: Path = Path("/var/lib/socialguard/report-pseudonym.key")
    retention_days: int = 90                    # 0 keeps every event file
    guideline: str = "2.7"

    @classmethod
    def from_dict(cls, d: dict, directory: Path) -> ReportsPolicy:
        # A relative key file is under the policy directory, so a policy folder carries its own key.
        return cls(**given(d, k_anonymity=int, pseudonymise=bool, pseudonym_key_file=lambda f: directory / f,
                           retention_days=int))


def parse_reports(docs: list[Document], directory: Path) -> ReportsPolicy:
    return ReportsPolicy.from_dict(docs[0].data, directory) if docs else ReportsPolicy()
