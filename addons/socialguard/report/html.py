"""The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched from anywhere)."""

from __future__ import annotations

from html import escape

from .build import Report
from .render import model_sentence

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WORK, TOTAL = "#c0392b", "#9db4c8"
MAX_TABLE_ROWS = 2000

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
.model{background:#f4f6f8;border-left:4px solid #4a6b8a;padding:.8em 1em}
svg.chart{display:block;margin:.5em 0;background:#fff}
svg text{font:11px system-ui,sans-serif;fill:#333}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px}
td.n{text-align:right}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
.muted{color:#666}
"""


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _legend() -> str:
    return (f'<p class="legend"><span style="background:{WORK}"></span>inside working time'
            f'<span style="background:{TOTAL}"></span>all use</p>')


def _empty(label: str) -> str:
    return (f'<svg class="chart" role="img" aria-label="{escape(label)}" width="600" height="40">'
            f'<text x="10" y="25">No data.</text></svg>')


def day_chart(series: list[tuple[str, float, float]], label: str) -> str:
    """Vertical bars per day: all use behind, working time in front."""
    if not series:
        return _empty(label)
    width, height, left, bottom = 1000, 260, 50, 40
    top = max(t for _, _, t in series) or 1
    slot = (width - left - 10) / len(series)
    bar = max(slot * 0.7, 1)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="4" y="14">{_num(top)} min</text>']
    scale = (height - bottom - 20) / top
    every = max(1, len(series) // 15)
    for i, (name, work, total) in enumerate(series):
        x = left + i * slot + (slot - bar) / 2
        for value, color in ((total, TOTAL), (work, WORK)):
            h = value * scale
            parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{color}"><title>{escape(name)}: {_num(value)} min</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 14}">{escape(name[5:])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(series: list[tuple[str, float, float]], label: str) -> str:
    """Horizontal bars per category (platform, group, guideline section)."""
    if not series:
        return _empty(label)
    series = sorted(series, key=lambda r: -r[2])[:40]
    row, left, width = 22, 170, 900
    height = row * len(series) + 10
    top = max(t for _, _, t in series) or 1
    scale = (width - left - 80) / top
    parts = [f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    for i, (name, work, total) in enumerate(series):
        y = 5 + i * row
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(name[:28])}</text>')
        for value, color, inset in ((total, TOTAL, 0), (work, WORK, 4)):
            parts.append(f'<rect x="{left}" y="{y + inset}" width="{max(value * scale, 1):.1f}" '
                         f'height="{row - 4 - 2 * inset}" fill="{color}"><title>{escape(name)}: {_num(value)}</title></rect>')
        parts.append(f'<text x="{left + total * scale + 6:.1f}" y="{y + 14}">{_num(total)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def heat_map(heat: list[list[float]], label: str) -> str:
    cell, left, top_margin = 34, 40, 20
    width, height = left + 24 * cell + 10, top_margin + 7 * cell + 10
    top = max(max(r) for r in heat) or 1
    parts = [f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    for h in range(24):
        parts.append(f'<text x="{left + h * cell + 10}" y="14">{h:02d}</text>')
    for d, name in enumerate(WEEKDAYS):
        y = top_margin + d * cell
        parts.append(f'<text x="4" y="{y + 21}">{name}</text>')
        for h in range(24):
            v = heat[d][h]
            shade = int(255 - 200 * (v / top)) if v else 250
            parts.append(f'<rect x="{left + h * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                         f'fill="rgb(255,{shade},{shade})" stroke="#eee"><title>{name} {h:02d}:00: {_num(v)} min'
                         f'</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def _table(report: Report) -> str:
    who = "user" if report.by == "user" else "group"
    head = "".join(f"<th>{c}</th>" for c in ("date", who, "platform", "working minutes", "total minutes"))
    body = "".join(
        f'<tr><td>{r["date"]}</td><td>{escape(str(r[who]))}</td><td>{escape(r["platform"])}</td>'
        f'<td class="n">{r["working_minutes"]}</td><td class="n">{r["total_minutes"]}</td></tr>'
        for r in report.rows[:MAX_TABLE_ROWS])
    more = (f'<p class="muted">{len(report.rows) - MAX_TABLE_ROWS} more rows in the CSV or JSON report.</p>'
            if len(report.rows) > MAX_TABLE_ROWS else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def render_html(report: Report) -> str:
    entity = {"group": "group", "user": "person", "platform": "platform"}[report.by]
    flags = [(s, float(n), float(n)) for s, n in report.flags.items()]
    privacy = ("Per-person report (audited" + (", pseudonymised" if report.pseudonymised else "") + ")."
               if report.individual else
               f"Group-level report: groups with fewer people than the privacy threshold are not shown"
               f"{f' ({report.hidden_groups} hidden)' if report.hidden_groups else ''}.")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Social media use {report.first} to {report.last}</title><style>{CSS}</style></head>
<body>
<h1>Social media use, {report.first} to {report.last}</h1>
<p>Per {report.period}, by {report.by}; {report.people} people. {escape(privacy)}</p>
<div class="model"><strong>How minutes are counted.</strong> {escape(model_sentence(report))}
Times are real elapsed time in {escape(report.model["time_zone"])}, booked on the local date; figures are
rounded only for display.</div>
{_legend()}
<h2>Minutes per day</h2>
{day_chart(report.per_day, "Minutes per day")}
<h2>Minutes per platform</h2>
{bar_chart(report.per_platform, "Minutes per platform")}
<h2>Minutes per {entity}</h2>
{bar_chart(report.per_entity, f"Minutes per {entity}")}
<h2>All use by hour and weekday</h2>
{heat_map(report.heat, "Minutes by hour and weekday")}
<h2>Flags per guideline section</h2>
{bar_chart(flags, "Flags per guideline section")}
<h2>Figures</h2>
{_table(report)}
</body></html>
"""
