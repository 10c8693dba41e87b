"""Classification accuracy on the client-library corpus, and the classifier's cost on the non-social path.

    # drive the libraries through a real proxy (once per part; ~1 min each), then score:
    PYTHONPATH=addons:tests python -m support.client_corpus.driver --part tuning  --out build/corpus-tuning.har
    PYTHONPATH=addons:tests python -m support.client_corpus.driver --part heldout --out build/corpus-heldout.har
    PYTHONPATH=addons python benchmarks/classify_bench.py build/corpus-tuning.har build/corpus-heldout.har
    PYTHONPATH=addons python benchmarks/classify_bench.py --micro          # ns per non-social request

The corpus is scored by the same code `socialguard classify --har` runs (entry order, with host learning).
`--misses` lists what went wrong (use it on the tuning part only).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def score(har: Path, policy: Path, show_misses: bool) -> dict:
    from socialguard.commands.classify_har import classify_entries
    from socialguard.har import parse_entry
    from socialguard.policy import load_policy

    doc = json.loads(har.read_bytes())
    raw = doc["log"]["entries"]
    entries = [parse_entry(i, e) for i, e in enumerate(raw)]
    pol = load_policy(policy)
    results = list(classify_entries(pol, entries))
    plat_ok = Counter()
    act_ok = Counter()
    total = Counter()
    unknown = 0
    foreground = 0
    by_activity = defaultdict(Counter)
    misses = []
    for e, (entry, verdict) in zip(raw, results, strict=True):
        label = e["_corpus"]
        c = verdict.classification if verdict else None
        got_p, got_a = (c.platform, c.activity) if c else (None, None)
        want_p, want_a = label["platform"], label["activity"]
        key = want_p or "(non-social)"
        total[key] += 1
        plat_ok[key] += got_p == want_p
        act_ok[key] += got_p == want_p and got_a == want_a
        if want_p is not None:
            foreground += 1
            unknown += got_a == "unknown"
            by_activity[want_a]["n"] += 1
            by_activity[want_a]["ok"] += got_p == want_p and got_a == want_a
        if (got_p, got_a) != (want_p, want_a):
            misses.append(f"  {label['scenario']}/{label['step']}: {entry.request.method} {entry.request.host}"
                          f"{entry.request.path} want {want_p}/{want_a} got {got_p}/{got_a} "
                          f"({c.rule if c else '-'})")
    n = sum(total.values())
    out = {
        "requests": n, "platform": sum(plat_ok.values()) / n, "activity": sum(act_ok.values()) / n,
        "unknown_share": unknown / foreground if foreground else 0.0,
        "per_platform": {k: (total[k], plat_ok[k] / total[k], act_ok[k] / total[k]) for k in sorted(total)},
        "per_activity": {k: (v["n"], v["ok"] / v["n"]) for k, v in sorted(by_activity.items())},
    }
    print(f"\n== {har.name}: {n} requests, platform {out['platform']:.1%}, activity {out['activity']:.1%}, "
          f"unknown {out['unknown_share']:.1%} of {foreground} foreground")
    print(f"  {'platform':<14}{'n':>5}{'platform ok':>13}{'activity ok':>13}")
    for k, (t, p, a) in out["per_platform"].items():
        print(f"  {k:<14}{t:>5}{p:>13.1%}{a:>13.1%}")
    print(f"  {'activity':<14}{'n':>5}{'right':>13}")
    for k, (t, a) in out["per_activity"].items():
        print(f"  {k:<14}{t:>5}{a:>13.1%}")
    if show_misses:
        print("\n".join(misses) or "  no misses")
    return out


def micro(policy: Path) -> None:
    """CPU ns per call for what every request to a non-social host pays (process time: the figure does not move
    with other processes' load the way wall time does). Compare with main's: run it there with its policy."""
    import timeit

    from socialguard.classify import Classifier
    from socialguard.facts import RequestFacts
    from socialguard.policy import load_policy

    clf = Classifier(load_policy(policy))
    cases = [("deep host, page", "a.b.c.d.example.org", "/index.html"), ("short host, API", "github.com",
             "/api/v4/projects"), ("IP literal, root", "10.0.0.5", "/")]
    for label, host, path in cases:
        facts = RequestFacts("GET", host, path)
        for name, stmt in (("might_be_social", lambda: clf.might_be_social(host, path)),
                           ("classify", lambda: clf.classify(facts))):
            best = min(timeit.repeat(stmt, number=50_000, repeat=15, timer=time.process_time)) / 50_000
            print(f"non-social {label:<18} {name:<16} {best * 1e9:6.0f} ns (CPU, best of 15 x 50000)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("har", nargs="*", type=Path)
    ap.add_argument("--policy", type=Path, default=ROOT / "policy")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--micro", action="store_true")
    args = ap.parse_args(argv)
    for h in args.har:
        score(h, args.policy, args.misses)
    if args.micro:
        micro(args.policy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
