"""markers.yaml: security markings, Statistics Act and embargo notices, code words, labels, profanity, logos."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from .source import Document


@dataclass(frozen=True, slots=True)
class RuleRef:
    id: str
    guideline: str


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """A set of literal phrases that raise one finding `name` (kind `marker`)."""

    id: str
    name: str
    guideline: str
    phrases: tuple[str, ...]
    case: str = "any"               # any | upper | level
    embargo: bool = False
    form: bool = False              # a security marking: found in any case, judged by its form (marking_form)


@dataclass(frozen=True, slots=True)
class LabelRule:
    id: str
    name: str
    guideline: str
    match: tuple[str, ...]          # lower-cased globs on the label name

    def matches(self, label: str) -> bool:
        label = label.strip().lower()
        return any(fnmatch.fnmatchcase(label, g) for g in self.match)


@dataclass(frozen=True, slots=True)
class ProfanityRule:
    id: str = "profanity.language"
    guideline: str = "2.4"
    with_agency: RuleRef = RuleRef("profanity.agency", "2.5")
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)   # language -> words/phrases


@dataclass(frozen=True, slots=True)
class LogoRule:
    id: str = "logo.reference"
    guideline: str = "2.3"
    directory: Path | None = None
    min_score: float = 0.5
    min_inliers: int = 12
    hash_distance: int = 8


@dataclass(frozen=True)
class MarkersPolicy:
    markers: tuple[PhraseRule, ...] = ()       # kind marker (code words included)
    labels: tuple[LabelRule, ...] = ()
    profanity: ProfanityRule = ProfanityRule()
    internal_links: RuleRef = RuleRef("link.internal", "2.5")
    logos: LogoRule = LogoRule()
    # Markings found in a weak form (a capitalised word inside a sentence) are reported under this rule, so
    # inspection.yaml can coach them while blocking the strong forms under the marking's own rule.
    weak_form: RuleRef = RuleRef("marker.weak_form", "2.6")

    def label_rule(self, label: str) -> LabelRule | None:
        return next((r for r in self.labels if r.matches(label)), None)


def parse_markers(docs: list[Document], directory: Path) -> MarkersPolicy:
    if not docs:
        return MarkersPolicy()
    doc = docs[0]
    d = doc.data
    seen: set[str] = set()

    def unique(rid: str, keys: list) -> str:
        if rid in seen:
            raise doc.error(keys, f"duplicate rule id {rid!r}")
        seen.add(rid)
        return rid

    markers = [PhraseRule(unique(m["id"], ["markers", i, "id"]), m["name"], m["guideline"], tuple(m["phrases"]),
                          m.get("case", "any"), bool(m.get("embargo", False)), bool(m.get("form", False)))
               for i, m in enumerate(d.get("markers", ()))]
    markers += [PhraseRule(unique(c["id"], ["code_words", i, "id"]), c["name"], c["guideline"], tuple(c["words"]))
                for i, c in enumerate(d.get("code_words", ()))]
    labels = tuple(LabelRule(unique(lab["id"], ["labels", i, "id"]), lab["name"], lab["guideline"],
                             tuple(g.lower() for g in lab["match"]))
                   for i, lab in enumerate(d.get("labels", ())))
    prof = ProfanityRule()
    if "profanity" in d:
        p = d["profanity"]
        wa = p.get("with_agency")
        prof = ProfanityRule(p["id"], p["guideline"],
                             RuleRef(wa["id"], wa["guideline"]) if wa else prof.with_agency,
                             {lang: tuple(words) for lang, words in p.get("words", {}).items()})
    links = RuleRef(**d["internal_links"]) if "internal_links" in d else RuleRef("link.internal", "2.5")
    logos = LogoRule()
    if "logos" in d:
        lg = d["logos"]
        folder = (directory / lg.get("directory", "logos")).resolve()
        if lg.get("directory") and not folder.is_dir():
            raise doc.error(["logos", "directory"], f"logo directory {folder} not found")
        logos = LogoRule(lg["id"], lg["guideline"], folder if folder.is_dir() else None,
                         float(lg.get("min_score", 0.5)), int(lg.get("min_inliers", 12)),
                         int(lg.get("hash_distance", 8)))
    weak = RuleRef(**d["weak_form"]) if "weak_form" in d else RuleRef("marker.weak_form", "2.6")
    return MarkersPolicy(tuple(markers), labels, prof, links, logos, weak)
