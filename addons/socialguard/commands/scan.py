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


def scan_result(scanner, path: Path) -> dict:
    """The --json object for one file."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return {"file": str(path), "sha256": None, "findings": [],
                "errors": [{"reason": "unreadable", "location": str(path), "detail": e.strerror or str(e)}]}
    report = scanner.scan_bytes(data, path.name)
    findings = []
    for f in report.findings:
        item = {"kind": f.kind, "name": f.name, "guideline": f.guideline, "rule": f.rule,
                "location": f.location, "confidence": f.confidence}
        if f.bbox is not None:
            item["bbox"] = list(f.bbox)
        if f.release_time:
            item["release_time"] = f.release_time
        if f.crop:
            item["crop"] = f.crop
        findings.append(item)
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
