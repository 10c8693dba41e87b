"""Where and how the banner goes into a page: a small HTML tokenizer over the original bytes.

The page is never round-tripped through decoded text: for every ASCII-compatible charset the bytes are
viewed as Latin-1 (one character per byte, so offsets are byte offsets) and the banner is inserted as ASCII
with non-ASCII written as character references. Only UTF-16 pages are decoded and re-encoded, keeping
their byte-order mark. Content encodings (gzip, deflate, br, zstd, chained) are undone and redone.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass

from .. import content_encoding
from ..content_encoding import encode_content, parse_encodings  # noqa: F401 - the banner's names for them

MAX_DECODED_BYTES = 8 * 1024 * 1024          # bigger pages are left alone (and cost nothing)


# -- content encodings (one implementation, shared with inspection) ----------------------------------------
def decode_content(raw: bytes, encodings: list[str]) -> bytes:
    """Undo Content-Encoding; raises ValueError on bad data or a page decoding past MAX_DECODED_BYTES."""
    return content_encoding.decode_content(raw, encodings, MAX_DECODED_BYTES)


# -- charsets ---------------------------------------------------------------------------------------------
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CHARSET_PARAM = re.compile(r";\s*charset\s*=\s*[\"']?([^\s;\"']+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# Charsets in which ASCII bytes always mean ASCII characters, so ASCII can be inserted between tags.
_NOT_ASCII_COMPATIBLE = ("utf-16", "utf-32", "utf-7", "ucs-2", "ucs-4", "iso-2022", "hz-gb", "cp037",
                         "cp500", "cp1026", "ebcdic")


@dataclass(frozen=True, slots=True)
class Charset:
    name: str                 # a Python codec name, or "ascii-compatible" when the exact one does not matter
    bom: bytes = b""

    @property
    def utf16(self) -> bool:
        return self.name.startswith("utf-16")


def sniff_charset(content_type: str | None, body: bytes) -> Charset | None:
    """The page's encoding as far as insertion cares, in the HTML standard's order: BOM, header, <meta>.

    None for encodings where inserting ASCII bytes would be wrong (UTF-32, EBCDIC, ISO-2022): such pages
    are left alone.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return Charset(name, bom)
    label = None
    if content_type:
        m = _CHARSET_PARAM.search(content_type)
        if m:
            label = m.group(1).lower()
    if label and label.startswith(("utf-16", "utf16", "ucs-2", "unicode")):
        # A header that says UTF-16 without a BOM means little-endian unless it says otherwise.
        return Charset("utf-16-be" if label.endswith("be") else "utf-16-le")
    if label is None:
        m = _META_CHARSET.search(body[:1024])
        if m:
            # The standard treats a <meta> claiming UTF-16 as UTF-8 (the bytes being read are ASCII).
            label = m.group(1).decode("ascii", "replace").lower()
            if label.startswith(("utf-16", "utf16")):
                label = "utf-8"
    if label and label.startswith(_NOT_ASCII_COMPATIBLE):
        return None
    return Charset("ascii-compatible")


# -- the tokenizer ----------------------------------------------------------------------------------------
_TAG_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
# The rest of a tag up to its closing '>', with quoted attribute values that may contain '>'.
# Possessive (*+): an unterminated tag fails in linear time instead of backtracking over its attributes.
_TAG_REST = re.compile(r"""(?:=[\t\n\f\r ]*"[^"]*"|=[\t\n\f\r ]*'[^']*'|[^>=]|=)*+>""")
_ATTR = re.compile(r"""([^\t\n\f\r />=][^\t\n\f\r />=]*)"""
                   r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]+)))?""")
_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript")
_RAW_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.I) for name in _RAW_TEXT}
# Elements that may appear before <body> without starting it (the "in head" insertion mode).
_HEAD_ELEMENTS = frozenset({"html", "head", "meta", "link", "title", "style", "script", "base", "noscript",
                            "template", "basefont", "bgsound"})
_NON_SPACE = re.compile(r"[^\t\n\f\r ]")
# Runs of head content that need no decision, skipped by one regex call instead of one loop turn each:
# spaces, comments, <link>, and whole <script>/<style> elements (the bulk of big social sites' heads).
_SKIPPABLE_RUN = re.compile(
    r"""(?:[\t\n\f\r ]+|<!--(?:-?>|[^-]*+(?:-(?!->)[^-]*+)*+-->)|<link(?=[\t\n\f\r />])""" + _TAG_REST.pattern
    # A raw-text element's content as an "unrolled loop" (runs without '<'), much faster than a lazy '.*?'.
    + r"""|<(script|style)(?=[\t\n\f\r />])""" + _TAG_REST.pattern
    + r"""[^<]*+(?:<(?!/\1[\t\n\f\r />])[^<]*+)*+</\1[^>]*>)*""", re.I)


@dataclass(frozen=True, slots=True)
class Insertion:
    offset: int                                # where the banner goes (a character offset into the text)
    meta_csp: tuple[str, ...] = ()             # Content-Security-Policy values of <meta http-equiv> before it
    after_body_tag: bool = True                # False: the page has no <body> tag and the banner opens it


def _attributes(tag: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(tag):
        name = m.group(1).lower()
        if name not in attrs:
            value = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
            attrs[name] = html.unescape(value or "")
    return attrs


class _Unplaceable(Exception):
    """The page has no place for a banner (frameset, plaintext, an unterminated construct)."""


def _after(text: str, needle: str, start: int) -> int:
    """The offset just past the next `needle` from `start`; an unterminated construct has no place."""
    end = text.find(needle, start)
    if end < 0:
        raise _Unplaceable
    return end + len(needle)


class _HeadScanner:
    """Walks the markup before the body, one construct per call, keeping the position, the `<template>`
    depth and the `<meta>` policies seen. Each `_at_*` method returns the insertion when the construct
    starts the body, else None after moving `pos` past it."""

    def __init__(self, text: str, start: int):
        self.text, self.pos, self.template_depth = text, start, 0
        self.metas: list[str] = []

    def _here(self, offset: int, after_body_tag: bool = False) -> Insertion:
        return Insertion(offset, tuple(self.metas), after_body_tag=after_body_tag)

    def run(self) -> Insertion:
        text, n = self.text, len(self.text)
        while self.pos < n:
            self.pos = _SKIPPABLE_RUN.match(text, self.pos).end()
            lt = text.find("<", self.pos)
            if self.template_depth == 0:
                # Text before <body> that is not only spaces starts the body.
                m = _NON_SPACE.search(text, self.pos, n if lt < 0 else lt)
                if m:
                    return self._here(m.start())
            if lt < 0:
                break
            found = self._at_markup(lt)
            if found is not None:
                return found
        if self.template_depth:
            raise _Unplaceable
        # Only head content (or nothing): the body begins at the end of the document.
        return self._here(n)

    def _at_markup(self, lt: int) -> Insertion | None:
        text = self.text
        if text.startswith("<!--", lt):
            self.pos = _after(text, "-->", lt + 2)     # from lt+2 so that '<!-->' and '<!--->' close themselves
            return None
        nxt = text[lt + 1:lt + 2]
        if nxt in ("!", "?"):
            self.pos = _after(text, ">", lt)
            return None
        closing = nxt == "/"
        name = _TAG_NAME.match(text, lt + 2 if closing else lt + 1)
        if name is None:
            return self._at_stray_lt(lt, closing)
        rest = _TAG_REST.match(text, name.end())
        if rest is None:
            raise _Unplaceable
        tag = name.group(0).lower()
        if closing:
            return self._at_end_tag(tag, lt, rest.end())
        return self._at_start_tag(tag, lt, name.end(), rest.end())

    def _at_stray_lt(self, lt: int, closing: bool) -> Insertion | None:
        """'<' that does not open a tag is text ('a < b'); '</>' and '</ ...' are bogus comments."""
        if closing:
            self.pos = _after(self.text, ">", lt)
        elif self.template_depth == 0:
            return self._here(lt)
        else:
            self.pos = lt + 1
        return None

    def _at_end_tag(self, tag: str, lt: int, tag_end: int) -> Insertion | None:
        if tag == "template" and self.template_depth:
            self.template_depth -= 1
        elif self.template_depth == 0 and tag in ("html", "body", "br"):
            return self._here(lt)      # before <body>, these end tags open the body (and '</br>' is a <br>)
        self.pos = tag_end
        return None

    def _at_start_tag(self, tag: str, lt: int, attrs_start: int, tag_end: int) -> Insertion | None:
        if tag == "template":
            self.template_depth += 1
        elif self.template_depth == 0:
            if tag == "body":
                return self._here(tag_end, after_body_tag=True)
            if tag in ("frameset", "plaintext"):
                raise _Unplaceable
            if tag not in _HEAD_ELEMENTS:
                return self._here(lt)
            if tag == "meta":
                self._note_meta(self.text[attrs_start:tag_end - 1])
        if tag in _RAW_END:
            # '<title/>' still opens raw text in HTML: the self-closing flag is ignored on these elements.
            close = _RAW_END[tag].search(self.text, tag_end)
            if close is None:
                raise _Unplaceable
            self.pos = close.start()
        else:
            self.pos = tag_end
        return None

    def _note_meta(self, attributes: str) -> None:
        attrs = _attributes(attributes)
        if attrs.get("http-equiv", "").strip().lower() == "content-security-policy" and "content" in attrs:
            self.metas.append(attrs["content"])


def find_insertion(text: str, start: int = 0) -> Insertion | None:
    """The offset just after the real `<body ...>` start tag, or where the body implicitly begins.

    Skips comments, doctype/processing instructions, `<template>` contents (nested), and raw-text elements
    (script, style, textarea, title, ...), where a `<body>` is only text. Without a body tag, the body
    begins at the first element that cannot live in `<head>` or at the first non-space text. None for
    pages where the banner has no place: framesets, `<plaintext>`, unterminated constructs.
    """
    try:
        return _HeadScanner(text, start).run()
    except _Unplaceable:
        return None


# -- putting it together -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Page:
    """A decoded page ready for insertion: its text view and how to turn it back into bytes."""

    raw: bytes
    text: str
    charset: Charset
    insertion: Insertion

    def with_snippet(self, snippet: str) -> bytes:
        """The page's bytes with `snippet` at the insertion point, the original bytes untouched around it."""
        off = self.insertion.offset
        if self.charset.utf16:
            codec = self.charset.name
            return self.charset.bom + (self.text[:off] + snippet + self.text[off:]).encode(codec)
        encoded = snippet.encode("ascii", "xmlcharrefreplace")
        off += len(self.charset.bom)         # Latin-1 offsets are byte offsets after the BOM
        return self.raw[:off] + encoded + self.raw[off:]


def prepare(body: bytes, content_type: str | None) -> Page | None:
    """Find where a banner goes in a decoded page body; None when the page must stay untouched."""
    charset = sniff_charset(content_type, body)
    if charset is None:
        return None
    if charset.utf16:
        try:
            text = body[len(charset.bom):].decode(charset.name)
        except UnicodeDecodeError:
            return None
    else:
        text = body[len(charset.bom):].decode("latin-1")
    insertion = find_insertion(text)
    if insertion is None:
        return None
    return Page(body, text, charset, insertion)
