"""socialguard classify --har FILE: the proxy's engine over a HAR file, one JSON object per entry.

Entries run in file order through what the proxy does with a flow: classification (with the fediverse servers
and official posts learned from earlier answers in the file), inspection of posts and uploads, and, with
`--events-dir`, the events the proxy would have written (activity, guideline-1 and inspection flags).
Printed URLs carry no userinfo, query or fragment.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ..engine import Engine, Verdict
from ..events import DailyJsonlWriter, EventSink
from ..har import HarEntry, HarError, read_har
from ..classify.memory import ClassifierMemory
from ..coaching import CoachingQueue
from ..inspect import decide
from ..inspect.decide import UploadFacts
from ..inspect.extract.sessions import SessionStore
from ..inspect.findings import InspectionReport
from .common import add_policy_option, load_policy_or_report


def add_parser(sub, name):
    p = sub.add_parser(name, help="classify the entries of a HAR file")
    p.add_argument("--har", required=True, help="HAR 1.2 file")
    add_policy_option(p)
    p.add_argument("--user", default=None, help="attribute every entry to this user (proxy-auth identity)")
    p.add_argument("--client-ip", default="", help="source address for identity lookup when --user is absent")
    p.add_argument("--events-dir", default=None, help="also write the events the proxy would have written")
    p.add_argument("--state-file", default=None,
                   help="learned fediverse servers and official posts: read before, written after (optional)")
    p.add_argument("--no-inspect", action="store_true", help="classify only; do not inspect posts and uploads")
    return p


def classify_entries(policy, entries: Iterable[HarEntry], *, engine: Engine | None = None, user: str | None = None,
                     client_ip: str = "", inspect: bool = False) -> Iterator[tuple[HarEntry, Verdict | None]]:
    """(entry, verdict) for each entry in order, learning from each answer before the next entry runs.

    With `inspect`, posts and uploads go through the same scanner as the proxy's workers (in this process) and
    their flags are written through the engine's sink."""
    if engine is None:
        engine = Engine(policy, EventSink(None, node="classify-har"))
    scanner = None
    sessions = SessionStore(policy.inspection.sessions)
    coaching = CoachingQueue()
    for entry in entries:
        facts = replace(entry.request, proxy_user=user, client_ip=entry.request.client_ip or client_ip)
        verdict = engine.classify(facts)
        if verdict is not None and inspect:
            upload = UploadFacts(facts.method, facts.host, facts.path, dict(facts.query), dict(facts.headers),
                                 entry.request_body, verdict.classification.activity)
            plan = decide.plan(upload, policy, sessions)
            report = InspectionReport()
            if plan.job is not None:
                if scanner is None:
                    from ..inspect.scanner import Scanner

                    scanner = Scanner(policy)
                report = plan.job.run(scanner)
            report.notices[:0] = plan.notices
            if plan.job is not None or plan.notices:
                engine.inspected(facts, verdict, decide.decide(report, policy, can_hold=True), coaching)
        if engine.wants_response(facts, verdict):
            ctype = next((v for k, v in entry.response.headers if k == "content-type"), "")
            engine.learn_response(facts, verdict, entry.response.status_code, ctype, entry.response_body)
        yield entry, verdict


def main(args) -> int:
    policy = load_policy_or_report(args.policy)
    if policy is None:
        return 1
    writer = DailyJsonlWriter(Path(args.events_dir)) if args.events_dir else None
    sink = EventSink(writer, node="classify-har")
    memory = ClassifierMemory()
    state = Path(args.state_file) if args.state_file else None
    if state is not None:
        why = memory.load(state)
        if why:
            print(f"socialguard classify: state file {state} not used: {why}", file=sys.stderr)
    engine = Engine(policy, sink, memory)
    out = sys.stdout
    try:
        for entry, verdict in classify_entries(policy, read_har(args.har), engine=engine, user=args.user,
                                               client_ip=args.client_ip, inspect=not args.no_inspect):
            c = verdict.classification if verdict else None
            row = {
                "index": entry.index, "method": entry.request.method, "url": entry.url,
                "platform": c.platform if c else None, "activity": c.activity if c else None,
                "category": c.category if c else None, "background": c.background if c else None,
                "rule": c.rule if c else None,
            }
            out.write(json.dumps(row) + "\n")
            if verdict is not None and writer is not None:
                engine.finished(replace(entry.request, proxy_user=args.user,
                                        client_ip=entry.request.client_ip or args.client_ip), verdict, entry.response)
        if state is not None and memory.changed:
            memory.save(state)
    except HarError as e:
        print(f"socialguard classify: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `classify --har … | head`: the reader has gone; stop quietly like other Unix filters.
        sys.stderr.close()
        return 0
    finally:
        sink.close()
    return 0
