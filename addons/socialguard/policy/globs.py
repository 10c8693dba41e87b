"""Path patterns for rules: globs, not regular expressions, so no policy can write a pattern that backtracks.

`*` matches within one path segment, `**` (only as the last segment) matches the rest of the path,
`{op}` captures one segment as the operation name, `{target}` one segment as what a reply or comment is aimed at
(`/api/v1/media/{target}/comment`). Everything else is literal. At most one wildcard per
segment, so a match costs time linear in the path.

Patterns match *normalized* paths (`classify/paths.py`: no trailing slash, no empty segments), so a pattern is
normalized the same way: `/api/submit/` and `/api/submit` are one pattern, `/a/**` also matches `/a`.
"""

from __future__ import annotations

import re

_ALLOWED = re.compile(r"^/[A-Za-z0-9_.~%@:+,;=!$&'()*{}/-]*$")


def compile_glob(pattern: str) -> re.Pattern[str]:
    """Compile a path glob; raises ValueError for anything outside the grammar."""
    if not _ALLOWED.match(pattern):
        raise ValueError(f"path pattern {pattern!r} must start with '/' and use only path characters, '*', '**', '{{op}}'")
    segments = [""] + [seg for seg in pattern.split("/") if seg]
    if len(segments) == 1:
        return re.compile("/")
    out: list[str] = []
    for i, seg in enumerate(segments):
        if seg == "**":
            if i != len(segments) - 1:
                raise ValueError(f"path pattern {pattern!r}: '**' may only be the last segment")
            return re.compile("/".join(out) + "(?:/.*)?")
        if "**" in seg:
            raise ValueError(f"path pattern {pattern!r}: '**' must be a whole segment")
        if seg.count("*") + seg.count("{op}") + seg.count("{target}") > 1:
            # Two wildcards in one segment backtrack polynomially on a client-chosen path ('/*a*a*a*b'
            # against '/aaaa…' takes minutes); with one per segment, matching stays linear.
            raise ValueError(f"path pattern {pattern!r}: at most one '*' or '{{op}}' per segment")
        piece = ""
        rest = seg
        while rest:
            if rest.startswith("{target}"):
                if "(?P<target>" in "".join(out) + piece:
                    raise ValueError(f"path pattern {pattern!r}: '{{target}}' may appear once")
                piece += "(?P<target>[^/]+)"
                rest = rest[8:]
            elif rest.startswith("{op}"):
                if "(?P<op>" in "".join(out) + piece:
                    raise ValueError(f"path pattern {pattern!r}: '{{op}}' may appear once")
                piece += "(?P<op>[^/]+)"
                rest = rest[4:]
            elif rest[0] == "*":
                piece += "[^/]*"
                rest = rest[1:]
            elif rest[0] in "{}":
                raise ValueError(f"path pattern {pattern!r}: braces only as '{{op}}' or '{{target}}'")
            else:
                piece += re.escape(rest[0])
                rest = rest[1:]
        out.append(piece)
    return re.compile("/".join(out))
