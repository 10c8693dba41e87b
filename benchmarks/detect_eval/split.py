"""The two parts of the evaluation set. They share no seed, no background photo and no text font family:
tune on `TUNING` only; `HELDOUT` is scored at the end, never looked at while tuning."""

from __future__ import annotations

from dataclasses import dataclass

LIB = "/usr/share/fonts/truetype/liberation/"
DEJAVU = "/usr/share/fonts/truetype/dejavu/"
NOTO = "/usr/share/fonts/truetype/noto/"
URW = "/usr/share/fonts/opentype/urw-base35/"


@dataclass(frozen=True)
class Part:
    name: str
    seed: int
    photos: tuple[str, ...]          # scikit-image sample images
    fonts: list[str]                 # text fonts for pages, headings, stamps
    prose_modules: int               # stdlib modules whose hash is this mod 2 give the ordinary prose


TUNING = Part("tuning", 1101,
              ("astronaut", "coffee", "brick", "grass", "camera", "motorcycle_left", "page"),
              [DEJAVU + "DejaVuSans.ttf", DEJAVU + "DejaVuSerif.ttf", DEJAVU + "DejaVuSans-Bold.ttf",
               LIB + "LiberationSans-Regular.ttf", LIB + "LiberationSerif-Regular.ttf",
               LIB + "LiberationMono-Regular.ttf", LIB + "LiberationSans-Bold.ttf"], 0)
HELDOUT = Part("heldout", 2207,
               ("chelsea", "rocket", "hubble_deep_field", "gravel", "moon", "retina", "coins", "text", "ihc"),
               [NOTO + "NotoSans-Regular.ttf", NOTO + "NotoSerif-Regular.ttf", NOTO + "NotoSans-Bold.ttf",
                URW + "NimbusSans-Regular.otf", URW + "C059-Roman.otf", URW + "URWBookman-Light.otf",
                URW + "NimbusMonoPS-Regular.otf", URW + "P052-Roman.otf"], 1)
PARTS = {"tuning": TUNING, "heldout": HELDOUT}
