"""reports.yaml: privacy of usage reports (k, pseudonymisation) and retention."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .source import Document


@dataclass(frozen=True)
class ReportsPolicy:
    """Placeholder until this section's part lands; the file may be absent."""


def parse_reports(docs: list[Document], directory: Path) -> ReportsPolicy:
    return ReportsPolicy()
