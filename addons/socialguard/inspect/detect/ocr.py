"""Markings inside images: OCR with Debian's `tesseract` (eng + fra) when installed; skipped with a notice when not."""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache

from PIL import Image


class OcrUnavailable(RuntimeError):
    pass


@cache
def tesseract_languages() -> frozenset[str]:
    exe = shutil.which("tesseract")
    if not exe:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


def ocr_text(image: Image.Image, languages: tuple[str, ...], timeout: float = 20.0) -> str:
    """The text tesseract reads in the image; OcrUnavailable when tesseract or a language is missing."""
    have = tesseract_languages()
    if not have:
        raise OcrUnavailable("tesseract is not installed")
    langs = [lang for lang in languages if lang in have]
    if not langs:
        raise OcrUnavailable(f"tesseract lacks languages {'+'.join(languages)}")
    im = image.convert("L")
    if max(im.size) < 1000:     # tesseract reads small text better when upscaled
        f = 1000 / max(im.size)
        im = im.resize((round(im.width * f), round(im.height * f)), Image.LANCZOS)
    buf = io.BytesIO()
    # Uncompressed: tesseract reads it straight back; zlib on a photo's pixels cost a third of the OCR time.
    im.save(buf, "PNG", compress_level=0)
    try:
        proc = subprocess.run([shutil.which("tesseract"), "stdin", "stdout", "-l", "+".join(langs), "--psm", "3"],
                              input=buf.getvalue(), capture_output=True, timeout=timeout,
                              env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    except subprocess.TimeoutExpired:
        raise OcrUnavailable("tesseract timed out") from None
    return proc.stdout.decode("utf-8", "replace")
