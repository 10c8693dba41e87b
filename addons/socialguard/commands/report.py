"""socialguard report: working-time usage reports from event files (guideline 2.7). See docs/reports.md."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from .common import add_policy_option, load_policy_or_report

FORMATS = ("html", "csv", "md", "json")


def add_parser(sub, name):
    p = sub.add_parser(name, help="usage reports from event files (guideline 2.7)")
    p.add_argument("--events", required=True, help="directory of events-YYYY-MM-DD.jsonl[.gz] files")
    add_policy_option(p)
    p.add_argument("--from", dest="first", type=date.fromisoformat, help="first local date (default: --to - 6 days)")
    p.add_argument("--to", dest="last", type=date.fromisoformat, help="last local date (default: today)")
    p.add_argument("--last-week", action="store_true", help="the previous Monday-Sunday (for the weekly timer)")
    p.add_argument("--period", choices=("day", "week", "month"), default="day")
    p.add_argument("--by", choices=("group", "platform", "user"), default="group")
    p.add_argument("--individual", action="store_true", help="per-person rows (audited; pseudonymised by policy)")
    p.add_argument("--no-pseudonymise", dest="pseudonymise", action="store_false", default=None,
                   help="real names in per-person rows (still audited)")
    p.add_argument("--self", dest="self_user", metavar="USER", help="one employee's own record")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("--out", help="output file, or a directory for a dated file name (default: standard output)")
    p.add_argument("--operator", help="who runs the report, for the audit event (default: the login name)")
    p.add_argument("--apply-retention", action="store_true",
                   help="first delete event files older than the policy's retention_days")
    p.add_argument("--cache-dir", help="columnar cache of parsed event files (default: EVENTS/.report-cache)")
    p.add_argument("--no-cache", action="store_true", help="parse the JSON files every time")
    return p


def _range(args, today: date) -> tuple[date, date]:
    if args.last_week:
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    last = args.last or today
    return args.first or last - timedelta(days=6), last


def _progress(desc: str):
    """A tqdm bar on an interactive terminal only (never in logs or pipes)."""
    if not sys.stderr.isatty():
        return lambda it: it
    from tqdm import tqdm

    return lambda it: tqdm(it, desc=desc, unit="file", file=sys.stderr, leave=False)


def _command_line(args, first: date, last: date) -> str:
    parts = ["report", f"--from {first}", f"--to {last}", f"--period {args.period}", f"--by {args.by}"]
    if args.individual:
        parts.append("--individual")
    if args.self_user:
        parts.append(f"--self {args.self_user}")
    if args.pseudonymise is False:
        parts.append("--no-pseudonymise")
    return " ".join(parts)


def main(args) -> int:
    from ..report import privacy, source
    from ..report.build import Options, build
    from ..report.html import render_html
    from ..report.render import render_csv, render_json, render_markdown
    from ..timekeeping.calendar import WorkCalendar

    policy = load_policy_or_report(args.policy)
    if policy is None:
        return 1
    events = Path(args.events)
    if not events.is_dir():
        print(f"socialguard report: {events}: no such directory", file=sys.stderr)
        return 1
    cal = WorkCalendar(policy.worktime)
    today = datetime.now(cal.tz).date()
    if args.apply_retention:
        removed = source.delete_older_than(events, policy.reports.retention_days, today)
        print(f"socialguard report: retention {policy.reports.retention_days} days: deleted {len(removed)} event files",
              file=sys.stderr)
    first, last = _range(args, today)
    if last < first:
        print("socialguard report: --to is before --from", file=sys.stderr)
        return 2
    if args.by == "user" and not (args.individual or args.self_user):
        print("socialguard report: --by user needs --individual (per-person rows are audited)", file=sys.stderr)
        return 2
    pseudonymise = policy.reports.pseudonymise if args.pseudonymise is None else args.pseudonymise
    pseudonym = None
    if args.individual and pseudonymise and not args.self_user:
        try:
            pseudonym = privacy.Pseudonymiser.from_key_file(policy.reports.pseudonym_key_file)
        except (OSError, ValueError) as e:
            print(f"socialguard report: pseudonym key: {e}", file=sys.stderr)
            return 1
    cache = None if args.no_cache else Path(args.cache_dir) if args.cache_dir else events / source.CACHE_DIR
    # Read one day more before the range so sessions that run over its start are whole.
    begin = cal.day_bounds(first)[0] - 86_400_000
    end = cal.day_bounds(last)[1]
    data = source.load(events, first, last, begin, end, cache=cache, progress=_progress("reading events"),
                       warn=lambda msg: print(f"socialguard report: {msg}", file=sys.stderr))
    opts = Options(first, last, args.period, "user" if args.self_user else args.by, args.individual,
                   pseudonymise, args.self_user)
    report = build(policy, data, opts, pseudonym=pseudonym)
    if report.individual:
        privacy.write_audit(events, privacy.audit_event(
            operator=args.operator or privacy.operator_name(), command=_command_line(args, first, last),
            individual=True, pseudonymised=report.pseudonymised, period=f"{first}/{last}",
            subject=report.subject))
    text = {"json": render_json, "csv": render_csv, "md": render_markdown, "html": render_html}[args.format](report)
    if args.out:
        out = Path(args.out)
        if out.is_dir():
            out = out / f"socialguard-report-{first}-{last}.{args.format}"
        out.write_text(text, encoding="utf-8")
        print(out)
    else:
        sys.stdout.write(text)
    return 0
