"""socialguard classify --har FILE: the proxy's engine over a HAR file, one JSON object per entry."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

from ..engine import Engine
from ..events import DailyJsonlWriter, EventSink
from ..har import HarError, read_har
from .common import add_policy_option, load_policy_or_report


def add_parser(sub, name):
    p = sub.add_parser(name, help="classify the entries of a HAR file")
    p.add_argument("--har", required=True, help="HAR 1.2 file")
    add_policy_option(p)
    p.add_argument("--user", default=None, help="attribute every entry to this user (proxy-auth identity)")
    p.add_argument("--client-ip", default="", help="source address for identity lookup when --user is absent")
    p.add_argument("--events-dir", default=None, help="also write the events the proxy would have written")
    return p


def main(args) -> int:
    policy = load_policy_or_report(args.policy)
    if policy is None:
        return 1
    writer = DailyJsonlWriter(Path(args.events_dir)) if args.events_dir else None
    sink = EventSink(writer, node="classify-har")
    engine = Engine(policy, sink)
    out = sys.stdout
    try:
        for entry in read_har(args.har):
            facts = replace(entry.request, proxy_user=args.user, client_ip=entry.request.client_ip or args.client_ip)
            verdict = engine.classify(facts)
            c = verdict.classification if verdict else None
            row = {
                "index": entry.index, "method": facts.method, "url": entry.url,
                "platform": c.platform if c else None, "activity": c.activity if c else None,
                "category": c.category if c else None, "background": c.background if c else None,
                "rule": c.rule if c else None,
            }
            out.write(json.dumps(row) + "\n")
            if verdict is not None and writer is not None:
                engine.finished(facts, verdict, entry.response)
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
