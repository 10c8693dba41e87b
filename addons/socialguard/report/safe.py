"""Names from event files are hostile: any client can put a group name, a user name or a platform slug into an
event line. Every renderer passes every name through one of these before it lands in a cell.

- `clean`: control characters (C0 incl. NUL, DEL, C1), line/paragraph separators and bidi overrides removed,
  length bounded; used by every format.
- `csv_cell`: OWASP's CSV-injection advice: a text cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with
  `'` so spreadsheets show it as text (the csv module quotes `"`, `,` and the separator).
- `md_cell`: Markdown: `|` escaped, HTML-significant characters as entities (so `<script>` is shown, not run),
  and inline markup characters backslash-escaped.
HTML uses `html.escape` on `clean`ed text (see html.py)."""

from __future__ import annotations

import re
from html import escape

MAX_NAME = 200
# C0 (incl. NUL, tab, CR, LF), DEL, C1, the Unicode line/paragraph separators, and bidi embedding/override/isolate
# controls (which can make a name read backwards in a cell).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")   # incl. full-width forms
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def clean(value: object, limit: int | None = MAX_NAME) -> str:
    """Printable text of one line: control characters become a space (so `a\\nb` stays two words); a name is
    bounded to `limit` characters (our own sentences pass None)."""
    text = _CONTROL.sub(" ", str(value))
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def csv_cell(value: object) -> object:
    """Numbers and booleans pass; text is cleaned and neutralised when a spreadsheet would read a formula."""
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    text = clean(value)
    # The raw value decides too: a name that starts with a tab or CR (removed by `clean`) is a formula attempt.
    raw = str(value)
    if text.startswith(_FORMULA_START) or raw.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START):
        return "'" + text
    return text


def md_cell(value: object, limit: int | None = MAX_NAME) -> str:
    """Text for a Markdown table cell or a line of Markdown prose."""
    text = clean(value, limit)
    text = escape(text, quote=False)                # & < > as entities: no raw HTML reaches the Markdown
    return _MD_SPECIAL.sub(r"\\\1", text)


def html_text(value: object, limit: int | None = MAX_NAME) -> str:
    return escape(clean(value, limit), quote=True)
