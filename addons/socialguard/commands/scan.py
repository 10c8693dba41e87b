"""socialguard scan [--policy DIR] [--json] FILE...: the proxy's content detectors on files, for analysts and tests.

Exit status: 0 nothing found, 1 findings, 2 a file could not be read or the policy is invalid.
With --json, one JSON object per line and file: file, sha256, findings[], errors[] (inspection notices).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from .common import add_policy_option, load_policy_or_report


def add_parser(sub, name):
    p = sub.add_parser(name, help="run the content detectors (markings, labels, logos, profanity) on files")
    add_policy_option(p)
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.add_argument("files", nargs="+", metavar="FILE")
    return p


FILE_KEYS = ("file_sha256", "file_name")


def scan_result(scanner, path: Path) -> dict:
    """The --json object for one file."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return {"file": str(path), "sha256": None, "findings": [],
                "errors": [{"reason": "unreadable", "location": str(path), "detail": e.strerror or str(e)}]}
    report = scanner.scan_bytes(data, path.name)
    # The file's own hash and name are the result's; each finding says what and where.
    findings = [{k: list(v) if k == "bbox" else v for k, v in f.to_dict().items() if k not in FILE_KEYS}
                for f in report.findings]
    return {"file": str(path), "sha256": hashlib.sha256(data).hexdigest(), "findings": findings,
            "errors": [n.to_dict() for n in report.notices]}


def main(args) -> int:
    from ..inspect.scanner import Scanner

    policy = load_policy_or_report(args.policy)
    if policy is None:
        return 2
    scanner = Scanner(policy, Path("crops"))
    status = 0
    for name in args.files:
        result = scan_result(scanner, Path(name))
        if result["sha256"] is None:
            status = 2
        elif result["findings"] and status == 0:
            status = 1
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
            continue
        print(f"{result['file']}  sha256={result['sha256']}")
        for f in result["findings"]:
            extra = f"  bbox={f['bbox']}" if "bbox" in f else ""
            extra += f"  release={f['release_time']}" if "release_time" in f else ""
            print(f"  {f['kind']:<13} {f['name']:<28} guideline {f['guideline']:<4} {f['location']}"
                  f"  conf={f['confidence']}{extra}")
        for e in result["errors"]:
            print(f"  notice        {e['reason']:<28} {e['location']}  {e['detail']}")
        if not result["findings"] and not result["errors"]:
            print("  nothing found")
    return status
