"""The HTML report: one self-contained file (inline CSS and SVG, nothing fetched from anywhere). Tables are plain
HTML that reads without script; one small inline script (allowed by the page's CSP through its hash, and no other)
makes the column headings sort. Print CSS keeps charts and table rows whole and repeats table headings on each
page, for the PDF (pdf.py)."""

from __future__ import annotations

import base64
import hashlib
from datetime import date

from .build import Report
from .i18n import Lang, Texts
from .render import (COMPARISON_COLUMNS, comparison_ranges, comparison_rows, entity_label, model_sentence,
                     privacy_sentence, summary_sentence, title)
from .safe import clean, html_text
from .tables import figure_rows, top_with_others

WORK, TOTAL, OTHERS = "#c0392b", "#9db4c8", "#7f8c8d"

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
.model{background:#f4f6f8;border-left:4px solid #4a6b8a;padding:.8em 1em}
.note{background:#fff6e0;border-left:4px solid #d4a017;padding:.5em 1em}
svg.chart{display:block;margin:.5em 0;background:#fff;max-width:100%;height:auto}
svg text{font:11px system-ui,sans-serif;fill:#333}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px}
th{background:#eef1f4;text-align:left}th[aria-sort]{cursor:pointer}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.others td{font-style:italic;background:#f7f7f7}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
.muted{color:#666}section.lang+section.lang{border-top:3px double #999;margin-top:3em}
@page{size:A4;margin:12mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:11px}h2{break-after:avoid}
 svg.chart,.model,.legend{break-inside:avoid}tr{break-inside:avoid}thead{display:table-header-group}
 .sort-hint{display:none}section.lang+section.lang{break-before:page;border:0}}
"""

# Sorting on a heading click: numbers by their data-v value, text by locale order. Rows marked `pin` (the
# "others" and total rows) stay at the bottom. Without script the table is complete, only unsorted.
SORT_SCRIPT = """document.querySelectorAll("table.sortable").forEach(function(t){
var h=t.tHead.rows[0].cells,b=t.tBodies[0];t.previousElementSibling.hidden=false;
Array.prototype.forEach.call(h,function(th,i){var asc=false;th.tabIndex=0;th.setAttribute("aria-sort","none");
function sort(){asc=!asc;Array.prototype.forEach.call(h,function(o){o.setAttribute("aria-sort","none")});
th.setAttribute("aria-sort",asc?"ascending":"descending");var rows=Array.prototype.slice.call(b.rows);
var pinned=rows.filter(function(r){return r.classList.contains("pin")});
rows=rows.filter(function(r){return !r.classList.contains("pin")});
rows.sort(function(x,y){var a=x.cells[i],c=y.cells[i],va=a.dataset.v,vc=c.dataset.v;
var r=(va!==undefined&&vc!==undefined)?(parseFloat(va)-parseFloat(vc)):a.textContent.localeCompare(c.textContent);
return asc?r:-r});rows.concat(pinned).forEach(function(r){b.appendChild(r)})}
th.addEventListener("click",sort);th.addEventListener("keydown",function(e){
if(e.key==="Enter"||e.key===" "){e.preventDefault();sort()}})})});"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode()).digest()).decode()
CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'"


def _legend(t: Texts) -> str:
    return (f'<p class="legend"><span style="background:{WORK}"></span>{t("legend.working")}'
            f'<span style="background:{TOTAL}"></span>{t("legend.total")}</p>')


def _svg_open(label: str, width: int, height: int) -> str:
    return (f'<svg class="chart" role="img" aria-label="{html_text(label)}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">')


def _empty(label: str, t: Texts) -> str:
    return f'{_svg_open(label, 600, 40)}<text x="10" y="25">{t("chart.empty")}</text></svg>'


def day_chart(series: list[tuple[str, float, float]], label: str, t: Texts) -> str:
    """Vertical bars per day: all use behind, working time in front."""
    if not series:
        return _empty(label, t)
    width, height, left, bottom = 1000, 260, 60, 40
    top = max(tot for _, _, tot in series) or 1
    slot = (width - left - 10) / len(series)
    bar = max(slot * 0.7, 1)
    parts = [_svg_open(label, width, height),
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="4" y="14">{t("chart.min", value=t.num(top, 0))}</text>']
    scale = (height - bottom - 20) / top
    every = max(1, len(series) // 15)
    for i, (name, work, total) in enumerate(series):
        x = left + i * slot + (slot - bar) / 2
        day = t.short_date(date.fromisoformat(name))
        sep = "\u00a0:" if t.lang == "fr" else ":"
        for value, color in ((total, TOTAL), (work, WORK)):
            h = value * scale
            parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{color}"><title>{day}{sep} {t("chart.min", value=t.num(value))}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 14}">{day}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(series: list[tuple[str, float, float]], label: str, t: Texts, top_n: int,
              name=lambda s: s, digits: int = 1) -> str:
    """Horizontal bars, the top `top_n` by total and one "N others" bar for the rest."""
    if not series:
        return _empty(label, t)
    top, others = top_with_others(series, top_n)
    bars: list[tuple[str, float, float, str]] = [(name(n), w, tot, TOTAL) for n, w, tot in top]
    if others:
        bars.append((t("row.others", n=t.num(others.count, 0)), others.working, others.total, OTHERS))
    row, left, width = 22, 190, 900
    height = row * len(bars) + 10
    peak = max(b[2] for b in bars) or 1
    scale = (width - left - 80) / peak
    parts = [_svg_open(label, width, height)]
    for i, (text, work, total, color) in enumerate(bars):
        y = 5 + i * row
        short = text if len(text) <= 28 else text[:27] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{html_text(short)}</text>')
        for value, fill, inset in ((total, color, 0), (work, WORK, 4)):
            parts.append(f'<rect x="{left}" y="{y + inset}" width="{max(value * scale, 1):.1f}" '
                         f'height="{row - 4 - 2 * inset}" fill="{fill}"><title>{html_text(text)}: '
                         f'{t.num(value, digits)}</title></rect>')
        parts.append(f'<text x="{left + total * scale + 6:.1f}" y="{y + 14}">{t.num(total, digits)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def heat_map(heat: list[list[float]], label: str, t: Texts) -> str:
    cell, left, top_margin = 34, 40, 20
    width, height = left + 24 * cell + 10, top_margin + 7 * cell + 10
    top = max(max(r) for r in heat) or 1
    parts = [_svg_open(label, width, height)]
    for h in range(24):
        parts.append(f'<text x="{left + h * cell + 10}" y="14">{h:02d}</text>')
    for d, name in enumerate(t.weekdays()):
        y = top_margin + d * cell
        parts.append(f'<text x="4" y="{y + 21}">{html_text(name)}</text>')
        for h in range(24):
            v = heat[d][h]
            shade = int(255 - 200 * (v / top)) if v else 250
            parts.append(f'<rect x="{left + h * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                         f'fill="rgb(255,{shade},{shade})" stroke="#eee"><title>{html_text(name)} {h:02d}:00 '
                         f'{t("chart.min", value=t.num(v))}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def _num_cell(value: float | None, t: Texts, text: str | None = None) -> str:
    if value is None:
        return f'<td class="n">{t("na")}</td>'
    return f'<td class="n" data-v="{value:.6g}">{text if text is not None else t.num(value)}</td>'


def _table(head: list[str], body: list[str], t: Texts) -> str:
    """A sortable table; the hint above it is hidden until the script runs (nothing promises sorting without)."""
    ths = "".join(f"<th>{h}</th>" for h in head)
    return (f'<p class="muted sort-hint" hidden>{t("sort.hint")}</p><table class="sortable"><thead><tr>{ths}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table>')


def _figures(report: Report, t: Texts, top_n: int) -> str:
    who, table = figure_rows(report, top_n)
    body = []
    for r in table:
        others = r[who] is None
        to = t.date(date.fromisoformat(r["to"]), "short") + (f' ({t("row.partial")})' if r["partial"] else "")
        body.append(f'<tr{" class=\"others pin\"" if others else ""}>'
                    f'<td data-v="{date.fromisoformat(r["date"]).toordinal()}">'
                    f'{t.date(date.fromisoformat(r["date"]), "short")}</td><td>{to}</td>'
                    f'<td>{html_text(entity_label(report, r[who], t, r.get("others", 0)))}</td>'
                    f'{_num_cell(r["working_minutes"], t)}{_num_cell(r["total_minutes"], t)}</tr>')
    note = (f'<p class="muted">{t("truncated", n=top_n, rows=t.num(len(report.rows), 0))}</p>'
            if any(r[who] is None for r in table) else "")
    head = [t("col.date"), t("col.to"), t(f"col.{who}"), t("col.working_minutes"), t("col.total_minutes")]
    return note + _table(head, body, t)


def _categories(report: Report, t: Texts) -> str:
    body = [f'<tr><td>{t(f"category.{c}")}</td>{_num_cell(w, t)}{_num_cell(tot, t)}</tr>'
            for c, w, tot in report.per_category]
    return _table([t("col.category"), t("col.working_minutes"), t("col.total_minutes")], body, t)


def _comparison(report: Report, t: Texts) -> str:
    c = report.comparison
    if c is None:
        return ""
    rows = comparison_rows(c, t, lambda s: entity_label(report, s, t))  # type: ignore[arg-type]
    lines = [*c.lines, c.total]  # type: ignore[attr-defined]
    body = []
    for line, cells in zip(lines, rows):
        values = [None, line.people, line.working, line.previous, line.change_ratio, line.average,
                  line.previous_average, line.share, line.year_ago]
        tds = [f"<td>{html_text(cells[0])}</td>"] + [_num_cell(v, t, cells[i + 1])
                                                     for i, v in enumerate(values[1:])]
        body.append(f'<tr{" class=\"pin\"" if line is c.total else ""}>{"".join(tds)}</tr>')
    ranges = comparison_ranges(c, t, report.model["guideline"])
    return (f'<h2>{t("h.comparison")}</h2><p>{html_text(ranges, None)} '
            f'{t("comparison.avg_hidden", k=report.k)}</p>'
            + _table([t(k) for k in COMPARISON_COLUMNS], body, t))


def _section(report: Report, lang: Lang, top_n: int) -> str:
    t = Texts(lang)
    entity = t(f"by.{report.by}")
    flags = [(s, float(n), float(n)) for s, n in report.flags.items()]
    notes = "".join(f'<p class="note">{html_text(t(n), None)}</p>' for n in report.notes)
    heading = title(report, t)
    return f"""<section class="lang" lang="{lang}">
<h1>{html_text(heading)}</h1>
<p>{html_text(summary_sentence(report, t), None)} {html_text(privacy_sentence(report, t), None)}</p>
{notes}<div class="model"><strong>{t("model.heading")}</strong> {html_text(model_sentence(report, lang), None)}
{html_text(t("model.times", zone=report.model["time_zone"]), None)}</div>
{_legend(t)}
<h2>{t("h.per_day")}</h2>
{day_chart(report.per_day, t("h.per_day"), t)}
<h2>{t("h.categories")}</h2>
{_categories(report, t)}
{_comparison(report, t)}
<h2>{t("h.per_platform")}</h2>
{bar_chart(report.per_platform, t("h.per_platform"), t, top_n)}
<h2>{html_text(t("h.per_entity", entity=entity))}</h2>
{bar_chart(report.per_entity, t("h.per_entity", entity=entity), t, top_n, lambda s: entity_label(report, s, t))}
<h2>{t("h.heat")}</h2>
{heat_map(report.heat, t("h.heat"), t)}
<h2>{t("h.flags")}</h2>
{bar_chart(flags, t("h.flags"), t, top_n, digits=0)}
<h2>{t("h.figures")}</h2>
{_figures(report, t, top_n)}
</section>"""


def render_html(report: Report, langs: tuple[Lang, ...] = ("en",), top_n: int = 20) -> str:
    first = Texts(langs[0])
    return f"""<!doctype html>
<html lang="{langs[0]}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{html_text(clean(title(report, first)))}</title><style>{CSS}</style></head>
<body>
{"".join(_section(report, lang, top_n) for lang in langs)}
<script>{SORT_SCRIPT}</script>
</body></html>
"""


__all__ = ["render_html", "SCRIPT_HASH"]
