"""Reading fields out of a request body peek: JSON, urlencoded forms, and JSON nested inside form fields."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from ..facts import RequestFacts
from ..jsonstrings import json_in_string

_MISSING = object()


def parse_body(facts: RequestFacts) -> Any:
    """The peeked body as JSON or a form dict; None when it is neither (binary, truncated, empty)."""
    body = facts.body
    if not body:
        return None
    ctype = facts.content_type
    head = body.lstrip()[:1]
    # Some clients (linkedin-api, Bluesky's */*) send JSON without a JSON content type: sniff it.
    if "json" in ctype or head in (b"{", b"["):
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):   # RecursionError: '[[[[…' (fuzzing found it)
            if "json" in ctype:
                return None
    if ctype == "application/x-www-form-urlencoded" or (not ctype and b"=" in body[:256]):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("latin-1")
        return _unsign(dict(parse_qsl(text, keep_blank_values=True)))
    return None


_SIGNED_PREFIX = "SIGNATURE."


def _unsign(form: dict[str, str]) -> dict[str, Any]:
    """Instagram/Threads private API: `signed_body=SIGNATURE.{json}` holds the real fields; lift them up."""
    signed = form.get("signed_body", "")
    if not signed.startswith(_SIGNED_PREFIX):
        return form
    doc = json_in_string(signed[len(_SIGNED_PREFIX):])
    if not isinstance(doc, dict):
        return form
    return {**doc, **{k: v for k, v in form.items() if k != "signed_body"}}


def lookup(doc: Any, path: tuple[str, ...]) -> list[Any]:
    """Every value at a dotted path; lists fan out, JSON strings are descended into."""
    nodes = [doc]
    for part in path:
        nxt = []
        for node in nodes:
            node = json_in_string(node)
            if isinstance(node, list):
                for item in node:
                    item = json_in_string(item)
                    if isinstance(item, dict) and part in item:
                        nxt.append(item[part])
            elif isinstance(node, dict) and part in node:
                nxt.append(node[part])
        nodes = nxt
        if not nodes:
            return []
    out = []
    for n in nodes:
        if isinstance(n, list) and path:
            out.extend(n)
        else:
            out.append(n)
    return out


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)
