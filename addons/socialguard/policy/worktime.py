"""worktime.yaml: the working-time calendar (time zone, hours, lunch, breaks, schedules, leave, holidays) and the time model's parameters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .source import Document


@dataclass(frozen=True)
class WorktimePolicy:
    """Placeholder until this section's part lands; the file may be absent."""


def parse_worktime(docs: list[Document], directory: Path) -> WorktimePolicy:
    return WorktimePolicy()
