"""Carriers made by other tools than the detectors' own fixtures: LibreOffice (headless) writes DOCX and PDF
from flat ODT sources (text, user-defined properties, vector drawings), and page images are rendered with the
part's fonts, skewed, blurred and stamped (for OCR)."""

from __future__ import annotations

import math
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta>{meta}</office:meta>
<office:font-face-decls><style:font-face style:name="F" svg:font-family="'{font}'"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/></office:font-face-decls>
<office:automatic-styles><style:style style:name="P1" style:family="paragraph"><style:text-properties
 style:font-name="F" fo:font-size="11pt"/></style:style></office:automatic-styles>
<office:body><office:text>{body}</office:text></office:body></office:document>
"""


def fodt(text: str, properties: dict[str, str] | None = None, font: str = "Liberation Serif") -> str:
    meta = "".join(f'<meta:user-defined meta:name="{escape(k)}">{escape(v)}</meta:user-defined>'
                   for k, v in (properties or {}).items())
    body = "".join(f'<text:p text:style-name="P1">{escape(line)}</text:p>' for line in text.split("\n"))
    return FODT.format(meta=meta, body=body, font=font)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(sources: dict[str, str], fmt: str) -> dict[str, bytes]:
    """{name: flat ODT} -> {name: bytes of the `fmt` (docx, pdf) file LibreOffice wrote}, in one run."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice is not installed (Debian: libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="sg-eval-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name, xml in sources.items():
            (src / f"{name}.fodt").write_text(xml, encoding="utf-8")
        env = dict(os.environ, HOME=tmp)
        subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", fmt, "--outdir", f"{tmp}/out", *sorted(str(p) for p in src.iterdir())],
                       env=env, capture_output=True, timeout=600, check=False)
        return {p.stem: p.read_bytes() for p in (Path(tmp) / "out").glob(f"*.{fmt}")}


def page_image(lines: list[str], font: str, rng: random.Random, *, skew: float = 0.0, blur: float = 0.0,
               stamp: str | None = None, photo: Image.Image | None = None) -> Image.Image:
    """A printed page (about 1 MP) with `lines`; skewed, blurred; `stamp`: a red rotated rubber stamp;
    `photo`: the page is photographed on it (perspective, shading)."""
    im = Image.new("RGB", (1000, 1000), (252, 252, 250))
    d = ImageDraw.Draw(im)
    f = ImageFont.truetype(font, rng.randrange(26, 34))
    y = 60
    for line in lines:
        d.text((70, y), line, font=f, fill=(15, 15, 15))
        y += int(f.size * 1.7)
    if stamp:
        sf = ImageFont.truetype(font, 64)
        w = int(d.textlength(stamp, font=sf)) + 60
        st = Image.new("RGBA", (w, 120), (0, 0, 0, 0))
        sd = ImageDraw.Draw(st)
        sd.rectangle((4, 4, w - 4, 116), outline=(200, 25, 30, 255), width=6)
        sd.text((w // 2, 60), stamp, font=sf, fill=(200, 25, 30, 235), anchor="mm")
        st = st.rotate(rng.uniform(-25, 25), expand=True, resample=Image.BICUBIC)
        im.paste(st, (rng.randrange(50, max(51, 1000 - st.width)), rng.randrange(450, max(451, 1000 - st.height))),
                 st)
    if skew:
        im = im.rotate(skew, expand=True, fillcolor=(252, 252, 250), resample=Image.BICUBIC)
    if photo is not None:
        import cv2

        bg = photo.resize((1300, 1300))
        src = np.float32([[0, 0], [im.width, 0], [im.width, im.height], [0, im.height]])
        j = 60
        dst = np.float32([[150 + rng.uniform(-j, j), 150 + rng.uniform(-j, j)],
                          [1150 + rng.uniform(-j, j), 150 + rng.uniform(-j, j)],
                          [1150 + rng.uniform(-j, j), 1150 + rng.uniform(-j, j)],
                          [150 + rng.uniform(-j, j), 1150 + rng.uniform(-j, j)]])
        H = cv2.getPerspectiveTransform(src, dst)
        page = cv2.warpPerspective(np.asarray(im), H, (1300, 1300))
        mask = cv2.warpPerspective(np.full(im.size[::-1], 255, np.uint8), H, (1300, 1300))[..., None] / 255.0
        shade = np.linspace(0.85, 1.0, 1300)[None, :, None]
        out = np.asarray(bg) * (1 - mask) + page * mask * shade
        im = Image.fromarray(out.astype(np.uint8)).resize((1000, 1000))
    if blur:
        im = im.filter(ImageFilter.GaussianBlur(blur))
    return im


def angle_deg(rng: random.Random, limit: float) -> float:
    return math.copysign(rng.uniform(limit * 0.6, limit), rng.random() - 0.5)
