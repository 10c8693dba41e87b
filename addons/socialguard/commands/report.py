"""socialguard report: working-time usage reports from event files (guideline 2.7). See docs/reports.md."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from .common import add_policy_option, load_policy_or_report

FORMATS = ("html", "csv", "md", "json", "pdf")


def add_parser(sub, name):
    p = sub.add_parser(name, help="usage reports from event files (guideline 2.7)")
    p.add_argument("--events", required=True, help="directory of events-YYYY-MM-DD.jsonl[.gz] files")
    add_policy_option(p)
    p.add_argument("--from", dest="first", type=date.fromisoformat, help="first local date (default: --to - 6 days)")
    p.add_argument("--to", dest="last", type=date.fromisoformat, help="last local date (default: today)")
    p.add_argument("--last-week", action="store_true", help="the previous Monday-Sunday (for the weekly timer)")
    p.add_argument("--last-month", action="store_true", help="the previous calendar month (for the monthly timer)")
    p.add_argument("--period", choices=("day", "week", "month"), default="day")
    p.add_argument("--by", choices=("group", "platform", "user"), default="group")
    p.add_argument("--individual", action="store_true", help="per-person rows (audited; pseudonymised by policy)")
    p.add_argument("--no-pseudonymise", dest="pseudonymise", action="store_false", default=None,
                   help="real names in per-person rows (still audited)")
    p.add_argument("--self", dest="self_user", metavar="USER", help="one employee's own record")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("--lang", choices=("en", "fr", "both"), help="language(s) of the report (default: the policy's)")
    p.add_argument("--top", type=int, metavar="N", help="named rows in HTML/Markdown tables and charts before "
                   "an 'N others' row (default: the policy's top_n; CSV/JSON hold every row)")
    p.add_argument("--no-compare", dest="compare", action="store_false",
                   help="leave out the previous period and the year-earlier comparison")
    p.add_argument("--send", action="store_true",
                   help="mail the HTML report (CSV attached) to the recipients reports.yaml lists per group")
    p.add_argument("--attach-pdf", action="store_true", help="with --send: attach the PDF copy too (needs Chromium)")
    p.add_argument("--out", help="output file, or a directory for a dated file name (default: standard output)")
    p.add_argument("--operator", help="who runs the report, for the audit event (default: the login name)")
    p.add_argument("--apply-retention", action="store_true",
                   help="first delete event files older than the policy's retention_days")
    p.add_argument("--cache-dir", help="columnar cache of parsed event files (default: EVENTS/.report-cache)")
    p.add_argument("--no-cache", action="store_true", help="parse the JSON files every time")
    return p


def _range(args, today: date) -> tuple[date, date]:
    if args.last_month:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
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


def _fail(message: str, code: int = 1) -> int:
    print(f"socialguard report: {message}", file=sys.stderr)
    return code


def _refusal(args, policy) -> str | None:
    """Combinations of options the command refuses (exit 2), before anything is read."""
    if args.by == "user" and not (args.individual or args.self_user):
        return "--by user needs --individual (per-person rows are audited)"
    if args.send and (args.individual or args.self_user):
        return "--send mails group-level reports only"
    if args.send and not policy.reports.delivery.sender:
        return "--send needs a delivery section in reports.yaml"
    return None


def _send(make, policy, events: Path, langs, top_n: int, first: date, last: date, attach_pdf: bool) -> int:
    """Mail each recipient list its report; exit 3 when any could not be delivered (it is spooled and logged)."""
    from ..report import delivery, privacy
    from ..report.pdf import html_to_pdf

    def emit(event: dict) -> None:
        privacy.write_audit(events, event)

    d = policy.reports.delivery
    mails = delivery.mails(make, d, langs, top_n, first, last, pdf=html_to_pdf if attach_pdf else None)
    outcomes = [delivery.deliver(m, d, emit) for m in mails]
    for o in outcomes:
        state = "delivered" if o.delivered else f"NOT delivered ({o.error}); kept in {o.spooled}"
        print(f"socialguard report: {o.scope}: {state} after {o.attempts} attempt(s)", file=sys.stderr)
    return 0 if all(o.delivered for o in outcomes) else 3


def _write(text: str | bytes, out: Path | None) -> int:
    from ..report import output

    if out is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        return 0
    try:
        output.write(out, text)
    except output.OutputError as e:
        return _fail(str(e))
    print(out)
    return 0


def main(args) -> int:
    from ..report import i18n, output, privacy, source
    from ..report.build import Options
    from ..report.make import make_report, render
    from ..report.pdf import PdfError
    from ..timekeeping.calendar import WorkCalendar

    policy = load_policy_or_report(args.policy)
    if policy is None:
        return 1
    events = Path(args.events)
    if not events.is_dir():
        return _fail(f"{events}: no such directory")
    cal = WorkCalendar(policy.worktime)
    today = datetime.now(cal.tz).date()
    first, last = _range(args, today)
    if last < first:
        return _fail("--to is before --from", 2)
    if (refusal := _refusal(args, policy)) is not None:
        return _fail(refusal, 2)
    if args.individual and args.by != "user" and not args.self_user:
        print("socialguard report: --individual without --by user: the report has group rows only",
              file=sys.stderr)
    langs = i18n.languages(args.lang or policy.reports.language)
    top_n = args.top or policy.reports.top_n
    out = None
    if args.out and not args.send:
        try:        # before anything is built or audited
            out = output.resolve(args.out, f"socialguard-report-{first}-{last}.{args.format}")
        except output.OutputError as e:
            return _fail(str(e))
    if args.apply_retention:
        removed = source.delete_older_than(events, policy.reports.retention_days, today)
        print(f"socialguard report: retention {policy.reports.retention_days} days: deleted {len(removed)} event files",
              file=sys.stderr)
    pseudonymise = policy.reports.pseudonymise if args.pseudonymise is None else args.pseudonymise
    pseudonym = None
    if args.individual and pseudonymise and not args.self_user:
        try:
            pseudonym = privacy.Pseudonymiser.from_key_file(policy.reports.pseudonym_key_file)
        except (OSError, ValueError) as e:
            return _fail(f"pseudonym key: {e}")
    cache = None if args.no_cache else Path(args.cache_dir) if args.cache_dir else events / source.CACHE_DIR
    loaded: dict[tuple[date, date], source.EventData] = {}

    def load(a: date, b: date) -> source.EventData:
        # Read one day more before the range so sessions that run over its start are whole.
        if (a, b) not in loaded:
            loaded[(a, b)] = source.load(events, a, b, cal.day_bounds(a)[0] - 86_400_000, cal.day_bounds(b)[1],
                                         cache=cache, progress=_progress("reading events"),
                                         warn=lambda msg: print(f"socialguard report: {msg}", file=sys.stderr))
        return loaded[(a, b)]

    def has_events(a: date, b: date) -> bool:
        return any(a <= d <= b for d, _ in source.event_files(events))

    opts = Options(first, last, args.period, "user" if args.self_user else args.by, args.individual,
                   pseudonymise, args.self_user)

    def make(group: str | None = None):
        o = opts if group is None else replace(opts, only_group=group)
        return make_report(policy, o, load, pseudonym=pseudonym, has_events=has_events, compare=args.compare)

    if args.send:
        try:
            return _send(make, policy, events, langs, top_n, first, last, args.attach_pdf)
        except PdfError as e:
            return _fail(str(e))
    report = make()
    if report.individual:
        privacy.write_audit(events, privacy.audit_event(
            operator=args.operator or privacy.operator_name(), command=_command_line(args, first, last),
            individual=True, pseudonymised=report.pseudonymised, period=f"{first}/{last}",
            subject=report.subject))
    try:
        text = render(report, args.format, langs, top_n)
    except PdfError as e:
        return _fail(str(e))
    return _write(text, out)
