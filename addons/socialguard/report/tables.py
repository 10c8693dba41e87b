"""No silent truncation: what the HTML and Markdown tables and charts show when there are more groups than fit.

The top `n` by total minutes are shown by name and everything else is summed into one explicit "N others" row,
so a table's rows always add up to the report's figures. CSV and JSON always carry every row."""

from __future__ import annotations

from dataclasses import dataclass

Series = list[tuple[str, float, float]]


@dataclass(frozen=True)
class Others:
    count: int                  # how many names were folded in
    working: float
    total: float


def top_with_others(series: Series, n: int) -> tuple[Series, Others | None]:
    """The `n` largest by total (ties by name), and the rest summed; None when nothing was left out."""
    ranked = sorted(series, key=lambda r: (-r[2], r[0]))
    top, rest = ranked[:n], ranked[n:]
    if not rest:
        return top, None
    return top, Others(len(rest), round(sum(r[1] for r in rest), 2), round(sum(r[2] for r in rest), 2))


def figure_rows(report, n: int) -> tuple[str, list[dict]]:
    """What the HTML/Markdown figures table lists: per period, the groups (people) by their all-platform rows,
    or with --by platform the platforms; the top `n` of the range and one "N others" row. Returns the key of the
    name column and the rows."""
    if report.by == "platform":
        rows = [r for r in report.rows if r["platform"] != "all"]
        return "platform", period_rows(rows, "platform", report.per_platform, n)
    rows = [r for r in report.rows if r["platform"] == "all"]
    return report.entity_key, period_rows(rows, report.entity_key, report.per_entity, n)


def period_rows(rows: list[dict], entity_key: str, ranking: Series, n: int) -> list[dict]:
    """The rows of each period for the top `n` names of the whole range, plus per period one row {"others": N}
    summing the names left out (each period's rows add up to the period's sum)."""
    keep = {name for name, _, _ in top_with_others(ranking, n)[0]}
    out: list[dict] = []
    folded: dict[str, dict] = {}
    for r in rows:
        if r[entity_key] in keep:
            out.append(r)
            continue
        acc = folded.setdefault(r["date"], {**r, entity_key: None, "others": 0, "working_minutes": 0.0,
                                            "total_minutes": 0.0})
        acc["others"] += 1
        acc["working_minutes"] = round(acc["working_minutes"] + r["working_minutes"], 2)
        acc["total_minutes"] = round(acc["total_minutes"] + r["total_minutes"], 2)
    out.extend(folded.values())
    out.sort(key=lambda r: (r["date"], r[entity_key] is None, -r["total_minutes"]))
    return out
