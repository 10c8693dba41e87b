"""Logos and signature (guideline 2.3): find reference marks inside larger images.

Candidates come from two proposers, and every candidate passes the same verification:
- near-duplicate: perceptual hash (imagehash pHash) of the whole image against each reference;
- keypoints: SIFT matches (Lowe's ratio test) and a RANSAC similarity transform, for marks with texture or
  lettering (signatures, wordmarks);
- shapes (`logo_shapes`): pieces of the symbol's colour paired with reference parts of similar shape, for
  low-texture marks such as the flag symbol;
- verification (`logo_verify`): ECC refinement to a homography, then every part of the reference (each piece
  of its symbol, and its lettering) must be where the transform puts it, in the symbol's colour.
The evidence box is the projected outline of the verified match; its score is the parts' mean correlation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from ...policy.markers import LogoRule
from . import logo_shapes
from .logo_refs import Reference, build_reference, resize_longest
from .logo_verify import LOOSE, SEEDED, Verified, project, refine, verify

TARGET_SIDE = 1200          # larger images are scanned at this longest side
REFINED = 3                 # candidates per reference that get the local alignment search
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}


@dataclass(frozen=True, slots=True)
class LogoMatch:
    name: str
    score: float
    bbox: tuple[int, int, int, int]      # x, y, width, height in the original image


class LogoMatcher:
    def __init__(self, rule: LogoRule):
        self.rule = rule
        self.sift = cv2.SIFT_create(nfeatures=3000, contrastThreshold=0.02)
        self.ref_sift = cv2.SIFT_create(nfeatures=1500, contrastThreshold=0.02)
        self.matcher = cv2.BFMatcher(cv2.NORM_L2)
        self.references: list[Reference] = []
        self.errors: list[str] = []
        if rule.directory is not None:
            for path in sorted(Path(rule.directory).iterdir()):
                if path.suffix.lower() in IMAGE_SUFFIXES:
                    try:
                        self.references.append(build_reference(path, self.ref_sift))
                    except Exception as e:
                        self.errors.append(f"{path.name}: {e}")
        # Symbols first: a verified symbol proposes where the marks that contain it (wordmark, signature) are.
        self.references.sort(key=lambda r: any(not p.symbol for p in r.parts))
        self.contained = {r.name: _containers(r, self.references) for r in self.references}

    def match(self, image: Image.Image) -> list[LogoMatch]:
        if not self.references:
            return []
        import imagehash

        found: dict[str, LogoMatch] = {}
        w, h = image.size
        ph = imagehash.phash(image)
        for ref in self.references:
            d = ph - ref.phash
            if d <= self.rule.hash_distance:
                found[ref.name] = LogoMatch(ref.name, round(1 - d / 64, 3), (0, 0, w, h))
        if len(found) == len(self.references):
            return list(found.values())
        rgb, scale = resize_longest(np.asarray(image.convert("RGB")), TARGET_SIDE)
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
        cache: dict = {}
        seeds: dict[str, list[np.ndarray]] = {}
        for ref in self.references:
            if ref.name in found:
                continue
            best = self._best(ref, grey, hsv, cache, seeds.get(ref.name, []))
            if best is not None:
                for container, A in self.contained[ref.name]:
                    seeds.setdefault(container, []).append(best.homography @ A)
                x, y, bw, bh = best.bbox
                box = (round(x / scale), round(y / scale), round(bw / scale), round(bh / scale))
                found[ref.name] = LogoMatch(ref.name, best.score, box)
        return _outermost(list(found.values()))

    def _best(self, ref: Reference, grey, hsv, cache, seeds: list[np.ndarray]) -> Verified | None:
        """The best verified candidate. Keypoints only for marks without a coloured symbol, and in grey images
        (elsewhere colour finds the symbol): SIFT is the costly step. `seeds`: placements proposed by a
        verified symbol this mark contains."""
        best: Verified | None = None
        for H in seeds:
            for v in (verify(ref, H, grey, hsv, SEEDED), verify(ref, refine(ref, H, grey), grey, hsv, SEEDED)):
                if v is not None and (best is None or v.score > best.score):
                    best = v
        if best is not None:
            return best
        proposals = list(logo_shapes.candidates(ref, hsv, grey, cache))
        if ref.hue is None or logo_shapes.grey_image(hsv):    # (grey: colour cannot find the symbol)
            if "sift" not in cache:
                kps, desc = self.sift.detectAndCompute(grey, None)
                cache["sift"] = (np.float32([k.pt for k in kps]) if kps else np.zeros((0, 2), np.float32), desc)
            H = self._keypoint_candidate(ref, *cache["sift"])
            if H is not None:
                proposals.insert(0, H)
        tried: list[np.ndarray] = []
        promising: list[Verified] = []
        for H in proposals:
            centre = project(H, np.float32([[ref.size[0] / 2, ref.size[1] / 2], [ref.size[0], ref.size[1] / 2]]))
            if any(np.linalg.norm(centre[0] - t[0]) < 0.1 * np.linalg.norm(t[1] - t[0]) for t in tried):
                continue                    # the same place, proposed by another piece of the mark
            tried.append(centre)
            v = verify(ref, H, grey, hsv, LOOSE)        # cheap check before the costly refinement
            if v is not None:
                promising.append(v)
        for cand in sorted(promising, key=lambda v: -v.score)[:REFINED]:
            for v in (verify(ref, cand.homography, grey, hsv),
                      verify(ref, refine(ref, cand.homography, grey), grey, hsv)):
                if v is not None and (best is None or v.score > best.score):
                    best = v
            if best is not None and best.score > 0.85:
                break
        return best

    def _keypoint_candidate(self, ref: Reference, tpts: np.ndarray, tdesc) -> np.ndarray | None:
        if ref.descriptors is None or tdesc is None or len(tpts) < self.rule.min_inliers:
            return None
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
        if inliers < self.rule.min_inliers or inliers / len(good) < self.rule.min_score:
            return None
        return np.vstack([transform, [0, 0, 1]]).astype(np.float64)


def _containers(symbol: Reference, references: list[Reference]) -> list[tuple[str, np.ndarray]]:
    """The marks whose symbol is this reference's symbol (same colour, same proportions), each with the
    transform from that mark's coordinates to this reference's: a flag symbol found at H puts the wordmark at
    H @ A."""
    if any(not p.symbol for p in symbol.parts):
        return []                           # only a bare symbol seeds others
    sx, sy, sw, sh = cv2.boundingRect(symbol.symbol_mask)
    out = []
    for other in references:
        if other is symbol or all(p.symbol for p in other.parts):
            continue
        if (other.hue is None) != (symbol.hue is None) or (
                symbol.hue is not None and abs((other.hue - symbol.hue + 90) % 180 - 90) > 10):
            continue
        cx, cy, cw, ch = cv2.boundingRect(other.symbol_mask)
        if cw < 4 or ch < 4 or abs((sw / sh) / (cw / ch) - 1) > 0.12:
            continue
        k = sw / cw
        out.append((other.name, np.array([[k, 0, sx - k * cx], [0, k, sy - k * cy], [0, 0, 1]], np.float64)))
    return out


def _inside(a: tuple, b: tuple) -> float:
    """Share of box a's area inside box b."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    iw = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    ih = max(0, min(ay + ah, by + bh) - max(ay, by))
    return iw * ih / max(1, aw * ah)


def _outermost(matches: list[LogoMatch]) -> list[LogoMatch]:
    """A reference found inside a match of a larger reference is part of it (the flag symbol inside the
    signature or the wordmark): report the enclosing mark only."""
    kept = []
    for m in matches:
        if not any(o is not m and o.bbox[2] * o.bbox[3] > m.bbox[2] * m.bbox[3] and _inside(m.bbox, o.bbox) > 0.7
                   for o in matches):
            kept.append(m)
    return kept
