"""Scores the detectors on one part of the evaluation set (`tuning` or `heldout`): recall and false-flag rate
per kind, per reference mark, per variant / form / carrier, evidence-box IoU, ms per ~1-MP image.

The evaluated policy is the shipped one with its logos folder replaced by the evaluation's marks."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from . import documents, marks, markings, scenes
from .split import PARTS, Part

ROOT = Path(__file__).resolve().parents[2]


def eval_policy(tmp: Path):
    from socialguard.policy import load_policy

    folder = tmp / "policy"
    shutil.copytree(ROOT / "policy", folder)
    shutil.rmtree(folder / "logos")
    marks.write_references(folder / "logos")
    return load_policy(folder)


def _rate(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def iou(a, b) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    iw = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    ih = max(0, min(ay + ah, by + bh) - max(ay, by))
    inter = iw * ih
    return inter / max(1, aw * ah + bw * bh - inter)


class Tally:
    def __init__(self):
        self.rows: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, key: tuple, ok: bool) -> None:
        r = self.rows[key]
        r[0] += bool(ok)
        r[1] += 1

    def out(self, label: str) -> list[dict]:
        return [{"group": label, "key": "/".join(map(str, k)), "hit": v[0], "total": v[1], "rate": _rate(*v)}
                for k, v in sorted(self.rows.items())]


def score_logos(policy, part: Part, n_mark: int, n_clean: int, n_look: int) -> list[dict]:
    from socialguard.inspect.detect.logos import LogoMatcher

    matcher = LogoMatcher(policy.markers.logos)
    pos, neg, ious, times = Tally(), Tally(), [], []
    wrong = 0
    for s in scenes.logo_scenes(part, n_mark, n_clean, n_look):
        t = time.perf_counter()
        found = matcher.match(s.image)
        times.append((time.perf_counter() - t) / (s.image.width * s.image.height / 1e6))
        names = {m.name for m in found}
        if s.truth:
            ok = s.truth in names
            scale = "small(<0.2)" if s.width_fraction < 0.2 else "mid(0.2-0.5)" if s.width_fraction < 0.5 \
                else "large(>=0.5)"
            pos.add(("all",), ok)
            pos.add(("mark", s.truth), ok)
            pos.add(("variant", s.variant), ok)
            pos.add(("scale", scale), ok)
            pos.add(("mark x variant", s.truth, s.variant), ok)
            wrong += len(names - {s.truth})
            if ok:
                box = next(m.bbox for m in found if m.name == s.truth)
                ious.append(iou(box, s.box))
        else:
            neg.add(("all",), bool(found))
            neg.add(("source", s.source), bool(found))
    good_iou = sum(1 for v in ious if v >= 0.5)
    times.sort()
    return (pos.out("logo recall") + neg.out("logo false flags")
            + [{"group": "logo box", "key": "IoU>=0.5 share of detections", "hit": good_iou, "total": len(ious),
                "rate": _rate(good_iou, len(ious))},
               {"group": "logo speed", "key": "ms per 1 MP (median / p90)",
                "rate": f"{1000 * times[len(times) // 2]:.0f} / {1000 * times[int(len(times) * 0.9)]:.0f}"},
               {"group": "logo", "key": "wrong reference on positives", "hit": wrong}])


def vector_pdfs(part: Part, n: int) -> list[tuple[bytes, str | None, str]]:
    """PDF pages with the marks drawn as vectors (no picture), and look-alikes drawn the same way."""
    from support.fixtures_inspect import raw_pdf as raw_pdf_ops

    rng = random.Random(part.seed + 7)
    out = []
    for i in range(n):
        x, y, w = rng.uniform(40, 300), rng.uniform(80, 600), rng.uniform(60, 260)
        body = f"BT /F1 11 Tf 72 760 Td (Quarterly newsletter {i}) Tj ET\n".encode()
        kind = ["flag_symbol", "canada_wordmark", "flag_no_leaf", "word_canada"][i % 4]
        if kind == "flag_symbol":
            ops = marks.pdf_flag_ops(x, y, w)
        elif kind == "flag_no_leaf":
            ops = marks.pdf_flag_ops(x, y, w, centre=False)
        else:
            ops = marks.pdf_wordmark_ops(x, y, w / 3, with_flag=kind == "canada_wordmark")
        truth = kind if kind in marks.REFERENCES else None
        out.append((raw_pdf_ops(body + ops), truth, kind))
    return out


def score_vector_pdfs(policy, part: Part, n: int) -> list[dict]:
    from socialguard.inspect.scanner import Scanner

    scanner = Scanner(_no_ocr(policy))
    pos, neg = Tally(), Tally()
    for data, truth, kind in vector_pdfs(part, n):
        names = {f.name for f in scanner.scan_bytes(data, "v.pdf").findings if f.kind == "logo"}
        if truth:
            pos.add(("vector pdf", truth), truth in names)
        else:
            neg.add(("vector pdf", kind), bool(names))
    return pos.out("logo recall") + neg.out("logo false flags")


def _no_ocr(policy):
    return replace(policy, inspection=replace(policy.inspection, ocr=replace(policy.inspection.ocr, enabled=False)))


def score_markings(policy, part: Part, n_prose: int, office: bool, n_images: int) -> list[dict]:
    from socialguard.inspect.scanner import Scanner

    scanner = Scanner(_no_ocr(policy))
    insp = policy.inspection
    pos, neg = Tally(), Tally()
    positives = markings.positives(part)
    negatives = markings.negatives(part, n_prose)

    def judge(report, truth):
        found = [f for f in report.findings if f.kind == "marker"]
        return truth in {f.name for f in found}, bool(found), any(insp.action_for(f.kind, f.rule) == "block"
                                                                  for f in found)

    carriers = {
        "text": lambda t: scanner.scan_bytes(t.encode(), "t.txt"),
        "json": lambda t: scanner.scan_body(json.dumps({"status": t}).encode(), "application/json"),
    }
    for name, make in carriers.items():
        for t in positives:
            ok, _, _ = judge(make(t.text), t.truth)
            pos.add(("all",), ok)
            pos.add(("form", t.form), ok)
            pos.add(("carrier", name), ok)
            pos.add(("marking", t.truth), ok)
        for t in negatives:
            _, flagged, blocked = judge(make(t.text), None)
            neg.add(("flagged", t.form), flagged)
            neg.add(("flagged", "all"), flagged)
            neg.add(("blocked", "all"), blocked)
    if office and documents.soffice():
        rng = random.Random(part.seed + 3)
        sample = rng.sample(positives, min(40, len(positives)))
        nsample = [t for t in negatives if t.form == "hard_negative"] + rng.sample(
            [t for t in negatives if t.form != "hard_negative"], 20)
        font = rng.choice(["Liberation Serif", "DejaVu Sans"] if part.name == "tuning"
                          else ["Noto Serif", "C059"])
        srcs = {f"p{i}": documents.fodt(t.text, font=font) for i, t in enumerate(sample)}
        srcs |= {f"n{i}": documents.fodt(t.text, font=font) for i, t in enumerate(nsample)}
        for fmt in ("docx", "pdf"):
            files = documents.convert(srcs, fmt)
            for i, t in enumerate(sample):
                data = files.get(f"p{i}")
                ok = data is not None and judge(scanner.scan_bytes(data, f"x.{fmt}"), t.truth)[0]
                pos.add(("all",), ok)
                pos.add(("carrier", f"libreoffice {fmt}"), ok)
                pos.add(("form", t.form), ok)
            for i, t in enumerate(nsample):
                data = files.get(f"n{i}")
                _, flagged, blocked = judge(scanner.scan_bytes(data, f"x.{fmt}"), None) if data else (0, 0, 0)
                neg.add(("flagged", f"libreoffice {fmt}"), flagged)
                neg.add(("flagged", "all"), flagged)
                neg.add(("blocked", "all"), blocked)
    rows = pos.out("marking recall") + neg.out("marking false flags")
    if n_images:
        rows += score_ocr(policy, part, n_images)
    return rows


def score_ocr(policy, part: Part, n: int) -> list[dict]:
    from socialguard.inspect.detect.ocr import tesseract_languages
    from socialguard.inspect.scanner import Scanner

    if not tesseract_languages():
        return [{"group": "ocr", "key": "tesseract not installed"}]
    scanner = Scanner(policy)
    rng = random.Random(part.seed + 5)
    pos, neg, times = Tally(), Tally(), []
    kinds = ["skew7", "blur", "stamp_photo", "plain"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        name, m, f = rng.choice(markings.MARKINGS)
        body = ["Quarterly staffing plan", "Draft for discussion with the region", "Budget and hiring targets"]
        font = rng.choice(part.fonts[:6])
        photo = scenes._photo(rng.choice(part.photos)) if kind == "stamp_photo" else None
        lines = body if kind == "stamp_photo" else [m, *body]
        im = documents.page_image(lines, font, rng, skew=documents.angle_deg(rng, 7.5) if kind == "skew7" else 0,
                                  blur=1.3 if kind == "blur" else 0, stamp=m if kind == "stamp_photo" else None,
                                  photo=photo)
        buf = scenes.jpeg(im, 85)
        import io

        b = io.BytesIO()
        buf.save(b, "JPEG", quality=88)
        t = time.perf_counter()
        r = scanner.scan_bytes(b.getvalue(), "page.jpg")
        times.append(time.perf_counter() - t)
        pos.add(("ocr", kind), name in {x.name for x in r.findings if x.kind == "marker"})
        clean = documents.page_image(body, font, rng, skew=documents.angle_deg(rng, 7.5) if kind == "skew7" else 0,
                                     photo=photo)
        b = io.BytesIO()
        clean.save(b, "JPEG", quality=88)
        neg.add(("ocr", kind), any(x.kind == "marker" for x in scanner.scan_bytes(b.getvalue(), "c.jpg").findings))
    times.sort()
    return (pos.out("ocr marking recall") + neg.out("ocr false flags")
            + [{"group": "ocr speed", "key": "ms per ~1 MP page (median)", "rate": round(1000 * times[len(times) // 2])}])


def score_labels(policy, part: Part) -> list[dict]:
    from socialguard.inspect.scanner import Scanner

    if not documents.soffice():
        return [{"group": "labels", "key": "LibreOffice not installed"}]
    scanner = Scanner(_no_ocr(policy))
    rng = random.Random(part.seed + 11)
    sensitive = ["Protected B", "Protégé A", "Confidential", "Secret", "Protected B / Protégé B"][part.prose_modules::1]
    benign = ["Unclassified", "Public", "Non classifié", "General", "Publique"]
    cases = []
    for i in range(12):
        guid = "%08x-%04x-4%03x-8%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                                 rng.getrandbits(12), rng.getrandbits(48))
        key = f"MSIP_Label_{guid}_"
        lab = rng.choice(sensitive)
        cases.append(({key + "Enabled": "true", key + "Name": lab, key + "Method": "Standard",
                       key + "SiteId": guid}, True, "enabled"))
        cases.append(({key + "Enabled": "false", key + "Name": lab, key + "SetDate": "2025-01-01T00:00:00Z"},
                      False, "disabled"))
        cases.append(({key + "Enabled": "true", key + "Name": rng.choice(benign)}, False, "benign"))
        cases.append(({"Classification": lab, "Department": "Finance", "Reviewed by": "Secret Santa committee",
                       "MSIP_Label_Name": lab, f"Label_{guid}_Name": lab}, False, "not a label"))
    srcs = {f"c{i}": documents.fodt("Quarterly notes for the team.", props) for i, (props, _, _) in enumerate(cases)}
    files = documents.convert(srcs, "docx")
    pos, neg = Tally(), Tally()
    for i, (_, truth, kind) in enumerate(cases):
        data = files.get(f"c{i}")
        got = bool(data) and any(f.kind == "label" for f in scanner.scan_bytes(data, "l.docx").findings)
        (pos if truth else neg).add(("label", kind), got)
    return pos.out("label recall") + neg.out("label false flags")


def run(part_name: str, quick: bool = False, office: bool = True, ocr_images: int = 12,
        per_mark: int = 30) -> list[dict]:
    part = PARTS[part_name]
    with tempfile.TemporaryDirectory(prefix="sg-eval-") as tmp:
        policy = eval_policy(Path(tmp))
        n = 6 if quick else per_mark
        rows = score_logos(policy, part, n, n, max(1, n // 5))
        rows += score_vector_pdfs(policy, part, 8 if quick else 24)
        rows += score_markings(policy, part, 300 if quick else 3000, office and not quick,
                               0 if quick else ocr_images)
        if office and not quick:
            rows += score_labels(policy, part)
    for r in rows:
        r["part"] = part_name
    return rows


def markdown(rows: list[dict]) -> str:
    out = ["| part | group | key | hit / total | rate |", "|---|---|---|---|---|"]
    for r in rows:
        ht = f"{r['hit']} / {r['total']}" if "total" in r else str(r.get("hit", ""))
        out.append(f"| {r['part']} | {r['group']} | {r['key']} | {ht} | {r.get('rate', '')} |")
    return "\n".join(out)
