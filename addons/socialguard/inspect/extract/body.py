"""Request bodies -> the post text and files they carry.

- Content-Encoding (gzip, deflate, br, zstd) is undone with a hard cap on the output (`socialguard.content_encoding`).
- JSON (incl. GraphQL `variables`) and form fields give text items located by their key path.
- multipart/form-data is parsed with python-multipart's streaming parser, binary-safe: file parts stay bytes.
- Anything else is one raw file (image/*, application/octet-stream, */*).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from ...content_encoding import DecodeError, decode_content, parse_encodings
from ...jsonstrings import json_in_string
from ...names import bounded_location, name_or
from ...policy.inspection import Limits
from .office import Unsafe

FEED = 64 * 1024


@dataclass(frozen=True, slots=True)
class TextItem:
    location: str
    text: str


@dataclass(slots=True)
class FileItem:
    name: str
    mime: str
    data: bytes
    location: str = ""
    truncated: bool = False


@dataclass
class Extracted:
    texts: list[TextItem] = field(default_factory=list)
    files: list[FileItem] = field(default_factory=list)


# -- decompression ----------------------------------------------------------------------------------
_UNSAFE_REASON = {"too_large": "decompression_bomb"}


def decompress(data: bytes, encoding: str, cap: int) -> bytes:
    """Undo Content-Encoding (possibly a list) with at most `cap` bytes out; more is a `decompression_bomb`."""
    encodings = parse_encodings(encoding)
    if encodings is None:
        raise Unsafe("unsupported", f"Content-Encoding {encoding}")
    try:
        return decode_content(data, encodings, cap, complete=False)
    except DecodeError as e:
        raise Unsafe(_UNSAFE_REASON.get(e.reason, e.reason), str(e)) from None


# -- structured text --------------------------------------------------------------------------------
def json_texts(value, prefix: str, limit: int = 10_000) -> Iterator[TextItem]:
    """Every string in a JSON document, located by its dotted key path (list indexes dropped)."""
    stack = [(prefix, value)]
    seen = 0
    while stack and seen < limit:
        path, v = stack.pop()
        if isinstance(v, str):
            seen += 1
            inner = json_in_string(v)
            if inner is not v:
                stack.append((path, inner))
            elif v.strip():
                yield TextItem(path, v)
        elif isinstance(v, dict):
            # Key names are the client's to choose: only name-shaped ones are copied into a location.
            stack.extend((bounded_location(f"{path}.{name_or(str(k), '(key)')}" if path
                                           else name_or(str(k), "(key)")), x) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend((path, x) for x in v)


def field_texts(location: str, value: str) -> list[TextItem]:
    """A form field: its text, or the strings inside when it holds JSON (GraphQL variables in forms)."""
    inner = json_in_string(value)
    if inner is not value:
        return list(json_texts(inner, location))
    return [TextItem(location, value)]


def _param(content_type: str, name: str) -> str | None:
    for piece in content_type.split(";")[1:]:
        k, _, v = piece.strip().partition("=")
        if k.strip().lower() == name:
            return v.strip().strip('"')
    return None


# -- multipart --------------------------------------------------------------------------------------
def multipart_parts(body_chunks, content_type: str, limits: Limits) -> Extracted:
    """Parse multipart/form-data from an iterable of byte chunks without ever decoding file parts as text."""
    from python_multipart.multipart import MultipartParser, parse_options_header

    boundary = _param(content_type, "boundary")
    if not boundary:
        raise Unsafe("corrupt", "multipart without boundary")
    result = Extracted()
    state: dict = {}

    def on_part_begin():
        state.update(headers={}, data=bytearray(), truncated=False, field=b"", value=b"")

    def on_header_field(data, start, end):
        state["field"] += data[start:end]

    def on_header_value(data, start, end):
        state["value"] += data[start:end]

    def on_header_end():
        state["headers"][state["field"].decode("latin-1").lower()] = state["value"].decode("utf-8", "replace")
        state["field"], state["value"] = b"", b""

    def on_part_data(data, start, end):
        buf = state["data"]
        room = limits.file_bytes - len(buf)
        if room > 0:
            buf += data[start:min(end, start + room)]
        if end - start > room:
            state["truncated"] = True

    def on_part_end():
        headers = state["headers"]
        _, disp = parse_options_header(headers.get("content-disposition", ""))
        name = (disp.get(b"name") or b"").decode("utf-8", "replace")
        filename = disp.get(b"filename")
        mime = headers.get("content-type", "")
        data = bytes(state["data"])
        if filename is None and not mime.startswith(("image/", "application/octet-stream")):
            result.texts.extend(field_texts(f"form:{name_or(name, '(field)')}", data.decode("utf-8", "replace")))
        else:
            fname = filename.decode("utf-8", "replace") if filename else name or "upload"
            result.files.append(FileItem(fname, mime, data, f"form:{name_or(name, '(field)')}", state["truncated"]))

    parser = MultipartParser(boundary.encode("latin-1"), callbacks={
        "on_part_begin": on_part_begin, "on_part_data": on_part_data, "on_part_end": on_part_end,
        "on_header_field": on_header_field, "on_header_value": on_header_value, "on_header_end": on_header_end,
    })
    try:
        for chunk in body_chunks:
            parser.write(chunk)
        parser.finalize()
    except Exception as e:
        if not result.texts and not result.files:
            raise Unsafe("corrupt", f"multipart: {e}") from None
    return result


def _chunks(data: bytes) -> Iterator[bytes]:
    for i in range(0, len(data), FEED):
        yield data[i:i + FEED]


# -- dispatch ---------------------------------------------------------------------------------------
def extract_body(data: bytes, content_type: str, name: str, limits: Limits) -> Extracted:
    """`data` already decompressed. `name` names a raw upload (the path's last segment)."""
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct == "multipart/form-data":
        return multipart_parts(_chunks(data), content_type, limits)
    result = Extracted()
    if ct in ("application/x-www-form-urlencoded",):
        text = data.decode("utf-8", "replace")
        for key, value in parse_qsl(text, keep_blank_values=False):
            result.texts.extend(field_texts(f"form:{name_or(key, '(field)')}", value))
        return result
    stripped = data[:1].lstrip() or data.lstrip()[:1]
    if ct.endswith("json") or (ct in ("", "text/plain") and stripped in (b"{", b"[")):
        try:
            result.texts.extend(json_texts(json.loads(data), "json"))
            return result
        except (ValueError, RecursionError):      # RecursionError: hostile nesting, scanned as a file instead
            pass
    if ct.startswith("text/") and ct not in ("text/csv",):
        result.texts.append(TextItem("body", data.decode("utf-8", "replace")))
        return result
    result.files.append(FileItem(name or "upload", ct, data, "body"))
    return result
