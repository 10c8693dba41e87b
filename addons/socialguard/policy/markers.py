"""markers.yaml: security markings, Statistics Act and embargo notices, code words, profanity lists; logos/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .source import Document


@dataclass(frozen=True)
class MarkersPolicy:
    """Placeholder until this section's part lands; the file may be absent."""


def parse_markers(docs: list[Document], directory: Path) -> MarkersPolicy:
    return MarkersPolicy()
