"""Face check (guideline 2.4): recall and false-alarm rate on a labelled face / no-face set, and ms per 1-MP image.

The set is built only from images that registry packages ship: scikit-image's `skimage.data` (the LFW subset's
100 face and 100 non-face crops, the astronaut and cameraman photos, textures and scenes) and the policy's logo
stand-ins, plus rendered document pages. Face images are augmented (scaled down to small faces, rotated, partly
covered, JPEG-compressed) and pasted into non-face scenes. Two parts, made from disjoint source images, seeds and
backgrounds: `tune` (looked at while choosing the threshold) and `held-out` (scored only at the end).

    nice python benchmarks/faces_bench.py [--per-part N] [--threshold T] [--cascade]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from skimage import data as skdata

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addons"))
from socialguard.inspect.detect.faces import FaceCounter  # noqa: E402
from socialguard.policy.checks import FaceCheck  # noqa: E402

SCENES = {  # disjoint backgrounds per part
    "tune": ["brick", "grass", "coffee", "rocket", "coins", "moon", "text", "hubble_deep_field"],
    "held-out": ["gravel", "chelsea", "retina", "immunohistochemistry", "motorcycle_left", "clock", "page", "logo"],
}
PORTRAITS = {"tune": ["astronaut"], "held-out": ["camera"]}


def _rgb(a: np.ndarray) -> Image.Image:
    a = np.asarray(a)
    if a.dtype != np.uint8:
        a = (255 * (a - a.min()) / max(1e-9, float(a.max() - a.min()))).astype(np.uint8)
    if a.ndim == 2:
        a = np.stack([a] * 3, -1)
    return Image.fromarray(a[..., :3])


def scenes(part: str) -> list[Image.Image]:
    out = []
    for name in SCENES[part]:
        try:
            out.append(_rgb(getattr(skdata, name)()))
        except Exception:                   # a sample that needs a download (pooch) is not used
            continue
    return out


def faces_lfw(part: str) -> tuple[list[Image.Image], list[Image.Image]]:
    lfw = skdata.lfw_subset()               # 100 faces then 100 non-faces, 25x25 grey
    idx = range(0, 100, 2) if part == "tune" else range(1, 100, 2)
    return [_rgb(lfw[i]) for i in idx], [_rgb(lfw[100 + i]) for i in idx]


def _jpeg(im: Image.Image, rng: random.Random) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=rng.randint(35, 90))
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _canvas(bg: Image.Image, rng: random.Random, size=(1024, 768)) -> Image.Image:
    w, h = bg.size
    crop = bg.crop((rng.randint(0, max(0, w // 4)), rng.randint(0, max(0, h // 4)), w, h))
    return crop.resize(size, Image.Resampling.BILINEAR)


def _occlude(im: Image.Image, rng: random.Random) -> Image.Image:
    im = im.copy()
    w, h = im.size
    d = ImageDraw.Draw(im)
    side = rng.choice(["bottom", "left", "right", "top", "none"])
    colour = tuple(rng.randint(0, 255) for _ in range(3))
    frac = rng.uniform(0.15, 0.3)
    if side == "bottom":
        d.rectangle((0, int(h * (1 - frac)), w, h), fill=colour)
    elif side == "left":
        d.rectangle((0, 0, int(w * frac), h), fill=colour)
    elif side == "right":
        d.rectangle((int(w * (1 - frac)), 0, w, h), fill=colour)
    elif side == "top":
        d.rectangle((0, 0, w, int(h * frac)), fill=colour)
    return im


def face_image(face: Image.Image, bg: Image.Image, rng: random.Random, tight: bool) -> Image.Image:
    """One face pasted into a scene: 24-160 px, rotated up to 25 degrees, maybe partly covered, then JPEG."""
    canvas = _canvas(bg, rng)
    side = rng.randint(24, 160)
    f = face.resize((side, side), Image.Resampling.BICUBIC) if tight else face
    if not tight:                            # a portrait photo: scale so the whole photo is side*3 wide
        scale = side * 3 / f.width
        f = f.resize((max(8, int(f.width * scale)), max(8, int(f.height * scale))), Image.Resampling.BILINEAR)
    f = _occlude(f, rng)
    f = f.convert("RGBA").rotate(rng.uniform(-25, 25), expand=True, resample=Image.Resampling.BICUBIC)
    x = rng.randint(0, max(0, canvas.width - f.width))
    y = rng.randint(0, max(0, canvas.height - f.height))
    canvas.paste(f, (x, y), f)
    return _jpeg(canvas, rng)


def document_page(rng: random.Random) -> Image.Image:
    page = Image.new("RGB", (850, 1100), "white")
    d = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=rng.randint(14, 22))
    y = 40
    while y < 1050:
        d.text((50, y), " ".join(rng.choice(["Table", "2026", "population", "census", "rate", "%", "Canada",
                                             "households", "median", "income", "(o)", "O O", "-"])
                                  for _ in range(10)), fill="black", font=font)
        y += rng.randint(22, 40)
    return _jpeg(page, rng)


def build(part: str, n: int) -> tuple[list[Image.Image], list[Image.Image]]:
    rng = random.Random(1 if part == "tune" else 2)
    bgs = scenes(part)
    lfw_faces, lfw_other = faces_lfw(part)
    portraits = [_rgb(getattr(skdata, p)()) for p in PORTRAITS[part]]
    positives, negatives = [], []
    for i in range(n):
        if i % 5 == 4:
            positives.append(face_image(rng.choice(portraits), rng.choice(bgs), rng, tight=False))
        else:
            positives.append(face_image(rng.choice(lfw_faces), rng.choice(bgs), rng, tight=True))
    logos = [Image.open(p).convert("RGB") for p in sorted((ROOT / "policy" / "logos").glob("*.png"))]
    for i in range(n):
        kind = i % 4
        if kind == 0:
            negatives.append(_jpeg(_canvas(rng.choice(bgs), rng), rng))
        elif kind == 1:                      # a non-face LFW patch pasted like a face
            negatives.append(face_image(rng.choice(lfw_other), rng.choice(bgs), rng, tight=True))
        elif kind == 2:
            negatives.append(document_page(rng))
        else:
            c = _canvas(rng.choice(bgs), rng)
            lg = rng.choice(logos)
            lg.thumbnail((rng.randint(120, 500),) * 2)
            c.paste(lg, (rng.randint(0, c.width - lg.width), rng.randint(0, c.height - lg.height)))
            negatives.append(_jpeg(c, rng))
    return positives, negatives


def cascade_counter():
    """The old way, for comparison: OpenCV's frontal-face LBP cascade as scikit-image ships and runs it (OpenCV 5
    moved its own Haar/LBP cascades out of the main wheel)."""
    from skimage.data import lbp_frontal_face_cascade_filename
    from skimage.feature import Cascade
    cascade = Cascade(lbp_frontal_face_cascade_filename())

    def count(im: Image.Image) -> int:
        grey = np.asarray(im.convert("L"), dtype=np.float64) / 255
        return len(cascade.detect_multi_scale(grey, scale_factor=1.2, step_ratio=1, min_size=(20, 20),
                                              max_size=(400, 400)))
    return count


def score(count, positives, negatives) -> tuple[float, float, float]:
    t = time.perf_counter()
    hits = sum(count(im) > 0 for im in positives)
    alarms = sum(count(im) > 0 for im in negatives)
    ms = 1000 * (time.perf_counter() - t) / (len(positives) + len(negatives))
    return hits / len(positives), alarms / len(negatives), ms


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-part", type=int, default=100, help="face and no-face images per part")
    ap.add_argument("--threshold", type=float, default=FaceCheck().min_confidence)
    ap.add_argument("--parts", default="tune,held-out")
    ap.add_argument("--cascade", action="store_true", help="also score the LBP cascade for comparison")
    args = ap.parse_args()
    counter = FaceCounter(FaceCheck(min_confidence=args.threshold))
    print(f"{'part':9} {'detector':8} {'faces':>5} {'recall':>7} {'no-face':>7} {'false alarms':>12} {'ms/img':>7}")
    for part in args.parts.split(","):
        pos, neg = build(part, args.per_part)
        rows = [("mtcnn", counter.count)] + ([("cascade", cascade_counter())] if args.cascade else [])
        for name, fn in rows:
            recall, fa, ms = score(fn, pos, neg)
            print(f"{part:9} {name:8} {len(pos):5} {recall:7.1%} {len(neg):7} {fa:12.1%} {ms:7.0f}")
    one_mp = Image.fromarray(np.random.default_rng(0).integers(0, 255, (1000, 1000, 3), dtype=np.uint8))
    portrait = _rgb(skdata.astronaut()).resize((1000, 1000))
    for label, im in (("noise", one_mp), ("portrait", portrait)):
        t = time.perf_counter()
        for _ in range(5):
            counter.count(im)
        print(f"1-MP {label}: {1000 * (time.perf_counter() - t) / 5:.0f} ms per image (one worker process)")


if __name__ == "__main__":
    main()
