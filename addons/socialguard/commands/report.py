"""socialguard report: usage reports from event files (placeholder until its part lands)."""

from __future__ import annotations

import sys


def add_parser(sub, name):
    p = sub.add_parser(name, help="usage reports from event files")
    p.add_argument("rest", nargs="*")
    return p


def main(args) -> int:
    print("socialguard report: not available yet", file=sys.stderr)
    return 2
