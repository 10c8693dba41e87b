"""The printable copy and the screenshots: the HTML report in headless Chromium (English, French) and its PDF
printed by Chromium, whose long tables break between rows with their heading repeated on every page. The PNGs are
kept in test-artifacts/ (docs/img/ holds copies shown in docs/reports.md)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from support.report_events import activity, flag, write_events
from support.worktime import WEDNESDAY, at, policy_copy

from socialguard.cli import main as cli

pytestmark = pytest.mark.browser
GROUPS = ["economics", "finance", "legal", "policy", "communications", "research", "operations", "audit"]
FIRST = WEDNESDAY - timedelta(days=9)          # Mon 16 Nov .. Wed 25 Nov, a comparison week before


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    evs = []
    for d in range(-7, 10):
        day = FIRST + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for g, group in enumerate(GROUPS):
            for i in range(5 + g % 3):
                user = f"{group[:3]}{i}"
                n = (g * 7 + i * 3 + d) % 9 + 1
                cat = "official" if group == "communications" and i < 2 else "personal"
                evs += [activity(user, group, ("x", "linkedin", "youtube")[(i + d) % 3], at(9 + g % 4, m, day=day),
                                 flow=f"{user}{d}{m}", category=cat) for m in range(n)]
                if (i + d) % 11 == 0:
                    evs.append(flag(user, group, "x", at(14, 0, day=day), ("2.3", "2.6", "1")[(i + d) % 3]))
    write_events(tmp / "ev", evs)
    return tmp / "ev", policy_copy(tmp / "policy", reports="k_anonymity: 5\npseudonym_key_file: k/p.key\n")


def make(setup, tmp_path, fmt, lang, *extra):
    events, policy = setup
    out = tmp_path / f"report-{lang}.{fmt}"
    assert cli(["report", "--events", str(events), "--policy", str(policy), "--from", str(FIRST), "--to",
                str(WEDNESDAY), "--format", fmt, "--lang", lang, "--out", str(out), *extra]) == 0
    return out


def test_screenshots_in_english_and_french(setup, tmp_path, artifacts):
    playwright = pytest.importorskip("playwright.sync_api")
    pages = {lang: make(setup, tmp_path, "html", lang, "--top", "6") for lang in ("en", "fr")}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            for lang, path in pages.items():
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                requests: list[str] = []
                page.on("request", lambda r: requests.append(r.url))
                errors: list[str] = []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto(path.as_uri())
                assert requests == [path.as_uri()] and errors == []        # nothing fetched, CSP allows the script
                assert page.get_attribute("html", "lang") == lang
                assert len(page.query_selector_all("svg.chart")) == 5
                others = "2 others" if lang == "en" else "2 autres"
                assert others in page.inner_text("body")                   # 8 groups, top 6
                page.screenshot(path=str(artifacts / f"report-{lang}.png"), full_page=True)
                page.close()
        finally:
            browser.close()


def test_pdf_keeps_table_rows_whole_and_repeats_headings(setup, tmp_path, artifacts):
    pypdf = pytest.importorskip("pypdf")
    pdfium = pytest.importorskip("pypdfium2")
    path = make(setup, tmp_path, "pdf", "en", "--top", "8")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(path)
    texts = [pg.extract_text() for pg in reader.pages]
    assert len(texts) >= 3
    # The figures table (8 groups x 8 working days = 64 rows) runs over pages: every page that holds its rows
    # starts them under a repeated heading, and every row's cells sit on one page.
    row = re.compile(r"^\d{4}-\d{2}-\d{2} \d{4}-\d{2}-\d{2} \S+ [\d.,]+ [\d.,]+$", re.M)
    pages_with_rows = [(i, t) for i, t in enumerate(texts) if row.search(t)]
    assert len(pages_with_rows) >= 2
    for _i, t in pages_with_rows:
        first = row.search(t).start()
        assert t[:first].rstrip().endswith("date to group working minutes total minutes"), t[:first][-200:]
    total_rows = sum(len(row.findall(t)) for _i, t in pages_with_rows)
    assert total_rows == 8 * 8
    doc = pdfium.PdfDocument(str(path))
    doc[0].render(scale=1.5).to_pil().save(artifacts / "report-pdf-page1.png")


def test_pdf_without_chromium_is_a_clean_error(setup, tmp_path, monkeypatch, capsys):
    import socialguard.report.pdf as pdf

    monkeypatch.setattr(pdf, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(pdf.html_to_pdf, "__kwdefaults__", {"executable": str(tmp_path / "no-chromium")})
    events, policy = setup
    code = cli(["report", "--events", str(events), "--policy", str(policy), "--from", str(WEDNESDAY), "--to",
                str(WEDNESDAY), "--format", "pdf", "--out", str(tmp_path / "r.pdf")])
    err = capsys.readouterr().err
    assert code == 1 and "needs Chromium" in err and "Traceback" not in err and not (tmp_path / "r.pdf").exists()
