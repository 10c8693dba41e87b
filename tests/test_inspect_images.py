"""Images: logos found scaled/rotated/recompressed/covered, on any background; OCR of markings; bombs."""

import io
import random
import shutil
import zlib

import pytest
from PIL import Image
from support import fixtures_inspect as fx

from socialguard.inspect.detect.logos import LogoMatcher
from socialguard.inspect.scanner import Scanner

VARIANTS = [  # (reference, width fraction of the host, angle, JPEG quality, covered share, grey, background)
    ("signature_standin", 0.5, 0, 90, 0, False, "flat"),
    ("signature_standin", 0.25, -12, 70, 0, False, "mixed"),
    ("signature_standin", 1.0, 8, 50, 0.2, True, "clutter"),
    ("flag_symbol_standin", 0.15, 15, 80, 0, False, "noise"),
    ("flag_symbol_standin", 0.4, -15, 60, 0.2, True, "mixed"),
    ("wordmark_standin", 0.2, 5, 75, 0, False, "clutter"),
    # (not covered: the cover hides the right side, where the wordmark's symbol is, and a wordmark without its
    # symbol is only a word - issue 13)
    ("wordmark_standin", 0.7, -9, 50, 0, False, "mixed"),
]


@pytest.fixture(scope="module")
def matcher(policy):
    return LogoMatcher(policy.markers.logos)


@pytest.fixture(scope="module")
def scanner(policy):
    from dataclasses import replace

    # OCR has its own tests: keep these to the logo path.
    return Scanner(replace(policy, inspection=replace(policy.inspection,
                                                      ocr=replace(policy.inspection.ocr, enabled=False))))


def test_references_are_loaded(matcher):
    assert {r.name for r in matcher.references} == {"signature_standin", "flag_symbol_standin", "wordmark_standin"}
    assert not matcher.errors


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"{v[0]}-{v[1]}-{v[2]}deg-q{v[3]}")
def test_logo_variants_are_found(matcher, variant):
    name, frac, angle, quality, cover, grey, bg = variant
    rng = random.Random(zlib.crc32(repr(variant).encode()))
    im, (x, y, w, h) = fx.place_logo(fx.STANDINS[name](), fx.background((1200, 850), rng, bg), rng,
                                     width_fraction=frac, angle=angle, cover=cover, grey=grey)
    found = {m.name: m for m in matcher.match(Image.open(io.BytesIO(fx.jpeg(im, quality))).convert("RGB"))}
    assert name in found
    bx, by, bw, bh = found[name].bbox
    # The box overlaps where the mark was pasted.
    assert bx < x + w and x < bx + bw and by < y + h and y < by + bh


@pytest.mark.parametrize("seed", range(4))
def test_no_logo_on_ordinary_images(matcher, seed):
    rng = random.Random(100 + seed)
    im = fx.background((1200, 850), rng, ["mixed", "clutter", "noise", "flat"][seed])
    assert matcher.match(Image.open(io.BytesIO(fx.jpeg(im))).convert("RGB")) == []


def test_near_duplicate_by_perceptual_hash(matcher):
    im = fx.flag_symbol().resize((240, 120))
    [m] = matcher.match(im)
    assert m.name == "flag_symbol_standin" and m.bbox == (0, 0, 240, 120)


def test_scan_png_reports_logo_with_sha_and_bbox(scanner):
    rng = random.Random(9)
    im, _ = fx.place_logo(fx.wordmark(), fx.background((900, 700), rng, "flat"), rng, width_fraction=0.5)
    data = fx.png(im)
    r = scanner.scan_bytes(data, "poster.png")
    [f] = r.findings
    import hashlib

    assert (f.kind, f.name, f.guideline, f.location) == ("logo", "wordmark_standin", "2.3", "poster.png")
    assert f.file_sha256 == hashlib.sha256(data).hexdigest() and len(f.bbox) == 4 and 0 < f.confidence <= 1


def test_docx_with_embedded_logo(scanner):
    rng = random.Random(4)
    im, _ = fx.place_logo(fx.signature(), fx.background((800, 500), rng, "flat"), rng, width_fraction=0.8)
    r = scanner.scan_bytes(fx.docx("Invitation", image=fx.png(im)), "invite.docx")
    assert {(f.kind, f.name) for f in r.findings} == {("logo", "signature_standin")}
    assert r.findings[0].location.startswith("invite.docx:word/media/")


def test_pixel_bomb_is_a_notice(scanner):
    assert [n.reason for n in scanner.scan_bytes(fx.png_pixel_bomb(), "bomb.png").notices] == ["pixel_bomb"]


def test_corrupt_image_is_a_notice(scanner):
    data = fx.png(Image.new("RGB", (50, 50)))[:60]
    assert [n.reason for n in scanner.scan_bytes(data, "cut.png").notices] == ["corrupt"]


def test_heic_is_read_when_supported(scanner):
    pillow_heif = pytest.importorskip("pillow_heif")
    rng = random.Random(2)
    im, _ = fx.place_logo(fx.signature(), fx.background((800, 600), rng, "flat"), rng, width_fraction=0.7)
    buf = io.BytesIO()
    try:
        pillow_heif.from_pillow(im).save(buf, quality=90)
    except Exception as e:   # encoder not built in
        pytest.skip(f"no HEIC encoder: {e}")
    assert {f.name for f in scanner.scan_bytes(buf.getvalue(), "photo.heic").findings} == {"signature_standin"}


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract not installed")
@pytest.mark.parametrize("line,name", [("PROTECTED B", "protected_b"), ("TRÈS SECRET", "top_secret")])
def test_ocr_finds_markings_in_images(policy, line, name):
    im = fx.text_image(["Quarterly staffing plan", line, "Draft - do not circulate"])
    r = Scanner(policy).scan_bytes(fx.png(im), "scan.png")
    assert (("marker", name) in {(f.kind, f.name) for f in r.findings}), r
    assert any(f.location == "scan.png:ocr" for f in r.findings)


def test_ocr_missing_is_reported_not_fatal(policy, monkeypatch):
    from socialguard.inspect.detect import ocr

    monkeypatch.setattr(ocr, "tesseract_languages", lambda: frozenset())
    r = Scanner(policy).scan_bytes(fx.png(fx.text_image(["hello"])), "scan.png")
    assert [n.reason for n in r.notices] == ["ocr_unavailable"] and not r.findings


def test_crop_saved_only_when_the_policy_says_so(policy, tmp_path):
    from dataclasses import replace

    rng = random.Random(6)
    im, _ = fx.place_logo(fx.flag_symbol(), fx.background((900, 600), rng, "flat"), rng, width_fraction=0.4)
    off = replace(policy.inspection, ocr=replace(policy.inspection.ocr, enabled=False))
    [f] = Scanner(replace(policy, inspection=off), tmp_path / "crops").scan_bytes(fx.png(im), "a.png").findings
    assert f.crop is None and not (tmp_path / "crops").exists()
    on = replace(off, save_crops=True)
    [f] = Scanner(replace(policy, inspection=on), tmp_path / "crops").scan_bytes(fx.png(im), "a.png").findings
    assert f.crop and Image.open(f.crop).size[0] <= 256
