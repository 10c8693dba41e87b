"""`socialguard classify --har` over a mixed-traffic HAR (26 platforms + ordinary browsing): measured accuracy.

Runs the real CLI as a subprocess, compares (platform, activity, background) per entry with
`data/mixed.expected.jsonl`, prints the accuracy per platform and overall, and requires 100 %.
Regenerate the data with `.venv/bin/python tests/data/make_mixed_har.py`.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
SOCIALGUARD = Path(sys.executable).parent / "socialguard"
FIELDS = ("platform", "activity", "background")


def _generator():
    spec = importlib.util.spec_from_file_location("make_mixed_har", DATA / "make_mixed_har.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_har_is_what_the_generator_writes(tmp_path):
    _generator().write(tmp_path)
    assert (tmp_path / "mixed.har").read_text() == (DATA / "mixed.har").read_text()
    assert (tmp_path / "mixed.expected.jsonl").read_text() == (DATA / "mixed.expected.jsonl").read_text()


def test_mixed_har_accuracy():
    expected = [json.loads(line) for line in (DATA / "mixed.expected.jsonl").read_text().splitlines()]
    platforms = {e["platform"] for e in expected} - {None}
    assert len(expected) >= 150 and len(platforms) >= 15
    assert sum(e["platform"] is None for e in expected) >= 30

    run = subprocess.run([str(SOCIALGUARD), "classify", "--har", str(DATA / "mixed.har"), "--policy",
                          str(ROOT / "policy")], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    got = {row["index"]: row for row in map(json.loads, run.stdout.splitlines())}
    assert sorted(got) == [e["index"] for e in expected]

    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong = []
    for e in expected:
        key = e["platform"] or "(not social)"
        total[key] += 1
        g = got[e["index"]]
        if all(g[f] == e[f] for f in FIELDS):
            right[key] += 1
        else:
            wrong.append((e["index"], e["case"], tuple(e[f] for f in FIELDS), tuple(g[f] for f in FIELDS), g["rule"]))

    print(f"\n{'platform':<14} {'entries':>7} {'correct':>7} {'accuracy':>9}")
    for key in sorted(total):
        print(f"{key:<14} {total[key]:>7} {right[key]:>7} {right[key] / total[key]:>9.1%}")
    n, ok = sum(total.values()), sum(right.values())
    print(f"{'ALL':<14} {n:>7} {ok:>7} {ok / n:>9.2%}   ({len(platforms)} platforms + non-social sites)")
    for w in wrong:
        print("MISMATCH", *w)
    assert ok == n, wrong
