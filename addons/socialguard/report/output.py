"""Writing a report file: `--out` names a file or a folder. A missing folder is a clean error (raised before any
report is built or audited), and a symbolic link at the output path is never followed: the file is written under
a temporary name with O_NOFOLLOW and renamed over the path (a rename replaces a link, it never writes through it)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class OutputError(ValueError):
    """Why a report cannot be written where asked; printed as one line, no traceback."""


def resolve(out: str | Path, default_name: str) -> Path:
    path = Path(out)
    if path.is_dir():
        # A folder the operator names (a link to one too); the file inside is checked when it is written.
        return path / default_name
    if path.is_symlink():
        raise OutputError(f"{path}: is a symbolic link; refusing to write through it")
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"{path}: folder {parent} does not exist")
    return path


def write(path: Path, data: str | bytes) -> None:
    if path.is_symlink():
        raise OutputError(f"{path}: is a symbolic link; refusing to write through it")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and not path.is_file():
        # A device or a pipe (/dev/null, /dev/stdout, a FIFO): written to, never replaced by a rename.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "wb") as f:
                f.write(raw)
        except OSError as e:
            raise OutputError(f"{path}: cannot write: {e.strerror}") from None
        return
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o640)
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {e.strerror}") from None
