"""banner.yaml: the employee reminder banner (texts EN/FR, links, frequency cap)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .source import Document


@dataclass(frozen=True)
class BannerPolicy:
    """Placeholder until this section's part lands; the file may be absent."""


def parse_banner(docs: list[Document], directory: Path) -> BannerPolicy:
    return BannerPolicy()
