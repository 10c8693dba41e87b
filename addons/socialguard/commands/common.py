"""What several subcommands share."""

from __future__ import annotations

import sys

from ..policy import Policy, PolicyError, load_policy


def load_policy_or_report(directory) -> Policy | None:
    """The policy, or None after printing its `file:line: message` problems to stderr."""
    try:
        return load_policy(directory)
    except PolicyError as e:
        print(e, file=sys.stderr)
        return None
