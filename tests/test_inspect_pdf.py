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
