"""operations.yaml: TLS pass-through lists, event durability, metrics and health endpoints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .source import Document


@dataclass(frozen=True)
class OperationsPolicy:
    """Placeholder until this section's part lands; the file may be absent."""


def parse_operations(docs: list[Document], directory: Path) -> OperationsPolicy:
    return OperationsPolicy()
