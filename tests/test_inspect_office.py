"""Office documents: every XML part, sensitivity labels, embedded images; bombs/encrypted/corrupt -> notices."""

import io
import zipfile

import pytest
from support import fixtures_inspect as fx

from socialguard.inspect.scanner import Scanner


@pytest.fixture(scope="module")
def scanner(policy):
    return Scanner(policy)


def found(report, kind="marker"):
    return {(f.name, f.location.split(":", 1)[-1]) for f in report.findings if f.kind == kind}


@pytest.mark.parametrize("kwargs,expected", [
    ({"body": "PROTECTED B"}, ("protected_b", "word/document.xml")),
    ({"header": "PROTÉGÉ A"}, ("protected_a", "word/header1.xml")),
    ({"footer": "CONFIDENTIAL"}, ("confidential", "word/footer1.xml")),
    ({"body": "Embargoed until 8:30 a.m., March 5, 2024"}, ("embargo", "word/document.xml")),
])
def test_docx_parts(scanner, kwargs, expected):
    assert expected in found(scanner.scan_bytes(fx.docx(**kwargs), "memo.docx"))


def test_docx_word_split_across_runs(scanner):
    import docx

    doc = docx.Document()
    p = doc.add_paragraph()
    for piece in ("PRO", "TECT", "ED ", "B"):
        p.add_run(piece).bold = piece == "TECT"
    buf = io.BytesIO()
    doc.save(buf)
    assert ("protected_b", "word/document.xml") in found(scanner.scan_bytes(buf.getvalue(), "x.docx"))


def test_xlsx_cells_and_header(scanner):
    got = found(scanner.scan_bytes(fx.xlsx(["total", "TRÈS SECRET"], header="PROTECTED C"), "book.xlsx"))
    assert {n for n, _ in got} == {"top_secret", "protected_c"}


def test_pptx_notes(scanner):
    got = found(scanner.scan_bytes(fx.pptx("Team offsite", notes="Confidentiel une fois rempli"), "deck.pptx"))
    assert any(n == "confidential_when_completed" and "notesSlide" in loc for n, loc in got)


@pytest.mark.parametrize("make", [lambda: fx.docx("ok"), lambda: fx.xlsx(["ok"]), lambda: fx.pptx("ok")])
def test_labels_in_custom_properties(scanner, make):
    report = scanner.scan_bytes(fx.with_label(make(), "Protected B"), "f.office")
    assert found(report, "label") == {("protected", "docProps/custom.xml")}
    assert report.findings[0].guideline == "2.6" and report.findings[0].file_sha256


def test_public_label_is_not_flagged(scanner):
    assert not scanner.scan_bytes(fx.with_label(fx.docx("ok"), "Public / Publique"), "f.docx").findings


def test_clean_documents(scanner):
    for data in (fx.docx("Lunch on Friday"), fx.xlsx(["1", "2"]), fx.pptx("Welcome")):
        r = scanner.scan_bytes(data, "clean")
        assert not r.findings and not r.notices


def test_zip_bomb_is_a_notice(scanner):
    r = scanner.scan_bytes(fx.zip_bomb(), "bomb.docx")
    assert [n.reason for n in r.notices] == ["zip_bomb"] and not r.findings


def test_xml_bomb_is_a_notice(scanner):
    assert [n.reason for n in scanner.scan_bytes(fx.xml_bomb_docx(), "x.docx").notices] == ["xml_bomb"]


def test_encrypted_office_is_a_notice(scanner):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000
    assert [n.reason for n in scanner.scan_bytes(ole, "locked.docx").notices] == ["encrypted"]


def test_corrupt_zip_is_a_notice(scanner):
    data = fx.docx("PROTECTED B")[:3000]
    r = scanner.scan_bytes(data, "cut.docx")
    assert r.notices and r.notices[0].reason == "corrupt"


def test_too_many_entries(policy):
    from dataclasses import replace

    p = replace(policy, inspection=replace(policy.inspection,
                                           limits=replace(policy.inspection.limits, zip_entries=10)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(20):
            z.writestr(f"word/p{i}.xml", "<a/>")
    assert [n.reason for n in Scanner(p).scan_bytes(buf.getvalue(), "many.docx").notices] == ["zip_bomb"]
