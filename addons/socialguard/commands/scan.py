"""socialguard scan: run the content detectors on files (placeholder until its part lands)."""

from __future__ import annotations

import sys


def add_parser(sub, name):
    p = sub.add_parser(name, help="run the content detectors on files")
    p.add_argument("rest", nargs="*")
    return p


def main(args) -> int:
    print("socialguard scan: not available yet", file=sys.stderr)
    return 2
