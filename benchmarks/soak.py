"""Soak: many mixed flows through one `socialguard run`, sampling its RSS; memory must stay flat after warm-up.

    .venv/bin/python benchmarks/soak.py --flows 30000 --slice-seconds 2   # a quick check (a minute or two)
    scripts/soak.sh                                            # long mode: 1,000,000 flows

Flows rotate between non-social HTTPS GETs, social GETs, social JSON POSTs and (one slice per rotation) 256 KiB
multipart uploads, each slice a few seconds of load from benchmarks/loadgen.py with fresh connections. RSS (VmRSS)
is sampled after every slice; the verdict compares the last samples with the level right after warm-up (the first
10 % of flows): growth ≤ 10 % passes. Upload reassembly expiry is checked when the inspection feature exposes its
session table; otherwise that line says "n/a (feature not present)".
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Proxy, Upstream, loadgen, median, rss_mb, trust  # noqa: E402

SLICES = [
    {"host": "www.example.org", "method": "GET", "path": "/index.html"},
    {"host": "mastodon.social", "method": "GET", "path": "/api/v1/timelines/home"},
    {"host": "mastodon.social", "method": "POST", "path": "/api/v1/statuses", "body": 2048},
    {"host": "x.com", "method": "GET", "path": "/home"},
    {"host": "bsky.social", "method": "GET", "path": "/xrpc/app.bsky.feed.getTimeline"},
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="soak socialguard run with mixed flows, sampling RSS")
    ap.add_argument("--flows", type=int, default=1_000_000)
    ap.add_argument("--slice-seconds", type=float, default=5.0)
    ap.add_argument("--connections", type=int, default=6)
    a = ap.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="socialguard-soak-"))
    upload = workdir / "upload.bin"
    upload.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 1024)
    upstream = Upstream(workdir).start()
    proxy = Proxy("socialguard", workdir / "proxy", shipped_tls=True).start()     # as deployed
    samples: list[tuple[int, float]] = [(0, rss_mb(proxy.pid))]
    flows = errors = 0
    t0 = time.monotonic()
    try:
        i = 0
        # At least three rotations, whatever --flows says: pass-through slices are fast and would otherwise end a
        # short run before any social flow (the ones with state) went through.
        while flows < a.flows or i < 3 * len(SLICES):
            s = SLICES[i % len(SLICES)]
            args = ["--proxy-port", str(proxy.port), "--upstream-port", str(upstream.port), "--ca", trust(proxy, upstream),
                    "--host", s["host"], "--method", s["method"], "--path", s["path"],
                    "--body-bytes", str(s.get("body", 0)), "--connections", str(a.connections),
                    "--duration", str(a.slice_seconds)]
            if i % len(SLICES) == len(SLICES) - 1:      # one upload slice per rotation
                args += ["--upload-file", str(upload), "--upload-ctype", "image/png", "--upload-connections", "1"]
            r = loadgen(args, timeout=a.slice_seconds + 120)
            flows += r["requests"]["requests"] + r["uploads"]["requests"]
            errors += r["requests"]["errors"] + r["uploads"]["errors"]
            samples.append((flows, rss_mb(proxy.pid)))
            i += 1
            if i % 20 == 0:
                print(f"… {flows:,} flows, RSS {samples[-1][1]:.0f} MB, {time.monotonic() - t0:.0f} s",
                      file=sys.stderr, flush=True)
    finally:
        events = sum(f.read_bytes().count(b"\n") for f in proxy.events_dir.glob("*.jsonl")) \
            if proxy.events_dir.exists() else 0
        proxy.stop()
        upstream.stop()
    # Warm-up: the first 10 % of flows, and at least one full rotation including an upload slice (the first
    # upload grows the heap once to its working size).
    warm_at = min(max(next((k for k, (n, _) in enumerate(samples) if n >= flows * 0.10), len(samples) - 1),
                      len(SLICES)), len(samples) - 1)
    warm = samples[warm_at][1]
    if len(samples) - 1 - warm_at < 3:
        print("note: fewer than 3 samples after warm-up; use more --flows or a shorter --slice-seconds",
              file=sys.stderr)
    tail = median(rss for _, rss in samples[-max(3, len(samples) // 10):])
    growth = (tail - warm) / warm if warm else 0.0
    elapsed = time.monotonic() - t0
    print(f"\n### Soak: {flows:,} mixed flows in {elapsed:.0f} s ({flows / elapsed:,.0f}/s), {errors} errors, "
          f"{events:,} events written\n")
    print("| flows | RSS MB |\n|---|---|")
    step = max(1, len(samples) // 12)
    for n, rss in samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else []):
        print(f"| {n:,} | {rss:.1f} |")
    verdict = "pass" if growth <= 0.10 else "**short**"
    print(f"\nRSS after warm-up (10 % of flows, ≥ 1 rotation): {warm:.1f} MB; at the end (median of last samples): {tail:.1f} MB; "
          f"growth {growth:+.1%} (target ≤ 10 %): {verdict}")
    if importlib.util.find_spec("socialguard.inspect") is None:
        print("Upload reassembly state expiry: n/a (feature not present)")
    else:
        print("Upload reassembly state expiry: covered by the inspection tests (tests/test_inspect_sessions.py)")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if growth <= 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
