"""The detectors applied to request bodies and files: what the worker pool and `socialguard scan` run.

A Scanner is built once per policy (hyperscan database, logo references) and reused for every job.
Bombs, encrypted and corrupt files become notices in the report, never exceptions.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from PIL import Image

from ..policy import Policy
from .detect.disclaimer import DisclaimerDetector
from .detect.faces import RULE as FACES_RULE
from .detect.faces import FaceCounter
from .detect.logos import LogoMatcher
from .detect.ocr import OcrUnavailable, ocr_text
from .detect.text import TextDetector
from .extract.body import Extracted, FileItem, decompress, extract_body
from .extract.images import load_image
from .extract.office import Part, Unsafe, office_parts
from .extract.pdf import pdf_parts
from .extract.sniff import IMAGE_KINDS, decode_text, sniff
from .findings import Finding, InspectionReport
from .scancontext import ScanContext


class Scanner:
    def __init__(self, policy: Policy, crops_dir: Path | None = None, text: TextDetector | None = None):
        self.policy = policy
        self.limits = policy.inspection.limits
        # `text`: the proxy's own detector, already compiled (its hyperscan compile takes seconds).
        self.text = text if text is not None else TextDetector(policy)
        self._logos: LogoMatcher | None = None
        self._faces: FaceCounter | None = None
        self._disclaimer: DisclaimerDetector | None = None
        self.context = ScanContext()        # of the scan in progress (one scan at a time per worker)
        self.crops_dir = crops_dir if policy.inspection.save_crops else None

    @property
    def logos(self) -> LogoMatcher:
        if self._logos is None:      # built on first image: text-only workers never pay for SIFT
            self._logos = LogoMatcher(self.policy.markers.logos)
        return self._logos

    @property
    def faces(self) -> FaceCounter:
        if self._faces is None:      # built on first image, like the logo references
            self._faces = FaceCounter(self.policy.inspection.checks.faces)
        return self._faces

    @property
    def disclaimer(self) -> DisclaimerDetector:
        if self._disclaimer is None:
            self._disclaimer = DisclaimerDetector(self.policy)
        return self._disclaimer

    # -- entry points ------------------------------------------------------------------------------
    def scan_body(self, data: bytes, content_type: str, content_encoding: str = "", name: str = "",
                  context: ScanContext | None = None) -> InspectionReport:
        self.context = context or ScanContext()
        report = InspectionReport()
        try:
            if content_encoding:
                data = decompress(data, content_encoding, self.limits.decompressed_bytes)
            extracted = extract_body(data, content_type, name, self.limits)
        except Unsafe as e:
            report.notice(e.reason, "body", e.detail)
            return report
        self.scan_extracted(extracted, report)
        return report

    def scan_extracted(self, extracted: Extracted, report: InspectionReport) -> None:
        for item in extracted.texts:
            for f in self.text.scan(item.text, item.location):
                report.add(f)
        self._profile(extracted, report)
        for file in extracted.files:
            self.scan_file(file, report)

    def scan_bytes(self, data: bytes, name: str, context: ScanContext | None = None) -> InspectionReport:
        self.context = context or ScanContext()
        report = InspectionReport()
        self.scan_file(FileItem(name, "", data, ""), report)
        return report

    # -- files -------------------------------------------------------------------------------------
    def scan_file(self, file: FileItem, report: InspectionReport) -> None:
        sha = hashlib.sha256(file.data).hexdigest()
        where = file.name if not file.location or file.location == "body" else f"{file.location}:{file.name}"
        if file.truncated:
            report.notice("too_large", where, f"only the first {self.limits.file_bytes} bytes were inspected")
        deadline = time.monotonic() + self.limits.seconds
        sub = InspectionReport()
        kind = sniff(file.data[:8192])
        try:
            if kind == "zip":
                self._parts(office_parts(file.data, self.limits), where, sub, deadline)
            elif kind == "pdf":
                self._parts(pdf_parts(file.data, self.limits), where, sub, deadline)
            elif kind in IMAGE_KINDS:
                self._image(file.data, where, sub)
            elif kind == "ole":
                sub.notice("encrypted", where, "encrypted or legacy (OLE) Office file: not inspected")
            elif kind == "text":
                for f in self.text.scan(decode_text(file.data), where):
                    sub.add(f)
            else:
                # Unknown binary: a marking in plain bytes (e.g. inside an archive listing) is still found.
                for f in self.text.scan(file.data, where):
                    sub.add(f)
        except Unsafe as e:
            sub.notice(e.reason, where, e.detail)
        except MemoryError:
            sub.notice("too_large", where, "out of memory while inspecting")
        except Exception as e:        # a detector bug must not lose the rest of the report
            sub.notice("error", where, f"{type(e).__name__}: {e}")
        for f in sub.findings:
            report.add(_with_file(f, sha, file.name))
        report.notices.extend(sub.notices)

    def _parts(self, parts, where: str, report: InspectionReport, deadline: float) -> None:
        for part in parts:
            if time.monotonic() > deadline:
                report.notice("timeout", where, f"stopped after {self.limits.seconds}s")
                return
            loc = f"{where}:{part.name}"
            if part.notice is not None:
                report.notice(part.notice[0], loc, part.notice[1])
            elif part.name.startswith("label:"):
                self._label(part, where, report)
            elif part.image is not None:
                try:
                    self._image(part.image, loc, report, ocr=part.ocr)
                except Unsafe as e:
                    report.notice(e.reason, loc, e.detail)
            elif part.text:
                for f in self.text.scan(part.text, loc):
                    report.add(f)

    def _label(self, part: Part, where: str, report: InspectionReport) -> None:
        rule = self.policy.markers.label_rule(part.text)
        if rule is not None:
            report.add(Finding("label", rule.name, rule.id, rule.guideline, f"{where}:{part.name[6:]}", 1.0))

    def _image(self, data: "bytes | Image.Image", where: str, report: InspectionReport, ocr: bool = True) -> None:
        """Logos, then markings by OCR (`ocr` False: a page rendering whose text layer was read already)."""
        if isinstance(data, Image.Image):
            image, data = data, data.tobytes()[:1 << 20]
        else:
            image = load_image(data, self.limits.pixels)
        rule = self.policy.markers.logos
        for m in self.logos.match(image):
            crop = self._save_crop(image, m.bbox, data) if self.crops_dir else None
            report.add(Finding("logo", m.name, rule.id, rule.guideline, where, m.score, bbox=m.bbox, crop=crop))
        self._people(image, where, report)
        ocr_policy = self.policy.inspection.ocr
        if ocr and ocr_policy.enabled and image.width * image.height >= ocr_policy.min_pixels:
            try:
                text = ocr_text(image, ocr_policy.languages)
            except OcrUnavailable as e:
                report.notice("ocr_unavailable", where, str(e))
                return
            for f in self.text.scan(text, f"{where}:ocr"):
                report.add(Finding(f.kind, f.name, f.rule, f.guideline, f.location, 0.8, release_time=f.release_time))

    def _people(self, image, where: str, report: InspectionReport) -> None:
        """Guideline 2.4: only the number of faces is kept."""
        check, ctx = self.policy.inspection.checks.faces, self.context
        if not check.enabled or not check.scope.applies(ctx.platform, ctx.category):
            return
        n = self.faces.count(image)
        if n:
            report.add(Finding("people_in_photo", "people_in_photo", FACES_RULE, "2.4", where, 1.0, count=n))

    def _profile(self, extracted: Extracted, report: InspectionReport) -> None:
        """Guideline 2.3: the text fields of a profile edit together (the disclaimer may be in another field)."""
        check, ctx = self.policy.inspection.checks.disclaimer, self.context
        if ctx.target != "profile" or not check.enabled or not check.scope.applies(ctx.platform, ctx.category):
            return
        f = self.disclaimer.missing([item.text for item in extracted.texts], "profile")
        if f is not None:
            report.add(f)

    def _save_crop(self, image, bbox, data: bytes) -> str | None:
        x, y, w, h = bbox
        crop = image.crop((max(0, x), max(0, y), x + w, y + h))
        crop.thumbnail((256, 256))
        self.crops_dir.mkdir(parents=True, exist_ok=True)
        path = self.crops_dir / f"{hashlib.sha256(data).hexdigest()[:16]}-{x}-{y}.png"
        crop.save(path)
        return str(path)


def _with_file(f: Finding, sha: str, name: str) -> Finding:
    from dataclasses import replace
    return replace(f, file_sha256=sha, file_name=name)
