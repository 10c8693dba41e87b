"""Added time per page of the banner injection (not a test): decode, find <body>, render, insert, re-encode.

Pages imitate social sites: a head full of inline scripts and styles (some mentioning `<body>`), then the
body. For each size and content encoding it times `BannerService.inject` (everything the proxy adds to an
eligible page) and, for comparison, the eligibility checks that every other flow pays.

    .venv/bin/python benchmarks/banner_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import brotli
import zstandard

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addons"))

from socialguard.banner import BannerState, request_is_navigation, response_is_page  # noqa: E402
from socialguard.banner.service import BannerService, PageFacts  # noqa: E402
from socialguard.policy import load_policy  # noqa: E402

ENCODERS = {
    "identity": lambda b: b,
    "gzip": lambda b: gzip.compress(b, 6),
    "br": lambda b: brotli.compress(b, quality=5),
    "zstd": lambda b: zstandard.ZstdCompressor(level=3).compress(b),
}


BROWSER_ACCEPT = "gzip, deflate, br, zstd"      # Chromium since 123
NO_ZSTD_ACCEPT = "gzip, deflate, br"            # a browser without zstd: the page keeps its encoding


def make_page(size: int) -> bytes:
    """About `size` bytes: 70% head (inline scripts/styles, like big social sites), 30% body.

    Ids and numbers are pseudo-random so that the page compresses like a real one (about 5:1), not 500:1.
    """
    rnd = random.Random(size)

    def ids(n: int) -> str:
        return ",".join(f'"{rnd.getrandbits(64):x}":{rnd.random():.6f}' for _ in range(n))

    head = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Feed | Social</title>"]
    length = len(head[0])
    while length < size * 0.7:
        part = (f"<script nonce=\"n1\">(function(){{var t='<body>'; window.__d={{{ids(60)}}};}})();</script>\n"
                f"<style nonce=\"n2\">.a{rnd.getrandbits(24):x}{{color:#123}}.b>p{{margin:0}}</style>\n")
        head.append(part)
        length += len(part)
    body = ["</head><body class=\"feed\"><div id=\"root\">"]
    while length < size:
        part = (f"<article data-id=\"{rnd.getrandbits(64):x}\"><p>Un café à Montréal — {rnd.randint(1, 59)} min, "
                f"{rnd.randint(0, 9999)} likes</p><button>Like</button></article>\n")
        body.append(part)
        length += len(part)
    return ("".join(head) + "".join(body) + "</div></body></html>").encode()


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def run(quick: bool = False) -> list[dict]:
    policy = load_policy(ROOT / "policy")
    banner = replace(policy.banner, every_seconds=0)
    service = BannerService(BannerState())
    sizes = (20_000, 200_000) if quick else (20_000, 100_000, 500_000, 2_000_000)
    iterations = 30 if quick else 200
    csp = ("script-src 'nonce-n1' 'strict-dynamic'; style-src 'nonce-n2'",)
    rows = []
    for size in sizes:
        page = make_page(size)
        cases = [(e, accept) for e in ENCODERS for accept in ((BROWSER_ACCEPT, NO_ZSTD_ACCEPT) if e in ("gzip", "br")
                                                              else (BROWSER_ACCEPT,))]
        for encoding, accept in cases:
            raw = ENCODERS[encoding](page)
            facts = PageFacts("https", "www.facebook.com", 443, "https://www.facebook.com/", "text/html; charset=utf-8",
                              None if encoding == "identity" else encoding, csp, accept)

            def make_content():
                return service.content_for(banner, user="bench", platform="facebook", now=time.time(),
                                           accept_language="fr-CA,fr;q=0.9", minutes=lambda: 23.0,
                                           coaching=list, has_coaching=lambda: False, platform_names={})

            times, cpu = [], []
            for _ in range(iterations):
                t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
                out = service.inject(raw, facts, banner, faq_url="https://faq.example/", contact_url="mailto:a@b.c",
                                     make_content=make_content)
                cpu.append((time.thread_time_ns() - c0) / 1e6)
                times.append((time.perf_counter_ns() - t0) / 1e6)
                assert out is not None
            rows.append({"page_kb": size // 1000, "encoding": f"{encoding} -> {out.content_encoding or 'identity'}",
                         "wire_kb": round(len(raw) / 1000, 1),
                         "p50_ms": round(statistics.median(times), 3), "p99_ms": round(_percentile(times, 0.99), 3),
                         "cpu_p99_ms": round(_percentile(cpu, 0.99), 3), "iterations": iterations})
    # What every non-eligible flow pays: the two header checks.
    req = {"sec-fetch-dest": "empty", "sec-fetch-mode": "cors", "accept": "*/*"}.get
    resp = {"content-type": "application/json"}.get
    times = []
    for _ in range(iterations * 50):
        t0 = time.perf_counter_ns()
        request_is_navigation("GET", req)
        response_is_page(200, resp)
        times.append((time.perf_counter_ns() - t0) / 1e6)
    rows.append({"page_kb": 0, "encoding": "not eligible (checks only)", "wire_kb": 0,
                 "p50_ms": round(statistics.median(times), 4), "p99_ms": round(_percentile(times, 0.99), 4),
                 "cpu_p99_ms": None, "iterations": iterations * 50})
    return rows


def markdown(rows: list[dict]) -> str:
    lines = ["| page (kB) | content-encoding (served -> re-encoded) | on the wire (kB) | added p50 (ms) "
             "| added p99 (ms) | CPU p99 (ms) "
             "| runs |", "|---:|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        cpu = "" if r["cpu_p99_ms"] is None else r["cpu_p99_ms"]
        lines.append(f"| {r['page_kb']} | {r['encoding']} | {r['wire_kb']} | {r['p50_ms']} | {r['p99_ms']} | {cpu} | "
                     f"{r['iterations']} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer sizes and runs")
    args = ap.parse_args()
    print(markdown(run(args.quick)))


if __name__ == "__main__":
    main()
