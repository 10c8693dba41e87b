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


def find_insertion(text: str, start: int = 0) -> Insertion | None:
    """The offset just after the real `<body ...>` start tag, or where the body implicitly begins.

    Skips comments, doctype/processing instructions, `<template>` contents (nested), and raw-text elements
    (script, style, textarea, title, ...), where a `<body>` is only text. Without a body tag, the body
    begins at the first element that cannot live in `<head>` or at the first non-space text. None for
    pages where the banner has no place: framesets, `<plaintext>`, unterminated constructs.
    """
    pos, n = start, len(text)
    template_depth = 0
    metas: list[str] = []
    while pos < n:
        pos = _SKIPPABLE_RUN.match(text, pos).end()
        lt = text.find("<", pos)
        if template_depth == 0:
            # Text before <body> that is not only spaces starts the body.
            segment_end = n if lt < 0 else lt
            m = _NON_SPACE.search(text, pos, segment_end)
            if m:
                return Insertion(m.start(), tuple(metas), after_body_tag=False)
        if lt < 0:
            break
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 2)   # from lt+2 so that '<!-->' and '<!--->' close themselves
            if end < 0:
                return None
            pos = end + 3
            continue
        nxt = text[lt + 1:lt + 2]
        if nxt in ("!", "?"):
            end = text.find(">", lt)
            if end < 0:
                return None
            pos = end + 1
            continue
        closing = nxt == "/"
        m = _TAG_NAME.match(text, lt + 2 if closing else lt + 1)
        if m is None:
            # '<' that does not open a tag is text ('a < b'), or '</>' / '</ ...' bogus comments.
            if closing:
                end = text.find(">", lt)
                if end < 0:
                    return None
                pos = end + 1
            elif template_depth == 0:
                return Insertion(lt, tuple(metas), after_body_tag=False)
            else:
                pos = lt + 1
            continue
        name = m.group(0).lower()
        rest = _TAG_REST.match(text, m.end())
        if rest is None:
            return None
        tag_end = rest.end()
        if closing:
            if name == "template" and template_depth:
                template_depth -= 1
            elif template_depth == 0 and name in ("html", "body", "br"):
                # Before <body>, these end tags make the parser open the body (and '</br>' is a <br>).
                return Insertion(lt, tuple(metas), after_body_tag=False)
            pos = tag_end
            continue
        if name == "template":
            template_depth += 1
            pos = tag_end
            continue
        if template_depth == 0:
            if name == "body":
                return Insertion(tag_end, tuple(metas))
            if name in ("frameset", "plaintext"):
                return None
            if name not in _HEAD_ELEMENTS:
                return Insertion(lt, tuple(metas), after_body_tag=False)
            if name == "meta":
                attrs = _attributes(text[m.end():tag_end - 1])
                if attrs.get("http-equiv", "").strip().lower() == "content-security-policy" and "content" in attrs:
                    metas.append(attrs["content"])
        if name in _RAW_END:
            # '<title/>' still opens raw text in HTML: the self-closing flag is ignored on these elements.
            close = _RAW_END[name].search(text, tag_end)
            if close is None:
                return None
            pos = close.start()
            continue
        pos = tag_end
    if template_depth:
        return None
    # Only head content (or nothing): the body begins at the end of the document.
    return Insertion(n, tuple(metas), after_body_tag=False)


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
