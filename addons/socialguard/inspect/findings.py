"""What an inspection returns: findings (what was found and where, never the content) and notices."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str                       # marker, label, logo, profanity, internal_link, disclaimer_missing, people_in_photo
    name: str                       # e.g. protected_b, statistics_act_notice, the logo's file stem
    rule: str                       # policy rule id (markers.yaml)
    guideline: str
    location: str                   # field, file name, page/part: "json:status", "report.docx:word/footer1.xml"
    confidence: float = 1.0
    bbox: tuple[int, int, int, int] | None = None       # logos: x, y, width, height in the image
    release_time: str | None = None                     # embargo notices: the parsed release time
    crop: str | None = None                             # logos with save_crops: path of the saved crop
    count: int | None = None                            # people_in_photo: how many faces (nothing else of them)
    file_sha256: str | None = None
    file_name: str | None = None

    def key(self) -> tuple:
        return (self.kind, self.name, self.rule, self.location)

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True)
class Notice:
    """Something that could not be inspected (bomb, encrypted, corrupt, limit, OCR missing)."""

    reason: str                     # zip_bomb, xml_bomb, pixel_bomb, encrypted, corrupt, too_large, timeout, ...
    location: str
    detail: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class InspectionReport:
    """Findings and notices of one inspection, deduplicated by (kind, name, rule, location)."""

    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    failed: bool = False            # the inspection itself did not complete (timeout, crashed worker)

    def add(self, finding: Finding) -> None:
        if all(f.key() != finding.key() for f in self.findings):
            self.findings.append(finding)

    def notice(self, reason: str, location: str, detail: str = "") -> None:
        self.notices.append(Notice(reason, location, detail[:300]))
