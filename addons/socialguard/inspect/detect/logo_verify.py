"""Geometric verification of a candidate logo match, whatever proposed it (keypoints or shapes).

1. refine: a local search over scale, angle and position improves the candidate transform (reference ->
   image) until the parts correlate best;
2. verify: the projected outline must be a plausible quadrilateral mostly inside the image, and every part
   of the reference (each piece of the symbol, and the lettering) must correlate with the image where the
   transform puts it; a coloured symbol must also have its colour there unless the region is grey.
The evidence box is the projected outline of the verified match.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .logo_refs import Reference, hue_distance

WORK_SIDE = 160             # longest side of the region the checks run at
MIN_WIDTH = 24              # pixels: a smaller projected mark is not legible
MAX_ANGLE = 25.0            # degrees: marks are placed upright, give or take
MIN_IN_IMAGE = 0.75         # share of the projected mark inside the image
KEY_MIN_SIDE = 14           # pixels: a smaller key part (leaf) cannot show its shape
PART_MIN_SIDE = 8           # ... nor a smaller bar


@dataclass(frozen=True)
class Thresholds:
    key: float = 0.8        # correlation the symbol's key part (the leaf) needs
    symbol: float = 0.6     # correlation the other symbol parts need ...
    symbol_share: float = 0.5   # ... on at least this share of their area (the rest may be covered)
    lettering: float = 0.35 # correlation the lettering needs
    hue: float = 14.0       # OpenCV hue units (0..180)
    colour_share: float = 0.5


# A mark placed by a verified symbol it contains: the symbol was judged by its own reference, at its own size.
SEEDED = Thresholds(key=-1.0, symbol=-1.0, symbol_share=0.0)
LOOSE = Thresholds(key=0.4, symbol=0.3, symbol_share=0.5, lettering=-1.0, hue=20, colour_share=0.3)


@dataclass(frozen=True)
class Verified:
    score: float
    homography: np.ndarray
    bbox: tuple[int, int, int, int]      # in the scanned image's pixels


def _corners(ref: Reference) -> np.ndarray:
    w, h = ref.size
    return np.float32([[0, 0], [w, 0], [w, h], [0, h]])


def project(H: np.ndarray, pts: np.ndarray) -> np.ndarray:
    return cv2.perspectiveTransform(pts.reshape(-1, 1, 2).astype(np.float32), H).reshape(-1, 2)


def plausible(ref: Reference, H: np.ndarray, image_size: tuple[int, int]) -> bool:
    quad = project(H, _corners(ref))
    if not np.isfinite(quad).all() or not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
        return False
    top = quad[1] - quad[0]
    if abs(np.degrees(np.arctan2(top[1], top[0]))) > MAX_ANGLE or np.linalg.norm(top) < MIN_WIDTH:
        return False
    sides = [np.linalg.norm(quad[(i + 1) % 4] - quad[i]) for i in range(4)]
    ratio = (sides[0] + sides[2]) / max(1e-6, sides[1] + sides[3])
    if not 0.6 < ratio / (ref.size[0] / ref.size[1]) < 1.6 or min(sides[0], sides[2]) < 0.6 * max(sides[0], sides[2]):
        return False
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    area = max(1.0, (x1 - x0) * (y1 - y0))
    w, h = image_size
    inside = max(0, min(x1, w) - max(x0, 0)) * max(0, min(y1, h) - max(y0, 0))
    return inside / area >= MIN_IN_IMAGE


def _window(ref: Reference, H: np.ndarray, image_size, side: int = WORK_SIDE) -> tuple[np.ndarray, tuple[int, int]]:
    """The similarity taking image coordinates to a small working window around the projected mark."""
    quad = project(H, _corners(ref))
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    pad = 0.08 * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    f = min(side / max(1.0, x1 - x0, y1 - y0), 2.0)
    S = np.array([[f, 0, -x0 * f], [0, f, -y0 * f], [0, 0, 1]], np.float64)
    return S, (max(8, int((x1 - x0) * f)), max(8, int((y1 - y0) * f)))


def refine(ref: Reference, H: np.ndarray, grey: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Local search over scale, angle and position (about the mark's centre) that maximises the parts'
    correlation: a candidate proposed by one small piece (a bar) is a few per cent off, which is enough to
    miss thin lettering far from that piece."""
    # Pivot on the symbol's key part: candidates are proposed by symbol pieces, so it is the best placed.
    key = next((p for p in ref.parts if p.key), ref.parts[0])
    mo = cv2.moments(key.contour)
    c = np.array([mo["m10"] / max(mo["m00"], 1e-6), mo["m01"] / max(mo["m00"], 1e-6)])
    mid = ref.size[1] / 2
    width = float(np.linalg.norm(np.diff(project(H, np.float32([[0, mid], [ref.size[0], mid]])), axis=0)))

    def moved(H0, ds, da, dx, dy):
        k, t = 1 + ds, np.radians(da)
        R = np.array([[k * np.cos(t), -k * np.sin(t), 0], [k * np.sin(t), k * np.cos(t), 0], [0, 0, 1]])
        T = np.array([[1, 0, c[0]], [0, 1, c[1]], [0, 0, 1]])
        M = np.array([[1, 0, dx], [0, 1, dy], [0, 0, 1]]) @ H0 @ T @ R @ np.linalg.inv(T)
        return M / M[2, 2]

    def quality(H0):
        scored = part_scores(ref, H0, grey)
        return -9.0 if not scored else float(np.mean([v for _, v in scored]))

    best, q = H, quality(H)
    steps = [0.03, 2.0, 0.015 * width, 0.015 * width]
    budget = 48                             # evaluations: the search must stay cheap
    for _ in range(rounds):
        improved = True
        while improved and budget > 0:
            improved = False
            for i in range(4):
                for sign in (-1, 1):
                    delta = [0.0] * 4
                    delta[i] = sign * steps[i]
                    cand = moved(best, *delta)
                    qc = quality(cand)
                    budget -= 1
                    if qc > q + 1e-3:
                        best, q, improved = cand, qc, True
        steps = [x / 2 for x in steps]
    return _refine_corners(ref, best, grey, q, quality, width)


def _refine_corners(ref: Reference, H: np.ndarray, grey: np.ndarray, q: float, quality, width: float) -> np.ndarray:
    """Then each corner of the projected outline on its own: a photographed or scanned mark is in perspective,
    which no similarity explains."""
    src = _corners(ref)
    quad = project(H, src)
    best, step, budget = quad, 0.03 * width, 64
    for _ in range(3):
        improved = True
        while improved and budget > 0:
            improved = False
            for i in range(4):
                for d in ((step, 0), (-step, 0), (0, step), (0, -step)):
                    cand = best.copy()
                    cand[i] += d
                    Hc = cv2.getPerspectiveTransform(src, cand.astype(np.float32)).astype(np.float64)
                    qc = quality(Hc)
                    budget -= 1
                    if qc > q + 1e-3:
                        best, q, improved = cand, qc, True
        step /= 2
    return cv2.getPerspectiveTransform(src, best.astype(np.float32)).astype(np.float64)


def _projected_side(part, H: np.ndarray) -> float:
    """Shorter side (image pixels) of the part's projected bounding box."""
    x, y, w, h = part.box
    q = project(H, np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]]))
    return float(min(np.ptp(q[:, 0]), np.ptp(q[:, 1])))


def _whole_symbol(ref: Reference):
    from .logo_refs import Part

    return Part(ref.symbol_mask, int(np.count_nonzero(ref.symbol_mask)), np.zeros((0, 1, 2), np.int32), 1.0,
                True, 1.0, True, cv2.boundingRect(ref.symbol_mask))


def _ncc(a: np.ndarray, b: np.ndarray) -> float:
    a = a - a.mean()
    b = b - b.mean()
    d = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / d) if d > 1e-6 else 0.0


def part_scores(ref: Reference, H: np.ndarray, grey: np.ndarray) -> list | None:
    """(part, correlation) for each part the transform puts at a judgeable size; None if implausible."""
    size = grey.shape[::-1]
    if not plausible(ref, H, size):
        return None
    S, wsize = _window(ref, H, size)
    W = S @ H
    target = cv2.warpPerspective(grey, S, wsize, flags=cv2.INTER_AREA).astype(np.float32)
    model = cv2.warpPerspective(ref.grey, W, wsize, flags=cv2.INTER_AREA, borderValue=-1)
    valid = model >= 0
    # A key part too small to show its shape (a wordmark printed small): the symbol is judged as one piece,
    # by where it is and its colour; the lettering is judged as usual.
    key = next((p for p in ref.parts if p.key), None)
    coarse = key is not None and (_projected_side(key, H) < KEY_MIN_SIDE or any(
        _projected_side(p, H) < PART_MIN_SIDE for p in ref.symbol_parts if p.area >= 0.15 * key.area))
    parts = ([_whole_symbol(ref)] + [p for p in ref.parts if not p.symbol]) if coarse else ref.parts
    out = []
    for part in parts:
        bx, by, bw, bh = part.box
        q = project(W, np.float32([[bx, by], [bx + bw, by], [bx + bw, by + bh], [bx, by + bh]]))
        qx0, qy0 = np.floor(q.min(axis=0)).astype(int)
        qx1, qy1 = np.ceil(q.max(axis=0)).astype(int)
        if (qx1 - qx0) * (qy1 - qy0) < 16:
            if part.key:
                return None                 # the key part too small to judge: no verdict, no match
            continue
        m = cv2.warpPerspective(part.mask, W, wsize, flags=cv2.INTER_NEAREST)
        xs, ys = np.array([qx0, qx1 - 1]), np.array([qy0, qy1 - 1])
        # The part and a margin of the ground around it (its contrast), inside the mark's outline.
        # (lettering: a thin margin, its strokes are thin and the ground around them is the picture's)
        pad = max(2, int(0.2 * min(xs.max() - xs.min(), ys.max() - ys.min()))) if part.symbol else 3
        x0, x1 = max(0, xs.min() - pad), min(wsize[0], xs.max() + pad + 1)
        y0, y1 = max(0, ys.min() - pad), min(wsize[1], ys.max() + pad + 1)
        if x1 - x0 < 3 or y1 - y0 < 3:
            out.append((part, 0.0))
            continue
        halo = cv2.dilate(m[y0:y1, x0:x1], np.ones((2 * pad + 1, 2 * pad + 1), np.uint8)) > 0
        sel = valid[y0:y1, x0:x1] & halo
        c = _ncc(model[y0:y1, x0:x1][sel], target[y0:y1, x0:x1][sel]) if sel.sum() >= 12 else 0.0
        out.append((part, c))
    return out


def verify(ref: Reference, H: np.ndarray, grey: np.ndarray, hsv: np.ndarray,
           th: Thresholds = Thresholds()) -> Verified | None:
    scored = part_scores(ref, H, grey)
    if not scored:
        return None
    others = passed = 0                     # area of the non-key symbol parts, and of those that matched
    for part, c in scored:
        if part.key or not part.symbol:
            if c < (th.key if part.key else th.lettering):
                return None
        else:
            others += part.area
            passed += part.area if c >= th.symbol else 0
    if passed < th.symbol_share * others:
        return None
    if ref.hue is not None and not _colour_ok(ref, H, grey.shape[::-1], hsv, th):
        return None
    quad = project(H, _corners(ref))
    x0, y0 = np.floor(quad.min(axis=0)).astype(int)
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
    return Verified(round(float(np.mean([c for _, c in scored])), 3), H,
                    (int(x0), int(y0), int(x1 - x0), int(y1 - y0)))


def _colour_ok(ref: Reference, H, size, hsv: np.ndarray, th: Thresholds) -> bool:
    """The symbol's colour is where the symbol is, on the whole symbol and on its key part (a green leaf
    between red bars is not the flag), unless the region is grey (a grey print or scan)."""
    S, wsize = _window(ref, H, size)
    W = S @ H
    region = cv2.warpPerspective(hsv, S, wsize, flags=cv2.INTER_NEAREST)
    sym = cv2.warpPerspective(ref.symbol_mask, W, wsize, flags=cv2.INTER_NEAREST) > 0
    if sym.sum() < 8:
        return True
    if np.median(region[..., 1][sym]) < 40 and np.percentile(region[::2, ::2, 1], 90) < 60:
        return True                         # the whole region is grey: colour cannot be judged
    key = next((p for p in ref.parts if p.key), None)
    for mask in (ref.symbol_mask, key.mask if key is not None else None):
        if mask is None:
            continue
        m = cv2.warpPerspective(mask, W, wsize, flags=cv2.INTER_NEAREST) > 0
        if m.sum() > 200:                   # away from the edges, where JPEG and blur mix the colours
            m = cv2.erode(m.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
        if m.sum() < 4:
            continue
        good = (hue_distance(region[..., 0][m], ref.hue) <= th.hue) & (region[..., 1][m] > 60)
        if good.mean() < th.colour_share:
            return False
    return True
