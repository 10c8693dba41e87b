"""Report renderers: JSON (machines), CSV (spreadsheets), Markdown (e-mail); HTML lives in `html.py`.

Each takes the languages to write (`("en",)`, `("fr",)` or both); names from the event files go through `safe`."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from ..policy.worktime import WEEKDAYS
from .build import Report
from .comparison import Comparison
from .i18n import LANGS, Lang, Texts
from .safe import clean, csv_cell, md_cell
from .tables import figure_rows, top_with_others

ROW_COLUMNS = ("date", "to", "partial", "{who}", "platform", "working_minutes", "total_minutes")


def columns(report: Report) -> list[str]:
    return [c.format(who=report.entity_key) for c in ROW_COLUMNS]


def model_sentence(report: Report, lang: Lang = "en") -> str:
    t = Texts(lang)
    m = report.model
    names = t.weekdays()
    days = ", ".join(names[WEEKDAYS.index(d)] for d in m["working_days"])
    return t("model.sentence", days=days, hours=m["working_hours"], zone=m["time_zone"],
             lunch=m["lunch"] or t("model.none"), breaks=", ".join(m["breaks"]) or t("model.none"),
             holidays=m["holidays"],
             schedules=t("model.schedules", names=", ".join(m["other_schedules"])) if m["other_schedules"] else "",
             gap=t.num(m["idle_gap_seconds"], 0), tail=t.num(m["tail_seconds"], 0), guideline=m["guideline"])


def privacy_sentence(report: Report, t: Texts) -> str:
    if report.individual:
        return t("privacy.pseudonymised" if report.pseudonymised else "privacy.individual")
    text = t("privacy.groups", k=report.k)
    return text + (" " + t("privacy.hidden", n=report.hidden_groups) if report.hidden_groups else "")


def summary_sentence(report: Report, t: Texts) -> str:
    return t("summary", period=t(f"period.{report.period}"), by=t(f"by.{report.by}"), people=t.num(report.people, 0))


def title(report: Report, t: Texts) -> str:
    return t("title", first=t.date(report.first), last=t.date(report.last))


def render_json(report: Report, langs: tuple[Lang, ...] = ("en",)) -> str:
    out = report.to_json()
    out["language"] = list(langs)
    out["texts"] = {lang: {"title": title(report, Texts(lang)), "model": model_sentence(report, lang),
                           "privacy": privacy_sentence(report, Texts(lang)),
                           "notes": [Texts(lang)(n) for n in report.notes],
                           "columns": {c: Texts(lang)(f"col.{c}") for c in columns(report)}}
                    for lang in langs}
    # Names are data; only control characters are removed (JSON escaping does the rest).
    return json.dumps(_cleaned(out), indent=2, ensure_ascii=False) + "\n"


def _cleaned(value):
    if isinstance(value, str):
        return clean(value, None)
    if isinstance(value, dict):
        return {clean(k, None): _cleaned(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_cleaned(v) for v in value]
    return value


def _csv_label(column: str, langs: tuple[Lang, ...]) -> str:
    """English: the column's key (what scripts read); French: its label; both: "key / label"."""
    labels = [column if lang == "en" else Texts(lang)(f"col.{column}") for lang in langs]
    return " / ".join(dict.fromkeys(labels))


def render_csv(report: Report, langs: tuple[Lang, ...] = ("en",)) -> str:
    """Every row. French alone: `;` separators and decimal commas, as French-Canadian spreadsheets expect."""
    french = langs == ("fr",)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if french else ",", lineterminator="\n")
    cols = columns(report)
    writer.writerow([_csv_label(c, langs) for c in cols])
    for r in report.rows:
        cells = []
        for c in cols:
            v = r[c]
            if c == "partial":
                v = " / ".join(dict.fromkeys(Texts(lang)("yes" if v else "no") for lang in langs))
            elif isinstance(v, float) and french:
                v = f"{v:g}".replace(".", ",")
            elif c == "platform" and v == "all":
                v = " / ".join(dict.fromkeys(Texts(lang)("platform.all") for lang in langs))
            cells.append(csv_cell(v))
        writer.writerow(cells)
    return out.getvalue()


def md_prose(text: str) -> str:
    return md_cell(text, None)


def _md_table(head: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    rule = "|".join("---:" if i in numeric else "---" for i in range(len(head)))
    lines = ["| " + " | ".join(head) + " |", f"|{rule}|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def entity_label(report: Report, name: str | None, t: Texts, others: int = 0) -> str:
    if name is None:
        return t("row.others", n=t.num(others, 0))
    return t("platform.all") if report.by == "platform" and name == "all" else name


def comparison_rows(c: Comparison, t: Texts, name=lambda s: s) -> list[list[str]]:
    out = []
    for line in [*c.lines, c.total]:
        label = t("row.total") if line is c.total else name(line.name)
        out.append([label, t.num(line.people, 0), t.num(line.working), t.num(line.previous),
                    t.percent(line.change_ratio, signed=True), t.num(line.average), t.num(line.previous_average),
                    t.percent(line.share), t.num(line.year_ago) if c.year_ago else t("na")])
    return out


COMPARISON_COLUMNS = ("col.name", "col.people", "col.current", "col.previous", "col.change", "col.avg",
                      "col.avg_previous", "col.share", "col.year_ago")


def comparison_ranges(c: Comparison, t: Texts, guideline: str) -> str:
    def span(r):
        return t("range", first=t.date(r[0]), last=t.date(r[1]))

    year = t("comparison.year", range=span(c.year_ago)) if c.year_ago else t("comparison.no_year")
    return (t("comparison.what", guideline=guideline) + " "
            + t("comparison.ranges", current=span(c.current), previous=span(c.previous), year=year))


def _markdown(report: Report, lang: Lang, top_n: int) -> list[str]:
    t = Texts(lang)
    lines = [f"# {md_cell(title(report, t))}", "", md_prose(summary_sentence(report, t) + " "
                                                           + privacy_sentence(report, t)), ""]
    lines += [f"> {md_prose(t(n))}" for n in report.notes]
    lines += [f"**{t('model.heading')}** {md_prose(model_sentence(report, lang))} "
              f"{md_prose(t('model.times', zone=report.model['time_zone']))}", ""]
    if report.per_category:
        lines += [f"## {t('h.categories')}", ""]
        lines += _md_table([t("col.category"), t("col.working_minutes"), t("col.total_minutes")],
                           [[t(f"category.{c}"), t.num(w), t.num(tot)] for c, w, tot in report.per_category], {1, 2})
        lines.append("")
    if report.comparison is not None:
        c = report.comparison
        lines += [f"## {t('h.comparison')}", "", md_prose(comparison_ranges(c, t, report.model["guideline"])) + " "
                  + md_prose(t("comparison.avg_hidden", k=report.k)), ""]
        lines += _md_table([t(k) for k in COMPARISON_COLUMNS], comparison_rows(c, t, md_cell), set(range(1, 9)))
        lines.append("")
    who, table = figure_rows(report, top_n)
    lines += [f"## {t('h.figures')}", ""]
    if any(r[who] is None for r in table):
        lines += [md_prose(t("truncated", n=top_n, rows=t.num(len(report.rows), 0))), ""]
    lines += _md_table(
        [t("col.date"), t("col.to"), t(f"col.{who}"), t("col.working_minutes"), t("col.total_minutes")],
        [[t.date(_d(r["date"]), "short"),
          t.date(_d(r["to"]), "short") + (f" ({t('row.partial')})" if r["partial"] else ""),
          md_cell(entity_label(report, r[who], t, r.get("others", 0))), t.num(r["working_minutes"]),
          t.num(r["total_minutes"])] for r in table], {3, 4})
    if report.flags:
        lines += ["", f"## {t('h.flags')}", ""]
        lines += _md_table([t("col.section"), t("col.flags")],
                           [[md_cell(s), t.num(n, 0)] for s, n in report.flags.items()], {1})
    platforms, others = top_with_others(report.per_platform, top_n)
    if platforms:
        lines += ["", f"## {t('h.per_platform')}", ""]
        body = [[md_cell(p), t.num(w), t.num(tot)] for p, w, tot in platforms]
        if others:
            body.append([t("row.others", n=t.num(others.count, 0)), t.num(others.working), t.num(others.total)])
        lines += _md_table([t("col.platform"), t("col.working_minutes"), t("col.total_minutes")], body, {1, 2})
    return lines


def _d(text: str) -> date:
    return date.fromisoformat(text)


def render_markdown(report: Report, langs: tuple[Lang, ...] = ("en",), top_n: int = 20) -> str:
    parts = ["\n".join(_markdown(report, lang, top_n)) for lang in langs]
    return "\n\n---\n\n".join(parts) + "\n"


__all__ = ["LANGS", "render_json", "render_csv", "render_markdown", "model_sentence", "columns"]
