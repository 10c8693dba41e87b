"""Generated fixtures for the inspection tests and benchmark: Office/PDF files with and without markings and
labels, stand-in logos, and images carrying them scaled, rotated, recompressed, partly covered.

`python tests/support/fixtures_inspect.py policy/logos` regenerates the shipped stand-in references.
"""

from __future__ import annotations

import io
import math
import random
import sys
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def font(size: int, path: str = FONT) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default(size=size)


# -- stand-in references (clearly not the real marks) -----------------------------------------------
def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, points: int, fill) -> None:
    pts = []
    for i in range(points * 2):
        rad = r if i % 2 == 0 else r * 0.45
        a = math.pi * i / points - math.pi / 2
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    draw.polygon(pts, fill=fill)


def flag_symbol() -> Image.Image:
    im = Image.new("RGB", (480, 240), "white")
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, 119, 239), fill=(30, 90, 160))
    d.rectangle((360, 0, 479, 239), fill=(30, 90, 160))
    _star(d, 240, 112, 88, 7, (30, 90, 160))
    d.rectangle((232, 170, 248, 215), fill=(30, 90, 160))
    d.text((240, 228), "STAND-IN", font=font(18), fill=(30, 90, 160), anchor="ms")
    for i in range(4):
        d.ellipse((20 + i * 22, 20 + i * 48, 50 + i * 22, 50 + i * 48), fill="white")
        d.ellipse((380 + i * 22, 20 + i * 48, 410 + i * 22, 50 + i * 48), fill="white")
    return im


def signature() -> Image.Image:
    im = Image.new("RGB", (640, 160), "white")
    d = ImageDraw.Draw(im)
    small = flag_symbol().resize((200, 100))
    im.paste(small, (10, 30))
    d.text((230, 62), "Fictional Agency", font=font(40, SERIF), fill="black", anchor="ls")
    d.text((230, 122), "Agence fictive", font=font(40, SERIF), fill="black", anchor="ls")
    return im


def wordmark() -> Image.Image:
    im = Image.new("RGB", (560, 180), "white")
    d = ImageDraw.Draw(im)
    d.text((20, 150), "Nowhereland", font=font(96, SERIF), fill="black", anchor="ls")
    _star(d, 520, 40, 26, 5, (180, 20, 20))
    d.text((540, 172), "SPECIMEN", font=font(14), fill=(150, 0, 0), anchor="rs")
    return im


STANDINS = {"signature_standin": signature, "flag_symbol_standin": flag_symbol, "wordmark_standin": wordmark}


def write_standin_logos(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, make in STANDINS.items():
        path = folder / f"{name}.png"
        make().save(path, optimize=True)
        out.append(path)
    return out


# -- host images ------------------------------------------------------------------------------------
def background(size: tuple[int, int], rng: random.Random, kind: str = "mixed") -> Image.Image:
    """Backgrounds a logo may sit on: flat colour, gradient, noise, clutter of shapes and text."""
    w, h = size
    if kind == "flat":
        return Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    im = Image.new("RGB", size)
    d = ImageDraw.Draw(im)
    c0 = [rng.randrange(256) for _ in range(3)]
    c1 = [rng.randrange(256) for _ in range(3)]
    for y in range(0, h, 4):
        t = y / h
        d.rectangle((0, y, w, y + 4), fill=tuple(int(a + (b - a) * t) for a, b in zip(c0, c1)))
    if kind in ("mixed", "clutter"):
        for _ in range(rng.randrange(15, 40)):
            x, y = rng.randrange(w), rng.randrange(h)
            r = rng.randrange(10, max(11, w // 8))
            col = tuple(rng.randrange(256) for _ in range(3))
            if rng.random() < 0.5:
                d.ellipse((x, y, x + r, y + r // 2 + 5), fill=col)
            else:
                d.rectangle((x, y, x + r, y + rng.randrange(5, r + 6)), outline=col, width=rng.randrange(1, 5))
        words = ["quarterly", "report", "community", "data", "lunch", "team", "weekend", "mountain", "hello"]
        for _ in range(rng.randrange(3, 10)):
            d.text((rng.randrange(w), rng.randrange(h)), " ".join(rng.choices(words, k=3)),
                   font=font(rng.randrange(14, 40)), fill=tuple(rng.randrange(256) for _ in range(3)))
    if kind in ("mixed", "noise"):
        noise = Image.effect_noise(size, rng.randrange(10, 40)).convert("RGB")
        im = Image.blend(im, noise, 0.25)
    return im


def place_logo(logo: Image.Image, host: Image.Image, rng: random.Random, *, width_fraction: float,
               angle: float = 0.0, cover: float = 0.0, grey: bool = False) -> tuple[Image.Image, tuple]:
    """Paste `logo` scaled to `width_fraction` of the host's width, rotated, optionally partly covered."""
    w = max(8, int(host.width * width_fraction))
    h = max(4, int(logo.height * w / logo.width))
    if h > host.height * 0.95:
        h = int(host.height * 0.95)
        w = int(logo.width * h / logo.height)
    lg = logo.convert("RGBA").resize((w, h), Image.LANCZOS)
    if angle:
        lg = lg.rotate(angle, expand=True, resample=Image.BICUBIC)
    x = rng.randrange(0, max(1, host.width - lg.width))
    y = rng.randrange(0, max(1, host.height - lg.height))
    out = host.copy()
    out.paste(lg, (x, y), lg)
    if cover:
        d = ImageDraw.Draw(out)
        cw = int(lg.width * cover)
        d.rectangle((x + lg.width - cw, y, x + lg.width, y + lg.height), fill=(rng.randrange(256), 90, 40))
    if grey:
        out = out.convert("L").convert("RGB")
    return out, (x, y, lg.width, lg.height)


def jpeg(im: Image.Image, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def text_image(lines: list[str], size=(1200, 800)) -> Image.Image:
    """A document-like image with printed lines (for OCR)."""
    im = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(im)
    y = 60
    for line in lines:
        d.text((60, y), line, font=font(44), fill="black")
        y += 80
    return im


# -- documents --------------------------------------------------------------------------------------
def docx(body: str = "Quarterly update", header: str = "", footer: str = "", image: bytes | None = None) -> bytes:
    import docx as python_docx

    doc = python_docx.Document()
    doc.add_paragraph(body)
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    if footer:
        doc.sections[0].footer.paragraphs[0].text = footer
    if image:
        doc.add_picture(io.BytesIO(image))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def xlsx(cells: list[str], header: str = "") -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for i, value in enumerate(cells, 1):
        ws.cell(row=i, column=1, value=value)
    if header:
        ws.oddHeader.center.text = header
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pptx(title: str = "Team offsite", notes: str = "", image: bytes | None = None) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = title
    if notes:
        slide.notes_slide.notes_text_frame.text = notes
    if image:
        slide.shapes.add_picture(io.BytesIO(image), Inches(1), Inches(2), width=Inches(6))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def pdf(pages: list[str], image: bytes | None = None) -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.set_font("helvetica", size=12)
    for text in pages:
        doc.add_page()
        doc.multi_cell(0, 8, text.encode("latin-1", "replace").decode("latin-1"))
        if image:
            doc.image(io.BytesIO(image), x=20, y=80, w=160)
    return bytes(doc.output())


CUSTOM_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="MSIP_Label_{guid}_Enabled"><vt:lpwstr>true</vt:lpwstr></property>
<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="3" name="MSIP_Label_{guid}_Name"><vt:lpwstr>{name}</vt:lpwstr></property>
<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="4" name="MSIP_Label_{guid}_SiteId"><vt:lpwstr>0000</vt:lpwstr></property>
</Properties>"""


def with_label(package: bytes, label: str, guid: str = "3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b") -> bytes:
    """The Office package with a Microsoft Purview sensitivity label in docProps/custom.xml."""
    src = zipfile.ZipFile(io.BytesIO(package))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
            if info.filename != "docProps/custom.xml":
                out.writestr(info, data)
        out.writestr("docProps/custom.xml", CUSTOM_XML.format(guid=guid, name=label))
    return buf.getvalue()


def zip_bomb(size: int = 20 * 1024 * 1024) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * size)
    return buf.getvalue()


XML_BOMB = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<w:document xmlns:w="x"><w:t>&lol2;</w:t></w:document>"""


def xml_bomb_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", XML_BOMB)
    return buf.getvalue()


def png_pixel_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG that declares a huge canvas: only the header is real."""
    import struct
    import zlib

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


# -- prose ------------------------------------------------------------------------------------------
NEGATIVE_PROSE = [
    "The city council approved protected bike lanes on Main Street.",
    "Grandma finally shared her secret recipe for butter tarts.",
    "Call the confidential tip line if you see something.",
    "Il a été le protégé de son mentor pendant dix ans.",
    "The embargo on oil exports was lifted last spring.",
    "The law protected a whole generation of workers.",
    "Our survey results are public on the website: see the Daily.",
    "A protected area for caribou was announced in Quebec.",
    "She kept the surprise party a secret until Friday.",
    "Confidentiality is important in any friendship.",
    "Les données sont protégées par la loi, c'est une bonne nouvelle.",
    "Le secret de la réussite est le travail.",
    "This is top-notch work, very confidential-looking font though.",
    "The band's new album drops Friday; no embargo on reviews.",
    "We were embargoed by fog at the airport until noon.",
    "The protected species list grew by three birds.",
    "Secret Santa at the office party was fun.",
    "Protected characteristics include age and religion.",
    "The Statistics Act turns 107 this year, says a history blog.",
    "The secretariat met in Ottawa to discuss the confidential nature of votes.",
    "Class B protected shares are listed in the prospectus.",
    "My plan B is protected by a good insurance policy.",
    "Visit www.statcan.gc.ca for public data tables.",
    "Un accès protégé au parc est prévu cet été.",
    "He is a classified ads fan and a secretive cook.",
]


PROSE_TEMPLATES = [
    "The {place} got protected bike lanes after the {event}.",
    "My {relative} kept the {thing} a secret until {day}.",
    "Call the confidential tip line about the {thing} in the {place}.",
    "The embargo on {goods} hurt farmers in the {place}.",
    "{Name} was the protégé of a famous {job} in the {place}.",
    "A secret {thing} for the {event} is hidden in the {place}.",
    "The {job} said the {thing} is protected under a {goods} warranty.",
    "Le {job} a été le protégé de {Name} au {place_fr}.",
    "La recette secrète de ma {relative_fr} est dans le {place_fr}.",
    "Les {goods_fr} sont protégés par une loi adoptée {day_fr}.",
    "{Name} found a top secret {thing} recipe in a magazine on {day}.",
    "It was very secret, said {Name}, laughing about the {event}.",
    "Our {thing} results are public on the website since {day}.",
    "The {event} is under the authority of the {place} council.",
    "Statistics about the {goods} market were released on {day}.",
    "{Name} completed the {thing} form when the {event} ended.",
    "The confidential nature of votes matters to the {job}.",
    "Plan B for the {event} is protected by good insurance.",
    "Class A shares of the {goods} firm were protected in {day}.",
    "Embargo talks about {goods} continued until {day}.",
    "Une fois rempli, le {thing_fr} va au {place_fr}.",
    "C'est un secret de polichinelle au {place_fr}.",
    "The secretariat met in the {place} to discuss {goods}.",
    "{Name} loves classified ads and secretive {job}s.",
    "Protected areas for {animal} grew this {day}.",
    "Des {animal_fr} protégés vivent au {place_fr}.",
    "A protected {animal} habitat lies near the {place}.",
    "Our team is under embargo fatigue until the {event}, joked {Name}.",
]
FILL = {
    "place": ["park", "city", "harbour", "library", "stadium", "market", "valley", "campus", "suburb"],
    "event": ["storm", "festival", "election", "game", "marathon", "parade", "holiday", "conference"],
    "relative": ["aunt", "grandma", "brother", "cousin", "uncle", "sister"],
    "thing": ["recipe", "gift", "survey", "plan", "map", "garden", "song", "quilt", "bike"],
    "day": ["Friday", "Monday", "spring", "summer", "the weekend", "2023", "noon"],
    "goods": ["oil", "wheat", "lumber", "steel", "cars", "fish", "maple syrup"],
    "Name": ["Alex", "Marie", "Jean", "Priya", "Sam", "Noah", "Chloé", "Olivia"],
    "job": ["chef", "painter", "coach", "teacher", "pilot", "plumber", "writer"],
    "animal": ["caribou", "owls", "turtles", "bees", "salmon", "wolves"],
    "place_fr": ["parc", "marché", "village", "quartier", "stade", "chalet"],
    "relative_fr": ["tante", "grand-mère", "cousine", "soeur"],
    "goods_fr": ["forêts", "rivières", "lacs", "données", "oiseaux"],
    "day_fr": ["hier", "lundi", "cet été", "en 2022"],
    "thing_fr": ["formulaire", "panier", "sac", "plan"],
    "animal_fr": ["caribous", "hiboux", "tortues", "abeilles"],
}


def ordinary_prose(n: int, seed: int = 7) -> list[str]:
    """Everyday sentences (both languages) that use the words markings are made of, in ordinary ways."""
    rng = random.Random(seed)
    out = list(NEGATIVE_PROSE)
    keys = [k for k in FILL]
    while len(out) < n:
        template = rng.choice(PROSE_TEMPLATES)
        fields = {k: rng.choice(FILL[k]) for k in keys if "{" + k + "}" in template}
        sentence = template.format(**fields)
        if rng.random() < 0.3:
            sentence += " " + rng.choice(PROSE_TEMPLATES).format(**{k: rng.choice(v) for k, v in FILL.items()})
        out.append(sentence)
    return out[:n]


POSITIVE_MARKINGS = {
    "protected_a": ["PROTECTED A", "Protected A", "PROTÉGÉ A", "protégé\nA", "PROTEGE A"],
    "protected_b": ["PROTECTED B", "Protected  B", "PROTÉGÉ B", "Protégé B", "PROTECTED\r\nB"],
    "protected_c": ["PROTECTED C", "PROTÉGÉ C"],
    "protected_when_completed": ["PROTECTED B when completed", "Protégé B une fois rempli",
                                 "PROTECTED A WHEN COMPLETED"],
    "confidential": ["CONFIDENTIAL", "CONFIDENTIEL", "Security classification: Confidential"],
    "confidential_when_completed": ["Confidential when completed", "Confidentiel une fois rempli"],
    "secret": ["SECRET", "Classification: Secret"],
    "top_secret": ["TOP SECRET", "TRÈS SECRET", "TRES SECRET", "Classification: Top Secret",
                   "Cote de sécurité : Très secret"],
    "statistics_act_notice": ["Collected under the authority of the Statistics Act, Revised Statutes of Canada "
                              "1985, Chapter S-19.",
                              "Recueillis en vertu de la Loi sur la statistique, Lois révisées du Canada (1985)."],
    "embargo": ["Embargoed until 8:30 a.m. (Eastern time), Tuesday, March 5, 2024",
                "Sous embargo jusqu'à 8 h 30 (heure de l'Est), le mardi 5 mars 2024"],
}


def raw_pdf(content: bytes, compress: bool = True) -> bytes:
    """A one-page PDF (Helvetica as /F1, Times as /F2) with this content stream, written by hand with a correct xref, so a
    test can pad or break the stream in ways a PDF library would not write."""
    import zlib

    stream = zlib.compress(content, 9) if compress else content
    filt = b"/Filter /FlateDecode " if compress else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< " + filt + b"/Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def padded_pdf(marking: str = "TOP SECRET", pad_mib: int = 80) -> bytes:
    """A small PDF whose page content inflates past pypdf's decompression limit and shows `marking`."""
    text = f"BT /F1 36 Tf 72 700 Td ({marking}) Tj ET\n".encode()
    return raw_pdf(text + b"%" + b" " * (pad_mib * 1024 * 1024) + b"\n")


if __name__ == "__main__":
    for p in write_standin_logos(Path(sys.argv[1] if len(sys.argv) > 1 else "policy/logos")):
        print(p)
