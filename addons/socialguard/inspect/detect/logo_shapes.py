"""Candidate matches for low-texture marks (the flag symbol: two bars and a leaf, few corners), which keypoint
matching cannot carry: segment the image by the symbol's colour (or by darkness in grey images), and pair each
connected piece with a reference part of similar shape. Each pairing gives a similarity transform (scale from
the areas, angle from the orientations, position from the centroids) that `logo_verify` refines and checks
against the whole reference.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from .logo_refs import Part, Reference, chroma_mask

MIN_AREA = 30               # pixels of a piece in the scanned image
MAX_SHAPE_DISTANCE = 0.6    # cv2.matchShapes (Hu moments, I1) between a piece and a reference part
MAX_CANDIDATES = 28         # per reference: the closest shapes first
HUE_TOLERANCE = 16
ISOTROPIC_ANGLES = (0.0, -10.0, 10.0)


def grey_image(hsv: np.ndarray) -> bool:
    return float(np.percentile(hsv[::4, ::4, 1], 95)) < 50


def masks(ref: Reference, hsv: np.ndarray, grey: np.ndarray, cache: dict) -> list[np.ndarray]:
    """Where the reference's symbol could be: its colour, and in grey images ink darker than its surround."""
    out = []
    if ref.hue is not None:
        key = ("hue", round(ref.hue / 4))
        if key not in cache:
            m = chroma_mask(hsv)
            lo, hi = ref.hue - HUE_TOLERANCE, ref.hue + HUE_TOLERANCE      # hue wraps at 180 (red)
            near = cv2.inRange(hsv[..., 0], max(0, lo), min(179, hi))
            if lo < 0:
                near |= cv2.inRange(hsv[..., 0], 180 + lo, 179)
            if hi > 179:
                near |= cv2.inRange(hsv[..., 0], 0, hi - 180)
            m &= near
            cache[key] = cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
        out.append(cache[key])
    if ref.hue is None or cache.setdefault("grey", grey_image(hsv)):
        if "dark" not in cache:
            block = max(31, (min(grey.shape) // 6) | 1)
            cache["dark"] = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                                  block, 25)
        out.append(cache["dark"])
    return out


def _orientation(contour: np.ndarray) -> float:
    m = cv2.moments(contour)
    return 0.5 * float(np.degrees(np.arctan2(2 * m["mu11"], m["mu20"] - m["mu02"])))


def _centroid(contour: np.ndarray) -> np.ndarray:
    m = cv2.moments(contour)
    return np.array([m["m10"] / max(m["m00"], 1e-6), m["m01"] / max(m["m00"], 1e-6)])


def _similarity(scale: float, angle: float, ref_c: np.ndarray, tgt_c: np.ndarray) -> np.ndarray:
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    R = scale * np.array([[c, -s], [s, c]])
    t = tgt_c - R @ ref_c
    return np.array([[R[0, 0], R[0, 1], t[0]], [R[1, 0], R[1, 1], t[1]], [0, 0, 1]], np.float64)


def candidates(ref: Reference, hsv: np.ndarray, grey: np.ndarray, cache: dict) -> Iterator[np.ndarray]:
    """Homographies (reference -> scanned image) proposed by pairing image pieces with reference parts."""
    main = [p for p in ref.symbol_parts if p.area >= 0.1 * sum(q.area for q in ref.symbol_parts)]
    if not main:
        return
    scored: list[tuple[int, float, np.ndarray]] = []
    for mask in masks(ref, hsv, grey, cache):
        key = ("pieces", id(mask))
        if key not in cache:
            cache[key] = _pieces(mask)
        for contour, area, elongation in cache[key]:
            for part in main:
                # Pairings with the key part (the leaf) come first: a bar pairs with any rectangle.
                scored += [(0 if part.key else 1, d, H) for d, H in _pair(part, contour, area, elongation)]
    # Half the budget to pairings with the key part (the leaf: distinctive), half to the others (a bar pairs
    # with any rectangle, but stays whole where a blurred or squashed leaf does not), closest shapes first.
    scored.sort(key=lambda s: s[:2])
    keyed = [H for k, _, H in scored if k == 0][: MAX_CANDIDATES // 2]
    others = [H for k, _, H in scored if k == 1][: MAX_CANDIDATES - len(keyed)]
    yield from keyed + others


def _pieces(mask: np.ndarray) -> list[tuple[np.ndarray, float, float]]:
    limit = 0.5 * mask.size
    # Outer boundaries of every piece, also pieces inside the holes of others (a mark on a same-colour ground).
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for c, h in zip(contours, hierarchy[0] if hierarchy is not None else []):
        if h[3] != -1:
            continue                        # a hole
        area = cv2.contourArea(c)
        if MIN_AREA <= area <= limit:
            (_, _), (w, h), _ = cv2.minAreaRect(c)
            out.append((c, area, max(w, h) / max(1.0, min(w, h))))
    out.sort(key=lambda p: -p[1])
    return out[:300]


def _pair(part: Part, contour: np.ndarray, area: float, elongation: float) -> list[tuple[float, np.ndarray]]:
    if not 0.5 < elongation / part.elongation < 2.0:        # perspective squashes a piece
        return []
    d = cv2.matchShapes(part.contour, contour, cv2.CONTOURS_MATCH_I1, 0)
    if d > MAX_SHAPE_DISTANCE:
        return []
    scale = float(np.sqrt(area / max(1.0, cv2.contourArea(part.contour))))
    rc, tc = _centroid(part.contour), _centroid(contour)
    if part.elongation > 1.4:
        diff = (_orientation(contour) - _orientation(part.contour) + 90) % 180 - 90
        angles = (diff,) if abs(diff) <= 25 else ()
    else:
        angles = ISOTROPIC_ANGLES
    return [(d + 0.01 * abs(a), _similarity(scale, a, rc, tc)) for a in angles]
