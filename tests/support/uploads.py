"""Helpers for the end-to-end upload tests: policy copies with tweaked inspection settings, event filters."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from support.proxies import ROOT


# Google's upload API host is shared by every Google API, so the shipped policy leaves its TLS alone; the
# resumable-upload tests need it decrypted (operations.yaml tls.decrypt_also).
DECRYPT_ALSO = ("www.googleapis.com",)


def policy_copy(dest: Path, **inspection) -> Path:
    """The shipped policy with `inspection.yaml` keys replaced (nested dicts are merged one level), and
    Google's upload host decrypted."""
    shutil.copytree(ROOT / "policy", dest)
    ops = dest / "operations.yaml"
    if ops.is_file():
        text = ops.read_text()
        ops.write_text(text.replace("decrypt_also: []", f"decrypt_also: [{', '.join(DECRYPT_ALSO)}]"))
    path = dest / "inspection.yaml"
    data = yaml.safe_load(path.read_text())
    for key, value in inspection.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return dest


def flags(events: list[dict], path_part: str = "") -> list[dict]:
    return [e for e in events if e["event"]["action"] == "social.flag"
            and path_part in e.get("url", {}).get("path", "") and e["socialguard"]["finding"]["kind"] != "official_reply"]


def notices(events: list[dict]) -> list[dict]:
    return [e for e in events if e["event"]["action"] == "social.inspection"]
