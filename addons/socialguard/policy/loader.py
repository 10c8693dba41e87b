"""Loads a policy directory into a `Policy`: every file validated by its schema, then parsed by its section."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .agency import parse_agency
from .banner import parse_banner
from .catalog import parse_catalog
from .identity import parse_identity
from .inspection import parse_inspection
from .markers import parse_markers
from .model import Policy
from .operations import parse_operations
from .reports import parse_reports
from .source import Document, PolicyError, load_document
from .worktime import parse_worktime


@dataclass(frozen=True)
class Section:
    attr: str                                   # the Policy field it fills
    location: str                               # a file, or a folder of *.yaml when it ends in '/'
    schema: str
    parse: Callable[[list[Document], Path], Any]
    required: bool = False


SECTIONS: tuple[Section, ...] = (
    Section("agency", "agency.yaml", "agency.schema.json", parse_agency, required=True),
    Section("identity", "identity.yaml", "identity.schema.json", parse_identity),
    Section("catalog", "platforms/", "platform.schema.json", parse_catalog, required=True),
    Section("inspection", "inspection.yaml", "inspection.schema.json", parse_inspection),
    Section("markers", "markers.yaml", "markers.schema.json", parse_markers),
    Section("worktime", "worktime.yaml", "worktime.schema.json", parse_worktime),
    Section("reports", "reports.yaml", "reports.schema.json", parse_reports),
    Section("banner", "banner.yaml", "banner.schema.json", parse_banner),
    Section("operations", "operations.yaml", "operations.schema.json", parse_operations),
)


def _section_files(directory: Path, section: Section) -> list[Path]:
    if section.location.endswith("/"):
        folder = directory / section.location.rstrip("/")
        return sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    path = directory / section.location
    return [path] if path.is_file() else []


def _outside(path: Path, root: Path) -> bool:
    """A policy file that is a symlink (or in a linked folder) leading out of the policy folder: it is refused
    unread, since parse errors would echo its contents into logs and events."""
    try:
        return not path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):         # a symlink loop
        return True


def load_policy(directory: str | Path) -> Policy:
    """Load and validate every section; all problems found are raised together as one PolicyError."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PolicyError.at(directory, 1, "policy directory not found")
    root = directory.resolve()
    known = {s.location.rstrip("/") for s in SECTIONS} | {"logos", "schemas", "README.md"}
    problems: list[tuple[str, int, str]] = []
    for entry in sorted(directory.iterdir()):
        if entry.name not in known and entry.suffix in (".yaml", ".yml"):
            problems.append((str(entry), 1, f"unknown policy file (expected one of: {', '.join(sorted(known))})"))
    values: dict[str, Any] = {}
    files: list[Path] = []
    for section in SECTIONS:
        paths = _section_files(directory, section)
        if section.required and not paths:
            problems.append((str(directory / section.location), 1, "required policy file is missing"))
            continue
        docs = []
        for path in paths:
            if _outside(path, root):
                problems.append((str(path), 1, "symlink leading out of the policy folder: refused unread"))
                continue
            try:
                docs.append(load_document(path, section.schema))
            except PolicyError as e:
                problems.extend(e.problems)
        files.extend(paths)
        if len(docs) != len(paths):
            continue
        try:
            values[section.attr] = section.parse(docs, directory)
        except PolicyError as e:
            problems.extend(e.problems)
    if problems:
        raise PolicyError(problems)
    return Policy(directory=directory, files=tuple(files), **values)
