"""`socialguard scan [--policy DIR] [--json] FILE...`: the proxy's detectors on files."""

import hashlib
import json
import random
import subprocess
import sys

from support import fixtures_inspect as fx
from support.proxies import ROOT

SCAN = [sys.executable, "-m", "socialguard.cli", "scan", "--policy", str(ROOT / "policy")]


def run(*args):
    return subprocess.run([*SCAN, *map(str, args)], capture_output=True, text=True, timeout=120)


def test_json_one_object_per_file(tmp_path):
    rng = random.Random(1)
    im, _ = fx.place_logo(fx.flag_symbol(), fx.background((900, 600), rng, "flat"), rng, width_fraction=0.4)
    files = {
        "memo.docx": fx.with_label(fx.docx("Hello", header="PROTECTED B"), "Protected B"),
        "flyer.jpg": fx.jpeg(im),
        "notes.txt": b"lunch at noon",
        "bomb.docx": fx.zip_bomb(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    p = run("--json", *(tmp_path / n for n in files))
    assert p.returncode == 1, p.stderr
    out = {json.loads(line)["file"].rsplit("/", 1)[-1]: json.loads(line) for line in p.stdout.splitlines()}
    assert set(out) == set(files)
    memo = out["memo.docx"]
    assert memo["sha256"] == hashlib.sha256(files["memo.docx"]).hexdigest()
    assert {(f["kind"], f["name"], f["guideline"]) for f in memo["findings"]} == \
        {("marker", "protected_b", "2.6"), ("label", "protected", "2.6")}
    [logo] = [f for f in out["flyer.jpg"]["findings"] if f["kind"] == "logo"]
    assert logo["name"] == "flag_symbol_standin" and len(logo["bbox"]) == 4 and 0 < logo["confidence"] <= 1
    assert out["notes.txt"]["findings"] == [] and out["notes.txt"]["errors"] == []
    assert [e["reason"] for e in out["bomb.docx"]["errors"]] == ["zip_bomb"]


def test_text_output_and_exit_codes(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("protected bike lanes")
    p = run(clean)
    assert p.returncode == 0 and "nothing found" in p.stdout
    marked = tmp_path / "marked.csv"
    marked.write_text("id,note\n1,CONFIDENTIEL\n")
    p = run(marked)
    assert p.returncode == 1 and "confidential" in p.stdout and "CONFIDENTIEL" not in p.stdout
    assert run(tmp_path / "missing.pdf").returncode == 2
