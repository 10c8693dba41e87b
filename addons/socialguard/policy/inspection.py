"""inspection.yaml: size, page and time limits, actions per finding kind, fail-open."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .source import Document


@dataclass(frozen=True)
class InspectionPolicy:
    """Placeholder until this section's part lands; the file may be absent."""


def parse_inspection(docs: list[Document], directory: Path) -> InspectionPolicy:
    return InspectionPolicy()
