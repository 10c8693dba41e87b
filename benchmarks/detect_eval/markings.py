"""Texts for the marking evaluation: security markings in the forms they take on real documents and e-mails,
and ordinary prose that uses the same words (hard negatives, and Python's own documentation as plain prose).

Each form has several templates; the two parts get alternate templates, their own seeds and their own prose.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from .split import Part

# (truth name, marking as written in capitals, its French pair)
MARKINGS = [
    ("protected_a", "PROTECTED A", "PROTÉGÉ A"), ("protected_b", "PROTECTED B", "PROTÉGÉ B"),
    ("protected_c", "PROTECTED C", "PROTÉGÉ C"), ("confidential", "CONFIDENTIAL", "CONFIDENTIEL"),
    ("secret", "SECRET", "SECRET"), ("top_secret", "TOP SECRET", "TRÈS SECRET"),
]

# {m}: the marking in capitals, {f}: its French pair, {t}: Title Case, {s}: letter-spaced, {l}: lower case.
FORMS = {
    "own_line": ["{m}\n\n{p}", "{p}\n\n{m}", "{p}\n{m}\n{p}", "{p}\n\n        {m}\n\n{p}"],
    "caveat": ["{m}//REL TO CAN, USA\n{p}", "{m} – CANADIAN EYES ONLY\n{p}", "{p}\n{m}//CEO",
               "{m} - CANADIAN EYES ONLY / AUX YEUX DES CANADIENS SEULEMENT\n{p}"],
    "bilingual": ["{m} / {f}\n{p}", "{p}\n{m} | {f}", "{f} / {m}\n\n{p}", "{p}\n\n{m} - {f}"],
    "labelled": ["Classification: {t}\n{p}", "Cote de sécurité : {f}\n{p}", "{p}\nSecurity classification: {t}",
                 "{p}\nClassification de sécurité : {f}", "Marking: {m}\n{p}", "Désignation : {f}\n{p}"],
    "letter_spaced": ["{s}\n\n{p}", "{p}\n{s}", "{p}\n\n{s}\n\n{p}", "{s}\n{p}"],
    "unusual_case": ["{t}\n{p}", "{p}\n{t}", "{l}\n\n{p}", "{p}\n\n{t}"],
    "email_edges": ["{m}\n\nHi team,\n{p}\nThanks,\nJane", "Bonjour,\n{p}\nMerci,\nLuc\n{f}",
                    "{m} – Page 2 of 14\n{p}", "{p}\nRegards, Sam\n{m}"],
    "long_text_middle": ["{long}\n{m}\n{long}", "{long}\n\n{f}\n\n{long}", "{long}\n{m}\n{long}",
                         "{long}\n{t}\n{long}"],
}

HARD_NEGATIVES = [
    "Our SECRET SANTA draw is on Friday", "Grandma's secret recipe for butter tarts is finally out.",
    "C'est un secret de polichinelle au bureau.", "We read Top Secret Recipes: the cookbook, over the weekend.",
    "PLEASE KEEP THIS A SECRET UNTIL THE PARTY!!!", "SECRET GARDEN TOUR THIS SUNDAY",
    "Victoria's Secret opened a store downtown.", "The secret ballot is a pillar of democracy.",
    "Trade secrets are protected by law in most provinces.", "CONFIDENTIAL INFORMANT season 2 starts tonight",
    "Tell me a secret, she said.", "The top secret plans for the party are in the kitchen drawer.",
    "Le secret du bonheur, c'est le partage.", "Ma recette secrète de tarte au sucre.",
    "This area is protected. B sure to respect the signs.", "Protected bike lanes open on Bank Street.",
    "Les espèces protégées du parc sont nombreuses.", "The Secret Life of Pets is on TV tonight.",
    "OUR SECRET WEAPON: VOLUNTEERS", "Her secret? Practice, practice, practice.",
    "Confidentially, I think the cake was better last year.", "Un protégé du chef a ouvert son restaurant.",
    "SECRET SANTA 2025\nSign up by Friday!", "Is it a secret? No, it's on the website.",
    "The confidential tip line is open 24/7 for road safety.", "Keep your password secret and never share it.",
    "Plan B: protected areas along the river.", "Secret Service agents visited the museum.",
    "TOP 10 SECRET BEACHES IN NOVA SCOTIA", "My secret talent is juggling.",
    "Classified ads section: bikes, skis and secret family recipes.", "SECRETS OF THE ST. LAWRENCE - a documentary",
]

WORDS = ("the survey results for the region show steady growth in employment and housing while the census "
         "program continues to release new tables about population income and labour every quarter").split()


@dataclass
class Text:
    text: str
    truth: str | None
    form: str


def _letter_spaced(m: str) -> str:
    return "   ".join(" ".join(w) for w in m.split())


def _prose(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def positives(part: Part) -> list[Text]:
    rng = random.Random(part.seed + 1)
    out = []
    for form, templates in FORMS.items():
        mine = templates[part.prose_modules::2]
        for name, m, f in MARKINGS:
            for tpl in mine:
                text = tpl.format(m=m, f=f, t=m.title().replace("É", "é"), s=_letter_spaced(m), l=m.lower(),
                                  p=_prose(rng, rng.randrange(8, 40)), long=_prose(rng, 1500))
                out.append(Text(text, name, form))
    return out


def stdlib_prose(part: Part, limit: int) -> list[str]:
    """Paragraphs of the Python standard library's docstrings (real English prose, incl. `secrets`)."""
    import importlib
    import sys

    skip = {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "ensurepip", "venv",
            "webbrowser", "lib2to3", "pydoc_data", "xxsubtype", "msvcrt", "winreg", "winsound", "nt"}
    out: list[str] = []
    for mod in sorted(m for m in sys.stdlib_module_names if not m.startswith("_") and m not in skip):
        if zlib.crc32(mod.encode()) % 2 != part.prose_modules:
            continue
        try:
            module = importlib.import_module(mod)
        except Exception:
            continue
        for obj in [module, *(getattr(module, a, None) for a in dir(module)[:200])]:
            doc = getattr(obj, "__doc__", None)
            if isinstance(doc, str):
                out += [p.strip() for p in doc.split("\n\n") if len(p.strip()) > 40]
        if len(out) > limit:
            break
    return out[:limit]


def negatives(part: Part, n_prose: int) -> list[Text]:
    hard = HARD_NEGATIVES[part.prose_modules::2]
    out = [Text(t, None, "hard_negative") for t in hard]
    out += [Text(t, None, "stdlib_prose") for t in stdlib_prose(part, n_prose)]
    return out
