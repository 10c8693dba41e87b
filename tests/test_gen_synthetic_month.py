"""The synthetic month generator writes events the schema accepts and the report reads (benchmark input)."""

from __future__ import annotations

import gzip
import json
import sys

import jsonschema
from support.proxies import ROOT

from socialguard.events import event_schema

sys.path.insert(0, str(ROOT / "scripts"))

from gen_synthetic_month import generate  # noqa: E402


def test_small_month_is_valid_and_reportable(tmp_path, capsys):
    out = tmp_path / "month"
    n = generate(out, staff=4, month="2026-02", gz=True, seed=3)
    files = sorted(out.glob("events-*.jsonl.gz"))
    assert files and n > 0
    lines = [line for f in files for line in gzip.open(f, "rt")]
    assert len(lines) == n
    schema = event_schema()
    for line in lines[:: max(1, len(lines) // 300)] + [x for x in lines if "social.flag" in x]:
        jsonschema.validate(json.loads(line), schema)
    from socialguard.cli import main

    assert main(["report", "--events", str(out), "--policy", str(ROOT / "policy"), "--from", "2026-02-01",
                 "--to", "2026-02-28", "--by", "platform", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["from"] == "2026-02-01"
