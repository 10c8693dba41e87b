"""`socialguard` command line: each subcommand lives in `socialguard.commands.<name>`."""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> module; modules expose `add_parser(subparsers)` and `main(args) -> int`.
COMMANDS = {
    "run": "socialguard.commands.run",
    "classify": "socialguard.commands.classify_har",
    "check-policy": "socialguard.commands.check_policy",
    "scan": "socialguard.commands.scan",
    "report": "socialguard.commands.report",
    "init-policy": "socialguard.commands.init_policy",
    "verify-events": "socialguard.commands.verify_events",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socialguard", description=__doc__.split(":", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        importlib.import_module(module).add_parser(sub, name)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Everything after `--` belongs to mitmdump (run) untouched.
    passthrough: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, passthrough = argv[:i], argv[i + 1:]
    args = build_parser().parse_args(argv)
    args.passthrough = passthrough
    return int(importlib.import_module(COMMANDS[args.command]).main(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
