"""A reference mark as the matchers see it: SIFT features, its grey image, and its parts.

A mark is its distinctive whole, not its letters: its *symbol* is its coloured ink (the flag symbol's bars and
leaf, the red star of a wordmark), or all its ink when it has no colour. Each connected piece of the symbol
is a *part*; the rest of the ink (the lettering) is one more part. A candidate match is accepted only when
every part is where the reference puts it (see `logo_verify`), so the word "Canada" alone, in the wordmark's
own font, is not the wordmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import imagehash
import numpy as np
from PIL import Image

REFERENCE_SIDE = 480            # references are normalised to this longest side
MIN_PART_SHARE = 0.03           # symbol pieces smaller than this share of the symbol are details, not parts
MAX_PARTS = 6


@dataclass
class Part:
    mask: np.ndarray            # uint8 0/255 at reference size
    area: int
    contour: np.ndarray         # outer contour (for shape candidates)
    elongation: float           # long / short side of its min-area rectangle
    symbol: bool                # a piece of the symbol (else: the lettering)
    solidity: float = 1.0       # area / convex hull area: low for a leaf, 1 for a bar
    key: bool = False           # the symbol's most distinctive part: it must always be seen
    box: tuple[int, int, int, int] = (0, 0, 0, 0)    # bounding box of the mask


@dataclass
class Reference:
    name: str
    size: tuple[int, int]                       # width, height at REFERENCE_SIDE
    grey: np.ndarray                            # float32 0..255, white background
    keypoints: np.ndarray                       # N x 2 float32 (may be empty)
    descriptors: np.ndarray | None
    phash: imagehash.ImageHash
    symbol_mask: np.ndarray                     # uint8 0/255
    hue: float | None                           # OpenCV hue (0..180) of a coloured symbol, None when grey
    parts: list[Part] = field(default_factory=list)
    ink_halo: np.ndarray | None = None          # uint8 0/255: the ink and a margin around it (for alignment)

    @property
    def symbol_parts(self) -> list[Part]:
        return [p for p in self.parts if p.symbol]


def resize_longest(img: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    h, w = img.shape[:2]
    scale = min(1.0, side / max(h, w))
    if scale < 1.0:
        img = cv2.resize(img, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return img, scale


def chroma_mask(hsv: np.ndarray) -> np.ndarray:
    """Pixels of saturated, not dark colour (ink of a coloured symbol)."""
    return ((hsv[..., 1] > 90) & (hsv[..., 2] > 60)).astype(np.uint8) * 255


def circular_hue(hues: np.ndarray) -> float:
    a = hues.astype(np.float32) * (np.pi / 90)
    return float(np.degrees(np.arctan2(np.sin(a).mean(), np.cos(a).mean())) / 2 % 180)


def hue_distance(a: float | np.ndarray, b: float) -> float | np.ndarray:
    d = np.abs(np.asarray(a, dtype=np.float32) - b) % 180
    return np.minimum(d, 180 - d)


def _part(mask: np.ndarray, symbol: bool) -> Part | None:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    (_, _), (rw, rh), _ = cv2.minAreaRect(contour)
    solidity = cv2.contourArea(contour) / max(1.0, cv2.contourArea(cv2.convexHull(contour)))
    return Part(mask, int(np.count_nonzero(mask)), contour, max(rw, rh) / max(1.0, min(rw, rh)), symbol, solidity,
                box=cv2.boundingRect(mask))


def build_reference(path: Path, sift) -> Reference:
    with Image.open(path) as im:
        im = im.convert("RGBA")
        flat = Image.new("RGBA", im.size, (255, 255, 255, 255))
        flat.alpha_composite(im)            # transparent areas become white (a mark's usual ground)
        rgb = flat.convert("RGB")
    arr, _ = resize_longest(np.asarray(rgb), REFERENCE_SIDE)
    grey = cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)
    hsv = cv2.cvtColor(arr, cv2.COLOR_RGB2HSV)
    chroma = chroma_mask(hsv)
    ink = ((grey < 200) | (chroma > 0)).astype(np.uint8) * 255
    ink_area = max(1, int(np.count_nonzero(ink)))
    coloured = np.count_nonzero(chroma) >= 0.02 * ink_area
    symbol = chroma if coloured else ink
    hue = circular_hue(hsv[..., 0][chroma > 0]) if coloured else None
    parts: list[Part] = []
    n, labels, stats, _ = cv2.connectedComponentsWithStats(symbol, connectivity=8)
    sym_area = max(1, int(np.count_nonzero(symbol)))
    order = sorted(range(1, n), key=lambda i: -stats[i, cv2.CC_STAT_AREA])
    for i in order[:MAX_PARTS]:
        if stats[i, cv2.CC_STAT_AREA] >= MIN_PART_SHARE * sym_area:
            p = _part((labels == i).astype(np.uint8) * 255, True)
            if p is not None:
                parts.append(p)
    if parts:
        # The key part: the least convex of the large pieces (the leaf, not a bar).
        large = [p for p in parts if p.area >= 0.15 * sym_area] or parts
        min(large, key=lambda p: p.solidity).key = True
    if coloured:
        rest = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(symbol, np.ones((5, 5), np.uint8))))
        if np.count_nonzero(rest) >= 0.05 * ink_area:
            p = _part(rest, False)
            if p is not None:
                parts.append(p)
    # Features at full and at small size: a mark printed small loses fine detail, and its small-size
    # features are what survive; keypoints are kept in full-size coordinates.
    pts, descs = [], []
    for side in (REFERENCE_SIDE, REFERENCE_SIDE // 2, REFERENCE_SIDE // 4):
        level, f = resize_longest(grey, side)
        kps, desc = sift.detectAndCompute(level, None)
        if desc is not None:
            pts.append(np.float32([k.pt for k in kps]) / f)
            descs.append(desc)
    if not parts:
        raise ValueError("no ink: a reference needs a visible mark")
    return Reference(path.stem, (grey.shape[1], grey.shape[0]), grey.astype(np.float32),
                     np.concatenate(pts) if pts else np.zeros((0, 2), np.float32),
                     np.concatenate(descs) if descs else None, imagehash.phash(rgb), symbol, hue, parts,
                     cv2.dilate(ink, np.ones((15, 15), np.uint8)))
