"""Logos and signature (guideline 2.3): find reference images inside larger images.

Two paths, cheapest first:
- near-duplicate: perceptual hash (imagehash pHash) of the whole image against each reference;
- local features: SIFT keypoints matched with Lowe's ratio test, then a RANSAC similarity transform
  (scale + rotation + translation) must explain enough matches. That finds a reference scaled down,
  rotated, recompressed, partly covered, on any background, in colour or grey.
score = share of the good matches the transform explains; a match needs `min_inliers` and `min_score`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import imagehash
import numpy as np
from PIL import Image

from ...policy.markers import LogoRule

REFERENCE_SIDE = 480       # references are normalised to this longest side
TARGET_SIDE = 1400         # larger targets are scanned at this longest side
MIN_SPREAD_LONG = 0.35     # inliers must span this share of the reference's long side (not a shared part)
MIN_SPREAD_SHORT = 0.2     # ... and of its short side
MAX_ANGLE = 20.0           # degrees: marks are placed upright, give or take
MIN_WIDTH = 40             # pixels (scanned size): smaller is noise, not a legible mark
MIN_IN_IMAGE = 0.75        # share of the projected mark that must lie inside the image
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}


@dataclass(frozen=True, slots=True)
class LogoMatch:
    name: str
    score: float
    bbox: tuple[int, int, int, int]      # x, y, width, height in the original image


@dataclass
class Reference:
    name: str
    size: tuple[int, int]
    keypoints: np.ndarray                # N x 2 float32
    descriptors: np.ndarray
    phash: imagehash.ImageHash


def _resize_longest(grey: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    h, w = grey.shape[:2]
    scale = min(1.0, side / max(h, w))
    if scale < 1.0:
        grey = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return grey, scale


class LogoMatcher:
    def __init__(self, rule: LogoRule):
        self.rule = rule
        self.sift = cv2.SIFT_create(nfeatures=4000, contrastThreshold=0.02)
        self.ref_sift = cv2.SIFT_create(nfeatures=1500, contrastThreshold=0.02)
        self.matcher = cv2.BFMatcher(cv2.NORM_L2)
        self.references: list[Reference] = []
        self.errors: list[str] = []
        if rule.directory is not None:
            for path in sorted(Path(rule.directory).iterdir()):
                if path.suffix.lower() in IMAGE_SUFFIXES:
                    try:
                        self.references.append(self._reference(path))
                    except Exception as e:
                        self.errors.append(f"{path.name}: {e}")

    def _reference(self, path: Path) -> Reference:
        with Image.open(path) as im:
            im = im.convert("RGBA")
            # Transparent areas become white (the usual background of a mark).
            flat = Image.new("RGBA", im.size, (255, 255, 255, 255))
            flat.alpha_composite(im)
            rgb = flat.convert("RGB")
        grey, _ = _resize_longest(np.asarray(rgb.convert("L")), REFERENCE_SIDE)
        # Features of the reference at full and at small size: a logo printed small loses fine detail,
        # and its small-size features are what survive; keypoints are kept in full-size coordinates.
        all_pts, all_desc = [], []
        for side in (REFERENCE_SIDE, REFERENCE_SIDE // 2, REFERENCE_SIDE // 4):
            level, f = _resize_longest(grey, side)
            kps, desc = self.ref_sift.detectAndCompute(level, None)
            if desc is not None:
                all_pts.append(np.float32([k.pt for k in kps]) / f)
                all_desc.append(desc)
        if not all_desc or sum(len(d) for d in all_desc) < self.rule.min_inliers:
            raise ValueError("too few features: a reference needs texture or lettering")
        return Reference(path.stem, (grey.shape[1], grey.shape[0]), np.concatenate(all_pts),
                         np.concatenate(all_desc), imagehash.phash(rgb))

    def match(self, image: Image.Image) -> list[LogoMatch]:
        if not self.references:
            return []
        found: dict[str, LogoMatch] = {}
        w, h = image.size
        ph = imagehash.phash(image)
        for ref in self.references:
            d = ph - ref.phash
            if d <= self.rule.hash_distance:
                found[ref.name] = LogoMatch(ref.name, round(1 - d / 64, 3), (0, 0, w, h))
        if len(found) == len(self.references):
            return list(found.values())
        grey, scale = _resize_longest(np.asarray(image.convert("L")), TARGET_SIDE)
        kps, desc = self.sift.detectAndCompute(grey, None)
        if desc is None or len(kps) < self.rule.min_inliers:
            return list(found.values())
        tpts = np.float32([k.pt for k in kps])
        for ref in self.references:
            if ref.name in found:
                continue
            m = self._match_one(ref, tpts, desc, scale, (w, h))
            if m is not None:
                found[ref.name] = m
        return _outermost(list(found.values()))

    def _match_one(self, ref: Reference, tpts: np.ndarray, tdesc: np.ndarray, scale: float,
                   image_size: tuple[int, int]) -> LogoMatch | None:
        pairs = self.matcher.knnMatch(ref.descriptors, tdesc, k=2)
        good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.75 * p[1].distance]
        if len(good) < self.rule.min_inliers:
            return None
        cv2.setRNGSeed(1)                   # RANSAC samples at random: the same image must give the same answer
        src = ref.keypoints[[g.queryIdx for g in good]]
        dst = tpts[[g.trainIdx for g in good]]
        transform, mask = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=4.0,
                                                      maxIters=3000, confidence=0.995)
        if transform is None:
            return None
        inliers = int(mask.sum())
        zoom = float(np.hypot(transform[0, 0], transform[1, 0]))
        angle = abs(float(np.degrees(np.arctan2(transform[1, 0], transform[0, 0]))))
        if inliers < self.rule.min_inliers or angle > MAX_ANGLE or not MIN_WIDTH / ref.size[0] < zoom < 8:
            return None
        # Inliers must be spread over the reference, not a single feature-rich corner.
        # Inliers must span the reference in both directions, not one part it shares with another mark
        # (the flag symbol is also the left of the signature).
        inl = src[mask.ravel() == 1]
        extent = sorted(((np.ptp(inl[:, 0]) / ref.size[0], ref.size[0]), (np.ptp(inl[:, 1]) / ref.size[1], ref.size[1])),
                        key=lambda e: e[1])
        score = inliers / len(good)
        if score < self.rule.min_score or extent[1][0] < MIN_SPREAD_LONG or extent[0][0] < MIN_SPREAD_SHORT:
            return None
        rw, rh = ref.size
        corners = np.float32([[0, 0], [rw, 0], [rw, rh], [0, rh]]).reshape(-1, 1, 2)
        box = cv2.transform(corners, transform).reshape(-1, 2) / scale
        x0, y0 = np.floor(box.min(axis=0)).astype(int)
        x1, y1 = np.ceil(box.max(axis=0)).astype(int)
        bbox = (int(x0), int(y0), int(x1 - x0), int(y1 - y0))
        if _inside(bbox, (0, 0, image_size[0], image_size[1])) < MIN_IN_IMAGE:
            return None                     # the mark would mostly lie outside the picture
        return LogoMatch(ref.name, round(min(1.0, score), 3), bbox)


def _inside(a: tuple, b: tuple) -> float:
    """Share of box a's area inside box b."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    iw = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    ih = max(0, min(ay + ah, by + bh) - max(ay, by))
    return iw * ih / max(1, aw * ah)


def _outermost(matches: list[LogoMatch]) -> list[LogoMatch]:
    """A reference found inside a better match of another reference is part of it (the flag symbol or the
    word "Canada" inside the signature): report the enclosing (larger) mark only."""
    kept = []
    for m in matches:
        if not any(o is not m and o.bbox[2] * o.bbox[3] > m.bbox[2] * m.bbox[3] and _inside(m.bbox, o.bbox) > 0.7
                   for o in matches):
            kept.append(m)
    return kept
