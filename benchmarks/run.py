"""The benchmark: bare `mitmdump` vs `socialguard run`, side by side in one run; prints Markdown tables.

    .venv/bin/python benchmarks/run.py [--quick] [--only a,b,...] [--rounds N] [--modes regular,reverse]

Both proxies run in the same mode with the same mitmproxy options: regular mode (clients CONNECT through them)
and, for rows (a) (b) (c), also reverse mode (`--mode reverse:https://origin` with `keep_host_header`, clients
speak TLS to the proxy); each row says its mode. All traffic goes to one loopback HTTPS origin (benchmarks/upstream.py, its own process) and send the `Host` of the site being imitated. Load comes
from benchmarks/loadgen.py in a separate process. Rounds alternate the two proxies (ABBA order) and every figure is
the median over rounds, because this machine is shared and noisy. Then rows from every `benchmarks/*_bench.py`
module with a `run(quick) -> list[dict]` (inspection, reports, banner, ...); a module that is missing or whose
feature is not present prints "n/a". See docs/benchmarks.md for what each row measures and the targets.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (BENCH, MODES, Proxy, Upstream, cpu_seconds_tree, fmt, loadgen, markdown_table,  # noqa: E402
                    median, peak_rss_tree_mb, trust)

KINDS = ("bare", "socialguard")
LABEL = {"bare": "bare mitmdump", "socialguard": "socialguard run"}


@dataclass(frozen=True)
class Workload:
    key: str
    title: str
    host: str = "www.example.org"
    method: str = "GET"
    path: str = "/index.html"
    body_bytes: int = 0
    upload: str = ""              # "" | "image" | "document"
    shipped_tls: bool = False     # socialguard with the shipped TLS choice (non-social passes through)


WORKLOADS = [
    Workload("a", "non-social HTTPS GETs"),
    Workload("a2", "non-social HTTPS GETs, socialguard as shipped (TLS passes through)", shipped_tls=True),
    Workload("b", "social GETs (mastodon.social timeline)", host="mastodon.social", path="/api/v1/timelines/home"),
    Workload("c", "social POSTs, 2 KB JSON status", host="mastodon.social", method="POST",
             path="/api/v1/statuses", body_bytes=2048),
    Workload("d", "non-social GETs while 5 MB image uploads run", upload="image"),
    Workload("e", "one 200 MB document upload (.docx)", upload="document"),
]


# -- fixtures on disk -------------------------------------------------------------------------------
def make_image(path: Path, target_bytes: int = 5 * 1024 * 1024) -> Path:
    """A ~5 MB JPEG: smooth gradients plus noise, like a photo (pure noise would be unrealistically slow)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    w, h = 3200, 2400
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([(x * 255 // w), (y * 255 // h), ((x + y) * 255 // (w + h))], axis=-1).astype(np.int16)
    for quality in (92, 96, 98):
        noisy = np.clip(base + rng.integers(-40, 40, size=base.shape), 0, 255).astype(np.uint8)
        Image.fromarray(noisy).save(path, "JPEG", quality=quality)
        if path.stat().st_size >= target_bytes * 0.9:
            break
    return path


def make_document(path: Path, size_mb: int = 200) -> Path:
    """A .docx whose bulk is an embedded media part (that is what makes real documents big); the text carries a
    classification marking so a marker check has something to find."""
    ctypes = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
              'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
              'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="bin"'
              ' ContentType="application/octet-stream"/><Override PartName="/word/document.xml" ContentType='
              '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    doc = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>PROTECTED B</w:t></w:r></w:p><w:p><w:r><w:t>'
           'Quarterly figures, draft for discussion.</w:t></w:r></w:p></w:body></w:document>')
    block = os.urandom(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", ctypes)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", doc)
        with z.open("word/media/blob1.bin", "w", force_zip64=True) as f:
            for _ in range(size_mb):
                f.write(block)
    return path


# Rows measured in both deployment modes; the others (pass-through, uploads) in regular mode only.
BOTH_MODES = ("a", "b", "c")


def load_args(proxy, upstream: Upstream, w: Workload, mode: str) -> list[str]:
    """loadgen's arguments for this workload through this proxy (CONNECT tunnels, or TLS to a reverse proxy)."""
    args = ["--proxy-port", str(proxy.port), "--upstream-port", str(upstream.port), "--ca", trust(proxy, upstream),
            "--host", w.host, "--method", w.method, "--path", w.path, "--body-bytes", str(w.body_bytes)]
    return args + (["--reverse", "--upload-host", w.host] if mode == "reverse" else [])


# -- one measurement --------------------------------------------------------------------------------
def measure(proxy, upstream: Upstream, w: Workload, quick: bool, files: dict[str, Path], mode: str = "regular") -> dict:
    base = load_args(proxy, upstream, w, mode)
    # Short phases, many rounds: the finer the interleaving, the better other load on the machine cancels out.
    dur = 1.0 if quick else 2.0
    cpu0 = cpu_seconds_tree(proxy.pid)
    if w.upload == "document":
        r = loadgen(base + ["--connections", "0", "--upload-file", str(files["document"]), "--upload-ctype",
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "--once"],
                    timeout=600)
        up = r["uploads"]
        cpu = cpu_seconds_tree(proxy.pid) - cpu0
        secs = up["p50_ms"] / 1000 if up["p50_ms"] else None
        return {"rps": None, "p50": None, "p99": None, "upload_s": secs, "errors": up["errors"] + r["requests"]["errors"],
                "cpu_per_1k": None, "cpu": cpu, "first_error": up["first_error"],
                "mb_s": up["mb_sent"] / secs if secs else None}
    if w.upload == "image":
        r = loadgen(base + ["--connections", "2", "--duration", str(dur * 1.5), "--upload-file",
                            str(files["image"]), "--upload-ctype", "image/jpeg", "--upload-connections", "1"],
                    timeout=dur * 1.5 + 120)
        cpu = cpu_seconds_tree(proxy.pid) - cpu0
        g, up = r["requests"], r["uploads"]
        n = g["requests"] + up["requests"]
        return {"rps": g["rps"], "p50": g["p50_ms"], "p99": g["p99_ms"], "uploads": up["requests"],
                "errors": g["errors"] + up["errors"], "cpu_per_1k": cpu / n * 1000 if n else None,
                "first_error": g["first_error"] or up["first_error"]}
    thr = loadgen(base + ["--connections", "8", "--duration", str(dur)], timeout=dur + 60)["requests"]
    cpu = cpu_seconds_tree(proxy.pid) - cpu0
    # Latency without queueing: one connection, requests back to back. Under saturation (8 connections) the
    # p99 is mostly queueing and would hide the per-request cost the target is about.
    lat = loadgen(base + ["--connections", "1", "--duration", str(dur / 2)], timeout=dur + 60)["requests"]
    return {"rps": thr["rps"], "p50": lat["p50_ms"], "p99": lat["p99_ms"], "errors": thr["errors"] + lat["errors"],
            "cpu_per_1k": cpu / thr["requests"] * 1000 if thr["requests"] else None,
            "first_error": thr["first_error"] or lat["first_error"]}


def run_workload(w: Workload, upstream: Upstream, workdir: Path, rounds: int, quick: bool,
                 files: dict[str, Path], mode: str = "regular") -> dict[str, dict]:  # noqa: C901
    results: dict[str, list[dict]] = {k: [] for k in KINDS}
    rss: dict[str, list[float]] = {k: [] for k in KINDS}
    events = 0
    fresh_each_round = w.upload == "document"   # peak RSS (VmHWM) is per process lifetime
    proxies: dict[str, Proxy] = {}

    def start_pair(tag: str) -> None:
        for k in KINDS:
            proxies[k] = Proxy(k, workdir / f"{w.key}-{mode}-{k}-{tag}", shipped_tls=w.shipped_tls, mode=mode,
                               upstream_port=upstream.port).start()
        if w.upload != "document":          # warm up: certificates, imports, first-flow caches
            for k in KINDS:
                loadgen(load_args(proxies[k], upstream, w, mode) + ["--connections", "2", "--duration", "0.5"],
                        timeout=60)

    def stop_pair() -> None:
        nonlocal events
        for k in KINDS:
            p = proxies.pop(k)
            rss[k].append(peak_rss_tree_mb(p.pid))
            p.stop()
            if k == "socialguard" and p.events_dir.exists():
                events += sum(f.read_bytes().count(b"\n") for f in p.events_dir.glob("*.jsonl"))

    if not fresh_each_round:
        start_pair("0")
    try:
        for i in range(rounds):
            if fresh_each_round:
                start_pair(str(i))
            order = KINDS if i % 2 == 0 else KINDS[::-1]
            for k in order:
                results[k].append(measure(proxies[k], upstream, w, quick, files, mode))
            if fresh_each_round:
                stop_pair()
    finally:
        if proxies:
            stop_pair()
    out = {}
    for k in KINDS:
        rs = results[k]
        out[k] = {key: median(r.get(key) for r in rs)
                  for key in ("rps", "p50", "p99", "cpu_per_1k", "upload_s", "mb_s", "uploads", "cpu")}
        out[k]["errors"] = sum(r["errors"] for r in rs)
        out[k]["first_error"] = next((r["first_error"] for r in rs if r.get("first_error")), "")
        out[k]["peak_rss"] = median(rss[k])
    out["socialguard"]["events"] = events
    return out


# -- targets ----------------------------------------------------------------------------------------
def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("pass" if ok else "**short**")


CPU_TARGETS = {"a": 1.03, "b": 1.10, "c": 1.25}     # CPU per request, socialguard / bare (issue 19)
RPS_TARGETS = {"a": 0.97, "b": 0.90}


def mode_label(res_key: str) -> str:
    key, _, mode = res_key.partition("/")
    return f"({key}, {mode or 'regular'})"


def targets(res: dict[str, dict]) -> list[list[str]]:  # noqa: C901
    rows = []

    def ratio_rows(res_key: str) -> None:
        key = res_key.split("/")[0]
        label = mode_label(res_key)
        r = res.get(res_key)
        if not r or not r["bare"]["rps"] or r["socialguard"]["rps"] is None:
            rows.append([f"{label} vs bare", "not run", "n/a"])
            return
        if key in RPS_TARGETS:
            need = RPS_TARGETS[key]
            ratio = r["socialguard"]["rps"] / r["bare"]["rps"]
            rows.append([f"{label} req/s ≥ {need:.0%} of bare", f"{ratio:.1%}", verdict(ratio >= need)])
        if r["bare"]["cpu_per_1k"] and r["socialguard"]["cpu_per_1k"]:
            # req/s only drops once the proxy saturates its core; CPU per request shows the cost before that.
            f = r["socialguard"]["cpu_per_1k"] / r["bare"]["cpu_per_1k"]
            rows.append([f"{label} CPU per request ≤ {CPU_TARGETS[key]:.2f}× bare", f"{f:.2f}×",
                         verdict(f <= CPU_TARGETS[key])])
        added = r["socialguard"]["p99"] - r["bare"]["p99"]
        rows.append([f"{label} p99 added ≤ 1 ms", f"{added:+.2f} ms", verdict(added <= 1.0)])

    for res_key in res:
        if res_key.split("/")[0] in CPU_TARGETS:
            ratio_rows(res_key)
    d = res.get("d")
    if d and d["bare"]["p99"] and d["socialguard"]["p99"] is not None:
        f = d["socialguard"]["p99"] / d["bare"]["p99"]
        rows.append(["(d) GETs' p99 during uploads ≤ 2× bare", f"{f:.2f}×", verdict(f <= 2.0)])
        if d["bare"]["uploads"]:
            u = (d["socialguard"]["uploads"] or 0) / d["bare"]["uploads"]
            rows.append(["(d) 5 MB uploads (inspected) ≥ 50 % of bare's rate", f"{u:.0%}", verdict(u >= 0.5)])
        if d["bare"]["peak_rss"] and d["socialguard"]["peak_rss"]:
            m = d["socialguard"]["peak_rss"] / d["bare"]["peak_rss"]
            rows.append(["(d) peak RSS, proxy + workers < 2× bare", f"{m:.2f}×", verdict(m < 2.0)])
    else:
        rows.append(["(d) GETs' p99 during uploads ≤ 2× bare", "not run", "n/a"])
    e = res.get("e")
    if e and e["bare"]["peak_rss"] and e["socialguard"]["peak_rss"]:
        extra = e["socialguard"]["peak_rss"] - e["bare"]["peak_rss"]
        rows.append(["(e) peak RSS ≤ bare + 100 MB", f"{extra:+.0f} MB", verdict(extra <= 100)])
    else:
        rows.append(["(e) peak RSS ≤ bare + 100 MB", "not run", "n/a"])
    return rows


# -- rows from feature benchmarks -------------------------------------------------------------------
def feature_rows(quick: bool) -> tuple[list[dict], list[str]]:
    """Every benchmarks/*_bench.py with run(quick): its rows, tagged with the module; failures become notes."""
    rows: list[dict] = []
    notes: list[str] = []
    expected = {"inspect_bench": "marker scan MB/s per format, logo ms per image",
                "report_bench": "report seconds on the synthetic month", "banner_bench": "banner injection",
                "multiprocess_bench": "multi-process proxy"}
    found = sorted(BENCH.glob("*_bench.py"))
    for name, what in expected.items():
        if not (BENCH / f"{name}.py").exists():
            rows.append({"module": name, "name": what, "value": "n/a (feature not present)"})
    for path in found:
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        try:
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            if not callable(getattr(mod, "run", None)):
                continue
            t0 = time.monotonic()
            got = mod.run(quick)
            for r in got or []:
                rows.append({"module": path.stem, **(r if isinstance(r, dict) else {"value": r})})
            notes.append(f"{path.stem}: {time.monotonic() - t0:.1f} s")
        except ImportError as e:
            rows.append({"module": path.stem, "name": "", "value": f"n/a (feature not present: {e})"})
        except Exception as e:  # noqa: BLE001 - one broken module must not cost the whole table
            rows.append({"module": path.stem, "name": "", "value": f"error: {e!r}"})
            notes.append(traceback.format_exc(limit=3))
    return rows, notes


def is_target_row(r: dict) -> bool:
    return any(k in r for k in ("target", "pass", "ok", "status"))


def feature_pass(r: dict) -> str:
    for k in ("pass", "ok"):
        if k in r and isinstance(r[k], bool):
            return verdict(r[k])
    s = str(r.get("status", "")).strip().lower()
    if s in ("pass", "ok", "short", "fail"):
        return "pass" if s in ("pass", "ok") else "**short**"
    return str(r.get("status", "n/a"))


def render_feature_rows(rows: list[dict]) -> str:
    """One table per module, with only the columns that module reports."""
    out = []
    for module in dict.fromkeys(r.get("module") for r in rows):
        mine = [r for r in rows if r.get("module") == module]
        keys: list[str] = []
        for r in mine:
            keys += [k for k in r if k not in keys and k not in ("pass", "ok", "module")]
        out.append(f"**{module}**\n\n" + markdown_table(
            keys, [[fmt(r.get(k), 2) if r.get(k) is not None else "" for k in keys] for r in mine]))
    return "\n\n".join(out)


def text_scan_target(rows: list[dict]) -> list[str]:
    """The issue's 'text scan ≥ 300 MB/s' from the inspection module's throughput rows (raw text scan)."""
    rates = [r["mb_per_s"] for r in rows if isinstance(r.get("mb_per_s"), (int, float))
             and any("text scan" in str(v) for v in r.values())]
    if not rates:
        return ["text scan ≥ 300 MB/s", "n/a (feature not present)", "n/a"]
    rate = median(rates)
    return ["text scan ≥ 300 MB/s", f"{rate:,.0f} MB/s", verdict(rate >= 300)]


# -- main -------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="bare mitmdump vs socialguard run, side by side")
    ap.add_argument("--quick", action="store_true", help="shorter rounds, fewer of them (≈2 min)")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--only", default="", help="comma-separated workload keys (a,b,c,d,e) or 'features'")
    ap.add_argument("--modes", default=",".join(MODES),
                    help="regular (CONNECT tunnels) and/or reverse (--mode reverse: with keep_host_header); "
                         f"rows {','.join(BOTH_MODES)} run in each, the others in regular mode only")
    a = ap.parse_args(argv)
    rounds = a.rounds or (5 if a.quick else 9)
    only = set(filter(None, a.only.split(",")))
    selected = [w for w in WORKLOADS if not only or w.key in only]
    modes = [m for m in a.modes.split(",") if m in MODES]
    runs = [(w, m) for w in selected for m in modes if m == "regular" or w.key in BOTH_MODES]
    t_start = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="socialguard-bench-"))
    res: dict[str, dict] = {}
    upstream = Upstream(workdir).start()
    try:
        files: dict[str, Path] = {}
        if any(w.upload == "image" for w in selected):
            files["image"] = make_image(workdir / "photo.jpg")
        if any(w.upload == "document" for w in selected):
            files["document"] = make_document(workdir / "report.docx", 50 if a.quick and a.rounds == 0 else 200)
        alone = loadgen(["--upstream-port", str(upstream.port), "--connections", "8", "--duration", "1"],
                        timeout=60)["requests"]["rps"]
        for w, mode in runs:
            n = max(1, rounds // 4) if w.upload == "document" else rounds
            print(f"… ({w.key}) {w.title}, {mode} mode: {n} rounds", file=sys.stderr, flush=True)
            res[w.key if mode == "regular" else f"{w.key}/{mode}"] = run_workload(w, upstream, workdir, n, a.quick,
                                                                                files, mode)
    finally:
        upstream.stop()
    rows = []
    for w, mode in runs:
        res_key = w.key if mode == "regular" else f"{w.key}/{mode}"
        for k in KINDS:
            r = res[res_key][k]
            if w.upload == "document":
                rate = f"{fmt(r['upload_s'], 2)} s ({fmt(r['mb_s'], 0)} MB/s)"
            else:
                rate = fmt(r["rps"], 0)
            cpu = fmt(r["cpu_per_1k"], 2) if r["cpu_per_1k"] is not None else f"{fmt(r.get('cpu'), 2)} s total"
            rows.append([f"({w.key}) {w.title}", mode, LABEL[k], rate, fmt(r["p50"], 2), fmt(r["p99"], 2),
                         fmt(r["peak_rss"], 0), cpu, str(r["errors"])])
    # Tunnels passed through untouched are a TCP relay, not proxy work: they do not count for this check.
    max_rps = max((res[key][k]["rps"] or 0 for key in res for k in KINDS if key != "a2"), default=0)
    print(f"\n### socialguard vs bare mitmdump ({'quick' if a.quick else 'full'} run, {rounds} rounds, medians)\n")
    print(markdown_table(["workload", "mode", "proxy", "req/s (e: upload time)", "p50 ms", "p99 ms",
                          "peak RSS MB (+ workers)",
                          "CPU s / 1k req", "errors"], rows))
    print(f"\nUpstream alone (8 connections, no proxy): {alone:,.0f} req/s; the fastest proxy row reached "
          f"{max_rps:,.0f} req/s, so the upstream is {'not ' if alone > 3 * max_rps else ''}the bottleneck.")
    if any(key.split("/")[0] in ("b", "c") for key in res):
        print(f"socialguard wrote {sum(res[k]['socialguard']['events'] for k in res)} events in these workloads "
              "(proof it classified the social rows).")
    errs = {f"{key}/{k}": res[key][k]["first_error"] for key in res for k in KINDS if res[key][k]["first_error"]}
    if errs:
        print("First errors: " + "; ".join(f"{k}: {v}" for k, v in errs.items()))
    frows, notes = ([], []) if only and "features" not in only else feature_rows(a.quick)
    trows = targets(res)
    for r in frows:
        if is_target_row(r):
            trows.append([f"{r.get('module')}: {r.get('name', '')} {r.get('target', '')}".strip(),
                          fmt(r.get("value"), 2), feature_pass(r)])
    if not any("scan" in str(t[0]).lower() for t in trows):
        trows.append(text_scan_target(frows))
    if frows:
        print("\n### Feature benchmarks\n")
        print(render_feature_rows(frows))
    print("\n### Targets\n")
    print(markdown_table(["target", "measured", "result"], trows))
    for n in notes:
        print(f"\n<!-- {n.strip()} -->", file=sys.stderr)
    print(f"\n(total {time.monotonic() - t_start:.0f} s)")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
