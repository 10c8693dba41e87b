"""What changes when a file is edited, added or removed: (path, mtime_ns, size) per file, written once.

The live reload compares a policy directory's stamp; inspection workers rebuild their Scanner when the
policy files' stamp (logo references included) changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def files_stamp(paths: Iterable[str | Path]) -> tuple:
    """One (path, mtime_ns, size) per path; a missing file stamps as (path, 0, 0)."""
    stamp = []
    for p in paths:
        try:
            st = os.stat(p)
            stamp.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            stamp.append((str(p), 0, 0))
    return tuple(stamp)


def directory_stamp(directory: Path) -> tuple:
    """The stamp of every regular file under `directory`, hidden ones (editors' swap files) left out."""
    entries = []
    for path in sorted(directory.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(directory).parts):
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        if path.is_file():
            entries.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(entries)
