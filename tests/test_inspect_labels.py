"""Sensitivity labels (issue 13): only an enabled MSIP label with a name is a label; a disabled one, benign
names and custom properties that are not labels are not. Office packages and PDF metadata alike."""

import io
import zipfile

import pytest
from support import fixtures_inspect as fx

from socialguard.inspect.extract.labels import enabled_label_names
from socialguard.inspect.scanner import Scanner

GUID = "3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b"
OTHER = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def custom_xml(props: dict[str, str]) -> bytes:
    body = "".join(f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i + 2}" name="{k}">'
                   f"<vt:lpwstr>{v}</vt:lpwstr></property>" for i, (k, v) in enumerate(props.items()))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats'
            '.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/docPropsVTypes">{body}</Properties>').encode()


def docx_with(custom: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(fx.docx("Quarterly notes")))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "docProps/custom.xml":
                out.writestr(info, src.read(info))
        out.writestr("docProps/custom.xml", custom)
    return buf.getvalue()


@pytest.fixture(scope="module")
def scanner(policy):
    return Scanner(policy)


def labels(scanner, data, name="x.docx"):
    return {f.name for f in scanner.scan_bytes(data, name).findings if f.kind == "label"}


def test_enabled_label_is_reported(scanner):
    props = {f"MSIP_Label_{GUID}_Enabled": "true", f"MSIP_Label_{GUID}_Name": "Protected B",
             f"MSIP_Label_{GUID}_Method": "Standard"}
    assert labels(scanner, docx_with(custom_xml(props))) == {"protected"}


@pytest.mark.parametrize("props", [
    {f"MSIP_Label_{GUID}_Enabled": "false", f"MSIP_Label_{GUID}_Name": "Protected B"},        # disabled
    {f"MSIP_Label_{GUID}_Name": "Protected B", f"MSIP_Label_{GUID}_Enabled": "False"},        # any order, case
    {f"MSIP_Label_{GUID}_Enabled": "true", f"MSIP_Label_{GUID}_Name": "Unclassified"},        # benign
    {f"MSIP_Label_{GUID}_Enabled": "true", f"MSIP_Label_{GUID}_Name": "Public"},
    {f"MSIP_Label_{GUID}_Enabled": "true", f"MSIP_Label_{GUID}_Name": "Non classifié"},
    {"Classification": "Protected B", "MSIP_Label_Name": "Secret", f"Label_{GUID}_Name": "Secret"},  # not labels
    {f"MSIP_Label_{GUID}_Name_backup": "Protected B", f"msip_label_{GUID}_name ": ""},
])
def test_not_a_label(scanner, props):
    assert labels(scanner, docx_with(custom_xml(props))) == set()


def test_one_disabled_label_does_not_hide_another(scanner):
    props = {f"MSIP_Label_{GUID}_Enabled": "false", f"MSIP_Label_{GUID}_Name": "Protected B",
             f"MSIP_Label_{OTHER}_Enabled": "true", f"MSIP_Label_{OTHER}_Name": "Confidential"}
    assert labels(scanner, docx_with(custom_xml(props))) == {"confidential"}


def test_damaged_custom_properties_are_a_notice(scanner):
    r = scanner.scan_bytes(docx_with(b"<Properties><property name='x'>"), "x.docx")
    assert [n.reason for n in r.notices] == ["corrupt"] and "custom properties" in r.notices[0].detail


def test_hostile_property_values_are_bounded():
    long = "Protected B " + "x" * 100_000
    assert enabled_label_names([(f"MSIP_Label_{GUID}_Name", long)]) == [long[:200].strip()]
    assert enabled_label_names([("MSIP_Label_" + "0" * 10_000 + "_Name", "Secret")]) == []


def test_pdf_metadata_label_needs_to_be_enabled(scanner):
    from pypdf import PdfReader, PdfWriter

    def pdf_with(meta):
        w = PdfWriter(clone_from=PdfReader(io.BytesIO(fx.pdf(["Team notes"]))))
        w.add_metadata(meta)
        buf = io.BytesIO()
        w.write(buf)
        return buf.getvalue()

    on = {f"/MSIP_Label_{GUID}_Name": "Secret", f"/MSIP_Label_{GUID}_Enabled": "true"}
    off = {f"/MSIP_Label_{GUID}_Name": "Secret", f"/MSIP_Label_{GUID}_Enabled": "false"}
    assert labels(scanner, pdf_with(on), "on.pdf") == {"confidential"}
    assert labels(scanner, pdf_with(off), "off.pdf") == set()
