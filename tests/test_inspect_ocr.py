"""OCR of markings in images (issue 13): a page skewed by ~7°, a slightly blurred page, a rotated red stamp on a
photographed page. Pages rendered with a font the detectors were not tuned on (Liberation)."""

import io
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from detect_eval import documents, scenes  # noqa: E402

from socialguard.inspect.detect.ocr import coloured_ink, skew_angle, tesseract_languages  # noqa: E402
from socialguard.inspect.scanner import Scanner  # noqa: E402

FONT = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
BODY = ["Quarterly staffing plan", "Draft for discussion with the region", "Budget and hiring targets"]


@pytest.fixture(scope="module")
def scanner(policy):
    assert tesseract_languages(), "tesseract is part of the test set-up"
    return Scanner(policy)


def jpeg(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def marker_names(scanner, im):
    return {f.name for f in scanner.scan_bytes(jpeg(im), "page.jpg").findings if f.kind == "marker"}


@pytest.mark.parametrize("skew", [7.0, -7.5])
def test_skewed_page(scanner, skew):
    im = documents.page_image(["PROTECTED B", *BODY], FONT, random.Random(1), skew=skew)
    assert "protected_b" in marker_names(scanner, im)


def test_blurred_page(scanner):
    im = documents.page_image(["TOP SECRET", *BODY], FONT, random.Random(2), blur=1.3)
    assert "top_secret" in marker_names(scanner, im)


def test_rotated_red_stamp_on_a_photographed_page(scanner):
    im = documents.page_image(BODY, FONT, random.Random(3), stamp="CONFIDENTIAL", photo=scenes._photo("coffee"))
    assert "confidential" in marker_names(scanner, im)


def test_clean_pages_stay_clean(scanner):
    for kw in ({"skew": 7.0}, {"blur": 1.3}, {"photo": scenes._photo("coffee")}):
        im = documents.page_image(BODY + ["Our secret recipe for the potluck"], FONT, random.Random(4), **kw)
        assert marker_names(scanner, im) == set()


def test_skew_estimate():
    ink = np.zeros((400, 600), np.uint8)
    for y in range(40, 380, 30):
        ink[y:y + 8, 50:550] = 255
    centre = (300, 200)
    import cv2

    M = cv2.getRotationMatrix2D(centre, -6.0, 1.0)
    rotated = cv2.warpAffine(ink, M, (600, 400))
    assert abs(skew_angle(rotated, 10) - 6.0) <= 0.5


def test_no_stamp_on_a_plain_page_or_in_flat_colour():
    assert coloured_ink(np.full((500, 500, 3), 255, np.uint8)) is None
    assert coloured_ink(np.full((500, 500, 3), (200, 30, 30), np.uint8)) is None     # colour, no paper
    blob = np.full((500, 500, 3), 255, np.uint8)
    blob[100:400, 100:400] = (200, 30, 30)                                         # a red area, not strokes
    stamp = coloured_ink(blob)
    assert stamp is None or (stamp < 128).mean() < 0.02                             # at most its rim is kept
