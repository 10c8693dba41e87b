"""Reference marks of the evaluation set and their hard look-alikes, drawn here from geometry (not the
stand-ins the detectors ship with), with Debian's URW fonts.

The marks follow the Federal Identity Program's layout: a flag symbol (two red bars and a red leaf, low
texture, few corners), the "Canada" wordmark (the word with the flag symbol over its last letter), and a
signature (the flag symbol beside the department's name in two languages). Every mark is also available
as vector drawing operators for PDF pages (`pdf_ops`).
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

URW = "/usr/share/fonts/opentype/urw-base35/"
WORDMARK_FONT = URW + "NimbusRoman-Regular.otf"     # a Times face: pdfium's own Times is close to it
SIGNATURE_FONT = URW + "NimbusSans-Regular.otf"     # a Helvetica face
RED = (216, 30, 35)
SS = 4                                               # supersampling for smooth edges

# Right half of a maple leaf in a unit box (x from the centre line, y down); mirrored for the left half.
_LEAF_RIGHT = [(0.0, 0.0), (0.07, 0.14), (0.16, 0.10), (0.12, 0.40), (0.27, 0.24), (0.31, 0.33), (0.46, 0.29),
               (0.40, 0.48), (0.47, 0.53), (0.25, 0.70), (0.28, 0.78), (0.03, 0.74), (0.03, 0.98)]
LEAF = _LEAF_RIGHT + [(-x, y) for x, y in reversed(_LEAF_RIGHT[1:])]
# An oak-like leaf: rounded lobes, a different outline (a look-alike, not the mark).
OAK = [(0.0, 0.0), (0.12, 0.08), (0.10, 0.18), (0.26, 0.22), (0.20, 0.34), (0.36, 0.40), (0.26, 0.52),
       (0.38, 0.62), (0.20, 0.72), (0.06, 0.76), (0.03, 1.0)]
OAK = OAK + [(-x, y) for x, y in reversed(OAK[1:])]


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _poly(draw, pts, cx, top, size, fill) -> None:
    draw.polygon([(cx + x * size, top + y * size) for x, y in pts], fill=fill)


def _star(draw, cx, cy, r, fill, points=5) -> None:
    import math

    pts = [(cx + (r if i % 2 == 0 else r * 0.42) * math.cos(math.pi * i / points - math.pi / 2),
            cy + (r if i % 2 == 0 else r * 0.42) * math.sin(math.pi * i / points - math.pi / 2))
           for i in range(points * 2)]
    draw.polygon(pts, fill=fill)


def _canvas(w: int, h: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    im = Image.new("RGBA", (w * SS, h * SS), (255, 255, 255, 0))
    return im, ImageDraw.Draw(im)


def _done(im: Image.Image) -> Image.Image:
    return im.resize((im.width // SS, im.height // SS), Image.LANCZOS)


def flag(width: int = 480, centre: str = "leaf", colour=RED, centre_colour=None, bars: bool = True,
         horizontal: bool = False) -> Image.Image:
    """The flag symbol (centre: leaf) and its look-alikes (star, oak, none, disc; horizontal bars)."""
    w, h = width, width // 2
    im, d = _canvas(w, h)
    W, H = w * SS, h * SS
    d.rectangle((0, 0, W, H), fill=(255, 255, 255, 255))
    if bars and not horizontal:
        d.rectangle((0, 0, W // 4, H), fill=colour)
        d.rectangle((W - W // 4, 0, W, H), fill=colour)
    if horizontal:
        d.rectangle((0, 0, W, H // 3), fill=colour)
        d.rectangle((0, H - H // 3, W, H), fill=colour)
    c = centre_colour or colour
    if centre == "leaf":
        _poly(d, LEAF, W / 2, H * 0.08, H * 0.84, c)
    elif centre == "oak":
        _poly(d, OAK, W / 2, H * 0.08, H * 0.84, c)
    elif centre == "star":
        _star(d, W / 2, H / 2, H * 0.42, c)
    elif centre == "disc":
        d.ellipse((W / 2 - H * 0.3, H * 0.2, W / 2 + H * 0.3, H * 0.8), fill=c)
    return _done(im)


def leaf_alone(width: int = 240, shape=LEAF, colour=RED) -> Image.Image:
    im, d = _canvas(width, width)
    _poly(d, shape, width * SS / 2, width * SS * 0.04, width * SS * 0.92, colour)
    return _done(im)


def wordmark(with_flag: bool = True, word: str = "Canada", font: str = WORDMARK_FONT) -> Image.Image:
    """"Canada" with the flag symbol over the last letter (with_flag False: the word alone, a look-alike)."""
    size = 120
    f = _font(font, size * SS)
    x0, y0, x1, y1 = f.getbbox(word)
    w, h = (x1 - x0) // SS + 20, (y1 - y0) // SS + 70
    im, d = _canvas(w, h)
    d.text((10 * SS - x0, 60 * SS - y0), word, font=f, fill=(0, 0, 0, 255))
    if with_flag:
        last = f.getbbox(word[-1])
        lw = (last[2] - last[0]) * 1.25
        fl = flag(int(lw / SS)).resize((int(lw), int(lw / 2)), Image.LANCZOS)
        im.alpha_composite(fl.resize((int(lw), int(lw / 2))), (int(w * SS - 10 * SS - lw * 0.9), 6 * SS))
    return _done(im)


def signature(symbol: str = "flag", lines=("Statistics Canada", "Statistique Canada")) -> Image.Image:
    """The flag symbol beside the department's name; `symbol` none gives the words alone, other: another
    agency's symbol (a blue disc and wave)."""
    h = 120
    f = _font(SIGNATURE_FONT, 44 * SS)
    tw = max(f.getbbox(t)[2] for t in lines) // SS
    w = 230 + tw
    im, d = _canvas(w, h)
    if symbol == "flag":
        im.alpha_composite(flag(200 * SS // SS).resize((200 * SS, 100 * SS), Image.LANCZOS), (0, 10 * SS))
    elif symbol == "other":
        d.ellipse((40 * SS, 10 * SS, 140 * SS, 110 * SS), fill=(20, 70, 150, 255))
        d.rectangle((55 * SS, 55 * SS, 125 * SS, 68 * SS), fill=(255, 255, 255, 255))
    d.text((220 * SS, 52 * SS), lines[0], font=f, fill=(0, 0, 0, 255), anchor="ls")
    d.text((220 * SS, 104 * SS), lines[1], font=f, fill=(0, 0, 0, 255), anchor="ls")
    return _done(im)


def badge(text: str = "NEW", width: int = 260) -> Image.Image:
    im, d = _canvas(width, width // 2)
    d.rounded_rectangle((0, 0, width * SS, width * SS // 2), radius=24 * SS, fill=RED)
    d.text((width * SS // 2, width * SS // 4), text, font=_font(SIGNATURE_FONT, 60 * SS), fill="white",
           anchor="mm")
    return _done(im)


def heading(text: str = "Annual Report", font: str = WORDMARK_FONT) -> Image.Image:
    return wordmark(False, text, font)


# The agency's marks in this evaluation (written to a logos folder the evaluated policy points at).
REFERENCES = {
    "flag_symbol": lambda: flag(),
    "canada_wordmark": lambda: wordmark(True),
    "signature": lambda: signature("flag"),
}
# Hard look-alikes: none of them is one of the marks.
LOOKALIKES = {
    "flag_no_leaf": lambda: flag(centre="none"),
    "flag_star": lambda: flag(centre="star"),
    "flag_oak": lambda: flag(centre="oak"),
    "flag_green_leaf": lambda: flag(centre_colour=(30, 140, 60)),
    "flag_horizontal": lambda: flag(centre="none", horizontal=True),
    "flag_disc": lambda: flag(centre="disc", bars=False),
    "leaf_alone": lambda: leaf_alone(),
    "oak_leaf": lambda: leaf_alone(shape=OAK, colour=(200, 90, 20)),
    "word_canada": lambda: wordmark(False),
    "heading_same_font": lambda: heading("Annual Report"),
    "heading_canada_day": lambda: heading("Canada Day"),
    "other_signature": lambda: signature("other", ("Ministry of Examples", "Ministère des exemples")),
    "words_alone": lambda: signature("none"),
    "red_badge": lambda: badge("NEW"),
    "red_badge_sale": lambda: badge("SALE"),
}


def write_references(folder) -> list:
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, make in REFERENCES.items():
        im = make()
        flat = Image.new("RGBA", im.size, (255, 255, 255, 255))
        flat.alpha_composite(im)
        flat.convert("RGB").save(folder / f"{name}.png")
        out.append(folder / f"{name}.png")
    return out


def pdf_flag_ops(x: float, y: float, width: float, centre: bool = True) -> bytes:
    """PDF drawing operators for the flag symbol at (x, y) = its lower-left corner, `width` points wide."""
    h = width / 2
    r, g, b = (c / 255 for c in RED)
    ops = [f"q {r:.3f} {g:.3f} {b:.3f} rg",
           f"{x:.2f} {y:.2f} {width / 4:.2f} {h:.2f} re f",
           f"{x + width * 0.75:.2f} {y:.2f} {width / 4:.2f} {h:.2f} re f"]
    if centre:
        size, top = h * 0.84, y + h - h * 0.08
        pts = [(x + width / 2 + px * size, top - py * size) for px, py in LEAF]
        ops.append(f"{pts[0][0]:.2f} {pts[0][1]:.2f} m " + " ".join(f"{a:.2f} {b:.2f} l" for a, b in pts[1:])
                   + " h f")
    ops.append("Q")
    return "\n".join(ops).encode()


def pdf_wordmark_ops(x: float, y: float, size: float, with_flag: bool = True) -> bytes:
    """"Canada" in Times (font /F2) with the flag over the last letter; y is the baseline."""
    ops = f"BT /F2 {size:.1f} Tf {x:.2f} {y:.2f} Td (Canada) Tj ET\n".encode()
    if with_flag:
        word_w = size * 2.94          # Times-Roman advance widths of "Canada" (approximately)
        a_w = size * 0.444
        fw = a_w * 1.25
        ops += pdf_flag_ops(x + word_w - fw * 0.85, y + size * 0.78, fw)
    return ops
