"""PDF: the text layer of each page, its images (for logos and OCR), sensitivity labels in the metadata."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

from ...policy.inspection import Limits
from .office import Part, Unsafe

logging.getLogger("pypdf").setLevel(logging.ERROR)
_LABEL_KEY = re.compile(r"MSIP_Label_[0-9a-fA-F-]{36}_Name$")


def pdf_parts(data: bytes, limits: Limits) -> Iterator[Part]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # An empty user password still lets anyone read it: inspect those; others are a notice.
            try:
                if not reader.decrypt(""):
                    raise Unsafe("encrypted", "PDF needs a password")
            except Unsafe:
                raise
            except Exception as e:
                raise Unsafe("encrypted", f"PDF: {type(e).__name__}") from None
        info = reader.metadata or {}
        for key, value in info.items():
            if _LABEL_KEY.search(str(key)) and str(value).strip():
                yield Part("label:metadata", text=str(value).strip())
        pages = reader.pages
        count = len(pages)
    except Unsafe:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        raise Unsafe("corrupt", f"PDF: {type(e).__name__}: {e}") from None
    images = 0
    for number in range(min(count, limits.pages)):
        where = f"page {number + 1}"
        try:
            page = pages[number]
            yield Part(where, text=page.extract_text() or "")
        except Exception:   # one bad page must not hide the others
            continue
        if images >= limits.images_per_file:
            continue
        try:
            for img in page.images:
                if images >= limits.images_per_file:
                    break
                images += 1
                yield Part(f"{where}:{img.name}", image=img.data)
        except Exception:
            continue
    if count > limits.pages:
        raise Unsafe("too_many_pages", f"{count} pages, read the first {limits.pages}")
