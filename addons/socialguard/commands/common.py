"""What several subcommands share."""

from __future__ import annotations

import sys
from pathlib import Path

from ..policy import Policy, PolicyError, load_policy
from ..policy.locate import locate_policy

POLICY_HELP = ("policy directory (default: $SOCIALGUARD_POLICY, else /etc/socialguard/policy, else ./policy,"
               " else the copy bundled with socialguard)")


def add_policy_option(parser) -> None:
    parser.add_argument("--policy", default=None, help=POLICY_HELP)


def resolve_policy_dir_or_report(explicit: str | None) -> Path | None:
    """The policy folder by the documented search order, or None after printing where it looked."""
    try:
        return locate_policy(explicit)
    except PolicyError as e:
        print(e, file=sys.stderr)
        return None


def load_policy_or_report(directory: str | Path | None) -> Policy | None:
    """The policy (found by the search order when `directory` is None), or None after printing its
    `file:line: message` problems to stderr."""
    try:
        return load_policy(locate_policy(None if directory is None else str(directory)))
    except PolicyError as e:
        print(e, file=sys.stderr)
        return None
