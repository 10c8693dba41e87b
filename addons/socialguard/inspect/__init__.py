"""Content inspection of posts and uploads (guidelines 2.3-2.6), free of mitmproxy.

- `extract/`: request bodies (JSON, forms, multipart streamed binary-safe, raw), upload sessions, Office, PDF, images.
- `detect/`: markings/code words/profanity/internal links (hyperscan), labels, logos (OpenCV), OCR (tesseract).
- `scanner.Scanner`: the detectors applied to a body or a file -> `InspectionReport(findings, notices)`.
- `pool.InspectionPool`: the same in worker processes, so the proxy never waits on CPU-heavy work.
"""

from .findings import Finding, Notice, InspectionReport

__all__ = ["Finding", "Notice", "InspectionReport"]
