"""Report renderers: JSON (machines), CSV (spreadsheets), Markdown (e-mail); HTML lives in `html.py`."""

from __future__ import annotations

import csv
import io
import json

from .build import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


def _columns(report: Report) -> list[str]:
    who = "user" if report.by == "user" else "group"
    return ["date", who, "platform", "working_minutes", "total_minutes"]


def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_columns(report), lineterminator="\n")
    writer.writeheader()
    writer.writerows(report.rows)
    return out.getvalue()


def model_sentence(report: Report) -> str:
    m = report.model
    breaks = ", ".join(m["breaks"]) or "none"
    return (f"Working time is {', '.join(m['working_days'])} {m['working_hours']} ({m['time_zone']}) minus lunch "
            f"{m['lunch'] or 'none'} and breaks {breaks}, except public holidays ({m['holidays']}) and leave"
            f"{'; other schedules: ' + ', '.join(m['other_schedules']) if m['other_schedules'] else ''}. "
            f"Only foreground requests count. Requests on one platform no more than {m['idle_gap_seconds']:g} s "
            f"apart form one session, which lasts until {m['tail_seconds']:g} s after its last request; a "
            f"person's time on all platforms is the union of their sessions (overlaps count once). Working-time "
            f"use is the part of the sessions inside working time (guideline 2.7).")


def render_markdown(report: Report) -> str:
    cols = _columns(report)
    lines = [f"# Social media use, {report.first} to {report.last}", "",
             f"Per {report.period}, by {report.by}; {report.people} people"
             + (f"; {report.hidden_groups} groups under the privacy threshold not shown" if report.hidden_groups else "")
             + ".", "", model_sentence(report), "",
             "| " + " | ".join(c.replace("_", " ") for c in cols) + " |",
             "|" + "|".join("---:" if c.endswith("minutes") else "---" for c in cols) + "|"]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in report.rows]
    if report.flags:
        lines += ["", "## Flags per guideline section", "", "| section | flags |", "|---|---:|"]
        lines += [f"| {s} | {n} |" for s, n in report.flags.items()]
    return "\n".join(lines) + "\n"
