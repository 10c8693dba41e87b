"""Low-texture marks (issue 13): the flag symbol (two bars and a leaf) is found by shape and colour, at small
sizes, rotated, in grey; the wordmark and the signature need their symbol; look-alikes are not marks; the
evidence box is the mark's projected outline. Uses the evaluation set's marks (tuning seeds only)."""

import math
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from detect_eval import marks, scenes  # noqa: E402
from detect_eval.split import TUNING  # noqa: E402

from socialguard.inspect.detect.logos import LogoMatcher  # noqa: E402
from socialguard.policy.markers import LogoRule  # noqa: E402


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("logos")
    marks.write_references(folder)
    return LogoMatcher(LogoRule(directory=folder))


def iou(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    iw = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    ih = max(0, min(ay + ah, by + bh) - max(ay, by))
    return iw * ih / (aw * ah + bw * bh - iw * ih)


def placed(make, width_fraction, angle=0.0, seed=1, grey=False, photo="coffee"):
    rng = random.Random(seed)
    host = scenes._photo(photo).resize(scenes.HOST)
    mark = make()
    H = scenes._homography(mark.size, host.size, rng, width_fraction, angle, 0.0)
    im, box = scenes.place(mark, host, H, 0.0, rng)
    im = scenes.jpeg(im.convert("L").convert("RGB") if grey else im, 85)
    return im, box


def test_references_have_a_symbol_with_a_key_part(matcher):
    refs = {r.name: r for r in matcher.references}
    assert set(refs) == {"flag_symbol", "canada_wordmark", "signature"}
    flag = refs["flag_symbol"]
    assert flag.hue is not None and len(flag.symbol_parts) == 3
    [key] = [p for p in flag.parts if p.key]
    assert key.solidity < 0.8                     # the leaf, not a bar
    assert {c for c, _ in matcher.contained["flag_symbol"]} == {"canada_wordmark", "signature"}


@pytest.mark.parametrize("fraction,angle,grey", [(0.1, 0, False), (0.15, 12, False), (0.4, -14, False),
                                                 (0.8, 5, False), (0.3, 8, True)])
def test_flag_symbol_found_with_a_tight_box(matcher, fraction, angle, grey):
    im, box = placed(marks.REFERENCES["flag_symbol"], fraction, angle, grey=grey)
    found = {m.name: m for m in matcher.match(im)}
    assert "flag_symbol" in found
    assert iou(found["flag_symbol"].bbox, box) >= 0.7


@pytest.mark.parametrize("name", ["canada_wordmark", "signature"])
def test_marks_containing_the_symbol_are_reported_whole(matcher, name):
    im, box = placed(marks.REFERENCES[name], 0.5, 3, seed=4, photo="astronaut")
    found = [m.name for m in matcher.match(im)]
    assert found == [name]                        # not also the flag symbol inside it


@pytest.mark.parametrize("lookalike", ["word_canada", "heading_canada_day", "flag_no_leaf", "flag_star",
                                       "flag_green_leaf", "leaf_alone", "words_alone", "other_signature",
                                       "red_badge"])
def test_lookalikes_are_not_marks(matcher, lookalike):
    for fraction in (0.2, 0.6):
        im, _ = placed(marks.LOOKALIKES[lookalike], fraction, 4, seed=7)
        assert matcher.match(im) == [], (lookalike, fraction)


def test_hostile_images(matcher):
    rng = np.random.default_rng(3)
    noise = Image.fromarray(rng.integers(0, 256, (850, 1200, 3), dtype=np.uint8))
    assert matcher.match(noise) == []
    red = Image.new("RGB", (1200, 850), marks.RED)                  # all symbol colour
    assert matcher.match(red) == []
    stripes = np.zeros((850, 1200, 3), np.uint8) + 255
    for x in range(0, 1200, 40):
        stripes[:, x:x + 20] = marks.RED                             # hundreds of bar-like pieces
    assert matcher.match(Image.fromarray(stripes)) == []
    tiny = Image.new("RGB", (3, 2), "white")
    assert matcher.match(tiny) == []


def test_same_image_same_answer(matcher):
    im, _ = placed(marks.REFERENCES["flag_symbol"], 0.3, 6)
    assert matcher.match(im) == matcher.match(im)
    assert not math.isnan(matcher.match(im)[0].score)
