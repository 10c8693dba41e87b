"""PDF: text layer per page, images for logos, labels in metadata; encrypted/corrupt -> notices."""

import io
import random

import pytest
from support import fixtures_inspect as fx

from socialguard.inspect.scanner import Scanner


@pytest.fixture(scope="module")
def scanner(policy):
    return Scanner(policy)


def test_text_layer_per_page(scanner):
    r = scanner.scan_bytes(fx.pdf(["Agenda for Monday", "PROTECTED B", "Sous embargo jusqu'au 5 mars 2024"]),
                           "deck.pdf")
    got = {(f.name, f.location) for f in r.findings}
    assert got == {("protected_b", "deck.pdf:page 2"), ("embargo", "deck.pdf:page 3")}


def test_clean_pdf(scanner):
    r = scanner.scan_bytes(fx.pdf(["Team lunch on Friday at noon."]), "lunch.pdf")
    assert not r.findings and not r.notices


def test_pdf_image_with_logo(scanner):
    rng = random.Random(3)
    page, _ = fx.place_logo(fx.signature(), fx.background((1000, 700), rng, "flat"), rng, width_fraction=0.6)
    r = scanner.scan_bytes(fx.pdf(["Our community event"], image=fx.jpeg(page, 85)), "flyer.pdf")
    logos = [f for f in r.findings if f.kind == "logo"]
    assert {f.name for f in logos} == {"signature_standin"} and logos[0].location.startswith("flyer.pdf:page 1:")
    assert logos[0].bbox is not None and logos[0].guideline == "2.3"


def test_encrypted_pdf_is_a_notice(scanner):
    from fpdf import FPDF

    doc = FPDF()
    doc.set_encryption(owner_password="owner", user_password="user")
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(0, 10, "PROTECTED B")
    r = scanner.scan_bytes(bytes(doc.output()), "locked.pdf")
    assert [n.reason for n in r.notices] == ["encrypted"] and not r.findings


def test_corrupt_pdf_is_a_notice(scanner):
    r = scanner.scan_bytes(b"%PDF-1.7\n" + b"garbage" * 100, "bad.pdf")
    assert r.notices and r.notices[0].reason == "corrupt"


def test_page_limit(policy):
    from dataclasses import replace

    p = replace(policy, inspection=replace(policy.inspection, limits=replace(policy.inspection.limits, pages=2)))
    r = Scanner(p).scan_bytes(fx.pdf(["a", "b", "SECRET"]), "long.pdf")
    assert not r.findings and [n.reason for n in r.notices] == ["too_many_pages"]


def test_pdf_label_in_metadata(scanner):
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(fx.pdf(["hello"]))))
    w.add_metadata({"/MSIP_Label_3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b_Name": "Protected B"})
    buf = io.BytesIO()
    w.write(buf)
    r = scanner.scan_bytes(buf.getvalue(), "labelled.pdf")
    assert [(f.kind, f.name) for f in r.findings] == [("label", "protected")]


def test_padded_pdf_past_pypdf_limit_is_a_notice_and_read_by_ocr(scanner):
    """Issue 14: a page whose content stream inflates past pypdf's limit was skipped silently."""
    from socialguard.inspect.detect.ocr import tesseract_languages

    r = scanner.scan_bytes(fx.padded_pdf("TOP SECRET"), "padded.pdf")
    assert [(n.reason, n.location) for n in r.notices] == [("too_large", "padded.pdf:page 1")]
    assert "text layer not read" in r.notices[0].detail
    assert tesseract_languages(), "tesseract is part of the test set-up"
    assert {(f.name, f.location) for f in r.findings} == {("top_secret", "padded.pdf:page 1:render:ocr")}


def test_scan_json_reports_the_padded_pdf_as_an_error(tmp_path):
    import json
    import subprocess
    import sys

    path = tmp_path / "padded.pdf"
    path.write_bytes(fx.padded_pdf("TOP SECRET"))
    out = subprocess.run([sys.executable, "-m", "socialguard.cli", "scan", "--json", str(path)],
                         capture_output=True, text=True, timeout=240)
    result = json.loads(out.stdout.splitlines()[0])
    assert [e["reason"] for e in result["errors"]] == ["too_large"]
    assert out.returncode == 1


def test_broken_page_is_a_notice_not_silence(scanner):
    pdf = fx.raw_pdf(b"BT /F1 24 Tf 72 700 Td (PROTECTED B) Tj ET\n")
    broken = pdf.replace(b"/Filter /FlateDecode", b"/Filter /LZWDecode")     # a stream that cannot decode
    r = scanner.scan_bytes(broken, "broken.pdf")
    assert r.notices and all(n.location.startswith("broken.pdf") for n in r.notices)


def test_logo_drawn_as_vectors_is_found_by_rendering(policy, tmp_path):
    import shutil
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from detect_eval import marks

    from socialguard.policy import load_policy
    from support.proxies import ROOT

    shutil.copytree(ROOT / "policy", tmp_path / "p")
    shutil.rmtree(tmp_path / "p" / "logos")
    marks.write_references(tmp_path / "p" / "logos")
    s = Scanner(load_policy(tmp_path / "p"))
    body = b"BT /F1 11 Tf 72 760 Td (Newsletter) Tj ET\n"
    flag = fx.raw_pdf(body + marks.pdf_flag_ops(150, 400, 180))
    r = s.scan_bytes(flag, "flag.pdf")
    [f] = [f for f in r.findings if f.kind == "logo"]
    assert (f.name, f.location) == ("flag_symbol", "flag.pdf:page 1:render")
    # Rendered at 150 dpi: the page is 1275 px wide, the flag 180 pt = 375 px wide at x = 150 pt = 312 px.
    x, y, w, h = f.bbox
    assert abs(x - 312) < 15 and abs(w - 375) < 20
    word = fx.raw_pdf(body + marks.pdf_wordmark_ops(100, 400, 72, with_flag=False))
    assert not [f for f in s.scan_bytes(word, "word.pdf").findings if f.kind == "logo"]
    bars = fx.raw_pdf(body + marks.pdf_flag_ops(150, 400, 180, centre=False))
    assert not [f for f in s.scan_bytes(bars, "bars.pdf").findings if f.kind == "logo"]


def test_render_budget_is_a_notice(policy):
    from dataclasses import replace

    p = replace(policy, inspection=replace(policy.inspection,
                                           limits=replace(policy.inspection.limits, render_pages=1),
                                           ocr=replace(policy.inspection.ocr, enabled=False)))
    r = Scanner(p).scan_bytes(fx.pdf(["a", "b", "c"]), "three.pdf")
    assert [n.reason for n in r.notices] == ["render_budget"] and "pages 2-3" in r.notices[0].detail
