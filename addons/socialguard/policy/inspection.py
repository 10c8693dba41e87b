"""inspection.yaml: size, page and time limits, upload sessions, worker pool, actions per finding, fail-open."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .checks import Checks
from .source import Document, given

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    hold_bytes: int = 16 * MiB
    file_bytes: int = 64 * MiB
    decompressed_bytes: int = 64 * MiB
    zip_ratio: int = 200
    zip_entries: int = 5000
    xml_bytes: int = 32 * MiB
    pages: int = 300
    pixels: int = 50_000_000
    images_per_file: int = 40
    seconds: float = 30.0
    overlap_bytes: int = 1024
    render_pages: int = 10              # PDF pages rendered to find marks drawn as vectors
    render_pixels: int = 2_000_000      # pixels per rendered page

    @classmethod
    def from_dict(cls, d: dict) -> Limits:
        return cls(**(dict(d) | given(d, seconds=float)))      # the schema allows only these keys, as integers


@dataclass(frozen=True, slots=True)
class Sessions:
    max_sessions: int = 64
    max_bytes: int = 256 * MiB
    ttl_seconds: float = 3600.0

    @classmethod
    def from_dict(cls, d: dict) -> Sessions:
        return cls(**(dict(d) | given(d, ttl_seconds=float)))


@dataclass(frozen=True, slots=True)
class Ocr:
    enabled: bool = True
    languages: tuple[str, ...] = ("eng", "fra")
    min_pixels: int = 40_000

    @classmethod
    def from_dict(cls, d: dict) -> Ocr:
        return cls(**given(d, enabled=bool, languages=tuple, min_pixels=int))


@dataclass(frozen=True)
class InspectionPolicy:
    activities: frozenset[str] = frozenset({"post", "comment", "message", "upload", "share", "edit"})
    limits: Limits = Limits()
    sessions: Sessions = Sessions()
    workers: int = 2
    fail_open: bool = True
    save_crops: bool = False
    ocr: Ocr = Ocr()
    checks: Checks = Checks()                   # guideline 2.3 disclaimer, 2.4 people in photos
    default_action: str = "log"
    kind_actions: dict[str, str] = field(default_factory=dict)
    rule_actions: dict[str, str] = field(default_factory=dict)

    def action_for(self, kind: str, rule: str) -> str:
        """The rule's own action wins over its kind's; `log` unless the policy says otherwise."""
        return self.rule_actions.get(rule) or self.kind_actions.get(kind) or self.default_action

    @classmethod
    def from_dict(cls, d: dict) -> InspectionPolicy:
        return cls(
            **given(d, activities=frozenset, limits=Limits.from_dict, sessions=Sessions.from_dict, workers=int,
                    fail_open=bool, save_crops=bool, ocr=Ocr.from_dict, checks=Checks.from_dict),
            **given(d.get("actions", {}), default_action=("default", str), kind_actions=("kinds", dict),
                    rule_actions=("rules", dict)),
        )


def parse_inspection(docs: list[Document], directory: Path) -> InspectionPolicy:
    return InspectionPolicy.from_dict(docs[0].data) if docs else InspectionPolicy()
