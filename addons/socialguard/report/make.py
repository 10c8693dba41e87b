"""A report with its comparison: the current range, the previous one and (when there are events for it) the same
range a year earlier, each built by `build` from events a loader reads. The loader is the seam with the event
readers (DuckDB today, Spark): `load(first, last) -> EventData` for local dates [first, last]."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from ..policy import Policy
from . import comparison
from .build import Options, Report, build
from .source import EventData

Loader = Callable[[date, date], EventData]


def make_report(policy: Policy, opts: Options, load: Loader, *, pseudonym: Callable[[str], str] | None = None,
                has_events: Callable[[date, date], bool] = lambda _a, _b: True, compare: bool = True) -> Report:
    report = build(policy, load(opts.first, opts.last), opts, pseudonym=pseudonym)
    if not compare:
        return report

    def earlier(span: tuple[date, date]) -> Report:
        o = replace(opts, first=span[0], last=span[1])
        return build(policy, load(*span), o, pseudonym=pseudonym)

    previous = earlier(comparison.previous_range(opts.first, opts.last))
    year_span = comparison.year_earlier_range(opts.first, opts.last)
    year = earlier(year_span) if has_events(*year_span) else None
    report.comparison = comparison.compare(report, previous, year)
    return report


FORMATS = ("html", "csv", "md", "json", "pdf")


def render(report: Report, fmt: str, langs: tuple, top_n: int) -> str | bytes:
    """One report in one format and the given languages (`pdf` prints the HTML report)."""
    from .html import render_html
    from .render import render_csv, render_json, render_markdown

    if fmt == "pdf":
        from .pdf import html_to_pdf

        return html_to_pdf(render_html(report, langs, top_n))
    if fmt == "html":
        return render_html(report, langs, top_n)
    if fmt == "md":
        return render_markdown(report, langs, top_n)
    if fmt == "csv":
        return render_csv(report, langs)
    return render_json(report, langs)
