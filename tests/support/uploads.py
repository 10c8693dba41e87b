"""Helpers for the end-to-end upload tests: policy copies with tweaked inspection settings, event filters."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from support.proxies import ROOT


def policy_copy(dest: Path, **inspection) -> Path:
    """The shipped policy with `inspection.yaml` keys replaced (nested dicts are merged one level)."""
    shutil.copytree(ROOT / "policy", dest)
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
