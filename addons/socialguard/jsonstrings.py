"""JSON documents carried inside string fields: GraphQL `variables=` in forms, Facebook's `variables`, Instagram's
`signed_body`. The classifier (field lookup) and inspection (post text) descend into them the same way."""

from __future__ import annotations

import json
from typing import Any


def json_in_string(value: Any) -> Any:
    """The object or array a string field holds, else `value` itself (callers test `is value`).

    Only strings that start with `{`/`[` and end with `}`/`]` are parsed, so plain text costs two comparisons;
    hostile nesting (`[[[[…`) that exhausts the parser's recursion is plain text, not a crash."""
    if not isinstance(value, str) or not value or value[0] not in "{[":     # the common case: plain text
        return value
    if value[-1] not in "}]" and value.rstrip()[-1:] not in ("}", "]"):
        return value
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return value
