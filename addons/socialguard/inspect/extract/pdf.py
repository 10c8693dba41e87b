"""PDF: the text layer of each page, its images, a rendering of its first pages (marks drawn as vectors),
and sensitivity labels in the metadata.

Nothing here fails silently: a page whose text or images cannot be read (pypdf's decompression limit, a
damaged stream) becomes a notice part naming the reason, and that page is rendered and read with OCR instead,
so a padded content stream cannot hide a marking.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

from ...policy.inspection import Limits
from .labels import enabled_label_names
from .office import Part, Unsafe

logging.getLogger("pypdf").setLevel(logging.ERROR)


def _reason(e: Exception) -> str:
    from pypdf.errors import LimitReachedError

    return "too_large" if isinstance(e, (LimitReachedError, MemoryError)) else "corrupt"


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
        for label in enabled_label_names((str(k).lstrip("/"), str(v)) for k, v in info.items()):
            yield Part("label:metadata", text=label)
        pages = reader.pages
        count = len(pages)
    except Unsafe:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        raise Unsafe("corrupt", f"PDF: {type(e).__name__}: {e}") from None
    images = 0
    unread: list[int] = []          # pages whose text layer could not be read: rendered and OCR'd below
    for number in range(min(count, limits.pages)):
        where = f"page {number + 1}"
        try:
            page = pages[number]
            yield Part(where, text=page.extract_text() or "")
        except Exception as e:      # one bad page must not hide the others, nor itself
            unread.append(number)
            yield Part(where, notice=(_reason(e), f"text layer not read ({type(e).__name__}); page read by OCR"))
            continue
        if images >= limits.images_per_file:
            continue
        try:
            for img in page.images:
                if images >= limits.images_per_file:
                    break
                images += 1
                yield Part(f"{where}:{img.name}", image=img.data)
        except Exception as e:
            yield Part(where, notice=(_reason(e), f"images not read ({type(e).__name__})"))
    yield from rendered_pages(data, min(count, limits.pages), unread, limits)
    if count > limits.pages:
        raise Unsafe("too_many_pages", f"{count} pages, read the first {limits.pages}")


def rendered_pages(data: bytes, count: int, unread: list[int], limits: Limits) -> Iterator[Part]:
    """Renderings (pdfium) of the first `render_pages` pages for the logo matcher, and of the pages whose
    text could not be read (for OCR), each at most `render_pixels`. Pages past the budget: one notice."""
    wanted = sorted(set(range(min(count, limits.render_pages))) | set(unread[: limits.render_pages]))
    if not wanted:
        return
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
    except Exception as e:
        yield Part("render", notice=("render_failed", f"pages not rendered: {type(e).__name__}"))
        return
    try:
        for number in wanted:
            try:
                page = doc[number]
                w, h = page.get_size()
                scale = min(150 / 72, (limits.render_pixels / max(1.0, w * h)) ** 0.5)
                image = page.render(scale=scale).to_pil().convert("RGB")
                page.close()
            except Exception as e:
                yield Part(f"page {number + 1}:render",
                           notice=("render_failed", f"page not rendered: {type(e).__name__}"))
                continue
            yield Part(f"page {number + 1}:render", image=image, ocr=number in unread)
    finally:
        doc.close()
    if count > limits.render_pages:
        yield Part("render", notice=("render_budget", f"pages {limits.render_pages + 1}-{count} not rendered: "
                                     "marks drawn as vectors there are not looked for"))
