"""Long-mode fuzzing with atheris (coverage-guided), one parser per process:

    .venv/bin/python tests/fuzz/atheris_targets.py TARGET -runs=1000000 [-max_len=4096] [corpus_dir]

Targets: har, body, glob, policy, events, classify, and for issue 14's hostile inputs: yaml_aliases, chain,
dismiss, operation, report. scripts/fuzz-long.sh runs them all with ≥ 1,000,000 inputs.
Each target states what the parser may raise; anything else is a crash, which atheris saves as `crash-<sha1>`.
Turn each crash into an `@example(...)` in the matching tests/test_fuzz_*.py before fixing it.
Not collected by pytest (no test_ prefix); the same properties run briefly in the normal suite via hypothesis.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from socialguard.classify import Classifier
    from socialguard.classify.fields import as_text, lookup, parse_body
    from socialguard.events import DailyJsonlWriter, EventSink, make_event
    from socialguard.events.chain import FORBIDDEN_KEYS, redact, render
    from socialguard.facts import RequestFacts
    from socialguard.har import HarError, parse_entry
    from socialguard.policy import PolicyError, load_policy
    from socialguard.policy.globs import compile_glob

ROOT = Path(__file__).resolve().parents[2]
CTYPES = ["", "application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
HOSTS = ["mastodon.social", "x.com", "bsky.social", "www.example.org", "api.x.com", "files.mastodon.social"]


def fuzz_har(data: bytes) -> None:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return
    try:
        parse_entry(0, doc)
    except HarError:
        pass


def fuzz_body(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    ctype = CTYPES[fdp.ConsumeIntInRange(0, len(CTYPES) - 1)]
    path = tuple(fdp.ConsumeUnicodeNoSurrogates(6) for _ in range(fdp.ConsumeIntInRange(0, 3)))
    facts = RequestFacts("POST", "x.com", "/", headers=(("content-type", ctype),), body=fdp.ConsumeBytes(fdp.remaining_bytes()))
    doc = parse_body(facts)
    for v in lookup(doc, path):
        as_text(v)


def fuzz_glob(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    pattern = "/" + fdp.ConsumeUnicodeNoSurrogates(24)
    try:
        rx = compile_glob(pattern)
    except ValueError:
        return
    import re

    for seg in rx.pattern.split("/"):
        if len(re.findall(r"\[\^/\][*+]", seg)) + seg.count(".*") > 1:
            raise AssertionError(f"two unbounded repeats in one segment: {rx.pattern}")
    rx.fullmatch("/" + fdp.ConsumeUnicodeNoSurrogates(64))


_POLICY_DIR = Path(tempfile.mkdtemp(prefix="fuzz-policy-"))


def fuzz_policy(data: bytes) -> None:
    """First byte picks a policy section; the rest is that section's YAML file (schema validation + parse).
    One document per input keeps each run in milliseconds (a whole directory costs ~35 ms)."""
    from socialguard.policy import SECTIONS
    from socialguard.policy.source import load_document

    if not data:
        return
    section = SECTIONS[data[0] % len(SECTIONS)]
    name = "platforms-x.yaml" if section.location.endswith("/") else section.location
    path = _POLICY_DIR / name
    path.write_bytes(data[1:])
    try:
        section.parse([load_document(path, section.schema)], _POLICY_DIR)
    except PolicyError:
        pass


def policy_seeds(corpus: Path) -> None:
    """Seed an empty corpus with the shipped policy files, each behind its section byte."""
    from socialguard.policy import SECTIONS

    if any(corpus.iterdir()):
        return
    for i, section in enumerate(SECTIONS):
        files = sorted((ROOT / "policy").glob(section.location + "*.yaml")) if section.location.endswith("/") \
            else [ROOT / "policy" / section.location]
        for f in files:
            if f.is_file():
                (corpus / f"seed-{i}-{f.stem}").write_bytes(bytes([i]) + f.read_bytes())


_SINK_DIR = Path(tempfile.mkdtemp(prefix="fuzz-events-"))
_SINK = EventSink(DailyJsonlWriter(_SINK_DIR), node="fuzz")


def fuzz_events(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    path, domain = fdp.ConsumeUnicode(40), fdp.ConsumeUnicode(20)
    try:
        doc = json.loads(fdp.ConsumeBytes(fdp.remaining_bytes()))
    except (ValueError, RecursionError):
        doc = {}
    ev = {"@timestamp": "2026-01-01T00:00:00.000Z", "extra": doc, "url": {"path": path, "domain": domain}}
    out = redact(None, "", ev)
    stack = [out]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if {k.lower() for k in node if isinstance(k, str)} & FORBIDDEN_KEYS:
                raise AssertionError("forbidden key survived redaction")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    (line,), _ = render(None, "", out)
    if "\n" in line:
        raise AssertionError("rendered event spans lines")
    _SINK.emit(make_event("social.activity", "event", 1767225600.0, url={"domain": domain, "path": path}))


_CLASSIFIER: Classifier | None = None


def fuzz_classify(data: bytes) -> None:
    global _CLASSIFIER
    if _CLASSIFIER is None:
        _CLASSIFIER = Classifier(load_policy(ROOT / "policy"))
    fdp = atheris.FuzzedDataProvider(data)
    host = HOSTS[fdp.ConsumeIntInRange(0, len(HOSTS) - 1)] if fdp.ConsumeBool() else fdp.ConsumeUnicode(20)
    facts = RequestFacts(
        method=["GET", "POST", "PUT", "DELETE", "OPTIONS"][fdp.ConsumeIntInRange(0, 4)], host=host,
        path="/" + fdp.ConsumeUnicode(40), query=((fdp.ConsumeUnicode(8), fdp.ConsumeUnicode(8)),),
        headers=(("content-type", CTYPES[fdp.ConsumeIntInRange(0, len(CTYPES) - 1)]),),
        body=fdp.ConsumeBytes(fdp.remaining_bytes()))
    c = _CLASSIFIER.classify(facts, None)
    if c is not None:
        _CLASSIFIER.official_targets(c)


def fuzz_yaml_aliases(data: bytes) -> None:
    """Policy YAML built around anchors and aliases: the fuzzer picks the section, the fan-out, the depth and
    which earlier anchor each alias names. Bombs and self-references must end as a short PolicyError."""
    from socialguard.policy import SECTIONS
    from socialguard.policy.source import MAX_MESSAGE_CHARS, MAX_PROBLEMS, load_document

    fdp = atheris.FuzzedDataProvider(data)
    section = SECTIONS[fdp.ConsumeIntInRange(0, len(SECTIONS) - 1)]
    levels, fan = fdp.ConsumeIntInRange(1, 12), fdp.ConsumeIntInRange(1, 12)
    lines = [f"{fdp.ConsumeUnicodeNoSurrogates(12) or 'x'}:"]
    for i in range(levels):
        items = [f"*a{fdp.ConsumeIntInRange(0, i)}" if i and fdp.ConsumeBool() else json.dumps(fdp.ConsumeUnicodeNoSurrogates(6))
                 for _ in range(fan)]
        lines.append(f"  - &a{i} [{', '.join(items)}]" if fdp.ConsumeBool() else
                     f"  - &a{i} {{{', '.join(f'k{j}: {v}' for j, v in enumerate(items))}}}")
    text = "\n".join(lines) + "\n" + fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    name = "platforms-x.yaml" if section.location.endswith("/") else section.location
    path = _POLICY_DIR / name
    path.write_text(text, encoding="utf-8")
    try:
        section.parse([load_document(path, section.schema)], _POLICY_DIR)
    except PolicyError as e:
        if len(e.problems) > MAX_PROBLEMS + 1 or any(len(m) > MAX_MESSAGE_CHARS + 40 for _, _, m in e.problems):
            raise AssertionError("unbounded policy error") from None


def fuzz_chain(data: bytes) -> None:
    """Lines written by the chained writer verify; one flipped byte is named at its own line."""
    import shutil

    from socialguard.events.integrity import verify

    fdp = atheris.FuzzedDataProvider(data)
    directory = Path(tempfile.mkdtemp(prefix="fuzz-chain-"))
    try:
        w = DailyJsonlWriter(directory)
        for _ in range(fdp.ConsumeIntInRange(1, 8)):
            ev = {"@timestamp": "2026-01-01T00:00:00.000Z", "event": {"action": "x"}, "v": fdp.ConsumeUnicode(30)}
            w.msg(render(None, "", ev)[0][0], "2026-01-01")
        w.close()
        path = directory / "events-2026-01-01.jsonl"
        if not verify(path).ok:
            raise AssertionError("a file the writer wrote does not verify")
        raw = path.read_bytes()
        pos = fdp.ConsumeIntInRange(0, len(raw) - 1)
        path.write_bytes(raw[:pos] + bytes([raw[pos] ^ fdp.ConsumeIntInRange(1, 255)]) + raw[pos + 1:])
        expected = min(raw.count(b"\n", 0, pos) + 1, raw.count(b"\n"))
        if verify(path).first_broken != expected:
            raise AssertionError(f"flip at byte {pos} not named at line {expected}")
    finally:
        shutil.rmtree(directory)


def fuzz_dismiss(data: bytes) -> None:
    """The dismiss endpoint's query: whatever it holds, the answer is no redirect or a web URL of a platform."""
    from socialguard.banner.service import BannerService

    global _CLASSIFIER
    if _CLASSIFIER is None:
        _CLASSIFIER = Classifier(load_policy(ROOT / "policy"))

    def platform_of(host: str, path: str):
        c = _CLASSIFIER.classify(RequestFacts("GET", host, path), None)
        return c.platform if c is not None else None

    fdp = atheris.FuzzedDataProvider(data)
    d = BannerService().dismiss(fdp.ConsumeUnicode(fdp.remaining_bytes()), user="u", now=0.0,
                                platform_of=platform_of)
    if d.return_url is not None and (not d.return_url.startswith(("http://", "https://")) or d.platform is None):
        raise AssertionError(f"dismiss returns to {d.return_url!r}")


def fuzz_operation(data: bytes) -> None:
    """The operation extractor (GraphQL/RPC names from paths, queries, headers and bodies)."""
    global _CLASSIFIER
    if _CLASSIFIER is None:
        _CLASSIFIER = Classifier(load_policy(ROOT / "policy"))
    fdp = atheris.FuzzedDataProvider(data)
    host = HOSTS[fdp.ConsumeIntInRange(0, len(HOSTS) - 1)]
    path = ["/api/graphql", "/i/api/graphql/abc/", "/graphql", "/xrpc/", "/"][fdp.ConsumeIntInRange(0, 4)]
    facts = RequestFacts(
        method="POST", host=host, path=path + fdp.ConsumeUnicode(30),
        query=((fdp.ConsumeUnicode(8), fdp.ConsumeUnicode(40)),),
        headers=(("content-type", CTYPES[fdp.ConsumeIntInRange(0, len(CTYPES) - 1)]),
                 ("x-fb-friendly-name", fdp.ConsumeUnicode(40))),
        body=fdp.ConsumeBytes(fdp.remaining_bytes()))
    c = _CLASSIFIER.classify(facts, None)
    if c is not None and c.operation is not None and not isinstance(c.operation, str):
        raise AssertionError("operation is not a string")


def fuzz_report(data: bytes) -> None:
    """The report renderers over names taken from event files."""
    from datetime import date

    from socialguard.report.build import Report
    from socialguard.report.html import render_html
    from socialguard.report.render import render_csv, render_json, render_markdown

    fdp = atheris.FuzzedDataProvider(data)
    rows = [{"date": "2026-11-25", "group": fdp.ConsumeUnicode(20), "platform": fdp.ConsumeUnicode(20),
             "working_minutes": fdp.ConsumeFloat(), "total_minutes": fdp.ConsumeFloat()}
            for _ in range(fdp.ConsumeIntInRange(0, 4))]
    series = [(fdp.ConsumeUnicode(12), abs(fdp.ConsumeFloat()), abs(fdp.ConsumeFloat()))
              for _ in range(fdp.ConsumeIntInRange(0, 3))]
    model = {"working_days": ["Mon"], "working_hours": "09:00-17:00", "time_zone": "UTC", "lunch": None,
             "breaks": [], "holidays": "none", "other_schedules": [], "idle_gap_seconds": 300, "tail_seconds": 60}
    report = Report(date(2026, 11, 23), date(2026, 11, 29), "day", "group", rows,
                    flags={fdp.ConsumeUnicode(8): 1}, per_day=series, per_platform=series, per_entity=series,
                    heat=[[0.0] * 24 for _ in range(7)], people=3, model=model)
    render_json(report)
    render_csv(report)
    render_markdown(report)
    render_html(report)


TARGETS = {"har": fuzz_har, "body": fuzz_body, "glob": fuzz_glob, "policy": fuzz_policy, "events": fuzz_events,
           "classify": fuzz_classify, "yaml_aliases": fuzz_yaml_aliases, "chain": fuzz_chain,
           "dismiss": fuzz_dismiss, "operation": fuzz_operation, "report": fuzz_report}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer flags]")
    target = TARGETS[sys.argv[1]]
    sys.setrecursionlimit(10_000)
    corpora = [Path(a) for a in sys.argv[2:] if not a.startswith("-")]
    if sys.argv[1] == "policy" and corpora and corpora[0].is_dir():
        policy_seeds(corpora[0])
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
