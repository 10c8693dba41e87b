"""A printable copy: the HTML report printed to PDF by headless Chromium (Debian's /usr/bin/chromium through
Playwright; nothing is downloaded). The report's print CSS keeps charts and table rows whole and repeats table
headings on every page; every request other than the report file itself is refused."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("SOCIALGUARD_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-extensions"]


class PdfError(RuntimeError):
    pass


def html_to_pdf(html: str, *, executable: str = CHROMIUM) -> bytes:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as e:                                  # the `pdf` extra is not installed
        raise PdfError(f"PDF output needs playwright ({e})") from None
    if not Path(executable).exists():
        raise PdfError(f"PDF output needs Chromium at {executable} (set SOCIALGUARD_CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="socialguard-pdf-") as tmp:
        page_file = Path(tmp) / "report.html"
        page_file.write_text(html, encoding="utf-8")
        uri = page_file.as_uri()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=executable, args=ARGS)
                try:
                    page = browser.new_page()
                    page.route("**/*", lambda route: route.continue_() if route.request.url == uri else route.abort())
                    page.goto(uri)
                    page.emulate_media(media="print")
                    return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
                finally:
                    browser.close()
        except PlaywrightError as e:
            raise PdfError(f"Chromium could not print the report: {str(e).splitlines()[0]}") from None
