"""Images for the logo evaluation: a mark (or a look-alike) placed by one homography on a photo shipped with
scikit-image or on a document page, then degraded (rotation, perspective, partial cover, grey, blur, noise,
JPEG, print-and-scan). The truth box is the projected outline of the mark.

Tuning and held-out parts differ by seed and by background and font families (`split.py`).
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from . import marks
from .split import Part

HOST = (1200, 850)          # ~1 MP
VARIANTS = ("plain", "rotated", "perspective", "jpeg", "covered", "grey", "blur", "print_scan")


@dataclass
class Scene:
    image: Image.Image
    truth: str | None               # reference name, or None for clean images and look-alikes
    box: tuple[int, int, int, int] | None
    variant: str
    source: str                     # the mark, the look-alike, or "clean"
    width_fraction: float = 0.0


@cache
def _photo(name: str) -> Image.Image:
    """A photo shipped inside the scikit-image wheel (read from the package's folder: nothing downloaded)."""
    from pathlib import Path

    import skimage.data

    folder = Path(skimage.data.__file__).parent
    path = next(folder.glob(name + ".*"))
    return Image.open(path).convert("RGB")


def document_page(rng: random.Random, fonts: list[str]) -> Image.Image:
    """A white page with paragraphs in one of the part's fonts."""
    im = Image.new("RGB", HOST, (250, 250, 246))
    d = ImageDraw.Draw(im)
    f = ImageFont.truetype(rng.choice(fonts), rng.randrange(18, 30))
    words = ("the of data survey report table region annual growth labour market census results "
             "province population quarterly estimate release chart").split()
    y = 40
    while y < HOST[1] - 40:
        d.text((50, y), " ".join(rng.choices(words, k=rng.randrange(6, 12))), font=f, fill=(20, 20, 20))
        y += int(f.size * 1.6)
    return im


def background(part: Part, rng: random.Random) -> Image.Image:
    if rng.random() < 0.3:
        return document_page(rng, part.fonts)
    photo = _photo(rng.choice(part.photos))
    scale = max(HOST[0] / photo.width, HOST[1] / photo.height) * rng.uniform(1.0, 1.4)
    big = photo.resize((math.ceil(photo.width * scale), math.ceil(photo.height * scale)), Image.BICUBIC)
    x, y = rng.randrange(big.width - HOST[0] + 1), rng.randrange(big.height - HOST[1] + 1)
    return big.crop((x, y, x + HOST[0], y + HOST[1]))


def _homography(mark_size, host_size, rng, width_fraction, angle, perspective) -> np.ndarray:
    w, h = mark_size
    hw, hh = host_size
    s = width_fraction * hw / w
    if h * s > 0.9 * hh:
        s = 0.9 * hh / h
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    c, si = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    centred = (corners - [w / 2, h / 2]) * s
    rotated = centred @ np.float32([[c, si], [-si, c]])
    if perspective:
        j = perspective * max(w, h) * s
        rotated = rotated + np.float32([[rng.uniform(-j, j), rng.uniform(-j, j)] for _ in range(4)])
    ext = rotated.max(axis=0) - rotated.min(axis=0)
    fit = min(1.0, 0.95 * hw / ext[0], 0.95 * hh / ext[1])     # the whole mark stays in the picture
    rotated, ext = rotated * fit, ext * fit
    cx = rng.uniform(ext[0] / 2, max(ext[0] / 2 + 1, hw - ext[0] / 2))
    cy = rng.uniform(ext[1] / 2, max(ext[1] / 2 + 1, hh - ext[1] / 2))
    dst = rotated + [cx, cy]
    return cv2.getPerspectiveTransform(corners, np.float32(dst))


def place(mark: Image.Image, host: Image.Image, H: np.ndarray, cover: float, rng) -> tuple[Image.Image, tuple]:
    rgba = np.asarray(mark.convert("RGBA")).astype(np.float32)
    warped = cv2.warpPerspective(rgba, H, host.size, flags=cv2.INTER_AREA if np.linalg.det(H[:2, :2]) < 1
                                 else cv2.INTER_LINEAR)
    a = warped[..., 3:4] / 255.0
    base = np.asarray(host).astype(np.float32)
    out = base * (1 - a) + warped[..., :3] * a
    corners = cv2.perspectiveTransform(np.float32([[[0, 0], [mark.width, 0], [mark.width, mark.height],
                                                    [0, mark.height]]]), H)[0]
    x0, y0 = np.floor(corners.min(axis=0)).astype(int)
    x1, y1 = np.ceil(corners.max(axis=0)).astype(int)
    im = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    if cover:
        d = ImageDraw.Draw(im)
        cw = int((x1 - x0) * cover)
        side = rng.choice(["left", "right"])
        xa = x0 if side == "left" else x1 - cw
        d.rectangle((xa, y0, xa + cw, y1), fill=tuple(rng.randrange(40, 200) for _ in range(3)))
    return im, (int(x0), int(y0), int(x1 - x0), int(y1 - y0))


def jpeg(im: Image.Image, q: int) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=q)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def degrade(im: Image.Image, variant: str, rng: random.Random) -> Image.Image:
    if variant == "grey":
        im = im.convert("L").convert("RGB")
    if variant in ("blur", "print_scan"):
        im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.6)))
    if variant == "print_scan":
        arr = np.asarray(im).astype(np.float32)
        arr = arr * rng.uniform(0.8, 0.95) + rng.uniform(10, 30)             # paper and toner
        arr += np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(4, 10), arr.shape)
        im = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if variant in ("jpeg", "print_scan"):
        im = jpeg(im, rng.randrange(35, 70))
    else:
        im = jpeg(im, 92)
    return im


def scene(part: Part, rng: random.Random, source: str, make, truth: str | None) -> Scene:
    variant = rng.choice(VARIANTS)
    width_fraction = math.exp(rng.uniform(math.log(0.1), math.log(1.0)))
    angle = rng.uniform(-15, 15) if variant in ("rotated", "print_scan") else rng.uniform(-2, 2)
    persp = rng.uniform(0.04, 0.12) if variant in ("perspective", "print_scan") else 0.0
    host = background(part, rng)
    mark = make()
    H = _homography(mark.size, host.size, rng, width_fraction, angle, persp)
    im, box = place(mark, host, H, 0.2 if variant == "covered" else 0.0, rng)
    return Scene(degrade(im, variant, rng), truth, box, variant, source, round(width_fraction, 2))


def logo_scenes(part: Part, n_per_mark: int, n_clean: int, n_per_lookalike: int) -> list[Scene]:
    rng = random.Random(part.seed)
    out = []
    for name, make in marks.REFERENCES.items():
        out += [scene(part, rng, name, make, name) for _ in range(n_per_mark)]
    for name, make in marks.LOOKALIKES.items():
        out += [scene(part, rng, name, make, None) for _ in range(n_per_lookalike)]
    for _ in range(n_clean):
        variant = rng.choice(VARIANTS)
        out.append(Scene(degrade(background(part, rng), variant, rng), None, None, variant, "clean"))
    return out
