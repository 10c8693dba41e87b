"""A large upload on its way through: scanned chunk by chunk and spooled to disk with bounded memory.

The adapter sets an instance as mitmproxy's `flow.request.stream`: each chunk is scanned for text findings
(with an overlap window) and written to a spool file up to the file limit, then handed on unchanged.
"""

from __future__ import annotations

import os
import tempfile

from .detect.text import IncrementalTextScanner, TextDetector


class StreamedBody:
    def __init__(self, detector: TextDetector, overlap: int, file_limit: int, encoded: bool):
        self.scanner = None if encoded else IncrementalTextScanner(detector, "body", overlap)
        self.file_limit = file_limit
        self.size = 0
        self.spool = tempfile.NamedTemporaryFile(prefix="socialguard-upload-", delete=False)
        self.error: str | None = None

    def __call__(self, chunk: bytes) -> bytes:
        try:
            if chunk:
                if self.scanner is not None:
                    self.scanner.feed(chunk)
                room = self.file_limit - self.size
                if room > 0:
                    self.spool.write(chunk[:room])
                self.size += len(chunk)
        except Exception as e:   # never break the upload itself
            self.error = f"{type(e).__name__}: {e}"
        return chunk

    def close(self) -> str:
        self.spool.close()
        return self.spool.name

    def discard(self) -> None:
        """The upload was abandoned or will not be inspected: drop the spool file."""
        try:
            os.unlink(self.close())
        except OSError:
            pass
