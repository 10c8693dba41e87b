"""Write `mixed.har` (a browsing session mixing 26 social platforms with ordinary work traffic) and
`mixed.expected.jsonl` (per entry: index, platform, activity, background) next to this file.

    .venv/bin/python tests/data/make_mixed_har.py [--out-dir DIR]

Entries come from `tests/support/wire_cases.py`, shuffled with a fixed seed so the file is reproducible;
`tests/test_har_accuracy.py` checks the committed files are what this script writes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from support.wire_cases import CASES  # noqa: E402

SEED = 2026
START = datetime(2026, 11, 25, 13, 0, 0, tzinfo=UTC)


def build() -> tuple[dict, list[dict]]:
    order = list(CASES)
    random.Random(SEED).shuffle(order)
    entries, expected = [], []
    for i, wire in enumerate(order):
        started = (START + timedelta(milliseconds=1700 * i)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        entries.append(wire.har_entry(started))
        platform, activity, background = wire.expect
        expected.append({"index": i, "case": wire.id, "platform": platform, "activity": activity,
                         "background": background})
    har = {"log": {"version": "1.2", "creator": {"name": "socialguard make_mixed_har", "version": "1"},
                   "pages": [], "entries": entries}}
    return har, expected


def write(out_dir: Path) -> tuple[Path, Path]:
    har, expected = build()
    out_dir.mkdir(parents=True, exist_ok=True)
    har_path, exp_path = out_dir / "mixed.har", out_dir / "mixed.expected.jsonl"
    har_path.write_text(json.dumps(har, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    exp_path.write_text("".join(json.dumps(e) + "\n" for e in expected), encoding="utf-8")
    return har_path, exp_path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=HERE)
    args = ap.parse_args()
    har_path, exp_path = write(args.out_dir)
    print(f"wrote {har_path} and {exp_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
