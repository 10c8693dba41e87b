"""reports.yaml: privacy of usage reports (k-anonymity, keyed pseudonyms), and retention (guideline 2.7)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .source import Document


@dataclass(frozen=True)
class ReportsPolicy:
    k_anonymity: int = 5
    pseudonymise: bool = True
    pseudonym_key_file: Path = Path("/var/lib/socialguard/report-pseudonym.key")
    retention_days: int = 90                    # 0 keeps every event file
    guideline: str = "2.7"


def parse_reports(docs: list[Document], directory: Path) -> ReportsPolicy:
    if not docs:
        return ReportsPolicy()
    d = docs[0].data
    defaults = ReportsPolicy()
    return ReportsPolicy(
        k_anonymity=d.get("k_anonymity", defaults.k_anonymity),
        pseudonymise=d.get("pseudonymise", defaults.pseudonymise),
        # Relative paths are under the policy directory, so a policy folder carries its own key.
        pseudonym_key_file=directory / d.get("pseudonym_key_file", str(defaults.pseudonym_key_file)),
        retention_days=d.get("retention_days", defaults.retention_days),
    )
