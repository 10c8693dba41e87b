"""socialguard init-policy DIR: write an editable copy of the bundled policy, to adapt and point --policy at."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..policy.locate import BUNDLED_DIR


def add_parser(sub, name):
    p = sub.add_parser(name, help="write an editable copy of the bundled policy into DIR")
    p.add_argument("directory", help="where to write the copy (must not exist, or be empty)")
    return p


def main(args) -> int:
    target = Path(args.directory)
    if target.is_symlink() or (target.exists() and (not target.is_dir() or any(target.iterdir()))):
        print(f"socialguard init-policy: {target} exists and is not an empty folder; nothing written",
              file=sys.stderr)
        return 1
    # copytree follows the checkout's link to policy/ and writes real files: the copy is the agency's to edit.
    shutil.copytree(BUNDLED_DIR, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    print(f"socialguard: policy written to {target}; check it with `socialguard check-policy {target}`"
          f" and run with `socialguard run --policy {target}`")
    return 0
