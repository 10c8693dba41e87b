"""socialguard check-policy [DIR]: validate a policy directory; exit 0 when good, 1 with file:line errors."""

from __future__ import annotations

from .common import POLICY_HELP, load_policy_or_report, resolve_policy_dir_or_report


def add_parser(sub, name):
    p = sub.add_parser(name, help="validate a policy directory")
    p.add_argument("directory", nargs="?", default=None, help=POLICY_HELP)
    return p


def main(args) -> int:
    directory = resolve_policy_dir_or_report(args.directory)
    policy = None if directory is None else load_policy_or_report(directory)
    if policy is None:
        return 1
    rules = sum(len(p.rules) for p in policy.catalog.platforms)
    print(f"{args.directory or directory}: ok ({len(policy.catalog.platforms)} platforms, {rules} rules, {len(policy.files)} files)")
    return 0
