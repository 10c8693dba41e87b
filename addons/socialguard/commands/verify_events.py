"""socialguard verify-events DIR: check the hash chain of every event file; name the first broken line of each.

Exit 0 when every file's chain holds, 1 when any is broken, 2 when there is nothing to check.
Each file's last hash is printed: kept somewhere the event folder's writers cannot reach (a ticket, a syslog
server), it lets a later check show that a whole file was not rewritten (docs/security.md#event-files).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from ..events.integrity import verify

FILE_RE = re.compile(r"^events-\d{4}-\d{2}-\d{2}\.jsonl(\.gz)?$")


def add_parser(sub, name):
    p = sub.add_parser(name, help="check the tamper-evidence hash chain of event files")
    p.add_argument("directory", help="directory of events-YYYY-MM-DD.jsonl[.gz] files, or one such file")
    p.add_argument("--json", action="store_true", help="one JSON object per file instead of text")
    return p


def main(args) -> int:
    target = Path(args.directory)
    if target.is_file():
        files = [target]
    elif target.is_dir():
        files = sorted(p for p in target.iterdir() if FILE_RE.match(p.name) and p.is_file())
    else:
        print(f"{target}: no such file or directory", file=sys.stderr)
        return 2
    if not files:
        print(f"{target}: no events-YYYY-MM-DD.jsonl files", file=sys.stderr)
        return 2
    broken = 0
    for path in files:
        try:
            check = verify(path)
        except OSError as e:
            print(f"{path}: cannot read: {e.strerror or e}", file=sys.stderr)
            broken += 1
            continue
        broken += not check.ok
        if args.json:
            print(json.dumps({"file": str(path), "ok": check.ok, "lines": check.lines,
                              "first_broken_line": check.first_broken, "reason": check.reason or None,
                              "broken_lines": check.broken, "head": check.head}))
        elif check.ok:
            print(f"{path}: ok, {check.lines} lines, last hash {check.head}")
        else:
            print(f"{path}:{check.first_broken}: broken: {check.reason}"
                  f" ({check.broken} broken of {check.lines} lines)")
    return 1 if broken else 0
