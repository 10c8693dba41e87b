"""Markings inside images: OCR with Debian's `tesseract` (eng + fra) when installed; skipped with a notice when not.

Before tesseract reads a page it is prepared the way scanned and photographed pages need: upscaled when small,
straightened (the skew angle that makes text rows sharpest in a projection profile, within ±MAX_SKEW°), and
binarized (Otsu after a light blur, or a local threshold for unevenly lit photos); in a photograph of a
page, only the sheet is read. Coloured ink — a red rubber
stamp, often rotated — is read separately: its pixels become a black-on-white image, straightened within
±MAX_STAMP_SKEW°.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

import cv2
import numpy as np
from PIL import Image

MIN_SIDE = 1600             # smaller pages are upscaled to this longest side
MAX_SIDE = 3000
MAX_SKEW = 10.0             # degrees searched for the page
MAX_STAMP_SKEW = 35.0       # ... and for a stamp
MIN_STAMP_SHARE = 0.002     # share of coloured pixels that makes a stamp worth reading


class OcrUnavailable(RuntimeError):
    pass


@cache
def tesseract_languages() -> frozenset[str]:
    exe = shutil.which("tesseract")
    if not exe:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


def skew_angle(ink: np.ndarray, limit: float) -> float:
    """The rotation (degrees) that makes the rows of `ink` (text = 255) sharpest: the variance of the row
    sums of a projection profile peaks when lines of text are horizontal. Coarse then fine search."""
    h, w = ink.shape
    f = min(1.0, 700 / max(h, w))
    small = cv2.resize(ink, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        M = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rows = cv2.warpAffine(small, M, small.shape[::-1], flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)
        return float(np.var(rows))

    best = max(np.arange(-limit, limit + 0.01, 1.0), key=sharpness)
    return float(max(np.arange(best - 1, best + 1.01, 0.25), key=sharpness))


def rotate(img: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    h, w = img.shape[:2]
    M = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(M[0, 0]), abs(M[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    M[0, 2] += nw / 2 - w / 2
    M[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(img, M, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=fill)


def _scaled(img: np.ndarray) -> np.ndarray:
    h, w = img.shape[:2]
    f = MIN_SIDE / max(h, w) if max(h, w) < MIN_SIDE else min(1.0, MAX_SIDE / max(h, w))
    if f != 1.0:
        img = cv2.resize(img, (round(w * f), round(h * f)), interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)
    return img


def prepare_page(grey: np.ndarray) -> np.ndarray:
    """Upscaled, straightened, binarized page (black text on white)."""
    grey = cv2.GaussianBlur(_scaled(grey), (3, 3), 0)
    _, otsu = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    block = (max(grey.shape) // 30) | 1
    local = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15)
    # A photographed page is unevenly lit: Otsu then blackens whole regions; the local threshold does not.
    binary = local if (otsu == 0).mean() > 0.35 else otsu
    angle = skew_angle(255 - binary, MAX_SKEW)
    return rotate(binary, angle) if abs(angle) >= 0.25 else binary


def paper(rgb: np.ndarray) -> np.ndarray | None:
    """The sheet in a photographed page (the largest bright, unsaturated region, filled), or None when the
    picture is the page itself or has no page. Around it is a table, a lap, a wall: noise for tesseract."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    bright = ((hsv[..., 2] > 140) & (hsv[..., 1] < 70)).astype(np.uint8) * 255
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = cv2.convexHull(max(contours, key=cv2.contourArea))
    share = cv2.contourArea(sheet) / bright.size
    if not 0.15 < share < 0.9:
        return None
    mask = np.zeros(bright.shape, np.uint8)
    cv2.fillPoly(mask, [sheet], 255)
    return mask


def coloured_ink(rgb: np.ndarray, sheet: np.ndarray | None = None) -> np.ndarray | None:
    """Saturated ink (a red or blue stamp) on the page as black on white, straightened; None when there is
    too little, or when the colour is the picture's rather than ink on paper."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    ink = ((hsv[..., 1] > 100) & (hsv[..., 2] > 70)).astype(np.uint8) * 255
    if sheet is not None:
        ink &= cv2.erode(sheet, np.ones((7, 7), np.uint8))
    # Ink is thin strokes on paper: keep coloured pixels with paper close by, and no large coloured areas.
    blank = ((hsv[..., 2] > 140) & (hsv[..., 1] < 70)).astype(np.uint8) * 255
    ink &= cv2.dilate(blank, np.ones((9, 9), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    large = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] > 0.01 * ink.size]
    if large:
        ink[np.isin(labels, large)] = 0
    share = float((ink > 0).mean())
    if share < MIN_STAMP_SHARE or share > 0.25:
        return None                         # nothing stamped, or a colour photo rather than ink on paper
    ink = _scaled(ink)
    angle = skew_angle(ink, MAX_STAMP_SKEW)
    return rotate(255 - ink, angle)


def _tesseract(img: np.ndarray, langs: list[str], psm: int, timeout: float) -> str:
    # Uncompressed: tesseract reads it straight back; zlib on a photo's pixels cost a third of the OCR time.
    ok, png = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, 0])
    try:
        proc = subprocess.run([shutil.which("tesseract"), "stdin", "stdout", "-l", "+".join(langs), "--psm", str(psm)],
                              input=png.tobytes(), capture_output=True, timeout=timeout,
                              env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    except subprocess.TimeoutExpired:
        raise OcrUnavailable("tesseract timed out") from None
    return proc.stdout.decode("utf-8", "replace")


def ocr_text(image: Image.Image, languages: tuple[str, ...], timeout: float = 20.0) -> str:
    """The text tesseract reads in the image (the page, then any stamp in coloured ink, line-separated);
    OcrUnavailable when tesseract or a language is missing."""
    have = tesseract_languages()
    if not have:
        raise OcrUnavailable("tesseract is not installed")
    langs = [lang for lang in languages if lang in have]
    if not langs:
        raise OcrUnavailable(f"tesseract lacks languages {'+'.join(languages)}")
    rgb = np.asarray(image.convert("RGB"))
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    sheet = paper(rgb)
    if sheet is not None:
        grey = np.where(sheet > 0, grey, 255).astype(np.uint8)
    texts = [_tesseract(prepare_page(grey), langs, 3, timeout)]
    stamp = coloured_ink(rgb, sheet)
    if stamp is not None:
        texts.append(_tesseract(stamp, langs, 6, timeout))
    return "\n".join(texts)
