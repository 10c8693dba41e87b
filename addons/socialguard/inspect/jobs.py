"""What a worker is asked to inspect: one small frozen type per kind of job, each knowing how to run.

Jobs cross a process boundary (pickled), so they carry plain bytes and strings. Tests add their own job
types (a slow one, one that kills its worker) in their own modules; production code knows only these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .findings import InspectionReport
from .scancontext import ScanContext


class Job(Protocol):
    def run(self, scanner) -> InspectionReport: ...


@dataclass(frozen=True, slots=True)
class BodyJob:
    """A request body held whole: a post, a form, a multipart upload."""

    data: bytes
    content_type: str
    encoding: str = ""
    name: str = ""
    context: ScanContext | None = None          # platform, category, target: scopes the 2.3/2.4 checks

    def run(self, scanner) -> InspectionReport:
        return scanner.scan_body(self.data, self.content_type, self.encoding, self.name, self.context)


@dataclass(frozen=True, slots=True)
class FileJob:
    """A whole file: the reassembled chunks of a resumable upload."""

    data: bytes
    name: str
    context: ScanContext | None = None

    def run(self, scanner) -> InspectionReport:
        return scanner.scan_bytes(self.data, self.name, self.context)


@dataclass(frozen=True, slots=True)
class SpooledBodyJob:
    """A streamed body spooled to disk (already forwarded): read back up to the file limit."""

    path: str
    content_type: str
    encoding: str = ""
    name: str = ""
    context: ScanContext | None = None

    def run(self, scanner) -> InspectionReport:
        limit = scanner.limits.file_bytes
        with open(self.path, "rb") as fh:
            data = fh.read(limit + 1)
        report = scanner.scan_body(data[:limit], self.content_type, self.encoding, self.name, self.context)
        if len(data) > limit:
            report.notice("too_large", "body", f"only the first {limit} bytes were inspected")
        return report
