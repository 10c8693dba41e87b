"""DOCX/XLSX/PPTX (and any OOXML package): the text of every XML part, sensitivity labels, embedded images.

Zip bombs (entry count, ratio, total size) and XML bombs (DTDs, entities: defusedxml) raise `Unsafe`
so the caller reports a notice; nothing here decompresses without a limit.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ...policy.inspection import Limits
from .labels import enabled_label_names


class Unsafe(ValueError):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of a document: text, an image (`ocr`: also read it with OCR), or a notice (reason, detail)
    for a piece that could not be read, so the caller reports it instead of losing it."""

    name: str
    text: str = ""
    image: bytes | None = None
    notice: tuple[str, str] | None = None
    ocr: bool = True


# Element ends (and empty elements) that separate words: paragraphs, cells, rows, line breaks, tabs.
_BREAK = re.compile(rb"</(?:[A-Za-z]+:)?(?:p|tc|tr|row|c|si|comment|txBody)>|<(?:[A-Za-z]+:)?(?:br|cr|tab)\b[^>]*>")
_TAG = re.compile(rb"<[^>]*>")
_XSTRING = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DTD = re.compile(rb"<!DOCTYPE", re.I)
_ALT_TEXT = re.compile(rb'\s(?:descr|title)="([^"<]{1,2000})"')
# Excel header/footer codes (&L &C &R, &"font,style", &12) glue onto the text they format.
_HF_ELEMENT = re.compile(rb"<(odd|even|first)(Header|Footer)>[^<]{0,10000}</\1\2>")
_HF_CODES = re.compile(rb'&amp;(?:&quot;[^&<]{0,80}&quot;|\d{1,3}|[A-Za-z+-]|&amp;)')
_IMAGE = re.compile(r"\.(png|jpe?g|gif|webp|bmp|tiff?|emf|wmf)$", re.I)


def xml_text(data: bytes) -> str:
    """All character data of an XML part (plus alt text); runs of one paragraph are joined without spaces,
    as Word splits words across runs, and paragraph/cell/line ends become line breaks.

    A tag-stripping tokenizer rather than a parser: it runs at regex speed on large parts, never expands
    entities (so entity bombs cannot happen), and reads what it can of damaged XML. A part that declares a
    DTD or entities is refused as `xml_bomb`, as defusedxml would: OOXML never needs one.
    """
    if _DTD.search(data, 0, 4096) or b"<!ENTITY" in data:
        raise Unsafe("xml_bomb", "XML part declares a DTD or entities")
    data = _HF_ELEMENT.sub(lambda m: _HF_CODES.sub(b" ", m.group(0)), data)
    alt = b"\n".join(m.group(1) for m in _ALT_TEXT.finditer(data))
    text = _TAG.sub(b"", _BREAK.sub(b"\n", data)) + b"\n" + alt
    text = html.unescape(text.decode("utf-8", "replace"))
    # OOXML writes control characters as _xHHHH_ (e.g. a carriage return in a text run: _x000D_).
    return _XSTRING.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def sensitivity_labels(custom_xml: bytes) -> list[str]:
    """The names of the enabled MSIP sensitivity labels in docProps/custom.xml."""
    root = SafeET.fromstring(custom_xml, forbid_dtd=True)
    return enabled_label_names((prop.get("name", ""), "".join(child.text or "" for child in prop))
                               for prop in root)


def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except NotImplementedError as e:          # a zip version or feature zipfile does not have
        raise Unsafe("unsupported", f"zip: {e}") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error) as e:
        raise Unsafe("corrupt", f"zip: {type(e).__name__}: {e}") from None
    infos = zf.infolist()
    if len(infos) > limits.zip_entries:
        raise Unsafe("zip_bomb", f"{len(infos)} entries")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Unsafe("encrypted", f"zip entry {info.filename}")
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > limits.zip_ratio * max(info.compress_size, 1):
            raise Unsafe("zip_bomb", f"{info.filename} expands {info.file_size // max(info.compress_size, 1)}x")
    if total > limits.decompressed_bytes:
        raise Unsafe("zip_bomb", f"{total} bytes uncompressed")
    return zf


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read with a hard cap: declared sizes in the zip directory can lie."""
    try:
        with zf.open(info) as fh:
            data = fh.read(cap + 1)
    except NotImplementedError as e:          # a compression method zipfile does not have
        raise Unsafe("unsupported", f"zip entry {info.filename}: {e}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as e:
        # A member whose local header or data disagrees with the directory (found by tests/test_fuzz_inspect.py).
        raise Unsafe("corrupt", f"zip entry {info.filename}: {type(e).__name__}: {e}") from None
    if len(data) > cap:
        raise Unsafe("zip_bomb", f"{info.filename} larger than {cap} bytes")
    return data


def office_parts(data: bytes, limits: Limits) -> Iterator[Part]:
    """Each XML part's text (headers, footers, notes, comments, charts...), labels as `label:` parts, images."""
    zf = open_zip(data, limits)
    images = 0
    for info in zf.infolist():
        name = info.filename
        if info.is_dir():
            continue
        if name.endswith(".xml"):
            raw = read_member(zf, info, limits.xml_bytes)
            if name == "docProps/custom.xml":
                try:
                    for label in sensitivity_labels(raw):
                        yield Part("label:" + name, text=label)
                except (SafeET.ParseError, DefusedXmlException) as e:
                    yield Part(name, notice=("corrupt", f"custom properties not read: {type(e).__name__}"))
            yield Part(name, text=xml_text(raw))
        elif _IMAGE.search(name) and images < limits.images_per_file and not name.startswith("docProps/thumbnail"):
            # (the thumbnail is a rendering of the first page: what it shows is in the parts themselves)
            images += 1
            yield Part(name, image=read_member(zf, info, limits.file_bytes))
